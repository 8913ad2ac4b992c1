//! The cluster stops answering in the middle of an apply: each object's result says whether it
//! was applied, not applied, or may have been (the write went out and its answer never came),
//! and nothing is sent after the break.

#[allow(dead_code)]
#[path = "support/app.rs"]
mod support;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, Response};
use serde_json::{Value, json};
use support::{call, page_request, router_for};

/// A stand-in API server whose connection breaks on the write of `reset` (after it was sent) and
/// is refused on the write of `refused`; every other object is applied. The paths of the
/// requests for single objects are recorded.
fn client(seen: Arc<Mutex<Vec<String>>>) -> kube::Client {
    let service = tower::service_fn(move |request: Request<kube::client::Body>| {
        let seen = seen.clone();
        async move {
            let method = request.method().to_string();
            let uri = request.uri().to_string();
            if method == "GET" && uri.contains("watch=") {
                std::future::pending::<()>().await;
            }
            let collection = uri.contains("limit=");
            if !collection {
                seen.lock().expect("seen").push(format!("{method} {uri}"));
            }
            let name = uri.split('?').next().unwrap_or_default().rsplit('/').next();
            let (status, body) = match (method.as_str(), name) {
                _ if collection => (
                    200,
                    json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": "1"}, "items": []}),
                ),
                ("PATCH", Some("reset")) => {
                    return Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
                }
                ("PATCH", Some("refused")) => {
                    return Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
                }
                ("PATCH", Some(name)) => (
                    200,
                    json!({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": name, "namespace": support::NAMESPACE, "resourceVersion": "2"}}),
                ),
                _ => (
                    404,
                    json!({"apiVersion": "v1", "kind": "Status", "status": "Failure",
                           "reason": "NotFound", "message": "not found", "code": 404}),
                ),
            };
            Ok::<_, std::io::Error>(
                Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .expect("response"),
            )
        }
    });
    kube::Client::new(service, "default")
}

fn config_maps(names: &[&str]) -> Value {
    let text = names
        .iter()
        .map(|n| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n"))
        .collect::<Vec<_>>()
        .join("---\n");
    json!({ "files": [{ "path": "k8s/maps.yaml", "text": text }], "dry_run": false })
}

/// Each object's outcome: its type, or its reason when it failed.
fn outcomes(response: &Value) -> Vec<String> {
    response["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|r| {
                    let outcome = &r["outcome"];
                    outcome["reason"]
                        .as_str()
                        .or(outcome["type"].as_str())
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_write_whose_answer_never_came_is_unknown_and_nothing_is_sent_after_it() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = router_for(client(seen.clone()));
    let (status, response) = call(
        &app,
        page_request(
            "POST",
            "/api/apply",
            Some(&config_maps(&["first", "reset", "last"])),
        ),
    )
    .await;
    assert_eq!(status, 200, "{response}");
    assert_eq!(
        outcomes(&response),
        ["created", "unknown", "cluster-lost"],
        "{response}"
    );
    let unknown = response["results"][1]["outcome"]["diagnostics"][0]["message"].clone();
    for lang in ["en", "fr"] {
        let text = unknown[lang].as_str().unwrap_or_default();
        assert!(
            text.contains("apply again") || text.contains("appliquez à nouveau"),
            "{text}"
        );
    }
    let requests = seen.lock().expect("seen").clone();
    assert!(
        requests.iter().all(|r| !r.contains("/last")),
        "nothing is sent after the break: {requests:?}"
    );
}

#[tokio::test]
async fn a_write_that_could_not_connect_is_not_applied() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = router_for(client(seen));
    let (_, response) = call(
        &app,
        page_request(
            "POST",
            "/api/apply",
            Some(&config_maps(&["first", "refused", "last"])),
        ),
    )
    .await;
    assert_eq!(
        outcomes(&response),
        ["created", "unreachable", "cluster-lost"],
        "{response}"
    );
}
