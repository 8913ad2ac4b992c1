//! The console: a `kubectl` prompt docked under the panes. Enter runs the line through the same
//! runner as the worksheet's buttons; ↑/↓ walk the history (kept per worksheet); Tab completes
//! verbs, kinds and the names of live objects (Escape then Tab leaves, as in the editor);
//! Ctrl+C stops a running stream; Ctrl+L clears.

mod completion;
mod history;

use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ctx;
use super::commands::candidates::live_pairs;
use super::commands::selecting;
use super::runner::Runs;
use super::runner::view::Output;
use crate::workspace;
pub use completion::command_line;
use history::History;

/// Whether the console is open, and what it ran.
#[derive(Clone, Copy)]
pub struct Console {
    pub open: RwSignal<bool>,
    pub runs: Runs,
    history: StoredValue<History>,
}

impl Console {
    pub fn start() -> Self {
        let open = RwSignal::new(workspace::setting("console").as_deref() == Some("open"));
        Effect::new(move |_| {
            workspace::set_setting("console", if open.get() { "open" } else { "closed" });
        });
        Self {
            open,
            runs: Runs::new(),
            history: StoredValue::new(History::new(workspace::history(
                &expect_context::<Ctx>().sheet_id(),
            ))),
        }
    }

    /// Open or close it; opened, the prompt takes the focus.
    pub fn toggle(&self) {
        let now = !self.open.get_untracked();
        self.open.set(now);
        if now {
            request_animation_frame(focus_prompt);
        }
    }
}

fn focus_prompt() {
    if let Some(input) = document()
        .get_element_by_id("console-input")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}

#[component]
pub fn ConsoleDock() -> impl IntoView {
    let console = expect_context::<Console>();
    move || console.open.get().then(|| view! { <ConsoleView/> })
}

#[component]
fn ConsoleView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let console = expect_context::<Console>();
    let lang = ctx.lang;
    let runs = console.runs;
    let input = NodeRef::<Input>::new();
    let shown = RwSignal::new(Vec::<String>::new());
    // Escape was the last key: the next Tab leaves the prompt instead of completing.
    let escaped = StoredValue::new(false);
    let set_text = move |text: &str, cursor: usize| {
        if let Some(el) = input.get_untracked() {
            el.set_value(text);
            let at = text[..cursor.min(text.len())].encode_utf16().count() as u32;
            let _ = el.set_selection_range(at, at);
        }
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let key = event.key();
        let was_escaped = escaped.get_value();
        escaped.set_value(key == "Escape");
        let typed = el.value();
        match key.as_str() {
            "Enter" => {
                event.prevent_default();
                shown.set(Vec::new());
                if typed.trim().is_empty() {
                    return;
                }
                console.history.update_value(|h| {
                    h.push(&typed);
                    workspace::save_history(&ctx.sheet_id(), h.lines());
                });
                el.set_value("");
                runs.start(ctx, command_line(&typed));
            }
            "ArrowUp" | "ArrowDown" => {
                event.prevent_default();
                let found = console.history.try_update_value(|h| {
                    if key == "ArrowUp" {
                        h.up(&typed)
                    } else {
                        h.down()
                    }
                });
                if let Some(Some(line)) = found {
                    set_text(&line, line.len());
                }
            }
            "Tab" if !event.shift_key() && !was_escaped && !typed.trim().is_empty() => {
                event.prevent_default();
                let cursor = el
                    .selection_start()
                    .ok()
                    .flatten()
                    .map_or(typed.len(), |u| utf16_to_byte(&typed, u as usize));
                let files: Vec<String> = ctx
                    .files
                    .with_value(|f| f.iter().map(|f| f.path.clone()).collect());
                let live = ctx.pods.with_untracked(|p| {
                    ctx.cluster_facts
                        .with_untracked(|f| live_pairs(p, &f.objects, &files))
                });
                match completion::tab(&typed, cursor, &live) {
                    Some(done) => {
                        set_text(&done.text, done.cursor);
                        shown.set(done.shown);
                    }
                    None => shown.set(Vec::new()),
                }
            }
            "c" | "C" if event.ctrl_key() => {
                let selected = el
                    .selection_start()
                    .ok()
                    .flatten()
                    .zip(el.selection_end().ok().flatten())
                    .is_some_and(|(a, b)| a != b);
                if runs.busy() {
                    event.prevent_default();
                    runs.stop_all();
                } else if !selected && !selecting() {
                    event.prevent_default();
                    el.set_value("");
                    shown.set(Vec::new());
                }
            }
            "l" | "L" if event.ctrl_key() => {
                event.prevent_default();
                runs.clear_finished();
                shown.set(Vec::new());
            }
            _ => {}
        }
    };
    let output_label = Signal::derive(move || lang.get().t("run.output").to_owned());
    view! {
        <section id="console" class="console" aria-label=move || lang.get().t("console")>
            <div class="console-head">
                <h2>{move || lang.get().t("console")}</h2>
                {move || runs.busy().then(|| view! {
                    <button type="button" on:click=move |_| runs.stop_all()>{move || lang.get().t("run.stop")}</button>
                })}
                <button type="button" class="quiet" on:click=move |_| runs.clear()>{move || lang.get().t("run.clear")}</button>
                <button
                    type="button"
                    class="quiet"
                    on:click=move |_| {
                        console.open.set(false);
                        request_animation_frame(focus_toggle);
                    }
                >{move || lang.get().t("console.close")}</button>
            </div>
            <Output runs label=output_label/>
            <div class="console-prompt">
                <label for="console-input" class="prompt-label">
                    <span aria-hidden="true">"$ "</span>"kubectl"
                    <span class="visually-hidden">{move || format!(" — {}", lang.get().t("console.label"))}</span>
                </label>
                <input
                    id="console-input"
                    node_ref=input
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    aria-describedby="console-keys"
                    on:keydown=on_key
                    on:input=move |_| shown.set(Vec::new())
                />
            </div>
            {move || {
                let options = shown.get();
                (!options.is_empty()).then(|| view! {
                    <p class="completions">
                        <span class="visually-hidden">{lang.get().t("console.options")}{lang.get().t("colon")}" "</span>
                        {options.join("  ")}
                    </p>
                })
            }}
            <p class="hint" id="console-keys">{move || lang.get().t("console.keys")}</p>
        </section>
    }
}

fn focus_toggle() {
    if let Some(button) = document()
        .query_selector(".console-toggle")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

/// A position in UTF-16 code units (what the browser counts) as a byte offset in `text`.
fn utf16_to_byte(text: &str, units: usize) -> usize {
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if count >= units {
            return i;
        }
        count += c.len_utf16();
    }
    text.len()
}
