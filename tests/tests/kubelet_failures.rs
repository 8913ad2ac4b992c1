//! The simulated nodes of the local cluster reach every failure the cluster pane explains, with a
//! kubelet's own shapes: a refused image pull (ErrImagePull, then ImagePullBackOff), an image
//! reference that cannot be parsed (InvalidImageName), a container that keeps exiting
//! (CrashLoopBackOff) or is killed for memory (OOMKilled), a Job whose pods fail until
//! BackoffLimitExceeded, and an eviction. A pod asks for a failure with the annotation
//! `kubefiche.dev/simulate` (see `xtask/cluster/README.md`); an invalid image needs none.

use std::time::Duration;

use anyhow::{Context, Result};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ListParams};
use kubefiche_tests::cluster::{cluster, eventually, namespace};
use kubefiche_tests::kubelet::{
    On, Scene, WAIT, condition, container, create, phase, phases, pod_until, ready, recorded,
    scene, waiting, waits_with,
};
use serde_json::{Value, json};

/// Long enough for a crash loop to restart twice (10 s then 20 s of back-off) or a Job to retry.
const SLOW_WAIT: Duration = Duration::from_secs(75);

/// What a registry answers, through containerd, for an image that exists nowhere.
fn refusal(reference: &str) -> String {
    format!(
        "failed to pull and unpack image \"{reference}\": failed to resolve reference \
         \"{reference}\": pull access denied, repository does not exist or may require \
         authorization: server message: insufficient_scope: authorization failed"
    )
}

/// A pod with one container `app` of `image`, annotated to simulate `simulate` (if any).
fn pod(name: &str, image: &str, simulate: Option<&str>, spec: Value) -> Value {
    let mut pod = json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": { "name": name },
        "spec": { "containers": [{ "name": "app", "image": image }] }
    });
    if let Some(value) = simulate {
        pod["metadata"]["annotations"] = json!({ "kubefiche.dev/simulate": value });
    }
    if let (Some(target), Some(extra)) = (pod["spec"].as_object_mut(), spec.as_object()) {
        for (k, v) in extra {
            target.insert(k.clone(), v.clone());
        }
    }
    pod
}

const APP: On = On::Field("spec.containers{app}");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn refused_image_pull_goes_from_err_image_pull_to_image_pull_back_off() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("fail-pull").await?;
    let n = ns.name();
    let created: Pod = create(
        &client,
        n,
        pod("mcp", "mcp-server:latest", Some("ErrImagePull"), json!({})),
    )
    .await?;
    let watch = phases(&pods, &created, 15, None);

    let refused = refusal("docker.io/library/mcp-server:latest");
    let p = waits_with(&pods, "mcp", "ErrImagePull", &refused).await?;
    assert_eq!(phase(&p), "Pending");
    assert!(!ready(&p), "a pod whose image is not pulled is not Ready");
    let image = "\"mcp-server:latest\"";
    let back_off = format!("Back-off pulling image {image}: ErrImagePull: {refused}");
    let p = waits_with(&pods, "mcp", "ImagePullBackOff", &back_off).await?;
    assert_eq!(phase(&p), "Pending");
    assert!(!ready(&p));
    assert_eq!(
        condition(&p, "Ready"),
        Some(("False".into(), "ContainersNotReady".into()))
    );

    let pulling = format!("Pulling image {image}");
    recorded(&events, "mcp", APP, "Normal", "Pulling", &pulling).await?;
    let failed = format!("Failed to pull image {image}: {refused}");
    recorded(&events, "mcp", APP, "Warning", "Failed", &failed).await?;
    recorded(
        &events,
        "mcp",
        APP,
        "Warning",
        "Failed",
        "Error: ErrImagePull",
    )
    .await?;
    let backing = format!("Back-off pulling image {image}");
    recorded(&events, "mcp", APP, "Normal", "BackOff", &backing).await?;
    recorded(
        &events,
        "mcp",
        APP,
        "Warning",
        "Failed",
        "Error: ImagePullBackOff",
    )
    .await?;

    // After the first back-off (10 s) the kubelet pulls again, and is refused again.
    let again = eventually("a second pull", WAIT, || async {
        let list = events.list(&ListParams::default()).await?;
        Ok(list
            .items
            .into_iter()
            .find(|e| e.reason.as_deref() == Some("Pulling") && e.count.unwrap_or(1) >= 2))
    })
    .await?;
    assert_eq!(again.message.as_deref(), Some(pulling.as_str()));

    let went = watch.await??;
    assert!(
        went.iter().all(|p| p == "Pending"),
        "a pod whose image is never pulled went through {went:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn invalid_image_and_never_pulled_image_do_not_start() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("fail-image").await?;
    let n = ns.name();
    // No annotation: a reference in capitals fails on every node.
    let created: Pod = create(
        &client,
        n,
        pod("caps", "Mcp-Server:latest", None, json!({})),
    )
    .await?;
    let watch = phases(&pods, &created, 8, None);
    create::<Pod>(
        &client,
        n,
        pod(
            "local",
            "mcp-server:latest",
            Some("ErrImagePull"),
            json!({ "containers": [{ "name": "app", "image": "mcp-server:latest",
                "imagePullPolicy": "Never" }] }),
        ),
    )
    .await?;
    // An annotation value that names nothing known changes nothing.
    create::<Pod>(
        &client,
        n,
        pod("typo", "nginx:1.27", Some("Crash"), json!({})),
    )
    .await?;

    let invalid = "Failed to apply default image tag \"Mcp-Server:latest\": couldn't parse image \
                   name \"Mcp-Server:latest\": invalid reference format: repository name \
                   (library/Mcp-Server) must be lowercase";
    let p = waits_with(&pods, "caps", "InvalidImageName", invalid).await?;
    assert!(!ready(&p));
    recorded(&events, "caps", APP, "Warning", "InspectFailed", invalid).await?;
    recorded(
        &events,
        "caps",
        APP,
        "Warning",
        "Failed",
        "Error: InvalidImageName",
    )
    .await?;

    let absent = "Container image \"mcp-server:latest\" is not present with pull policy of Never";
    waits_with(&pods, "local", "ErrImageNeverPull", absent).await?;
    recorded(
        &events,
        "local",
        APP,
        "Warning",
        "ErrImageNeverPull",
        absent,
    )
    .await?;
    recorded(
        &events,
        "local",
        APP,
        "Warning",
        "Failed",
        "Error: ErrImageNeverPull",
    )
    .await?;

    pod_until(&pods, "typo", "Running and Ready", WAIT, |p| {
        phase(p) == "Running" && ready(p)
    })
    .await?;
    let went = watch.await??;
    assert!(
        went.iter().all(|p| p == "Pending"),
        "a pod with an invalid image went through {went:?}"
    );
    Ok(())
}

/// The last termination of the first container: exit code, reason, and whether it has its times.
fn last_exit(pod: &Pod) -> Option<(i32, String, bool)> {
    let t = container(pod)?.last_state?.terminated?;
    let timed = t.started_at.is_some() && t.finished_at.is_some();
    Some((t.exit_code, t.reason.unwrap_or_default(), timed))
}

fn restarts(pod: &Pod) -> i32 {
    container(pod).map_or(0, |c| c.restart_count)
}

/// Checks a crash loop on pod `name`: it restarts once at once, then waits 10 s, then 20 s,
/// each last exit being `exit_code`/`reason`, with the kubelet's BackOff events.
async fn crash_loops(
    pods: &Api<Pod>,
    events: &Api<Event>,
    name: &str,
    exit_code: i32,
    reason: &str,
) -> Result<()> {
    let p = pods.get(name).await?;
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let ns = p.metadata.namespace.clone().unwrap_or_default();
    let pod_id = format!("{name}_{ns}({uid})");
    let exit = Some((exit_code, reason.to_owned(), true));

    for (restart_count, delay) in [(1, "10s"), (2, "20s")] {
        let message = format!("back-off {delay} restarting failed container=app pod={pod_id}");
        let want = Some(("CrashLoopBackOff".to_owned(), message.clone()));
        let p = pod_until(pods, name, &message, SLOW_WAIT, |p| {
            waiting(p) == want && restarts(p) == restart_count
        })
        .await?;
        assert_eq!(last_exit(&p), exit, "last state of {name}");
        assert_eq!(phase(&p), "Running", "a crash-looping pod stays Running");
        assert_eq!(
            condition(&p, "Ready"),
            Some(("False".into(), "ContainersNotReady".into()))
        );
    }
    let back_off = format!("Back-off restarting failed container app in pod {pod_id}");
    let event = recorded(events, name, APP, "Warning", "BackOff", &back_off).await?;
    assert!(
        event.count.unwrap_or(1) >= 2,
        "one BackOff per wait: {event:?}"
    );
    // The restart after the back-off runs again, until the next exit.
    pod_until(pods, name, "restarted a third time", SLOW_WAIT, |p| {
        restarts(p) >= 3
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn crashing_container_goes_into_crash_loop_back_off() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("fail-crash").await?;
    let n = ns.name();
    create::<Pod>(
        &client,
        n,
        pod("api", "iris-backend:1", Some("CrashLoopBackOff"), json!({})),
    )
    .await?;
    // It starts (and is Ready) before its first exit, as a crashing container does.
    pod_until(&pods, "api", "Running and Ready", WAIT, |p| {
        phase(p) == "Running" && ready(p)
    })
    .await?;
    pod_until(&pods, "api", "terminated with Error", WAIT, |p| {
        container(p)
            .and_then(|c| c.state?.terminated)
            .is_some_and(|t| t.exit_code == 1 && t.reason.as_deref() == Some("Error"))
    })
    .await?;
    crash_loops(&pods, &events, "api", 1, "Error").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn container_killed_for_memory_shows_oom_killed_in_a_deployment() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("fail-oom").await?;
    let n = ns.name();
    let labels = json!({ "app": "hog" });
    create::<Deployment>(
        &client,
        n,
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "hog" },
            "spec": { "replicas": 1, "selector": { "matchLabels": labels },
                "template": {
                    "metadata": { "labels": labels,
                        "annotations": { "kubefiche.dev/simulate": "OOMKilled" } },
                    "spec": { "containers": [{ "name": "app", "image": "hog:1",
                        "resources": { "limits": { "memory": "64Mi" } } }] } } }
        }),
    )
    .await?;
    let name = eventually("the Deployment's pod", WAIT, || async {
        let list = pods.list(&ListParams::default().labels("app=hog")).await?;
        Ok(list.items.first().and_then(|p| p.metadata.name.clone()))
    })
    .await?;
    crash_loops(&pods, &events, &name, 137, "OOMKilled").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn failing_job_pods_end_in_backoff_limit_exceeded() -> Result<()> {
    let ns = namespace("fail-job").await;
    let client = cluster().await.client().await?;
    let n = ns.name();
    let pods: Api<Pod> = Api::namespaced(client.clone(), n);
    create::<Job>(
        &client,
        n,
        json!({
            "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "migrate" },
            "spec": { "backoffLimit": 1, "template": {
                "metadata": { "annotations": { "kubefiche.dev/simulate": "Error" } },
                "spec": { "restartPolicy": "Never",
                    "containers": [{ "name": "app", "image": "migrate:1" }] } } }
        }),
    )
    .await?;
    let jobs: Api<Job> = Api::namespaced(client.clone(), n);
    let job = eventually("job migrate Failed", SLOW_WAIT, || async {
        let job = jobs.get("migrate").await?;
        let conditions = job
            .status
            .as_ref()
            .and_then(|s| s.conditions.clone())
            .unwrap_or_default();
        Ok(conditions
            .iter()
            .any(|c| c.type_ == "Failed" && c.status == "True")
            .then_some(job))
    })
    .await?;
    let status = job.status.unwrap_or_default();
    let failed = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Failed")
        .and_then(|c| c.reason.clone());
    assert_eq!(failed.as_deref(), Some("BackoffLimitExceeded"));
    assert_eq!(
        status.failed,
        Some(2),
        "the first pod and one retry: {status:?}"
    );
    assert_eq!(status.succeeded.unwrap_or(0), 0);

    let list = pods
        .list(&ListParams::default().labels("job-name=migrate"))
        .await?;
    assert!(!list.items.is_empty(), "the Job's pods are kept");
    for p in &list.items {
        assert_eq!(phase(p), "Failed", "{:?}", p.metadata.name);
        let t = container(p).and_then(|c| c.state?.terminated);
        let t = t.with_context(|| format!("{:?} has no terminated state", p.metadata.name))?;
        assert_eq!((t.exit_code, t.reason.as_deref()), (1, Some("Error")));
        assert_eq!(
            condition(p, "Ready"),
            Some(("False".into(), "PodFailed".into()))
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn node_low_on_memory_evicts_the_pod() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("fail-evict").await?;
    let n = ns.name();
    create::<Pod>(
        &client,
        n,
        pod(
            "cache",
            "redis:7",
            Some("Evicted"),
            json!({ "containers": [{ "name": "app", "image": "redis:7",
                "resources": { "requests": { "memory": "256Mi" } } }] }),
        ),
    )
    .await?;
    pod_until(&pods, "cache", "Running", WAIT, |p| phase(p) == "Running").await?;
    let p = pod_until(&pods, "cache", "Failed", WAIT, |p| phase(p) == "Failed").await?;
    let status = p.status.clone().unwrap_or_default();
    let message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: \
                   87204Ki. Container app was using 1280Mi, request is 256Mi, has larger \
                   consumption of memory. ";
    assert_eq!(status.reason.as_deref(), Some("Evicted"));
    assert_eq!(status.message.as_deref(), Some(message));
    assert_eq!(
        condition(&p, "DisruptionTarget"),
        Some(("True".into(), "TerminationByKubelet".into()))
    );
    assert_eq!(
        condition(&p, "Ready"),
        Some(("False".into(), "PodFailed".into()))
    );
    let killed = container(&p).and_then(|c| c.state?.terminated);
    assert_eq!(killed.map(|t| t.exit_code), Some(137));
    let event = recorded(&events, "cache", On::Pod, "Warning", "Evicted", message).await?;
    let annotations = event.metadata.annotations.unwrap_or_default();
    assert_eq!(
        annotations.get("offending_containers").map(String::as_str),
        Some("app")
    );
    Ok(())
}
