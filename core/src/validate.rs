//! The validation engine, in layers: YAML (via [`crate::manifest`]), schema, the API server's
//! own rules, and checks across the workspace and the cluster.

mod context;
pub(crate) mod cron;
mod rules;
mod schema_check;
mod served;
pub(crate) mod syntax;
mod text;
mod workspace;

use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::{Manifest, SourceFile, parse_file};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use context::Ctx;

/// The local cluster's kind, for advice about images that must be loaded into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterFlavor {
    Kind,
    Minikube,
    K3d,
    /// The bundled control plane with simulated nodes: images are never pulled.
    Local,
}

/// An object known to exist in the cluster (so references to it are fine).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KnownObject {
    /// `ConfigMap`, `Secret`, `PersistentVolumeClaim`, `Service`…
    pub kind: String,
    pub name: String,
    /// The keys of a ConfigMap's or Secret's data (empty if unknown or not applicable).
    #[serde(default)]
    pub keys: Vec<String>,
    /// Creation time, RFC 3339, when known (so that pickers can offer the newest first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// What the caller knows about the cluster beyond the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClusterFacts {
    pub objects: Vec<KnownObject>,
}

impl ClusterFacts {
    /// The known object of this kind and name.
    pub fn get(&self, kind: &str, name: &str) -> Option<&KnownObject> {
        self.objects
            .iter()
            .find(|o| o.kind == kind && o.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Options {
    pub cluster: ClusterFacts,
    pub local_cluster_flavor: Option<ClusterFlavor>,
    /// Current time (Unix seconds, UTC) for a CronJob's next runs; `None` leaves them out.
    #[serde(default)]
    pub now_unix: Option<i64>,
    /// The proxy's policy, when the files are meant for it: its refusals are findings too.
    /// `None`: the cluster's own rules only.
    #[serde(default)]
    pub policy: Option<crate::policy::Policy>,
}

/// Every finding about the workspace, sorted by file, then line, then column.
pub fn validate_workspace(files: &[SourceFile], opts: &Options) -> Vec<Diagnostic> {
    Incremental::default().validate(files, opts)
}

/// A validator that remembers each file's own findings (layers 1 to 3) until its text changes,
/// so that a keystroke re-checks one file and the links across the workspace (layer 4).
#[derive(Default)]
pub struct Incremental {
    files: Vec<Checked>,
}

struct Checked {
    path: String,
    text: String,
    /// The minute the findings were made in (a CronJob's next runs depend on it).
    minute: Option<i64>,
    manifests: Vec<Manifest>,
    diagnostics: Vec<Diagnostic>,
}

impl Checked {
    fn new(file: &SourceFile, opts: &Options) -> Self {
        let (manifests, mut diagnostics) = parse_file(file);
        diagnostics.extend(text::check(file));
        for m in &manifests {
            let mut ctx = Ctx::new(m);
            ctx.now_unix = opts.now_unix;
            check_manifest(&mut ctx);
            diagnostics.extend(ctx.into_diagnostics());
        }
        Self {
            path: file.path.clone(),
            text: file.text.clone(),
            minute: minute(opts),
            manifests,
            diagnostics,
        }
    }
}

fn minute(opts: &Options) -> Option<i64> {
    opts.now_unix.map(|t| t.div_euclid(60))
}

impl Incremental {
    /// Every finding about the workspace, as [`validate_workspace`] gives them.
    pub fn validate(&mut self, files: &[SourceFile], opts: &Options) -> Vec<Diagnostic> {
        // By path: a workspace of many files is matched in linear time.
        let mut previous: HashMap<String, Checked> = std::mem::take(&mut self.files)
            .into_iter()
            .map(|c| (c.path.clone(), c))
            .collect();
        for file in files {
            let checked = match previous.remove(&file.path) {
                Some(c) if c.text == file.text && c.minute == minute(opts) => c,
                _ => Checked::new(file, opts),
            };
            self.files.push(checked);
        }
        let all: Vec<&Manifest> = self.files.iter().flat_map(|c| &c.manifests).collect();
        let mut diags: Vec<Diagnostic> = self
            .files
            .iter()
            .flat_map(|c| c.diagnostics.iter().cloned())
            .collect();
        let index = workspace::Index::new(&all, opts);
        for m in &all {
            let mut ctx = Ctx::new(m);
            ctx.now_unix = opts.now_unix;
            workspace::check(&mut ctx, &index);
            workspace::duplicate(&mut ctx, &index);
            diags.extend(ctx.into_diagnostics());
            if let Some(policy) = &opts.policy {
                diags.extend(policy.finding(m));
            }
        }
        sort(&mut diags);
        diags
    }
}

/// Checks of one object on its own: layer 2 (schema) then layer 3 (the API server's rules).
pub fn check_manifest(ctx: &mut Ctx<'_>) {
    let Some(ty) = served::check(ctx) else { return };
    schema_check::check(ctx, ctx.m.root(), ty);
    rules::check(ctx);
    ctx.drop_consequences_of_unknown_fields();
}

fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.file.as_str(), a.span.line, a.span.column, a.severity).cmp(&(
            b.file.as_str(),
            b.span.line,
            b.span.column,
            b.severity,
        ))
    });
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_reading;
#[cfg(test)]
mod tests_scale;
