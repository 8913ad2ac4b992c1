//! The live stream (`POST /api/stream`) against the real API server, folded as the page folds it:
//! each watched kind appears, changes and disappears within a second of the cluster; ownership is
//! right (a Deployment scaled 1→5→3, a CronJob that fired twice plus a manual Job, a claim bound
//! and mounted); a tab that reconnects, a tab that stays open while the proxy's own watches break,
//! and a tab too slow to keep up all end equal to `kubectl get`; a Secret's values never travel.

use std::time::Duration;

use anyhow::Result;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams};
use kubefiche_core::live::relations;
use kubefiche_core::live::{Facts, Live, ObjectKey};
use kubefiche_core::wire::Health;
use kubefiche_tests::cluster::{TestCluster, cluster, eventually, namespace};
use kubefiche_tests::cut::client_through;
use kubefiche_tests::live::tree::tree_settles;
use kubefiche_tests::live::{Lag, Tab, equals_cluster, kubectl_in};
use kubefiche_tests::proxy::{router, router_with};
use serde_json::json;

/// How long after the cluster the stream may show a change.
const WITHIN: Duration = Duration::from_secs(1);
const WAIT: Duration = Duration::from_secs(60);
/// What the probe Secret holds: it must never reach the page.
const SECRET_VALUE: &str = "kf-never-shown-7f3a9c";

/// Runs kubectl in `ns`, then waits until the stream satisfies `check`.
async fn lag(
    tab: &Tab,
    ns: &str,
    args: &[&str],
    stdin: Option<&str>,
    what: &str,
    check: impl Fn(&Live) -> bool,
) -> Result<Lag> {
    tab.after(
        kubectl_in(cluster().await, ns, args, stdin),
        what,
        WAIT,
        check,
    )
    .await
}

/// One kind as a learner meets it: a manifest, and what the stream holds once it exists.
struct Case {
    kind: &'static str,
    name: &'static str,
    manifest: String,
}

fn cases(ns: &str) -> Vec<Case> {
    let pod_spec = "containers:\n  - name: app\n    image: busybox:1.36";
    let case = |kind, name, manifest: String| Case {
        kind,
        name,
        manifest,
    };
    vec![
        case("ConfigMap", "probe-cm", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe-cm\ndata:\n  mode: demo\n".into()),
        case("Secret", "probe-secret", format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: probe-secret\nstringData:\n  password: {SECRET_VALUE}\n")),
        case("PersistentVolumeClaim", "probe-claim", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: probe-claim\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n".into()),
        case("Service", "probe-svc", "apiVersion: v1\nkind: Service\nmetadata:\n  name: probe-svc\nspec:\n  selector:\n    app: probe\n  ports:\n  - port: 80\n".into()),
        case("Pod", "probe-pod", format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe-pod\nspec:\n  {}\n", pod_spec.replace('\n', "\n  "))),
        case("Deployment", "probe-deploy", format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: probe-deploy\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: probe-deploy\n  template:\n    metadata:\n      labels:\n        app: probe-deploy\n    spec:\n      {}\n", pod_spec.replace('\n', "\n      "))),
        case("Job", "probe-job", format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: probe-job\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      {}\n", pod_spec.replace('\n', "\n      "))),
        case("CronJob", "probe-cron", format!("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: probe-cron\nspec:\n  schedule: \"0 0 1 1 *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          {}\n", pod_spec.replace('\n', "\n          "))),
        case("Event", "probe-event", format!("apiVersion: v1\nkind: Event\nmetadata:\n  name: probe-event\ninvolvedObject:\n  apiVersion: v1\n  kind: ConfigMap\n  name: probe-cm\n  namespace: {ns}\nreason: Probe\nmessage: first\ntype: Normal\nsource:\n  component: kubefiche-tests\n")),
    ]
}

fn probe_event(live: &Live, message: &str) -> bool {
    live.events(None)
        .iter()
        .any(|e| e.reason == "Probe" && e.message == message)
}

fn labelled(live: &Live, kind: &str, name: &str) -> bool {
    live.get(kind, name)
        .is_some_and(|o| o.labels.iter().any(|(k, v)| k == "step" && v == "changed"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn each_kind_appears_changes_and_disappears_within_a_second() -> Result<()> {
    let ns = namespace("live-kinds").await;
    let cluster = cluster().await;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    tab.started().await?;
    let mut rows = Vec::new();
    for case in cases(ns.name()) {
        let (kind, name) = (case.kind, case.name);
        let event = kind == "Event";
        let apply = ["apply", "-f", "-"];
        let appears = lag(
            &tab,
            ns.name(),
            &apply,
            Some(&case.manifest),
            &format!("{kind}/{name} created"),
            |live| {
                if event {
                    return probe_event(live, "first");
                }
                let owned_rs = kind != "Deployment"
                    || relations::owned(live, &ObjectKey::new(kind, name))
                        .iter()
                        .any(|o| o.kind == "ReplicaSet");
                live.get(kind, name).is_some() && owned_rs
            },
        )
        .await?;
        let second = case.manifest.replace("message: first", "message: second");
        let (args, stdin) = if event {
            (apply.to_vec(), Some(second.as_str()))
        } else {
            (vec!["label", kind, name, "step=changed"], None)
        };
        let changes = lag(
            &tab,
            ns.name(),
            &args,
            stdin,
            &format!("{kind}/{name} changed"),
            |live| {
                if event {
                    probe_event(live, "second")
                } else {
                    labelled(live, kind, name)
                }
            },
        )
        .await?;
        // kubectl waits until the object is gone from the cluster.
        let goes = lag(
            &tab,
            ns.name(),
            &["delete", kind, name],
            None,
            &format!("{kind}/{name} deleted"),
            |live| {
                if event {
                    !probe_event(live, "second")
                } else {
                    live.get(kind, name).is_none()
                }
            },
        )
        .await?;
        rows.push((kind, [appears, changes, goes]));
    }
    println!("ms from the kubectl call returning (from it starting) to the stream showing it:");
    println!(
        "{:<22} {:>11} {:>11} {:>11}",
        "kind", "appears", "changes", "goes"
    );
    for (kind, [a, c, d]) in &rows {
        println!("{kind:<22} {a:>11} {c:>11} {d:>11}");
    }
    let slow: Vec<_> = rows
        .iter()
        .filter(|(_, lags)| lags.iter().any(|l| l.returned > WITHIN))
        .collect();
    assert!(
        slow.is_empty(),
        "later than {WITHIN:?} after the cluster: {slow:?}"
    );

    // What the Deployment and the Job owned goes too (the garbage collector, not timed).
    tab.until("the probes' ReplicaSets and pods gone", WAIT, |live| {
        live.objects().all(|o| !o.name.starts_with("probe-"))
    })
    .await?;
    let raw = tab.raw();
    assert!(raw.contains("probe-secret") && raw.contains("password"));
    let encoded = "a2YtbmV2ZXItc2hvd24tN2YzYTlj"; // base64 of SECRET_VALUE
    assert!(
        !raw.contains(SECRET_VALUE) && !raw.contains(encoded),
        "a Secret's value reached the stream"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_deployment_scaled_1_5_3_owns_one_replicaset_with_exactly_the_live_pods() -> Result<()> {
    let ns = namespace("live-scale").await;
    let cluster = cluster().await;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(deployment)).await?;
    for replicas in [1_usize, 5, 3] {
        if replicas != 1 {
            let to = format!("--replicas={replicas}");
            kubectl_in(cluster, ns.name(), &["scale", "deployment/web", &to], None).await?;
        }
        let top = ObjectKey::new("Deployment", "web");
        tree_settles(&tab, cluster, ns.name(), top, WAIT, |node, live| {
            let [rs] = node.children.as_slice() else {
                return Some(format!("{} ReplicaSets under web", node.children.len()));
            };
            let running = rs
                .children
                .iter()
                .filter(|p| {
                    live.get(&p.key.kind, &p.key.name)
                        .and_then(|o| o.pod())
                        .is_some_and(|p| p.row.status == "Running")
                })
                .count();
            (rs.children.len() != replicas || running != replicas).then(|| {
                format!(
                    "{running} running of {} pods, not {replicas}",
                    rs.children.len()
                )
            })
        })
        .await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_cronjob_that_fired_twice_and_a_manual_job_own_their_jobs_and_pods() -> Result<()> {
    let ns = namespace("live-cron").await;
    let cluster = cluster().await;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"* * * * *\"\n  successfulJobsHistoryLimit: 5\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: tick\n            image: busybox:1.36\n            command: [date]\n";
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(cron)).await?;
    kubectl_in(
        cluster,
        ns.name(),
        &["create", "job", "by-hand", "--from=cronjob/tick"],
        None,
    )
    .await?;
    // Two firings take up to two minutes (the schedule runs at the top of each minute).
    let top = ObjectKey::new("CronJob", "tick");
    let node = tree_settles(
        &tab,
        cluster,
        ns.name(),
        top,
        Duration::from_secs(150),
        |node, _| {
            let fired = node
                .children
                .iter()
                .filter(|j| j.key.name != "by-hand")
                .count();
            let manual = node.children.iter().any(|j| j.key.name == "by-hand");
            let podless = node.children.iter().find(|j| j.children.is_empty());
            match podless {
                _ if fired < 2 || !manual => Some(format!(
                    "jobs under tick: {:?}",
                    node.children
                        .iter()
                        .map(|j| &j.key.name)
                        .collect::<Vec<_>>()
                )),
                Some(job) => Some(format!("{} has no pod", job.key.name)),
                None => None,
            }
        },
    )
    .await?;
    assert!(node.children.iter().all(|j| j.key.kind == "Job"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_claim_bound_and_mounted_by_its_pod() -> Result<()> {
    let ns = namespace("live-claim").await;
    let cluster = cluster().await;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    let manifests = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 10Mi\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: postgres:16\n    volumeMounts:\n    - name: data\n      mountPath: /var/lib/postgresql/data\n  volumes:\n  - name: data\n    persistentVolumeClaim:\n      claimName: data\n";
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(manifests)).await?;
    tab.until(
        "the claim bound and mounted by the running pod",
        WAIT,
        |live| {
            let bound = live.get("PersistentVolumeClaim", "data").is_some_and(
                |c| matches!(&c.facts, Facts::Claim(f) if f.phase == "Bound" && f.volume.is_some()),
            );
            let mounting: Vec<&str> = relations::mounting(live, "data")
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            let running = live
                .get("Pod", "db")
                .and_then(|p| p.pod())
                .is_some_and(|p| p.row.status == "Running");
            bound && mounting == ["db"] && running
        },
    )
    .await?;
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    Ok(())
}

const START: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: \"1\"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: \"1\"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: t\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";

/// Creations, changes and deletions of several kinds, while a tab is away or cut off.
async fn change_everything(cluster: &TestCluster, ns: &str) -> Result<()> {
    let more = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: \"2\"\n  extra: x\n";
    kubectl_in(cluster, ns, &["apply", "-f", "-"], Some(more)).await?;
    kubectl_in(
        cluster,
        ns,
        &["label", "configmap", "a", "step=changed"],
        None,
    )
    .await?;
    kubectl_in(cluster, ns, &["delete", "configmap", "c"], None).await?;
    kubectl_in(cluster, ns, &["delete", "service", "web"], None).await?;
    kubectl_in(
        cluster,
        ns,
        &["scale", "deployment/web", "--replicas=4"],
        None,
    )
    .await?;
    kubectl_in(
        cluster,
        ns,
        &["create", "job", "once", "--image=busybox:1.36"],
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_tab_that_reconnects_after_changes_equals_kubectl_get() -> Result<()> {
    let ns = namespace("live-resume").await;
    let cluster = cluster().await;
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(START)).await?;
    let app = router(cluster, ns.name()).await?;
    let first = Tab::open(&app).await?;
    equals_cluster(&first, cluster, ns.name(), WAIT).await?;
    drop(first);
    change_everything(cluster, ns.name()).await?;
    let again = Tab::open(&app).await?;
    let view = equals_cluster(&again, cluster, ns.name(), WAIT).await?;
    assert!(view.objects.contains_key(&ObjectKey::new("ConfigMap", "d")));
    assert!(!view.objects.contains_key(&ObjectKey::new("ConfigMap", "c")));
    assert_eq!(again.folded().snapshots, 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_tab_stays_right_while_the_proxys_watches_break_and_resume() -> Result<()> {
    let ns = namespace("live-cut").await;
    let cluster = cluster().await;
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(START)).await?;
    let (client, relay) = client_through(cluster).await?;
    let app = router_with(cluster, ns.name(), client).await?;
    let tab = Tab::open(&app).await?;
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    relay.cut();
    change_everything(cluster, ns.name()).await?;
    eventually("the tab to be told the watch broke", WAIT, || async {
        Ok((tab.live().health() != &Health::Live).then_some(()))
    })
    .await?;
    relay.restore();
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    tab.until("live again", WAIT, |live| live.health() == &Health::Live)
        .await?;
    assert_eq!(
        tab.folded().snapshots,
        1,
        "the open tab caught up without a new snapshot"
    );
    let fresh = Tab::open(&app).await?;
    equals_cluster(&fresh, cluster, ns.name(), WAIT).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_tab_too_slow_to_keep_up_gets_a_fresh_snapshot() -> Result<()> {
    let ns = namespace("live-slow").await;
    let cluster = cluster().await;
    let client = cluster.client().await?;
    let maps: Api<ConfigMap> = Api::namespaced(client, ns.name());
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    tab.started().await?;
    tab.pause(true);
    // More changes than the proxy keeps for a tab (1024), while it reads nothing.
    futures::stream::iter(0..1100)
        .map(|i| {
            let maps = maps.clone();
            async move {
                let name = format!("busy-{}", i % 20);
                let patch = json!({
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": { "name": name, "labels": { "round": i.to_string() } }
                });
                maps.patch(
                    &name,
                    &PatchParams::apply("kubefiche-tests").force(),
                    &Patch::Apply(patch),
                )
                .await
            }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await?;
    tab.pause(false);
    eventually("a second snapshot", WAIT, || async {
        Ok((tab.folded().snapshots >= 2).then_some(()))
    })
    .await?;
    equals_cluster(&tab, cluster, ns.name(), WAIT).await?;
    let folded = tab.folded();
    assert!(
        folded.received < 1100,
        "the slow tab got a snapshot instead of every change ({} events)",
        folded.received
    );
    Ok(())
}
