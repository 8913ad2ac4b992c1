//! The class on the board: its name, seats taken, time left, the join link (as text to copy and
//! as a QR code for the projector), a fresh join link, and the end of the class.

use leptos::prelude::*;

use super::Board;
use super::dialog::Confirm;
use crate::api;
use crate::app::Ctx;
use crate::class::{self, duration_words, qr::Matrix, seconds_between};

#[component]
pub fn ClassPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let t = move |key: &'static str| move || lang.get().t(key);
    let class = Memo::new(move |_| board.state.with(|s| s.class.clone()));
    let join = Memo::new(move |_| {
        class.with(|c| {
            c.as_ref()
                .and_then(|c| c.join.as_ref())
                .map(|path| format!("{}{path}", class::origin()))
        })
    });
    let qr = Memo::new(move |_| {
        join.with(|link| {
            let link = link.as_ref()?;
            Some(Matrix::of(link)?.svg(lang.get().t("class.qr")))
        })
    });
    let copied = RwSignal::new(false);
    let time_left = move || {
        let now = board.now.get();
        class.with(|c| {
            let c = c.as_ref()?;
            Some(if c.expires_at > now {
                format!(
                    "{} {}",
                    duration_words(seconds_between(now, c.expires_at)),
                    lang.get().t("class.left")
                )
            } else {
                lang.get().t("class.over").to_owned()
            })
        })
    };
    let join_left = move || {
        let now = board.now.get();
        class.with(|c| {
            let c = c.as_ref()?;
            (c.join.is_some() && c.join_expires_at > now).then(|| {
                format!(
                    "{} {}",
                    lang.get().t("class.join.expires"),
                    duration_words(seconds_between(now, c.join_expires_at))
                )
            })
        })
    };
    let copy = move |_| {
        if let Some(link) = join.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&link);
            copied.set(true);
        }
    };
    let fresh = move |_| {
        copied.set(false);
        board.operate(ctx, |token| async move {
            api::class::new_join_link(&token).await
        });
    };
    view! {
        <section id="class-panel" class="class-panel" aria-labelledby="class-name">
            <div class="class-facts">
                <h2 id="class-name">{move || class.with(|c| c.as_ref().map(|c| c.name.clone()))}</h2>
                <p>
                    <span id="class-seats" class="class-seats">
                        {move || class.with(|c| c.as_ref().map(|c| format!("{}/{}", c.taken, c.seats)))}
                        " "{t("class.seats.taken")}
                    </span>
                    " · "
                    <span id="class-time" class="class-time">{time_left}</span>
                </p>
                {move || match join.get() {
                    Some(link) => view! {
                        <p class="join-line">
                            {t("class.join")}" "
                            <code id="join-link" class="join-link">{link}</code>
                            " "
                            <button id="join-link-copy" type="button" on:click=copy>
                                {move || lang.get().t(if copied.get() { "copied" } else { "copy" })}
                            </button>
                        </p>
                        <p class="join-expiry">{join_left}</p>
                    }.into_any(),
                    None => view! { <p id="join-link-none" class="join-line">{t("class.join.none")}</p> }.into_any(),
                }}
                <p class="class-actions">
                    <button id="new-join-link" type="button" on:click=fresh>{t("class.join.new")}</button>
                    <button id="end-class" type="button" class="danger" on:click=move |_| board.ending.set(true)>
                        {t("class.end")}
                    </button>
                </p>
            </div>
            {move || qr.get().map(|svg| view! { <div id="join-qr" class="join-qr" inner_html=svg></div> })}
        </section>
    }
}

/// "End the class", confirmed.
#[component]
pub fn EndDialog() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let board = expect_context::<Board>();
    let lang = ctx.lang;
    let title = Signal::derive(move || {
        let name = board
            .state
            .with(|s| s.class.as_ref().map(|c| c.name.clone()))
            .unwrap_or_default();
        super::question(lang.get(), lang.get().t("class.end.confirm"), &name)
    });
    view! {
        <Confirm
            id="end-dialog"
            asked=Signal::derive(move || board.ending.get())
            title
            body="class.end.body"
            action="class.end"
            on_yes=move || board.operate(ctx, |token| async move { api::class::end(&token).await })
            on_close=move || board.ending.set(false)
        />
    }
}
