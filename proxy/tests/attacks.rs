//! Hostile input through the HTTP surface, in-process against a fake cluster: YAML built to
//! exhaust the parser, paths that try to step out of `/api/`, and objects or commands that try
//! to leave the learner's namespace. Each is answered plainly, fast, and nothing reaches the
//! cluster.

#[path = "support/fake_cluster.rs"]
mod fake_cluster;
#[path = "support/app.rs"]
mod support;

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use fake_cluster::Recorder;
use serde_json::{Value, json};
use support::{assert_refusal, call, page_request, router_for};

/// Far longer than any answer here takes, even in a debug build on a busy machine.
const FAST: Duration = Duration::from_secs(5);

fn router() -> (Router, Recorder) {
    let (client, recorder) = fake_cluster::client(Arc::new(|_| {
        fake_cluster::invalid("metadata", "unexpected apply")
    }));
    (router_for(client), recorder)
}

fn apply(text: &str) -> Value {
    json!({ "files": [{ "path": "k8s/x.yaml", "text": text }], "dry_run": false })
}

/// Nine levels of nine aliases each: a billion values if expanded.
fn alias_bomb() -> String {
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\nx0: &a0 [lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        let _ = writeln!(text, "x{level}: &a{level} [{refs}]");
    }
    text
}

#[tokio::test]
async fn yaml_built_to_exhaust_the_parser_is_an_error_at_its_line() {
    let (app, cluster) = router();
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: {}{}\n",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let many_keys: String = (0..2_000).fold(
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n"),
        |mut text, i| {
            let _ = writeln!(text, "  k{i}: \"{i}\"");
            text
        },
    );
    for (what, text) in [
        ("aliases", alias_bomb()),
        ("nesting", deep),
        ("keys", many_keys),
    ] {
        let started = Instant::now();
        let (status, body) = call(
            &app,
            page_request("POST", "/api/apply", Some(&apply(&text))),
        )
        .await;
        assert!(started.elapsed() < FAST, "{what}: {:?}", started.elapsed());
        assert_eq!(status, 200, "{what}: {body}");
        let errors: Vec<&Value> = body["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["severity"] == "error")
            .collect();
        if what == "keys" {
            // Wide but legal: a ConfigMap may hold many keys. It is applied (here, refused by
            // the fake cluster), never a crash.
            assert!(errors.is_empty(), "{what}: {body}");
        } else {
            assert!(!errors.is_empty(), "{what}: {body}");
            assert!(
                errors[0]["line"].as_u64().is_some_and(|l| l >= 1),
                "{what}: {body}"
            );
        }
    }
    // Only the legal wide ConfigMap was sent.
    let sent = cluster.object_requests();
    let uris: Vec<&str> = sent.iter().map(|r| r.uri.as_str()).collect();
    assert!(
        uris.iter().all(|u| u.contains("/configmaps/wide")),
        "{uris:?}"
    );
    assert!(
        sent.iter().any(|r| r.body.contains("\"k1999\"")),
        "{uris:?}"
    );
}

#[tokio::test]
async fn paths_that_step_out_of_the_api_are_json_refusals() {
    let (app, cluster) = router();
    for path in [
        "/api/../api/session/../apply",
        "/api/%2e%2e/v1/secrets",
        "/api/apply/../../api/v1/namespaces",
        "/api//apply",
        "/api/apply/",
        "/api/v1/namespaces/kube-system/secrets",
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
    ] {
        let (status, body) = call(&app, page_request("POST", path, Some(&apply("")))).await;
        if path.starts_with("/apis/") {
            // Outside `/api/`: the app's page or its files, never the cluster.
            assert!(
                status == 405 || body["error"].is_string(),
                "{path}: {status} {body}"
            );
        } else {
            assert!(status.is_client_error(), "{path}: {status} {body}");
            assert!(body["error"].is_string(), "{path}: {body}");
        }
    }
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn commands_cannot_leave_the_namespace() {
    let (app, _) = router();
    for line in [
        "kubectl get secrets -n kube-system",
        "kubectl get secrets --namespace=kube-system",
        "kubectl get pods -A",
        "kubectl get pods --all-namespaces",
        "kubectl --context=other get pods",
        "kubectl --kubeconfig=/etc/kubernetes/admin.conf get pods",
        "kubectl get --raw /api/v1/namespaces/kube-system/secrets",
        "kubectl proxy",
        "kubectl get pods; cat /etc/passwd",
        "kubectl get pods $(id)",
    ] {
        let request = json!({ "line": line, "files": [] });
        let answer = call(&app, page_request("POST", "/api/command", Some(&request))).await;
        assert_refusal(&answer, 403, "command-refused");
    }
}
