//! Every object of the namespace in sections (Deployments, CronJobs, Jobs, … Secrets), each
//! under its owner: a Deployment's ReplicaSets and their pods, a CronJob's Jobs and theirs. A row
//! shows kubectl's columns for its kind and the objects it is related to, as links.

use kubefiche_core::live::ObjectKey;
use kubefiche_core::live::relations::SECTIONS;
use leptos::prelude::*;

use super::columns::cells;
use super::details::Details;
use super::explanations::Badge;
use super::pods::PodTable;
use super::{Pane, dom_id};
use crate::app::Ctx;

/// The title of a section.
fn section_key(kind: &str) -> &'static str {
    match kind {
        "Deployment" => "section.deployments",
        "CronJob" => "section.cronjobs",
        "Job" => "section.jobs",
        "ReplicaSet" => "section.replicasets",
        "Pod" => "section.pods",
        "Service" => "section.services",
        "PersistentVolumeClaim" => "section.claims",
        "ConfigMap" => "section.configmaps",
        _ => "section.secrets",
    }
}

/// The word kubectl takes for a kind (`deployment`, `persistentvolumeclaim`).
pub fn kind_word(kind: &str) -> String {
    kind.to_lowercase()
}

#[component]
pub fn Objects() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let empty = move || pane.tree.with(Vec::is_empty);
    view! {
        {move || empty().then(|| view! { <p class="none">{lang.get().t("objects.none")}</p> })}
        {SECTIONS.iter().map(|kind| view! { <Section kind/> }).collect_view()}
    }
}

#[component]
fn Section(kind: &'static str) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let tops = Memo::new(move |_| {
        pane.tree.with(|t| {
            t.iter()
                .filter(|n| n.key.kind == kind)
                .map(|n| n.key.name.clone())
                .collect::<Vec<_>>()
        })
    });
    let heading = format!("section-{}", kind.to_lowercase());
    move || {
        if tops.with(Vec::is_empty) {
            return ().into_any();
        }
        let list = if kind == "Pod" {
            view! { <PodTable names=tops/> }.into_any()
        } else {
            view! {
                <ul class="objects">
                    <For each=move || tops.get() key=|name| name.clone() let:name>
                        <ObjectItem key=ObjectKey::new(kind, name)/>
                    </For>
                </ul>
            }
            .into_any()
        };
        view! {
            <section class="kind-section" data-kind=kind aria-labelledby=heading.clone()>
                <h3 id=heading.clone()>
                    {move || lang.get().t(section_key(kind))}
                    <span class="section-count">{move || format!(" ({})", tops.with(Vec::len))}</span>
                </h3>
                {list}
            </section>
        }
        .into_any()
    }
}

/// One object, its row, its related objects, its details when open, and what it owns.
#[component]
pub fn ObjectItem(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let object = {
        let key = key.clone();
        Memo::new(move |_| ctx.live.with(|l| l.get(&key.kind, &key.name).cloned()))
    };
    let owned = {
        let key = key.clone();
        Memo::new(move |_| {
            pane.children
                .with(|m| m.get(&key).cloned().unwrap_or_default())
        })
    };
    let pods = Memo::new(move |_| {
        owned.with(|o| {
            o.iter()
                .filter(|k| k.kind == "Pod")
                .map(|k| k.name.clone())
                .collect::<Vec<_>>()
        })
    });
    let others = Memo::new(move |_| {
        owned.with(|o| {
            o.iter()
                .filter(|k| k.kind != "Pod")
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let folded = {
        let key = key.clone();
        Memo::new(move |_| pane.folded.with(|f| f.is_folded(&key)))
    };
    let open = {
        let key = key.clone();
        Memo::new(move |_| pane.selected.with(|s| s.as_ref() == Some(&key)))
    };
    let word = kind_word(&key.kind);
    let label = format!("{word}/{}", key.name);
    let owned_id = format!("owned-{}", dom_id(&key));
    let fold = {
        let (key, label, owned_id) = (key.clone(), label.clone(), owned_id.clone());
        move || {
            owned.with(|o| !o.is_empty()).then(|| {
                let key = key.clone();
                let label = label.clone();
                view! {
                    <button
                        type="button"
                        class="fold"
                        aria-expanded=move || (!folded.get()).to_string()
                        aria-controls=owned_id.clone()
                        aria-label=move || format!("{} {label}", lang.get().t("fold.label"))
                        on:click=move |_| pane.folded.update(|f| f.toggle(&key))
                    >
                        <span aria-hidden="true">{move || if folded.get() { "▸" } else { "▾" }}</span>
                    </button>
                }
            })
        }
    };
    let row = move || {
        let lang = lang.get();
        let now = pane.now_unix();
        object
            .with(|o| o.as_ref().map(|o| cells(o, now, lang)).unwrap_or_default())
            .into_iter()
            .map(|c| {
                let class = format!("fact {}", c.class.unwrap_or_default());
                view! {
                    <div class=class><dt>{lang.t(c.label)}</dt><dd>{c.value}</dd></div>
                }
            })
            .collect_view()
    };
    let toggle = {
        let key = key.clone();
        move |_| pane.toggle_details(&key)
    };
    let (details_key, related_key, badge_key) = (key.clone(), key.clone(), key.clone());
    view! {
        <li class=format!("object kind-{word}") data-kind=key.kind.clone() data-name=key.name.clone()>
            <div class="object-head">
                {fold}
                <button
                    type="button"
                    class="object-name"
                    id=dom_id(&key)
                    aria-expanded=move || open.get().to_string()
                    on:click=toggle
                >
                    <span class="kind-word">{format!("{word}/")}</span>{key.name.clone()}
                </button>
                <Badge key=badge_key/>
                <dl class="facts">{row}</dl>
            </div>
            <super::details::Related key=related_key/>
            {move || open.get().then(|| view! { <Details key=details_key.clone()/> })}
            <div class="owned" id=owned_id>
                {move || (!folded.get()).then(|| view! {
                    {move || (!others.with(Vec::is_empty)).then(|| view! {
                        <ul class="objects">
                            <For each=move || others.get() key=|k| k.clone() let:child>
                                {view! { <ObjectItem key=child/> }.into_any()}
                            </For>
                        </ul>
                    })}
                    {move || (!pods.with(Vec::is_empty)).then(|| view! { <PodTable names=pods/> })}
                })}
            </div>
        </li>
    }
}
