//! The namespace as the teaching view sees it: every object the proxy watches, digested into the
//! facts the page shows and reasons about (never a Secret's values), and the store both sides keep
//! of them. The proxy digests what it watches ([`digest`]) and streams it; the page folds the
//! stream into a [`Live`] and reads relations ([`relations`]) and explanations ([`explain`]) from it.

pub mod digest;
pub mod explain;
pub mod relations;
mod schedule;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use schedule::{next_run, schedule_words, unix_seconds};

use crate::validate::{ClusterFacts, KnownObject};
use crate::wire::{Health, PodRow, StreamEvent};

/// A kind and a name: how objects of one namespace are told apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    pub kind: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(kind: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            name: name.into(),
        }
    }
}

/// One object of the namespace, as the page needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveObject {
    pub kind: String,
    pub name: String,
    pub uid: String,
    /// Creation time, RFC 3339.
    #[serde(default)]
    pub created: Option<String>,
    /// A deletion was asked for and is under way (finalizers, graceful termination).
    #[serde(default)]
    pub deleting: bool,
    #[serde(default)]
    pub labels: Vec<(String, String)>,
    /// The controller that owns it (a ReplicaSet for a Deployment's pods…).
    #[serde(default)]
    pub owner: Option<ObjectKey>,
    pub facts: Facts,
    /// The object as the API server serves it, for the checks of exercises that look at a
    /// field, minus what only adds noise or must stay private: `metadata.managedFields`,
    /// `metadata.resourceVersion`, the `kubectl.kubernetes.io/last-applied-configuration`
    /// annotation, and for a Secret every value of `data` and `stringData` (emptied, keys kept).
    #[serde(default)]
    pub object: serde_json::Value,
}

impl LiveObject {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.kind, &self.name)
    }

    /// What references to it may rely on (names and keys, never values).
    pub fn known(&self) -> KnownObject {
        let keys = match &self.facts {
            Facts::ConfigMap { keys } | Facts::Secret { keys, .. } => keys.clone(),
            _ => Vec::new(),
        };
        KnownObject {
            kind: self.kind.clone(),
            name: self.name.clone(),
            keys,
            created: self.created.clone(),
        }
    }

    pub fn pod(&self) -> Option<&PodFacts> {
        match &self.facts {
            Facts::Pod(pod) => Some(pod.as_ref()),
            _ => None,
        }
    }

    /// The pods' template of a workload, or the spec of a pod.
    pub fn template(&self) -> Option<&Template> {
        match &self.facts {
            Facts::Pod(pod) => Some(&pod.spec),
            Facts::Deployment(d) => Some(&d.template),
            Facts::ReplicaSet(r) => Some(&r.template),
            Facts::Job(j) => Some(&j.template),
            Facts::CronJob(c) => Some(&c.template),
            _ => None,
        }
    }
}

/// What each kind has to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Facts {
    Pod(Box<PodFacts>),
    Deployment(Box<DeploymentFacts>),
    ReplicaSet(Box<ReplicaSetFacts>),
    Job(Box<JobFacts>),
    CronJob(Box<CronJobFacts>),
    Service(Box<ServiceFacts>),
    Claim(Box<ClaimFacts>),
    /// The keys of `data` and `binaryData`.
    ConfigMap {
        keys: Vec<String>,
    },
    /// The keys of `data` and `stringData` (never the values) and the Secret's type.
    Secret {
        keys: Vec<String>,
        r#type: String,
    },
}

/// What a pod spec (or a workload's pod template) uses: what it reads, mounts and runs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Template {
    /// The labels of the pods (a template's `metadata.labels`).
    #[serde(default)]
    pub labels: Vec<(String, String)>,
    #[serde(default)]
    pub containers: Vec<ContainerSpec>,
    /// ConfigMaps and Secrets read by env, envFrom or volumes.
    #[serde(default)]
    pub reads: Vec<Reference>,
    /// PersistentVolumeClaims mounted, by claim name.
    #[serde(default)]
    pub claims: Vec<String>,
    #[serde(default)]
    pub restart_policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContainerSpec {
    pub name: String,
    #[serde(default)]
    pub init: bool,
    pub image: String,
    #[serde(default)]
    pub pull_policy: Option<String>,
    /// `resources.limits.memory`, as written.
    #[serde(default)]
    pub memory_limit: Option<String>,
}

/// A ConfigMap or Secret that a pod reads, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reference {
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    pub name: String,
    /// The key read, for `configMapKeyRef`/`secretKeyRef` and volume items.
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub optional: bool,
    pub via: Via,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Via {
    /// `env[].valueFrom` of a container, into `variable`.
    Env { container: String, variable: String },
    /// `envFrom` of a container.
    EnvFrom { container: String },
    /// A `configMap`/`secret` volume (or a projected source) named `volume`.
    Volume { volume: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodFacts {
    /// The columns of `kubectl get pods`.
    pub row: PodRow,
    /// `status.reason` and `status.message` (e.g. `Evicted` and why).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// The `PodScheduled` condition when it is not True: its reason and message.
    #[serde(default)]
    pub unscheduled: Option<Condition>,
    /// The status of each container, init containers first.
    #[serde(default)]
    pub containers: Vec<ContainerStatus>,
    pub spec: Template,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Condition {
    pub reason: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerStatus {
    pub name: String,
    #[serde(default)]
    pub init: bool,
    pub ready: bool,
    pub restarts: u32,
    pub state: ContainerState,
    /// The previous run, when it ended.
    #[serde(default)]
    pub last: Option<Terminated>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContainerState {
    Waiting { reason: String, message: String },
    Running { started: Option<String> },
    Terminated(Terminated),
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Terminated {
    pub reason: String,
    pub exit_code: i32,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub finished: Option<String>,
}

/// A label selector: `matchLabels` and `matchExpressions` (as `key op values`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Selector {
    #[serde(default)]
    pub labels: Vec<(String, String)>,
    #[serde(default)]
    pub expressions: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`.
    pub operator: String,
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentFacts {
    pub replicas: u32,
    pub ready: u32,
    pub updated: u32,
    pub available: u32,
    pub selector: Selector,
    pub paused: bool,
    /// The `Progressing` condition when it says the rollout is stuck (`ProgressDeadlineExceeded`).
    #[serde(default)]
    pub stuck: Option<Condition>,
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaSetFacts {
    pub replicas: u32,
    pub current: u32,
    pub ready: u32,
    /// `deployment.kubernetes.io/revision`.
    #[serde(default)]
    pub revision: Option<String>,
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFacts {
    pub completions: Option<u32>,
    pub succeeded: u32,
    pub failed: u32,
    pub active: u32,
    pub backoff_limit: u32,
    pub suspended: bool,
    #[serde(default)]
    pub started: Option<String>,
    #[serde(default)]
    pub finished: Option<String>,
    /// `Complete`, `Failed` (with the condition's reason and message), or `None` while it runs.
    #[serde(default)]
    pub outcome: Option<JobOutcome>,
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobOutcome {
    Complete,
    Failed(Condition),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CronJobFacts {
    pub schedule: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    pub suspended: bool,
    #[serde(default)]
    pub last_schedule: Option<String>,
    #[serde(default)]
    pub last_success: Option<String>,
    /// The names of the Jobs running now.
    #[serde(default)]
    pub active: Vec<String>,
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFacts {
    pub r#type: String,
    #[serde(default)]
    pub cluster_ip: Option<String>,
    #[serde(default)]
    pub ports: Vec<ServicePort>,
    /// `None` for a Service without a selector (its endpoints are managed by hand).
    #[serde(default)]
    pub selector: Option<Vec<(String, String)>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePort {
    #[serde(default)]
    pub name: Option<String>,
    pub port: i32,
    /// A number or a container port's name, as written.
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub node_port: Option<i32>,
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimFacts {
    /// `Pending`, `Bound`, `Lost`.
    pub phase: String,
    #[serde(default)]
    pub volume: Option<String>,
    /// What was granted (`status.capacity.storage`), else what was asked.
    #[serde(default)]
    pub capacity: Option<String>,
    #[serde(default)]
    pub requested: Option<String>,
    #[serde(default)]
    pub access_modes: Vec<String>,
    #[serde(default)]
    pub storage_class: Option<String>,
}

/// One event of the namespace (the columns of `kubectl events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub uid: String,
    /// The object it is about.
    pub object: ObjectKey,
    pub warning: bool,
    pub reason: String,
    pub message: String,
    pub count: u32,
    /// When it was last seen, RFC 3339.
    #[serde(default)]
    pub last: Option<String>,
    /// Who reported it (`kubelet`, `deployment-controller`…).
    #[serde(default)]
    pub source: String,
}

/// The most events the store keeps (the newest).
pub const MOST_EVENTS: usize = 500;

/// The namespace as the stream has told it so far.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Live {
    objects: BTreeMap<ObjectKey, LiveObject>,
    events: BTreeMap<String, EventRow>,
    /// Whether the proxy follows the cluster: when not, the rest is as of `health.since()`.
    health: Health,
}

impl Live {
    /// Fold one stream event in. Returns whether it was a full snapshot.
    pub fn apply(&mut self, event: StreamEvent) -> bool {
        match event {
            StreamEvent::Snapshot {
                objects,
                events,
                health,
            } => {
                self.objects = objects.into_iter().map(|o| (o.key(), o)).collect();
                self.events = events.into_iter().map(|e| (e.uid.clone(), e)).collect();
                self.health = health;
                return true;
            }
            StreamEvent::Changed { object } => {
                self.objects.insert(object.key(), object);
            }
            StreamEvent::Deleted { kind, name } => {
                self.objects.remove(&ObjectKey { kind, name });
            }
            StreamEvent::Event { event } => {
                self.events.insert(event.uid.clone(), event);
                if self.events.len() > MOST_EVENTS {
                    let oldest = self
                        .events
                        .values()
                        .min_by(|a, b| a.last.cmp(&b.last))
                        .map(|e| e.uid.clone());
                    if let Some(uid) = oldest {
                        self.events.remove(&uid);
                    }
                }
            }
            StreamEvent::EventDeleted { uid } => {
                self.events.remove(&uid);
            }
            StreamEvent::Health { health } => self.health = health,
        }
        false
    }

    /// Everything it holds, as the snapshot a stream starts with.
    pub fn snapshot(&self) -> StreamEvent {
        StreamEvent::Snapshot {
            objects: self.objects.values().cloned().collect(),
            events: self.events.values().cloned().collect(),
            health: self.health.clone(),
        }
    }

    /// Whether the proxy follows the cluster right now.
    pub fn health(&self) -> &Health {
        &self.health
    }

    pub fn get(&self, kind: &str, name: &str) -> Option<&LiveObject> {
        self.objects.get(&ObjectKey::new(kind, name))
    }

    /// Every object, by kind then name.
    pub fn objects(&self) -> impl Iterator<Item = &LiveObject> {
        self.objects.values()
    }

    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a LiveObject> {
        self.objects.values().filter(move |o| o.kind == kind)
    }

    /// The rows of `kubectl get pods`, by name.
    pub fn pod_rows(&self) -> Vec<PodRow> {
        self.of_kind("Pod")
            .filter_map(|o| o.pod().map(|p| p.row.clone()))
            .collect()
    }

    /// What manifests may refer to: every object but pods, ReplicaSets and events, by name (and
    /// keys for ConfigMaps and Secrets).
    pub fn facts(&self) -> ClusterFacts {
        ClusterFacts {
            objects: self
                .objects
                .values()
                .filter(|o| !matches!(o.facts, Facts::Pod(_) | Facts::ReplicaSet(_)))
                .map(LiveObject::known)
                .collect(),
        }
    }

    /// Events, newest first; only those about `object` when given.
    pub fn events(&self, object: Option<&ObjectKey>) -> Vec<&EventRow> {
        let mut events: Vec<&EventRow> = self
            .events
            .values()
            .filter(|e| object.is_none_or(|o| &e.object == o))
            .collect();
        events.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.uid.cmp(&b.uid)));
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_map(name: &str) -> LiveObject {
        LiveObject {
            kind: "ConfigMap".into(),
            name: name.into(),
            uid: format!("u-{name}"),
            created: None,
            deleting: false,
            labels: vec![],
            owner: None,
            facts: Facts::ConfigMap {
                keys: vec!["k".into()],
            },
            object: serde_json::Value::Null,
        }
    }

    #[test]
    fn the_store_follows_the_stream() {
        let mut live = Live::default();
        assert!(live.apply(StreamEvent::Snapshot {
            objects: vec![config_map("b")],
            events: vec![],
            health: Health::Live,
        }));
        assert!(!live.apply(StreamEvent::Changed {
            object: config_map("a")
        }));
        let names: Vec<&str> = live.objects().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(live.facts().objects[0].keys, ["k"]);
        live.apply(StreamEvent::Deleted {
            kind: "ConfigMap".into(),
            name: "a".into(),
        });
        assert!(live.get("ConfigMap", "a").is_none());
        for i in 0..MOST_EVENTS + 3 {
            live.apply(StreamEvent::Event {
                event: EventRow {
                    uid: format!("e{i:04}"),
                    object: ObjectKey::new("ConfigMap", "b"),
                    warning: false,
                    reason: "R".into(),
                    message: String::new(),
                    count: 1,
                    last: Some(format!("2026-01-01T00:{:02}:{:02}Z", i / 60, i % 60)),
                    source: String::new(),
                },
            });
        }
        let events = live.events(Some(&ObjectKey::new("ConfigMap", "b")));
        assert_eq!(events.len(), MOST_EVENTS);
        assert_eq!(
            events[0].uid,
            format!("e{:04}", MOST_EVENTS + 2),
            "newest first"
        );
        let mut copy = Live::default();
        copy.apply(live.snapshot());
        assert_eq!(copy, live, "a snapshot of the store gives the same store");
        live.apply(StreamEvent::Snapshot {
            objects: vec![],
            events: vec![],
            health: Health::Live,
        });
        assert_eq!(live.objects().count() + live.events(None).len(), 0);
    }
}
