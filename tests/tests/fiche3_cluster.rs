//! Fiche 3 walked through on the local cluster, with the manifests taken from the worksheet itself
//! (`public/fiches/fiche-3.md`, the copy the app ships) and the Iris backend from `tests/fixtures/fiche-3-server.yaml`.
//!
//! The worksheet's `mcp-server-svc` asks for nodePort 30900, which is cluster-wide: two namespaces
//! applying it at once would collide. The test copy drops the `nodePort:` line, so the API server
//! picks a free port; the Service stays `type: NodePort`.

use std::time::Duration;

use anyhow::Result;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim, Pod, Secret, Service};
use kube::api::{Api, ListParams};
use kubefiche_tests::cluster::{cluster, eventually, namespace};
use kubefiche_tests::fiche3::{self, FILES, manifest};

fn ready_replicas(d: &Deployment) -> i32 {
    d.status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn fiche3_walk() -> Result<()> {
    let markdown = fiche3::markdown()?;
    let server_yaml = fiche3::server()?;
    let ns = namespace("fiche3").await;
    let tc = cluster().await;
    let kubectl = |args: Vec<&str>, stdin: Option<String>| {
        let mut full = vec!["-n", ns.name()];
        full.extend(args);
        let owned: Vec<String> = full.iter().map(|s| (*s).to_owned()).collect();
        async move {
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            tc.kubectl(&refs, stdin.as_deref()).await
        }
    };

    // 1. Configuration & Secrets, then the backend that uses them.
    kubectl(
        vec!["apply", "-f", "-"],
        Some(manifest(&markdown, "config")?),
    )
    .await?;
    kubectl(
        vec![
            "create",
            "secret",
            "generic",
            "iris-secrets",
            "--from-literal=api-key=supersecretkey123",
        ],
        None,
    )
    .await?;
    kubectl(vec!["apply", "-f", "-"], Some(server_yaml)).await?;
    // 2. PostgreSQL with its claim; 3. the CronJob; 4. the MCP server and the agent.
    kubectl(
        vec!["apply", "-f", "-"],
        Some(manifest(&markdown, "postgres")?),
    )
    .await?;
    kubectl(
        vec!["apply", "-f", "-"],
        Some(manifest(&markdown, "cronjob")?),
    )
    .await?;
    let mcp = manifest(&markdown, "mcp-server")?;
    assert!(
        mcp.contains("nodePort: 30900"),
        "the fiche's mcp-server.yaml changed"
    );
    let mcp = fiche3::without_node_port(&mcp);
    kubectl(vec!["apply", "-f", "-"], Some(mcp)).await?;
    kubectl(
        vec!["apply", "-f", "-"],
        Some(manifest(&markdown, "agent")?),
    )
    .await?;
    for file in FILES {
        manifest(&markdown, file)?; // every block the fiche names was found
    }

    let client = tc.client().await?;
    let cm = Api::<ConfigMap>::namespaced(client.clone(), ns.name())
        .get("iris-config")
        .await?;
    assert_eq!(
        cm.data
            .unwrap_or_default()
            .get("API_NAME")
            .map(String::as_str),
        Some("Iris Predictor")
    );
    let secret = Api::<Secret>::namespaced(client.clone(), ns.name())
        .get("iris-secrets")
        .await?;
    let key = secret
        .data
        .unwrap_or_default()
        .get("api-key")
        .map(|b| b.0.clone())
        .unwrap_or_default();
    assert_eq!(key, b"supersecretkey123");

    let claims: Api<PersistentVolumeClaim> = Api::namespaced(client.clone(), ns.name());
    eventually("postgres-pvc Bound", Duration::from_secs(60), || async {
        let c = claims.get("postgres-pvc").await?;
        Ok((c.status.and_then(|s| s.phase).as_deref() == Some("Bound")).then_some(()))
    })
    .await?;

    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns.name());
    for name in [
        "mlops-server",
        "postgres-db",
        "mcp-server",
        "pydantic-agent",
    ] {
        eventually(
            &format!("deployment {name} ready"),
            Duration::from_secs(60),
            || async { Ok((ready_replicas(&deployments.get(name).await?) == 1).then_some(())) },
        )
        .await?;
    }
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns.name());
    let running = pods
        .list(&ListParams::default().labels("app=postgres"))
        .await?;
    assert!(
        running
            .items
            .iter()
            .any(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
    );

    let svc = Api::<Service>::namespaced(client.clone(), ns.name())
        .get("mcp-server-svc")
        .await?;
    assert_eq!(svc.spec.and_then(|s| s.type_).as_deref(), Some("NodePort"));

    // The fiche's scaling exercise.
    kubectl(
        vec!["scale", "deployment", "pydantic-agent", "--replicas=5"],
        None,
    )
    .await?;
    kubectl(
        vec!["scale", "deployment", "mcp-server", "--replicas=3"],
        None,
    )
    .await?;
    for (name, want) in [("pydantic-agent", 5), ("mcp-server", 3)] {
        eventually(
            &format!("{name} at {want} ready"),
            Duration::from_secs(60),
            || async { Ok((ready_replicas(&deployments.get(name).await?) == want).then_some(())) },
        )
        .await?;
    }

    // The manual run of the CronJob, then a scheduled one.
    kubectl(
        vec![
            "create",
            "job",
            "iris-retrainer-manual",
            "--from=cronjob/iris-retrainer",
        ],
        None,
    )
    .await?;
    let jobs: Api<Job> = Api::namespaced(client, ns.name());
    let done = |j: &Job| j.status.as_ref().and_then(|s| s.succeeded).unwrap_or(0) >= 1;
    eventually(
        "iris-retrainer-manual completes",
        Duration::from_secs(60),
        || async { Ok(done(&jobs.get("iris-retrainer-manual").await?).then_some(())) },
    )
    .await?;
    eventually(
        "a scheduled iris-retrainer Job completes",
        Duration::from_secs(80),
        || async {
            let list = jobs.list(&ListParams::default()).await?;
            Ok(list
                .items
                .iter()
                .any(|j| {
                    j.metadata.name.as_deref() != Some("iris-retrainer-manual")
                        && j.metadata
                            .name
                            .as_deref()
                            .is_some_and(|n| n.starts_with("iris-retrainer-"))
                        && done(j)
                })
                .then_some(()))
        },
    )
    .await?;
    Ok(())
}
