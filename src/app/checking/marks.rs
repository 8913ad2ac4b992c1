//! The marks of progress on the worksheet: a bar over it, a state beside each exercise's heading
//! (with what it needs first and "start again"), and a state beside each numbered step (with
//! the hint of what is missing and the solution on demand).

use kubefiche_core::checks::Status;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Checking;
use super::solution::SolutionPanel;
use crate::app::Ctx;
use crate::app::console::Console;

fn label(status: Status) -> &'static str {
    match status {
        Status::Todo => "state.todo",
        Status::InProgress => "state.progress",
        Status::Done => "state.done",
        Status::NotCheckable => "state.unverifiable",
    }
}

fn code(status: Status) -> &'static str {
    match status {
        Status::Todo => "todo",
        Status::InProgress => "progress",
        Status::Done => "done",
        Status::NotCheckable => "unverifiable",
    }
}

/// A state as a mark and a word (never a colour alone).
#[component]
fn StateMark(#[prop(into)] status: Signal<Status>) -> impl IntoView {
    let lang = expect_context::<Ctx>().lang;
    view! {
        <span class="check-state" data-state=move || code(status.get())>
            <span class="check-icon" aria-hidden="true"></span>
            <span class="check-word">{move || lang.get().t(label(status.get()))}</span>
        </span>
    }
}

/// Over the worksheet: its progress, each exercise's state (a link to its heading), and the
/// author's mistakes when the checks file has any.
#[component]
pub fn ProgressHeader() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let checking = expect_context::<Checking>();
    let lang = ctx.lang;
    let errors = checking.errors.get_value();
    let exercises = checking
        .checks
        .with_value(|c| c.as_ref().map_or(0, |c| c.exercises.len()));
    let fraction = Memo::new(move |_| {
        checking.checks.with_value(|checks| {
            let Some(checks) = checks else { return (0, 0) };
            checking.states.track();
            ctx.progress.with(|p| p.fraction(checks))
        })
    });
    let errors = (!errors.is_empty()).then(|| {
        view! {
            <div class="check-errors" role="alert">
                <p>{move || lang.get().t("check.errors")}</p>
                <ul>
                    {errors.into_iter().map(|e| view! {
                        <li>{move || format!("{} {} — {}", lang.get().t("check.line"), e.line, e.message.get(lang.get().code()))}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    let bar = (exercises > 0).then(|| {
        let chips = (0..exercises)
            .map(|i| {
                let status = Signal::derive(move || checking.exercise_status(ctx, i));
                let (title, anchor) = checking.checks.with_value(|c| {
                    c.as_ref()
                        .and_then(|c| c.exercises.get(i))
                        .map(|e| {
                            let anchor = checking.headings.with_value(|h| {
                                h.get(e.heading_index).map(|h| h.slug.clone()).unwrap_or_default()
                            });
                            (e.heading.clone(), anchor)
                        })
                        .unwrap_or_default()
                });
                view! {
                    <li data-exercise=checking.exercise_id(i)>
                        <a href=format!("#{anchor}") on:click=move |event: web_sys::MouseEvent| {
                            event.prevent_default();
                            scroll_to(&anchor);
                        }>
                            <StateMark status/>
                            <span class="chip-title">{title}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="fiche-progress" aria-label=move || lang.get().t("progress.label")>
                <div class="progress-line">
                    <progress
                        max=move || fraction.get().1.max(1)
                        value=move || fraction.get().0
                        aria-label=move || lang.get().t("progress.label")
                    ></progress>
                    <span class="progress-count">
                        {move || {
                            let (done, total) = fraction.get();
                            let percent = (done * 100).checked_div(total).unwrap_or(0);
                            format!("{done}/{total} {} · {percent} %", lang.get().t("progress.steps"))
                        }}
                    </span>
                </div>
            </section>
            <ol class="exercise-chips" aria-label=move || lang.get().t("progress.label")>{chips}</ol>
        }
    });
    view! { {errors} {bar} }
}

/// Bring the heading of id `anchor` into view.
pub fn scroll_to(anchor: &str) {
    if let Some(element) = document().get_element_by_id(anchor) {
        element.scroll_into_view();
    }
}

/// Put the marks into the rendered worksheet under `article`; the handles unmount them.
pub fn mount(article: &web_sys::Element, owner: &Owner) -> Vec<Box<dyn std::any::Any>> {
    let mut handles: Vec<Box<dyn std::any::Any>> = Vec::new();
    let Some(checking) = owner.with(use_context::<Checking>) else {
        return handles;
    };
    let places: Vec<(usize, String, Vec<u32>)> = checking.checks.with_value(|c| {
        c.iter()
            .flat_map(|c| c.exercises.iter().enumerate())
            .map(|(i, e)| {
                let anchor = checking.headings.with_value(|h| {
                    h.get(e.heading_index)
                        .map(|h| h.slug.clone())
                        .unwrap_or_default()
                });
                (i, anchor, e.steps.iter().map(|s| s.number).collect())
            })
            .collect()
    });
    for (exercise, anchor, numbers) in places {
        let Ok(Some(heading)) = article.query_selector(&format!("[id='{anchor}']")) else {
            continue;
        };
        if let Some(slot) = slot_after(&heading, "exercise-check") {
            handles.push(Box::new(owner.with(|| {
                leptos::mount::mount_to(slot, move || view! { <ExerciseMark exercise/> })
            })));
        }
        for (number, item) in step_items(&heading) {
            let Some(step) = numbers.iter().position(|n| *n == number) else {
                continue;
            };
            if let Some(slot) = slot_in(&item, "step-check") {
                let _ = item.set_attribute(
                    "data-step",
                    &format!("{}/{number}", checking.exercise_id(exercise)),
                );
                handles.push(Box::new(owner.with(|| {
                    leptos::mount::mount_to(slot, move || view! { <StepMark exercise step/> })
                })));
            }
        }
    }
    handles
}

/// The numbered items between `heading` and the next heading, with their numbers.
fn step_items(heading: &web_sys::Element) -> Vec<(u32, web_sys::Element)> {
    let mut found = Vec::new();
    let mut next = heading.next_element_sibling();
    while let Some(element) = next {
        let tag = element.tag_name().to_ascii_lowercase();
        if matches!(tag.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            break;
        }
        if tag == "ol" {
            let start: u32 = element
                .get_attribute("start")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1);
            let items = element.children();
            let mut number = start;
            for i in 0..items.length() {
                if let Some(item) = items
                    .item(i)
                    .filter(|e| e.tag_name().eq_ignore_ascii_case("li"))
                {
                    found.push((number, item));
                    number += 1;
                }
            }
        }
        next = element.next_element_sibling();
    }
    found
}

fn slot_after(element: &web_sys::Element, class: &str) -> Option<web_sys::HtmlElement> {
    let slot = document().create_element("div").ok()?;
    slot.set_class_name(class);
    element.after_with_node_1(&slot).ok()?;
    slot.dyn_into().ok()
}

fn slot_in(item: &web_sys::Element, class: &str) -> Option<web_sys::HtmlElement> {
    let slot = document().create_element("div").ok()?;
    slot.set_class_name(class);
    item.append_child(&slot).ok()?;
    slot.dyn_into().ok()
}

/// Beside an exercise's heading: its state, steps done, what it needs first, start again.
#[component]
fn ExerciseMark(exercise: usize) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let checking = expect_context::<Checking>();
    let lang = ctx.lang;
    let status = Signal::derive(move || checking.exercise_status(ctx, exercise));
    let count = move || {
        let steps = checking
            .states
            .with(|s| s.get(exercise).map_or(0, |e| e.steps.len()));
        let statuses: Vec<Status> = (0..steps)
            .map(|i| checking.step_status(ctx, exercise, i))
            .collect();
        let finished = statuses
            .iter()
            .filter(|s| matches!(s, Status::Done | Status::NotCheckable))
            .count();
        format!("{finished}/{steps}")
    };
    let requires = move || {
        (status.get() != Status::Done)
            .then(|| {
                checking
                    .states
                    .with(|s| s.get(exercise).and_then(|e| e.requires.clone()))
            })
            .flatten()
    };
    let restarting = RwSignal::new(false);
    view! {
        <div class="exercise-mark" data-exercise=checking.exercise_id(exercise)>
            <StateMark status/>
            <span class="exercise-count">{count}</span>
            <button type="button" class="link restart" on:click=move |_| restarting.set(true)>
                {move || lang.get().t("check.restart")}
            </button>
        </div>
        {move || requires().map(|failing| view! {
            <p class="check-hint requires">
                <strong>{move || lang.get().t("check.before")}</strong>" "
                {move || failing.hint.get(lang.get().code()).to_owned()}
            </p>
        })}
        <Show when=move || restarting.get()>
            <Restart exercise close=move || restarting.set(false)/>
        </Show>
    }
}

/// "Start this exercise again": forget its steps, and delete its objects if the learner wants.
#[component]
fn Restart(exercise: usize, close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let checking = expect_context::<Checking>();
    let console = expect_context::<Console>();
    let lang = ctx.lang;
    // Only what the namespace still holds is offered.
    let present: Vec<(String, String)> = checking.checks.with_value(|c| {
        c.as_ref()
            .and_then(|c| c.exercises.get(exercise))
            .map(|e| {
                ctx.live.with_untracked(|live| {
                    e.cleanup
                        .iter()
                        .filter(|o| live.get(&o.kind, &o.name).is_some())
                        .map(|o| (o.kind.to_ascii_lowercase(), o.name.clone()))
                        .collect()
                })
            })
            .unwrap_or_default()
    });
    let delete = RwSignal::new(!present.is_empty());
    let listed = present.clone();
    let confirm = move |_| {
        let id = checking.exercise_id(exercise);
        ctx.progress.update(|p| p.reset(&id));
        if delete.get_untracked() && !present.is_empty() {
            let lines = present
                .iter()
                .map(|(kind, name)| format!("kubectl delete {kind} {name}"))
                .collect();
            console.open.set(true);
            console.runs.start_all(ctx, lines);
        }
        close();
    };
    view! {
        <div
            class="restart-dialog"
            role="dialog"
            aria-modal="false"
            aria-label=move || lang.get().t("check.restart.title")
            on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { close() }
        >
            <p><strong>{move || lang.get().t("check.restart.title")}</strong>" "{move || lang.get().t("check.restart.body")}</p>
            {(!listed.is_empty()).then(|| view! {
                <label>
                    <input type="checkbox" prop:checked=move || delete.get() on:change=move |_| delete.update(|d| *d = !*d)/>
                    {move || lang.get().t("check.restart.delete")}" "
                    <code>{listed.iter().map(|(k, n)| format!("{k}/{n}")).collect::<Vec<_>>().join(", ")}</code>
                </label>
            })}
            <div class="dialog-buttons">
                <button type="button" class="danger confirm-restart" on:click=confirm>{move || lang.get().t("check.restart.confirm")}</button>
                <button type="button" on:click=move |_| close() autofocus>{move || lang.get().t("check.cancel")}</button>
            </div>
        </div>
    }
}

/// Beside a numbered step: its state; when it is the one to do, what is missing; the solution.
#[component]
fn StepMark(exercise: usize, step: usize) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let checking = expect_context::<Checking>();
    let lang = ctx.lang;
    let status = Signal::derive(move || checking.step_status(ctx, exercise, step));
    // The hint shows for a step under way, and for the next step of its exercise.
    let next = move || {
        let steps = checking
            .states
            .with(|s| s.get(exercise).map_or(0, |e| e.steps.len()));
        (0..steps).find(|i| {
            !matches!(
                checking.step_status(ctx, exercise, *i),
                Status::Done | Status::NotCheckable
            )
        }) == Some(step)
    };
    let failing = move || {
        let status = status.get();
        let shown = status == Status::InProgress || (status == Status::Todo && next());
        shown
            .then(|| {
                checking
                    .states
                    .with(|s| s.get(exercise)?.steps.get(step)?.failing.clone())
            })
            .flatten()
    };
    let not_checkable = move || {
        (status.get() == Status::NotCheckable)
            .then(|| {
                checking.checks.with_value(|c| {
                    c.as_ref()?
                        .exercises
                        .get(exercise)?
                        .steps
                        .get(step)?
                        .not_checkable
                        .clone()
                })
            })
            .flatten()
    };
    view! {
        <div class="step-mark">
            <StateMark status/>
            <SolutionPanel exercise step/>
        </div>
        {move || failing().map(|failing| view! {
            <p class="check-hint" data-line=failing.line>
                <strong>{move || lang.get().t("check.missing")}</strong>" "
                {move || failing.hint.get(lang.get().code()).to_owned()}
            </p>
        })}
        {move || not_checkable().map(|why| view! {
            <p class="check-hint unverifiable">{move || why.get(lang.get().code()).to_owned()}</p>
        })}
    }
}
