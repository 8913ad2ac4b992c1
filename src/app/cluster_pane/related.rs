//! Which objects an object is related to, the way the manifests tie them (selector, claimName,
//! configMapKeyRef, secretKeyRef, envFrom, volumes), both ways: a workload reads a ConfigMap, the
//! ConfigMap is read by the workload. Pure, from the live model.

use std::collections::BTreeSet;

use kubefiche_core::live::relations::{endpoints, mounting, readers, selects, top};
use kubefiche_core::live::{Facts, Live, LiveObject, ObjectKey, Via};

/// One kind of relation (its label's key in `i18n`) and the objects at its other end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub label: &'static str,
    pub links: Vec<Rel>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    pub key: ObjectKey,
    /// Whether the object is in the namespace (a link), or only named (missing).
    pub exists: bool,
    /// A word about the link: `ready`, `not ready` (label keys), or how it is read (`env API_NAME`).
    pub note: Option<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A label's key in `i18n`.
    Label(&'static str),
    /// Text as it is (field names).
    Plain(String),
}

fn rel(live: &Live, kind: &str, name: &str, note: Option<Note>) -> Rel {
    Rel {
        key: ObjectKey::new(kind, name),
        exists: live.get(kind, name).is_some(),
        note,
    }
}

/// The relations of `object`. A workload's are told on its top owner only (a Deployment, not
/// each of its pods).
pub fn related(live: &Live, object: &LiveObject) -> Vec<Relation> {
    let mut all = Vec::new();
    let mut push = |label, links: Vec<Rel>| {
        if !links.is_empty() {
            all.push(Relation { label, links });
        }
    };
    match &object.facts {
        Facts::Service(_) => {
            let links = endpoints(live, object)
                .into_iter()
                .map(|e| {
                    let note = if e.ready {
                        "rel.ready"
                    } else {
                        "rel.not.ready"
                    };
                    rel(live, "Pod", &e.pod, Some(Note::Label(note)))
                })
                .collect();
            push("rel.endpoints", links);
        }
        Facts::Claim(_) => {
            let links = mounting(live, &object.name)
                .into_iter()
                .map(|p| rel(live, "Pod", &p.name, None))
                .collect();
            push("rel.mounted.by", links);
        }
        Facts::ConfigMap { .. } | Facts::Secret { .. } => {
            let links = readers(live, &object.kind, &object.name)
                .into_iter()
                .map(|(reader, how)| {
                    let ways: Vec<String> = how.iter().map(|r| via(&r.via)).collect();
                    let note = Some(Note::Plain(ways.join(", ")));
                    rel(live, &reader.kind, &reader.name, note)
                })
                .collect();
            push("rel.read.by", links);
        }
        _ => {}
    }
    let Some(template) = object.template() else {
        return all;
    };
    if top(live, object).key() != object.key() {
        return all;
    }
    let reads: BTreeSet<(&str, &str)> = template
        .reads
        .iter()
        .map(|r| (r.kind.as_str(), r.name.as_str()))
        .collect();
    push(
        "rel.reads",
        reads
            .into_iter()
            .map(|(kind, name)| rel(live, kind, name, None))
            .collect(),
    );
    let claims: BTreeSet<&str> = template.claims.iter().map(String::as_str).collect();
    push(
        "rel.mounts",
        claims
            .into_iter()
            .map(|name| rel(live, "PersistentVolumeClaim", name, None))
            .collect(),
    );
    let services = live
        .of_kind("Service")
        .filter(|s| match &s.facts {
            Facts::Service(f) => f
                .selector
                .as_ref()
                .is_some_and(|sel| selects(sel, &template.labels)),
            _ => false,
        })
        .map(|s| rel(live, "Service", &s.name, None))
        .collect();
    push("rel.exposed.by", services);
    all
}

/// How a ConfigMap or Secret is read: `env API_NAME`, `envFrom`, `volume config`.
fn via(via: &Via) -> String {
    match via {
        Via::Env { variable, .. } => format!("env {variable}"),
        Via::EnvFrom { .. } => "envFrom".to_owned(),
        Via::Volume { volume } => format!("volume {volume}"),
    }
}

/// The keys of a ConfigMap or Secret (never a value: the model has none).
pub fn keys(object: &LiveObject) -> Option<&[String]> {
    match &object.facts {
        Facts::ConfigMap { keys } | Facts::Secret { keys, .. } => Some(keys),
        _ => None,
    }
}

#[cfg(test)]
#[path = "related_tests.rs"]
pub(super) mod tests;
