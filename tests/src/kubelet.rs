//! What the tests of the simulated kubelet share: creating an object, reading a pod's status,
//! waiting for a pod or for an event the kubelet records, and the phases a pod went through.

use std::time::Duration;

use anyhow::{Context, Result};
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{ContainerStatus, Event, Pod};
use kube::api::{Api, ListParams, PostParams, WatchEvent, WatchParams};
use kube::core::NamespaceResourceScope;
use kube::{Client, Resource};
use serde_json::Value;

use crate::cluster::eventually;

/// How long a simulated kubelet may take to show a state.
pub const WAIT: Duration = Duration::from_secs(30);

/// Creates `value` (an object of kind `K`) in `ns`.
pub async fn create<K>(client: &Client, ns: &str, value: Value) -> Result<K>
where
    K: Resource<Scope = NamespaceResourceScope, DynamicType = ()>
        + Clone
        + k8s_openapi::serde::de::DeserializeOwned
        + k8s_openapi::serde::Serialize
        + std::fmt::Debug,
{
    let object: K = serde_json::from_value(value)?;
    Ok(Api::namespaced(client.clone(), ns)
        .create(&PostParams::default(), &object)
        .await?)
}

/// The status of the pod's first container.
pub fn container(pod: &Pod) -> Option<ContainerStatus> {
    pod.status
        .as_ref()?
        .container_statuses
        .as_ref()?
        .first()
        .cloned()
}

pub fn phase(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default()
}

/// The status and reason of the pod's condition `kind`.
pub fn condition(pod: &Pod, kind: &str) -> Option<(String, String)> {
    let conditions = pod.status.as_ref()?.conditions.as_ref()?;
    let c = conditions.iter().find(|c| c.type_ == kind)?;
    Some((c.status.clone(), c.reason.clone().unwrap_or_default()))
}

pub fn ready(pod: &Pod) -> bool {
    condition(pod, "Ready").is_some_and(|(status, _)| status == "True")
}

/// The first container's waiting reason and message.
pub fn waiting(pod: &Pod) -> Option<(String, String)> {
    let w = container(pod)?.state?.waiting?;
    Some((w.reason.unwrap_or_default(), w.message.unwrap_or_default()))
}

/// Waits until the named pod satisfies `check`; on timeout, says what the pod was.
pub async fn pod_until(
    pods: &Api<Pod>,
    name: &str,
    what: &str,
    timeout: Duration,
    check: impl Fn(&Pod) -> bool,
) -> Result<Pod> {
    let check = &check;
    let result = eventually(&format!("pod {name}: {what}"), timeout, || async move {
        let p = pods.get(name).await?;
        Ok(check(&p).then_some(p))
    })
    .await;
    if result.is_err() {
        let status = pods.get(name).await.map(|p| p.status);
        return result.with_context(|| format!("pod {name} is {status:?}"));
    }
    result
}

/// Waits until the pod's first container waits with `reason` and `message`.
pub async fn waits_with(pods: &Api<Pod>, name: &str, reason: &str, message: &str) -> Result<Pod> {
    let want = Some((reason.to_owned(), message.to_owned()));
    pod_until(
        pods,
        name,
        &format!("waiting {reason}: {message}"),
        WAIT,
        |p| waiting(p) == want,
    )
    .await
}

/// What an event is about within its pod.
#[derive(Debug, Clone, Copy)]
pub enum On<'a> {
    /// Any part of the pod.
    Any,
    /// The pod itself (no field path).
    Pod,
    /// The container at this field path, e.g. `spec.containers{app}`.
    Field(&'a str),
}

/// Waits for the kubelet's event of type `kind` (`Normal`, `Warning`), `reason` and `message`
/// about pod `name`.
pub async fn recorded(
    events: &Api<Event>,
    name: &str,
    on: On<'_>,
    kind: &str,
    reason: &str,
    message: &str,
) -> Result<Event> {
    let what = format!("{kind} {reason} for {name}: {message}");
    eventually(&what, WAIT, || async {
        let list = events.list(&ListParams::default()).await?;
        Ok(list.items.into_iter().find(|e| {
            let path = e.involved_object.field_path.as_deref();
            let placed = match on {
                On::Any => true,
                On::Pod => path.is_none(),
                On::Field(field) => path == Some(field),
            };
            e.involved_object.name.as_deref() == Some(name)
                && placed
                && e.type_.as_deref() == Some(kind)
                && e.reason.as_deref() == Some(reason)
                && e.message.as_deref() == Some(message)
                && e.source.as_ref().and_then(|s| s.component.as_deref()) == Some("kubelet")
        }))
    })
    .await
}

/// Every phase the pod shows after its creation, in order, for at most `seconds`, or until it
/// shows `until`.
pub fn phases(
    pods: &Api<Pod>,
    created: &Pod,
    seconds: u32,
    until: Option<&'static str>,
) -> tokio::task::JoinHandle<Result<Vec<String>>> {
    let pods = pods.clone();
    let name = created.metadata.name.clone().unwrap_or_default();
    let version = created
        .metadata
        .resource_version
        .clone()
        .unwrap_or_default();
    tokio::spawn(async move {
        let params = WatchParams::default()
            .fields(&format!("metadata.name={name}"))
            .timeout(seconds);
        let mut stream = pods.watch(&params, &version).await?.boxed();
        let mut went: Vec<String> = Vec::new();
        while let Some(event) = stream.try_next().await? {
            if let WatchEvent::Modified(p) = event {
                let now = phase(&p);
                if went.last() != Some(&now) {
                    went.push(now.clone());
                }
                if until == Some(now.as_str()) {
                    break;
                }
            }
        }
        Ok(went)
    })
}

/// A fresh namespace for one test of the simulated kubelet, with a client and the pods and
/// events of the namespace.
pub struct Scene {
    pub ns: crate::cluster::TestNamespace,
    pub client: Client,
    pub pods: Api<Pod>,
    pub events: Api<Event>,
}

pub async fn scene(prefix: &str) -> Result<Scene> {
    let ns = crate::cluster::namespace(prefix).await;
    let client = crate::cluster::cluster().await.client().await?;
    let pods = Api::namespaced(client.clone(), ns.name());
    let events = Api::namespaced(client.clone(), ns.name());
    Ok(Scene {
        ns,
        client,
        pods,
        events,
    })
}
