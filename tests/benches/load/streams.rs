//! Many open streams on one proxy while a Deployment scales 0 ↔ 50 every 10 s: the proxy's memory,
//! the latency from a change to its arrival on every stream, and at the end whether every stream
//! holds what `kubectl get` shows.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams, PostParams};
use kubefiche_tests::cluster::TestCluster;
use kubefiche_tests::crowd::{PROBE, http, open_stream};
use kubefiche_tests::process::{cpu_time, peak_rss_mib, rss_mib};
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::json;
use tokio::sync::mpsc;

use crate::check::compare;
use crate::reader::{Heard, Held, Totals, read};
use crate::report::{Report, print};

/// The Deployment scaled up and down.
const CHURN: &str = "churn";
const REPLICAS: i32 = 50;
const CHURN_EVERY: Duration = Duration::from_secs(10);
/// How often the probe's label is patched to time a change.
pub const ROUND_EVERY: Duration = Duration::from_secs(5);
/// Streams opened at once while connecting.
const OPEN_BATCH: usize = 50;

pub struct Plan {
    pub streams: usize,
    pub minutes: u64,
}

/// When each round's patch was sent.
type Sent = Arc<Mutex<HashMap<u64, Instant>>>;

pub async fn run(cluster: &TestCluster, ns: &str, plan: &Plan) -> Result<()> {
    let client = cluster.client().await?;
    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), ns);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
    maps.create(
        &PostParams::default(),
        &serde_json::from_value(
            json!({ "metadata": { "name": PROBE, "labels": { "round": "0" } },
            "data": { "MODE": "demo" } }),
        )?,
    )
    .await?;
    deployments
        .create(
            &PostParams::default(),
            &serde_json::from_value(churn_deployment())?,
        )
        .await?;

    let mut proxy = ProxyProcess::start(cluster, ns, &[]).await?;
    let pid = proxy.pid().context("the proxy exited")?;
    let bench_pid = std::process::id();
    let before = rss_mib(pid)?;

    // Open every stream, a batch at a time, and wait for every first snapshot.
    let http = http();
    let totals = Arc::new(Totals::default());
    let (heard_tx, heard_rx) = mpsc::unbounded_channel();
    let mut streams: Vec<Arc<Mutex<Held>>> = Vec::with_capacity(plan.streams);
    let opening = Instant::now();
    while streams.len() < plan.streams {
        let batch = OPEN_BATCH.min(plan.streams - streams.len());
        let opened =
            join_all((0..batch).map(|_| {
                tokio::time::timeout(Duration::from_secs(30), open_stream(&http, &proxy))
            }))
            .await;
        for body in opened {
            let body = body
                .map_err(|_| anyhow::anyhow!("opening a stream took more than 30 s"))
                .and_then(|b| b)
                .with_context(|| {
                    format!("opening stream {} of {}", streams.len() + 1, plan.streams)
                })?;
            streams.push(read(streams.len(), body, heard_tx.clone(), totals.clone()));
        }
    }
    drop(heard_tx);
    let deadline = Instant::now() + Duration::from_secs(120);
    while totals.started.load(Ordering::Relaxed) < plan.streams {
        if Instant::now() > deadline {
            bail!(
                "{} of {} streams got their snapshot within 120 s",
                totals.started.load(Ordering::Relaxed),
                plan.streams
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let opened_in = opening.elapsed();
    let start_rss = rss_mib(pid)?;
    println!(
        "\n== load: {} open streams for {} min while `{CHURN}` scales 0 ↔ {REPLICAS} every {} s ==",
        plan.streams,
        plan.minutes,
        CHURN_EVERY.as_secs()
    );
    println!(
        "{} streams opened and snapshotted in {:.1} s; open files allowed: {}",
        plan.streams,
        opened_in.as_secs_f64(),
        crate::open_files_note()
    );

    let rounds = Arc::new(Mutex::new(Rounds::default()));
    let sent: Sent = Arc::default();
    let collector = tokio::spawn(collect(heard_rx, sent.clone(), rounds.clone()));

    let run_for = Duration::from_secs(plan.minutes * 60);
    let started = Instant::now();
    let (cpu0, bench_cpu0) = (cpu_time(pid)?, cpu_time(bench_pid)?);
    let machine0 = machine_cpu()?;
    let mut next_churn = started;
    let mut next_round = started + Duration::from_secs(1);
    let mut round = 0_u64;
    let mut up = false;
    let mut middle_rss = None;
    let mut phases = Vec::new();
    let mut round_trips = Vec::new();
    while started.elapsed() < run_for {
        let now = Instant::now();
        if now >= next_churn {
            if now > started {
                // What the phase that ends reached.
                let d = timed(deployments.get(CHURN)).await?;
                let status = d.status.unwrap_or_default();
                phases.push(Phase {
                    up,
                    replicas: status.replicas.unwrap_or(0),
                    ready: status.ready_replicas.unwrap_or(0),
                });
            }
            up = !up;
            timed(scale(&deployments, if up { REPLICAS } else { 0 })).await?;
            next_churn += CHURN_EVERY;
        }
        if now >= next_round {
            round += 1;
            sent.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(round, Instant::now());
            let patch = json!({ "metadata": { "labels": { "round": round.to_string() } } });
            let t = Instant::now();
            timed(maps.patch(PROBE, &PatchParams::default(), &Patch::Merge(&patch))).await?;
            round_trips.push(t.elapsed().as_secs_f64() * 1000.0);
            next_round += ROUND_EVERY;
        }
        if middle_rss.is_none() && started.elapsed() >= run_for / 2 {
            middle_rss = Some(rss_mib(pid)?);
        }
        if rss_mib(pid).is_err() {
            bail!("the proxy exited during the run; its log:\n{}", proxy.log());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ran = started.elapsed();
    let cpu = cpu_time(pid)? - cpu0;
    let bench_cpu = cpu_time(bench_pid)? - bench_cpu0;
    let end_rss = rss_mib(pid)?;
    let machine = machine_cpu()?.since(machine0);
    // The rounds still on their way (a stream that falls behind gets them late): wait for
    // every stream to have heard every round, for a while.
    let (draining, drained) = (Instant::now(), Duration::from_secs(120));
    while draining.elapsed() < drained {
        let all = rounds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .heard
            .values()
            .filter(|&&h| h == plan.streams)
            .count();
        if all as u64 == round {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let drained_in = draining.elapsed();
    collector.abort();
    let rounds = std::mem::take(&mut *rounds.lock().unwrap_or_else(PoisonError::into_inner));

    // Settle on 50 pods, then compare every stream with the cluster.
    timed(scale(&deployments, REPLICAS)).await?;
    let settling = Instant::now();
    let ready = wait_ready(&deployments).await;
    let verdict = compare(cluster, ns, &streams, Duration::from_secs(120)).await?;
    let settled_in = settling.elapsed();

    print(&Report {
        rss: [
            before,
            start_rss,
            middle_rss.unwrap_or(end_rss),
            end_rss,
            peak_rss_mib(pid)?,
        ],
        cpu,
        bench_cpu,
        machine,
        drained_in,
        ran,
        phases,
        round_trips,
        sent_rounds: round,
        rounds,
        streams: plan.streams,
        ended: totals.ended.load(Ordering::Relaxed),
        held: summary(&streams),
        ready,
        verdict,
        settled_in,
    });
    let _ = proxy.stop().await;
    Ok(())
}

/// What a churn phase reached by its end.
pub struct Phase {
    pub up: bool,
    pub replicas: i32,
    pub ready: i32,
}

/// Every stream's latency for every round, ms; how many streams heard each round.
#[derive(Default)]
pub struct Rounds {
    pub latencies: Vec<f64>,
    pub heard: HashMap<u64, usize>,
    seen: HashSet<(u64, usize)>,
}

async fn collect(
    mut heard: mpsc::UnboundedReceiver<Heard>,
    sent: Sent,
    rounds: Arc<Mutex<Rounds>>,
) {
    while let Some(h) = heard.recv().await {
        let Some(at) = sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&h.round)
            .copied()
        else {
            continue; // the label the namespace started with, or a snapshot's replay
        };
        let mut rounds = rounds.lock().unwrap_or_else(PoisonError::into_inner);
        if rounds.seen.insert((h.round, h.stream)) {
            rounds
                .latencies
                .push(h.at.saturating_duration_since(at).as_secs_f64() * 1000.0);
            *rounds.heard.entry(h.round).or_default() += 1;
        }
    }
}

/// A call to the API server, bounded in time.
async fn timed<T>(call: impl Future<Output = kube::Result<T>>) -> Result<T> {
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .context("the API server did not answer within 30 s")?
        .map_err(Into::into)
}

async fn scale(deployments: &Api<Deployment>, replicas: i32) -> kube::Result<Deployment> {
    deployments
        .patch(
            CHURN,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "spec": { "replicas": replicas } })),
        )
        .await
}

/// How long `churn` took to have every replica ready (`None`: not within 180 s).
async fn wait_ready(deployments: &Api<Deployment>) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(180) {
        if let Ok(d) = timed(deployments.get(CHURN)).await {
            let status = d.status.unwrap_or_default();
            if status.ready_replicas == Some(REPLICAS) && status.replicas == Some(REPLICAS) {
                return Some(started.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    None
}

fn churn_deployment() -> serde_json::Value {
    json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": CHURN },
        "spec": { "replicas": 0, "selector": { "matchLabels": { "app": CHURN } },
            "template": { "metadata": { "labels": { "app": CHURN } },
                "spec": { "containers": [{ "name": "web", "image": "nginx:1.27" }] } } } })
}

/// Totals over every stream: events and bytes received, resynchronisations, problems.
pub struct Totalled {
    pub events: usize,
    pub bytes: usize,
    pub resyncs: usize,
    pub problems: usize,
}

fn summary(streams: &[Arc<Mutex<Held>>]) -> Totalled {
    let mut t = Totalled {
        events: 0,
        bytes: 0,
        resyncs: 0,
        problems: 0,
    };
    for s in streams {
        let held = s.lock().unwrap_or_else(PoisonError::into_inner);
        t.events += held.events;
        t.bytes += held.bytes;
        t.resyncs += held.snapshots.saturating_sub(1);
        t.problems += held.problems;
    }
    t
}

/// The whole machine's CPU time from `/proc/stat`, in ticks: busy (everything but idle and I/O
/// wait) and in all.
#[derive(Clone, Copy)]
pub struct MachineCpu {
    pub busy: u64,
    pub total: u64,
}

impl MachineCpu {
    fn since(self, before: Self) -> Self {
        Self {
            busy: self.busy.saturating_sub(before.busy),
            total: self.total.saturating_sub(before.total),
        }
    }
}

fn machine_cpu() -> Result<MachineCpu> {
    let stat = std::fs::read_to_string("/proc/stat").context("reading /proc/stat")?;
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("cpu "))
        .context("no cpu line in /proc/stat")?
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let total = ticks.iter().sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    Ok(MachineCpu {
        busy: total - idle,
        total,
    })
}
