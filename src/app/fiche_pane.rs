//! The worksheet, as its author wrote it, with copy and open buttons on its code blocks.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ctx;
use crate::fiche;

#[component]
pub fn FichePane() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let blocks = StoredValue::new(fiche::code_blocks(fiche::FICHE_3));
    let html = Memo::new(move |_| fiche::render(fiche::FICHE_3, ctx.lang.get()));
    // One listener for every button of the rendered markdown.
    let on_click = move |event: web_sys::MouseEvent| {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Ok(Some(button)) = target.closest("[data-open]") {
            if let Some(path) = button.get_attribute("data-open") {
                ctx.show_path(&path);
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
    view! {
        <section class="pane fiche" aria-label=move || ctx.lang.get().t("pane.fiche")>
            <article class="markdown" inner_html=move || html.get() on:click=on_click></article>
        </section>
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
