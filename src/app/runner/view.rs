//! The output of commands as a terminal shows it: each command line, then what kubectl
//! printed (its columns kept, its error stream marked), kubefiche's notes apart, and how it
//! ended. An output area scrolls on its own and follows new output while it is at its end.

use kubefiche_core::Diagnostic;
use leptos::html::Div;
use leptos::prelude::*;

use super::{Piece, Run, Runs, Status, status_label};
use crate::app::Ctx;
use crate::app::layout::{Layout, PaneId};
use crate::app::terminal::Terminal;

/// The transcripts of `runs`, newest last, in one scrolling box named `label`.
#[component]
pub fn Output(runs: Runs, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let boxed = NodeRef::<Div>::new();
    // Whether the box shows its end: new output keeps it there, unless the learner scrolled up.
    let pinned = StoredValue::new(true);
    Effect::new(move |_| {
        runs.list
            .with(|l| l.iter().for_each(|r| r.transcript.track()));
        if pinned.get_value() {
            request_animation_frame(move || {
                if let Some(b) = boxed.get_untracked() {
                    b.set_scroll_top(b.scroll_height());
                }
            });
        }
    });
    let on_scroll = move |_| {
        if let Some(b) = boxed.get_untracked() {
            pinned.set_value(b.scroll_height() - b.scroll_top() - b.client_height() < 24);
        }
    };
    view! {
        <div
            class="transcripts"
            node_ref=boxed
            role="region"
            tabindex="0"
            aria-label=move || label.get()
            on:scroll=on_scroll
        >
            <For each=move || runs.list.get() key=|run| run.id let:run>
                <RunView run/>
            </For>
        </div>
    }
}

#[component]
fn RunView(run: Run) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let line = run.line.get_value();
    let live = move || run.transcript.with(|t| t.live());
    let terminal = run.terminal.then(|| {
        let line = line.clone();
        view! {
            <div class="run-terminal">
                <Terminal line on_exit=Callback::new(move |code| run.terminal_ended(code))/>
            </div>
        }
    });
    let status_class = move || {
        run.transcript.with(|t| match &t.status {
            Status::Exited { code: Some(0), .. } => "run-status ok",
            Status::Exited { code: Some(_), .. } | Status::Refused(_) | Status::Blocked(_) => {
                "run-status bad"
            }
            _ => "run-status",
        })
    };
    view! {
        <div class="run" data-line=line.clone()>
            <p class="run-cmd">
                <span class="prompt" aria-hidden="true">"$ "</span>
                <code>{line.clone()}</code>
                {move || (run.streaming && live()).then(|| view! {
                    <button type="button" class="stop" on:click=move |_| run.stop()>
                        {move || lang.get().t("run.stop")}
                    </button>
                })}
            </p>
            {terminal}
            {move || segments(run, lang.get().code())}
            {move || run.transcript.with(|t| match &t.status {
                Status::Blocked(found) => Some(blocked(found.clone())),
                _ => None,
            })}
            <p class=status_class>
                {move || {
                    let dropped = run.transcript.with(|t| t.dropped);
                    let mut label = run.transcript.with(|t| status_label(&t.status, lang.get()));
                    if dropped {
                        label = format!("{} · {label}", lang.get().t("run.dropped"));
                    }
                    label
                }}
            </p>
        </div>
    }
}

/// Consecutive output in one `<pre>` (so that columns line up), notes between.
fn segments(run: Run, lang: &str) -> impl IntoView + use<> {
    let pieces = run.transcript.with(|t| t.pieces.clone());
    let mut views = Vec::new();
    let mut spans = Vec::new();
    let flush = |spans: &mut Vec<AnyView>, views: &mut Vec<AnyView>| {
        if !spans.is_empty() {
            let inner: Vec<AnyView> = std::mem::take(spans);
            views.push(view! { <pre class="out">{inner}</pre> }.into_any());
        }
    };
    for piece in pieces {
        match piece {
            Piece::Out {
                text,
                stderr: false,
            } => spans.push(view! { <span>{text}</span> }.into_any()),
            Piece::Out { text, stderr: true } => {
                spans.push(view! { <span class="stderr">{text}</span> }.into_any())
            }
            Piece::Note(message) => {
                flush(&mut spans, &mut views);
                views.push(
                    view! { <p class="kf-note">{message.get(lang).to_owned()}</p> }.into_any(),
                );
            }
        }
    }
    flush(&mut spans, &mut views);
    views
}

/// The errors that keep a command on a workspace file from running, each one click from its
/// line in the editor.
fn blocked(found: Vec<Diagnostic>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let layout = expect_context::<Layout>();
    let lang = ctx.lang;
    view! {
        <ul class="blocked">
            {found.into_iter().map(|d| {
                let (file, line, column) = (d.file.clone(), d.span.line, d.span.column);
                let go = move |_| {
                    if ctx.show_path(&file) {
                        layout.reveal(PaneId::Workspace);
                        ctx.workbench.with_value(|wb| {
                            if let Some(wb) = wb {
                                wb.goto(line, column);
                            }
                        });
                    }
                };
                view! {
                    <li>
                        <button type="button" class="problem-link" on:click=go>
                            {format!("{}:{}:{}", d.file, d.span.line, d.span.column)}
                        </button>
                        " "{move || d.message.get(lang.get().code()).to_owned()}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
