//! The validation engine, in layers: YAML (via [`crate::manifest`]), schema, the API server's
//! own rules, and checks across the workspace and the cluster.

mod context;
mod cron;
mod kinds;
pub(crate) mod rules;
pub(crate) mod schema_check;
pub(crate) mod syntax;
mod text;
mod workspace;

use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::{Manifest, SourceFile, parse_file};
use serde::{Deserialize, Serialize};

pub use context::Ctx;

/// A Kubernetes minor version, e.g. 1.36.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KubernetesVersion {
    pub major: u32,
    pub minor: u32,
}

impl Default for KubernetesVersion {
    /// The pinned version, 1.36.
    fn default() -> Self {
        Self { major: 1, minor: 36 }
    }
}

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
}

/// What the caller knows about the cluster beyond the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClusterFacts {
    pub objects: Vec<KnownObject>,
}

impl ClusterFacts {
    /// The known object of this kind and name.
    pub fn get(&self, kind: &str, name: &str) -> Option<&KnownObject> {
        self.objects.iter().find(|o| o.kind == kind && o.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Options {
    pub kubernetes_version: KubernetesVersion,
    pub cluster: ClusterFacts,
    pub local_cluster_flavor: Option<ClusterFlavor>,
    /// Current time (Unix seconds, UTC) for a CronJob's next runs; `None` leaves them out.
    #[serde(default)]
    pub now_unix: Option<i64>,
}

/// Every finding about the workspace, sorted by file, then line, then column.
pub fn validate_workspace(files: &[SourceFile], opts: &Options) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut manifests: Vec<Manifest> = Vec::new();
    for file in files {
        let (ms, ds) = parse_file(file);
        diags.extend(ds);
        diags.extend(text::check(file));
        manifests.extend(ms);
    }
    for m in &manifests {
        let mut ctx = Ctx::new(m);
        ctx.now_unix = opts.now_unix;
        check_manifest(&mut ctx);
        workspace::check(&mut ctx, &manifests, opts);
        workspace::duplicate(&mut ctx, &manifests);
        diags.extend(ctx.into_diagnostics());
    }
    sort(&mut diags);
    diags
}

/// Checks of one object on its own: layer 2 (schema) then layer 3 (the API server's rules).
pub fn check_manifest(ctx: &mut Ctx<'_>) {
    let Some(ty) = kinds::check(ctx) else { return };
    schema_check::check(ctx, ctx.m.root(), ty);
    rules::check(ctx);
}

fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.file.as_str(), a.span.line, a.span.column, a.severity)
            .cmp(&(b.file.as_str(), b.span.line, b.span.column, b.severity))
    });
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests;
