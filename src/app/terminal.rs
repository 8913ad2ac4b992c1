//! An interactive terminal in the page for `kubectl exec -it …`: xterm.js on the proxy's
//! `/api/terminal` socket. Keystrokes (Ctrl-C and Ctrl-D included) go to the pod as bytes;
//! Escape then Tab, or the Close terminal button, leaves it.

mod bridge;

use kubefiche_core::Text;
use kubefiche_core::wire::TerminalEvent;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Ctx;
use crate::api;
use crate::i18n::Lang;
use bridge::{Callbacks, Hooks, Session};

/// Where a terminal session stands.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Loading xterm.js, or waiting for the proxy.
    Opening,
    Running,
    /// The session in the pod ended with this status (`None`: killed by a signal).
    Exited(Option<i32>),
    /// The proxy refused the line or the token; nothing ran.
    Refused(Text),
    /// The learner closed it.
    Closed,
    /// The connection to the proxy broke.
    Lost,
    /// The terminal could not be loaded in the page.
    Broken,
}

impl Phase {
    fn is_live(&self) -> bool {
        matches!(self, Self::Opening | Self::Running)
    }

    fn status(&self) -> Text {
        match self {
            Self::Opening => Text::new("Connecting…", "Connexion…"),
            Self::Running => Text::new("Session open", "Session ouverte"),
            Self::Exited(Some(code)) => Text::new(
                format!("Session ended, exit status {code}"),
                format!("Session terminée, code de sortie {code}"),
            ),
            Self::Exited(None) => Text::new(
                "Session ended (stopped by a signal)",
                "Session terminée (arrêtée par un signal)",
            ),
            Self::Refused(why) => why.clone(),
            Self::Closed => Text::new(
                "Terminal closed: the session in the pod was ended.",
                "Terminal fermé : la session dans le pod a été arrêtée.",
            ),
            Self::Lost => Text::new(
                "The connection to kubefiche was lost; the session ended. Is the proxy still running?",
                "La connexion à kubefiche a été perdue ; la session est terminée. Le proxy est-il toujours lancé ?",
            ),
            Self::Broken => Text::new(
                "The terminal could not be loaded. Reload the page.",
                "Le terminal n'a pas pu être chargé. Rechargez la page.",
            ),
        }
    }

    fn class(&self) -> &'static str {
        match self {
            Self::Opening | Self::Running | Self::Closed => "terminal-status",
            Self::Exited(Some(0)) => "terminal-status ok",
            _ => "terminal-status bad",
        }
    }
}

/// A terminal running `line` (an `exec -it` command line, placeholders filled) in a pod.
/// `on_exit` is called once with the session's exit status when it ends (`None` when it was
/// refused, closed or cut); not when the component is simply removed.
#[component]
pub fn Terminal(line: String, on_exit: Callback<Option<i32>>) -> impl IntoView {
    let ctx = use_context::<Ctx>();
    let lang = move || ctx.map_or(Lang::En, |c| c.lang.get());
    let token = ctx
        .and_then(|c| c.token.get_value())
        .or_else(api::token)
        .unwrap_or_default();
    let phase = RwSignal::new(Phase::Opening);
    let notes = RwSignal::new(Vec::<Text>::new());
    let screen = NodeRef::<Div>::new();
    let session = StoredValue::new_local(None::<(Session, Callbacks)>);

    // The first end wins; `on_exit` hears of it once.
    let end = move |next: Phase| {
        if phase.try_with_untracked(Phase::is_live) != Some(true) {
            return;
        }
        let code = match next {
            Phase::Exited(code) => code,
            _ => None,
        };
        phase.set(next);
        on_exit.run(code);
    };
    let on_event = move |event: Option<TerminalEvent>| match event {
        Some(TerminalEvent::Note { message }) => notes.update(|n| n.push(message)),
        Some(TerminalEvent::Refused { error }) => end(Phase::Refused(error.message)),
        Some(TerminalEvent::Exit { code }) => end(Phase::Exited(code)),
        None => {}
    };

    let label = Text::new(format!("Terminal: {line}"), format!("Terminal : {line}"));
    let start_line = line.clone();
    let group_label = {
        let label = label.clone();
        move || label.get(lang().code()).to_owned()
    };
    Effect::new(move |opened: Option<bool>| {
        if opened == Some(true) {
            return true;
        }
        let Some(parent) = screen.get() else {
            return false;
        };
        let hooks = Hooks {
            token: token.clone(),
            line: start_line.clone(),
            label: label.get(lang().code()).to_owned(),
            on_event: Box::new(on_event),
            on_closed: Box::new(move || end(Phase::Lost)),
        };
        spawn_local(async move {
            if bridge::load().await.is_err() {
                end(Phase::Broken);
                return;
            }
            let opened = bridge::open(&parent, hooks);
            if phase.try_update(|p| *p = Phase::Running).is_none() {
                // The component went while the script loaded.
                opened.0.dispose();
                return;
            }
            session.set_value(Some(opened));
        });
        true
    });
    on_cleanup(move || {
        session.update_value(|s| {
            if let Some((session, _callbacks)) = s.take() {
                session.dispose();
            }
        });
    });

    let close = move |_| {
        session.with_value(|s| {
            if let Some((session, _)) = s {
                session.close();
            }
        });
        end(Phase::Closed);
    };
    let leave_hint = move || {
        Text::new(
            "Keys go to the pod, Ctrl-C and Ctrl-D included. To leave the terminal, press Esc then Tab.",
            "Les touches vont au pod, Ctrl-C et Ctrl-D compris. Pour sortir du terminal, appuyez sur Échap puis Tab.",
        )
        .get(lang().code())
        .to_owned()
    };
    view! {
        <section class="terminal" role="group" aria-label=group_label>
            <div class="terminal-head">
                <code class="terminal-line">{line}</code>
                <span class=move || phase.with(Phase::class) role="status">
                    {move || phase.with(Phase::status).get(lang().code()).to_owned()}
                </span>
                <Show when=move || phase.with(Phase::is_live)>
                    <button class="terminal-close" on:click=close>
                        {move || Text::new("Close terminal", "Fermer le terminal").get(lang().code()).to_owned()}
                    </button>
                </Show>
            </div>
            <For each=move || notes.get().into_iter().enumerate() key=|(i, _)| *i let((_, note))>
                <p class="terminal-note" role="note">{move || note.get(lang().code()).to_owned()}</p>
            </For>
            <div class="terminal-screen" node_ref=screen></div>
            <p class="hint terminal-hint">{leave_hint}</p>
        </section>
    }
}
