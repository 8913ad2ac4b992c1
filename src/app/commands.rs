//! The worksheet's command blocks made runnable: a Run button beside each command line,
//! pickers for its placeholders, "Run all", and the output under the block. The worksheet is
//! rendered as HTML (as its author wrote it) with empty slots; these views are mounted into
//! them after each render and keep their state across renders (a change of language).

pub mod candidates;
mod picker;

use std::any::Any;

use kubefiche_core::command::Parsed;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Ctx;
use super::runner::Runs;
use super::runner::view::Output;
use crate::fiche::{CommandBlock, fill};
use candidates::candidates;
use picker::Pickers;

/// One command block: its lines, what the learner typed in its pickers, its commands' output.
#[derive(Clone, Copy)]
pub struct BlockState {
    pub model: StoredValue<CommandBlock>,
    pub runs: Runs,
    /// What the learner typed in each picker, by placeholder name.
    pub typed: RwSignal<Vec<(String, String)>>,
}

impl BlockState {
    pub fn new(model: CommandBlock) -> Self {
        Self {
            model: StoredValue::new(model),
            runs: Runs::new(),
            typed: RwSignal::new(Vec::new()),
        }
    }

    pub fn index(&self) -> usize {
        self.model.with_value(|m| m.index)
    }

    /// The value of placeholder `name`: what the learner typed, else the best live candidate.
    pub fn value(&self, ctx: Ctx, name: &str) -> Option<String> {
        if let Some(typed) = self
            .typed
            .with(|t| t.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()))
        {
            return Some(typed);
        }
        let token = self
            .model
            .with_value(|m| m.placeholders().into_iter().find(|p| p.name == name))?;
        ctx.pods.with(|pods| {
            ctx.cluster_facts.with(|facts| {
                candidates(&token.kind, &token.labels, pods, &facts.objects)
                    .into_iter()
                    .next()
            })
        })
    }

    pub fn set_typed(&self, name: &str, value: String) {
        self.typed
            .update(|t| match t.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 = value,
                None => t.push((name.to_owned(), value)),
            });
    }

    /// Line `number` ready to send (what a button runs), or `None` while a placeholder is empty.
    pub fn filled(&self, ctx: Ctx, number: usize) -> Option<String> {
        let (line, tokens) = self.model.with_value(|m| {
            let l = m.lines.get(number)?;
            Some((l.runnable()?.to_owned(), l.placeholders.clone()))
        })?;
        fill(&line, &tokens, |name| self.value(ctx, name))
    }

    /// The kubectl lines of the block, filled, for "Run all".
    fn all_filled(&self, ctx: Ctx) -> Option<Vec<String>> {
        let numbers: Vec<usize> = self.model.with_value(|m| {
            m.lines
                .iter()
                .filter(|l| l.is_kubectl())
                .map(|l| l.number)
                .collect()
        });
        numbers.into_iter().map(|n| self.filled(ctx, n)).collect()
    }
}

/// Mount the buttons and panels of `blocks` into the slots of the rendered worksheet under
/// `article`; the returned handles unmount them when dropped.
pub fn mount(
    article: &web_sys::Element,
    blocks: &[BlockState],
    owner: &Owner,
) -> Vec<Box<dyn Any>> {
    let mut handles: Vec<Box<dyn Any>> = Vec::new();
    let slots = article.query_selector_all("[data-run], [data-block]");
    let Ok(slots) = slots else { return handles };
    for i in 0..slots.length() {
        let Some(slot) = slots
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let find = |index: usize| blocks.iter().copied().find(|b| b.index() == index);
        if let Some((block, number)) = slot.get_attribute("data-run").and_then(|r| {
            let (b, l) = r.split_once(':')?;
            Some((find(b.parse().ok()?)?, l.parse::<usize>().ok()?))
        }) {
            handles.push(Box::new(owner.with(|| {
                leptos::mount::mount_to(slot, move || view! { <RunButton block number/> })
            })));
        } else if let Some(block) = slot
            .get_attribute("data-block")
            .and_then(|b| find(b.parse().ok()?))
        {
            handles.push(Box::new(owner.with(|| {
                leptos::mount::mount_to(slot, move || view! { <BlockPanel block/> })
            })));
        }
    }
    handles
}

/// Beside a line: ▶ for a command kubefiche runs; a mark for one it refuses or that belongs
/// elsewhere (the panel under the block says why).
#[component]
fn RunButton(block: BlockState, number: usize) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let Some((text, parsed)) = block.model.with_value(|m| {
        m.lines
            .get(number)
            .map(|l| (l.text.clone(), l.parsed.clone()))
    }) else {
        return ().into_any();
    };
    match parsed {
        Parsed::Kubectl(_) => {
            let label = move || format!("{} {text}", lang.get().t("run.label"));
            view! {
                <button
                    type="button"
                    class="run-line"
                    aria-label=label.clone()
                    title=label
                    disabled=move || block.filled(ctx, number).is_none()
                    on:click=move |_| {
                        if let Some(line) = block.filled(ctx, number) {
                            block.runs.start(ctx, line);
                        }
                    }
                ></button>
            }
            .into_any()
        }
        Parsed::Refused(_) => {
            view! { <span class="line-mark refused" aria-hidden="true"></span> }.into_any()
        }
        Parsed::Elsewhere { .. } => {
            view! { <span class="line-mark elsewhere" aria-hidden="true"></span> }.into_any()
        }
        Parsed::Nothing => ().into_any(),
    }
}

/// Under a block: its pickers, why some lines do not run, "Run all", Stop, Clear, the output.
#[component]
fn BlockPanel(block: BlockState) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let runs = block.runs;
    let kubectl_lines = block
        .model
        .with_value(|m| m.lines.iter().filter(|l| l.is_kubectl()).count());
    let notes = block.model.with_value(|m| {
        m.lines
            .iter()
            .filter_map(|l| match &l.parsed {
                Parsed::Refused(why) => Some((l.number, l.text.clone(), why.clone(), None)),
                Parsed::Elsewhere { why, instead } => {
                    Some((l.number, l.text.clone(), why.clone(), instead.clone()))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    });
    let notes = (!notes.is_empty()).then(|| {
        view! {
            <ul class="line-notes">
                {notes.into_iter().map(|(number, text, why, instead)| view! {
                    <li>
                        <code>{text}</code>{move || lang.get().t("colon")}" "
                        {move || why.get(lang.get().code()).to_owned()}
                        {instead.map(|instead| {
                            let label = move || format!("{} {instead}", lang.get().t("run.instead"));
                            view! {
                                " "
                                <button
                                    type="button"
                                    class="instead"
                                    disabled=move || block.filled(ctx, number).is_none()
                                    on:click=move |_| {
                                        if let Some(line) = block.filled(ctx, number) {
                                            runs.start(ctx, line);
                                        }
                                    }
                                >{label}</button>
                            }
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let has_runs = move || runs.list.with(|l| !l.is_empty());
    let output_label = Signal::derive(move || lang.get().t("run.output").to_owned());
    view! {
        <div class="cmd-panel">
            <Pickers block/>
            {notes}
            <div class="cmd-tools">
                {(kubectl_lines > 1).then(|| view! {
                    <button
                        type="button"
                        class="run-all"
                        disabled=move || block.all_filled(ctx).is_none()
                        on:click=move |_| {
                            if let Some(lines) = block.all_filled(ctx) {
                                runs.start_all(ctx, lines);
                            }
                        }
                    >{move || lang.get().t("run.all")}</button>
                })}
                {move || runs.busy().then(|| view! {
                    <button type="button" class="stop-all" on:click=move |_| runs.stop_all()>
                        {move || lang.get().t("run.stop")}
                    </button>
                })}
                {move || has_runs().then(|| view! {
                    <button type="button" class="clear quiet" on:click=move |_| runs.clear()>
                        {move || lang.get().t("run.clear")}
                    </button>
                })}
            </div>
            {move || has_runs().then(|| view! { <Output runs label=output_label/> })}
        </div>
    }
}

/// Ctrl-C in the worksheet, on a block's line or in its output: stop that block's commands
/// (unless text is selected, which Ctrl-C copies). `true` when it stopped something.
pub fn interrupt(event: &web_sys::KeyboardEvent, blocks: &[BlockState]) -> bool {
    if !(event.ctrl_key() && event.key().eq_ignore_ascii_case("c")) || selecting() {
        return false;
    }
    let index = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("figure").ok().flatten())
        .and_then(|f| f.query_selector("[data-block]").ok().flatten())
        .and_then(|slot| slot.get_attribute("data-block"))
        .and_then(|i| i.parse::<usize>().ok());
    let Some(block) = index.and_then(|i| blocks.iter().find(|b| b.index() == i)) else {
        return false;
    };
    if !block
        .runs
        .list
        .with_untracked(|l| l.iter().any(|r| r.transcript.with_untracked(|t| t.live())))
    {
        return false;
    }
    event.prevent_default();
    block.runs.stop_all();
    true
}

/// Whether the learner has text selected (then Ctrl-C copies it rather than stopping).
pub fn selecting() -> bool {
    window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|s| !s.is_collapsed())
}
