//! The namespace whose pods the bundled cluster's simulated nodes serve logs and exec for
//! (see `xtask/cluster/README.md`), and pods running in it.

use std::time::Duration;

use anyhow::Result;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::Client;
use kube::api::{Api, PostParams};
use serde_json::json;

use crate::cluster::eventually;

/// Pods here get logs (`.kubefiche/cluster/plumbing/container.log`) and exec (on this machine).
pub const PLUMBING: &str = "kubefiche-plumbing";

/// Creates the plumbing namespace when it is missing (it is shared and never deleted) and waits
/// until it can be used.
pub async fn plumbing_namespace(client: &Client) -> Result<()> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    eventually(
        "the plumbing namespace to be usable",
        Duration::from_secs(60),
        || async {
            match namespaces.get_opt(PLUMBING).await? {
                Some(ns) if ns.metadata.deletion_timestamp.is_some() => Ok(None),
                Some(_) => Ok(Some(())),
                None => {
                    let ns: Namespace =
                        serde_json::from_value(json!({ "metadata": { "name": PLUMBING } }))?;
                    match namespaces.create(&PostParams::default(), &ns).await {
                        Ok(_) => Ok(Some(())),
                        Err(kube::Error::Api(e)) if e.code == 409 => Ok(None),
                        Err(e) => Err(e.into()),
                    }
                }
            }
        },
    )
    .await
}

/// Creates a one-container pod `name` in `ns` and waits for it to run.
pub async fn running_pod(client: &Client, ns: &str, name: &str) -> Result<Api<Pod>> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let pod: Pod = serde_json::from_value(json!({
        "metadata": { "name": name },
        "spec": { "containers": [{ "name": "app", "image": "busybox:1.36" }] }
    }))?;
    pods.create(&PostParams::default(), &pod).await?;
    eventually("the pod to run", Duration::from_secs(60), || async {
        let pod = pods.get(name).await?;
        let phase = pod.status.and_then(|s| s.phase);
        Ok((phase.as_deref() == Some("Running")).then_some(()))
    })
    .await?;
    Ok(pods)
}
