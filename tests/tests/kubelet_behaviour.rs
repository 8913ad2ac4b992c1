//! The simulated nodes of the local cluster fail where a kubelet would: a container reading a
//! missing ConfigMap, Secret or key waits in CreateContainerConfigError, a missing ConfigMap
//! volume keeps the pod ContainerCreating, a `runAsNonRoot` container told to run as user 0 is
//! refused — each with the kubelet's own message and Warning event — and the pod starts once what
//! it needs appears. Optional references do not block; a missing claim keeps the pod unscheduled;
//! ordinary Deployments and Jobs are not affected.

use std::time::Duration;

use anyhow::{Result, bail};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Event, Pod, Secret};
use kube::api::{Api, PostParams};
use kubefiche_tests::cluster::{cluster, eventually, namespace};
use kubefiche_tests::kubelet::{On, Scene, WAIT, create, phases, pod_until, recorded, scene};
use serde_json::{Value, json};

fn pod(name: &str, spec: Value) -> Value {
    json!({ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": name }, "spec": spec })
}

fn config_map(name: &str, data: Value) -> Value {
    json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": name }, "data": data })
}

fn secret(name: &str, data: Value) -> Value {
    json!({ "apiVersion": "v1", "kind": "Secret", "metadata": { "name": name }, "stringData": data })
}

/// What `kubectl get pod` shows of a pod: phase, Ready, and the first container's waiting
/// reason and message.
#[derive(Debug, PartialEq)]
struct Seen {
    phase: String,
    ready: bool,
    waiting: Option<(String, String)>,
}

fn seen(pod: &Pod) -> Seen {
    let status = pod.status.clone().unwrap_or_default();
    let ready = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    let waiting = status
        .container_statuses
        .iter()
        .flatten()
        .find_map(|c| c.state.as_ref()?.waiting.clone())
        .map(|w| (w.reason.unwrap_or_default(), w.message.unwrap_or_default()));
    Seen {
        phase: status.phase.unwrap_or_default(),
        ready,
        waiting,
    }
}

/// Waits until the pod waits with `reason` and `message`, Pending and not Ready.
async fn waits_pending(pods: &Api<Pod>, name: &str, reason: &str, message: &str) -> Result<()> {
    let want = Seen {
        phase: "Pending".into(),
        ready: false,
        waiting: Some((reason.into(), message.into())),
    };
    pod_until(
        pods,
        name,
        &format!("Pending, waiting {reason}: {message}"),
        WAIT,
        |p| seen(p) == want,
    )
    .await
    .map(drop)
}

async fn runs_ready(pods: &Api<Pod>, name: &str) -> Result<()> {
    eventually(&format!("pod {name} Running and Ready"), WAIT, || async {
        let p = pods.get(name).await?;
        let s = seen(&p);
        let ip = p.status.and_then(|s| s.pod_ip).is_some();
        Ok((s.phase == "Running" && s.ready && s.waiting.is_none() && ip).then_some(()))
    })
    .await
}

/// Waits for the kubelet's Warning event `reason` with `message` about pod `name`.
async fn warned(events: &Api<Event>, name: &str, reason: &str, message: &str) -> Result<()> {
    recorded(events, name, On::Any, "Warning", reason, message)
        .await
        .map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn env_reference_to_a_missing_object_or_key_waits_until_it_appears() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("kubelet-env").await?;
    let n = ns.name();
    let created: Pod = create(&client, n, pod("backend", json!({ "containers": [{
        "name": "api", "image": "iris-backend:1",
        "env": [
            { "name": "LOG_LEVEL", "valueFrom": { "configMapKeyRef": { "name": "iris-config", "key": "LOG_LEVEL" } } },
            { "name": "API_KEY", "valueFrom": { "secretKeyRef": { "name": "iris-secrets", "key": "API_KEY" } } },
            { "name": "EXTRA", "valueFrom": { "secretKeyRef": { "name": "absent", "key": "X", "optional": true } } },
        ] }] }))).await?;
    let watch = phases(&pods, &created, 120, Some("Running"));

    let missing = "configmap \"iris-config\" not found";
    waits_pending(&pods, "backend", "CreateContainerConfigError", missing).await?;
    warned(&events, "backend", "Failed", &format!("Error: {missing}")).await?;
    // Still waiting a while later: nothing lets it through until the object exists.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(seen(&pods.get("backend").await?).phase, "Pending");

    create::<ConfigMap>(
        &client,
        n,
        config_map("iris-config", json!({ "OTHER": "1" })),
    )
    .await?;
    let no_key = format!("couldn't find key LOG_LEVEL in ConfigMap {n}/iris-config");
    waits_pending(&pods, "backend", "CreateContainerConfigError", &no_key).await?;
    warned(&events, "backend", "Failed", &format!("Error: {no_key}")).await?;

    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), n);
    cms.replace(
        "iris-config",
        &PostParams::default(),
        &serde_json::from_value(config_map("iris-config", json!({ "LOG_LEVEL": "info" })))?,
    )
    .await?;
    waits_pending(
        &pods,
        "backend",
        "CreateContainerConfigError",
        "secret \"iris-secrets\" not found",
    )
    .await?;

    create::<Secret>(
        &client,
        n,
        secret("iris-secrets", json!({ "API_KEY": "k" })),
    )
    .await?;
    runs_ready(&pods, "backend").await?;
    let seen_phases = watch.await??;
    assert_eq!(seen_phases.last().map(String::as_str), Some("Running"));
    assert!(
        seen_phases[..seen_phases.len() - 1]
            .iter()
            .all(|p| p == "Pending"),
        "the pod went through {seen_phases:?} before its Secret existed"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn env_from_a_missing_object_waits_and_optional_ones_do_not() -> Result<()> {
    let ns = namespace("kubelet-envfrom").await;
    let client = cluster().await.client().await?;
    let n = ns.name();
    let pods: Api<Pod> = Api::namespaced(client.clone(), n);
    create::<Pod>(
        &client,
        n,
        pod(
            "reader",
            json!({ "containers": [{
        "name": "app", "image": "app:1",
        "envFrom": [
            { "secretRef": { "name": "maybe", "optional": true } },
            { "configMapRef": { "name": "settings" } },
        ] }] }),
        ),
    )
    .await?;
    create::<Pod>(&client, n, pod("relaxed", json!({ "containers": [{
        "name": "app", "image": "app:1",
        "envFrom": [{ "configMapRef": { "name": "maybe", "optional": true } }],
        "env": [{ "name": "K", "valueFrom": { "configMapKeyRef": { "name": "nope", "key": "k", "optional": true } } }],
        "volumeMounts": [{ "name": "s", "mountPath": "/s" }] }],
        "volumes": [{ "name": "s", "secret": { "secretName": "nope", "optional": true } }] }))).await?;

    runs_ready(&pods, "relaxed").await?;
    waits_pending(
        &pods,
        "reader",
        "CreateContainerConfigError",
        "configmap \"settings\" not found",
    )
    .await?;
    create::<ConfigMap>(&client, n, config_map("settings", json!({ "MODE": "x" }))).await?;
    runs_ready(&pods, "reader").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn missing_config_map_volume_keeps_the_pod_container_creating() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("kubelet-vol").await?;
    let n = ns.name();
    create::<Pod>(
        &client,
        n,
        pod(
            "web",
            json!({
        "containers": [{ "name": "web", "image": "nginx:1.27",
            "volumeMounts": [{ "name": "conf", "mountPath": "/etc/nginx/conf.d" }] }],
        "volumes": [{ "name": "conf", "configMap": { "name": "nginx-conf" } }] }),
        ),
    )
    .await?;

    waits_pending(&pods, "web", "ContainerCreating", "").await?;
    let message =
        "MountVolume.SetUp failed for volume \"conf\" : configmap \"nginx-conf\" not found";
    warned(&events, "web", "FailedMount", message).await?;
    let p = pods.get("web").await?;
    let sandbox = p.status.and_then(|s| s.conditions).unwrap_or_default();
    assert!(
        sandbox
            .iter()
            .any(|c| c.type_ == "PodReadyToStartContainers" && c.status == "False"),
        "the sandbox waits for its volumes: {sandbox:?}"
    );

    create::<ConfigMap>(
        &client,
        n,
        config_map("nginx-conf", json!({ "default.conf": "" })),
    )
    .await?;
    runs_ready(&pods, "web").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn run_as_non_root_with_user_zero_is_refused() -> Result<()> {
    let Scene {
        ns,
        client,
        pods,
        events,
    } = scene("kubelet-root").await?;
    let n = ns.name();
    // runAsNonRoot from the pod, runAsUser from the container.
    let mixed: Pod = create(&client, n, pod("mixed", json!({
        "securityContext": { "runAsNonRoot": true },
        "containers": [{ "name": "web", "image": "nginx:1.27", "securityContext": { "runAsUser": 0 } }] }))).await?;
    let own: Pod = create(
        &client,
        n,
        pod(
            "own",
            json!({ "containers": [{ "name": "web", "image": "nginx:1.27",
        "securityContext": { "runAsNonRoot": true, "runAsUser": 0 } }] }),
        ),
    )
    .await?;
    create::<Pod>(
        &client,
        n,
        pod(
            "fine",
            json!({
        "securityContext": { "runAsNonRoot": true, "runAsUser": 1000 },
        "containers": [{ "name": "web", "image": "nginx:1.27" }] }),
        ),
    )
    .await?;

    for p in [mixed, own] {
        let name = p.metadata.name.clone().unwrap_or_default();
        let uid = p.metadata.uid.clone().unwrap_or_default();
        let message = format!(
            "container's runAsUser breaks non-root policy (pod: \"{name}_{n}({uid})\", container: web)"
        );
        waits_pending(&pods, &name, "CreateContainerConfigError", &message).await?;
        warned(&events, &name, "Failed", &format!("Error: {message}")).await?;
    }
    runs_ready(&pods, "fine").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn missing_claim_keeps_the_pod_unscheduled() -> Result<()> {
    let ns = namespace("kubelet-pvc").await;
    let client = cluster().await.client().await?;
    let n = ns.name();
    let pods: Api<Pod> = Api::namespaced(client.clone(), n);
    create::<Pod>(
        &client,
        n,
        pod(
            "db",
            json!({
        "containers": [{ "name": "db", "image": "postgres:16",
            "volumeMounts": [{ "name": "data", "mountPath": "/var/lib/postgresql" }] }],
        "volumes": [{ "name": "data", "persistentVolumeClaim": { "claimName": "db-data" } }] }),
        ),
    )
    .await?;
    eventually("pod db Unschedulable", WAIT, || async {
        let p = pods.get("db").await?;
        let status = p.status.unwrap_or_default();
        let unschedulable = status.conditions.iter().flatten().any(|c| {
            c.type_ == "PodScheduled"
                && c.status == "False"
                && c.reason.as_deref() == Some("Unschedulable")
                && c.message
                    .as_deref()
                    .is_some_and(|m| m.contains("persistentvolumeclaim \"db-data\" not found"))
        });
        Ok((unschedulable && status.phase.as_deref() == Some("Pending")).then_some(()))
    })
    .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let p = pods.get("db").await?;
    if p.spec.and_then(|s| s.node_name).is_some() {
        bail!("pod db was bound to a node although its claim does not exist");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn deployments_and_jobs_are_not_affected() -> Result<()> {
    let ns = namespace("kubelet-plain").await;
    let client = cluster().await.client().await?;
    let n = ns.name();
    create::<ConfigMap>(&client, n, config_map("app-config", json!({ "MODE": "x" }))).await?;
    let labels = json!({ "app": "web" });
    create::<Deployment>(
        &client,
        n,
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web" },
            "spec": { "replicas": 3, "selector": { "matchLabels": labels },
                "template": { "metadata": { "labels": labels }, "spec": { "containers": [{
                    "name": "web", "image": "nginx:1.27",
                    "envFrom": [{ "configMapRef": { "name": "app-config" } }] }] } } }
        }),
    )
    .await?;
    create::<Job>(
        &client,
        n,
        json!({
            "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "once" },
            "spec": { "template": { "spec": { "restartPolicy": "Never",
                "containers": [{ "name": "c", "image": "busybox", "command": ["true"] }] } } }
        }),
    )
    .await?;

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), n);
    eventually("3 ready replicas", WAIT, || async {
        let s = deployments.get("web").await?.status.unwrap_or_default();
        Ok((s.ready_replicas == Some(3)).then_some(()))
    })
    .await?;
    let jobs: Api<Job> = Api::namespaced(client, n);
    eventually("job once Complete", WAIT, || async {
        let job = jobs.get("once").await?;
        let done = job.status.and_then(|s| s.conditions).unwrap_or_default();
        Ok(done
            .iter()
            .any(|c| c.type_ == "Complete" && c.status == "True")
            .then_some(()))
    })
    .await
}
