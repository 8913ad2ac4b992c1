//! The cluster pane itself: the real app in headless Chromium, served by the real proxy binary
//! against the local cluster, on the crowded namespace of `kubefiche_tests::crowd` (about 200
//! objects). Prints, in this order:
//! 1. the time from page load (navigation start) to the pane showing every object of the
//!    namespace, and the page's memory then (JS heap, the app's WebAssembly memory, DOM size);
//! 2. the latency from a change in the cluster (a key of the probe ConfigMap replaced through
//!    the API, timed from just before the call) to the new key on screen, stamped by a
//!    `MutationObserver` in the page (`Date.now()`, the same clock as the bench's), p50/p95 over
//!    20 rounds with 1, 10 and 100 open tabs: one page plus N−1 stream clients (`POST
//!    /api/stream` over HTTP, each read and folded by `kubefiche_tests::live::Tab`); then with
//!    10 real Chromium pages (each in a browser of its own), every one of them measured;
//! 3. the page's frame times (`requestAnimationFrame`) and long tasks while the Deployment
//!    `surge` goes from 0 to 50 pods (until the pane shows all 50 Running), then back to 0
//!    (until it shows none): p50/p95/max, frames over 50 ms, and how long the pane took (and,
//!    beside it, a stream client reading along).
//!
//! Asserts nothing timed. Run through `cargo xtask bench` (it sets `KUBEFICHE_TEST_KUBECONFIG`
//! and `KUBEFICHE_BIN`).

#[path = "view/page.rs"]
mod page;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams};
use kubefiche_core::live::{Facts, Live};
use kubefiche_tests::browser::Browser;
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::crowd::{Http, PROBE, SURGE, http, open_stream, settle};
use kubefiche_tests::live::Tab;
use kubefiche_tests::measure::{columns, percentile};
use kubefiche_tests::proxy::ProxyProcess;
use page::{Recording, now_ms};
use serde_json::json;

const TABS: [usize; 3] = [1, 10, 100];
const ROUNDS: u64 = 20;
/// Real Chromium pages measured together.
const PAGES: usize = 10;
const SURGE_PODS: usize = 50;

fn mib(bytes: Option<f64>) -> String {
    bytes.map_or_else(
        || "n/a".into(),
        |b| format!("{:.1} MiB", b / 1024.0 / 1024.0),
    )
}

/// Replaces the probe's key `round-(r−1)` by `round-r` for each round from `first`; how long
/// after the patch was sent each of `pages` showed it, ms.
async fn rounds(pages: &[&Browser], maps: &Api<ConfigMap>, first: u64) -> Result<Vec<f64>> {
    let mut latencies = Vec::new();
    for round in first..first + ROUNDS {
        let patch = json!({ "data": {
            format!("round-{round}"): "x",
            format!("round-{}", round - 1): null,
        } });
        let sent = now_ms();
        maps.patch(PROBE, &PatchParams::default(), &Patch::Merge(&patch))
            .await?;
        for page in pages {
            latencies.push(page::seen(page, round).await? - sent);
        }
    }
    Ok(latencies)
}

/// Whether a stream client's copy of the probe lists the key of `round`.
fn has_round(live: &Live, round: u64) -> bool {
    let key = format!("round-{round}");
    live.get("ConfigMap", PROBE)
        .is_some_and(|o| matches!(&o.facts, Facts::ConfigMap { keys } if keys.contains(&key)))
}

/// Starts `count` more browsers on `url`, each watching the probe's rounds. Each has a browser
/// of its own: Chromium opens at most 6 HTTP/1.1 connections to one host, and each page holds
/// one for its stream, so a seventh page of one browser would not load.
async fn open_pages(url: &str, count: usize) -> Result<Vec<Browser>> {
    let mut pages = Vec::new();
    for _ in 0..count {
        let browser = Browser::start().await?;
        browser.goto(url).await?;
        browser
            .wait_for(
                "the probe ConfigMap in another browser",
                "return document.querySelector(`li.object[data-kind='ConfigMap'][data-name='${arguments[0]}'] li.keys`) !== null",
                &[json!(PROBE)],
                Duration::from_secs(60),
            )
            .await?;
        browser.eval(page::WATCH_ROUNDS, &[json!(PROBE)]).await?;
        pages.push(browser);
    }
    Ok(pages)
}

/// Frame times and long tasks between the change (Unix ms `sent`) and the goal on screen.
fn frames_line(what: &str, sent: f64, rec: &Recording, in_stream: f64) -> String {
    let start = sent - rec.origin;
    let mut intervals: Vec<f64> = rec
        .frames
        .windows(2)
        .filter(|w| w[1] > start && w[1] <= rec.goal)
        .map(|w| w[1] - w[0])
        .collect();
    let over = intervals.iter().filter(|d| **d > 50.0).count();
    let long = rec.long_tasks.as_ref().map_or_else(
        || "long tasks not reported".into(),
        |tasks| {
            let during: Vec<f64> = tasks
                .iter()
                .filter(|(at, _)| *at >= start && *at <= rec.goal)
                .map(|(_, d)| *d)
                .collect();
            format!(
                "{} long tasks, {:.0} ms in all, longest {:.0} ms",
                during.len(),
                during.iter().sum::<f64>(),
                during.iter().copied().fold(0.0, f64::max)
            )
        },
    );
    intervals.sort_by(f64::total_cmp);
    format!(
        "  {what}: on screen after {:.0} ms (in the stream after {in_stream:.0} ms); frames {}; {over} over 50 ms; {long}",
        rec.goal - start,
        if intervals.is_empty() {
            "none".to_owned()
        } else {
            format!(
                "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} frames)",
                percentile(&intervals, 0.5),
                percentile(&intervals, 0.95),
                intervals[intervals.len() - 1],
                intervals.len()
            )
        }
    )
}

/// A change of `surge`'s replicas, and what the pane shows once it is done: exactly `want`
/// elements matching `selector` in the Deployment's row (`want` Running pods, or none).
struct Step {
    replicas: usize,
    selector: &'static str,
    want: usize,
    what: String,
}

impl Step {
    /// Whether the stream's copy of the namespace is done with the step too.
    fn done(&self, live: &Live) -> bool {
        let prefix = format!("{SURGE}-");
        let pods = live.of_kind("Pod").filter(|o| o.name.starts_with(&prefix));
        if self.want == 0 {
            pods.count() == 0
        } else {
            pods.filter_map(|o| o.pod())
                .filter(|p| p.row.status == "Running")
                .count()
                == self.want
        }
    }
}

/// Scales `surge` as `step` says and records the page until it shows the step done; a stream
/// client reading along tells when the stream had it.
async fn surge(
    browser: &Browser,
    deployments: &Api<Deployment>,
    tab: &Tab,
    step: &Step,
) -> Result<String> {
    let longtasks = page::record(browser, SURGE, step.selector, step.want).await?;
    // A second of frames before the change, so that the loop runs at its pace when it comes.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let sent = now_ms();
    deployments
        .patch(
            SURGE,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "spec": { "replicas": step.replicas } })),
        )
        .await?;
    let in_stream = async {
        tab.until(&step.what, Duration::from_secs(120), |live| step.done(live))
            .await
            .map(|_| now_ms())
    };
    let (recording, in_stream) =
        tokio::join!(page::recorded(browser, &step.what, longtasks), in_stream);
    Ok(frames_line(
        &step.what,
        sent,
        &recording?,
        in_stream? - sent,
    ))
}

/// Change → on screen: one page with 0, 9 and 99 stream clients beside it, then 10 real pages.
async fn latencies(
    browser: &Browser,
    proxy: &ProxyProcess,
    http: &Http,
    maps: &Api<ConfigMap>,
) -> Result<()> {
    browser.eval(page::WATCH_ROUNDS, &[json!(PROBE)]).await?;
    println!(
        "change → on screen, ms (a key of ConfigMap/{PROBE} replaced; from sending the patch to the page's MutationObserver):"
    );
    println!(
        "  {:<40} {:>8} {:>8} {:>8} {:>8}",
        "open tabs", "p50", "p95", "max", "samples"
    );
    let mut clients = Vec::new();
    let mut round = 1;
    for tabs in TABS {
        while clients.len() < tabs - 1 {
            let tab = Tab::read(open_stream(http, proxy).await?);
            tab.started().await?;
            clients.push(tab);
        }
        let latencies = rounds(&[browser], maps, round).await?;
        round += ROUNDS;
        let last = round - 1;
        for tab in &clients {
            tab.until(
                "the last round in a stream client",
                Duration::from_secs(10),
                |live| has_round(live, last),
            )
            .await?;
        }
        println!(
            "  {:<40} {}",
            format!("{tabs:>3}: 1 page + {} stream clients", tabs - 1),
            columns(latencies)
        );
    }
    drop(clients);

    let opened = Instant::now();
    let others = open_pages(&proxy.url, PAGES - 1).await?;
    let opening = opened.elapsed();
    let mut pages = vec![browser];
    pages.extend(others.iter());
    let latencies = rounds(&pages, maps, round).await?;
    println!(
        "  {:<40} {}",
        format!("{PAGES:>3}: real Chromium pages, all measured"),
        columns(latencies)
    );
    println!(
        "  (each page in a Chromium of its own; the {} others took {:.1} s to start and show the namespace)",
        PAGES - 1,
        opening.as_secs_f64()
    );
    for other in others {
        other.close().await.context("closing a browser")?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let cluster = cluster().await;
    let client = cluster.client().await?;
    let ns = namespace("bench-view").await;
    let proxy = ProxyProcess::start(cluster, ns.name(), &[]).await?;
    let http = http();

    // The namespace, settled: every object in the stream, every pod running or done.
    let watcher = Tab::read(open_stream(&http, &proxy).await?);
    watcher.started().await?;
    let (objects, settled) = settle(cluster, ns.name(), &watcher).await?;
    drop(watcher);

    println!(
        "\n== the cluster pane in headless Chromium: {objects} objects in the namespace (settled in {:.0} s) ==",
        settled.as_secs_f64()
    );
    let browser = Browser::start().await?;
    let loaded = page::load(&browser, &proxy.url, objects).await?;
    println!(
        "page load → every object on screen: {:.0} ms after navigation start ({} rows; the pane was drawn empty at {:.0} ms, its stream live at {:.0} ms)",
        loaded.shown, loaded.count, loaded.pane, loaded.live
    );
    println!(
        "  then: JS heap {} (performance.memory, rounded by Chromium; DevTools: {}), WebAssembly memory {}, {} DOM elements",
        mib(loaded.js_heap),
        mib(loaded.js_heap_exact),
        mib(loaded.wasm_memory),
        loaded.dom_elements
    );

    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), ns.name());
    latencies(&browser, &proxy, &http, &maps).await?;

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns.name());
    println!(
        "the page's frames while deployment/{SURGE} changes {SURGE_PODS} pods at once (from the patch until the pane shows it; one page, and one stream client to tell when the stream had it):"
    );
    let tab = Tab::read(open_stream(&http, &proxy).await?);
    tab.started().await?;
    let steps = [
        Step {
            replicas: SURGE_PODS,
            selector: "tr.pod.status-running",
            want: SURGE_PODS,
            what: format!("0 → {SURGE_PODS} pods, all Running"),
        },
        Step {
            replicas: 0,
            selector: "tr.pod",
            want: 0,
            what: format!("{SURGE_PODS} → 0 pods, none left"),
        },
    ];
    for step in &steps {
        println!("{}", surge(&browser, &deployments, &tab, step).await?);
    }
    drop(tab);
    browser.close().await.context("closing the browser")?;
    drop(proxy);
    Ok(())
}
