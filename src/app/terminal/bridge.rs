//! The bridge to the terminal (xterm.js, bundled from npm into `terminal.js` and loaded the
//! first time a terminal opens). The JavaScript side moves bytes; the protocol's messages are
//! written and read here, with the wire types the proxy uses.

use js_sys::{Function, Object, Promise, Reflect};
use kubefiche_core::wire::{TerminalControl, TerminalEvent, TerminalHello};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The script that defines `window.KubeficheTerminal`.
const SCRIPT: &str = "/terminal.js";
const SCRIPT_ID: &str = "kubefiche-terminal-script";

#[wasm_bindgen]
extern "C" {
    /// One terminal and its socket.
    pub type Session;

    #[wasm_bindgen(js_namespace = KubeficheTerminal, js_name = open)]
    fn open_session(parent: &web_sys::HtmlElement, hooks: &Object) -> Session;

    /// Put the keyboard focus in the terminal.
    #[wasm_bindgen(method)]
    pub fn focus(this: &Session);

    /// Write a line of kubefiche's own (dimmed) into the terminal.
    #[wasm_bindgen(method)]
    pub fn say(this: &Session, text: &str);

    /// Close the socket: the proxy kills kubectl, which ends the session in the pod.
    #[wasm_bindgen(method)]
    pub fn close(this: &Session);

    /// Close, and free the terminal and its observers.
    #[wasm_bindgen(method)]
    pub fn dispose(this: &Session);
}

/// What the terminal tells the page.
pub struct Hooks {
    pub token: String,
    pub line: String,
    /// The accessible name of the terminal's input.
    pub label: String,
    /// A message from the proxy (`None`: one that could not be read).
    pub on_event: Box<dyn Fn(Option<TerminalEvent>)>,
    /// The socket closed by itself (the proxy ended it, or the network did).
    pub on_closed: Box<dyn Fn()>,
}

/// Loads `terminal.js` once (a terminal opened meanwhile waits for the same script).
pub async fn load() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    if Reflect::has(&window, &"KubeficheTerminal".into())? {
        return Ok(());
    }
    let document = window.document().ok_or("no document")?;
    let script = match document.get_element_by_id(SCRIPT_ID) {
        Some(script) => script,
        None => {
            let script = document.create_element("script")?;
            script.set_id(SCRIPT_ID);
            script.set_attribute("src", SCRIPT)?;
            document.body().ok_or("no body")?.append_child(&script)?;
            script
        }
    };
    let loaded = Promise::new(&mut |resolve, reject| {
        let _ = script.add_event_listener_with_callback("load", &resolve);
        let _ = script.add_event_listener_with_callback("error", &reject);
    });
    let result = JsFuture::from(loaded).await.map(|_| ());
    if result.is_err() {
        // Let the next terminal try again.
        script.remove();
    }
    result
}

/// Opens a terminal in `parent`; its socket says hello with the token and the line. The
/// callbacks live as long as the session (they are dropped with the returned guard).
pub fn open(parent: &web_sys::HtmlElement, hooks: Hooks) -> (Session, Callbacks) {
    let Hooks {
        token,
        line,
        label,
        on_event,
        on_closed,
    } = hooks;
    let hello = Closure::<dyn Fn(u16, u16) -> String>::new(move |cols, rows| {
        let hello = TerminalHello {
            token: token.clone(),
            line: line.clone(),
            cols,
            rows,
        };
        serde_json::to_string(&hello).unwrap_or_default()
    });
    let resize = Closure::<dyn Fn(u16, u16) -> String>::new(|cols, rows| {
        serde_json::to_string(&TerminalControl::Resize { cols, rows }).unwrap_or_default()
    });
    let event = Closure::<dyn Fn(String)>::new(move |text: String| {
        on_event(serde_json::from_str(&text).ok());
    });
    let closed = Closure::<dyn Fn()>::new(on_closed);
    let object = Object::new();
    set(&object, "hello", hello.as_ref().unchecked_ref());
    set(&object, "resize", resize.as_ref().unchecked_ref());
    set(&object, "event", event.as_ref().unchecked_ref());
    set(&object, "closed", closed.as_ref().unchecked_ref());
    let _ = Reflect::set(&object, &"label".into(), &label.into());
    let session = open_session(parent, &object);
    (
        session,
        Callbacks {
            _sizes: [hello, resize],
            _event: event,
            _closed: closed,
        },
    )
}

/// Keeps the Rust side of a session's hooks alive.
pub struct Callbacks {
    _sizes: [Closure<dyn Fn(u16, u16) -> String>; 2],
    _event: Closure<dyn Fn(String)>,
    _closed: Closure<dyn Fn()>,
}

fn set(object: &Object, name: &str, function: &Function) {
    let _ = Reflect::set(object, &JsValue::from_str(name), function);
}
