//! Faults against the real local control plane: the API server stops for 30 s and comes back;
//! etcd stops for 15 s and comes back; the proxy is killed (SIGKILL) and started again with the
//! same token on the same port; the network to the API server drops in the middle of an apply.
//!
//! These tests stop parts of the cluster every other test shares, so they are no part of a plain
//! `cargo test` (`test = false` in `Cargo.toml`): `cargo xtask test` runs this binary alone, one
//! test at a time, after every other test. Each puts back what it stopped, even when it fails,
//! and starts the cluster's controllers afresh after a fault (by themselves they may take minutes
//! to work again).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kubefiche_core::live::Live;
use kubefiche_core::wire::Health;
use kubefiche_tests::cluster::{TestCluster, cluster, namespace};
use kubefiche_tests::control_plane;
use kubefiche_tests::cut::client_through;
use kubefiche_tests::follow::{self, Follower};
use kubefiche_tests::live::{
    Tab, View, cluster_view, differences, equals_cluster, kubectl_in, live_equals_cluster,
};
use kubefiche_tests::proxy::{ProxyProcess, call, page_request, router, router_with};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::{Value, json};

/// How long the API server stays away.
/// One fault at a time, even when the tests of this file are run in parallel: each stops a part
/// that the others use.
static ALONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const OUTAGE: Duration = Duration::from_secs(30);
/// How soon after the API server is ready again every stream must be right.
const BACK_WITHIN: Duration = Duration::from_secs(5);
const WAIT: Duration = Duration::from_secs(60);

const START: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  k: \"1\"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: doomed\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: t\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";

/// What changes once the cluster is back: a change, a creation, a deletion.
async fn change(cluster: &TestCluster, ns: &str) -> Result<()> {
    let more = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  k: \"2\"\n  extra: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: born\n";
    kubectl_in(cluster, ns, &["apply", "-f", "-"], Some(more)).await?;
    kubectl_in(cluster, ns, &["delete", "secret", "s"], None).await
}

/// Waits until the API server answers `/readyz`; the moment it did.
async fn api_ready(cluster: &TestCluster, timeout: Duration) -> Result<Instant> {
    let deadline = Instant::now() + timeout;
    loop {
        if cluster
            .kubectl(&["get", "--raw", "/readyz", "--request-timeout=2s"], None)
            .await
            .is_ok()
        {
            return Ok(Instant::now());
        }
        if Instant::now() > deadline {
            bail!("the API server was not ready {timeout:?} after it was started again");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Whether `live` shows exactly `expected`, and live.
fn shows(live: &Live, expected: &View) -> bool {
    live.health() == &Health::Live && differences(&View::of_live(live), expected).is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "stops the local cluster's API server: cargo xtask test runs it alone, last"]
async fn an_api_server_away_for_30_s_is_said_and_every_stream_is_right_within_5_s_of_its_return()
-> Result<()> {
    let _alone = ALONE.lock().await;
    let cluster = cluster().await;
    let ns = namespace("fault-api").await;
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(START)).await?;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    // Deleted just before the stop: whether the stream saw it go or not, it must not be back.
    kubectl_in(cluster, ns.name(), &["delete", "configmap", "doomed"], None).await?;

    let api = control_plane::component(cluster, "kube-apiserver")?;
    let outage = api.stop().await?;
    let stopped = Instant::now();
    tab.until("reconnecting", Duration::from_secs(10), |live| {
        live.health() != &Health::Live
    })
    .await?;
    tab.until("unreachable", Duration::from_secs(10), |live| {
        matches!(live.health(), Health::Unreachable { .. })
    })
    .await?;
    // A tab opened now knows at once: its snapshot says so.
    let fresh = Tab::open(&app).await?;
    fresh.started().await?;
    let told = fresh.live().health().clone();
    let Health::Unreachable { since, reason } = &told else {
        bail!("a tab opened during the outage was told {told:?}");
    };
    assert!(!reason.en.is_empty() && !reason.fr.is_empty(), "{reason:?}");
    assert_eq!(Some(*since), tab.live().health().since());
    tokio::time::sleep(OUTAGE.saturating_sub(stopped.elapsed())).await;
    assert!(
        matches!(tab.live().health(), Health::Unreachable { .. }),
        "after {OUTAGE:?} away the stream says {:?}",
        tab.live().health()
    );

    outage.end()?;
    let returned = api_ready(cluster, Duration::from_secs(120)).await?;
    change(cluster, ns.name()).await?;
    let expected = cluster_view(cluster, ns.name()).await?;
    let what = "the cluster as it is now";
    let (right, fresh_right) = tokio::join!(
        tab.until(what, WAIT, |l| shows(l, &expected)),
        fresh.until(what, WAIT, |l| shows(l, &expected)),
    );
    let (right, fresh_right) = (right?, fresh_right?);
    let took = right.max(fresh_right).duration_since(returned);
    eprintln!("both streams right {took:?} after the API server was ready again");
    assert!(
        took <= BACK_WITHIN,
        "the streams were right {took:?} after the API server's return (at most {BACK_WITHIN:?})"
    );
    // The open tab caught up without a new snapshot, and told every state once, in order.
    let folded = tab.folded();
    assert_eq!(folded.snapshots, 1);
    let states: Vec<&str> = folded
        .healths
        .iter()
        .map(|h| match h {
            Health::Live => "live",
            Health::Reconnecting { .. } => "reconnecting",
            Health::Unreachable { .. } => "unreachable",
        })
        .collect();
    assert_eq!(states.first(), Some(&"live"), "{states:?}");
    assert_eq!(states.last(), Some(&"live"), "{states:?}");
    assert!(states.contains(&"unreachable"), "{states:?}");
    // And both equal `kubectl get` still (nothing moves in this namespace).
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    equals_cluster(&fresh, cluster, ns.name(), WAIT).await?;
    let stopped = control_plane::not_running(cluster)?;
    assert!(
        stopped.is_empty(),
        "parts of the control plane did not survive the outage: {stopped:?}"
    );
    // The controllers back off on their own, or get stuck: started afresh, the next test finds
    // a working cluster.
    let settled = control_plane::put_back(cluster, Duration::from_secs(60)).await?;
    eprintln!("the controllers, started again, worked after {settled:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "kills the proxy under test; needs the local cluster: cargo xtask test"]
async fn a_proxy_killed_and_started_again_with_its_token_an_open_client_resumes_by_itself()
-> Result<()> {
    let _alone = ALONE.lock().await;
    let cluster = cluster().await;
    let ns = namespace("fault-proxy").await;
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(START)).await?;
    let token = [("KUBEFICHE_TOKEN", "fault-proxy-token-0123456789abcdef0123")];
    let mut first = ProxyProcess::start(cluster, ns.name(), &token).await?;
    let follower = Follower::start(first.origin(), first.token());
    live_equals_cluster(|| follower.followed().live, cluster, ns.name(), WAIT).await?;

    let pid = first.pid().context("the proxy exited early")?;
    kill(Pid::from_raw(i32::try_from(pid)?), Signal::SIGKILL)?;
    first.stop().await;
    follower
        .until("the break", Duration::from_secs(10), |f| f.breaks >= 1)
        .await?;
    // Meanwhile the namespace changes.
    change(cluster, ns.name()).await?;
    let _second = ProxyProcess::start_on(cluster, ns.name(), first.port(), &token).await?;
    let restarted = Instant::now();
    follower
        .until(
            "a new connection",
            follow::MOST + Duration::from_secs(5),
            |f| f.connections >= 2,
        )
        .await?;
    eprintln!(
        "the client was back {:?} after the proxy",
        restarted.elapsed()
    );
    live_equals_cluster(|| follower.followed().live, cluster, ns.name(), WAIT).await?;
    assert_eq!(follower.followed().live.health(), &Health::Live);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "stops the local cluster's etcd: cargo xtask test runs it alone, last"]
async fn etcd_away_for_15_s_then_back_every_stream_is_right_within_5_s() -> Result<()> {
    let _alone = ALONE.lock().await;
    let cluster = cluster().await;
    let ns = namespace("fault-etcd").await;
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(START)).await?;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    kubectl_in(cluster, ns.name(), &["delete", "configmap", "doomed"], None).await?;

    let etcd = control_plane::component(cluster, "etcd")?;
    let outage = etcd.stop().await?;
    // Nothing can change in the cluster meanwhile: writes fail.
    tokio::time::sleep(Duration::from_secs(15)).await;
    outage.end()?;
    let returned = api_ready(cluster, Duration::from_secs(120)).await?;
    change(cluster, ns.name()).await?;
    let changed = Instant::now();
    let expected = cluster_view(cluster, ns.name()).await?;
    let right = tab
        .until("the cluster as it is now", WAIT, |l| shows(l, &expected))
        .await?;
    eprintln!(
        "the stream was right {:?} after the API server was ready again ({:?} after the changes)",
        right.duration_since(returned),
        right.duration_since(changed)
    );
    assert!(
        right.duration_since(changed) <= BACK_WITHIN,
        "the stream showed the changes {:?} after they were made",
        right.duration_since(changed)
    );
    let fresh = Tab::open(&app).await?;
    equals_cluster(&fresh, cluster, ns.name(), WAIT).await?;
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    let stopped = control_plane::not_running(cluster)?;
    assert!(
        stopped.is_empty(),
        "did not survive etcd's restart: {stopped:?}"
    );
    control_plane::put_back(cluster, Duration::from_secs(60)).await?;
    Ok(())
}

/// An apply of `count` ConfigMaps named `<prefix>-<i>`.
fn maps(prefix: &str, count: usize) -> Value {
    let text = (0..count)
        .map(|i| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {prefix}-{i}\ndata:\n  k: \"{i}\"\n"))
        .collect::<Vec<_>>()
        .join("---\n");
    json!({ "files": [{ "path": "k8s/maps.yaml", "text": text }], "dry_run": false })
}

/// Each object's name and outcome (its type, or its reason when it failed).
fn outcomes(response: &Value) -> Vec<(String, String)> {
    let empty = Vec::new();
    response["results"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|r| {
            let outcome = &r["outcome"];
            let said = outcome["reason"].as_str().or(outcome["type"].as_str());
            (
                r["name"].as_str().unwrap_or_default().to_owned(),
                said.unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

const APPLIED: [&str; 3] = ["created", "configured", "unchanged"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_network_drop_mid_apply_says_what_became_of_each_object_and_a_retry_is_safe() -> Result<()>
{
    let _alone = ALONE.lock().await;
    let cluster = cluster().await;
    let ns = namespace("fault-net").await;
    let (client, relay) = client_through(cluster).await?;
    let app = router_with(cluster, ns.name(), client).await?;
    // The cut must fall while the apply runs: a few delays are tried, each on new names.
    let mut broken = None;
    for (attempt, delay) in [120_u64, 40, 300, 10, 700].into_iter().enumerate() {
        let body = maps(&format!("m{attempt}"), 60);
        let apply = call(&app, page_request("POST", "/api/apply", Some(&body)));
        let cut = async {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            relay.cut();
        };
        let (answer, ()) = tokio::join!(apply, cut);
        relay.restore();
        let (status, response) = answer?;
        assert_eq!(status, 200, "{response}");
        let said = outcomes(&response);
        if said.iter().any(|(_, o)| !APPLIED.contains(&o.as_str())) {
            broken = Some((body, said));
            break;
        }
    }
    let (body, said) = broken.context("no cut fell in the middle of an apply")?;
    eprintln!(
        "after the cut: {:?}",
        said.iter().map(|(_, o)| o.as_str()).collect::<Vec<_>>()
    );
    // Applied ones first, then at most one that broke, then the rest not sent.
    let first_lost = said
        .iter()
        .position(|(_, o)| !APPLIED.contains(&o.as_str()))
        .context("a lost object")?;
    assert!(
        ["unreachable", "unknown"].contains(&said[first_lost].1.as_str()),
        "{said:?}"
    );
    assert!(
        said[first_lost + 1..]
            .iter()
            .all(|(_, o)| o == "cluster-lost"),
        "{said:?}"
    );
    // What was said applied is in the cluster, what was said not applied is not.
    let names = cluster
        .kubectl(&["get", "configmaps", "-o", "name", "-n", ns.name()], None)
        .await?;
    for (name, outcome) in &said {
        let there = names.lines().any(|l| l == format!("configmap/{name}"));
        match outcome.as_str() {
            "created" => assert!(there, "{name} said created is not there"),
            "unreachable" | "cluster-lost" => {
                assert!(!there, "{name} said not applied is there")
            }
            _ => {}
        }
    }
    // Applying again once the network is back applies everything, and once more changes nothing.
    let (_, again) = call(&app, page_request("POST", "/api/apply", Some(&body))).await?;
    let again = outcomes(&again);
    assert!(
        again.iter().all(|(_, o)| APPLIED.contains(&o.as_str())),
        "{again:?}"
    );
    let (_, third) = call(&app, page_request("POST", "/api/apply", Some(&body))).await?;
    assert!(
        outcomes(&third).iter().all(|(_, o)| o == "unchanged"),
        "{third}"
    );
    Ok(())
}
