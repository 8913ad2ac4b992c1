//! What one request and one connection may cost: objects per apply, validation off the threads
//! that answer the other requests, and over real TCP against the proxy's own accept loop: headers
//! and bodies that never finish, impossible lengths, the cap on connections and the stop.

// Shared helpers: this file builds its own app (with its own bounds) and uses some of them.
#[allow(dead_code)]
#[path = "support/fake_cluster.rs"]
mod fake_cluster;
#[allow(dead_code)]
#[path = "support/app.rs"]
mod support;

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use kubefiche::bounds::Bounds;
use kubefiche::serve::{Connections, serve};
use kubefiche::{AppState, app};
use kubefiche_core::wire::TOKEN_HEADER;
use serde_json::{Value, json};
use support::{HOST, ORIGIN, TOKEN, assert_refusal, call, page_request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// Longer than any answer here should take, even on a busy machine.
const WAIT: Duration = Duration::from_secs(10);

/// The app against a fake cluster, with these bounds and this body limit.
fn router(bounds: Bounds, body_bytes: usize) -> (Router, fake_cluster::Recorder) {
    let (client, recorder) = fake_cluster::client(Arc::new(|_| {
        fake_cluster::invalid("metadata", "unexpected apply")
    }));
    let state = AppState {
        max_body_bytes: body_bytes,
        bounds,
        ..support::state(client)
    };
    (app(state), recorder)
}

/// `n` small ConfigMaps in files of 100 documents, and one invalid object when `broken` (so
/// that nothing is sent to the cluster).
fn workspace(n: usize, broken: bool) -> Value {
    let mut files: Vec<Value> = (0..n)
        .collect::<Vec<_>>()
        .chunks(100)
        .enumerate()
        .map(|(f, chunk)| {
            let mut text = String::new();
            for i in chunk {
                let _ = write!(
                    text,
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  A: \"{i}\"\n---\n"
                );
            }
            json!({ "path": format!("k8s/f{f}.yaml"), "text": text })
        })
        .collect();
    if broken {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata: 5\n";
        files.push(json!({ "path": "k8s/broken.yaml", "text": text }));
    }
    json!({ "files": files, "dry_run": false })
}

#[tokio::test]
async fn an_apply_with_too_many_objects_is_refused_before_validation() {
    let (app, cluster) = router(Bounds::new(500, Duration::from_secs(30), 0), 256 * 1024);
    let answer = call(
        &app,
        page_request("POST", "/api/apply", Some(&workspace(501, false))),
    )
    .await;
    assert_refusal(&answer, 413, "too-many-objects");
    let message = answer.1["message"]["en"].as_str().unwrap_or_default();
    assert!(
        message.contains("501 objects") && message.contains("at most 500"),
        "{message}"
    );
    // `kubectl apply -f` carries the same workspace: the same bound, before anything runs.
    let mut command = workspace(501, false);
    command["line"] = json!("kubectl apply -f k8s/f0.yaml");
    let answer = call(&app, page_request("POST", "/api/command", Some(&command))).await;
    assert_refusal(&answer, 413, "too-many-objects");
    // At the limit, the apply goes on (here to the validation, which stops it).
    let mut at_limit = workspace(499, true);
    at_limit["files"][0]["text"] = json!(
        at_limit["files"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
            + "# a comment is no object\n---\n---\n"
    );
    let (status, body) = call(&app, page_request("POST", "/api/apply", Some(&at_limit))).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

/// On a runtime of one thread, a validation run on that thread would hold every other request
/// until it ends. It runs on the blocking pool: the session is answered while it goes on.
#[tokio::test(flavor = "current_thread")]
async fn a_large_apply_does_not_hold_up_the_other_requests() {
    let (app, cluster) = router(
        Bounds::new(100_000, Duration::from_secs(30), 1),
        16 * 1024 * 1024,
    );
    let body = workspace(4_000, true);
    let start = Instant::now();
    let apply = tokio::spawn({
        let app = app.clone();
        async move {
            let answer = call(&app, page_request("POST", "/api/apply", Some(&body))).await;
            (answer, start.elapsed())
        }
    });
    // Let the apply start (its body is read at once) before asking for the session.
    for _ in 0..3 {
        tokio::task::yield_now().await;
    }
    let (status, _) = call(&app, page_request("GET", "/api/session", None)).await;
    let session = start.elapsed();
    assert_eq!(status, 200);
    let ((status, body), applied) = apply.await.expect("apply");
    assert_eq!(status, 200, "{body}");
    assert!(
        session < applied / 2,
        "the session waited for the apply: session {session:?}, apply {applied:?}"
    );
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

/// The app on a loopback port through the proxy's accept loop.
async fn listening(app: Router, connections: Connections) -> (String, CancellationToken) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let address = listener.local_addr().expect("address").to_string();
    let stop = CancellationToken::new();
    tokio::spawn(serve(listener, app, connections, stop.clone()));
    (address, stop)
}

fn connections(header_time: Duration, max: usize) -> Connections {
    Connections { header_time, max }
}

/// Everything the server sends until it closes the connection (or `WAIT` passes).
async fn read_to_close(stream: &mut TcpStream) -> (String, Duration) {
    let start = Instant::now();
    let mut all = Vec::new();
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut all)).await;
    (String::from_utf8_lossy(&all).into_owned(), start.elapsed())
}

/// Request headers as the page sends them, with no blank line after them.
fn head(method: &str, path: &str, length: Option<u64>) -> String {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {HOST}\r\norigin: {ORIGIN}\r\n{TOKEN_HEADER}: {TOKEN}\r\ncontent-type: application/json\r\n"
    );
    if let Some(n) = length {
        let _ = write!(head, "content-length: {n}\r\n");
    }
    head
}

#[tokio::test]
async fn half_sent_headers_are_closed_after_the_header_time() {
    let (app, _) = router(Bounds::default(), 64 * 1024);
    let (address, _stop) = listening(app, connections(Duration::from_millis(300), 16)).await;
    let mut stream = TcpStream::connect(&address).await.expect("connect");
    stream
        .write_all(head("GET", "/api/session", None).as_bytes())
        .await
        .expect("write");
    let (_, waited) = read_to_close(&mut stream).await;
    assert!(waited < WAIT, "still open after {waited:?}");
    // A whole request on a fresh connection is answered as usual.
    let mut stream = TcpStream::connect(&address).await.expect("connect");
    let request = head("GET", "/api/session", None) + "connection: close\r\n\r\n";
    stream.write_all(request.as_bytes()).await.expect("write");
    let (answer, _) = read_to_close(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_trickling_body_is_cut_with_a_reason() {
    let (app, cluster) = router(Bounds::new(500, Duration::from_millis(500), 0), 64 * 1024);
    let (address, _stop) = listening(app, connections(Duration::from_secs(10), 16)).await;
    let stream = TcpStream::connect(&address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let request = head("POST", "/api/apply", Some(1000)) + "connection: close\r\n\r\n{\"files\": [";
    writer.write_all(request.as_bytes()).await.expect("write");
    // A byte every 100 ms: the whole body would take well over a minute.
    let trickle = tokio::spawn(async move {
        while writer.write_all(b" ").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let start = Instant::now();
    let mut all = Vec::new();
    let _ = tokio::time::timeout(WAIT, reader.read_to_end(&mut all)).await;
    let (answer, waited) = (String::from_utf8_lossy(&all).into_owned(), start.elapsed());
    trickle.abort();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("\"bad-body\""), "{answer}");
    assert!(waited < WAIT, "{waited:?}");
    assert_eq!(cluster.object_requests().len(), 0, "{:?}", cluster.all());
}

#[tokio::test]
async fn an_impossible_length_is_answered_at_once() {
    let (app, _) = router(Bounds::default(), 64 * 1024);
    let (address, _stop) = listening(app, connections(Duration::from_secs(10), 16)).await;
    let mut stream = TcpStream::connect(&address).await.expect("connect");
    let request = head("POST", "/api/apply", Some(1_000_000_000_000)) + "connection: close\r\n\r\n";
    stream.write_all(request.as_bytes()).await.expect("write");
    let (answer, waited) = read_to_close(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("declares 1000000000000 bytes"), "{answer}");
    // Well before the 30 s a body may take.
    assert!(waited < WAIT, "{waited:?}");
}

#[tokio::test]
async fn over_the_cap_a_connection_waits_for_another_to_close() {
    let (app, _) = router(Bounds::default(), 64 * 1024);
    let (address, _stop) = listening(app, connections(Duration::from_secs(10), 2)).await;
    let first = TcpStream::connect(&address).await.expect("connect");
    let _second = TcpStream::connect(&address).await.expect("connect");
    let mut third = TcpStream::connect(&address).await.expect("connect");
    let request = head("GET", "/api/session", None) + "connection: close\r\n\r\n";
    third.write_all(request.as_bytes()).await.expect("write");
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut byte)).await;
    assert!(early.is_err(), "answered over the cap: {early:?}");
    drop(first);
    let (answer, _) = read_to_close(&mut third).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn the_stop_closes_idle_connections_and_ends_the_loop() {
    let (app, _) = router(Bounds::default(), 64 * 1024);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let address = listener.local_addr().expect("address");
    let stop = CancellationToken::new();
    let serving = tokio::spawn(serve(
        listener,
        app,
        connections(Duration::from_secs(10), 16),
        stop.clone(),
    ));
    let mut idle = TcpStream::connect(address).await.expect("connect");
    let request = head("GET", "/api/session", None) + "\r\n";
    idle.write_all(request.as_bytes()).await.expect("write");
    let mut buffer = [0u8; 12];
    idle.read_exact(&mut buffer).await.expect("answer");
    assert_eq!(&buffer, b"HTTP/1.1 200");
    stop.cancel();
    tokio::time::timeout(WAIT, serving)
        .await
        .expect("the loop ends")
        .expect("no panic");
    let (_, waited) = read_to_close(&mut idle).await;
    assert!(waited < WAIT, "the idle connection stayed open");
    assert!(
        TcpStream::connect(address).await.is_err(),
        "still accepting"
    );
}

#[tokio::test]
async fn what_the_http_server_cannot_read_is_refused_in_json_too() {
    let (app, _) = router(Bounds::default(), 64 * 1024);
    let (address, _stop) = listening(app, connections(Duration::from_secs(10), 16)).await;
    let huge = format!(
        "{}x-padding: {}\r\n\r\n",
        head("GET", "/api/session", None),
        "a".repeat(512 * 1024)
    );
    for (request, status, code) in [
        (
            "GET /api/session HTTP/1.1\r\nhost\r\n\r\n".to_owned(),
            "400",
            "unreadable-request",
        ),
        (
            "NOT HTTP AT ALL\r\n\r\n".to_owned(),
            "400",
            "unreadable-request",
        ),
        (huge, "431", "headers-too-large"),
    ] {
        let mut stream = TcpStream::connect(&address).await.expect("connect");
        // The server may answer and close before it has read all of a large request.
        let _ = stream.write_all(request.as_bytes()).await;
        let (answer, _) = read_to_close(&mut stream).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{answer}"
        );
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let json: Value =
            serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {answer}"));
        assert_eq!(json["error"], code, "{json}");
        assert!(
            json["message"]["fr"].as_str().is_some_and(|m| m.len() > 20),
            "{json}"
        );
    }
}
