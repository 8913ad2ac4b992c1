//! A placeholder's picker: a text field the learner may type in, with the live objects that
//! fit it as suggestions, the newest first; until the learner types, the newest fits.

use leptos::prelude::*;

use super::BlockState;
use super::candidates::candidates;
use crate::app::Ctx;

#[component]
pub fn Pickers(block: BlockState) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tokens = block.model.with_value(|m| m.placeholders());
    if tokens.is_empty() {
        return ().into_any();
    }
    let index = block.index();
    view! {
        <div class="pickers">
            {tokens.into_iter().enumerate().map(|(i, token)| {
                let id = format!("pick-{index}-{i}");
                let list = format!("{id}-list");
                let name = token.name.clone();
                let kind = token.kind.clone();
                let value = {
                    let name = name.clone();
                    move || block.value(ctx, &name).unwrap_or_default()
                };
                let options = move || {
                    ctx.pods.with(|pods| ctx.cluster_facts.with(|facts| {
                        candidates(&token.kind, &token.labels, pods, &facts.objects)
                    }))
                };
                let on_input = {
                    let name = name.clone();
                    move |event: web_sys::Event| block.set_typed(&name, event_target_value(&event))
                };
                view! {
                    <div class="picker">
                        <label for=id.clone()><code>{format!("<{name}>")}</code></label>
                        <input
                            id=id
                            type="text"
                            list=list.clone()
                            placeholder=kind
                            autocomplete="off"
                            spellcheck="false"
                            prop:value=value
                            on:input=on_input
                        />
                        <datalist id=list>
                            {move || options().into_iter().map(|o| view! { <option value=o></option> }).collect_view()}
                        </datalist>
                    </div>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}
