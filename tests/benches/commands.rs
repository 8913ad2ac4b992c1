//! Commands and terminals through the real proxy binary against the local cluster. Prints:
//! - time to the first byte of a command's output through `POST /api/command`, next to the same
//!   command run directly (kubectl's own start-up and round trip to the API server);
//! - the keystroke echo round trip of an `exec -it` terminal (WebSocket → pty → kubectl → API
//!   server → the simulated node's kubelet endpoint → the shell and back), p50/p95;
//! - the proxy's memory with 20 open command streams and 5 terminals, and that of the kubectl
//!   processes it started for them.
//!
//! Asserts nothing. Run through `cargo xtask bench` (it sets `KUBEFICHE_TEST_KUBECONFIG` and
//! `KUBEFICHE_BIN`).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use kubefiche_core::wire::{CommandRequest, TOKEN_HEADER, TerminalHello};
use kubefiche_tests::cluster::cluster;
use kubefiche_tests::measure::{direct_first_byte, median, percentile};
use kubefiche_tests::plumbing::{PLUMBING, plumbing_namespace, running_pod};
use kubefiche_tests::proxy::ProxyProcess;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const RUNS: usize = 30;
const KEYSTROKES: usize = 200;
const STREAMS: usize = 20;
const TERMINALS: usize = 5;

type Body = http_body_util::Full<bytes::Bytes>;

fn summary(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    format!(
        "p50 {:.1} ms, p95 {:.1} ms ({} runs)",
        percentile(&samples, 0.5),
        percentile(&samples, 0.95),
        samples.len()
    )
}

/// An open `POST /api/command` answer: the body, read frame by frame.
struct Stream(hyper::body::Incoming);

async fn start_command(
    http: &Client<hyper_util::client::legacy::connect::HttpConnector, Body>,
    proxy: &ProxyProcess,
    line: &str,
) -> Result<Stream> {
    let body = serde_json::to_vec(&CommandRequest {
        line: line.to_owned(),
        files: Vec::new(),
    })?;
    let request = http::Request::post(format!("{}/api/command", proxy.origin()))
        .header("origin", proxy.origin())
        .header(TOKEN_HEADER, proxy.token())
        .header("content-type", "application/json")
        .body(Body::from(body))?;
    let response = http.request(request).await?;
    if !response.status().is_success() {
        bail!("{line}: HTTP {}", response.status());
    }
    Ok(Stream(response.into_body()))
}

impl Stream {
    /// Reads until an event carrying kubectl output arrives.
    async fn first_output(&mut self) -> Result<()> {
        while let Some(frame) = self.0.frame().await {
            if let Some(data) = frame?.data_ref()
                && String::from_utf8_lossy(data).contains("\"type\":\"output\"")
            {
                return Ok(());
            }
        }
        bail!("the command ended without output")
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open_terminal(proxy: &ProxyProcess, line: &str) -> Result<Socket> {
    let address = format!("ws://127.0.0.1:{}/api/terminal", proxy.port());
    let mut request = address.into_client_request()?;
    request
        .headers_mut()
        .insert("origin", proxy.origin().parse()?);
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    let hello = TerminalHello {
        token: proxy.token().to_owned(),
        line: line.to_owned(),
        cols: 80,
        rows: 24,
    };
    socket
        .send(Message::text(serde_json::to_string(&hello)?))
        .await?;
    Ok(socket)
}

/// Reads the terminal until its output contains `text`.
async fn read_until(socket: &mut Socket, text: &str) -> Result<()> {
    let mut seen = String::new();
    while let Some(message) = tokio::time::timeout(Duration::from_secs(20), socket.next())
        .await
        .context("the terminal went quiet")?
    {
        match message? {
            Message::Binary(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            Message::Close(_) => bail!("the terminal closed; it showed {seen:?}"),
            _ => {}
        }
        if seen.contains(text) {
            return Ok(());
        }
    }
    bail!("the terminal closed; it showed {seen:?}")
}

/// The program on the other end of the terminal: it answers each line in capitals, so what
/// comes back was through the pod's shell (a local echo would be lower case).
const UPPER: &str = "tr a-z A-Z";

/// Typing one letter and Enter at a time into [`UPPER`]: time until its answer shows.
async fn echo_round_trips(socket: &mut Socket) -> Result<Vec<f64>> {
    let mut samples = Vec::with_capacity(KEYSTROKES);
    for i in 0..KEYSTROKES {
        // Letters in turn, so that each answer is told apart from the one before.
        let letter = b'a' + u8::try_from(i % 26)?;
        let start = Instant::now();
        socket.send(Message::binary(vec![letter, b'\r'])).await?;
        read_until(socket, &char::from(letter.to_ascii_uppercase()).to_string()).await?;
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(samples)
}

/// Memory of a process and of its children, in MiB: proportional set sizes (pages shared
/// between processes, such as the kubectl program's own, counted once in all).
fn memory(pid: u32) -> Result<(f64, f64, usize)> {
    let rss = |pid: u32| -> f64 {
        std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Pss:"))
                    .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
            })
            .unwrap_or(0.0)
            / 1024.0
    };
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(child) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let parent = std::fs::read_to_string(format!("/proc/{child}/stat"))
            .ok()
            .and_then(|s| {
                let after = s.rsplit_once(')')?.1.to_owned();
                after.split_whitespace().nth(1)?.parse::<u32>().ok()
            });
        if parent == Some(pid) {
            children.push(child);
        }
    }
    let children_rss = children.iter().map(|&c| rss(c)).sum();
    Ok((rss(pid), children_rss, children.len()))
}

#[tokio::main]
async fn main() -> Result<()> {
    let cluster = cluster().await;
    let client = cluster.client().await?;
    plumbing_namespace(&client).await?;
    let suffix = std::process::id();
    let pod = format!("bench-{suffix}");
    let pods = running_pod(&client, PLUMBING, &pod).await?;
    // Room for the 20 streams measured below (the default allows 8 commands at once).
    let streams = STREAMS.to_string();
    let mut proxy =
        ProxyProcess::start(cluster, PLUMBING, &[("KUBEFICHE_MAX_COMMANDS", &streams)]).await?;
    let http = Client::builder(TokioExecutor::new()).build_http::<Body>();

    // 1. First byte of output: through the proxy, and kubectl run directly.
    let line = format!("kubectl get pod {pod}");
    let (mut through, mut direct) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut stream = start_command(&http, &proxy, &line).await?;
        stream.first_output().await?;
        through.push(start.elapsed().as_secs_f64() * 1000.0);
        direct.push(
            direct_first_byte(cluster.kubeconfig_path(), PLUMBING, &["get", "pod", &pod]).await?,
        );
    }
    let ratio = median(through.clone()) / median(direct.clone());
    println!("`{line}`, first byte of output:");
    println!(
        "  through the proxy (POST /api/command): {}",
        summary(through)
    );
    println!(
        "  kubectl run directly:                   {}",
        summary(direct)
    );
    println!("  ratio of the medians: {ratio:.2}");

    // 2. Keystroke echo in an exec terminal.
    let mut terminal = open_terminal(&proxy, &format!("kubectl exec -it {pod} -- {UPPER}")).await?;
    // The note on simulated nodes comes first; wait until the program answers a first line.
    terminal.send(Message::binary(b"ready\r".to_vec())).await?;
    read_until(&mut terminal, "READY").await?;
    let echoes = echo_round_trips(&mut terminal).await?;
    println!(
        "terminal round trip (a key and Enter to `exec -it … -- {UPPER}`, its answer back): {}",
        summary(echoes)
    );
    drop(terminal);

    // 3. Memory with 20 streams and 5 terminals open.
    let pid = proxy.pid().context("the proxy exited")?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle, _, _) = memory(pid)?;
    let mut streams = Vec::new();
    for _ in 0..STREAMS {
        let mut stream = start_command(&http, &proxy, "kubectl get pods --watch").await?;
        stream.first_output().await?;
        streams.push(stream);
    }
    let mut terminals = Vec::new();
    for _ in 0..TERMINALS {
        let mut socket = open_terminal(&proxy, &format!("kubectl exec -it {pod} -- cat")).await?;
        socket.send(Message::binary(b"?".to_vec())).await?;
        read_until(&mut socket, "?").await?;
        terminals.push(socket);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (busy, kubectls, count) = memory(pid)?;
    println!(
        "memory (PSS): proxy idle {idle:.1} MiB; with {STREAMS} command streams and {TERMINALS} terminals open {busy:.1} MiB, plus {kubectls:.0} MiB in its {count} kubectl processes"
    );
    drop(streams);
    drop(terminals);

    let _ = proxy.stop().await;
    let _ = pods.delete(&pod, &Default::default()).await;
    Ok(())
}
