//! The proxy against the real API server: what the cluster decides (created, unchanged or
//! configured; its own refusals) and the live stream. What the proxy decides alone (the guard,
//! the policy, limits, headers) is tested in-process in `proxy/tests/http.rs`.

use std::time::Duration;

use futures::StreamExt;
use kubefiche_core::wire::StreamEvent;
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::proxy::{call, page_request, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const CONFIG: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata:\n  API_NAME: \"Iris Predictor\"\n";

fn apply_body(path: &str, text: &str) -> Value {
    json!({ "files": [{ "path": path, "text": text }], "dry_run": false })
}

/// Apply one file as the page does; the status and the answer.
async fn apply(app: &axum::Router, path: &str, text: &str) -> (u16, Value) {
    call(
        app,
        page_request("POST", "/api/apply", Some(&apply_body(path, text))),
    )
    .await
    .expect("apply")
}

fn outcomes(response: &Value) -> Vec<String> {
    response["results"].as_array().map_or_else(Vec::new, |r| {
        r.iter()
            .map(|o| o["outcome"]["type"].as_str().unwrap_or("?").to_owned())
            .collect()
    })
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn apply_creates_then_is_unchanged_then_configures() {
    let ns = namespace("apply").await;
    let app = router(cluster().await, ns.name()).await.expect("router");
    let (status, first) = apply(&app, "k8s/config.yaml", CONFIG).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(outcomes(&first), ["created"], "{first}");
    assert_eq!(first["namespace"], ns.name());
    let (_, again) = apply(&app, "k8s/config.yaml", CONFIG).await;
    assert_eq!(outcomes(&again), ["unchanged"], "{again}");
    let changed = CONFIG.replace("Iris Predictor", "Iris Predictor v2");
    let (_, dry) = call(
        &app,
        page_request(
            "POST",
            "/api/apply",
            Some(
                &json!({"files": [{"path": "k8s/config.yaml", "text": changed}], "dry_run": true}),
            ),
        ),
    )
    .await
    .expect("dry run");
    assert_eq!(outcomes(&dry), ["configured"], "{dry}");
    let (_, third) = apply(&app, "k8s/config.yaml", &changed).await;
    assert_eq!(outcomes(&third), ["configured"], "{third}");
    let client = cluster().await.client().await.expect("client");
    let cms: kube::Api<k8s_openapi::api::core::v1::ConfigMap> =
        kube::Api::namespaced(client, ns.name());
    let stored = cms.get("iris-config").await.expect("stored");
    assert_eq!(
        stored.data.unwrap_or_default()["API_NAME"],
        "Iris Predictor v2"
    );
    let managers: Vec<String> = stored
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert!(managers.contains(&"kubefiche".to_owned()), "{managers:?}");
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_api_servers_refusal_comes_back_at_the_line() {
    let ns = namespace("refused").await;
    let app = router(cluster().await, ns.name()).await.expect("router");
    // Only the cluster knows its service address range: the browser cannot catch this one.
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 203.0.113.7\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    let (status, response) = apply(&app, "k8s/web.yaml", service).await;
    assert_eq!(status, 200);
    assert_eq!(outcomes(&response), ["failed"], "{response}");
    let diagnostic = &response["results"][0]["outcome"]["diagnostics"][0];
    assert_eq!(diagnostic["line"], 6, "{response}");
    let message = diagnostic["message"]["en"].as_str().unwrap_or_default();
    assert!(
        message.contains("API server") && message.contains("203.0.113.7"),
        "{message}"
    );
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_stream_shows_a_new_pod_becoming_running() {
    let ns = namespace("stream").await;
    let app = router(cluster().await, ns.name()).await.expect("router");
    let response = app
        .clone()
        .oneshot(page_request("POST", "/api/stream", Some(&json!({}))))
        .await
        .expect("stream");
    assert_eq!(response.status(), 200);
    let mut body = response.into_body().into_data_stream();
    // The pod is made once the stream has its snapshot: every step after it comes as a change.
    let mut buffer = String::new();
    let snapshot = tokio::time::timeout(Duration::from_secs(30), async {
        while !(buffer.contains(r#""type":"snapshot""#) && buffer.ends_with("\n\n")) {
            let chunk = body.next().await.expect("the stream's first event");
            buffer.push_str(&String::from_utf8_lossy(&chunk.expect("chunk")));
        }
    })
    .await;
    assert!(snapshot.is_ok(), "no snapshot: {buffer}");
    buffer.clear();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\n  labels:\n    app: hello\nspec:\n  containers:\n  - name: hello\n    image: nginx:1.27\n";
    let (_, applied) = apply(&app, "k8s/pod.yaml", pod).await;
    assert_eq!(outcomes(&applied), ["created"], "{applied}");
    let mut seen = Vec::new();
    let found = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(chunk) = body.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk.expect("chunk")));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) else {
                    continue;
                };
                let event: StreamEvent = serde_json::from_str(data).expect("event");
                if let StreamEvent::Changed { object } = &event
                    && let Some(pod) = object.pod().map(|p| &p.row)
                {
                    seen.push(pod.status.clone());
                    if pod.name == "hello" && pod.status == "Running" && pod.ready == 1 {
                        return true;
                    }
                }
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "statuses seen: {seen:?}");
    assert!(
        seen.first().is_some_and(|s| s == "Pending"),
        "the pod was seen before it ran: {seen:?}"
    );
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_stream_names_secrets_and_their_keys_but_never_their_values() {
    let ns = namespace("objects").await;
    let app = router(cluster().await, ns.name()).await.expect("router");
    // As the worksheet does: `kubectl create secret generic iris-secrets --from-literal=api-key=…`.
    cluster()
        .await
        .kubectl(
            &[
                "create",
                "secret",
                "generic",
                "iris-secrets",
                "--from-literal=api-key=supersecretkey123",
                "--namespace",
                ns.name(),
            ],
            None,
        )
        .await
        .expect("kubectl create secret");
    let response = app
        .clone()
        .oneshot(page_request("POST", "/api/stream", Some(&json!({}))))
        .await
        .expect("stream");
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    let known = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(chunk) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.expect("chunk")));
            for line in text.lines().filter_map(|l| l.strip_prefix("data: ")) {
                let objects = match serde_json::from_str(line) {
                    Ok(StreamEvent::Snapshot { objects, .. }) => objects,
                    Ok(StreamEvent::Changed { object }) => vec![object],
                    _ => continue,
                };
                let known: Vec<_> = objects.iter().map(|o| o.known()).collect();
                if known.iter().any(|o| o.name == "iris-secrets") {
                    return known;
                }
            }
        }
        Vec::new()
    })
    .await
    .expect("objects in time");
    let secret = known
        .iter()
        .find(|o| o.kind == "Secret" && o.name == "iris-secrets")
        .expect("the secret");
    assert_eq!(secret.keys, ["api-key"]);
    assert!(
        !text.contains("supersecretkey123") && !text.contains("c3VwZXJzZWNyZXRrZXkxMjM"),
        "a secret value reached the page"
    );
}

/// The YAML blocks of Fiche 3 that hold whole objects, and the Iris backend, as one workspace.
/// The mcp-server Service's `nodePort: 30900` is cluster-wide: the copy drops it (the API
/// server picks a free port), as `fiche3_cluster.rs` does.
fn fiche3_workspace() -> Value {
    let root = kubefiche_tests::cluster::workspace_root();
    let markdown = std::fs::read_to_string(root.join("public/fiches/fiche-3.md")).expect("fiche");
    let mut files = Vec::new();
    for block in markdown.split("```yaml\n").skip(1) {
        let text: String = block
            .split("\n```")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("nodePort:"))
            .map(|l| format!("{l}\n"))
            .collect();
        if text.lines().any(|l| l.starts_with("kind:")) {
            files.push(json!({ "path": format!("k8s/fiche-{}.yaml", files.len()), "text": text }));
        }
    }
    let server =
        std::fs::read_to_string(root.join("tests/fixtures/fiche-3-server.yaml")).expect("server");
    files.push(json!({ "path": "k8s/server.yaml", "text": server }));
    json!({ "files": files, "dry_run": false })
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn fiche_3_passes_the_pod_security_policy_and_a_privileged_pod_does_not() {
    let ns = namespace("podsec").await;
    let app = router(cluster().await, ns.name()).await.expect("router");
    let request = page_request("POST", "/api/apply", Some(&fiche3_workspace()));
    let (status, response) = call(&app, request).await.expect("apply");
    assert_eq!(status, 200, "{response}");
    let results = outcomes(&response);
    assert!(results.len() >= 10, "{response}");
    assert!(results.iter().all(|o| o == "created"), "{response}");
    let privileged = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\nspec:\n  containers:\n  - name: c\n    image: busybox\n    securityContext:\n      privileged: true\n";
    let (_, refused) = apply(&app, "k8s/root.yaml", privileged).await;
    assert_eq!(response_reason(&refused), Some("pod-security"), "{refused}");
    let client = cluster().await.client().await.expect("client");
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> = kube::Api::namespaced(client, ns.name());
    assert!(pods.get_opt("root").await.expect("get").is_none());
}

fn response_reason(response: &Value) -> Option<&str> {
    response["results"][0]["outcome"]["reason"].as_str()
}
