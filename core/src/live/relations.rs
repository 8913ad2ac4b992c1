//! How the objects of a namespace hang together, the way Kubernetes thinks of it: who owns whom
//! (Deployment → ReplicaSet → Pod, CronJob → Job → Pod), which pods a Service selects, which pods
//! mount a claim, and which workloads read a ConfigMap or Secret.

use super::{Facts, Live, LiveObject, ObjectKey, Reference, Selector};

/// One object and what it owns, as the pane folds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub key: ObjectKey,
    pub children: Vec<Node>,
}

/// The order of the pane's sections: workloads first, then what they use.
pub const SECTIONS: [&str; 9] = [
    "Deployment",
    "CronJob",
    "Job",
    "ReplicaSet",
    "Pod",
    "Service",
    "PersistentVolumeClaim",
    "ConfigMap",
    "Secret",
];

/// Every object under its owner; the top level holds those without an owner the view knows, in
/// the order of [`SECTIONS`], then by name. Owned objects come newest first (a CronJob's latest Job
/// on top), then by name.
pub fn tree(live: &Live) -> Vec<Node> {
    SECTIONS
        .iter()
        .flat_map(|kind| live.of_kind(kind))
        .filter(|o| {
            o.owner
                .as_ref()
                .is_none_or(|owner| live.get(&owner.kind, &owner.name).is_none())
        })
        .map(|o| node(live, o, 0))
        .collect()
}

fn node(live: &Live, object: &LiveObject, depth: usize) -> Node {
    let key = object.key();
    // Ownership cannot loop in a cluster, but a stream can hold anything: stop deep.
    let children = if depth < 4 {
        owned(live, &key)
            .into_iter()
            .map(|child| node(live, child, depth + 1))
            .collect()
    } else {
        Vec::new()
    };
    Node { key, children }
}

/// The objects `owner` controls, newest first.
pub fn owned<'a>(live: &'a Live, owner: &ObjectKey) -> Vec<&'a LiveObject> {
    let mut owned: Vec<&LiveObject> = live
        .objects()
        .filter(|o| o.owner.as_ref() == Some(owner))
        .collect();
    owned.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name)));
    owned
}

/// The top of `object`'s chain of owners that the view knows (a pod's Deployment).
pub fn top<'a>(live: &'a Live, object: &'a LiveObject) -> &'a LiveObject {
    let mut current = object;
    for _ in 0..4 {
        match current
            .owner
            .as_ref()
            .and_then(|o| live.get(&o.kind, &o.name))
        {
            Some(owner) => current = owner,
            None => break,
        }
    }
    current
}

impl Selector {
    /// Whether `labels` satisfy every `matchLabels` pair and every expression.
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let value = |key: &str| labels.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        self.labels.iter().all(|(k, v)| value(k) == Some(v))
            && self.expressions.iter().all(|e| match e.operator.as_str() {
                "In" => value(&e.key).is_some_and(|v| e.values.contains(v)),
                "NotIn" => value(&e.key).is_none_or(|v| !e.values.contains(v)),
                "Exists" => value(&e.key).is_some(),
                "DoesNotExist" => value(&e.key).is_none(),
                _ => false,
            })
    }
}

/// Whether a Service's selector (a plain map) selects `labels`. An empty selector selects nothing
/// (as the endpoints controller treats it).
pub fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    !selector.is_empty() && selector.iter().all(|pair| labels.contains(pair))
}

/// One pod behind a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub pod: String,
    pub ready: bool,
}

/// The pods a Service sends traffic to (ready) or would once ready, as the endpoints controller
/// picks them: pods its selector matches that are not finished or being deleted.
pub fn endpoints(live: &Live, service: &LiveObject) -> Vec<Endpoint> {
    let Facts::Service(facts) = &service.facts else {
        return Vec::new();
    };
    let Some(selector) = &facts.selector else {
        return Vec::new();
    };
    live.of_kind("Pod")
        .filter_map(|o| Some((o, o.pod()?)))
        .filter(|(o, pod)| {
            !o.deleting
                && !matches!(pod.row.phase.as_str(), "Succeeded" | "Failed")
                && selects(selector, &o.labels)
        })
        .map(|(o, pod)| Endpoint {
            pod: o.name.clone(),
            ready: pod.row.phase == "Running" && pod.row.ready == pod.row.containers,
        })
        .collect()
}

/// The label pairs of `selector` that `labels` lack or give another value (`key`, wanted, found).
pub fn differing(
    selector: &[(String, String)],
    labels: &[(String, String)],
) -> Vec<(String, String, Option<String>)> {
    selector
        .iter()
        .filter(|pair| !labels.contains(pair))
        .map(|(k, v)| {
            let found = labels
                .iter()
                .find(|(lk, _)| lk == k)
                .map(|(_, lv)| lv.clone());
            (k.clone(), v.clone(), found)
        })
        .collect()
}

/// The pods that mount the claim `name`.
pub fn mounting<'a>(live: &'a Live, claim: &str) -> Vec<&'a LiveObject> {
    live.of_kind("Pod")
        .filter(|o| {
            o.pod()
                .is_some_and(|p| p.spec.claims.iter().any(|c| c == claim))
        })
        .collect()
}

/// The workloads (and bare pods) whose pods read the ConfigMap or Secret `kind`/`name`, with how:
/// the top owners only, so that a Deployment is named once rather than with each ReplicaSet and pod.
pub fn readers<'a>(
    live: &'a Live,
    kind: &str,
    name: &str,
) -> Vec<(&'a LiveObject, Vec<&'a Reference>)> {
    live.objects()
        .filter(|o| top(live, o).key() == o.key())
        .filter_map(|o| {
            let reads: Vec<&Reference> = o
                .template()?
                .reads
                .iter()
                .filter(|r| r.kind == kind && r.name == name)
                .collect();
            (!reads.is_empty()).then_some((o, reads))
        })
        .collect()
}

#[cfg(test)]
#[path = "relations_tests.rs"]
mod tests;
