//! The crowded namespace the benchmarks load (about 200 objects of every watched kind), and
//! stream clients that open `POST /api/stream` on the real proxy binary over HTTP.
//!
//! The namespace holds 40 ConfigMaps (the first one, [`PROBE`], is the one the benchmarks
//! change), 40 Secrets, 20 Services, 10 claims, 10 Deployments × 5 pods with their ReplicaSets,
//! 10 Jobs with their pods, and the Deployment [`SURGE`] at 0 replicas, to be scaled.

use anyhow::{Result, bail};
use axum::body::Body;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kubefiche_core::wire::TOKEN_HEADER;
use serde_json::{Value, json};

use crate::cluster::TestCluster;
use crate::live::Tab;
use crate::proxy::ProxyProcess;

/// The ConfigMap the benchmarks patch to time a change.
pub const PROBE: &str = "probe";

/// The Deployment at 0 replicas the benchmarks scale to start many pods at once.
pub const SURGE: &str = "surge";

/// Pods of the namespace once it has settled (10 Deployments × 5, and one per Job).
pub const PODS: usize = 60;

/// The namespace's objects as one `kubectl apply` list.
pub fn objects() -> Value {
    let mut items = Vec::new();
    let container = json!([{ "name": "app", "image": "busybox:1.36" }]);
    for i in 0..40 {
        let name = if i == 0 {
            PROBE.to_owned()
        } else {
            format!("config-{i}")
        };
        items.push(
            json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": name },
            "data": { "MODE": "demo", "LEVEL": i.to_string() } }),
        );
        items.push(json!({ "apiVersion": "v1", "kind": "Secret", "metadata": { "name": format!("secret-{i}") },
            "stringData": { "user": "u", "password": format!("p{i}") } }));
    }
    for i in 0..20 {
        items.push(json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": format!("svc-{i}") },
            "spec": { "selector": { "app": format!("web-{}", i % 10) }, "ports": [{ "port": 80 }] } }));
    }
    for i in 0..10 {
        items.push(json!({ "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": { "name": format!("data-{i}") },
            "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "1Mi" } } } }));
        items.push(deployment(&format!("web-{i}"), 5));
        items.push(json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": format!("job-{i}") },
            "spec": { "template": { "spec": { "restartPolicy": "Never", "containers": container } } } }));
    }
    items.push(deployment(SURGE, 0));
    json!({ "apiVersion": "v1", "kind": "List", "items": items })
}

fn deployment(name: &str, replicas: u32) -> Value {
    json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": name },
        "spec": { "replicas": replicas, "selector": { "matchLabels": { "app": name } },
            "template": { "metadata": { "labels": { "app": name } },
                "spec": { "containers": [{ "name": "web", "image": "nginx:1.27",
                    "envFrom": [{ "configMapRef": { "name": "config-1" } }] }] } } } })
}

/// A plain HTTP client for the proxy on loopback.
pub type Http = Client<HttpConnector, Body>;

pub fn http() -> Http {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Opens `POST /api/stream` on `proxy` as the page does (its token and origin); the response's
/// body, to read (e.g. with [`crate::live::Tab::read`]).
pub async fn open_stream(http: &Http, proxy: &ProxyProcess) -> Result<Body> {
    let request = http::Request::post(format!("{}/api/stream", proxy.origin()))
        .header("origin", proxy.origin())
        .header(TOKEN_HEADER, proxy.token())
        .header("content-type", "application/json")
        .body(Body::from("{}"))?;
    let response = http.request(request).await?;
    if !response.status().is_success() {
        bail!(
            "POST /api/stream answered HTTP {}: is the proxy's token right?",
            response.status()
        );
    }
    Ok(Body::new(response.into_body()))
}

/// Loads the namespace into `ns` and waits until `watcher` (an open stream) holds every object,
/// every pod running or done: how many objects it holds, and how long it took.
pub async fn settle(
    cluster: &TestCluster,
    ns: &str,
    watcher: &Tab,
) -> Result<(usize, std::time::Duration)> {
    let list = serde_json::to_string(&objects())?;
    let started = std::time::Instant::now();
    cluster
        .kubectl(
            &["apply", "--server-side", "-n", ns, "-f", "-"],
            Some(&list),
        )
        .await?;
    watcher
        .until(
            "200 objects, every pod running or done",
            std::time::Duration::from_secs(120),
            |live| {
                let pods: Vec<_> = live.of_kind("Pod").filter_map(|o| o.pod()).collect();
                live.objects().count() >= 200
                    && pods.len() == PODS
                    && pods
                        .iter()
                        .all(|p| matches!(p.row.status.as_str(), "Running" | "Completed"))
            },
        )
        .await?;
    Ok((watcher.live().objects().count(), started.elapsed()))
}
