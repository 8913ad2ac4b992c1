//! Serving a class over TLS, through the proxy's own accept loop on a loopback port: what a
//! client that trusts the certificate gets, what one that does not (or speaks plain HTTP, or
//! nothing) gets, the terminal's WebSocket, the fingerprint printed, and certificate files.

#[allow(dead_code)]
#[path = "support/fake_cluster.rs"]
mod fake_cluster;
#[allow(dead_code)]
#[path = "support/app.rs"]
mod support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use kubefiche::guard::Guard;
use kubefiche::serve::{Connections, serve_tls};
use kubefiche::tls::{Tls, TlsError};
use kubefiche::{AppState, app};
use kubefiche_core::wire::TOKEN_HEADER;
use rustls::RootCertStore;
use rustls::crypto::ring::default_provider;
use rustls_pki_types::{CertificateDer, ServerName};
use support::TOKEN;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_util::sync::CancellationToken;

/// Longer than any answer here should take, even on a busy machine.
const WAIT: Duration = Duration::from_secs(10);

/// A class served over `tls` on a loopback port, reached as `127.0.0.1` and `localhost`.
struct Class {
    address: SocketAddr,
    _stop: StopOnDrop,
}

struct StopOnDrop(CancellationToken);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

impl Class {
    async fn start(tls: &Tls, header_time: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("listen");
        let address = listener.local_addr().expect("address");
        let (client, _) = fake_cluster::client(Arc::new(|_| {
            fake_cluster::invalid("metadata", "unexpected apply")
        }));
        let names = ["127.0.0.1".to_owned(), "localhost".to_owned()];
        let state = AppState {
            guard: Guard::classroom(TOKEN, address.port(), &names),
            ..support::state(client)
        };
        let stop = CancellationToken::new();
        let connections = Connections {
            header_time,
            max: 16,
        };
        tokio::spawn(serve_tls(
            listener,
            app(state),
            connections,
            tls.acceptor(),
            stop.clone(),
        ));
        Self {
            address,
            _stop: StopOnDrop(stop),
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.address.port())
    }

    fn origin(&self) -> String {
        format!("https://{}", self.host())
    }

    /// A TLS connection from a client that trusts `root` only.
    async fn connect(
        &self,
        root: &CertificateDer<'static>,
    ) -> std::io::Result<TlsStream<TcpStream>> {
        let tcp = TcpStream::connect(self.address).await?;
        let name = ServerName::try_from("127.0.0.1").expect("name");
        tokio::time::timeout(WAIT, trusting(root).connect(name, tcp))
            .await
            .expect("a handshake in time")
    }

    /// One request (the connection closes after it) and everything answered.
    async fn request(
        &self,
        root: &CertificateDer<'static>,
        method: &str,
        path: &str,
        token: bool,
    ) -> String {
        let mut stream = self.connect(root).await.expect("handshake");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\norigin: {}\r\nconnection: close\r\n",
            self.host(),
            self.origin()
        );
        if token {
            head.push_str(&format!("{TOKEN_HEADER}: {TOKEN}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.expect("write");
        read_to_close(&mut stream).await.0
    }
}

/// A client configuration that trusts `root` alone and offers HTTP/1.1, as a browser would.
fn trusting(root: &CertificateDer<'static>) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add(root.clone()).expect("a root");
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TlsConnector::from(Arc::new(config))
}

/// Everything the server sends until it closes the connection (or `WAIT` passes).
async fn read_to_close<S: AsyncRead + Unpin>(stream: &mut S) -> (String, Duration) {
    let start = Instant::now();
    let mut all = Vec::new();
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut all)).await;
    (String::from_utf8_lossy(&all).into_owned(), start.elapsed())
}

fn generated() -> Tls {
    Tls::self_signed(&["127.0.0.1".to_owned(), "localhost".to_owned()]).expect("certificate")
}

#[tokio::test]
async fn a_client_that_trusts_the_certificate_gets_the_page_and_the_session() {
    let tls = generated();
    let class = Class::start(&tls, WAIT).await;
    let stream = class.connect(tls.certificate()).await.expect("handshake");
    // HTTP/1.1 is the one protocol offered, though the client would take h2.
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    drop(stream);
    let page = class.request(tls.certificate(), "GET", "/", false).await;
    // The app's page, or the page saying it is not built into this test binary.
    assert!(
        page.starts_with("HTTP/1.1 200") || page.contains("cargo xtask run"),
        "{page}"
    );
    assert!(page.contains("content-type: text/html"), "{page}");
    let session = class
        .request(tls.certificate(), "GET", "/api/session", true)
        .await;
    assert!(session.starts_with("HTTP/1.1 200"), "{session}");
    assert!(session.contains(support::NAMESPACE), "{session}");
    let no_token = class
        .request(tls.certificate(), "GET", "/api/session", false)
        .await;
    assert!(no_token.starts_with("HTTP/1.1 401"), "{no_token}");
    assert!(no_token.contains("\"bad-token\""), "{no_token}");
}

#[tokio::test]
async fn a_client_that_does_not_trust_it_fails_the_handshake() {
    let tls = generated();
    let class = Class::start(&tls, WAIT).await;
    let stranger = generated();
    let error = class
        .connect(stranger.certificate())
        .await
        .expect_err("an untrusted certificate");
    assert!(
        error.to_string().to_lowercase().contains("certificate"),
        "{error}"
    );
    // The server goes on serving those who trust it.
    let session = class
        .request(tls.certificate(), "GET", "/api/session", true)
        .await;
    assert!(session.starts_with("HTTP/1.1 200"), "{session}");
}

#[tokio::test]
async fn plain_http_to_the_tls_port_gets_no_http_answer() {
    let tls = generated();
    let class = Class::start(&tls, WAIT).await;
    let mut tcp = TcpStream::connect(class.address).await.expect("connect");
    let request = format!(
        "GET /api/session HTTP/1.1\r\nhost: {}\r\n{TOKEN_HEADER}: {TOKEN}\r\n\r\n",
        class.host()
    );
    tcp.write_all(request.as_bytes()).await.expect("write");
    let (answer, waited) = read_to_close(&mut tcp).await;
    assert!(!answer.contains("HTTP/"), "{answer:?}");
    assert!(waited < WAIT, "still open after {waited:?}");
}

#[tokio::test]
async fn a_connection_that_never_says_hello_is_closed_after_the_header_time() {
    let tls = generated();
    let class = Class::start(&tls, Duration::from_millis(300)).await;
    let mut silent = TcpStream::connect(class.address).await.expect("connect");
    let (answer, waited) = read_to_close(&mut silent).await;
    assert!(answer.is_empty(), "{answer:?}");
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_secs(5),
        "closed after {waited:?}"
    );
    // A prompt client on a fresh connection is served as usual.
    let session = class
        .request(tls.certificate(), "GET", "/api/session", true)
        .await;
    assert!(session.starts_with("HTTP/1.1 200"), "{session}");
}

#[tokio::test]
async fn the_terminal_socket_upgrades_over_tls() {
    let tls = generated();
    let class = Class::start(&tls, WAIT).await;
    let stream = class.connect(tls.certificate()).await.expect("handshake");
    let url = format!("wss://{}/api/terminal", class.host());
    let mut request = url.as_str().into_client_request().expect("request");
    request
        .headers_mut()
        .insert("origin", class.origin().parse().expect("origin"));
    let (mut socket, answer) = tokio_tungstenite::client_async(request, stream)
        .await
        .expect("upgrade");
    assert_eq!(answer.status().as_u16(), 101);
    // Frames pass both ways over TLS: a hello that is not one is refused in a frame.
    socket
        .send(Message::text("not a hello"))
        .await
        .expect("send");
    let reply = tokio::time::timeout(WAIT, socket.next())
        .await
        .expect("a reply in time");
    match reply {
        Some(Ok(Message::Text(text))) => assert!(text.contains("refused"), "{text}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // An http:// Origin is not the class's page.
    let stream = class.connect(tls.certificate()).await.expect("handshake");
    let mut request = url.into_client_request().expect("request");
    let plain = class.origin().replace("https", "http");
    request
        .headers_mut()
        .insert("origin", plain.parse().expect("origin"));
    let refused = tokio_tungstenite::client_async(request, stream).await;
    assert!(refused.is_err(), "upgraded with origin {plain}");
}

#[tokio::test]
async fn the_fingerprint_printed_is_the_sha256_of_the_certificate_served() {
    let tls = generated();
    let class = Class::start(&tls, WAIT).await;
    let stream = class.connect(tls.certificate()).await.expect("handshake");
    let served = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .expect("a certificate")
        .clone();
    let digest = ring::digest::digest(&ring::digest::SHA256, &served);
    let expected: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    let expected = expected.join(":");
    let url = format!("{}/#token={TOKEN}", class.origin());
    let lines = tls.announce("kubefiche classroom is ready", &url);
    assert_eq!(lines[0], format!("kubefiche classroom is ready: {url}"));
    let printed = lines
        .iter()
        .find_map(|line| line.split_once("SHA-256 fingerprint: "))
        .map(|(_, fingerprint)| fingerprint)
        .expect("a fingerprint line");
    assert_eq!(printed, expected);
    assert!(
        lines.iter().any(|line| line.contains("browser")),
        "{lines:?}"
    );
}

/// A folder of PEM files for one test: a certificate for 127.0.0.1, its key, another key.
fn pem_files(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubefiche-tls-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let key = rcgen::KeyPair::generate().expect("key");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
    let cert = params.self_signed(&key).expect("certificate");
    let other = rcgen::KeyPair::generate().expect("key");
    std::fs::write(dir.join("cert.pem"), cert.pem()).expect("write");
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write");
    std::fs::write(dir.join("other-key.pem"), other.serialize_pem()).expect("write");
    std::fs::write(dir.join("notes.txt"), "not a certificate\n").expect("write");
    dir
}

fn message(error: &TlsError) -> String {
    let text = error.to_string();
    assert!(!text.contains('\n'), "one line: {text}");
    text
}

#[tokio::test]
async fn given_certificate_files_are_served() {
    let dir = pem_files("good");
    let tls = Tls::from_files(&dir.join("cert.pem"), &dir.join("key.pem")).expect("loaded");
    assert!(!tls.is_generated());
    assert_eq!(
        tls.announce("ready", "https://x").len(),
        1,
        "no fingerprint to compare"
    );
    let class = Class::start(&tls, WAIT).await;
    let session = class
        .request(tls.certificate(), "GET", "/api/session", true)
        .await;
    assert!(session.starts_with("HTTP/1.1 200"), "{session}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wrong_certificate_files_are_refused_naming_the_file() {
    let dir = pem_files("bad");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let other = dir.join("other-key.pem");
    let error = Tls::from_files(&cert, &other).expect_err("mismatched key");
    assert!(matches!(error, TlsError::KeyMismatch { .. }), "{error}");
    assert!(message(&error).contains(&path(&other)), "{error}");
    let notes = dir.join("notes.txt");
    for (cert, key, named) in [
        (&notes, &key, &notes),
        (&cert, &notes, &notes),
        (&key, &key, &key),
    ] {
        let error = Tls::from_files(cert, key).expect_err("not PEM of the kind");
        assert!(matches!(error, TlsError::NotPem { .. }), "{error}");
        assert!(message(&error).contains(&path(named)), "{error}");
    }
    let missing = dir.join("missing.pem");
    let error = Tls::from_files(&missing, &key).expect_err("missing");
    assert!(matches!(error, TlsError::Unreadable { .. }), "{error}");
    let text = message(&error);
    assert!(
        text.contains(&path(&missing)) && text.contains("--tls-cert"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn path(path: &Path) -> String {
    path.display().to_string()
}

/// The binary's own rules, before any cluster is reached.
fn kubefiche(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubefiche"))
        .args(args)
        .env_remove("KUBEFICHE_ADDRESS")
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_binary_refuses_to_leave_loopback_without_classroom_and_names_a_bad_file() {
    let (code, stderr) = kubefiche(&["serve", "--address", "0.0.0.0"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("refusing to listen on 0.0.0.0"), "{stderr}");
    assert!(stderr.contains("kubefiche classroom"), "{stderr}");
    let (code, stderr) = kubefiche(&[
        "classroom",
        "--tls-cert",
        "/nonexistent/cert.pem",
        "--tls-key",
        "/nonexistent/key.pem",
    ]);
    assert_ne!(code, 0);
    assert!(stderr.contains("/nonexistent/cert.pem"), "{stderr}");
    let (code, stderr) = kubefiche(&["classroom", "--tls-key", "key.pem"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("--tls-cert"), "{stderr}");
    let (code, stderr) = kubefiche(&["classroom", "--address", "0.0.0.0"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("--self-signed"), "{stderr}");
}
