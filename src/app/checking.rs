//! The worksheet's checks, evaluated live in the browser: on every change of the namespace, the
//! workspace or the learner's actions (no polling), each exercise and numbered step of the
//! worksheet gets its state, the hint of what is still missing, and a solution on demand. The
//! progress (steps done, solutions asked for, actions) is kept per worksheet in the browser.

mod marks;
mod solution;

use kubefiche_core::checks::{
    self, AuthorError, Checks, ExerciseState, Outline, OutlineHeading, Progress, Status, World,
};
use kubefiche_core::manifest::SourceFile;
use leptos::prelude::*;

use super::Ctx;
use crate::course::Worksheet;
use crate::fiche;
use crate::workspace;

pub use marks::{ProgressHeader, mount, scroll_to};
pub use solution::{Inserted, insert};

/// What the page knows of the worksheet's checks.
#[derive(Clone, Copy)]
pub struct Checking {
    /// The checks, when the worksheet has a valid checks file.
    pub checks: StoredValue<Option<Checks>>,
    /// The author's mistakes in the checks file (then nothing is checked).
    pub errors: StoredValue<Vec<AuthorError>>,
    /// The worksheet's headings (their anchors), in order.
    pub headings: StoredValue<Vec<fiche::Heading>>,
    /// Each exercise's live state, in the order of the checks file.
    pub states: Memo<Vec<ExerciseState>>,
}

impl Checking {
    /// A step's state: done for good once it was, else as it stands now.
    pub fn step_status(&self, ctx: Ctx, exercise: usize, step: usize) -> Status {
        let Some((id, live)) = self.states.with(|s| {
            s.get(exercise)
                .and_then(|e| Some((e.id.clone(), e.steps.get(step)?.clone())))
        }) else {
            return Status::Todo;
        };
        ctx.progress
            .with(|p| p.status(&id, live.number, live.status))
    }

    pub fn exercise_status(&self, ctx: Ctx, exercise: usize) -> Status {
        self.states.with(|s| {
            s.get(exercise).map_or(Status::Todo, |state| {
                ctx.progress.with(|p| p.exercise_status(state))
            })
        })
    }

    /// The id of exercise number `exercise`.
    pub fn exercise_id(&self, exercise: usize) -> String {
        self.checks.with_value(|c| {
            c.as_ref()
                .and_then(|c| c.exercises.get(exercise))
                .map(|e| e.id.clone())
                .unwrap_or_default()
        })
    }
}

fn progress_key(id: &str) -> String {
    format!("kubefiche:{id}:progress")
}

/// The stored progress of worksheet `id` (empty when there is none or it cannot be read).
pub fn stored_progress(id: &str) -> Progress {
    workspace::raw(&progress_key(id))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// The outline the checks are read against.
fn outline(headings: &[fiche::Heading]) -> Outline {
    Outline {
        headings: headings
            .iter()
            .map(|h| OutlineHeading {
                text: h.text.clone(),
                steps: h.steps.clone(),
            })
            .collect(),
    }
}

/// The worksheet's checks, read against its outline and workspace files.
pub fn read(sheet: &Worksheet) -> Option<Result<Checks, Vec<AuthorError>>> {
    let files: Vec<String> = sheet.files().into_iter().map(|f| f.path).collect();
    read_with(sheet, &fiche::outline(&sheet.markdown), &files)
}

/// [`read`] with the worksheet's headings and workspace paths at hand.
fn read_with(
    sheet: &Worksheet,
    headings: &[fiche::Heading],
    files: &[String],
) -> Option<Result<Checks, Vec<AuthorError>>> {
    let text = sheet.checks.as_ref()?;
    Some(checks::parse(text, &outline(headings), files))
}

/// Steps done and steps to do, for the list of worksheets (`None`: it has no valid checks).
pub fn stored_fraction(sheet: &Worksheet) -> Option<(usize, usize)> {
    let checks = read(sheet)?.ok()?;
    Some(stored_progress(&sheet.id).fraction(&checks))
}

/// Read the worksheet's checks and keep its progress up to date from now on.
pub fn start(ctx: Ctx) -> Checking {
    let (id, headings, read) = ctx.sheet.with_value(|sheet| {
        let headings = fiche::outline(&sheet.markdown);
        let files: Vec<String> = ctx
            .files
            .with_value(|f| f.iter().map(|f| f.path.clone()).collect());
        let read = read_with(sheet, &headings, &files);
        (sheet.id.clone(), headings, read)
    });
    let (checks, errors) = match read {
        Some(Ok(checks)) => (Some(checks), Vec::new()),
        Some(Err(errors)) => (None, errors),
        None => (None, Vec::new()),
    };
    let checks = StoredValue::new(checks);
    // The files as the worksheet gives them.
    let given: StoredValue<Vec<SourceFile>> = StoredValue::new(ctx.files.with_value(|files| {
        files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                text: f.text.clone(),
            })
            .collect()
    }));
    let states = Memo::new(move |_| {
        checks.with_value(|checks| {
            let Some(checks) = checks else {
                return Vec::new();
            };
            ctx.live.with(|live| {
                ctx.diagnostics.with(|diagnostics| {
                    ctx.progress.with(|progress| {
                        let given = given.read_value();
                        let sources = ctx.current.read();
                        let workspace = ctx.manifests.read();
                        let world = World {
                            workspace: &workspace,
                            live,
                            sources: &sources,
                            given: &given,
                            diagnostics,
                            actions: &progress.actions,
                            memory: &progress.memory,
                        };
                        super::measured("kubefiche-checks", || checks::evaluate(checks, &world))
                    })
                })
            })
        })
    });
    // What was seen of the pods (a replaced pod is told by its predecessor).
    // Both tell the progress's readers only when something changed.
    Effect::new(move |_| {
        ctx.live
            .with(|live| ctx.progress.maybe_update(|p| p.memory.observe(live)));
    });
    // A step done stays done.
    Effect::new(move |_| {
        let now = (js_sys::Date::now() / 1000.0) as i64;
        states.with(|states| ctx.progress.maybe_update(|p| p.update(states, now)));
    });
    Effect::new(move |_| {
        if let Ok(json) = ctx.progress.with(serde_json::to_string) {
            workspace::set_raw(&progress_key(&id), &json);
        }
    });
    Checking {
        checks,
        errors: StoredValue::new(errors),
        headings: StoredValue::new(headings),
        states,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course;

    #[test]
    fn every_shipped_worksheet_has_checks_that_read_without_a_mistake() {
        let sheets = course::shipped();
        assert!(sheets.iter().any(|s| s.id == "fiche-3"), "{sheets:?}");
        for sheet in sheets {
            match read(&sheet) {
                Some(Ok(checks)) => assert!(!checks.exercises.is_empty(), "{}", sheet.id),
                Some(Err(errors)) => panic!("{}.checks.yaml: {errors:#?}", sheet.id),
                None => {}
            }
        }
    }

    #[test]
    fn fiche_3_checks_every_exercise_and_every_numbered_step() {
        let sheet = course::find("fiche-3").expect("fiche-3 is shipped");
        let checks = read(&sheet).expect("it has checks").expect("they read");
        let headings = fiche::outline(&sheet.markdown);
        let ids: Vec<&str> = checks.exercises.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "configmap",
                "secret",
                "postgres",
                "cronjob",
                "mcp-server",
                "agent",
                "challenge"
            ]
        );
        for exercise in &checks.exercises {
            let numbers: Vec<u32> = exercise.steps.iter().map(|s| s.number).collect();
            assert_eq!(
                numbers, headings[exercise.heading_index].steps,
                "every step of {} is checked",
                exercise.id
            );
        }
    }
}
