//! A card per learner, large enough to read from the back of the room: their name, a bar per
//! exercise, their pods by state (a chip with the state's word), the check their next step waits
//! for, when their page last reported, and revocation (confirmed).

use kubefiche_core::wire::class::{BoardSeat, PodCount};
use leptos::prelude::*;

use super::Board;
use super::dialog::Confirm;
use crate::api;
use crate::app::Ctx;
use crate::app::cluster_pane::board::{tile_icon as pod_icon, tile_state as pod_state};
use crate::class::{duration_words, seconds_between};
use crate::i18n::Lang;

#[component]
pub fn Learners() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let numbers = Memo::new(move |_| {
        board
            .state
            .with(|s| s.seats.iter().map(|s| s.seat).collect::<Vec<_>>())
    });
    view! {
        <section class="learners-section" aria-labelledby="learners-title">
            <h2 id="learners-title">{move || lang.get().t("learners.title")}</h2>
            {move || numbers.with(Vec::is_empty).then(|| view! { <p class="none">{lang.get().t("learners.none")}</p> })}
            <ul id="learners" class="learners">
                <For each=move || numbers.get() key=|n| *n let:seat>
                    <Card seat/>
                </For>
            </ul>
        </section>
    }
}

/// "last seen 42 s ago" in `lang`.
pub fn seen_words(lang: Lang, seconds: u64) -> String {
    let ago = duration_words(seconds);
    match lang {
        Lang::En => format!("last seen {ago} ago"),
        Lang::Fr => format!("vu·e il y a {ago}"),
    }
}

/// A learner's pods as chips: the state's word and how many.
pub fn pod_chips(pods: Vec<PodCount>) -> impl IntoView {
    view! {
        <ul class="pod-chips">
            {pods.into_iter().map(|p| {
                let state = pod_state(&p.status);
                let status = p.status.clone();
                view! {
                    <li class=format!("pod-chip state-{state}") data-status=status>
                        <span aria-hidden="true">{pod_icon(state)}" "</span>{p.status}" ×"{p.count}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A bar per exercise: steps done of those checked.
pub fn progress_bars(seat: &BoardSeat) -> impl IntoView + use<> {
    let rows = seat.exercises.clone();
    view! {
        <ol class="card-progress">
            {rows.into_iter().map(|e| view! {
                <li class="exercise-bar" data-done=e.done data-total=e.total>
                    <span class="exercise-title">{e.title.clone()}</span>
                    <progress max=e.total.max(1) value=e.done aria-label=e.title></progress>
                    <span class="exercise-count">{format!("{}/{}", e.done, e.total)}</span>
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Card(seat: u32) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let found = Memo::new(move |_| board.state.with(|s| s.seat(seat).cloned()));
    let seen = move || {
        let now = board.now.get();
        let seen_at = found.with(|s| s.as_ref().and_then(|s| s.seen_at));
        match seen_at {
            Some(at) => seen_words(lang.get(), seconds_between(at, now)),
            None => lang.get().t("card.never").to_owned(),
        }
    };
    let body = move || {
        let s = found.get()?;
        let revoked = s.revoked;
        let name = s.name.clone();
        Some(view! {
            <h3 class="learner-name">
                <button type="button" class="card-open" aria-controls="seat-detail"
                    aria-expanded=move || (board.selected.get() == Some(seat)).to_string()
                    on:click=move |_| board.selected.set(Some(seat))>
                    {move || board.name_of(seat, &name, lang.get())}
                </button>
            </h3>
            <p class="card-seen">{seen}</p>
            {progress_bars(&s)}
            {pod_chips(s.pods.clone())}
            {s.failing.clone().map(|f| view! {
                <p class="card-failing">{move || f.get(lang.get().code()).to_owned()}</p>
            })}
            {if revoked {
                view! { <p class="card-revoked">{move || lang.get().t("card.revoked")}</p> }.into_any()
            } else {
                view! {
                    <button type="button" class="revoke quiet" on:click=move |_| board.revoking.set(Some(seat))>
                        {move || lang.get().t("card.revoke")}
                    </button>
                }.into_any()
            }}
        })
    };
    view! {
        <li class="learner-card" data-seat=seat
            data-revoked=move || found.with(|s| s.as_ref().is_some_and(|s| s.revoked)).to_string()
            class:selected=move || board.selected.get() == Some(seat)>
            {body}
        </li>
    }
}

/// "Revoke this learner", confirmed.
#[component]
pub fn RevokeDialog() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let title = Signal::derive(move || {
        let Some(seat) = board.revoking.get() else {
            return String::new();
        };
        let name = board
            .state
            .with(|s| s.seat(seat).map(|s| s.name.clone()))
            .unwrap_or_default();
        super::question(lang.get(), lang.get().t("card.revoke.confirm"), &name)
    });
    let yes = move || {
        if let Some(seat) = board.revoking.get_untracked() {
            board.operate(ctx, move |token| async move {
                api::class::revoke(&token, seat).await
            });
        }
    };
    view! {
        <Confirm
            id="revoke-dialog"
            asked=Signal::derive(move || board.revoking.get().is_some())
            title
            body="card.revoke.body"
            action="card.revoke"
            on_yes=yes
            on_close=move || board.revoking.set(None)
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_seen_in_both_languages() {
        assert_eq!(seen_words(Lang::En, 42), "last seen 42 s ago");
        assert_eq!(seen_words(Lang::Fr, 300), "vu·e il y a 5 min");
    }
}
