//! The learner's progress on one worksheet, kept by the page (it survives a reload). Steps on
//! the cluster or on actions are sticky: the worksheet's cleanup steps delete what earlier steps
//! made, so such a step once done stays done until its exercise is started again. Steps on the
//! workspace alone follow the files.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Actions, Checks, ExerciseState, Memory, Status};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Progress {
    /// `exercise/step` → when it was first seen done (unix seconds).
    #[serde(default)]
    pub done: BTreeMap<String, i64>,
    /// `exercise/step` of the solutions the learner asked to see.
    #[serde(default)]
    pub solutions: BTreeSet<String>,
    #[serde(default)]
    pub actions: Actions,
    #[serde(default)]
    pub memory: Memory,
}

/// How progress names a step: `exercise/step`.
pub fn step_key(exercise: &str, step: u32) -> String {
    format!("{exercise}/{step}")
}

impl Progress {
    /// Marks every step that is done in `states` as done, at `now` (unix seconds): for good
    /// when the step is sticky, else for as long as it stays done. Returns whether anything
    /// changed.
    pub fn update(&mut self, states: &[ExerciseState], now: i64) -> bool {
        let mut changed = false;
        for exercise in states {
            for step in &exercise.steps {
                let key = step_key(&exercise.id, step.number);
                if step.status == Status::Done {
                    if let std::collections::btree_map::Entry::Vacant(entry) = self.done.entry(key)
                    {
                        entry.insert(now);
                        changed = true;
                    }
                } else if !step.sticky && self.done.remove(&key).is_some() {
                    changed = true;
                }
            }
        }
        changed
    }

    /// Whether the step was done once (and its exercise not started again since).
    pub fn is_done(&self, exercise: &str, step: u32) -> bool {
        self.done.contains_key(&step_key(exercise, step))
    }

    /// A step's status to show: done once is done; otherwise what it is live.
    pub fn status(&self, exercise: &str, step: u32, live: Status) -> Status {
        if self.is_done(exercise, step) {
            Status::Done
        } else {
            live
        }
    }

    /// An exercise's status: done when every step is done or not checkable, in progress when a
    /// step is done or in progress, else to do.
    pub fn exercise_status(&self, state: &ExerciseState) -> Status {
        let statuses: Vec<Status> = state
            .steps
            .iter()
            .map(|s| self.status(&state.id, s.number, s.status))
            .collect();
        if statuses
            .iter()
            .all(|s| matches!(s, Status::Done | Status::NotCheckable))
        {
            Status::Done
        } else if statuses
            .iter()
            .any(|s| matches!(s, Status::Done | Status::InProgress))
        {
            Status::InProgress
        } else {
            Status::Todo
        }
    }

    /// Remember that the learner asked for a step's solution.
    pub fn ask_solution(&mut self, exercise: &str, step: u32) -> bool {
        self.solutions.insert(step_key(exercise, step))
    }

    /// Whether the learner asked for this step's solution.
    pub fn asked_solution(&self, exercise: &str, step: u32) -> bool {
        self.solutions.contains(&step_key(exercise, step))
    }

    /// Start an exercise again: forget its done steps and the solutions asked for.
    pub fn reset(&mut self, exercise: &str) {
        let prefix = format!("{exercise}/");
        self.done.retain(|k, _| !k.starts_with(&prefix));
        self.solutions.retain(|k| !k.starts_with(&prefix));
    }

    /// Steps done and steps to do, for the progress bar: steps that cannot be checked here are
    /// left out of both (they never block 100 %).
    pub fn fraction(&self, checks: &Checks) -> (usize, usize) {
        let counted = checks.exercises.iter().flat_map(|e| {
            e.steps
                .iter()
                .filter(|s| s.not_checkable.is_none())
                .map(move |s| (e.id.as_str(), s.number))
        });
        counted.fold((0, 0), |(done, total), (exercise, step)| {
            (done + usize::from(self.is_done(exercise, step)), total + 1)
        })
    }
}
