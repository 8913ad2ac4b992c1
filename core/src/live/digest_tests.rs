use super::*;
use serde_json::json;

fn pod(value: Value) -> PodFacts {
    match object("Pod", &value).expect("a pod").facts {
        Facts::Pod(pod) => *pod,
        other => panic!("{other:?}"),
    }
}

#[test]
fn pod_rows_read_like_kubectl() {
    let running = pod(json!({
        "metadata": {"name": "web-1", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
        "status": {"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": true, "restartCount": 1, "state": {"running": {}}},
            {"name": "b", "ready": true, "restartCount": 2, "state": {"running": {}}}
        ]}
    }));
    let row = &running.row;
    assert_eq!(
        (row.status.as_str(), row.ready, row.containers, row.restarts),
        ("Running", 2, 2, 3)
    );
    assert_eq!(row.labels, vec![("app".to_owned(), "web".to_owned())]);

    let pulling = pod(json!({
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a", "image": "mcp-server:latest"}]},
        "status": {"phase": "Pending", "containerStatuses": [
            {"name": "a", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image"}}}
        ]}
    }));
    assert_eq!(pulling.row.status, "ImagePullBackOff");
    assert_eq!(
        pulling.containers[0].state,
        ContainerState::Waiting {
            reason: "ImagePullBackOff".into(),
            message: "Back-off pulling image".into()
        }
    );

    let done = pod(
        json!({"metadata": {"name": "j"}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded",
        "containerStatuses": [{"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]}}),
    );
    assert_eq!(done.row.status, "Completed");
    let bare = pod(
        json!({"metadata": {"name": "j"}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded"}}),
    );
    assert_eq!(
        bare.row.status, "Succeeded",
        "kubectl prints the phase when no container says more"
    );
    let fresh = pod(json!({"metadata": {"name": "n"}, "spec": {"containers": [{"name": "a"}]}}));
    assert_eq!((fresh.row.status.as_str(), fresh.row.ready), ("Pending", 0));
    let evicted = pod(
        json!({"metadata": {"name": "e"}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory."}}),
    );
    assert_eq!(evicted.row.status, "Evicted");
    let killed = pod(
        json!({"metadata": {"name": "e"}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Failed", "reason": "Evicted", "containerStatuses": [{"name": "a", "ready": false, "restartCount": 0,
            "state": {"terminated": {"reason": "Error", "exitCode": 137}}}]}}),
    );
    assert_eq!(
        killed.row.status, "Error",
        "a container's reason comes after the pod's, as in kubectl"
    );
    let gone = pod(
        json!({"metadata": {"name": "t", "deletionTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Running"}}),
    );
    assert_eq!(gone.row.status, "Terminating");
    let init = pod(
        json!({"metadata": {"name": "i"}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Pending", "initContainerStatuses": [
            {"name": "wait", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "CreateContainerConfigError"}}}]}}),
    );
    assert_eq!(init.row.status, "Init:CreateContainerConfigError");
    let crashed = pod(
        json!({"metadata": {"name": "c"}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Running", "containerStatuses": [{"name": "a", "ready": false, "restartCount": 4,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137, "finishedAt": "2026-01-01T00:00:00Z"}}}]}}),
    );
    assert_eq!(crashed.row.status, "CrashLoopBackOff");
    assert_eq!(
        crashed.containers[0]
            .last
            .as_ref()
            .map(|t| (t.reason.as_str(), t.exit_code)),
        Some(("OOMKilled", 137))
    );
}

#[test]
fn templates_say_what_pods_read_and_mount() {
    let deployment = object(
        "Deployment",
        &json!({
            "metadata": {"name": "iris-server", "uid": "u1"},
            "spec": {"selector": {"matchLabels": {"app": "iris"}}, "template": {
                "metadata": {"labels": {"app": "iris"}},
                "spec": {"containers": [{"name": "server", "image": "iris-server:1.0",
                    "env": [
                        {"name": "MODEL_VERSION", "valueFrom": {"configMapKeyRef": {"name": "iris-config", "key": "MODEL_VERSION"}}},
                        {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "iris-secrets", "key": "API_KEY", "optional": true}}},
                        {"name": "PLAIN", "value": "x"}
                    ],
                    "envFrom": [{"configMapRef": {"name": "all"}}],
                    "resources": {"limits": {"memory": "64Mi"}}}],
                 "volumes": [
                    {"name": "data", "persistentVolumeClaim": {"claimName": "postgres-pvc"}},
                    {"name": "conf", "configMap": {"name": "files", "items": [{"key": "a.conf", "path": "a"}]}},
                    {"name": "both", "projected": {"sources": [{"secret": {"name": "creds"}}]}}
                 ]}
            }},
            "status": {"readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}
        }),
    )
    .expect("deployment");
    let Facts::Deployment(d) = &deployment.facts else {
        panic!("{deployment:?}")
    };
    assert_eq!((d.replicas, d.ready), (1, 1), "replicas default to 1");
    assert_eq!(d.template.claims, ["postgres-pvc"]);
    assert_eq!(
        d.template.containers[0].memory_limit.as_deref(),
        Some("64Mi")
    );
    let reads: Vec<(&str, &str, Option<&str>, bool)> = d
        .template
        .reads
        .iter()
        .map(|r| {
            (
                r.kind.as_str(),
                r.name.as_str(),
                r.key.as_deref(),
                r.optional,
            )
        })
        .collect();
    assert_eq!(
        reads,
        [
            ("ConfigMap", "iris-config", Some("MODEL_VERSION"), false),
            ("Secret", "iris-secrets", Some("API_KEY"), true),
            ("ConfigMap", "all", None, false),
            ("ConfigMap", "files", Some("a.conf"), false),
            ("Secret", "creds", None, false),
        ]
    );
    assert!(d.selector.matches(&[("app".into(), "iris".into())]));
}

#[test]
fn secrets_give_keys_never_values() {
    let secret = object(
        "Secret",
        &json!({"metadata": {"name": "db", "resourceVersion": "42",
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                    "{\"data\":{\"password\":\"c2VjcmV0\"}}"},
                "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:data": {"f:password": {}}}}]},
            "type": "Opaque",
            "data": {"password": "c2VjcmV0"}, "stringData": {"user": "admin"}}),
    )
    .expect("secret");
    let text = serde_json::to_string(&secret).expect("json");
    assert!(
        !text.contains("c2VjcmV0") && !text.contains("admin"),
        "{text}"
    );
    assert_eq!(secret.known().keys, ["password", "user"]);
    assert_eq!(
        secret.object,
        json!({"metadata": {"name": "db"}, "type": "Opaque",
            "data": {"password": ""}, "stringData": {"user": ""}}),
        "the object keeps its keys, loses its values and the bookkeeping"
    );
}

#[test]
fn objects_keep_their_fields_but_not_the_bookkeeping() {
    let map = object(
        "ConfigMap",
        &json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "resourceVersion": "7",
                "annotations": {"team": "ml", "kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "data": {"MODEL_VERSION": "v2"}, "binaryData": {"model.bin": "AAECAw=="}}),
    )
    .expect("config map");
    assert_eq!(
        map.object,
        json!({"metadata": {"name": "c", "annotations": {"team": "ml"}},
            "data": {"MODEL_VERSION": "v2"}, "binaryData": {"model.bin": ""}}),
        "a list's apiVersion and kind go (a watch has none), binary values too"
    );
}

#[test]
fn events_of_both_api_groups_read_alike() {
    let new = event(&json!({
        "metadata": {"uid": "e1", "creationTimestamp": "2026-01-01T00:00:00Z"},
        "regarding": {"kind": "Pod", "name": "p"}, "type": "Warning", "reason": "Failed",
        "note": "Error: configmap \"iris-config\" not found", "reportingController": "kubelet",
        "series": {"count": 4, "lastObservedTime": "2026-01-01T00:01:00.000000Z"}
    }))
    .expect("event");
    assert_eq!(
        (
            new.warning,
            new.count,
            new.last.as_deref(),
            new.source.as_str()
        ),
        (true, 4, Some("2026-01-01T00:01:00.000000Z"), "kubelet")
    );
    let old = event(&json!({
        "metadata": {"uid": "e2"}, "involvedObject": {"kind": "Job", "name": "j"},
        "type": "Normal", "reason": "Completed", "message": "Job completed", "count": 1,
        "lastTimestamp": "2026-01-01T00:00:05Z", "source": {"component": "job-controller"}
    }))
    .expect("event");
    assert_eq!(old.object, ObjectKey::new("Job", "j"));
    assert_eq!(old.message, "Job completed");
    assert!(event(&json!({"metadata": {}})).is_none());
}
