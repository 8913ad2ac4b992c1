//! An object's details, opened from its name: the workspace file that defines it, what is wrong
//! and how to fix it, the actions it offers, and its events. Beside every row, the objects it
//! is related to (`Related`), each a link to that object's row.

use kubefiche_core::live::ObjectKey;
use leptos::prelude::*;

use super::actions::Actions;
use super::events::ObjectEvents;
use super::explanations::Explained;
use super::objects::kind_word;
use super::related::{Note, Rel, keys, related};
use super::{Pane, open_at};
use crate::app::Ctx;

#[component]
pub fn Details(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let label = format!("{}/{}", kind_word(&key.kind), key.name);
    let defined = {
        let key = key.clone();
        move || {
            pane.defined.with(|d| d.get(&key).cloned()).map(|(file, line)| {
                let shown = format!("{file}:{line}");
                view! {
                    <p class="defined">
                        {move || lang.get().t("details.defined")}" "
                        <button type="button" class="file-link" on:click=move |_| open_at(ctx, &file, line)>
                            {shown.clone()}
                        </button>
                    </p>
                }
            })
        }
    };
    let pod = key.kind == "Pod";
    view! {
        <div class="details" role="region" aria-label=move || format!("{} {label}", lang.get().t("details.of"))>
            {defined}
            <Explained key=key.clone()/>
            {pod.then(|| view! { <Related key=key.clone()/> })}
            <Actions key=key.clone()/>
            <ObjectEvents key=key/>
        </div>
    }
}

/// The related objects of `key` as links, and a ConfigMap's or Secret's keys.
#[component]
pub fn Related(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let found = {
        let key = key.clone();
        Memo::new(move |_| {
            ctx.live.with(|live| {
                live.get(&key.kind, &key.name)
                    .map(|o| (related(live, o), keys(o).map(<[String]>::to_vec)))
                    .unwrap_or_default()
            })
        })
    };
    move || {
        let (relations, keys) = found.get();
        if relations.is_empty() && keys.is_none() {
            return ().into_any();
        }
        let lang = lang.get();
        let keys = keys.map(|keys| {
            let list = if keys.is_empty() {
                view! { <span class="none">{lang.t("keys.none")}</span> }.into_any()
            } else {
                keys.into_iter()
                    .map(|k| view! { <code class="key">{k}</code>" " })
                    .collect_view()
                    .into_any()
            };
            view! { <li class="keys"><span class="rel-label">{lang.t("rel.keys")}</span>" "{list}</li> }
        });
        view! {
            <ul class="related">
                {keys}
                {relations.into_iter().map(|r| view! {
                    <li class=format!("relation {}", r.label.replace('.', "-"))>
                        <span class="rel-label">{lang.t(r.label)}</span>" "
                        {r.links.into_iter().map(link).collect_view()}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// A link to a related object (plain text, marked missing, when it is not in the namespace).
fn link(rel: Rel) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang.get_untracked();
    let text = format!("{}/{}", kind_word(&rel.key.kind), rel.key.name);
    let state = match &rel.note {
        Some(Note::Label("rel.ready")) => "ready",
        Some(Note::Label("rel.not.ready")) => "not-ready",
        _ => "",
    };
    let note = rel.note.map(|n| match n {
        Note::Label(key) => lang.t(key).to_owned(),
        Note::Plain(text) => text,
    });
    let target = rel.key.clone();
    let data_target = text.clone();
    let body = if rel.exists {
        view! {
            <button
                type="button"
                class="rel"
                data-target=data_target
                on:click=move |_| pane.reveal(ctx, target.clone())
            >
                {text}
            </button>
        }
        .into_any()
    } else {
        view! { <span class="rel missing">{text}" ("{lang.t("rel.missing")}")"</span> }.into_any()
    };
    let mark = match state {
        "ready" => Some("✓ "),
        "not-ready" => Some("✗ "),
        _ => None,
    };
    view! {
        <span class=format!("rel-item {state}")>
            {body}
            {note.map(|n| view! { <span class="rel-note">" ("{mark.map(|m| view! { <span aria-hidden="true">{m}</span> })}{n}")"</span> })}
        </span>
        " "
    }
}
