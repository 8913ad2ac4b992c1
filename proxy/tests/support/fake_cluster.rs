//! A stand-in for the API server, for the tests of what the proxy decides on its own (the guard,
//! the policy, the error shape, the headers, the stream's framing): collections list empty,
//! watches stay open and silent, single objects are not found, and every request is recorded.
//! What the cluster decides (created or unchanged, its own refusals) is tested against the real
//! API server in `tests/`.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use kube::Client;
use serde_json::{Value, json};

/// One request the proxy sent to the cluster.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub body: String,
}

impl Seen {
    /// A list or a watch of a whole collection, as the watch hub sends them.
    pub fn is_collection_read(&self) -> bool {
        self.method == "GET" && (self.uri.contains("watch=") || self.uri.contains("limit="))
    }
}

/// How the fake answers a PATCH (server-side apply): a status and a JSON body.
pub type PatchReply = Arc<dyn Fn(&Seen) -> (StatusCode, Value) + Send + Sync>;

/// What the proxy asked of the fake so far.
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().expect("recorder").clone()
    }

    /// Every request but the watch hub's lists and watches: what a test's own action caused.
    pub fn object_requests(&self) -> Vec<Seen> {
        self.all()
            .into_iter()
            .filter(|seen| !seen.is_collection_read())
            .collect()
    }
}

/// A client whose every request goes to the fake; PATCHes are answered by `patch`.
pub fn client(patch: PatchReply) -> (Client, Recorder) {
    let recorder = Recorder::default();
    let seen = recorder.clone();
    let service = tower::service_fn(move |request: Request<kube::client::Body>| {
        let (seen, patch) = (seen.clone(), patch.clone());
        async move {
            let (parts, body) = request.into_parts();
            let body = body.collect_bytes().await.unwrap_or_default();
            let request = Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            seen.0.lock().expect("recorder").push(request.clone());
            if request.method == "GET" && request.uri.contains("watch=") {
                // A watch that never says anything (the hub waits; the test moves on).
                std::future::pending::<()>().await;
            }
            let (status, body) = match request.method.as_str() {
                "GET" if request.is_collection_read() => (StatusCode::OK, empty_list()),
                "PATCH" => patch(&request),
                _ => not_found(),
            };
            Ok::<_, Infallible>(
                Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .expect("response"),
            )
        }
    });
    (Client::new(service, "default"), recorder)
}

fn empty_list() -> Value {
    json!({ "apiVersion": "v1", "kind": "List", "metadata": { "resourceVersion": "1" }, "items": [] })
}

fn not_found() -> (StatusCode, Value) {
    (
        StatusCode::NOT_FOUND,
        json!({ "apiVersion": "v1", "kind": "Status", "status": "Failure", "reason": "NotFound",
                "message": "not found", "code": 404 }),
    )
}

/// An API server's refusal of an object (422 Invalid) with one cause naming `field`.
pub fn invalid(field: &str, message: &str) -> (StatusCode, Value) {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({ "apiVersion": "v1", "kind": "Status", "status": "Failure", "reason": "Invalid",
                "message": format!("the object is invalid: {field}: {message}"),
                "details": { "causes": [{ "reason": "FieldValueInvalid", "message": message, "field": field }] },
                "code": 422 }),
    )
}
