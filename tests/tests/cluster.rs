//! The local cluster behaves like a real one for what the course needs: Deployments roll out and
//! scale, Services get endpoints, claims bind, Jobs complete, CronJobs fire, events are recorded.

use std::time::Duration;

use anyhow::Result;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, PersistentVolume, PersistentVolumeClaim, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Client;
use kube::api::{Api, ListParams, Patch, PatchParams};
use kube::core::NamespaceResourceScope;
use kubefiche_tests::cluster::{cluster, eventually, namespace};
use serde_json::json;

const MANAGER: &str = "kubefiche-tests";

async fn apply<K>(client: &Client, ns: &str, value: serde_json::Value) -> Result<K>
where
    K: kube::Resource<Scope = NamespaceResourceScope, DynamicType = ()>
        + Clone
        + k8s_openapi::serde::de::DeserializeOwned
        + k8s_openapi::serde::Serialize
        + std::fmt::Debug,
{
    let name = value["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    Ok(api
        .patch(
            &name,
            &PatchParams::apply(MANAGER).force(),
            &Patch::Apply(value),
        )
        .await?)
}

fn job_succeeded(job: &Job) -> bool {
    job.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c.type_ == "Complete" && c.status == "True")
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn deployment_rolls_out_scales_and_gets_endpoints() -> Result<()> {
    let ns = namespace("deploy").await;
    let client = cluster().await.client().await?;
    let labels = json!({ "app": "web" });
    apply::<Deployment>(
        &client,
        ns.name(),
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": "web" },
            "spec": {
                "replicas": 5,
                "selector": { "matchLabels": labels },
                "template": {
                    "metadata": { "labels": labels },
                    "spec": { "containers": [{ "name": "web", "image": "nginx:1.27",
                        "ports": [{ "containerPort": 80 }],
                        "resources": { "requests": { "cpu": "100m", "memory": "128Mi" } } }] }
                }
            }
        }),
    )
    .await?;
    apply::<Service>(
        &client,
        ns.name(),
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": { "name": "web" },
            "spec": { "selector": labels, "ports": [{ "port": 80, "targetPort": 80 }] }
        }),
    )
    .await?;

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns.name());
    let ready = |want: i32| {
        let deployments = deployments.clone();
        async move {
            let d = deployments.get("web").await?;
            let s = d.status.unwrap_or_default();
            Ok((s.ready_replicas == Some(want) && s.replicas == Some(want)).then_some(()))
        }
    };
    eventually("5 ready replicas", Duration::from_secs(60), || ready(5)).await?;

    let slices: Api<EndpointSlice> = Api::namespaced(client.clone(), ns.name());
    eventually(
        "5 ready endpoints for Service web",
        Duration::from_secs(60),
        || async {
            let list = slices
                .list(&ListParams::default().labels("kubernetes.io/service-name=web"))
                .await?;
            let n = list
                .items
                .iter()
                .flat_map(|s| s.endpoints.iter().flatten())
                .filter(|e| {
                    e.conditions.as_ref().and_then(|c| c.ready) == Some(true)
                        && !e.addresses.is_empty()
                })
                .count();
            Ok((n == 5).then_some(()))
        },
    )
    .await?;

    cluster()
        .await
        .kubectl(
            &["-n", ns.name(), "scale", "deployment/web", "--replicas=2"],
            None,
        )
        .await?;
    eventually("scaled down to 2", Duration::from_secs(60), || ready(2)).await?;

    let events: Api<Event> = Api::namespaced(client, ns.name());
    eventually(
        "events recorded (ScalingReplicaSet, Scheduled)",
        Duration::from_secs(30),
        || async {
            let list = events.list(&ListParams::default()).await?;
            let reasons: Vec<_> = list.items.iter().filter_map(|e| e.reason.clone()).collect();
            Ok((reasons.iter().any(|r| r == "ScalingReplicaSet")
                && reasons.iter().any(|r| r == "Scheduled"))
            .then_some(()))
        },
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn claim_without_class_binds() -> Result<()> {
    let ns = namespace("pvc").await;
    let client = cluster().await.client().await?;
    apply::<PersistentVolumeClaim>(&client, ns.name(), json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": { "name": "data" },
        "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "1Gi" } } }
    }))
    .await?;
    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), ns.name());
    let volume = eventually("claim data Bound", Duration::from_secs(60), || async {
        let c = claims.get("data").await?;
        let bound = c.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
        Ok(bound.then(|| c.spec.and_then(|s| s.volume_name)).flatten())
    })
    .await?;
    let pv = Api::<PersistentVolume>::all(client).get(&volume).await?;
    let spec = pv.spec.unwrap_or_default();
    assert_eq!(spec.storage_class_name.as_deref(), Some("standard"));
    assert!(spec.host_path.is_some(), "the volume is a hostPath volume");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn job_completes() -> Result<()> {
    let ns = namespace("job").await;
    let client = cluster().await.client().await?;
    apply::<Job>(
        &client,
        ns.name(),
        json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": { "name": "once" },
            "spec": { "template": { "spec": { "restartPolicy": "Never",
                "containers": [{ "name": "c", "image": "busybox", "command": ["true"] }] } } }
        }),
    )
    .await?;
    let jobs: Api<Job> = Api::namespaced(client, ns.name());
    eventually("job once Complete", Duration::from_secs(60), || async {
        Ok(job_succeeded(&jobs.get("once").await?).then_some(()))
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn cronjob_fires_and_can_be_triggered() -> Result<()> {
    let ns = namespace("cron").await;
    let tc = cluster().await;
    let client = tc.client().await?;
    apply::<CronJob>(&client, ns.name(), json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": { "name": "tick" },
        "spec": { "schedule": "*/1 * * * *", "concurrencyPolicy": "Forbid",
            "jobTemplate": { "spec": { "template": { "spec": { "restartPolicy": "OnFailure",
                "containers": [{ "name": "c", "image": "busybox", "command": ["date"] }] } } } } }
    }))
    .await?;
    tc.kubectl(
        &[
            "-n",
            ns.name(),
            "create",
            "job",
            "tick-manual",
            "--from=cronjob/tick",
        ],
        None,
    )
    .await?;
    let jobs: Api<Job> = Api::namespaced(client, ns.name());
    eventually(
        "job tick-manual Complete",
        Duration::from_secs(60),
        || async { Ok(job_succeeded(&jobs.get("tick-manual").await?).then_some(())) },
    )
    .await?;
    eventually(
        "a scheduled Job of CronJob tick completes",
        Duration::from_secs(80),
        || async {
            let list = jobs.list(&ListParams::default()).await?;
            let scheduled = list.items.iter().any(|j| {
                let by_cron = j
                    .metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.kind == "CronJob" && o.name == "tick");
                by_cron && j.metadata.name.as_deref() != Some("tick-manual") && job_succeeded(j)
            });
            Ok(scheduled.then_some(()))
        },
    )
    .await?;
    Ok(())
}
