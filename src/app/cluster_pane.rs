//! The pods of the namespace, live: the columns of `kubectl get pods`. Names stay on one line:
//! when the pane is narrow their middle gives way to an ellipsis, never the end that tells
//! pods apart; the full name shows when the name has the focus or the pointer.

use leptos::prelude::*;

use super::Ctx;
use crate::cluster::Link;

#[component]
pub fn ClusterPane() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let now = RwSignal::new(js_sys::Date::now());
    let ticker = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(1),
    );
    on_cleanup(move || {
        if let Ok(handle) = ticker {
            handle.clear();
        }
    });
    let link_state = move || match ctx.link.get() {
        Link::Live => ("live", "stream.live"),
        Link::Connecting => ("connecting", "stream.connecting"),
        Link::Retrying | Link::Unauthorised => ("retrying", "stream.retrying"),
    };
    view! {
        <h2>
            {move || lang.get().t("pods")}
            " "
            <span class=move || format!("link {}", link_state().0) role="status">
                {move || lang.get().t(link_state().1)}
            </span>
        </h2>
        {move || {
            let pods = ctx.pods.get();
            if pods.is_empty() {
                return view! { <p class="none">{lang.get().t("pods.none")}</p> }.into_any();
            }
            let l = lang.get();
            view! {
                <table class="pods" role="table">
                    <thead role="rowgroup"><tr role="row">
                        <th scope="col" role="columnheader" class="name">{l.t("col.name")}</th>
                        <th scope="col" role="columnheader">{l.t("col.ready")}</th>
                        <th scope="col" role="columnheader">{l.t("col.status")}</th>
                        <th scope="col" role="columnheader">{l.t("col.restarts")}</th>
                        <th scope="col" role="columnheader">{l.t("col.age")}</th>
                    </tr></thead>
                    <tbody role="rowgroup">
                        {pods.into_iter().map(|pod| {
                            let created = pod.created.clone();
                            let age = move || created.as_deref().map(|c| age(now.get() - js_sys::Date::parse(c))).unwrap_or_default();
                            let (stem, tail) = split_name(&pod.name);
                            view! {
                                <tr role="row" class=format!("pod status-{}", pod.status.to_lowercase()) data-pod=pod.name.clone()>
                                    <td role="cell" class="name">
                                        <span class="pod-name" tabindex="0" data-full=pod.name.clone()>
                                            <span class="stem">{stem}</span><span class="tail">{tail}</span>
                                        </span>
                                    </td>
                                    <td role="cell" class="ready" data-label=l.t("col.ready")>{format!("{}/{}", pod.ready, pod.containers)}</td>
                                    <td role="cell" class="status" data-label=l.t("col.status")>{pod.status.clone()}</td>
                                    <td role="cell" class="restarts" data-label=l.t("col.restarts")>{pod.restarts}</td>
                                    <td role="cell" class="age" data-label=l.t("col.age")>{age}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
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

/// An age as kubectl prints it: `42s`, `5m`, `3h`, `2d`.
pub fn age(millis: f64) -> String {
    let seconds = (millis / 1000.0).max(0.0) as u64;
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s if s < 172_800 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
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
