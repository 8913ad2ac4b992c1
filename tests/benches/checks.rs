//! Live checks: the real app in headless Chromium on Fiche 3, served by the real proxy binary
//! against the local cluster. Prints the time from the cluster event that completes a step to
//! that step's mark turning green on screen (`data-state='done'`, stamped by a
//! `MutationObserver` in the page with `Date.now()`, the same clock as the bench's), next to the
//! time the same event reaches a `kubectl get -w` started beforehand (the local cluster's own
//! kubectl, each line of its output stamped as it is read), p50/p95/max over 20 rounds:
//! 1. `challenge/1` (`ready: deployment/pydantic-agent` with 5 replicas): each round scales the
//!    agent to 4 and waits for it, starts the challenge again in the page (its dialog, nothing
//!    deleted), then scales it to 5 through the API; kubectl's time is the line saying 5 ready;
//! 2. `configmap/1` (`exists: configmap/iris-config` with its two keys; its `ran` condition met
//!    once beforehand): each round deletes the ConfigMap, starts the exercise again, then
//!    creates the ConfigMap through the API; kubectl's time is the line saying ADDED.
//!
//! Asserts nothing timed. Run through `cargo xtask bench` (it sets `KUBEFICHE_TEST_KUBECONFIG`
//! and `KUBEFICHE_BIN`).

#[path = "checks/page.rs"]
mod page;
#[path = "checks/watch.rs"]
mod watch;

use std::time::Duration;

use anyhow::{Context, Result};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kubefiche_tests::browser::Browser;
use kubefiche_tests::cluster::{TestCluster, cluster, eventually};
use kubefiche_tests::exercises::Learner;
use kubefiche_tests::layout::open_page;
use kubefiche_tests::measure::columns;
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::json;
use watch::{Watch, now_ms};

const ROUNDS: usize = 20;
const AGENT: &str = "pydantic-agent";
const CONFIG: &str = "iris-config";
/// How long a step may take to turn green the first time (pods start, the page loads).
const SETTLE: Duration = Duration::from_secs(60);
/// How long one event may take to reach kubectl.
const EVENT: Duration = Duration::from_secs(30);

/// Milliseconds from the event to kubectl's line and to the page's green mark, per round.
#[derive(Default)]
struct Series {
    kubectl: Vec<f64>,
    page: Vec<f64>,
}

impl Series {
    fn push(&mut self, sent: f64, kubectl: f64, page: f64) {
        self.kubectl.push(kubectl - sent);
        self.page.push(page - sent);
    }

    fn print(self, title: &str) {
        println!("{title}");
        let gaps: Vec<f64> = self
            .page
            .iter()
            .zip(&self.kubectl)
            .map(|(p, k)| p - k)
            .collect();
        println!(
            "  {:<46} {}",
            "kubectl get -w prints it",
            columns(self.kubectl)
        );
        println!(
            "  {:<46} {}",
            "the step turns green on screen",
            columns(self.page)
        );
        println!("  {:<46} {}", "page − kubectl, per round", columns(gaps));
    }
}

/// Replicas wanted of the agent, through the API.
async fn scale(deployments: &Api<Deployment>, replicas: i32) -> Result<()> {
    deployments
        .patch(
            AGENT,
            &PatchParams::default(),
            &Patch::Merge(&json!({ "spec": { "replicas": replicas } })),
        )
        .await
        .with_context(|| format!("scaling deployment/{AGENT} to {replicas}"))?;
    Ok(())
}

/// Waits until the agent has exactly `replicas` pods, all ready.
async fn settled(deployments: &Api<Deployment>, replicas: i32) -> Result<()> {
    eventually(
        &format!("deployment/{AGENT} with {replicas} ready replicas"),
        SETTLE,
        || async {
            let status = deployments.get(AGENT).await?.status.unwrap_or_default();
            Ok(
                (status.replicas == Some(replicas) && status.ready_replicas == Some(replicas))
                    .then_some(()),
            )
        },
    )
    .await
}

/// The readyReplicas a watch line (`TYPE READY`) tells.
fn ready_in(line: &str) -> Option<i32> {
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Series 1: scale 4 → 5 completes `challenge/1`.
async fn agent_rounds(
    cluster: &TestCluster,
    namespace: &str,
    browser: &Browser,
    learner: &Learner<'_>,
) -> Result<Series> {
    const STEP: &str = "challenge/1";
    let deployments: Api<Deployment> = Api::namespaced(cluster.client().await?, namespace);
    learner.file("k8s/agent.yaml").await?;
    learner.ok("kubectl apply -f k8s/agent.yaml").await?;
    scale(&deployments, 5).await?;
    settled(&deployments, 5).await?;
    learner.wait_step(STEP, "done", SETTLE).await?;
    let mut watch = Watch::start(
        cluster,
        namespace,
        &[
            "deployment",
            AGENT,
            "--output-watch-events",
            "--output=jsonpath={.type} {.object.status.readyReplicas}{\"\\n\"}",
        ],
    )
    .await?;
    let mut series = Series::default();
    for _ in 0..ROUNDS {
        scale(&deployments, 4).await?;
        settled(&deployments, 4).await?;
        page::restart(browser, learner, "challenge", STEP).await?;
        page::arm(browser, STEP).await?;
        watch.drain();
        let sent = now_ms();
        scale(&deployments, 5).await?;
        let seen = watch
            .until("5 ready replicas", EVENT, |line| ready_in(line) == Some(5))
            .await?;
        let shown = page::done_at(browser, STEP).await?;
        series.push(sent, seen, shown);
    }
    Ok(series)
}

/// The worksheet's ConfigMap.
fn config() -> Result<ConfigMap> {
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": { "name": CONFIG },
        "data": {
            "API_NAME": "Iris Predictor",
            "API_DESCRIPTION": "API de prédiction de l'espèce d'iris",
        }
    }))
    .context("the ConfigMap of the worksheet")
}

/// Series 2: creating the ConfigMap completes `configmap/1`.
async fn config_rounds(
    cluster: &TestCluster,
    namespace: &str,
    browser: &Browser,
    learner: &Learner<'_>,
) -> Result<Series> {
    const STEP: &str = "configmap/1";
    let maps: Api<ConfigMap> = Api::namespaced(cluster.client().await?, namespace);
    maps.create(&PostParams::default(), &config()?)
        .await
        .with_context(|| format!("creating configmap/{CONFIG}"))?;
    learner
        .ok(&format!("kubectl describe configmap {CONFIG}"))
        .await?;
    learner.wait_step(STEP, "done", SETTLE).await?;
    let selector = format!("--field-selector=metadata.name={CONFIG}");
    let mut watch = Watch::start(
        cluster,
        namespace,
        &[
            "configmaps",
            &selector,
            "--output-watch-events",
            "--output=jsonpath={.type} {.object.metadata.name}{\"\\n\"}",
        ],
    )
    .await?;
    let mut series = Series::default();
    for _ in 0..ROUNDS {
        maps.delete(CONFIG, &DeleteParams::default())
            .await
            .with_context(|| format!("deleting configmap/{CONFIG}"))?;
        watch
            .until("the ConfigMap deleted", EVENT, |line| {
                line.starts_with("DELETED ")
            })
            .await?;
        page::restart(browser, learner, "configmap", STEP).await?;
        page::arm(browser, STEP).await?;
        watch.drain();
        let sent = now_ms();
        maps.create(&PostParams::default(), &config()?)
            .await
            .with_context(|| format!("creating configmap/{CONFIG}"))?;
        let seen = watch
            .until("the ConfigMap added", EVENT, |line| {
                line.starts_with("ADDED ")
            })
            .await?;
        let shown = page::done_at(browser, STEP).await?;
        series.push(sent, seen, shown);
    }
    Ok(series)
}

async fn run(
    cluster: &TestCluster,
    namespace: &str,
    browser: &Browser,
) -> Result<(Series, Series)> {
    let learner = Learner::new(browser);
    let agent = agent_rounds(cluster, namespace, browser, &learner).await?;
    let config = config_rounds(cluster, namespace, browser, &learner).await?;
    Ok((agent, config))
}

/// The proxy's last log lines, to go with a failure.
fn log_tail(proxy: &ProxyProcess) -> String {
    let log = proxy.log();
    let tail: Vec<&str> = log.lines().rev().take(30).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
}

#[tokio::main]
async fn main() -> Result<()> {
    let cluster = cluster().await;
    let (ns, proxy, browser) = open_page("bench-checks", None).await?;
    let measured = run(cluster, ns.name(), &browser).await;
    browser.close().await.context("closing the browser")?;
    let (agent, config) = measured.with_context(|| {
        format!(
            "the checks bench stopped; the proxy's last log lines:\n{}",
            log_tail(&proxy)
        )
    })?;
    println!(
        "\n== live checks on Fiche 3 in headless Chromium: cluster event → step green on screen, ms, from just before the API call =="
    );
    println!(
        "  {:<46} {:>8} {:>8} {:>8} {:>8}",
        "", "p50", "p95", "max", "samples"
    );
    agent.print(&format!(
        "challenge/1: deployment/{AGENT} scaled 4 → 5 (kubectl: the line with readyReplicas 5)"
    ));
    config.print(&format!(
        "configmap/1: configmap/{CONFIG} created (kubectl: the ADDED line)"
    ));
    drop(proxy);
    drop(ns);
    Ok(())
}
