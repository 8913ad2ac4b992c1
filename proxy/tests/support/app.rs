//! The proxy's router in-process, and requests as the page sends them: shared by the tests of
//! the HTTP surface.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kubefiche::guard::Guard;
use kubefiche::kubectl::Kubectl;
use kubefiche::sandbox::Settings;
use kubefiche::watch::Hub;
use kubefiche::{AppState, app};
use kubefiche_core::wire::TOKEN_HEADER;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

pub const PORT: u16 = 18417;
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef-test-token";
pub const HOST: &str = "127.0.0.1:18417";
pub const ORIGIN: &str = "http://127.0.0.1:18417";
pub const NAMESPACE: &str = "learner";
pub const LIMIT: usize = 64 * 1024;
pub const CONTEXT: &str = "kind-course";

/// The router in front of `client`, as the proxy builds it for the learner's namespace, with
/// `kubectl` running the commands (its context and namespace are set here); cancelling
/// `shutdown` is the proxy stopping.
#[allow(dead_code)] // not every test file uses every builder
pub fn router_with_kubectl(
    client: kube::Client,
    context: &str,
    kubectl: Kubectl,
    shutdown: CancellationToken,
) -> Router {
    router_in(client, context, kubectl, shutdown, Settings::default())
}

/// The router in front of `client`, with the policy's loosenable settings given.
pub fn router_with_sandbox(client: kube::Client, sandbox: Settings) -> Router {
    router_in(
        client,
        CONTEXT,
        Kubectl::default(),
        CancellationToken::new(),
        sandbox,
    )
}

fn router_in(
    client: kube::Client,
    context: &str,
    kubectl: Kubectl,
    shutdown: CancellationToken,
    sandbox: Settings,
) -> Router {
    let base = state(client);
    app(AppState {
        context: context.into(),
        kubectl: Kubectl {
            context: context.into(),
            namespace: NAMESPACE.into(),
            ..kubectl
        },
        sandbox,
        shutdown,
        ..base
    })
}

/// What the proxy holds for the learner's namespace in front of `client`, with every setting at
/// its default (the body limit at [`LIMIT`]).
pub fn state(client: kube::Client) -> AppState {
    AppState {
        hub: Hub::start(client.clone(), NAMESPACE),
        client,
        namespace: NAMESPACE.into(),
        context: CONTEXT.into(),
        server_version: "v1.36.1".into(),
        guard: Guard::new(TOKEN, PORT, &[]),
        max_body_bytes: LIMIT,
        kubectl: Kubectl {
            context: CONTEXT.into(),
            namespace: NAMESPACE.into(),
            ..Kubectl::default()
        },
        sandbox: Settings::default(),
        shutdown: CancellationToken::new(),
        bounds: kubefiche::bounds::Bounds::default(),
        classroom: None,
    }
}

/// The router in front of `client`, with `kubectl` from PATH.
pub fn router_for(client: kube::Client) -> Router {
    router_with_sandbox(client, Settings::default())
}

/// A request as the page sends it: right Host, token, Origin and content type.
pub fn page_request(method: &str, path: &str, body: Option<&Value>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("host", HOST)
        .header("origin", ORIGIN)
        .header(TOKEN_HEADER, TOKEN)
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .expect("request")
}

/// The status and the JSON answer.
pub async fn call(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.expect("answer");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let json = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        panic!(
            "HTTP {status}, not JSON: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, json)
}

/// Every refusal has the one error shape, with a message in both languages.
pub fn assert_refusal(answer: &(StatusCode, Value), status: u16, code: &str) {
    let (got, body) = answer;
    assert_eq!(
        (got.as_u16(), body["error"].as_str()),
        (status, Some(code)),
        "{body}"
    );
    for lang in ["en", "fr"] {
        assert!(
            body["message"][lang].as_str().is_some_and(|m| m.len() > 20),
            "no {lang} message: {body}"
        );
    }
}
