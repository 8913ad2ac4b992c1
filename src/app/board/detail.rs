//! One learner, read-only: their workspace files (monospace, numbered lines, no editing) and
//! their cluster objects grouped by kind with kubectl's columns. "Show to the room" puts it on
//! the projector full-screen, the learner a number and every Secret value of their files hidden.

use kubefiche_core::live::relations::SECTIONS;
use kubefiche_core::live::{LiveObject, unix_seconds};
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::wire::class::SeatDetail;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Board;
use super::cards::{pod_chips, progress_bars};
use crate::api;
use crate::app::Ctx;
use crate::app::cluster_pane::columns::{cells, human_duration};
use crate::class::hide::hide_secret_values;
use crate::i18n::Lang;

/// An object's kubectl columns on one line (`Running · 1/1 · 0 · 5m` for a pod).
pub fn status_line(object: &LiveObject, now: i64, lang: Lang) -> String {
    if let Some(pod) = object.pod() {
        let row = &pod.row;
        let mut parts = vec![
            row.status.clone(),
            format!("{} {}/{}", lang.t("col.ready"), row.ready, row.containers),
            format!("{} {}", lang.t("col.restarts"), row.restarts),
        ];
        if let Some(created) = row.created.as_deref().and_then(unix_seconds) {
            parts.push(format!(
                "{} {}",
                lang.t("col.age"),
                human_duration(now - created)
            ));
        }
        return parts.join(" · ");
    }
    cells(object, now, lang)
        .into_iter()
        .map(|c| format!("{} {}", lang.t(c.label), c.value))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The objects by kind, in the cluster pane's order of sections, each by name.
pub fn by_kind(objects: &[LiveObject]) -> Vec<(String, Vec<&LiveObject>)> {
    let rank = |kind: &str| {
        SECTIONS
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(SECTIONS.len())
    };
    let mut kinds: Vec<String> = objects.iter().map(|o| o.kind.clone()).collect();
    kinds.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let mut of: Vec<&LiveObject> = objects.iter().filter(|o| o.kind == kind).collect();
            of.sort_by(|a, b| a.name.cmp(&b.name));
            (kind, of)
        })
        .collect()
}

#[component]
pub fn SeatView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    // The selected learner as the board knows them: a change fetches the detail again.
    let selected = Memo::new(move |_| {
        let n = board.selected.get()?;
        board.state.with(|s| s.seat(n).cloned())
    });
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let Some(seat) = selected.get().map(|s| s.seat) else {
            board.detail.set(None);
            return;
        };
        let Some(token) = ctx.token.get_value() else {
            return;
        };
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        spawn_local(async move {
            let answer = api::class::seat(&token, seat).await;
            if generation.get_value() == mine && board.selected.get_untracked() == Some(seat) {
                board.detail.set(Some(answer.map_err(|f| f.message())));
            }
        });
    });
    // A learner just chosen: bring their detail into view.
    Effect::new(move |_| {
        if board.selected.get().is_some() {
            request_animation_frame(|| {
                if let Some(detail) = document().get_element_by_id("seat-detail") {
                    detail.scroll_into_view();
                }
            });
        }
    });
    let close = move |_| {
        board.room.set(false);
        board.selected.set(None);
    };
    let keys = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Escape" && board.room.get_untracked() {
            board.room.set(false);
        }
    };
    move || {
        let seat = selected.get()?;
        let number = seat.seat;
        let name = seat.name.clone();
        let namespace = seat.namespace.clone();
        Some(view! {
            <section id="seat-detail" class="seat-detail" data-seat=number
                aria-labelledby="seat-detail-title" on:keydown=keys>
                <header class="detail-head">
                    <h2 id="seat-detail-title">{move || board.name_of(number, &name, lang.get())}</h2>
                    {move || (!board.room.get()).then(|| view! { <code class="detail-namespace">{namespace.clone()}</code> })}
                    <button id="show-to-room" type="button" class="toggle"
                        aria-pressed=move || board.room.get().to_string()
                        on:click=move |_| board.room.update(|r| *r = !*r)>
                        {move || lang.get().t(if board.room.get() { "detail.room.leave" } else { "detail.room" })}
                    </button>
                    <button id="seat-detail-close" type="button" class="quiet" on:click=close>
                        {move || lang.get().t("detail.close")}
                    </button>
                </header>
                {progress_bars(&seat)}
                {pod_chips(seat.pods.clone())}
                {seat.failing.clone().map(|f| view! {
                    <p class="card-failing">{move || f.get(lang.get().code()).to_owned()}</p>
                })}
                {move || match board.detail.get() {
                    None => view! { <p class="none">{lang.get().t("detail.loading")}</p> }.into_any(),
                    Some(Err(why)) => view! {
                        <p class="board-notice" role="alert">{move || why.get(lang.get().code()).to_owned()}</p>
                    }.into_any(),
                    Some(Ok(detail)) => view! { <DetailBody detail/> }.into_any(),
                }}
            </section>
        })
    }
}

#[component]
fn DetailBody(detail: SeatDetail) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let files = detail.workspace;
    let objects = detail.objects;
    view! {
        <div class="detail-columns">
            <section class="detail-files" aria-labelledby="detail-files-title">
                <h3 id="detail-files-title">{move || lang.get().t("detail.files")}</h3>
                {files.into_iter().map(|file| view! { <FileView file/> }).collect_view()}
            </section>
            <section class="detail-objects" aria-labelledby="detail-objects-title">
                <h3 id="detail-objects-title">{move || lang.get().t("detail.objects")}</h3>
                {move || {
                    let now = (board.now.get() / 1000) as i64;
                    let lang = lang.get();
                    let groups = by_kind(&objects);
                    let empty = groups.is_empty().then(|| view! { <p class="none">{lang.t("objects.none")}</p> });
                    let groups = groups.into_iter().map(|(kind, of)| view! {
                        <h4 class="detail-kind">{kind.clone()}</h4>
                        <ul class="detail-kind-list" data-kind=kind>
                            {of.into_iter().map(|o| view! {
                                <li class="detail-object" data-name=o.name.clone()>
                                    <code class="object-name">{o.name.clone()}</code>
                                    " "<span class="object-status">{status_line(o, now, lang)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }).collect_view();
                    view! { {empty} {groups} }
                }}
            </section>
        </div>
    }
}

/// A workspace file, read-only, numbered; its Secret values hidden in the room view.
#[component]
fn FileView(file: SourceFile) -> impl IntoView {
    let board = expect_context::<Board>();
    let path = file.path.clone();
    let text = file.text;
    view! {
        <figure class="detail-file" data-path=file.path>
            <figcaption><code>{path}</code></figcaption>
            {move || {
                let shown = if board.room.get() { hide_secret_values(&text) } else { text.clone() };
                view! {
                    <ol class="code-lines">
                        {shown.lines().map(|line| view! { <li><code>{line.to_owned()}</code></li> }).collect_view()}
                    </ol>
                }
            }}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use kubefiche_core::live::Facts;

    use super::*;

    fn object(kind: &str, name: &str) -> LiveObject {
        LiveObject {
            kind: kind.into(),
            name: name.into(),
            uid: format!("{kind}-{name}"),
            created: None,
            deleting: false,
            labels: vec![],
            owner: None,
            facts: Facts::ConfigMap {
                keys: vec!["a".into()],
            },
            object: serde_json::Value::Null,
        }
    }

    #[test]
    fn objects_are_grouped_by_kind_in_the_panes_order() {
        let objects = [
            object("ConfigMap", "b"),
            object("Deployment", "web"),
            object("ConfigMap", "a"),
        ];
        let groups = by_kind(&objects);
        let names: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(k, of)| (k.as_str(), of.iter().map(|o| o.name.as_str()).collect()))
            .collect();
        assert_eq!(
            names,
            [("Deployment", vec!["web"]), ("ConfigMap", vec!["a", "b"])]
        );
    }

    #[test]
    fn a_config_map_says_how_many_keys_it_has() {
        assert_eq!(
            status_line(&object("ConfigMap", "a"), 0, Lang::En),
            "Data 1"
        );
    }
}
