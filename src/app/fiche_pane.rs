//! The worksheet, as its author wrote it, with copy and open buttons on its code blocks and
//! Run buttons on its command lines (`commands`). Wide code blocks and tables scroll sideways
//! inside their own box, reachable by keyboard.

use leptos::html::Article;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ctx;
use super::checking::{self, Inserted, ProgressHeader};
use super::commands::{self, BlockState};
use super::course_bar::{self, CourseBar};
use super::layout::{Layout, PaneId};
use crate::fiche;
use crate::i18n::Lang;

#[component]
pub fn FichePane() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let layout = expect_context::<Layout>();
    let article = NodeRef::<Article>::new();
    let markdown = ctx.sheet.with_value(|s| s.markdown.clone());
    let blocks = StoredValue::new(fiche::code_blocks(&markdown));
    let fragments = StoredValue::new(fiche::fragments(&markdown));
    let html = Memo::new(move |_| {
        ctx.sheet
            .with_value(|s| fiche::render(&s.markdown, ctx.lang.get()))
    });
    // The command blocks keep their pickers and output across renders; their views are mounted
    // into the rendered HTML each time it changes (under this pane's owner, for the context).
    let command_blocks: Vec<BlockState> = fiche::command_blocks(&markdown)
        .into_iter()
        .map(BlockState::new)
        .collect();
    let command_blocks = StoredValue::new(command_blocks);
    let owner = Owner::current().unwrap_or_default();
    let mounted = StoredValue::new_local(Vec::<Box<dyn std::any::Any>>::new());
    Effect::new(move |_| {
        let html = html.get();
        let Some(article) = article.get() else {
            return;
        };
        mounted.set_value(Vec::new());
        article.set_inner_html(&html);
        let mut handles =
            command_blocks.with_value(|blocks| commands::mount(&article, blocks, &owner));
        handles.extend(checking::mount(&article, &owner));
        mounted.set_value(handles);
    });
    // Leaving the page (or this pane going) stops every command still streaming.
    on_cleanup(move || {
        command_blocks.try_with_value(|blocks| blocks.iter().for_each(|b| b.runs.stop_all()));
    });
    // One listener for every button of the rendered markdown.
    let on_click = move |event: web_sys::MouseEvent| {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Ok(Some(button)) = target.closest("[data-open]") {
            if let Some(path) = button.get_attribute("data-open")
                && ctx.show_path(&path)
            {
                layout.reveal(PaneId::Workspace);
                // Once the manifests are on screen, straight into the editor.
                request_animation_frame(focus_editor);
            }
        } else if let Ok(Some(button)) = target.closest("[data-insert]") {
            let index: usize = button
                .get_attribute("data-insert")
                .and_then(|i| i.parse().ok())
                .unwrap_or(usize::MAX);
            let fragment = fragments.with_value(|f| f.iter().find(|f| f.index == index).cloned());
            if let Some(fragment) = fragment {
                layout.reveal(PaneId::Workspace);
                let outcome = checking::insert(ctx, &fragment);
                tell_inserted(&button, &outcome, ctx.lang.get_untracked());
            }
        } else if let Ok(Some(button)) = target.closest("[data-copy]") {
            let index: usize = button
                .get_attribute("data-copy")
                .and_then(|i| i.parse().ok())
                .unwrap_or(usize::MAX);
            if let Some(text) = blocks.with_value(|b| b.get(index).cloned()) {
                copy(&button, &text, ctx);
            }
        }
    };
    // After every render and every change of width, give each box that scrolls sideways a
    // place in the tab order (and take it back from those that no longer scroll).
    Effect::new(move |_| {
        html.track();
        layout.width.track();
        layout.choices.track();
        layout.mode.track();
        layout.projector.track();
        request_animation_frame(move || {
            if let Some(article) = article.get_untracked() {
                scrollable_blocks(&article);
            }
        });
    });
    view! {
        <CourseBar/>
        <ProgressHeader/>
        <article
            class="markdown"
            node_ref=article
            on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
            on:drop=move |event: web_sys::DragEvent| {
                course_bar::on_drop(ctx, &event);
            }
            on:click=on_click
            on:keydown=move |event| {
                command_blocks.with_value(|blocks| commands::interrupt(&event, blocks));
            }
        ></article>
    }
}

/// Say beside the Insert button what became of the fragment (where it went, or why not).
fn tell_inserted(button: &web_sys::Element, outcome: &Inserted, lang: Lang) {
    let text = match outcome {
        Inserted::At {
            first,
            last,
            added,
            differing,
        } => {
            let mut text = format!(
                "{} {} {first}–{last}",
                lang.t("insert.done"),
                lang.t("insert.lines")
            );
            if !added.is_empty() {
                text.push_str(&format!(" ({})", added.join(", ")));
            }
            if !differing.is_empty() {
                text.push_str(&format!(
                    " · {}: {}",
                    differing.join(", "),
                    lang.t("insert.differs")
                ));
            }
            text
        }
        Inserted::Already => lang.t("insert.already").to_owned(),
        Inserted::Differs(names) => format!(
            "{} {}: {}",
            lang.t("insert.already"),
            names.join(", "),
            lang.t("insert.differs")
        ),
        Inserted::Refused(why) => why.get(lang.code()).to_owned(),
    };
    let Some(caption) = button.parent_element() else {
        return;
    };
    let note = match caption.query_selector(".insert-note").ok().flatten() {
        Some(note) => note,
        None => {
            let Ok(note) = document().create_element("output") else {
                return;
            };
            note.set_class_name("insert-note");
            let _ = caption.append_child(&note);
            note
        }
    };
    note.set_text_content(Some(&text));
}

fn focus_editor() {
    let editor = document()
        .query_selector(".cm-content")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(editor) = editor {
        let _ = editor.focus();
    }
}

/// Wrap tables in a box of their own, and make each code block or table box focusable when,
/// and only when, its content is wider than it.
fn scrollable_blocks(article: &web_sys::Element) {
    let document = document();
    let tables = article.get_elements_by_tag_name("table");
    let tables: Vec<web_sys::Element> = (0..tables.length())
        .filter_map(|i| tables.item(i))
        .collect();
    for table in tables {
        let wrapped = table
            .parent_element()
            .is_some_and(|p| p.class_list().contains("table-scroll"));
        if wrapped {
            continue;
        }
        let (Some(parent), Ok(wrapper)) = (table.parent_node(), document.create_element("div"))
        else {
            continue;
        };
        wrapper.set_class_name("table-scroll");
        let _ = parent.insert_before(&wrapper, Some(&table));
        let _ = wrapper.append_child(&table);
    }
    for name in ["pre", "div"] {
        let found = article.get_elements_by_tag_name(name);
        for element in (0..found.length()).filter_map(|i| found.item(i)) {
            if name == "div" && !element.class_list().contains("table-scroll") {
                continue;
            }
            if element.scroll_width() > element.client_width() + 1 {
                let _ = element.set_attribute("tabindex", "0");
            } else {
                let _ = element.remove_attribute("tabindex");
            }
        }
    }
}

fn copy(button: &web_sys::Element, text: &str, ctx: Ctx) {
    let clipboard = window().navigator().clipboard();
    let _ = clipboard.write_text(text);
    let done = ctx.lang.get_untracked().t("copied");
    let before = button.text_content().unwrap_or_default();
    button.set_text_content(Some(done));
    let button = button.clone();
    set_timeout(
        move || button.set_text_content(Some(&before)),
        std::time::Duration::from_millis(1500),
    );
}
