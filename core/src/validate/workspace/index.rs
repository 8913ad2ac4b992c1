//! What the cross-file checks look things up in, built once per validation of the workspace:
//! the objects a pod may refer to (with their keys), the Services by name (with their ports) and
//! the workloads with their pods' labels.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::pod_paths;
use crate::kinds;
use crate::manifest::Manifest;
use crate::path::FieldPath;
use crate::validate::{KnownObject, Options};
use crate::yaml::{Key, Node};

/// An object's keys, in the manifest's order and as a set.
type KeySet<'a> = (Vec<&'a str>, HashSet<&'a str>);

/// One port of a Service defined in the workspace.
pub(super) struct SvcPort<'a> {
    pub port: i64,
    pub name: Option<&'a str>,
    /// `targetPort` when it is a number.
    pub target: Option<i64>,
    pub node_port: Option<i64>,
}

/// What is known of a Service.
pub(super) struct Svc<'a> {
    /// Its name as written.
    pub name: &'a str,
    /// Its ports, when the workspace defines it (a Service known only from the cluster has
    /// `None`: its ports are not in the facts).
    pub ports: Option<Vec<SvcPort<'a>>>,
    /// Headless or `ExternalName`: a client does not connect to the Service's own ports.
    pub any_port: bool,
}

/// A workload (or pod) of the workspace and where its pods' labels and spec are.
pub(super) struct Workload<'a> {
    pub m: &'a Manifest,
    pub labels: Option<&'a Node>,
    pub spec: FieldPath,
}

/// The lookups of the cross-file checks (see the module's documentation).
pub(crate) struct Index<'a> {
    objects: HashMap<&'a str, HashMap<&'a str, KeySet<'a>>>,
    /// By lower-case name: DNS names are not case-sensitive.
    services: HashMap<String, Svc<'a>>,
    /// Service names in the order they were found, for suggestions.
    service_names: Vec<&'a str>,
    pub(super) workloads: Vec<Workload<'a>>,
    /// The workloads whose pods carry each label (key, value), by position in `workloads`.
    by_label: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// The first Service of the workspace to ask for each node port.
    node_ports: HashMap<i64, &'a Manifest>,
    /// The first definition of each object (kind, name, namespace), for duplicates.
    first: HashMap<(&'a str, &'a str, Option<&'a str>), &'a Manifest>,
    /// The cluster's objects by kind and name (the first one listed).
    cluster: HashMap<(&'a str, &'a str), &'a KnownObject>,
    pub(super) opts: &'a Options,
}

/// What is known of an object's keys.
pub(super) enum Keys<'a> {
    /// Defined in the workspace: its keys, in order and as a set.
    Workspace(&'a KeySet<'a>),
    /// Held by the cluster, with these keys.
    Cluster(&'a [String]),
    /// Held by the cluster, its keys unknown.
    Unknown,
}

fn service<'a>(m: &'a Manifest) -> Svc<'a> {
    let spec = m.node("spec");
    let field = |f: &str| spec.and_then(|s| s.get(f)).and_then(Node::as_str);
    let any_port = field("type") == Some("ExternalName") || field("clusterIP") == Some("None");
    let ports = spec
        .and_then(|s| s.get("ports"))
        .map_or(&[][..], Node::as_seq)
        .iter()
        .filter_map(|p| {
            Some(SvcPort {
                port: p.get("port")?.as_int()?,
                name: p.get("name").and_then(Node::as_str),
                target: p.get("targetPort").and_then(Node::as_int),
                node_port: p.get("nodePort").and_then(Node::as_int),
            })
        })
        .collect();
    Svc {
        name: &m.name,
        ports: Some(ports),
        any_port,
    }
}

impl<'a> Index<'a> {
    pub(crate) fn new(all: &[&'a Manifest], opts: &'a Options) -> Self {
        let mut objects: HashMap<&str, HashMap<&str, _>> = HashMap::new();
        let mut services = HashMap::new();
        let mut service_names = Vec::new();
        let mut workloads = Vec::new();
        let mut node_ports = HashMap::new();
        let mut first = HashMap::new();
        for m in all {
            if !m.name.is_empty() {
                first
                    .entry((m.kind.as_str(), m.name.as_str(), m.namespace.as_deref()))
                    .or_insert(*m);
            }
            let names = objects.entry(m.kind.as_str()).or_default();
            names.entry(m.name.as_str()).or_insert_with(|| {
                let keys: Vec<&str> = ["data", "stringData", "binaryData"]
                    .iter()
                    .filter_map(|f| m.node(f))
                    .flat_map(|n| n.as_map().iter().map(|(k, _)| k.name.as_str()))
                    .collect();
                let set = keys.iter().copied().collect();
                (keys, set)
            });
            if kinds::find(&m.api_version, &m.kind) == Some(&kinds::SERVICE)
                && !m.name.is_empty()
                && let Entry::Vacant(e) = services.entry(m.name.to_ascii_lowercase())
            {
                let svc = service(m);
                for p in svc.ports.iter().flatten() {
                    if let Some(n) = p.node_port {
                        node_ports.entry(n).or_insert(*m);
                    }
                }
                e.insert(svc);
                service_names.push(m.name.as_str());
            }
            if let Some((labels, spec)) = pod_paths(&m.kind) {
                workloads.push(Workload {
                    m,
                    labels: m.node(&labels),
                    spec,
                });
            }
        }
        for o in opts.cluster.objects.iter().filter(|o| o.kind == "Service") {
            if let Entry::Vacant(e) = services.entry(o.name.to_ascii_lowercase()) {
                e.insert(Svc {
                    name: &o.name,
                    ports: None,
                    any_port: false,
                });
                service_names.push(&o.name);
            }
        }
        let mut by_label: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, w) in workloads.iter().enumerate() {
            for (k, v) in w.labels.map_or(&[][..], Node::as_map) {
                if let Some(v) = v.as_str() {
                    by_label.entry((k.name.as_str(), v)).or_default().push(i);
                }
            }
        }
        let mut cluster = HashMap::new();
        for o in &opts.cluster.objects {
            cluster
                .entry((o.kind.as_str(), o.name.as_str()))
                .or_insert(o);
        }
        Self {
            objects,
            services,
            service_names,
            workloads,
            by_label,
            node_ports,
            first,
            cluster,
            opts,
        }
    }

    /// The object of this kind and name, in the workspace or the cluster.
    pub(super) fn find(&self, kind: &str, name: &str) -> Option<Keys<'_>> {
        if let Some(keys) = self.objects.get(kind).and_then(|n| n.get(name)) {
            return Some(Keys::Workspace(keys));
        }
        self.cluster.get(&(kind, name)).map(|o| {
            if o.keys.is_empty() {
                Keys::Unknown
            } else {
                Keys::Cluster(&o.keys)
            }
        })
    }

    /// The workloads whose pods carry every label of `selector` (a non-empty map of strings),
    /// found from the workloads carrying one of its labels rather than from all of them.
    pub(super) fn selected(&self, selector: &[(Key, Node)]) -> Vec<&Workload<'a>> {
        let carries = |l: &Node| {
            selector
                .iter()
                .all(|(k, v)| l.get(&k.name).and_then(Node::as_str) == v.as_str())
        };
        let candidates: Vec<&Workload<'a>> = match selector.first() {
            Some((k, v)) if v.as_str().is_some() => {
                let label = (k.name.as_str(), v.as_str().unwrap_or_default());
                let found = self.by_label.get(&label).map_or(&[][..], Vec::as_slice);
                found.iter().map(|i| &self.workloads[*i]).collect()
            }
            // Not a string (the schema says so): every workload, as the selector is read.
            _ => self.workloads.iter().collect(),
        };
        candidates
            .into_iter()
            .filter(|w| w.labels.is_some_and(carries))
            .collect()
    }

    /// The first object of the workspace with the kind, name and namespace of `m` (maybe `m`).
    pub(super) fn first_of(&self, m: &Manifest) -> Option<&'a Manifest> {
        let key = (m.kind.as_str(), m.name.as_str(), m.namespace.as_deref());
        self.first.get(&key).copied()
    }

    /// Whether the workspace defines an object of this kind and name.
    pub(super) fn defines(&self, kind: &str, name: &str) -> bool {
        self.objects.get(kind).is_some_and(|n| n.contains_key(name))
    }

    /// The Service with this name (any case), in the workspace or the cluster.
    pub(super) fn service(&self, name: &str) -> Option<&Svc<'a>> {
        self.services.get(&name.to_ascii_lowercase())
    }

    /// The first Service of the workspace that asks for this node port.
    pub(super) fn node_port_owner(&self, port: i64) -> Option<&'a Manifest> {
        self.node_ports.get(&port).copied()
    }

    /// Every Service name known, in the order found.
    pub(super) fn service_names(&self) -> &[&'a str] {
        &self.service_names
    }
}

impl Keys<'_> {
    /// `false` when the keys are unknown.
    pub(super) fn lacks(&self, key: &str) -> bool {
        match self {
            Self::Workspace((_, set)) => !set.contains(key),
            Self::Cluster(keys) => !keys.iter().any(|k| k == key),
            Self::Unknown => false,
        }
    }

    /// The keys as a learner reads them: `` `a`, `b` ``.
    pub(super) fn listed(&self) -> String {
        let quoted = |k: &str| format!("`{k}`");
        match self {
            Self::Workspace((keys, _)) => keys.iter().map(|k| quoted(k)).collect::<Vec<_>>(),
            Self::Cluster(keys) => keys.iter().map(|k| quoted(k)).collect(),
            Self::Unknown => Vec::new(),
        }
        .join(", ")
    }
}
