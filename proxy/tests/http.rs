//! The proxy's HTTP surface in-process (`app(state)` through `tower::ServiceExt::oneshot`) with a
//! fake cluster: the guard, the policy, the error shape, the limits, the headers and the
//! stream's framing — everything the proxy decides before or without the API server.

#[path = "support/fake_cluster.rs"]
mod fake_cluster;
#[path = "support/app.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use fake_cluster::{PatchReply, Recorder, invalid};
use futures::StreamExt;
use kubefiche_core::wire::{StreamEvent, TOKEN_HEADER};
use serde_json::{Value, json};
use support::{
    HOST, LIMIT, NAMESPACE, ORIGIN, TOKEN, assert_refusal, call, page_request, router_for,
};
use tower::ServiceExt;

const CONFIG: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata:\n  API_NAME: \"Iris Predictor\"\n";

/// The router against a fake cluster whose server-side applies are answered by `patch`.
fn router_with(patch: PatchReply) -> (Router, Recorder) {
    let (client, recorder) = fake_cluster::client(patch);
    (router_for(client), recorder)
}

/// A fake cluster that refuses every apply (no test here should get that far unless it says so).
fn router() -> (Router, Recorder) {
    router_with(Arc::new(|_| invalid("metadata", "unexpected apply")))
}

fn apply_body(text: &str) -> Value {
    json!({ "files": [{ "path": "k8s/x.yaml", "text": text }], "dry_run": false })
}

#[tokio::test]
async fn the_guard_refuses_with_reasons_and_nothing_reaches_the_cluster() {
    let (app, cluster) = router();
    let body = apply_body(CONFIG).to_string();
    let post = |host: &str, origin: Option<&str>, token: Option<&str>, content_type: &str| {
        let mut builder = Request::builder()
            .method("POST")
            .uri("/api/apply")
            .header("host", host)
            .header("content-type", content_type);
        if let Some(origin) = origin {
            builder = builder.header("origin", origin);
        }
        if let Some(token) = token {
            builder = builder.header(TOKEN_HEADER, token);
        }
        builder.body(Body::from(body.clone())).expect("request")
    };
    let json = "application/json";
    let cases = [
        (post(HOST, Some(ORIGIN), None, json), 401, "bad-token"),
        (
            post(HOST, Some(ORIGIN), Some("wrong"), json),
            401,
            "bad-token",
        ),
        (
            post(HOST, Some(ORIGIN), Some(&TOKEN[1..]), json),
            401,
            "bad-token",
        ),
        (
            post(HOST, Some("http://evil.example"), Some(TOKEN), json),
            403,
            "bad-origin",
        ),
        (
            post(HOST, Some("http://127.0.0.1:18418"), Some(TOKEN), json),
            403,
            "bad-origin",
        ),
        (
            post(HOST, Some("null"), Some(TOKEN), json),
            403,
            "bad-origin",
        ),
        (post(HOST, None, Some(TOKEN), json), 403, "bad-origin"),
        (
            post("rebound.example:18417", Some(ORIGIN), Some(TOKEN), json),
            421,
            "bad-host",
        ),
        (
            post("127.0.0.1:80", Some(ORIGIN), Some(TOKEN), json),
            421,
            "bad-host",
        ),
        (
            post(HOST, Some(ORIGIN), Some(TOKEN), "text/plain"),
            400,
            "bad-body",
        ),
        (
            post(
                HOST,
                Some(ORIGIN),
                Some(TOKEN),
                "application/x-www-form-urlencoded",
            ),
            400,
            "bad-body",
        ),
    ];
    for (request, status, code) in cases {
        assert_refusal(&call(&app, request).await, status, code);
    }
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn the_stream_and_the_session_are_guarded_too() {
    let (app, _) = router();
    let mut stream = page_request("POST", "/api/stream", Some(&json!({})));
    stream.headers_mut().remove("origin");
    assert_refusal(&call(&app, stream).await, 403, "bad-origin");
    let mut session = page_request("GET", "/api/session", None);
    session.headers_mut().remove(TOKEN_HEADER);
    assert_refusal(&call(&app, session).await, 401, "bad-token");
    // The page itself is public (it holds no secret) but only under the allowed host names.
    let page = Request::builder()
        .uri("/")
        .header("host", "attacker.example")
        .body(Body::empty())
        .expect("request");
    assert_refusal(&call(&app, page).await, 421, "bad-host");
}

#[tokio::test]
async fn a_second_host_or_a_target_naming_another_host_is_refused() {
    let (app, cluster) = router();
    let mut twice = page_request("GET", "/api/session", None);
    twice
        .headers_mut()
        .append("host", "rebound.example".parse().expect("value"));
    assert_refusal(&call(&app, twice).await, 421, "bad-host");
    let mut twice_the_same = page_request("GET", "/api/session", None);
    twice_the_same
        .headers_mut()
        .append("host", HOST.parse().expect("value"));
    assert_refusal(&call(&app, twice_the_same).await, 421, "bad-host");
    let elsewhere = page_request("GET", "http://rebound.example/api/session", None);
    assert_refusal(&call(&app, elsewhere).await, 421, "bad-host");
    let page = Request::builder()
        .uri("http://attacker.example/")
        .header("host", HOST)
        .body(Body::empty())
        .expect("request");
    assert_refusal(&call(&app, page).await, 421, "bad-host");
    // The absolute form of an allowed address is fine.
    let here = page_request("GET", &format!("http://{HOST}/api/session"), None);
    let (status, _) = call(&app, here).await;
    assert_eq!(status, 200);
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn bodies_are_bounded_and_must_be_the_expected_json() {
    let (app, cluster) = router();
    let huge = apply_body(&"a".repeat(LIMIT + 1));
    let answer = call(&app, page_request("POST", "/api/apply", Some(&huge))).await;
    assert_refusal(&answer, 400, "bad-body");
    let malformed = Request::builder()
        .method("POST")
        .uri("/api/apply")
        .header("host", HOST)
        .header("origin", ORIGIN)
        .header(TOKEN_HEADER, TOKEN)
        .header("content-type", "application/json")
        .body(Body::from("{\"files\": [{\"path\": 1"))
        .expect("request");
    assert_refusal(&call(&app, malformed).await, 400, "bad-body");
    let wrong_shape = call(
        &app,
        page_request("POST", "/api/apply", Some(&json!({"files": "all"}))),
    )
    .await;
    assert_refusal(&wrong_shape, 400, "bad-body");
    // A length beyond the limit is refused from the header, before any byte is read.
    let mut declared = page_request("POST", "/api/apply", Some(&apply_body("a: 1")));
    declared
        .headers_mut()
        .insert("content-length", "1000000000000".parse().expect("value"));
    let answer = call(&app, declared).await;
    assert_refusal(&answer, 400, "bad-body");
    assert!(
        answer
            .1
            .to_string()
            .contains("declares 1000000000000 bytes"),
        "{answer:?}"
    );
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn unknown_operations_are_refused_not_proxied() {
    let (app, cluster) = router();
    for (method, path) in [
        ("GET", "/api/v1/namespaces/kube-system/secrets"),
        ("POST", "/api/exec"),
        ("DELETE", "/api/apply"),
    ] {
        let answer = call(&app, page_request(method, path, None)).await;
        assert!(answer.0.is_client_error(), "{method} {path}: {answer:?}");
        assert!(answer.1["error"].is_string(), "{method} {path}: {answer:?}");
    }
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn the_session_says_where_objects_go() {
    let (app, _) = router();
    let (status, session) = call(&app, page_request("GET", "/api/session", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["namespace"], NAMESPACE);
    assert_eq!(session["context"], "kind-course");
    assert_eq!(session["server_version"], "v1.36.1");
    assert_eq!(session["flavor"], "kind");
    assert!(!session.to_string().contains(TOKEN));
}

#[tokio::test]
async fn the_policy_refuses_other_kinds_namespaces_and_cluster_objects() {
    let (app, cluster) = router();
    let cases = [
        (
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules: []\n",
            "kind-not-allowed",
            2,
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: kube-system\ndata: {}\n",
            "foreign-namespace",
            5,
        ),
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: elsewhere\n",
            "cluster-scoped",
            2,
        ),
        // Apply needs a name: `generateName` alone is said to be so, not sent.
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: app-\ndata: {}\n",
            "no-name",
            3,
        ),
        // What the cluster makes itself is not written over.
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-root-ca.crt\ndata: {ca.crt: x}\n",
            "cluster-managed",
            4,
        ),
        (
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  annotations:\n    kubernetes.io/service-account.name: default\ntype: kubernetes.io/service-account-token\n",
            "cluster-managed",
            7,
        ),
    ];
    for (text, reason, line) in cases {
        let (status, response) = call(
            &app,
            page_request("POST", "/api/apply", Some(&apply_body(text))),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{response}");
        let outcome = &response["results"][0]["outcome"];
        assert_eq!(
            (outcome["type"].as_str(), outcome["reason"].as_str()),
            (Some("failed"), Some(reason)),
            "{response}"
        );
        let diagnostic = &outcome["diagnostics"][0];
        assert_eq!(diagnostic["line"], line, "{response}");
        for lang in ["en", "fr"] {
            assert!(
                diagnostic["message"][lang]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{response}"
            );
        }
    }
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn a_refused_object_stops_the_whole_apply_before_anything_is_sent() {
    let (app, cluster) = router();
    let text = format!(
        "{CONFIG}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: everything\nrules: []\n"
    );
    let (status, response) = call(
        &app,
        page_request("POST", "/api/apply", Some(&apply_body(&text))),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    let reasons: Vec<&str> = response["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["outcome"]["reason"].as_str().unwrap_or("applied"))
        .collect();
    assert_eq!(reasons, ["not-sent", "cluster-scoped"], "{response}");
    let note = &response["results"][0]["outcome"]["diagnostics"][0];
    assert_eq!(note["severity"], "info", "{response}");
    assert!(
        note["message"]["en"]
            .as_str()
            .is_some_and(|m| m.contains("k8s/x.yaml line")),
        "{response}"
    );
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn invalid_manifests_are_refused_before_the_cluster() {
    let (app, cluster) = router();
    for text in [
        "kind: ConfigMap\n  bad: [indent\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Iris_Config\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  contianers: []\n",
    ] {
        let (_, response) = call(
            &app,
            page_request("POST", "/api/apply", Some(&apply_body(text))),
        )
        .await;
        assert!(
            response["results"].as_array().is_some_and(Vec::is_empty),
            "{response}"
        );
        assert_eq!(
            response["diagnostics"][0]["severity"], "error",
            "{response}"
        );
    }
    // Far too deep a nesting is said to be one, whichever guard stops it first.
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let (_, response) = call(
        &app,
        page_request("POST", "/api/apply", Some(&apply_body(&deep))),
    )
    .await;
    let message = response["diagnostics"][0]["message"]["en"]
        .as_str()
        .unwrap_or_default();
    assert!(message.starts_with("Nesting is too deep"), "{response}");
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn an_api_server_refusal_is_tied_to_the_line_it_names() {
    // The API server names the defaulted plural (`spec.clusterIPs`) of what was written.
    let (app, cluster) = router_with(Arc::new(|_| {
        invalid(
            "spec.clusterIPs",
            "Invalid value: \"203.0.113.7\": not in the service range",
        )
    }));
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 203.0.113.7\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    let (_, response) = call(
        &app,
        page_request("POST", "/api/apply", Some(&apply_body(service))),
    )
    .await;
    let outcome = &response["results"][0]["outcome"];
    assert_eq!(outcome["reason"], "Invalid", "{response}");
    assert_eq!(outcome["diagnostics"][0]["line"], 6, "{response}");
    let message = outcome["diagnostics"][0]["message"]["en"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("API server") && message.contains("203.0.113.7"),
        "{message}"
    );
    // What went out: a server-side apply into the learner's namespace, by our field manager,
    // with strict field validation.
    let patch = cluster
        .object_requests()
        .into_iter()
        .find(|s| s.method == "PATCH")
        .expect("a patch");
    assert!(
        patch
            .uri
            .starts_with("/api/v1/namespaces/learner/services/web?"),
        "{}",
        patch.uri
    );
    for part in [
        "fieldManager=kubefiche",
        "force=true",
        "fieldValidation=Strict",
    ] {
        assert!(patch.uri.contains(part), "{part} missing in {}", patch.uri);
    }
    let sent: Value = serde_json::from_str(&patch.body).expect("json body");
    assert_eq!(sent["metadata"]["namespace"], NAMESPACE);
}

#[tokio::test]
async fn an_unreachable_cluster_is_said_plainly() {
    // A client of an address where nothing listens.
    let config = kube::Config::new("http://127.0.0.1:1".parse().expect("uri"));
    let app = router_for(kube::Client::try_from(config).expect("client"));
    let (_, response) = call(
        &app,
        page_request("POST", "/api/apply", Some(&apply_body(CONFIG))),
    )
    .await;
    let outcome = &response["results"][0]["outcome"];
    assert_eq!(outcome["reason"], "unreachable", "{response}");
    let message = outcome["diagnostics"][0]["message"]["en"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("kubectl get nodes"), "{message}");
}

#[tokio::test]
async fn the_page_is_served_with_a_strict_policy_and_compressed() {
    let (app, _) = router();
    let response = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/")
                .header("host", "localhost:18417")
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("page");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing in {csp:?}");
    }
    assert!(
        !csp.contains("unsafe-eval'") || csp.contains("wasm-unsafe-eval"),
        "{csp}"
    );
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert!(
        header("content-type").starts_with("text/html"),
        "{}",
        header("content-type")
    );
    assert_eq!(header("content-encoding"), "gzip");
}

#[tokio::test]
async fn the_stream_starts_with_a_snapshot_and_is_never_compressed() {
    let (app, cluster) = router();
    let mut request = page_request("POST", "/api/stream", Some(&json!({})));
    request
        .headers_mut()
        .insert("accept-encoding", "gzip".parse().expect("header"));
    let response = app.clone().oneshot(request).await.expect("stream");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    let events = tokio::time::timeout(Duration::from_secs(10), async {
        let mut events = Vec::new();
        while events.is_empty() {
            let chunk = body.next().await.expect("more").expect("chunk");
            text.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = text.find("\n\n") {
                let block: String = text.drain(..end + 2).collect();
                if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) {
                    events.push(serde_json::from_str::<StreamEvent>(data).expect("event"));
                }
            }
        }
        events
    })
    .await
    .expect("the first events in time");
    assert_eq!(
        events[0],
        StreamEvent::Snapshot {
            objects: Vec::new(),
            events: Vec::new(),
            health: Default::default(),
        }
    );
    // The hub listed and watches its kinds in the learner's namespace only.
    let reads = cluster.all();
    for path in [
        "/api/v1/namespaces/NS/pods?",
        "/api/v1/namespaces/NS/configmaps?",
        "/api/v1/namespaces/NS/secrets?",
        "/api/v1/namespaces/NS/persistentvolumeclaims?",
        "/api/v1/namespaces/NS/services?",
        "/apis/apps/v1/namespaces/NS/deployments?",
        "/apis/batch/v1/namespaces/NS/jobs?",
        "/apis/batch/v1/namespaces/NS/cronjobs?",
        "/apis/apps/v1/namespaces/NS/replicasets?",
        "/apis/events.k8s.io/v1/namespaces/NS/events?",
    ] {
        let path = path.replace("NS", NAMESPACE);
        assert!(
            reads.iter().any(|s| s.uri.starts_with(&path)),
            "no read of {path}: {reads:?}"
        );
    }
    let namespace = format!("/namespaces/{NAMESPACE}/");
    assert!(
        reads.iter().all(
            |s| (s.uri.starts_with("/api/v1/") || s.uri.starts_with("/apis/"))
                && s.uri.contains(&namespace)
        ),
        "{reads:?}"
    );
}

#[tokio::test]
#[ignore = "needs the built app (target/site): cargo xtask test"]
async fn the_app_files_are_served_with_their_types_compressed() {
    let (app, _) = router();
    for (path, content_type) in [
        ("/kubefiche_app_bg.wasm", "application/wasm"),
        ("/kubefiche_app.js", "text/javascript; charset=utf-8"),
        ("/editor.js", "text/javascript; charset=utf-8"),
        ("/boot.js", "text/javascript; charset=utf-8"),
        ("/app.css", "text/css; charset=utf-8"),
    ] {
        let response = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri(path)
                    .header("host", HOST)
                    .header("accept-encoding", "gzip")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("file");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(header("content-type"), Some(content_type), "{path}");
        assert_eq!(header("content-encoding"), Some("gzip"), "{path}");
        assert_eq!(header("cache-control"), Some("no-cache"), "{path}");
        // The browser revalidates with the entity tag and keeps its copy (and compiled code).
        let tag = header("etag").expect("an entity tag").to_owned();
        for (sent, status) in [
            (tag.as_str(), StatusCode::NOT_MODIFIED),
            ("\"0\"", StatusCode::OK),
        ] {
            let again = app
                .clone()
                .oneshot(
                    Request::builder()
                        .uri(path)
                        .header("host", HOST)
                        .header("if-none-match", sent)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("file");
            assert_eq!(again.status(), status, "{path} with {sent}");
        }
    }
}
