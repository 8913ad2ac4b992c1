//! Failures explained: from an object's status, its events and the workspace, what went wrong,
//! why, and how to fix it — in English and French, with the line to change or the command to run.

mod config;
mod images;
mod others;
mod pods;
mod scheduling;
mod sources;

use serde::{Deserialize, Serialize};

use super::{Live, LiveObject, ObjectKey, Reference, Via};
use crate::Text;
use crate::manifest::Manifest;
use crate::validate::ClusterFlavor;

pub use sources::Sources;

/// What an explanation needs beside the live objects.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The workspace's manifests as the editor holds them (to point at the line to change).
    pub sources: &'a Sources,
    /// The kind of cluster (the image story differs on kind and minikube).
    pub flavor: Option<ClusterFlavor>,
    /// Now, in Unix seconds (for a CronJob that should have fired).
    pub now_unix: Option<i64>,
    /// The worksheet's command lines (a line that creates a missing Secret is the fix to offer).
    pub commands: &'a [String],
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
    let mut all = Vec::new();
    for object in live.objects() {
        match object.kind.as_str() {
            "Pod" => pods::explain(live, cx.sources, cx, object, &mut all),
            _ => others::explain(live, cx.sources, cx, object, &mut all),
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

/// Where the explanations about one object go.
struct Said<'a> {
    object: ObjectKey,
    into: &'a mut Vec<Explanation>,
}

impl<'a> Said<'a> {
    fn new(object: &LiveObject, into: &'a mut Vec<Explanation>) -> Self {
        Self {
            object: object.key(),
            into,
        }
    }

    fn say(
        &mut self,
        code: &str,
        level: Level,
        title: Text,
        cause: Text,
        fix: Text,
        remedies: Vec<Remedy>,
    ) {
        self.into.push(Explanation {
            object: self.object.clone(),
            code: code.into(),
            level,
            title,
            cause,
            fix,
            remedies,
        });
    }
}

fn t(en: impl Into<String>, fr: impl Into<String>) -> Text {
    Text::new(en, fr)
}

/// Where the learner changes what makes an object's pods: the workspace manifest of the object
/// (or of its top owner), and the path of the pod spec inside it.
struct Where<'a> {
    manifest: Option<&'a Manifest>,
    spec: &'static str,
}

impl<'a> Where<'a> {
    fn of(sources: &'a Sources, object: &LiveObject) -> Self {
        Self {
            manifest: sources.find(&object.kind, &object.name),
            spec: match object.kind.as_str() {
                "Pod" => "spec",
                "CronJob" => "spec.jobTemplate.spec.template.spec",
                _ => "spec.template.spec",
            },
        }
    }

    /// The line of `relative` (under the pod spec), labelled.
    fn line(&self, relative: &str, label: Text) -> Option<Remedy> {
        let m = self.manifest?;
        Some(Remedy::Line {
            file: m.file.clone(),
            line: m.span_of(format!("{}.{relative}", self.spec).as_str()).line,
            label,
        })
    }

    /// The items of the list `field` of the pod spec, as written.
    fn items(&self, field: &str) -> Vec<&'a serde_json::Value> {
        let Some(m) = self.manifest else {
            return Vec::new();
        };
        let mut value = &m.value;
        for part in self.spec.split('.').chain([field]) {
            value = &value[part];
        }
        value
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    /// `containers[i]` or `initContainers[i]` of the container named `name`.
    fn container(&self, name: &str) -> Option<String> {
        ["containers", "initContainers"]
            .into_iter()
            .find_map(|list| {
                let i = self.items(list).iter().position(|c| c["name"] == name)?;
                Some(format!("{list}[{i}]"))
            })
    }

    /// The line of `field` of container `name` (its nearest written ancestor).
    fn line_of_container(&self, name: &str, field: &str, what: &str) -> Option<Remedy> {
        let container = self.container(name)?;
        self.line(
            &format!("{container}.{field}"),
            t(
                format!("{what} of container {name}"),
                format!("{what} du conteneur {name}"),
            ),
        )
    }

    /// The line where the pod spec reads `reference`.
    fn line_of_reference(&self, reference: &Reference) -> Option<Remedy> {
        let label = t("The reference is here", "La référence est ici");
        match &reference.via {
            Via::Env {
                container,
                variable,
            } => {
                let at = self.container(container)?;
                let list = at.split('[').next().unwrap_or_default();
                let index: usize = at.trim_end_matches(']').rsplit('[').next()?.parse().ok()?;
                let env = self.items(list).get(index)?["env"]
                    .as_array()?
                    .iter()
                    .position(|e| e["name"] == variable.as_str())?;
                self.line(&format!("{at}.env[{env}].valueFrom"), label)
            }
            Via::EnvFrom { container } => {
                self.line(&format!("{}.envFrom", self.container(container)?), label)
            }
            Via::Volume { volume } => {
                let i = self
                    .items("volumes")
                    .iter()
                    .position(|v| v["name"] == volume.as_str())?;
                self.line(&format!("volumes[{i}]"), label)
            }
        }
    }
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
