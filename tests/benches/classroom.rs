//! A class on the bundled control plane (simulated nodes), through the real `kubefiche classroom`
//! binary over TLS. For each class size (30 and 100 learners by default,
//! `KUBEFICHE_CLASS_SIZES=30,100,150` for more), every learner joins, opens their page's stream,
//! applies the whole Fiche 3 workspace, creates its Secret and scales the agent to 5, while the
//! instructor's board is open. Prints, per size:
//! - the proxy's memory (VmRSS) and CPU time;
//! - the API server's request rate and open watches while the class works, next to before the
//!   proxy started;
//! - event → board latency p50/p95: every second a pod created (or deleted) in the namespace of
//!   one more learner who does nothing else, to the board's count of that learner's pods (the
//!   others' counts move by themselves: the worksheet's CronJob makes and removes pods);
//! - the largest size whose p95 stays under one second.
//!
//! Asserts nothing; every wait is bounded. Run through `cargo xtask bench classroom`.

#[path = "classroom/https.rs"]
mod https;
#[path = "classroom/measure.rs"]
mod measure;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures::StreamExt;
use k8s_openapi::api::core::v1::{Namespace, Node, Pod};
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use kubefiche_core::wire::class::BoardEvent;
use kubefiche_tests::cluster::{TestCluster, cluster, namespace};
use kubefiche_tests::fiche3;
use kubefiche_tests::proxy::ProxyProcess;
use kubefiche_tests::tls::TestCertificate;
use serde_json::json;
use tokio::sync::watch;

use https::Https;
use measure::{ApiServer, Percentiles, Usage};

/// Pods each learner runs at the end: the backend, PostgreSQL, the MCP server and 5 agents.
const PODS_PER_LEARNER: u32 = 8;
/// Learners set up at once (a class does not all click in the same millisecond).
const AT_ONCE: usize = 8;

/// What the board shows: each seat's namespace and how many pods it has.
#[derive(Default, Clone)]
struct Board {
    pods: HashMap<u32, u32>,
    running: HashMap<u32, u32>,
    namespaces: HashMap<u32, String>,
}

fn sizes() -> Result<Vec<usize>> {
    let text = std::env::var("KUBEFICHE_CLASS_SIZES").unwrap_or_else(|_| "30,100".into());
    text.split(',')
        .map(|s| {
            s.trim()
                .parse()
                .with_context(|| format!("KUBEFICHE_CLASS_SIZES: {s:?}"))
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<()> {
    let sizes = sizes()?;
    let cluster = cluster().await;
    let dir = std::env::temp_dir().join(format!("kubefiche-class-bench-{}", std::process::id()));
    let certificate = kubefiche_tests::tls::generate(&dir)?;
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let nodes = add_nodes(cluster, largest).await?;
    println!("simulated nodes: {} (110 pods each)", nodes.len() + 2);
    let mut under_a_second = None;
    let mut rows = Vec::new();
    for size in sizes {
        let row = tokio::time::timeout(
            Duration::from_secs(1800),
            one_class(cluster, size, &certificate),
        )
        .await
        .with_context(|| format!("the class of {size} took over 30 minutes"))??;
        if row.latency.p95 < Duration::from_secs(1) {
            under_a_second = Some(size);
        }
        rows.push(row);
    }
    remove_nodes(cluster, &nodes).await;
    println!();
    println!(
        "| learners | pods | setup | proxy RSS | proxy CPU | API requests/s (idle → class) | watches (before → with class) | event → board p50 / p95 / max (n) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &rows {
        println!("{row}");
    }
    match under_a_second {
        Some(size) => {
            println!("largest class measured with event → board p95 under 1 s: {size} learners")
        }
        None => println!("no class size measured stayed under 1 s at p95"),
    }
    Ok(())
}

/// One size's results.
struct Row {
    learners: usize,
    pods: u32,
    setup: Duration,
    usage: Usage,
    idle_rate: f64,
    class_rate: f64,
    watches_before: f64,
    watches_with: f64,
    latency: Percentiles,
}

impl std::fmt::Display for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "| {} | {} | {:.0} s | {:.1} MiB (peak {:.1}) | {:.1} s over {:.0} s | {:.0} → {:.0} | {:.0} → {:.0} | {} |",
            self.learners,
            self.pods,
            self.setup.as_secs_f64(),
            self.usage.rss_mib,
            self.usage.peak_mib,
            self.usage.cpu_seconds,
            self.usage.wall.as_secs_f64(),
            self.idle_rate,
            self.class_rate,
            self.watches_before,
            self.watches_with,
            self.latency,
        )
    }
}

async fn one_class(
    cluster: &TestCluster,
    size: usize,
    certificate: &TestCertificate,
) -> Result<Row> {
    println!("a class of {size}…");
    let admin = cluster.client().await?;
    let api_server = ApiServer::new(admin.clone());
    let idle_rate = api_server.rate_over(Duration::from_secs(10)).await?;
    let watches_before = api_server.watches().await?;
    let home = namespace("bench-class").await;
    let proxy =
        ProxyProcess::classroom(cluster, home.name(), &certificate.cert, &certificate.key).await?;
    let pid = proxy.pid().context("the proxy exited")?;
    let https = Https::new(proxy.origin(), certificate.der.clone().into())?;
    let instructor = proxy.token().to_owned();
    let (status, class) = https
        .json(
            "POST",
            "/api/class",
            Some(&instructor),
            Some(&json!({"name": format!("bench {size}"), "seats": size + 1, "worksheets": ["fiche-3"], "minutes": 120})),
        )
        .await?;
    if status != 200 {
        bail!("creating the class: HTTP {status}: {class}");
    }
    let code = class["join"]
        .as_str()
        .context("no join link")?
        .trim_start_matches("/#join=")
        .to_owned();
    let (board_tx, board) = watch::channel(Board::default());
    let mut board_events = https.events("/api/board", &instructor).await?;
    tokio::spawn(async move {
        while let Some(json) = board_events.next().await {
            let Ok(event) = serde_json::from_str::<BoardEvent>(&json) else {
                continue;
            };
            board_tx.send_modify(|board| match event {
                BoardEvent::Snapshot { seats, .. } => seats.iter().for_each(|s| fold(board, s)),
                BoardEvent::Seat { seat } => fold(board, &seat),
                BoardEvent::Class { .. } => {}
            });
        }
    });
    let workspace = Arc::new(fiche3::apply_body()?);
    let usage = Usage::start(pid)?;
    let requests_before = api_server.requests().await?;
    let started = Instant::now();
    // Probes while the class works: a pod in the probe learner's namespace every second.
    let (status, prober) = https
        .json(
            "POST",
            "/api/join",
            None,
            Some(&json!({"code": code, "name": "probe"})),
        )
        .await?;
    if status != 200 {
        bail!("the probe learner's join: HTTP {status}: {prober}");
    }
    let probe_seat = u32::try_from(prober["seat"].as_u64().context("no seat")?)?;
    let probe_ns = prober["namespace"]
        .as_str()
        .context("no namespace")?
        .to_owned();
    let probing = tokio::spawn(probe(
        admin.clone(),
        board.clone(),
        probe_seat,
        probe_ns,
        started,
    ));
    let learners = futures::stream::iter(0..size)
        .map(|i| {
            let (https, code, workspace) = (https.clone(), code.clone(), workspace.clone());
            async move { learner(&https, &code, i, &workspace).await }
        })
        .buffer_unordered(AT_ONCE)
        .collect::<Vec<_>>()
        .await;
    for result in &learners {
        if let Err(error) = result {
            bail!("a learner failed: {error:#}");
        }
    }
    // The probe learner's pod, when there, runs too.
    let want = u32::try_from(size)? * PODS_PER_LEARNER;
    let mut board_now = board.clone();
    tokio::time::timeout(
        Duration::from_secs(900),
        board_now.wait_for(|b| b.running.values().sum::<u32>() >= want),
    )
    .await
    .context("the board never showed every learner's pods running")??;
    let setup = started.elapsed();
    println!(
        "  every learner's {PODS_PER_LEARNER} pods running on the board after {:.0} s",
        setup.as_secs_f64()
    );
    // A little more of the class at rest, still probed.
    tokio::time::sleep(Duration::from_secs(20)).await;
    let latencies = {
        probing.abort();
        let _ = probing.await;
        PROBES
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    };
    let wall = started.elapsed();
    let class_rate = (api_server.requests().await? - requests_before) / wall.as_secs_f64();
    let watches_with = api_server.watches().await?;
    let usage = usage.end(pid)?;
    let pods = board.borrow().pods.values().sum();
    let (status, _) = https
        .json("POST", "/api/class/end", Some(&instructor), None)
        .await?;
    if status != 200 {
        println!("  ending the class answered HTTP {status}");
    }
    let mut proxy = proxy;
    proxy.stop().await;
    wait_namespaces_gone(&admin).await;
    Ok(Row {
        learners: size,
        pods,
        setup,
        usage,
        idle_rate,
        class_rate,
        watches_before,
        watches_with,
        latency: Percentiles::of(latencies),
    })
}

fn fold(board: &mut Board, seat: &kubefiche_core::wire::class::BoardSeat) {
    board
        .pods
        .insert(seat.seat, seat.pods.iter().map(|p| p.count).sum());
    let running = seat
        .pods
        .iter()
        .filter(|p| p.status == "Running")
        .map(|p| p.count)
        .sum();
    board.running.insert(seat.seat, running);
    board.namespaces.insert(seat.seat, seat.namespace.clone());
}

/// One learner: join, open the page's stream, apply the worksheet, create its Secret, scale the
/// agent to 5.
async fn learner(https: &Https, code: &str, i: usize, workspace: &serde_json::Value) -> Result<()> {
    let (status, joined) = https
        .json(
            "POST",
            "/api/join",
            None,
            Some(&json!({"code": code, "name": format!("learner {i}")})),
        )
        .await?;
    if status != 200 {
        bail!("join: HTTP {status}: {joined}");
    }
    let token = joined["token"].as_str().context("no token")?.to_owned();
    let mut page = https.events("/api/stream", &token).await?;
    tokio::spawn(async move { while page.next().await.is_some() {} });
    let (status, applied) = https
        .json("POST", "/api/apply", Some(&token), Some(workspace))
        .await?;
    if status != 200 {
        bail!("apply: HTTP {status}: {applied}");
    }
    https
        .command(
            &token,
            "kubectl create secret generic iris-secrets --from-literal=api-key=supersecretkey123",
        )
        .await?;
    https
        .command(
            &token,
            "kubectl scale deployment pydantic-agent --replicas=5",
        )
        .await
}

/// The probes' latencies so far.
static PROBES: std::sync::Mutex<Vec<Duration>> = std::sync::Mutex::new(Vec::new());

/// Every second, the probe learner's pod created (or deleted, in turn), timed to the board's
/// count of that learner's pods changing.
async fn probe(
    admin: kube::Client,
    board: watch::Receiver<Board>,
    seat: u32,
    ns: String,
    started: Instant,
) {
    let pods: Api<Pod> = Api::namespaced(admin, &ns);
    let pod: Pod = match serde_json::from_value(json!({
        "metadata": {"name": "probe"},
        "spec": {"containers": [{"name": "probe", "image": "busybox:1.36"}], "terminationGracePeriodSeconds": 0},
    })) {
        Ok(pod) => pod,
        Err(_) => return,
    };
    for round in 0.. {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut seen = board.clone();
        let before = seen.borrow().pods.get(&seat).copied().unwrap_or(0);
        let (changed, want) = if round % 2 == 0 {
            (
                pods.create(&PostParams::default(), &pod).await.map(|_| ()),
                before + 1,
            )
        } else {
            let force = DeleteParams {
                grace_period_seconds: Some(0),
                ..DeleteParams::default()
            };
            (
                pods.delete("probe", &force).await.map(|_| ()),
                before.saturating_sub(1),
            )
        };
        if changed.is_err() {
            continue;
        }
        let at = Instant::now();
        match tokio::time::timeout(
            Duration::from_secs(30),
            seen.wait_for(|b| b.pods.get(&seat).copied().unwrap_or(0) == want),
        )
        .await
        {
            Ok(Ok(_)) => {
                if let Ok(mut probes) = PROBES.lock() {
                    probes.push(at.elapsed());
                }
            }
            _ => println!(
                "  probe {round} not on the board within 30 s (at {:.0} s)",
                started.elapsed().as_secs_f64()
            ),
        }
    }
}

/// More simulated nodes, so that the largest class fits (110 pods each).
async fn add_nodes(cluster: &TestCluster, learners: usize) -> Result<Vec<String>> {
    let pods = learners * (PODS_PER_LEARNER as usize + 4);
    let more = pods.div_ceil(100).saturating_sub(2);
    let nodes: Api<Node> = Api::all(cluster.client().await?);
    let mut names = Vec::new();
    for i in 0..more {
        let name = format!("kwok-bench-{i}");
        let cidr = format!("10.245.{i}.0/24");
        let node: Node = serde_json::from_value(json!({
            "metadata": {
                "name": name,
                "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
                "labels": {"type": "kwok", "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "kubernetes.io/hostname": name, "node-role.kubernetes.io/worker": ""},
            },
            "spec": {"podCIDR": cidr, "podCIDRs": [cidr]},
            "status": {
                "capacity": {"cpu": "16", "memory": "64Gi", "pods": "110", "ephemeral-storage": "200Gi"},
                "allocatable": {"cpu": "16", "memory": "64Gi", "pods": "110", "ephemeral-storage": "200Gi"},
            },
        }))?;
        match nodes.create(&PostParams::default(), &node).await {
            Ok(_) => {}
            Err(kube::Error::Api(status)) if status.code == 409 => {}
            Err(error) => return Err(error.into()),
        }
        names.push(name);
    }
    Ok(names)
}

async fn remove_nodes(cluster: &TestCluster, names: &[String]) {
    let Ok(client) = cluster.client().await else {
        return;
    };
    let nodes: Api<Node> = Api::all(client);
    for name in names {
        let _ = nodes.delete(name, &DeleteParams::default()).await;
    }
}

/// The class's namespaces take a while to go; the next size starts on a quiet cluster.
async fn wait_namespaces_gone(admin: &kube::Client) {
    let namespaces: Api<Namespace> = Api::all(admin.clone());
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        match namespaces
            .list(&ListParams::default().labels("kubefiche.dev/class"))
            .await
        {
            Ok(list) if list.items.is_empty() => return,
            _ => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    }
    println!("  some of the class's namespaces were still going after 5 minutes");
}
