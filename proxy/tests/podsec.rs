//! What applied objects may ask of the cluster, through the HTTP API with a fake cluster: pods
//! that break the Pod Security baseline level, Services with `externalIPs`, more pods than the
//! cap — each refused with its code at its field's line, by Apply and by `kubectl apply -f`,
//! with nothing sent; the settings that loosen each; and Fiche 3 applied in full with the
//! defaults.

#[allow(dead_code)]
#[path = "support/fake_cluster.rs"]
mod fake_cluster;
#[allow(dead_code)]
#[path = "support/fake_kubectl.rs"]
mod fake_kubectl;
#[allow(dead_code)]
#[path = "support/app.rs"]
mod support;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use fake_cluster::Recorder;
use fake_kubectl::Fake;
use kubefiche::kubectl::Limits;
use kubefiche::sandbox::{PodSecurity, Settings};
use serde_json::{Value, json};
use support::{CONTEXT, assert_refusal, call, page_request};
use tokio_util::sync::CancellationToken;

/// A fake cluster that takes every server-side apply (the object comes back with a version).
fn accepting() -> (kube::Client, Recorder) {
    fake_cluster::client(Arc::new(|seen| {
        let mut object: Value = serde_json::from_str(&seen.body).unwrap_or_default();
        object["metadata"]["resourceVersion"] = json!("1");
        (StatusCode::OK, object)
    }))
}

fn router(settings: Settings) -> (Router, Recorder) {
    let (client, recorder) = accepting();
    (support::router_with_sandbox(client, settings), recorder)
}

fn patches(cluster: &Recorder) -> usize {
    cluster
        .object_requests()
        .iter()
        .filter(|seen| seen.method == "PATCH")
        .count()
}

fn apply_body(files: &[(&str, &str)]) -> Value {
    let files: Vec<Value> = files
        .iter()
        .map(|(path, text)| json!({ "path": path, "text": text }))
        .collect();
    json!({ "files": files, "dry_run": false })
}

async fn apply(app: &Router, text: &str) -> Value {
    let body = apply_body(&[("k8s/x.yaml", text)]);
    let (status, response) = call(app, page_request("POST", "/api/apply", Some(&body))).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    response
}

const POD_HEAD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n";

/// Objects the defaults refuse: the text, the code, the field's path and line.
fn refused_cases() -> Vec<(String, &'static str, &'static str, u32)> {
    let pod = |spec: &str| format!("{POD_HEAD}{spec}");
    vec![
        (
            pod("  volumes:\n    - name: root\n      hostPath: {path: /}\n  containers: [{name: c, image: busybox}]\n"),
            "pod-security",
            "spec.volumes[0].hostPath",
            8,
        ),
        (
            pod("  hostPID: true\n  containers: [{name: c, image: busybox}]\n"),
            "pod-security",
            "spec.hostPID",
            6,
        ),
        (
            pod("  containers:\n    - name: c\n      image: busybox\n      ports:\n        - containerPort: 80\n          hostPort: 80\n"),
            "pod-security",
            "spec.containers[0].ports[0].hostPort",
            11,
        ),
        (
            pod("  initContainers:\n    - name: i\n      image: busybox\n      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE, SYS_ADMIN]\n  containers: [{name: c, image: busybox}]\n"),
            "pod-security",
            "spec.initContainers[0].securityContext.capabilities.add[1]",
            11,
        ),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      hostNetwork: true\n      containers: [{name: c, image: nginx}]\n".into(),
            "pod-security",
            "spec.template.spec.hostNetwork",
            11,
        ),
        (
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: '*/5 * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: busybox\n              securityContext:\n                privileged: true\n".into(),
            "pod-security",
            "spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged",
            16,
        ),
        (
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      securityContext:\n        seccompProfile: {type: Unconfined}\n      containers: [{name: c, image: busybox}]\n".into(),
            "pod-security",
            "spec.template.spec.securityContext.seccompProfile.type",
            10,
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n  externalIPs:\n    - 1.2.3.4\n".into(),
            "external-ips",
            "spec.externalIPs",
            9,
        ),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 100000\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers: [{name: c, image: nginx}]\n".into(),
            "too-many-replicas",
            "spec.replicas",
            6,
        ),
        (
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  parallelism: 500\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n".into(),
            "too-many-replicas",
            "spec.parallelism",
            6,
        ),
    ]
}

#[tokio::test]
async fn apply_refuses_each_at_its_field_and_sends_nothing() {
    let (app, cluster) = router(Settings::default());
    for (text, code, path, line) in refused_cases() {
        let response = apply(&app, &text).await;
        let outcome = &response["results"][0]["outcome"];
        assert_eq!(
            (outcome["type"].as_str(), outcome["reason"].as_str()),
            (Some("failed"), Some(code)),
            "{response}"
        );
        let diagnostic = &outcome["diagnostics"][0];
        assert_eq!(
            (diagnostic["path"].as_str(), diagnostic["line"].as_u64()),
            (Some(path), Some(u64::from(line))),
            "{response}"
        );
        for lang in ["en", "fr"] {
            let message = diagnostic["message"][lang].as_str().unwrap_or_default();
            assert!(message.contains(path), "{lang}: {message}");
        }
    }
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn one_privileged_pod_keeps_the_whole_apply_from_being_sent() {
    let (app, cluster) = router(Settings::default());
    let config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: b}\n";
    let privileged = format!(
        "{POD_HEAD}  containers:\n    - name: c\n      image: busybox\n      securityContext: {{privileged: true}}\n"
    );
    let body = apply_body(&[("k8s/a.yaml", config), ("k8s/b.yaml", &privileged)]);
    let (status, response) = call(&app, page_request("POST", "/api/apply", Some(&body))).await;
    assert_eq!(status, StatusCode::OK, "{response}");
    let reasons: Vec<&str> = response["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["outcome"]["reason"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(reasons, ["not-sent", "pod-security"], "{response}");
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn the_settings_loosen_each_rule() {
    let loose = Settings {
        pod_security: PodSecurity::Privileged,
        allow_external_ips: true,
        max_replicas: 1_000_000,
        fixed_node_ports: true,
    };
    let (app, cluster) = router(loose);
    let cases = refused_cases();
    for (text, ..) in &cases {
        let response = apply(&app, text).await;
        let outcome = &response["results"][0]["outcome"];
        assert_eq!(outcome["type"], "created", "{response}");
    }
    assert_eq!(patches(&cluster), cases.len());
}

#[tokio::test]
async fn kubectl_apply_of_a_workspace_file_is_held_to_the_same_rules() {
    let fake = Fake::new("cat >/dev/null");
    let app = running(&fake);
    for (text, code, path, line) in refused_cases() {
        let body = json!({
            "line": "kubectl apply -f k8s/x.yaml",
            "files": [{ "path": "k8s/x.yaml", "text": text }],
        });
        let answer = call(&app, page_request("POST", "/api/command", Some(&body))).await;
        assert_refusal(&answer, 403, code);
        let message = answer.1["message"]["en"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(&format!("k8s/x.yaml, line {line}:")) && message.contains(path),
            "{message}"
        );
    }
    assert!(!fake.ran());
}

#[tokio::test]
async fn a_scale_over_the_cap_is_refused_before_kubectl_runs() {
    let fake = Fake::new("echo scaled");
    let app = running(&fake);
    for line in [
        "kubectl scale deployment pydantic-agent --replicas=21",
        "kubectl scale deployment pydantic-agent --replicas 100000",
        "kubectl scale deployment pydantic-agent --replicas=0x186A0",
    ] {
        let body = json!({ "line": line, "files": [] });
        let answer = call(&app, page_request("POST", "/api/command", Some(&body))).await;
        assert_refusal(&answer, 403, "command-refused");
        let message = answer.1["message"]["en"].as_str().unwrap_or_default();
        assert!(message.contains("--replicas"), "{line}: {message}");
    }
    // The page's parser offers no `create deployment` (nor `run`): no other way to more pods.
    for line in [
        "kubectl create deployment web --image=nginx --replicas=1000",
        "kubectl run web --image=nginx",
    ] {
        let body = json!({ "line": line, "files": [] });
        let answer = call(&app, page_request("POST", "/api/command", Some(&body))).await;
        assert_refusal(&answer, 403, "command-refused");
    }
    assert!(!fake.ran());
}

/// The YAML blocks of Fiche 3 that hold whole objects, as workspace files.
fn fiche3_files() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let markdown = std::fs::read_to_string(root.join("public/fiches/fiche-3.md")).expect("fiche 3");
    let mut files = Vec::new();
    let mut block: Option<String> = None;
    for line in markdown.lines() {
        match (&mut block, line.trim()) {
            (None, "```yaml") => block = Some(String::new()),
            (Some(text), "```") => {
                if text.lines().any(|l| l.starts_with("kind:")) {
                    files.push((format!("k8s/fiche-{}.yaml", files.len()), text.clone()));
                }
                block = None;
            }
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    let server =
        std::fs::read_to_string(root.join("tests/fixtures/fiche-3-server.yaml")).expect("server");
    files.push(("k8s/server.yaml".into(), server));
    files
}

#[tokio::test]
async fn fiche_3_applies_in_full_with_the_defaults() {
    let (app, cluster) = router(Settings::default());
    let files = fiche3_files();
    assert!(files.len() >= 6, "{files:?}");
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (status, response) = call(
        &app,
        page_request("POST", "/api/apply", Some(&apply_body(&pairs))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    let results = response["results"].as_array().expect("results");
    assert!(results.len() >= 10, "{response}");
    for result in results {
        assert_eq!(result["outcome"]["type"], "created", "{result}");
    }
    assert_eq!(patches(&cluster), results.len());
    // Its scaling exercise stays within the cap.
    let fake = Fake::new("echo scaled");
    let app = running(&fake);
    let markdown = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/fiches/fiche-3.md"),
    )
    .expect("fiche 3");
    let scaling: Vec<&str> = markdown
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("kubectl scale") && !l.contains('<'))
        .collect();
    assert!(scaling.len() >= 2, "{scaling:?}");
    for line in scaling {
        let body = json!({ "line": line, "files": [] });
        let request = page_request("POST", "/api/command", Some(&body));
        let response = tower::ServiceExt::oneshot(app.clone(), request)
            .await
            .expect("answer");
        assert_eq!(response.status(), StatusCode::OK, "{line}");
    }
}

/// The router in front of a cluster that accepts everything, with `fake` as kubectl.
fn running(fake: &Fake) -> axum::Router {
    support::router_with_kubectl(
        accepting().0,
        CONTEXT,
        fake.kubectl(Limits::default()),
        CancellationToken::new(),
    )
}
