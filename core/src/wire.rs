//! The messages exchanged by the app and the proxy, defined once for both sides.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Text};
use crate::manifest::SourceFile;
use crate::validate::{ClusterFlavor, KnownObject};

/// The header that carries the per-launch token on every API request.
pub const TOKEN_HEADER: &str = "x-kubefiche-token";

/// `GET /api/session`: what the page needs to know about the proxy it talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The namespace every object is applied to (forced by the proxy).
    pub namespace: String,
    /// The kubeconfig context, or `local` for the bundled control plane.
    pub context: String,
    /// The Kubernetes version the API server reports, e.g. `v1.36.1`.
    pub server_version: String,
    /// The kind of local cluster, when the context name tells (kind, minikube, k3d, bundled).
    #[serde(default)]
    pub flavor: Option<ClusterFlavor>,
}

/// `POST /api/apply`: apply (or dry-run) these files into the session's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyRequest {
    pub files: Vec<SourceFile>,
    /// Ask the API server to check without persisting anything.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyResponse {
    pub namespace: String,
    /// One entry per object, in file order.
    pub results: Vec<ObjectResult>,
    /// Problems found before anything was sent (the proxy re-validates); when any of them is
    /// an error, nothing was applied.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectResult {
    pub file: String,
    /// The 1-based line where the object's document starts.
    pub line: u32,
    pub kind: String,
    pub name: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
    /// The proxy or the API server refused the object; the diagnostics point at the lines.
    Failed {
        reason: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// One pod as the cluster pane shows it (the columns of `kubectl get pods`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodRow {
    pub name: String,
    /// What `kubectl get pods` prints in STATUS: `Running`, `Pending`, `Completed`,
    /// `ContainerCreating`, `Terminating`, a waiting reason such as `ImagePullBackOff`…
    pub status: String,
    pub phase: String,
    pub ready: u32,
    pub containers: u32,
    pub restarts: u32,
    /// Creation time, RFC 3339.
    pub created: Option<String>,
    pub node: Option<String>,
    pub labels: Vec<(String, String)>,
}

/// `POST /api/stream`: server-sent events, one JSON message per event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    /// The full list of pods; sent first on every (re)connection and after a resync.
    Snapshot { pods: Vec<PodRow> },
    /// A pod was added or changed.
    Pod { pod: PodRow },
    /// A pod is gone.
    PodDeleted { name: String },
    /// The ConfigMaps, Secrets and PersistentVolumeClaims of the namespace, by name with their
    /// keys (never their values), so that references to them can be checked.
    Objects { known: Vec<KnownObject> },
    /// The watch on the cluster broke; the proxy retries and sends a snapshot when it is back.
    Problem { message: Text },
}

/// The one JSON shape of every failure the proxy answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable identifier, e.g. `bad-token`, `bad-origin`, `kind-not-allowed`.
    pub error: String,
    pub message: Text,
}
