//! The live stream through the real proxy binary against the local cluster, on a namespace of
//! about 200 objects (40 ConfigMaps, 40 Secrets, 20 Services, 10 claims, 10 Deployments × 5
//! pods with their ReplicaSets, 10 Jobs with their pods). Prints:
//! - the latency from a change in the cluster (a ConfigMap's label patched through the API) to
//!   the `changed` event read by every open stream, p50/p95 with 1, 10 and 100 streams;
//! - the proxy's resident memory and CPU time: empty namespace, 200 objects, 100 streams idle,
//!   and 100 streams while a Deployment goes from 0 to 50 pods.
//!
//! Asserts nothing. Run through `cargo xtask bench` (it sets `KUBEFICHE_TEST_KUBECONFIG` and
//! `KUBEFICHE_BIN`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use http_body_util::BodyExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams};
use kubefiche_tests::cluster::{TestCluster, cluster, namespace};
use kubefiche_tests::crowd::{Http, PROBE, SURGE, http, open_stream, settle};
use kubefiche_tests::live::Tab;
use kubefiche_tests::measure::{columns, percentile};
use kubefiche_tests::process::{cpu_time, peak_rss_mib, rss_mib};
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::json;
use tokio::sync::mpsc;

const TABS: [usize; 3] = [1, 10, 100];
const ROUNDS: usize = 20;

/// What the stream readers tell the bench: a tab got its snapshot, or saw round `n` of the probe.
enum Heard {
    Snapshot,
    Round(u64, Instant),
}

/// A tab as light as can be: it scans each event's text for the probe's label rather than
/// parsing it, so that the bench's own CPU stays out of the proxy's way (they share two cores).
async fn open_light(
    http: &Http,
    proxy: &ProxyProcess,
    heard: mpsc::UnboundedSender<Heard>,
) -> Result<Arc<AtomicUsize>> {
    let mut body = open_stream(http, proxy).await?;
    let events = Arc::new(AtomicUsize::new(0));
    let counted = events.clone();
    tokio::spawn(async move {
        let mut buffer = String::new();
        while let Some(Ok(frame)) = body.frame().await {
            let Some(data) = frame.data_ref() else {
                continue;
            };
            buffer.push_str(&String::from_utf8_lossy(data));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let Some(data) = block.strip_prefix("data: ") else {
                    continue;
                };
                counted.fetch_add(1, Ordering::Relaxed);
                if data.starts_with("{\"type\":\"snapshot\"") {
                    let _ = heard.send(Heard::Snapshot);
                } else if data.starts_with("{\"type\":\"changed\"")
                    && data.contains(&format!("\"name\":\"{PROBE}\""))
                    && let Some(round) = round_of(data)
                {
                    let _ = heard.send(Heard::Round(round, Instant::now()));
                }
            }
        }
    });
    Ok(events)
}

/// The value of the probe's `round` label in an event's text.
fn round_of(data: &str) -> Option<u64> {
    let start = data.find("[\"round\",\"")? + "[\"round\",\"".len();
    let rest = &data[start..];
    rest[..rest.find('"')?].parse().ok()
}

/// Patches the probe's label to each round in turn; the time from sending the patch to each
/// tab's `changed` event, ms.
async fn rounds(
    maps: &Api<ConfigMap>,
    heard: &mut mpsc::UnboundedReceiver<Heard>,
    tabs: usize,
    first: u64,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let (mut latencies, mut patches) = (Vec::new(), Vec::new());
    for round in first..first + ROUNDS as u64 {
        let patch = json!({ "metadata": { "labels": { "round": round.to_string() } } });
        let sent = Instant::now();
        maps.patch(PROBE, &PatchParams::default(), &Patch::Merge(&patch))
            .await?;
        patches.push(sent.elapsed().as_secs_f64() * 1000.0);
        let mut got = 0;
        while got < tabs {
            match tokio::time::timeout(Duration::from_secs(10), heard.recv()).await {
                Ok(Some(Heard::Round(r, at))) if r == round => {
                    got += 1;
                    latencies.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                }
                Ok(Some(_)) => {}
                Ok(None) => bail!("every tab closed"),
                Err(_) => bail!("round {round}: {got} of {tabs} tabs heard it within 10 s"),
            }
        }
    }
    Ok((latencies, patches))
}

fn cpu_ms(pid: u32) -> Result<f64> {
    Ok(cpu_time(pid)?.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> Result<()> {
    let cluster: &TestCluster = cluster().await;
    let client = cluster.client().await?;
    let ns = namespace("bench-live").await;
    let mut proxy = ProxyProcess::start(cluster, ns.name(), &[]).await?;
    let pid = proxy.pid().context("the proxy exited")?;
    let http = http();
    // One full tab, folding the stream as the page does, to know when the namespace is settled.
    let watcher = Tab::read(open_stream(&http, &proxy).await?);
    watcher.started().await?;
    let empty = rss_mib(pid)?;

    let (objects, settled) = settle(cluster, ns.name(), &watcher).await?;
    let snapshot = serde_json::to_string(&kubefiche_core::wire::StreamEvent::Snapshot {
        objects: watcher.live().objects().cloned().collect(),
        events: watcher.live().events(None).into_iter().cloned().collect(),
        health: Default::default(),
    })?
    .len();
    let events = watcher.live().events(None).len();
    drop(watcher);
    let loaded = rss_mib(pid)?;

    println!(
        "\n== live stream: {objects} objects and {events} events in the namespace (settled in {:.0} s) ==",
        settled.as_secs_f64()
    );
    println!(
        "snapshot sent to each new tab: {:.1} KiB of JSON",
        snapshot as f64 / 1024.0
    );
    println!("change → `changed` event in every tab, ms (from sending the ConfigMap patch):");
    println!(
        "  {:>5} {:>8} {:>8} {:>8} {:>8}   patch round trip p50",
        "tabs", "p50", "p95", "max", "samples"
    );
    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), ns.name());
    let (heard_tx, mut heard) = mpsc::unbounded_channel();
    let mut counters = Vec::new();
    let mut round = 1;
    for tabs in TABS {
        let opened = tabs - counters.len();
        while counters.len() < tabs {
            counters.push(open_light(&http, &proxy, heard_tx.clone()).await?);
        }
        let mut ready = 0;
        while ready < opened {
            match tokio::time::timeout(Duration::from_secs(30), heard.recv()).await {
                Ok(Some(Heard::Snapshot)) => ready += 1,
                Ok(_) => {}
                Err(_) => bail!("{ready} of {opened} new tabs got their snapshot within 30 s"),
            }
        }
        let (latencies, patches) = rounds(&maps, &mut heard, tabs, round).await?;
        round += ROUNDS as u64;
        let mut patches = patches;
        patches.sort_by(f64::total_cmp);
        println!(
            "  {tabs:>5} {}   {:.1}",
            columns(latencies),
            percentile(&patches, 0.5)
        );
    }

    // 100 tabs open: idle, then 50 pods starting at once.
    let idle_for = Duration::from_secs(10);
    let cpu = cpu_ms(pid)?;
    tokio::time::sleep(idle_for).await;
    let idle_cpu = cpu_ms(pid)? - cpu;
    let idle_rss = rss_mib(pid)?;
    let sent_before: usize = counters.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns.name());
    let cpu = cpu_ms(pid)?;
    let started = Instant::now();
    let mut peak = 0.0_f64;
    deployments
        .patch(
            SURGE,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "spec": { "replicas": 50 } })),
        )
        .await?;
    let done = loop {
        peak = peak.max(rss_mib(pid)?);
        let surge = deployments.get(SURGE).await?;
        if surge.status.and_then(|s| s.ready_replicas) == Some(50) {
            break started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(90) {
            bail!("the 50 pods were not ready within 90 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Let the last events reach every tab.
    tokio::time::sleep(Duration::from_secs(2)).await;
    peak = peak.max(rss_mib(pid)?);
    let busy_cpu = cpu_ms(pid)? - cpu;
    let busy_for = started.elapsed();
    let sent: usize = counters
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum::<usize>()
        - sent_before;
    println!("proxy memory (RSS) and CPU:");
    println!("  empty namespace, one tab:          {empty:>6.1} MiB");
    println!(
        "  {:<35}{loaded:>6.1} MiB",
        format!("{objects} objects, no tab:")
    );
    println!(
        "  100 tabs open, idle {:.0} s:        {idle_rss:>6.1} MiB, CPU {idle_cpu:.0} ms ({:.1} %)",
        idle_for.as_secs_f64(),
        idle_cpu / idle_for.as_secs_f64() / 10.0
    );
    println!(
        "  100 tabs, 0 → 50 pods ({:.1} s to ready, {:.1} s measured): peak {peak:.1} MiB, CPU {busy_cpu:.0} ms ({:.1} %), {} events per tab",
        done.as_secs_f64(),
        busy_for.as_secs_f64(),
        busy_cpu / busy_for.as_secs_f64() / 10.0,
        sent / counters.len().max(1)
    );
    println!(
        "  peak over the whole run:           {:>6.1} MiB",
        peak_rss_mib(pid)?
    );
    let _ = proxy.stop().await;
    Ok(())
}
