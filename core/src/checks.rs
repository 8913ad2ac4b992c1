//! Exercises that check themselves: the checks file a course author writes beside a worksheet
//! (`public/fiches/<id>.checks.yaml`), read with its mistakes reported at their line
//! ([`parse`]), evaluated on what the page already has — the live namespace, the workspace and
//! its diagnostics, the learner's actions ([`evaluate`]) — and the learner's progress, kept per
//! worksheet ([`Progress`]).
//!
//! ```yaml
//! exercises:
//!   - id: configmap                      # [a-z0-9-]+, unique: progress is stored under it
//!     heading: "Exercice — Externaliser la configuration"   # found among the worksheet's headings
//!     cleanup: [configmap/iris-config]   # what "start this exercise again" offers to delete
//!     requires:                          # shown at the heading while the exercise is not done
//!       - ready: deployment/mlops-server
//!         hint: {fr: "…", en: "…"}
//!     steps:
//!       - step: 1                        # a numbered item under that heading
//!         checks:                        # all must hold; the first that fails is shown
//!           - exists: configmap/iris-config
//!             hint: {fr: "…", en: "…"}
//!         solution: {file: k8s/config.yaml}   # or insert: FILE, or run: [commands]
//!       - step: 4
//!         not-checkable: {fr: "…", en: "…"}   # never blocks; optional checks may still pass it
//! ```
//!
//! A heading matches when its text, trimmed of emoji, punctuation and spaces at both ends,
//! contains the `heading` text; when several do, one whose trimmed text equals it wins; exactly
//! one must be left.

mod actions;
mod condition;
mod eval;
mod parse;
mod path;
mod progress;
mod read;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Text};
use crate::live::Live;
use crate::live::explain::Sources;
use crate::manifest::SourceFile;

pub use actions::{Actions, MOST_COMMANDS, Memory, text_hash};
pub use eval::evaluate;
pub use parse::parse;
pub use path::{Path, PathError};
pub use progress::{Progress, step_key};

/// The structure of a worksheet, as the page reads it from the markdown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outline {
    pub headings: Vec<OutlineHeading>,
}

/// One heading of a worksheet and the numbers of the numbered-list items under it (up to the
/// next heading).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OutlineHeading {
    pub text: String,
    pub steps: Vec<u32>,
}

/// A mistake in a checks file, at its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("line {line}: {}", message.en)]
pub struct AuthorError {
    pub line: usize,
    pub message: Text,
}

/// A checks file, read and verified against its worksheet and workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Checks {
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// Where progress is stored: `[a-z0-9-]+`, unique in the file.
    pub id: String,
    /// The `heading` text as written.
    pub heading: String,
    /// The index in [`Outline::headings`] of the one heading it matched.
    pub heading_index: usize,
    /// The line of the exercise in the checks file.
    pub line: usize,
    /// The objects "start this exercise again" offers to delete.
    pub cleanup: Vec<ObjectRef>,
    /// What the exercise needs before it starts (shown while it is not done).
    pub requires: Vec<Condition>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The number of its item in the numbered list under the exercise's heading.
    pub number: u32,
    pub line: usize,
    /// All must hold; the first that fails is the one shown.
    pub checks: Vec<Condition>,
    /// Why the local cluster cannot verify this step (it then never blocks progress).
    pub not_checkable: Option<Text>,
    pub solution: Option<Solution>,
}

/// What the learner may ask to see when stuck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Solution {
    /// The worksheet's version of this workspace file (shown as a diff).
    File(String),
    /// The step's fragment merged into this workspace file (shown as a diff).
    Insert(String),
    /// Commands to run.
    Run(Vec<String>),
}

/// One condition and the hint shown when it is the first that fails.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub test: Test,
    pub hint: Text,
    /// Its line in the checks file.
    pub line: usize,
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// The object is in the namespace and not being deleted.
    Exists(ObjectRef),
    /// It was seen in the namespace and is not there any more.
    Gone(ObjectRef),
    /// A field of the live object (any selected value satisfies the expectation).
    Field {
        object: ObjectRef,
        path: Path,
        expect: Expect,
    },
    /// A Deployment or ReplicaSet has `replicas` ready replicas, or else all it wants (≥ 1).
    Ready {
        object: ObjectRef,
        replicas: Option<u32>,
    },
    /// A PersistentVolumeClaim is Bound.
    Bound(ObjectRef),
    /// A Job completed, or a Job of a CronJob did.
    Completed(ObjectRef),
    /// A pod of the workload seen earlier is gone and another one is Running.
    Replaced(ObjectRef),
    /// The pods of a workload (or a pod) read this key through env or envFrom.
    Reads { object: ObjectRef, key: KeyRef },
    /// A workspace file parses and has no error.
    Valid(String),
    /// A manifest of a workspace file (of `object`, else any) satisfies the expectation at `path`
    /// (else at its root).
    Manifest {
        file: String,
        object: Option<ObjectRef>,
        path: Option<Path>,
        expect: Expect,
    },
    /// A command was run whose words start with these (`*` and `<…>` match any one word).
    Ran(Vec<String>),
    /// The file was applied with exactly its current text.
    Applied(String),
    /// The file was shown in the editor (the page gives the worksheet's files ready-made: a
    /// "create this file" step is the learner opening it).
    Opened(String),
}

/// A `KIND/NAME` reference, with the kind as the API spells it (`Deployment`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
}

/// A key of a ConfigMap or Secret: `configmap/NAME/KEY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRef {
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    pub name: String,
    pub key: String,
}

/// What the selected values must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// At least one value is selected (and not null).
    Present,
    /// Same JSON value, or both scalars with the same text (`5` equals `"5"`).
    Equals(serde_json::Value),
    /// A substring of a string; an element of a list (or, for a mapping, an element having all
    /// its fields); a subset of a mapping.
    Contains(serde_json::Value),
    /// A regular expression found in a scalar's text.
    Matches(Pattern),
}

/// A regular expression and its source text.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    regex: regex_lite::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Pattern {
    /// Compiles `source`, or says why it is not a regular expression.
    pub fn new(source: &str) -> Result<Self, String> {
        regex_lite::Regex::new(source)
            .map(|regex| Self {
                source: source.to_owned(),
                regex,
            })
            .map_err(|e| e.to_string())
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

/// What conditions are evaluated on: everything the page already has.
#[derive(Debug, Clone, Copy)]
pub struct World<'a> {
    pub live: &'a Live,
    /// The workspace's files.
    pub sources: &'a [SourceFile],
    /// Their manifests, read once per edit (the page evaluates the checks on every change in
    /// the cluster).
    pub workspace: &'a Sources,
    /// The same files as the worksheet gives them (a condition on a file the learner has not
    /// changed does not start a step).
    pub given: &'a [SourceFile],
    /// The validator's findings on them.
    pub diagnostics: &'a [Diagnostic],
    pub actions: &'a Actions,
    pub memory: &'a Memory,
}

/// Where an exercise stands, live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseState {
    pub id: String,
    pub steps: Vec<StepState>,
    /// The first requirement that does not hold.
    pub requires: Option<Failing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepState {
    pub number: u32,
    pub status: Status,
    /// How many of its conditions hold, of `total`.
    pub held: usize,
    pub total: usize,
    /// The first condition that does not hold.
    pub failing: Option<Failing>,
    /// Once done, it stays done ([`Progress`]); a step whose conditions are all on the
    /// workspace (`valid`, `manifest`, `opened`) is not: breaking the file reopens it.
    #[serde(default)]
    pub sticky: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Nothing the learner did holds yet (the worksheet's files being valid as given does not
    /// count).
    Todo,
    /// Some conditions hold (one of them through the learner), not all.
    InProgress,
    /// All hold (or, in [`Progress`], they did once).
    Done,
    /// The local cluster cannot verify it; it never blocks.
    NotCheckable,
}

/// The condition shown: its index among the step's checks (or the requirements), its hint and
/// its line in the checks file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failing {
    pub index: usize,
    pub hint: Text,
    pub line: usize,
}

#[cfg(test)]
mod tests_actions;
#[cfg(test)]
mod tests_eval;
#[cfg(test)]
mod tests_parse;
#[cfg(test)]
mod tests_path;
#[cfg(test)]
mod tests_progress;
