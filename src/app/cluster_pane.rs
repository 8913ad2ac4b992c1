//! The pods of the namespace, live: the columns of `kubectl get pods`.

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
    let link = move || {
        let (class, key) = match ctx.link.get() {
            Link::Live => ("live", "stream.live"),
            Link::Connecting => ("connecting", "stream.connecting"),
            Link::Retrying | Link::Unauthorised => ("retrying", "stream.retrying"),
        };
        view! { <span class=format!("link {class}") role="status">{lang.get().t(key)}</span> }
    };
    view! {
        <section class="pane cluster" aria-label=move || lang.get().t("pane.cluster")>
            <h2>{move || lang.get().t("pods")} " " {link}</h2>
            {move || {
                let pods = ctx.pods.get();
                if pods.is_empty() {
                    return view! { <p class="none">{lang.get().t("pods.none")}</p> }.into_any();
                }
                let l = lang.get();
                view! {
                    <table class="pods">
                        <thead><tr>
                            <th scope="col">{l.t("col.name")}</th>
                            <th scope="col">{l.t("col.ready")}</th>
                            <th scope="col">{l.t("col.status")}</th>
                            <th scope="col">{l.t("col.restarts")}</th>
                            <th scope="col">{l.t("col.age")}</th>
                        </tr></thead>
                        <tbody>
                            {pods.into_iter().map(|pod| {
                                let created = pod.created.clone();
                                let age = move || created.as_deref().map(|c| age(now.get() - js_sys::Date::parse(c))).unwrap_or_default();
                                view! {
                                    <tr class=format!("pod status-{}", pod.status.to_lowercase()) data-pod=pod.name.clone()>
                                        <td class="name">{pod.name.clone()}</td>
                                        <td>{format!("{}/{}", pod.ready, pod.containers)}</td>
                                        <td class="status">{pod.status.clone()}</td>
                                        <td>{pod.restarts}</td>
                                        <td>{age}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
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
    fn ages_read_like_kubectl() {
        assert_eq!(super::age(5_000.0), "5s");
        assert_eq!(super::age(600_000.0), "10m");
        assert_eq!(super::age(-3.0), "0s");
        assert_eq!(super::age(3.0 * 86_400_000.0), "3d");
    }
}
