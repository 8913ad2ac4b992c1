//! The messages exchanged by the app and the proxy, defined once for both sides.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Text};
use crate::live::{EventRow, LiveObject};
use crate::manifest::SourceFile;
use crate::validate::ClusterFlavor;

pub mod class;

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
    /// The proxy's policy settings: the editor shows its refusals as the learner types.
    #[serde(default)]
    pub policy: crate::policy::Settings,
    /// Who the page speaks for: a learner alone, a learner's seat in a class, or the instructor.
    #[serde(default)]
    pub role: class::Role,
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
///
/// Every connection starts with a [`StreamEvent::Snapshot`] of the whole namespace, and so does a
/// tab that fell too far behind; after it, changes one by one. Folding the events into a
/// [`crate::live::Live`] gives what `kubectl get` of the same kinds gives — as of the moment the
/// [`Health`] the stream carries says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    /// Every object of the namespace the proxy watches, and the namespace's recent events.
    Snapshot {
        objects: Vec<LiveObject>,
        events: Vec<EventRow>,
        /// Whether the proxy follows the cluster right now (a tab knows it from its first message).
        #[serde(default)]
        health: Health,
    },
    /// An object was added or changed.
    Changed { object: LiveObject },
    /// An object is gone.
    Deleted { kind: String, name: String },
    /// An event was recorded or counted again.
    Event { event: EventRow },
    /// An event expired.
    EventDeleted { uid: String },
    /// The proxy's watch on the cluster changed state. While it is not [`Health::Live`] the
    /// proxy retries, and once back it sends what changed meanwhile.
    Health { health: Health },
}

/// How the proxy follows the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Health {
    /// Every watch runs: what the stream told is what the cluster holds.
    #[default]
    Live,
    /// A watch broke at `since` (Unix milliseconds) and the proxy is connecting again; what the
    /// stream told is as of `since`.
    Reconnecting { since: u64, reason: Text },
    /// The cluster did not answer again after a break at `since` (Unix milliseconds); the proxy
    /// keeps trying. What the stream told is as of `since`.
    Unreachable { since: u64, reason: Text },
}

impl Health {
    /// When the view stopped being live (Unix milliseconds); `None` while it is live.
    pub fn since(&self) -> Option<u64> {
        match self {
            Self::Live => None,
            Self::Reconnecting { since, .. } | Self::Unreachable { since, .. } => Some(*since),
        }
    }

    /// Why the view is not live.
    pub fn reason(&self) -> Option<&Text> {
        match self {
            Self::Live => None,
            Self::Reconnecting { reason, .. } | Self::Unreachable { reason, .. } => Some(reason),
        }
    }
}

/// The one JSON shape of every failure the proxy answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable identifier, e.g. `bad-token`, `bad-origin`, `kind-not-allowed`.
    pub error: String,
    pub message: Text,
}

/// `POST /api/command`: run one command line (placeholders already filled) in the session's
/// namespace. The proxy parses and allowlists it again; a refusal is an [`ErrorBody`]
/// (`command-refused`) before anything runs, otherwise the answer is a stream of server-sent
/// events, one [`CommandEvent`] each, ending with [`CommandEvent::Exit`]. Closing the stream
/// stops the command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandRequest {
    pub line: String,
    /// The workspace files as the editor holds them: `-f k8s/x.yaml` reads from here, never
    /// from a disk.
    #[serde(default)]
    pub files: Vec<SourceFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CommandEvent {
    /// The command started; `argv` is what runs, with the flags the proxy forces left out.
    Started { argv: Vec<String> },
    /// Output, in the order kubectl wrote it; `stderr` marks what it wrote to its error stream.
    Output { text: String, stderr: bool },
    /// A word from kubefiche itself, not from kubectl (e.g. why logs are empty on simulated nodes).
    Note { message: Text },
    /// The command ended. `code` is kubectl's exit status (`None` when it was stopped);
    /// `truncated` when output went past the limit; `timed_out` when it ran too long.
    Exit {
        code: Option<i32>,
        #[serde(default)]
        truncated: bool,
        #[serde(default)]
        timed_out: bool,
    },
}

/// The first message of a terminal channel (`GET /api/terminal`, a WebSocket): nothing runs and
/// nothing is sent back before it arrives and its token checks out. Afterwards binary frames carry
/// keystrokes one way and terminal output the other; text frames carry [`TerminalControl`] from
/// the page and [`TerminalEvent`] from the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalHello {
    pub token: String,
    /// An `exec -it` command line, placeholders filled.
    pub line: String,
    pub cols: u16,
    pub rows: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TerminalControl {
    Resize { cols: u16, rows: u16 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TerminalEvent {
    /// The command was refused (the same reasons as for `/api/command`); nothing ran.
    Refused { error: ErrorBody },
    /// A word from kubefiche (e.g. containers do not run on simulated nodes).
    Note { message: Text },
    /// The session in the pod ended with this status (`None` when it was cut).
    Exit { code: Option<i32> },
}
