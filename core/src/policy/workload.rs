//! Limits on what a workload asks of the cluster beyond its pods' security: how many pods run
//! at once, and Services that claim outside addresses.

use crate::manifest::Manifest;
use serde_json::Value;

/// The fields that say how many pods a kind runs at once, by kind.
const SCALE_FIELDS: [(&str, &[&str]); 4] = [
    ("Deployment", &["spec.replicas"]),
    ("ReplicaSet", &["spec.replicas"]),
    ("Job", &["spec.parallelism", "spec.completions"]),
    (
        "CronJob",
        &[
            "spec.jobTemplate.spec.parallelism",
            "spec.jobTemplate.spec.completions",
        ],
    ),
];

/// The first field of `object` that asks for more than `max` pods, with the number asked.
pub fn over_cap(object: &Manifest, max: u32) -> Option<(&'static str, f64)> {
    let (_, fields) = SCALE_FIELDS.iter().find(|(kind, _)| *kind == object.kind)?;
    fields.iter().find_map(|field| {
        let asked = field
            .split('.')
            .fold(&object.value, |here, part| &here[part])
            .as_f64()?;
        (asked > f64::from(max)).then_some((*field, asked))
    })
}

/// A Service that lists `spec.externalIPs`: every node would take the traffic of those
/// addresses for it, whoever else they belong to.
pub fn has_external_ips(object: &Manifest) -> bool {
    object.kind == "Service"
        && match &object.value["spec"]["externalIPs"] {
            Value::Null => false,
            Value::Array(addresses) => !addresses.is_empty(),
            _ => true,
        }
}

/// The first port of a Service that names its node port: its index and the port as written.
pub fn fixed_node_port(object: &Manifest) -> Option<(usize, String)> {
    if object.kind != "Service" {
        return None;
    }
    let ports = object.value["spec"]["ports"].as_array()?;
    ports
        .iter()
        .enumerate()
        .find_map(|(index, port)| match &port["nodePort"] {
            Value::Null => None,
            Value::Number(n) if n.as_f64() == Some(0.0) => None,
            given => Some((index, given.to_string())),
        })
}
