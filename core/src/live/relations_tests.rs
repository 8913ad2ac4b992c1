use super::*;
use crate::live::{Requirement, digest};
use crate::wire::StreamEvent;
use serde_json::{Value, json};

fn owned_by(kind: &str, name: &str) -> Value {
    json!([{"kind": kind, "name": name, "controller": true}])
}

fn namespace() -> Live {
    let pod = |name: &str, owner: Value, labels: Value, ready: bool, created: &str| {
        (
            "Pod",
            json!({"metadata": {"name": name, "ownerReferences": owner, "labels": labels, "creationTimestamp": created},
            "spec": {"containers": [{"name": "a"}], "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "a", "ready": ready, "restartCount": 0, "state": {"running": {}}}]}}),
        )
    };
    let objects = [
        (
            "Deployment",
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "a",
                "envFrom": [{"configMapRef": {"name": "settings"}}]}]}}}}),
        ),
        (
            "ReplicaSet",
            json!({"metadata": {"name": "web-1", "ownerReferences": owned_by("Deployment", "web")},
            "spec": {"template": {"spec": {"containers": [{"name": "a", "envFrom": [{"configMapRef": {"name": "settings"}}]}]}}}}),
        ),
        pod(
            "web-1-a",
            owned_by("ReplicaSet", "web-1"),
            json!({"app": "web"}),
            true,
            "2026-01-01T00:00:01Z",
        ),
        pod(
            "web-1-b",
            owned_by("ReplicaSet", "web-1"),
            json!({"app": "web"}),
            false,
            "2026-01-01T00:00:02Z",
        ),
        (
            "CronJob",
            json!({"metadata": {"name": "tick"}, "spec": {"schedule": "* * * * *"}}),
        ),
        (
            "Job",
            json!({"metadata": {"name": "tick-1", "ownerReferences": owned_by("CronJob", "tick"), "creationTimestamp": "2026-01-01T00:01:00Z"}, "spec": {}}),
        ),
        (
            "Job",
            json!({"metadata": {"name": "tick-2", "ownerReferences": owned_by("CronJob", "tick"), "creationTimestamp": "2026-01-01T00:02:00Z"}, "spec": {}}),
        ),
        pod(
            "tick-2-x",
            owned_by("Job", "tick-2"),
            json!({}),
            false,
            "2026-01-01T00:02:00Z",
        ),
        ("Job", json!({"metadata": {"name": "manual"}, "spec": {}})),
        pod(
            "orphan",
            owned_by("StatefulSet", "db"),
            json!({"app": "db"}),
            true,
            "2026-01-01T00:00:00Z",
        ),
        (
            "Service",
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}}),
        ),
        (
            "PersistentVolumeClaim",
            json!({"metadata": {"name": "data"}, "spec": {}}),
        ),
        (
            "ConfigMap",
            json!({"metadata": {"name": "settings"}, "data": {"a": "1"}}),
        ),
    ];
    let mut live = Live::default();
    live.apply(StreamEvent::Snapshot {
        objects: objects
            .iter()
            .map(|(k, v)| digest::object(k, v).expect("object"))
            .collect(),
        events: vec![],
        health: Default::default(),
    });
    live
}

fn shape(node: &Node) -> String {
    if node.children.is_empty() {
        return node.key.name.clone();
    }
    let children: Vec<String> = node.children.iter().map(shape).collect();
    format!("{}[{}]", node.key.name, children.join(" "))
}

#[test]
fn objects_fold_under_their_owners() {
    let live = namespace();
    let tree: Vec<String> = tree(&live).iter().map(shape).collect();
    assert_eq!(
        tree,
        [
            "web[web-1[web-1-b web-1-a]]",
            "tick[tick-2[tick-2-x] tick-1]",
            "manual",
            "orphan",
            "web",
            "data",
            "settings"
        ]
    );
    let pod = live.get("Pod", "tick-2-x").expect("pod");
    assert_eq!(top(&live, pod).name, "tick");
}

#[test]
fn services_claims_and_config_relate_both_ways() {
    let live = namespace();
    let service = live.get("Service", "web").expect("service");
    assert_eq!(
        endpoints(&live, service),
        [
            Endpoint {
                pod: "web-1-a".into(),
                ready: true
            },
            Endpoint {
                pod: "web-1-b".into(),
                ready: false
            }
        ]
    );
    let mounting: Vec<&str> = mounting(&live, "data")
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(mounting.len(), 4);
    let readers: Vec<&str> = readers(&live, "ConfigMap", "settings")
        .iter()
        .map(|(o, _)| o.name.as_str())
        .collect();
    assert_eq!(readers, ["web"], "the Deployment, not its ReplicaSet");
    assert_eq!(
        differing(
            &[
                ("app".into(), "web".into()),
                ("tier".into(), "front".into())
            ],
            &[("app".into(), "api".into())]
        ),
        [
            ("app".into(), "web".into(), Some("api".into())),
            ("tier".into(), "front".into(), None)
        ]
    );
    assert!(
        !selects(&[], &[("a".into(), "b".into())]),
        "an empty selector selects nothing"
    );
    let selector = Selector {
        labels: vec![],
        expressions: vec![
            Requirement {
                key: "tier".into(),
                operator: "In".into(),
                values: vec!["front".into()],
            },
            Requirement {
                key: "old".into(),
                operator: "DoesNotExist".into(),
                values: vec![],
            },
        ],
    };
    assert!(selector.matches(&[("tier".into(), "front".into())]));
    assert!(!selector.matches(&[("tier".into(), "front".into()), ("old".into(), "y".into())]));
}
