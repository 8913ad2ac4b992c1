use super::*;
use crate::live::{EventRow, digest};
use crate::manifest::SourceFile;
use crate::wire::StreamEvent;
use serde_json::{Value, json};

fn live(objects: &[(&str, Value)], events: &[Value]) -> Live {
    let mut live = Live::default();
    live.apply(StreamEvent::Snapshot {
        objects: objects
            .iter()
            .map(|(kind, v)| digest::object(kind, v).expect("object"))
            .collect(),
        events: events
            .iter()
            .map(|e| digest::event(e).expect("event"))
            .collect::<Vec<EventRow>>(),
        health: Default::default(),
    });
    live
}

const NONE: &[String] = &[];

fn sources(files: &[SourceFile]) -> Sources {
    Sources::new(files)
}

/// A context with the workspace `files` and nothing else.
fn with<'a>(files: &'a Sources) -> Context<'a> {
    Context {
        sources: files,
        flavor: None,
        now_unix: None,
        commands: NONE,
    }
}

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.into(),
        text: text.into(),
    }
}

fn codes(all: &[Explanation]) -> Vec<(&str, &str)> {
    all.iter()
        .map(|e| (e.object.name.as_str(), e.code.as_str()))
        .collect()
}

fn lines(e: &Explanation) -> Vec<(String, u32)> {
    e.remedies
        .iter()
        .filter_map(|r| match r {
            Remedy::Line { file, line, .. } => Some((file.clone(), *line)),
            Remedy::Command { .. } => None,
        })
        .collect()
}

fn commands(e: &Explanation) -> Vec<&str> {
    e.remedies
        .iter()
        .filter_map(|r| match r {
            Remedy::Command { line } => Some(line.as_str()),
            Remedy::Line { .. } => None,
        })
        .collect()
}

const SERVER: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: iris-server
spec:
  selector:
    matchLabels:
      app: iris
  template:
    metadata:
      labels:
        app: iris
    spec:
      containers:
      - name: server
        image: iris-server:latest
        env:
        - name: MODEL_VERSION
          valueFrom:
            configMapKeyRef:
              name: iris-config
              key: MODEL_VERSION
        - name: API_KEY
          valueFrom:
            secretKeyRef:
              name: iris-secrets
              key: API_KEY
";

fn server_pod(state: Value, extra: Value) -> Value {
    let mut pod = json!({
        "metadata": {"name": "iris-server-7d-x2k9p", "uid": "p1", "labels": {"app": "iris"},
            "creationTimestamp": "2026-01-01T00:00:00Z",
            "ownerReferences": [{"kind": "ReplicaSet", "name": "iris-server-7d", "controller": true}]},
        "spec": {"containers": [{"name": "server", "image": "iris-server:latest",
            "env": [
                {"name": "MODEL_VERSION", "valueFrom": {"configMapKeyRef": {"name": "iris-config", "key": "MODEL_VERSION"}}},
                {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "iris-secrets", "key": "API_KEY"}}}]}]},
        "status": {"phase": "Pending", "containerStatuses": [{"name": "server", "ready": false, "restartCount": 0, "state": state}]}
    });
    if let (Some(pod), Some(extra)) = (pod.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            pod[k] = v.clone();
        }
    }
    pod
}

fn owners() -> Vec<(&'static str, Value)> {
    vec![
        ("Deployment", serde_yaml::from_str(SERVER).expect("yaml")),
        (
            "ReplicaSet",
            json!({"metadata": {"name": "iris-server-7d", "uid": "r1",
            "ownerReferences": [{"kind": "Deployment", "name": "iris-server", "controller": true}]},
            "spec": {"replicas": 1}}),
        ),
    ]
}

#[test]
fn a_missing_secret_points_at_the_worksheet_command_and_the_reference() {
    let mut objects = owners();
    objects.push(("Pod", server_pod(json!({"waiting": {"reason": "CreateContainerConfigError", "message": "secret \"iris-secrets\" not found"}}), json!({}))));
    objects.push((
        "ConfigMap",
        json!({"metadata": {"name": "iris-config"}, "data": {"OTHER": "1"}}),
    ));
    let commands_of_the_sheet = [
        "kubectl create secret generic iris-secrets --from-literal=API_KEY=supersecretkey123"
            .to_owned(),
    ];
    let files = [file("k8s/server.yaml", SERVER)];
    let all = explain(
        &live(&objects, &[]),
        &Context {
            commands: &commands_of_the_sheet,
            ..with(&sources(&files))
        },
    );
    assert_eq!(
        codes(&all),
        [
            ("iris-server-7d-x2k9p", "missing-key"),
            ("iris-server-7d-x2k9p", "missing-config")
        ]
    );
    let key = &all[0];
    assert!(
        key.title.en.contains("MODEL_VERSION") && key.cause.fr.contains("iris-config"),
        "{key:?}"
    );
    assert_eq!(
        commands(key),
        ["kubectl create configmap iris-config --from-literal=MODEL_VERSION=<valeur>"]
    );
    assert_eq!(
        lines(key),
        [("k8s/server.yaml".into(), 19)],
        "the valueFrom that reads it"
    );
    let secret = &all[1];
    assert_eq!(commands(secret), [commands_of_the_sheet[0].as_str()]);
    assert_eq!(lines(secret), [("k8s/server.yaml".into(), 24)]);
}

#[test]
fn run_as_root_and_images_explained() {
    let mut objects = owners();
    objects.push(("Pod", server_pod(json!({"waiting": {"reason": "CreateContainerConfigError",
        "message": "container's runAsUser breaks non-root policy (pod: \"x\", container: server)"}}), json!({}))));
    let all = explain(&live(&objects, &[]), &with(&Sources::default()));
    assert_eq!(codes(&all), [("iris-server-7d-x2k9p", "run-as-root")]);

    let mut objects = owners();
    objects.push(("Pod", server_pod(json!({"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"iris-server:latest\""}}), json!({}))));
    objects.push((
        "ConfigMap",
        json!({"metadata": {"name": "iris-config"}, "data": {"MODEL_VERSION": "1"}}),
    ));
    objects.push((
        "Secret",
        json!({"metadata": {"name": "iris-secrets"}, "data": {"API_KEY": "eA=="}}),
    ));
    let failed = json!({"metadata": {"uid": "e1"}, "regarding": {"kind": "Pod", "name": "iris-server-7d-x2k9p"},
        "type": "Warning", "reason": "Failed", "note": "Failed to pull image \"iris-server:latest\": pull access denied"});
    let files = [file("k8s/server.yaml", SERVER)];
    let parsed = sources(&files);
    let kind = Context {
        flavor: Some(ClusterFlavor::Kind),
        ..with(&parsed)
    };
    let all = explain(&live(&objects, std::slice::from_ref(&failed)), &kind);
    assert_eq!(codes(&all), [("iris-server-7d-x2k9p", "image-not-loaded")]);
    assert!(
        all[0].cause.en.contains("pull access denied") && all[0].cause.en.contains("Always"),
        "{:?}",
        all[0].cause
    );
    assert_eq!(
        commands(&all[0]),
        ["kind load docker-image iris-server:latest"]
    );
    assert_eq!(
        lines(&all[0]),
        [("k8s/server.yaml".into(), 15)],
        "no imagePullPolicy yet: the container, where it goes"
    );

    let typo = SERVER.replace("image: iris-server:latest", "image: iris-sever:latest");
    let mut objects = owners();
    objects[0] = ("Deployment", serde_yaml::from_str(&typo).expect("yaml"));
    let mut pod = server_pod(
        json!({"waiting": {"reason": "ErrImagePull", "message": "not found"}}),
        json!({}),
    );
    pod["spec"]["containers"][0]["image"] = json!("iris-sever:latest");
    objects.push(("Pod", pod));
    objects.push((
        "ConfigMap",
        json!({"metadata": {"name": "iris-config"}, "data": {"MODEL_VERSION": "1"}}),
    ));
    objects.push((
        "Secret",
        json!({"metadata": {"name": "iris-secrets"}, "data": {"API_KEY": "eA=="}}),
    ));
    let files = [
        file("k8s/server.yaml", &typo),
        file(
            "k8s/agent.yaml",
            "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: iris-server:latest\n",
        ),
    ];
    let all = explain(&live(&objects, &[]), &with(&sources(&files)));
    assert_eq!(codes(&all), [("iris-server-7d-x2k9p", "image-typo")]);
    assert!(
        all[0].fix.en.contains("iris-server:latest"),
        "{:?}",
        all[0].fix
    );
}

#[test]
fn crashes_memory_and_evictions() {
    let crashing = json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 10s"}});
    let mut pod = server_pod(crashing.clone(), json!({}));
    pod["status"]["containerStatuses"][0]["restartCount"] = json!(4);
    pod["status"]["containerStatuses"][0]["lastState"] =
        json!({"terminated": {"reason": "Error", "exitCode": 127}});
    let mut objects = owners();
    objects.push(("Pod", pod.clone()));
    objects.push((
        "ConfigMap",
        json!({"metadata": {"name": "iris-config"}, "data": {"MODEL_VERSION": "1"}}),
    ));
    objects.push((
        "Secret",
        json!({"metadata": {"name": "iris-secrets"}, "data": {"API_KEY": "eA=="}}),
    ));
    let all = explain(&live(&objects, &[]), &with(&Sources::default()));
    assert_eq!(codes(&all), [("iris-server-7d-x2k9p", "crash-loop")]);
    assert!(
        all[0].cause.en.contains("4 times") && all[0].fix.en.contains("127"),
        "{:?}",
        all[0]
    );
    assert_eq!(
        commands(&all[0]),
        ["kubectl logs iris-server-7d-x2k9p -c server --previous"]
    );

    pod["status"]["containerStatuses"][0]["lastState"] =
        json!({"terminated": {"reason": "OOMKilled", "exitCode": 137}});
    pod["spec"]["containers"][0]["resources"] = json!({"limits": {"memory": "64Mi"}});
    objects[2] = ("Pod", pod);
    let all = explain(&live(&objects, &[]), &with(&Sources::default()));
    assert_eq!(codes(&all), [("iris-server-7d-x2k9p", "oom-killed")]);
    assert!(all[0].cause.en.contains("64Mi"), "{:?}", all[0].cause);

    let evicted = server_pod(
        json!({"terminated": {"reason": "Error", "exitCode": 137}}),
        json!({"status": {"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory."}}),
    );
    objects[2] = ("Pod", evicted);
    let all = explain(&live(&objects, &[]), &with(&Sources::default()));
    assert_eq!(codes(&all), [("iris-server-7d-x2k9p", "evicted")]);
    assert!(
        all[0].fix.en.contains("replacement"),
        "owned pods are replaced"
    );
}

#[test]
fn jobs_and_cron_jobs() {
    let job_pod = |name: &str, phase: &str, code: i64| {
        (
            "Pod",
            json!({
                "metadata": {"name": name, "ownerReferences": [{"kind": "Job", "name": "backup", "controller": true}]},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "b", "image": "busybox"}]},
                "status": {"phase": phase, "containerStatuses": [{"name": "b", "ready": false, "restartCount": 0,
                    "state": {"terminated": {"reason": if code == 0 { "Completed" } else { "Error" }, "exitCode": code}}}]}
            }),
        )
    };
    let job = (
        "Job",
        json!({"metadata": {"name": "backup"}, "spec": {"backoffLimit": 1, "template": {"spec": {}}},
        "status": {"failed": 2, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]}}),
    );
    let all = explain(
        &live(
            &[
                job,
                job_pod("backup-a", "Failed", 1),
                job_pod("backup-b", "Succeeded", 0),
            ],
            &[],
        ),
        &with(&Sources::default()),
    );
    assert_eq!(
        codes(&all),
        [
            ("backup", "job-failed"),
            ("backup-a", "pod-error"),
            ("backup-b", "job-pod-completed")
        ]
    );
    assert!(
        all[0]
            .cause
            .en
            .contains("2 of its pods failed and its backoffLimit is 1"),
        "{:?}",
        all[0].cause
    );
    assert!(
        all[1].cause.en.contains("backoffLimit"),
        "{:?}",
        all[1].cause
    );
    assert_eq!(all[2].level, Level::Info);

    let cron = |suspend: bool, schedule: &str, last: Option<&str>| {
        (
            "CronJob",
            json!({"metadata": {"name": "cleanup", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"schedule": schedule, "suspend": suspend, "jobTemplate": {"spec": {"template": {"spec": {}}}}},
            "status": {"lastScheduleTime": last}}),
        )
    };
    let later = Some(1_767_225_600 + 600);
    let nothing = Sources::default();
    let cx = Context {
        now_unix: later,
        ..with(&nothing)
    };
    let all = explain(&live(&[cron(true, "* * * * *", None)], &[]), &cx);
    assert_eq!(codes(&all), [("cleanup", "cron-suspended")]);
    assert!(commands(&all[0])[0].contains(r#"{"spec":{"suspend":false}}"#));
    assert!(
        matches!(
            crate::command::parse(commands(&all[0])[0]),
            crate::command::Parsed::Kubectl(_)
        ),
        "the resume line runs from the page"
    );
    assert_eq!(
        codes(&explain(&live(&[cron(false, "* * * * *", None)], &[]), &cx)),
        [("cleanup", "cron-not-fired")]
    );
    assert!(
        explain(
            &live(
                &[cron(false, "* * * * *", Some("2026-01-01T00:09:00Z"))],
                &[]
            ),
            &cx
        )
        .is_empty()
    );
    assert!(
        explain(&live(&[cron(false, "0 3 * * *", None)], &[]), &cx).is_empty(),
        "not due yet"
    );
    assert_eq!(
        codes(&explain(
            &live(&[cron(false, "0 0 30 2 *", None)], &[]),
            &cx
        )),
        [("cleanup", "cron-never")]
    );
}

#[test]
fn claims_services_and_rollouts() {
    let claim = (
        "PersistentVolumeClaim",
        json!({"metadata": {"name": "postgres-pvc"},
        "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}}, "status": {"phase": "Pending"}}),
    );
    let event = |reason: &str, message: &str| {
        json!({"metadata": {"uid": "c1"}, "regarding": {"kind": "PersistentVolumeClaim", "name": "postgres-pvc"},
        "type": "Warning", "reason": reason, "note": message})
    };
    let pvc_file = [file(
        "k8s/pvc.yaml",
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: postgres-pvc\nspec:\n  accessModes:\n  - ReadWriteMany\n",
    )];
    let parsed = sources(&pvc_file);
    let cx = with(&parsed);
    let all = explain(
        &live(
            std::slice::from_ref(&claim),
            &[event(
                "ProvisioningFailed",
                "failed to provision volume: access mode ReadWriteMany is not supported",
            )],
        ),
        &cx,
    );
    assert_eq!(codes(&all), [("postgres-pvc", "claim-pending")]);
    assert_eq!(lines(&all[0]), [("k8s/pvc.yaml".into(), 6)]);
    let all = explain(
        &live(
            std::slice::from_ref(&claim),
            &[event(
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            )],
        ),
        &cx,
    );
    assert!(
        all[0].fix.en.contains("no default storage class"),
        "{:?}",
        all[0].fix
    );
    let mut waiting = event(
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding",
    );
    waiting["type"] = json!("Normal");
    assert_eq!(
        explain(&live(std::slice::from_ref(&claim), &[waiting]), &cx)[0].level,
        Level::Info
    );

    let service = (
        "Service",
        json!({"metadata": {"name": "iris-service"}, "spec": {"selector": {"app": "iris-server"}, "ports": [{"port": 80}]}}),
    );
    let pod = (
        "Pod",
        json!({"metadata": {"name": "web", "labels": {"app": "iris"}}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Running"}}),
    );
    let files = [file(
        "k8s/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: iris-service\nspec:\n  selector:\n    app: iris-server\n",
    )];
    let all = explain(&live(&[service.clone(), pod], &[]), &with(&sources(&files)));
    assert_eq!(codes(&all), [("iris-service", "service-no-endpoints")]);
    assert!(
        all[0].cause.en.contains("app=iris ≠ app=iris-server"),
        "{:?}",
        all[0].cause
    );
    assert_eq!(lines(&all[0]), [("k8s/svc.yaml".into(), 6)]);
    let ready = (
        "Pod",
        json!({"metadata": {"name": "web", "labels": {"app": "iris-server"}}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Running", "containerStatuses": [{"name": "a", "ready": true, "restartCount": 0, "state": {"running": {}}}]}}),
    );
    assert!(explain(&live(&[service, ready], &[]), &with(&Sources::default())).is_empty());

    let stuck = (
        "Deployment",
        json!({"metadata": {"name": "web"}, "spec": {"replicas": 2, "selector": {}, "template": {}},
        "status": {"conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"web-1\" has timed out progressing."}]}}),
    );
    let all = explain(&live(&[stuck], &[]), &with(&Sources::default()));
    assert_eq!(codes(&all), [("web", "rollout-stuck")]);
    assert_eq!(commands(&all[0]), ["kubectl rollout undo deployment/web"]);
}

#[test]
fn pending_pods_say_which_claim_or_resource() {
    let pending = |claim: &str, message: &str| {
        (
            "Pod",
            json!({"metadata": {"name": "db"},
        "spec": {"containers": [{"name": "a"}], "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": claim}}]},
        "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message}]}}),
        )
    };
    let all = explain(
        &live(
            &[pending(
                "postgres-pvc",
                "0/2 nodes are available: persistentvolumeclaim \"postgres-pvc\" not found.",
            )],
            &[],
        ),
        &with(&Sources::default()),
    );
    assert_eq!(codes(&all), [("db", "claim-missing")]);
    let claim = (
        "PersistentVolumeClaim",
        json!({"metadata": {"name": "x"}, "spec": {}, "status": {"phase": "Bound"}}),
    );
    let all = explain(
        &live(
            &[
                pending(
                    "x",
                    "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.",
                ),
                claim,
            ],
            &[],
        ),
        &with(&Sources::default()),
    );
    assert_eq!(codes(&all), [("db", "insufficient")]);
    assert!(
        all[0].title.en.contains("cpu, memory"),
        "{:?}",
        all[0].title
    );
}

#[test]
fn distances_and_image_names() {
    assert_eq!(
        crate::validate::syntax::distance("iris-server", "iris-sever"),
        1
    );
    assert_eq!(
        images::split_image("localhost:5000/app"),
        ("localhost:5000/app", None)
    );
    assert_eq!(
        images::split_image("mcp-server:latest"),
        ("mcp-server", Some("latest"))
    );
}

#[test]
fn a_pod_preparing_too_long_is_called_stuck() {
    let creating = (
        "Pod",
        json!({"metadata": {"name": "slow", "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"containers": [{"name": "a", "image": "big:1"}]},
        "status": {"phase": "Pending", "containerStatuses": [{"name": "a", "ready": false, "restartCount": 0,
            "state": {"waiting": {"reason": "ContainerCreating"}}}]}}),
    );
    let warning = json!({"metadata": {"uid": "w"}, "regarding": {"kind": "Pod", "name": "slow"},
        "type": "Warning", "reason": "FailedAttachVolume", "note": "timed out"});
    let nothing = Sources::default();
    let soon = Context {
        now_unix: Some(1_767_225_600 + 30),
        ..with(&nothing)
    };
    let late = Context {
        now_unix: Some(1_767_225_600 + 300),
        ..with(&nothing)
    };
    let state = live(std::slice::from_ref(&creating), &[warning]);
    assert!(explain(&state, &soon).is_empty());
    let all = explain(&state, &late);
    assert_eq!(codes(&all), [("slow", "creating-stuck")]);
    assert!(
        all[0].cause.en.contains("300 s")
            && all[0].cause.en.contains("FailedAttachVolume: timed out"),
        "{:?}",
        all[0].cause
    );
}
