//! A step's solution on demand (asking is remembered): the worksheet's version of a file as a
//! diff against the learner's, the step's fragment merged into a file, or the commands to run.
//! Also the merge of a worksheet fragment into its workspace file, as one undoable edit.

use kubefiche_core::Text;
use kubefiche_core::checks::Solution;
use kubefiche_core::diff::{self, Op};
use kubefiche_core::fragment::{self, Outcome};
use leptos::prelude::*;

use super::Checking;
use crate::app::Ctx;
use crate::app::console::Console;
use crate::fiche::{self, Fragment};

/// What became of a fragment asked to go into its file.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted {
    /// Merged: the lines of the new text where the entries went, and the entries kept as the
    /// learner wrote them.
    At {
        first: usize,
        last: usize,
        added: Vec<String>,
        differing: Vec<String>,
    },
    Already,
    /// Nothing added: entries of these names are there already, written otherwise (kept).
    Differs(Vec<String>),
    Refused(Text),
}

/// What merging `fragment` into `text` would do.
fn merged(text: &str, fragment: &Fragment) -> Result<Outcome, Text> {
    let place = fragment::place(&fragment.intro, &fragment.text).ok_or_else(|| {
        Text::new(
            "The worksheet does not say where this goes.",
            "La fiche ne dit pas où cela va.",
        )
    })?;
    fragment::insert(text, &fragment.text, &place).map_err(|e| e.message())
}

/// Merge `fragment` into its file: one undoable edit in the editor, the new lines selected.
pub fn insert(ctx: Ctx, fragment: &Fragment) -> Inserted {
    let old = ctx.text_of(&fragment.file).unwrap_or_default();
    let insertion = match merged(&old, fragment) {
        Ok(Outcome::Inserted(insertion)) => insertion,
        Ok(Outcome::AlreadyThere) => return Inserted::Already,
        Ok(Outcome::Differs(names)) => return Inserted::Differs(names),
        Err(why) => return Inserted::Refused(why),
    };
    ctx.show_path(&fragment.file);
    let utf16 = |bytes: usize| old.get(..bytes).map_or(0, |s| s.encode_utf16().count()) as u32;
    let edited = ctx.workbench.with_value(|wb| {
        wb.as_ref().is_some_and(|wb| {
            wb.edit(
                &fragment.file,
                utf16(insertion.from),
                utf16(insertion.to),
                &insertion.replacement,
            )
        })
    });
    // Without an editor on screen (a narrow layout), the text changes all the same.
    if !edited {
        ctx.edited(&fragment.file, insertion.text.clone());
    }
    Inserted::At {
        first: insertion.first_line,
        last: insertion.last_line,
        added: insertion.added,
        differing: insertion.differing,
    }
}

/// The fragments of the worksheet under `heading` (its text as written) that belong to step
/// `number`, for `insert:` solutions.
fn step_fragments(ctx: Ctx, heading: &str, number: u32, file: &str) -> Vec<Fragment> {
    ctx.sheet.with_value(|s| {
        fiche::fragments(&s.markdown)
            .into_iter()
            .filter(|f| f.file == file && f.step == Some(number) && f.heading == heading)
            .collect()
    })
}

/// The Solution button of a step and, once asked for, the solution.
#[component]
pub fn SolutionPanel(exercise: usize, step: usize) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let checking = expect_context::<Checking>();
    let lang = ctx.lang;
    let Some((id, number, heading, solution)) = checking.checks.with_value(|c| {
        let e = c.as_ref()?.exercises.get(exercise)?;
        let s = e.steps.get(step)?;
        // The heading the checks file matched, as the worksheet writes it.
        let heading = checking
            .headings
            .with_value(|h| h.get(e.heading_index).map(|h| h.text.clone()))?;
        Some((e.id.clone(), s.number, heading, s.solution.clone()?))
    }) else {
        return ().into_any();
    };
    let open = RwSignal::new(false);
    let seen = {
        let id = id.clone();
        move || ctx.progress.with(|p| p.asked_solution(&id, number))
    };
    let toggle = move |_| {
        let now = !open.get_untracked();
        open.set(now);
        if now {
            ctx.progress.maybe_update(|p| p.ask_solution(&id, number));
        }
    };
    let body = move || {
        open.get().then(|| match solution.clone() {
            Solution::File(path) => {
                let theirs = ctx.files.with_value(|f| {
                    f.iter()
                        .find(|f| f.path == path)
                        .map(|f| f.text.clone())
                        .unwrap_or_default()
                });
                view! { <FileDiff path theirs/> }.into_any()
            }
            Solution::Insert(path) => {
                let fragments = step_fragments(ctx, &heading, number, &path);
                view! { <InsertDiff path fragments/> }.into_any()
            }
            Solution::Run(lines) => view! { <Commands lines/> }.into_any(),
        })
    };
    view! {
        <button type="button" class="link solution-toggle" aria-expanded=move || open.get().to_string() on:click=toggle>
            {move || lang.get().t(if open.get() { "check.solution.hide" } else { "check.solution" })}
        </button>
        {move || seen().then(|| view! { <span class="tag solution-seen">{move || lang.get().t("check.solution.seen")}</span> })}
        <div class="solution">{body}</div>
    }
    .into_any()
}

/// The worksheet's version of `path` against the learner's, and a button to take it.
#[component]
fn FileDiff(path: String, theirs: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let mine = {
        let path = path.clone();
        Memo::new(move |_| {
            ctx.texts.track();
            ctx.text_of(&path).unwrap_or_default()
        })
    };
    let shown = {
        let theirs = theirs.clone();
        move || mine.with(|mine| diff_view(mine, &theirs))
    };
    let take = {
        let path = path.clone();
        move |_| {
            ctx.show_path(&path);
            ctx.reset_active();
        }
    };
    view! {
        <p class="solution-title">
            {move || lang.get().t("check.solution.file")}" "<code>{path.clone()}</code>" "
            {move || lang.get().t("check.solution.against")}
        </p>
        {shown}
        <button type="button" class="use-solution" on:click=take>{move || lang.get().t("check.solution.use")}</button>
    }
}

/// The step's fragments merged into `path`, as a diff, with the Insert button.
#[component]
fn InsertDiff(path: String, fragments: Vec<Fragment>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = ctx.lang;
    let fragments = StoredValue::new(fragments);
    let shown = move || {
        ctx.texts.track();
        let mut text = ctx.text_of(&path).unwrap_or_default();
        let before = text.clone();
        for fragment in fragments.get_value() {
            if let Ok(Outcome::Inserted(i)) = merged(&text, &fragment) {
                text = i.text;
            }
        }
        diff_view(&before, &text)
    };
    let insert_all = move |_| {
        for fragment in fragments.get_value() {
            insert(ctx, &fragment);
        }
    };
    view! {
        {shown}
        <button type="button" class="use-solution" on:click=insert_all>
            {move || format!("{} {}", lang.get().t("insert.into"), fragments.with_value(|f| f.first().map(|f| f.file.clone()).unwrap_or_default()))}
        </button>
    }
}

#[component]
fn Commands(lines: Vec<String>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let console = expect_context::<Console>();
    let lang = ctx.lang;
    view! {
        <p class="solution-title">{move || lang.get().t("check.solution.run")}</p>
        <ul class="solution-commands">
            {lines.into_iter().map(|line| {
                let run = line.clone();
                view! {
                    <li>
                        <code>{line.clone()}</code>
                        <button type="button" class="run-solution" on:click=move |_| {
                            console.open.set(true);
                            console.runs.start(ctx, run.clone());
                        }>{move || lang.get().t("run.label.short")}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A unified diff of two texts (three lines of context), or a note that they are the same.
fn diff_view(old: &str, new: &str) -> AnyView {
    let lines = diff::lines(old, new);
    let hunks = diff::hunks(&lines, 3);
    if hunks.is_empty() {
        let lang = expect_context::<Ctx>().lang;
        return view! { <p class="muted">{move || lang.get().t("check.solution.same")}</p> }
            .into_any();
    }
    view! {
        <pre class="diff">
            {hunks.into_iter().map(|hunk| {
                let head = format!("@@ -{},{} +{},{} @@\n", hunk.old_start, hunk.old_len, hunk.new_start, hunk.new_len);
                let body = hunk.lines.into_iter().map(|line| {
                    let (class, mark) = match line.op {
                        Op::Same => ("same", ' '),
                        Op::Added => ("added", '+'),
                        Op::Removed => ("removed", '-'),
                    };
                    view! { <span class=class>{format!("{mark}{}\n", line.text)}</span> }
                }).collect_view();
                view! { <span class="hunk">{head}</span>{body} }
            }).collect_view()}
        </pre>
    }
    .into_any()
}
