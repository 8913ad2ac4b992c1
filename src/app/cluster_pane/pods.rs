//! Pods as `kubectl get pods` lists them, in a table under their owner (or in the section of
//! pods without one). A row keeps the hooks the tests and styles rely on: `tr.pod[data-pod]`,
//! `.status`, a `status-*` class and the name in two parts.

use kubefiche_core::live::ObjectKey;
use leptos::prelude::*;

use super::details::Details;
use super::explanations::Badge;
use super::{Pane, dom_id};
use crate::app::Ctx;

/// The pods named by `names`, one row each (keyed by name: a change redraws one row).
#[component]
pub fn PodTable(#[prop(into)] names: Signal<Vec<String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    view! {
        <table class="pods" role="table">
            <thead role="rowgroup"><tr role="row">
                <th scope="col" role="columnheader" class="name">{move || lang.get().t("col.name")}</th>
                <th scope="col" role="columnheader">{move || lang.get().t("col.ready")}</th>
                <th scope="col" role="columnheader">{move || lang.get().t("col.status")}</th>
                <th scope="col" role="columnheader">{move || lang.get().t("col.restarts")}</th>
                <th scope="col" role="columnheader">{move || lang.get().t("col.age")}</th>
            </tr></thead>
            <tbody role="rowgroup">
                <For each=move || names.get() key=|name| name.clone() let:name>
                    <PodRow name/>
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn PodRow(name: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let key = ObjectKey::new("Pod", &name);
    let row = {
        let name = name.clone();
        Memo::new(move |_| {
            ctx.live.with(|l| {
                l.get("Pod", &name)
                    .and_then(|o| o.pod())
                    .map(|p| p.row.clone())
            })
        })
    };
    let open = {
        let key = key.clone();
        Memo::new(move |_| pane.selected.with(|s| s.as_ref() == Some(&key)))
    };
    let (stem, tail) = split_name(&name);
    let age = move || {
        row.with(|r| r.as_ref().and_then(|r| r.created.clone()))
            .map(|c| age(pane.now.get() - js_sys::Date::parse(&c)))
            .unwrap_or_default()
    };
    let field = move |f: fn(&kubefiche_core::wire::PodRow) -> String| {
        move || row.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let status = field(|r| r.status.clone());
    let toggle = {
        let key = key.clone();
        move |_| pane.toggle_details(&key)
    };
    let details_key = key.clone();
    view! {
        <tr role="row" class=move || format!("pod status-{}", status().to_lowercase()) data-pod=name.clone()>
            <td role="cell" class="name">
                <span class="name-line">
                    <button
                        type="button"
                        class="pod-name"
                        id=dom_id(&key)
                        data-full=name.clone()
                        aria-expanded=move || open.get().to_string()
                        on:click=toggle
                    >
                        <span class="stem">{stem}</span><span class="tail">{tail}</span>
                    </button>
                    <Badge key=key.clone()/>
                </span>
            </td>
            <td role="cell" class="ready" data-label=move || lang.get().t("col.ready")>
                {field(|r| format!("{}/{}", r.ready, r.containers))}
            </td>
            <td role="cell" class="status" data-label=move || lang.get().t("col.status")>{status}</td>
            <td role="cell" class="restarts" data-label=move || lang.get().t("col.restarts")>
                {field(|r| r.restarts.to_string())}
            </td>
            <td role="cell" class="age" data-label=move || lang.get().t("col.age")>{age}</td>
        </tr>
        {move || open.get().then(|| view! {
            <tr role="row" class="pod-details">
                <td role="cell" colspan="5"><Details key=details_key.clone()/></td>
            </tr>
        })}
    }
}

/// A pod's name in two parts: what may be shortened with an ellipsis, and the end that tells
/// pods of one owner apart, always shown (`web-7d9f8-`, `x2k9p`).
pub fn split_name(name: &str) -> (String, String) {
    match name.rfind('-') {
        Some(i) if i + 1 < name.len() => (name[..=i].to_owned(), name[i + 1..].to_owned()),
        _ => (String::new(), name.to_owned()),
    }
}

/// An age as kubectl prints it: `42s`, `3m20s`, `5h`, `2d`.
pub fn age(millis: f64) -> String {
    super::columns::human_duration((millis / 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_end_of_a_name_is_kept_whole() {
        assert_eq!(
            super::split_name("mcp-server-5d8c7b9f4-x2k9p"),
            ("mcp-server-5d8c7b9f4-".to_owned(), "x2k9p".to_owned())
        );
        assert_eq!(
            super::split_name("postgres"),
            (String::new(), "postgres".to_owned())
        );
        assert_eq!(
            super::split_name("odd-"),
            (String::new(), "odd-".to_owned())
        );
    }

    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(super::age(5_000.0), "5s");
        assert_eq!(super::age(600_000.0), "10m");
        assert_eq!(super::age(-3.0), "0s");
        assert_eq!(super::age(3.0 * 86_400_000.0), "3d");
    }
}
