//! Many people pressing "apply all" on the Fiche 3 workspace at once, through one proxy into its
//! one namespace (a proxy serves one namespace per launch: a class sharing a playground is many
//! tabs on one proxy, so this is the concurrency that matters): applies per second, latency,
//! errors.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::body::Body;
use futures::future::join_all;
use http_body_util::BodyExt;
use kubefiche_core::Severity;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::wire::{ApplyRequest, ApplyResponse, Outcome, TOKEN_HEADER};
use kubefiche_tests::cluster::{TestCluster, workspace_root};
use kubefiche_tests::crowd::{Http, http};
use kubefiche_tests::measure::percentile;
use kubefiche_tests::proxy::ProxyProcess;
use tokio::sync::Barrier;

const APPLIERS: usize = 50;
/// Applies of the whole workspace by each applier, one after the other.
const EACH: usize = 10;
const APPLY_TIMEOUT: Duration = Duration::from_secs(60);

/// The Fiche 3 workspace as the page sends it: every `k8s/*.yaml` file, by path. The MCP
/// server's fixed `nodePort` is left out: node ports are cluster-wide, and the shared test
/// cluster may have it taken by another namespace (as `fiche3_cluster` does).
fn workspace() -> Result<Vec<SourceFile>> {
    let dir = workspace_root().join("core/tests/fiche3/k8s");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let text: String = std::fs::read_to_string(&path)?
                .lines()
                .filter(|l| !l.trim_start().starts_with("nodePort:"))
                .map(|l| format!("{l}\n"))
                .collect();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            files.push(SourceFile {
                path: format!("k8s/{}", name.unwrap_or_default()),
                text,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// How one apply went.
enum Done {
    /// Answered 200, every object created, configured or unchanged.
    Applied(f64, Vec<&'static str>),
    /// Anything else, said in a few words.
    Failed(f64, String),
}

async fn apply_once(http: &Http, proxy: &ProxyProcess, body: &str) -> Done {
    let started = Instant::now();
    let ms = |s: Instant| s.elapsed().as_secs_f64() * 1000.0;
    let request = http::Request::post(format!("{}/api/apply", proxy.origin()))
        .header("origin", proxy.origin())
        .header(TOKEN_HEADER, proxy.token())
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()));
    let request = match request {
        Ok(r) => r,
        Err(e) => return Done::Failed(0.0, format!("building the request: {e}")),
    };
    let answer = tokio::time::timeout(APPLY_TIMEOUT, async {
        let response = http.request(request).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        anyhow::Ok((status, bytes))
    })
    .await;
    let (status, bytes) = match answer {
        Err(_) => return Done::Failed(ms(started), "no answer within 60 s".into()),
        Ok(Err(e)) => return Done::Failed(ms(started), format!("connection: {e}")),
        Ok(Ok(a)) => a,
    };
    let elapsed = ms(started);
    if !status.is_success() {
        let text = String::from_utf8_lossy(&bytes);
        let code = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_owned))
            .unwrap_or_else(|| text.chars().take(80).collect());
        return Done::Failed(elapsed, format!("HTTP {} {code}", status.as_u16()));
    }
    let response: ApplyResponse = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => return Done::Failed(elapsed, format!("unreadable answer: {e}")),
    };
    if let Some(d) = response
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        return Done::Failed(elapsed, format!("refused before sending: {}", d.code));
    }
    let mut outcomes = Vec::new();
    for result in &response.results {
        match &result.outcome {
            Outcome::Created => outcomes.push("created"),
            Outcome::Configured => outcomes.push("configured"),
            Outcome::Unchanged => outcomes.push("unchanged"),
            Outcome::Failed { reason, .. } => {
                return Done::Failed(
                    elapsed,
                    format!("{} {}: {reason}", result.kind, result.name),
                );
            }
        }
    }
    Done::Applied(elapsed, outcomes)
}

#[allow(clippy::cast_precision_loss)]
pub async fn run(cluster: &TestCluster, ns: &str) -> Result<()> {
    let files = workspace()?;
    let objects = files
        .iter()
        .map(|f| f.text.matches("\nkind:").count() + usize::from(f.text.starts_with("kind:")))
        .sum::<usize>();
    let body = serde_json::to_string(&ApplyRequest {
        files,
        dry_run: false,
    })?;
    let mut proxy = ProxyProcess::start(cluster, ns, &[]).await?;
    let http = http();
    let barrier = Arc::new(Barrier::new(APPLIERS));
    let started = Instant::now();
    let runs = join_all((0..APPLIERS).map(|_| {
        let (http, barrier, body, proxy) = (&http, barrier.clone(), &body, &proxy);
        async move {
            barrier.wait().await;
            let mut done = Vec::with_capacity(EACH);
            for _ in 0..EACH {
                done.push(apply_once(http, proxy, body).await);
            }
            done
        }
    }))
    .await;
    let wall = started.elapsed();
    let _ = proxy.stop().await;

    let mut latencies = Vec::new();
    let mut failed_latencies = Vec::new();
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    for done in runs.into_iter().flatten() {
        match done {
            Done::Applied(ms, said) => {
                latencies.push(ms);
                for o in said {
                    *outcomes.entry(o).or_default() += 1;
                }
            }
            Done::Failed(ms, why) => {
                failed_latencies.push(ms);
                *failures.entry(why).or_default() += 1;
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "\n== load: {APPLIERS} concurrent appliers of the Fiche 3 workspace ({objects} objects in 6 files), {EACH} applies each, one proxy, one namespace =="
    );
    let rate = latencies.len() as f64 / wall.as_secs_f64();
    println!(
        "{} applies in {:.1} s: {rate:.1} applies/s ({:.0} objects/s); errors: {}",
        latencies.len() + failed_latencies.len(),
        wall.as_secs_f64(),
        rate * objects as f64,
        failed_latencies.len()
    );
    if !latencies.is_empty() {
        println!(
            "latency of a successful apply, ms: p50 {:.0}  p95 {:.0}  p99 {:.0}  max {:.0}",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99),
            latencies[latencies.len() - 1]
        );
    }
    let said: Vec<String> = outcomes.iter().map(|(o, n)| format!("{o} {n}")).collect();
    println!("objects: {}", said.join(", "));
    for (why, n) in &failures {
        println!("  failed ×{n}: {why}");
    }
    Ok(())
}
