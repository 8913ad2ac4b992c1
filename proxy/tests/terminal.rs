//! The terminal socket (`GET /api/terminal`) of a proxy listening on a loopback port, with a
//! fake cluster and a fake `kubectl` (a shell script written by each test) on a real
//! pseudo-terminal: the Origin check before the upgrade, the hello, the refusals, the limit,
//! and the plumbing (echo, resize, Ctrl-D, exit status, kill on close).

// Only its client is used here; the recorder serves the HTTP tests.
#[allow(dead_code)]
#[path = "support/fake_cluster.rs"]
mod fake_cluster;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use kubefiche::guard::Guard;
use kubefiche::kubectl::Kubectl;
use kubefiche::watch::Hub;
use kubefiche::{AppState, app};
use kubefiche_core::wire::{TerminalControl, TerminalEvent, TerminalHello};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const TOKEN: &str = "0123456789abcdef0123456789abcdef-test-token";
const NAMESPACE: &str = "learner";
const WAIT: Duration = Duration::from_secs(10);

/// What the fake kubectl does: records its arguments and pid, insists on a terminal, prints
/// the size, answers lines, exits on `exit N` or with 7 at the end of input (Ctrl-D).
const FAKE_KUBECTL: &str = r#"#!/bin/sh
here=$(dirname "$0")
echo "$@" > "$here/args"
echo $$ > "$here/pid"
if [ ! -t 0 ]; then echo "stdin is not a terminal"; exit 9; fi
echo "ready $(stty size)"
while IFS= read -r line; do
  case "$line" in
    size) echo "size $(stty size)" ;;
    exit*) exit "${line#exit }" ;;
    *) echo "got:$line" ;;
  esac
done
echo bye
exit 7
"#;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A proxy on a free loopback port whose kubectl is the fake, in a folder of its own.
struct Proxy {
    port: u16,
    dir: PathBuf,
}

impl Proxy {
    async fn start(context: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kubefiche-terminal-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let program = dir.join("kubectl");
        std::fs::write(&program, FAKE_KUBECTL).expect("fake kubectl");
        std::process::Command::new("chmod")
            .arg("755")
            .arg(&program)
            .status()
            .expect("chmod");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let port = listener.local_addr().expect("address").port();
        let (client, _) = fake_cluster::client(Arc::new(|_| {
            fake_cluster::invalid("metadata", "unexpected apply")
        }));
        let state = AppState {
            hub: Hub::start(client.clone(), NAMESPACE),
            client,
            namespace: NAMESPACE.into(),
            context: context.into(),
            server_version: "v1.36.1".into(),
            guard: Guard::new(TOKEN, port, &[]),
            max_body_bytes: 64 * 1024,
            kubectl: Kubectl {
                program,
                kubeconfig: None,
                context: context.into(),
                namespace: NAMESPACE.into(),
                ..Kubectl::default()
            },
            sandbox: Default::default(),
            shutdown: tokio_util::sync::CancellationToken::new(),
            bounds: kubefiche::bounds::Bounds::default(),
            classroom: None,
        };
        // Through the proxy's own accept loop: the terminal's WebSocket upgrade must pass it.
        let connections = kubefiche::serve::Connections {
            header_time: std::time::Duration::from_secs(10),
            max: 64,
        };
        let stop = tokio_util::sync::CancellationToken::new();
        tokio::spawn(kubefiche::serve::serve(
            listener,
            app(state),
            connections,
            stop,
        ));
        Self { port, dir }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The upgrade as a browser sends it, with this Origin (or none).
    async fn connect_from(&self, origin: Option<&str>) -> Result<Socket, tungstenite::Error> {
        let url = format!("ws://127.0.0.1:{}/api/terminal", self.port);
        let mut request = url.into_client_request().expect("request");
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", origin.parse().expect("origin"));
        }
        tokio_tungstenite::connect_async(request)
            .await
            .map(|(socket, _)| socket)
    }

    async fn connect(&self) -> Socket {
        self.connect_from(Some(&self.origin()))
            .await
            .expect("upgrade")
    }

    /// A socket past its hello for `line`.
    async fn open(&self, line: &str, cols: u16, rows: u16) -> Socket {
        let mut socket = self.connect().await;
        hello(&mut socket, TOKEN, line, cols, rows).await;
        socket
    }

    fn ran(&self) -> bool {
        self.dir.join("args").exists()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn hello(socket: &mut Socket, token: &str, line: &str, cols: u16, rows: u16) {
    let hello = TerminalHello {
        token: token.into(),
        line: line.into(),
        cols,
        rows,
    };
    let text = serde_json::to_string(&hello).expect("json");
    socket.send(Message::text(text)).await.expect("send hello");
}

async fn keys(socket: &mut Socket, bytes: &[u8]) {
    socket
        .send(Message::binary(bytes.to_vec()))
        .await
        .expect("send keys");
}

/// What came back: the terminal's output, the events, and whether the socket closed.
#[derive(Debug, Default)]
struct Seen {
    output: String,
    events: Vec<TerminalEvent>,
    closed: bool,
}

/// Reads until `done` holds or the socket closes (failing after [`WAIT`]).
async fn read_until(socket: &mut Socket, seen: &mut Seen, done: impl Fn(&Seen) -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !done(seen) && !seen.closed {
        let next = tokio::time::timeout_at(deadline, socket.next()).await;
        match next.unwrap_or_else(|_| panic!("nothing more in time; so far {seen:?}")) {
            Some(Ok(Message::Binary(bytes))) => {
                seen.output.push_str(&String::from_utf8_lossy(&bytes))
            }
            Some(Ok(Message::Text(text))) => seen
                .events
                .push(serde_json::from_str(text.as_str()).expect("a terminal event")),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => seen.closed = true,
            Some(Ok(_)) => {}
        }
    }
}

async fn read_to_end(socket: &mut Socket) -> Seen {
    let mut seen = Seen::default();
    read_until(socket, &mut seen, |_| false).await;
    seen
}

/// The one refusal a socket got before it closed: its error code.
async fn refusal(socket: &mut Socket) -> String {
    let seen = read_to_end(socket).await;
    assert!(seen.output.is_empty(), "output before a refusal: {seen:?}");
    match seen.events.as_slice() {
        [TerminalEvent::Refused { error }] => {
            assert!(error.message.en.len() > 20 && error.message.fr.len() > 20);
            error.error.clone()
        }
        other => panic!("expected one refusal, got {other:?}"),
    }
}

fn http_status(result: Result<Socket, tungstenite::Error>) -> u16 {
    match result {
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("expected an HTTP refusal, got {other}"),
        Ok(_) => panic!("the upgrade was accepted"),
    }
}

fn pid_alive(pid: &str) -> bool {
    Path::new("/proc").join(pid.trim()).exists()
}

#[tokio::test]
async fn no_or_a_foreign_origin_is_refused_before_the_upgrade() {
    let proxy = Proxy::start("kind-course").await;
    assert_eq!(http_status(proxy.connect_from(None).await), 403);
    let foreign = proxy.connect_from(Some("http://evil.example")).await;
    assert_eq!(http_status(foreign), 403);
    let other_port = format!("http://127.0.0.1:{}", proxy.port.wrapping_add(1));
    assert_eq!(
        http_status(proxy.connect_from(Some(&other_port)).await),
        403
    );
    assert!(!proxy.ran());
}

#[tokio::test]
async fn a_plain_request_is_told_to_open_a_websocket() {
    let proxy = Proxy::start("kind-course").await;
    let mut stream = TcpStream::connect(("127.0.0.1", proxy.port))
        .await
        .expect("connect");
    let request = format!(
        "GET /api/terminal HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: {}\r\nConnection: close\r\n\r\n",
        proxy.port,
        proxy.origin()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("answer");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("\"error\":\"bad-body\""), "{answer}");
    assert!(!proxy.ran());
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_nothing_runs() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.connect().await;
    hello(
        &mut socket,
        "not-the-token",
        "kubectl exec -it web -- sh",
        80,
        24,
    )
    .await;
    assert_eq!(refusal(&mut socket).await, "bad-token");
    let mut socket = proxy.connect().await;
    hello(&mut socket, "", "kubectl exec -it web -- sh", 80, 24).await;
    assert_eq!(refusal(&mut socket).await, "bad-token");
    assert!(!proxy.ran());
}

#[tokio::test]
async fn a_first_message_that_is_not_a_hello_is_refused() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.connect().await;
    keys(&mut socket, b"ls\r").await;
    assert_eq!(refusal(&mut socket).await, "bad-hello");
    let mut socket = proxy.connect().await;
    socket
        .send(Message::text("{\"token\": 1}"))
        .await
        .expect("send");
    assert_eq!(refusal(&mut socket).await, "bad-hello");
    assert!(!proxy.ran());
}

#[tokio::test]
async fn lines_that_are_not_an_allowed_interactive_exec_are_refused() {
    let proxy = Proxy::start("kind-course").await;
    for (line, code) in [
        ("kubectl get pods", "not-a-terminal"),
        ("kubectl exec web -- env", "not-a-terminal"),
        ("docker build -t iris .", "command-refused"),
        ("", "command-refused"),
    ] {
        let mut socket = proxy.open(line, 80, 24).await;
        assert_eq!(refusal(&mut socket).await, code, "{line}");
    }
    assert!(!proxy.ran());
}

#[tokio::test]
async fn another_namespace_is_refused() {
    let proxy = Proxy::start("kind-course").await;
    for line in [
        "kubectl exec -it -n other web -- sh",
        "kubectl exec -it --namespace=other web -- sh",
        "kubectl exec -it web --kubeconfig=/etc/k -- sh",
    ] {
        let mut socket = proxy.open(line, 80, 24).await;
        assert_eq!(refusal(&mut socket).await, "command-refused", "{line}");
    }
    assert!(!proxy.ran());
}

#[tokio::test]
async fn the_pty_carries_keys_output_resizes_and_ctrl_d() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.open("kubectl exec -it web -- sh", 100, 30).await;
    let mut seen = Seen::default();
    read_until(&mut socket, &mut seen, |s| {
        s.output.contains("ready 30 100")
    })
    .await;
    keys(&mut socket, b"hello\r").await;
    read_until(&mut socket, &mut seen, |s| s.output.contains("got:hello")).await;
    let resize = TerminalControl::Resize {
        cols: 120,
        rows: 40,
    };
    let text = serde_json::to_string(&resize).expect("json");
    socket.send(Message::text(text)).await.expect("resize");
    keys(&mut socket, b"size\r").await;
    read_until(&mut socket, &mut seen, |s| s.output.contains("size 40 120")).await;
    keys(&mut socket, &[0x04]).await;
    read_until(&mut socket, &mut seen, |_| false).await;
    assert!(seen.output.contains("bye"), "{seen:?}");
    assert_eq!(seen.events, [TerminalEvent::Exit { code: Some(7) }]);
    // kubectl got the forced flags first, then the learner's words.
    assert_eq!(
        proxy.read("args").trim(),
        "--context=kind-course --namespace=learner exec -it web -- sh"
    );
}

#[tokio::test]
async fn the_exit_status_comes_last() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
    let mut seen = Seen::default();
    read_until(&mut socket, &mut seen, |s| s.output.contains("ready")).await;
    keys(&mut socket, b"exit 3\r").await;
    read_until(&mut socket, &mut seen, |_| false).await;
    assert_eq!(seen.events, [TerminalEvent::Exit { code: Some(3) }]);
}

#[tokio::test]
async fn closing_the_socket_kills_kubectl() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
    let mut seen = Seen::default();
    read_until(&mut socket, &mut seen, |s| s.output.contains("ready")).await;
    let pid = proxy.read("pid");
    assert!(pid_alive(&pid), "kubectl {pid} is not running");
    socket.close(None).await.expect("close");
    drop(socket);
    let deadline = tokio::time::Instant::now() + WAIT;
    while pid_alive(&pid) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "kubectl {pid} lives on"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn terminals_are_limited_and_a_closed_one_frees_its_slot() {
    let proxy = Proxy::start("kind-course").await;
    let mut open = Vec::new();
    for _ in 0..kubefiche::terminal::DEFAULT_MAX_TERMINALS {
        let mut socket = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
        let mut seen = Seen::default();
        read_until(&mut socket, &mut seen, |s| s.output.contains("ready")).await;
        open.push(socket);
    }
    let mut extra = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
    assert_eq!(refusal(&mut extra).await, "too-many-terminals");
    let mut first = open.remove(0);
    keys(&mut first, b"exit 0\r").await;
    let seen = read_to_end(&mut first).await;
    assert_eq!(seen.events, [TerminalEvent::Exit { code: Some(0) }]);
    // The slot comes back once the session has ended on the proxy's side.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let mut again = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
        let mut seen = Seen::default();
        read_until(&mut again, &mut seen, |s| {
            s.output.contains("ready") || !s.events.is_empty()
        })
        .await;
        if seen.output.contains("ready") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{seen:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn on_the_bundled_cluster_a_note_comes_first() {
    let proxy = Proxy::start("kubefiche-local").await;
    let mut socket = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
    let mut seen = Seen::default();
    read_until(&mut socket, &mut seen, |s| s.output.contains("ready")).await;
    match seen.events.as_slice() {
        [TerminalEvent::Note { message }] => {
            assert!(
                message
                    .en
                    .contains("kubectl set env pod/web --list --resolve")
            );
            assert!(
                message
                    .fr
                    .contains("kubectl set env pod/web --list --resolve")
            );
        }
        other => panic!("expected the note first, got {other:?}"),
    }
}

#[tokio::test]
async fn a_socket_without_a_hello_is_closed_silently() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.connect().await;
    let seen = read_to_end(&mut socket).await;
    assert!(seen.closed && seen.events.is_empty() && seen.output.is_empty());
    assert!(!proxy.ran());
}

#[tokio::test]
async fn an_oversized_message_ends_the_session() {
    let proxy = Proxy::start("kind-course").await;
    let mut socket = proxy.open("kubectl exec -it web -- sh", 80, 24).await;
    let mut seen = Seen::default();
    read_until(&mut socket, &mut seen, |s| s.output.contains("ready")).await;
    let pid = proxy.read("pid");
    let paste = vec![b'x'; kubefiche::terminal::MAX_MESSAGE + 1];
    // The proxy may close before the whole message is written.
    let _ = socket.send(Message::binary(paste)).await;
    read_until(&mut socket, &mut seen, |_| false).await;
    assert!(seen.events.is_empty(), "{seen:?}");
    let deadline = tokio::time::Instant::now() + WAIT;
    while pid_alive(&pid) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "kubectl {pid} lives on"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
