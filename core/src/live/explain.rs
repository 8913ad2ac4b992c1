//! Failures explained: from an object's status, its events and the workspace, what went wrong,
//! why, and how to fix it — in English and French, with the line to change or the command to run.

mod others;
mod pods;
mod sources;

use serde::{Deserialize, Serialize};

use super::{Live, ObjectKey};
use crate::Text;
use crate::manifest::SourceFile;
use crate::validate::ClusterFlavor;

pub use sources::Sources;

/// What an explanation needs beside the live objects.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The workspace as the editor holds it (to point at the line to change).
    pub files: &'a [SourceFile],
    /// The kind of cluster (the image story differs on kind and minikube).
    pub flavor: Option<ClusterFlavor>,
    /// Now, in Unix seconds (for a CronJob that should have fired).
    pub now_unix: Option<i64>,
}

/// How serious it is: `Info` teaches about a normal state (a Job's pod is `Completed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// One thing the pane explains about one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub object: ObjectKey,
    /// A stable identifier of the situation, e.g. `missing-config`, `image-pull`.
    pub code: String,
    pub level: Level,
    /// A few words: "Secret iris-secrets is missing".
    pub title: Text,
    /// What happened and why, naming the objects.
    pub cause: Text,
    /// What to do.
    pub fix: Text,
    pub remedies: Vec<Remedy>,
}

/// A step that fixes it: a line of the workspace to change, or a command to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Remedy {
    /// Change this line of a workspace file (1-based).
    Line {
        file: String,
        line: u32,
        label: Text,
    },
    /// Run this command (a kubectl line runs from the page; others are for the learner's own
    /// terminal, the page says so).
    Command { line: String },
}

/// Every explanation for the namespace, most serious first, then by object.
pub fn explain(live: &Live, cx: &Context<'_>) -> Vec<Explanation> {
    let sources = Sources::new(cx.files);
    let mut all = Vec::new();
    for object in live.objects() {
        match object.kind.as_str() {
            "Pod" => pods::explain(live, &sources, cx, object, &mut all),
            _ => others::explain(live, &sources, cx, object, &mut all),
        }
    }
    all.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.object.cmp(&b.object)));
    all
}

/// The explanations about `object`.
pub fn about<'a>(
    all: &'a [Explanation],
    object: &ObjectKey,
) -> impl Iterator<Item = &'a Explanation> {
    all.iter().filter(move |e| &e.object == object)
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
