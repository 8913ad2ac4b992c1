//! The bridge to the code editor (CodeMirror 6, bundled from npm into `editor.js`).

use js_sys::{Function, Object, Reflect};
use kubefiche_core::{Diagnostic, assist};
use wasm_bindgen::prelude::*;

use crate::i18n::Lang;

#[wasm_bindgen]
extern "C" {
    /// One editor with a state (text, undo history, diagnostics) per workspace file.
    pub type Workbench;

    #[wasm_bindgen(js_namespace = KubeficheEditor, js_name = create)]
    fn create_workbench(parent: &web_sys::HtmlElement, hooks: &Object) -> Workbench;

    #[wasm_bindgen(method)]
    pub fn open(this: &Workbench, path: &str, text: &str);

    #[wasm_bindgen(method)]
    pub fn replace(this: &Workbench, path: &str, text: &str);

    /// Replace `from..to` (UTF-16 offsets) of the open file `path` in one undoable step and
    /// select the new text; `false` when `path` is not the open file.
    #[wasm_bindgen(method)]
    pub fn edit(this: &Workbench, path: &str, from: u32, to: u32, insert: &str) -> bool;

    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics_js(this: &Workbench, path: &str, list: &JsValue);

    #[wasm_bindgen(method)]
    pub fn goto(this: &Workbench, line: u32, column: u32);
}

/// What the editor calls back: a change of text, the label of the editor for a file, and the
/// page's language at the moment of asking (hover and completion follow a switch at once).
pub struct Hooks {
    pub on_change: Box<dyn Fn(String, String)>,
    pub label: Box<dyn Fn(String) -> String>,
    pub lang: Box<dyn Fn() -> Lang>,
}

/// Hover documentation and completion come from the schema, whatever the file.
fn hover(lang: Lang, text: &str, line: u32, column: u32) -> JsValue {
    match assist::hover(text, line, column, lang.code()) {
        Some(h) => to_js(&serde_json::json!({"title": h.title, "body": h.body})),
        None => JsValue::NULL,
    }
}

fn complete(lang: Lang, text: &str, line: u32, column: u32) -> JsValue {
    let options: Vec<serde_json::Value> = assist::complete(text, line, column, lang.code())
        .into_iter()
        .map(|c| serde_json::json!({"label": c.label, "apply": c.apply, "type": c.kind, "detail": c.detail, "info": c.info}))
        .collect();
    to_js(&serde_json::Value::Array(options))
}

fn to_js(value: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// Create the editor inside `parent`. The callbacks live as long as the page.
pub fn create(parent: &web_sys::HtmlElement, hooks: Hooks) -> Workbench {
    let object = Object::new();
    let on_change = Closure::<dyn Fn(String, String)>::new(hooks.on_change);
    let label = Closure::<dyn Fn(String) -> String>::new(hooks.label);
    let lang = std::rc::Rc::new(hooks.lang);
    let hover = Closure::<dyn Fn(String, String, u32, u32) -> JsValue>::new({
        let lang = std::rc::Rc::clone(&lang);
        move |_path: String, text: String, line, column| hover(lang(), &text, line, column)
    });
    let complete = Closure::<dyn Fn(String, String, u32, u32) -> JsValue>::new(
        move |_path: String, text: String, line, column| complete(lang(), &text, line, column),
    );
    set(&object, "onChange", on_change.as_ref().unchecked_ref());
    set(&object, "label", label.as_ref().unchecked_ref());
    set(&object, "hover", hover.as_ref().unchecked_ref());
    set(&object, "complete", complete.as_ref().unchecked_ref());
    on_change.forget();
    label.forget();
    hover.forget();
    complete.forget();
    create_workbench(parent, &object)
}

fn set(object: &Object, name: &str, function: &Function) {
    let _ = Reflect::set(object, &JsValue::from_str(name), function);
}

impl Workbench {
    /// Show these diagnostics (already filtered to `path`) as underlines, gutter marks and hovers.
    pub fn set_diagnostics(&self, path: &str, diagnostics: &[Diagnostic], lang: Lang) {
        let list: Vec<serde_json::Value> = diagnostics
            .iter()
            .map(|d| {
                serde_json::json!({
                    "line": d.span.line, "column": d.span.column,
                    "end_line": d.span.end_line, "end_column": d.span.end_column,
                    "severity": d.severity, "code": d.code, "message": d.message.get(lang.code()),
                })
            })
            .collect();
        self.set_diagnostics_js(path, &to_js(&serde_json::Value::Array(list)));
    }
}
