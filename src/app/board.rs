//! The instructor's board, in place of the editor's panes: the class (or the form that creates
//! it), the room's most common problems, a card per learner, and one learner's detail — which
//! "show to the room" puts on the projector with every name hidden. Live: it follows the board's
//! stream (`POST /api/board`) and folds its events into a [`BoardState`].

mod cards;
mod class_panel;
mod create;
mod detail;
mod dialog;
mod room;

use std::time::Duration;

use kubefiche_core::Text;
use kubefiche_core::wire::class::SeatDetail;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Ctx;
use crate::class::{BoardState, stream};
use crate::cluster::Link;
use crate::i18n::Lang;

/// What the parts of the board share.
#[derive(Clone, Copy)]
pub struct Board {
    pub state: RwSignal<BoardState>,
    pub link: RwSignal<Link>,
    /// The clock of "last seen" and "time left" (Unix milliseconds), ticking every second.
    pub now: RwSignal<u64>,
    /// The learner whose detail is open.
    pub selected: RwSignal<Option<u32>>,
    /// Their detail as the proxy last gave it, or why it could not.
    pub detail: RwSignal<Option<Result<SeatDetail, Text>>>,
    /// The detail is on the projector, names and Secret values hidden.
    pub room: RwSignal<bool>,
    /// The learner whose revocation waits for a confirmation.
    pub revoking: RwSignal<Option<u32>>,
    /// Ending the class waits for a confirmation.
    pub ending: RwSignal<bool>,
    /// What the last operation on the class answered, when it failed.
    pub notice: RwSignal<Option<Text>>,
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl Board {
    fn new() -> Self {
        Self {
            state: RwSignal::new(BoardState::default()),
            link: RwSignal::new(Link::Connecting),
            now: RwSignal::new(now_ms()),
            selected: RwSignal::new(None),
            detail: RwSignal::new(None),
            room: RwSignal::new(false),
            revoking: RwSignal::new(None),
            ending: RwSignal::new(false),
            notice: RwSignal::new(None),
        }
    }

    /// A learner's name as the board shows it now (a number in the room view).
    pub fn name_of(&self, seat: u32, name: &str, lang: Lang) -> String {
        if self.room.get() {
            crate::class::hide::anonymous(seat, lang)
        } else {
            name.to_owned()
        }
    }

    /// Run an operation on the class; its answer is the class as it now stands.
    pub fn operate<F>(&self, ctx: Ctx, operation: impl FnOnce(String) -> F + 'static)
    where
        F: Future<Output = Result<kubefiche_core::wire::class::ClassInfo, crate::api::Failure>>
            + 'static,
    {
        let Some(token) = ctx.token.get_value() else {
            return;
        };
        let board = *self;
        spawn_local(async move {
            match operation(token).await {
                Ok(class) => {
                    board.notice.set(None);
                    board.state.update(|s| s.class = Some(class));
                }
                Err(failure) => board.notice.set(Some(failure.message())),
            }
        });
    }
}

/// A question about `what`, quoted and punctuated as `lang` does.
pub fn question(lang: Lang, ask: &str, what: &str) -> String {
    match lang {
        Lang::Fr => format!("{ask} « {what} » ?"),
        Lang::En => format!("{ask} “{what}”?"),
    }
}

/// Where the class stands, for what the board shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No class yet: the form.
    None,
    Running,
    /// Ended: its namespaces are being deleted; a new class may start.
    Ended,
}

#[component]
pub fn ClassBoard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let board = Board::new();
    provide_context(board);
    if let Some(token) = ctx.token.get_value() {
        spawn_local(stream::follow(
            token,
            move |event| board.state.update(|s| s.apply(event)),
            move |link| board.link.set(link),
        ));
    }
    if let Ok(tick) =
        set_interval_with_handle(move || board.now.set(now_ms()), Duration::from_secs(1))
    {
        on_cleanup(move || tick.clear());
    }
    // The room view enlarges everything (the style sheet reads the root's class).
    Effect::new(move |_| {
        let on = board.room.get();
        if let Some(root) = document().document_element() {
            let _ = root.class_list().toggle_with_force("room-view", on);
        }
    });
    on_cleanup(|| {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().remove_1("room-view");
        }
    });
    let phase = Memo::new(move |_| {
        board.state.with(|s| match &s.class {
            None => Phase::None,
            Some(c) if c.ended => Phase::Ended,
            Some(_) => Phase::Running,
        })
    });
    let link_word = move || match board.link.get() {
        Link::Live => "stream.live",
        Link::Connecting => "stream.connecting",
        Link::Retrying => "stream.proxy_lost",
        Link::Unauthorised => "board.refused",
    };
    view! {
        <main id="board" class="class-board" class:room-view=move || board.room.get()>
            <p class="board-status">
                <span class="board-link" data-link=move || format!("{:?}", board.link.get()).to_lowercase()>
                    {move || lang.get().t(link_word())}
                </span>
            </p>
            {move || board.notice.get().map(|text| view! {
                <p class="board-notice" role="alert">{move || text.get(lang.get().code()).to_owned()}</p>
            })}
            {move || match phase.get() {
                Phase::None => view! { <create::CreateClass/> }.into_any(),
                Phase::Ended => view! {
                    <p id="class-ended" class="class-ended" role="status">{move || lang.get().t("class.ended")}</p>
                    <create::CreateClass/>
                }.into_any(),
                Phase::Running => view! {
                    <class_panel::ClassPanel/>
                    <room::Room/>
                    <cards::Learners/>
                }.into_any(),
            }}
            <detail::SeatView/>
            <cards::RevokeDialog/>
            <class_panel::EndDialog/>
        </main>
    }
}
