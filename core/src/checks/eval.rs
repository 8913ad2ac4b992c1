//! Evaluating conditions on the world the page has: the live namespace, the workspace and its
//! diagnostics, the learner's actions and the memory of pods seen.

use serde_json::Value;

use super::path::scalar_text;
use super::{
    Checks, Condition, Exercise, ExerciseState, Expect, Failing, KeyRef, ObjectRef, Status, Step,
    StepState, Test, World,
};
use crate::diagnostic::Severity;
use crate::live::{Facts, JobFacts, JobOutcome, LiveObject, Via};
use crate::manifest::SourceFile;

/// Where each exercise of `checks` stands in `world`, in the file's order.
pub fn evaluate(checks: &Checks, world: &World) -> Vec<ExerciseState> {
    checks
        .exercises
        .iter()
        .map(|e| exercise(e, world))
        .collect()
}

fn exercise(exercise: &Exercise, world: &World) -> ExerciseState {
    ExerciseState {
        id: exercise.id.clone(),
        steps: exercise.steps.iter().map(|s| step(s, world)).collect(),
        requires: {
            let each: Vec<bool> = exercise
                .requires
                .iter()
                .map(|c| holds(&c.test, world))
                .collect();
            first_failing(&exercise.requires, &each).1
        },
    }
}

fn step(step: &Step, world: &World) -> StepState {
    let each: Vec<bool> = step.checks.iter().map(|c| holds(&c.test, world)).collect();
    let (held, failing) = first_failing(&step.checks, &each);
    let total = step.checks.len();
    // A step is under way once something the learner did holds, not merely the worksheet's
    // own files being valid as the page gives them.
    let acted = step
        .checks
        .iter()
        .zip(&each)
        .any(|(c, held)| *held && !is_given(&c.test, world));
    let status = if total > 0 && held == total {
        Status::Done
    } else if step.not_checkable.is_some() {
        Status::NotCheckable
    } else if acted {
        Status::InProgress
    } else {
        Status::Todo
    };
    // A step on the workspace alone follows the files as they are now; one on the cluster or
    // on actions stays done (the worksheet's clean-up steps delete what earlier steps made).
    let sticky = step.checks.iter().any(|c| {
        !matches!(
            c.test,
            Test::Valid(_) | Test::Manifest { .. } | Test::Opened(_)
        )
    });
    StepState {
        number: step.number,
        status,
        held,
        total,
        failing,
        sticky,
    }
}

/// Whether a test is on a workspace file the learner has not changed: the page gives the
/// worksheet's files ready-made, so it may hold with nothing done.
fn is_given(test: &Test, world: &World) -> bool {
    let (Test::Valid(file) | Test::Manifest { file, .. }) = test else {
        return false;
    };
    text_of(world.sources, file) == text_of(world.given, file)
}

fn text_of<'f>(files: &'f [SourceFile], path: &str) -> Option<&'f str> {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.text.as_str())
}

/// How many of `conditions` hold (`each` tells, in order), and the first that does not.
fn first_failing(conditions: &[Condition], each: &[bool]) -> (usize, Option<Failing>) {
    let failing = conditions
        .iter()
        .zip(each)
        .enumerate()
        .find(|(_, (_, held))| !**held)
        .map(|(index, (c, _))| Failing {
            index,
            hint: c.hint.clone(),
            line: c.line,
        });
    (each.iter().filter(|h| **h).count(), failing)
}

/// Whether one test holds in `world`.
pub(super) fn holds(test: &Test, world: &World) -> bool {
    match test {
        Test::Exists(r) => present(r, world).is_some(),
        Test::Gone(r) => present(r, world).is_none() && world.memory.saw(&r.kind, &r.name),
        Test::Field {
            object,
            path,
            expect,
        } => present(object, world).is_some_and(|o| satisfied(expect, &path.select(&o.object))),
        Test::Ready { object, replicas } => present(object, world).is_some_and(|o| {
            let (ready, wanted) = match &o.facts {
                Facts::Deployment(d) => (d.ready, d.replicas),
                Facts::ReplicaSet(r) => (r.ready, r.replicas),
                _ => return false,
            };
            match replicas {
                Some(n) => ready == *n,
                None => ready == wanted && wanted >= 1,
            }
        }),
        Test::Bound(r) => present(r, world)
            .is_some_and(|o| matches!(&o.facts, Facts::Claim(c) if c.phase == "Bound")),
        Test::Completed(r) => completed(r, world),
        Test::Replaced(r) => world.memory.replaced(world.live, &r.kind, &r.name),
        Test::Reads { object, key } => present(object, world)
            .and_then(LiveObject::template)
            .is_some_and(|t| t.reads.iter().any(|read| reads(read, key))),
        Test::Valid(file) => valid(file, world),
        Test::Manifest {
            file,
            object,
            path,
            expect,
        } => world.workspace.of_file(file).any(|m| {
            object
                .as_ref()
                .is_none_or(|o| m.kind == o.kind && m.name == o.name)
                && match path {
                    Some(p) => satisfied(expect, &p.select(&m.value)),
                    None => satisfied(expect, &[&m.value]),
                }
        }),
        Test::Ran(words) => world.actions.ran(words),
        Test::Opened(file) => world.actions.opened.contains(file),
        Test::Applied(file) => world
            .sources
            .iter()
            .any(|s| &s.path == file && world.actions.was_applied(file, &s.text)),
    }
}

/// The live object, when it is there and not being deleted.
fn present<'w>(r: &ObjectRef, world: &World<'w>) -> Option<&'w LiveObject> {
    world.live.get(&r.kind, &r.name).filter(|o| !o.deleting)
}

fn job_done(job: &JobFacts) -> bool {
    matches!(job.outcome, Some(JobOutcome::Complete))
        || (job.succeeded > 0 && job.succeeded >= job.completions.unwrap_or(1))
}

fn completed(r: &ObjectRef, world: &World) -> bool {
    let of_job = |o: &LiveObject| matches!(&o.facts, Facts::Job(j) if job_done(j));
    match r.kind.as_str() {
        "Job" => world.live.get("Job", &r.name).is_some_and(of_job),
        _ => {
            let succeeded = world
                .live
                .get(&r.kind, &r.name)
                .is_some_and(|o| matches!(&o.facts, Facts::CronJob(c) if c.last_success.is_some()));
            succeeded
                || world.live.of_kind("Job").any(|j| {
                    j.owner
                        .as_ref()
                        .is_some_and(|o| o.kind == r.kind && o.name == r.name)
                        && of_job(j)
                })
        }
    }
}

/// Whether a reference of a pod template reads `key`: by `env` (that key) or `envFrom` (every
/// key of the object).
fn reads(read: &crate::live::Reference, key: &KeyRef) -> bool {
    read.kind == key.kind
        && read.name == key.name
        && match &read.via {
            Via::Env { .. } => read.key.as_deref() == Some(key.key.as_str()),
            Via::EnvFrom { .. } => true,
            Via::Volume { .. } => false,
        }
}

fn valid(file: &str, world: &World) -> bool {
    world.workspace.reads(file)
        && !world
            .diagnostics
            .iter()
            .any(|d| d.file == file && d.severity == Severity::Error)
}

/// Whether any of `values` satisfies `expect`.
pub(super) fn satisfied(expect: &Expect, values: &[&Value]) -> bool {
    match expect {
        Expect::Present => values.iter().any(|v| !v.is_null()),
        Expect::Equals(want) => values.iter().any(|v| equals(v, want)),
        Expect::Contains(want) => values.iter().any(|v| contains(v, want)),
        Expect::Matches(pattern) => values
            .iter()
            .filter(|v| !v.is_array() && !v.is_object())
            .filter_map(|v| scalar_text(v))
            .any(|text| pattern.is_match(&text)),
    }
}

/// Same JSON value, or two scalars with the same text.
pub(super) fn equals(value: &Value, want: &Value) -> bool {
    value == want || matches!((scalar_text(value), scalar_text(want)), (Some(a), Some(b)) if a == b)
}

/// A substring of a string, an element of a list, a subset of a mapping.
pub(super) fn contains(value: &Value, want: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|item| subset(item, want)),
        Value::Object(_) => subset(value, want),
        _ => match (scalar_text(value), scalar_text(want)) {
            (Some(text), Some(part)) => text.contains(&part),
            _ => false,
        },
    }
}

/// Whether `value` has everything `want` has: every field of a mapping (recursively), an element
/// for every element of a list, the same scalar.
fn subset(value: &Value, want: &Value) -> bool {
    match (value, want) {
        (Value::Object(have), Value::Object(want)) => want
            .iter()
            .all(|(k, w)| have.get(k).is_some_and(|h| subset(h, w))),
        (Value::Array(have), Value::Array(want)) => {
            want.iter().all(|w| have.iter().any(|h| subset(h, w)))
        }
        _ => equals(value, want),
    }
}
