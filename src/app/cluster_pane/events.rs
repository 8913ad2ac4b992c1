//! Events as `kubectl events` lists them, newest first, Warnings marked by an icon and a word
//! (not colour alone), with their count and age: an object's own in its details, and the whole
//! namespace's in a feed that can keep the warnings only.

use kubefiche_core::live::{EventRow, ObjectKey};
use leptos::prelude::*;

use super::Pane;
use super::columns::{human_duration, unix};
use super::objects::kind_word;
use crate::app::Ctx;
use crate::i18n::Lang;

/// How many times it happened, when more than once: `×4`.
pub fn count_text(count: u32) -> Option<String> {
    (count > 1).then(|| format!("×{count}"))
}

/// How long ago it was last seen, at `now` (Unix seconds).
pub fn event_age(event: &EventRow, now: i64) -> String {
    event
        .last
        .as_deref()
        .and_then(unix)
        .map(|t| human_duration(now - t))
        .unwrap_or_default()
}

/// The events about `key`.
#[component]
pub fn ObjectEvents(key: ObjectKey) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let events = Memo::new(move |_| {
        ctx.live.with(|l| {
            l.events(Some(&key))
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="object-events">
            <h4>{move || lang.get().t("cluster.events")}</h4>
            {move || if events.with(Vec::is_empty) {
                view! { <p class="none">{lang.get().t("events.none")}</p> }.into_any()
            } else {
                view! { <EventList events=events show_object=false/> }.into_any()
            }}
        </section>
    }
}

/// The namespace's events; a checkbox keeps the warnings only.
#[component]
pub fn Feed() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let warnings_only = RwSignal::new(false);
    let events = Memo::new(move |_| {
        let only = warnings_only.get();
        ctx.live.with(|l| {
            l.events(None)
                .into_iter()
                .filter(|e| !only || e.warning)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="feed" aria-labelledby="feed-title">
            <h3 id="feed-title">{move || lang.get().t("events.feed")}</h3>
            <label class="only-warnings">
                <input
                    type="checkbox"
                    prop:checked=move || warnings_only.get()
                    on:change=move |ev| warnings_only.set(event_target_checked(&ev))
                />
                " "{move || lang.get().t("events.only.warnings")}
            </label>
            {move || if events.with(Vec::is_empty) {
                view! { <p class="none">{lang.get().t("events.none")}</p> }.into_any()
            } else {
                view! { <EventList events=events show_object=true/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn EventList(#[prop(into)] events: Signal<Vec<EventRow>>, show_object: bool) -> impl IntoView {
    view! {
        <ul class="events">
            <For each=move || events.get() key=|e| (e.uid.clone(), e.count, e.last.clone()) let:event>
                <EventItem event show_object/>
            </For>
        </ul>
    }
}

#[component]
fn EventItem(event: EventRow, show_object: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let pane = expect_context::<Pane>();
    let lang = ctx.lang;
    let kind = if event.warning { "warning" } else { "normal" };
    let age = {
        let event = event.clone();
        move || event_age(&event, pane.now_unix())
    };
    let object = show_object.then(|| {
        let target = event.object.clone();
        let text = format!("{}/{}", kind_word(&target.kind), target.name);
        let exists = ctx
            .live
            .with_untracked(|l| l.get(&target.kind, &target.name).is_some());
        if exists {
            view! {
                <button type="button" class="rel" on:click=move |_| pane.reveal(ctx, target.clone())>{text}</button>
            }
            .into_any()
        } else {
            view! { <span class="gone">{text}</span> }.into_any()
        }
    });
    let type_word = move || {
        let l: Lang = lang.get();
        l.t(if event.warning {
            "event.warning"
        } else {
            "event.normal"
        })
    };
    view! {
        <li class=format!("event {kind}")>
            <span class="event-type">
                <span aria-hidden="true">{if event.warning { "⚠ " } else { "· " }}</span>
                {type_word}
            </span>
            " "<strong class="reason">{event.reason.clone()}</strong>
            {count_text(event.count).map(|c| view! { " "<span class="count">{c}</span> })}
            " "<span class="age">{age}</span>
            {object.map(|o| view! { " "{o} })}
            <span class="message">{event.message.clone()}</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ages() {
        assert_eq!(count_text(1), None);
        assert_eq!(count_text(4).as_deref(), Some("×4"));
        let event = EventRow {
            uid: "e".into(),
            object: ObjectKey::new("Pod", "p"),
            warning: true,
            reason: "BackOff".into(),
            message: String::new(),
            count: 4,
            last: Some("2026-01-01T00:00:00Z".into()),
            source: String::new(),
        };
        assert_eq!(event_age(&event, 1_767_225_600 + 90), "90s");
    }
}
