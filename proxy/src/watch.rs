//! The watch hub: one watch on the namespace's pods, shared by every open tab.
//!
//! State machine (kube's `watcher`): it lists, then watches; when the watch breaks it backs off
//! and relists. The hub mirrors it into a store and turns each step into a `StreamEvent`:
//! `InitDone` → `Snapshot`, `Apply` → `Pod`, `Delete` → `PodDeleted`, an error → `Problem`.

use std::sync::Arc;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::reflector::{self, Store};
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use kube::{Api, Client};
use kubefiche_core::Text;
use kubefiche_core::wire::{PodRow, StreamEvent};
use tokio::sync::broadcast;

/// How many events a slow tab may lag behind before it is resynchronised with a snapshot.
const BUFFER: usize = 256;

#[derive(Clone)]
pub struct Hub {
    store: Store<Pod>,
    events: broadcast::Sender<Arc<StreamEvent>>,
}

impl Hub {
    /// Start watching the pods of `namespace`; the task ends with the runtime.
    pub fn start(client: Client, namespace: &str) -> Self {
        let (store, writer) = reflector::store();
        let (events, _) = broadcast::channel(BUFFER);
        let api: Api<Pod> = Api::namespaced(client, namespace);
        let stream = reflector::reflector(writer, watcher::watcher(api, watcher::Config::default()).default_backoff());
        let hub = Self { store, events };
        let feed = hub.clone();
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(stream);
            while let Some(step) = stream.next().await {
                let event = match step {
                    Ok(Event::Apply(pod)) => StreamEvent::Pod { pod: pod_row(&pod) },
                    Ok(Event::Delete(pod)) => StreamEvent::PodDeleted { name: pod.metadata.name.unwrap_or_default() },
                    Ok(Event::InitDone) => feed.snapshot(),
                    Ok(Event::Init | Event::InitApply(_)) => continue,
                    Err(error) => {
                        tracing::warn!(%error, "pod watch interrupted; retrying");
                        StreamEvent::Problem {
                            message: Text::new(
                                format!("Lost the watch on the cluster ({error}); retrying…"),
                                format!("Suivi du cluster interrompu ({error}) ; nouvelle tentative…"),
                            ),
                        }
                    }
                };
                // No receiver is fine: nobody has the page open.
                let _ = feed.events.send(Arc::new(event));
            }
        });
        hub
    }

    /// The current list of pods, sorted by name.
    pub fn snapshot(&self) -> StreamEvent {
        let mut pods: Vec<PodRow> = self.store.state().iter().map(|pod| pod_row(pod)).collect();
        pods.sort_by(|a, b| a.name.cmp(&b.name));
        StreamEvent::Snapshot { pods }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StreamEvent>> {
        self.events.subscribe()
    }

    /// Wait until the first list has arrived (for a tab that connects during start-up).
    pub async fn ready(&self) {
        let _ = self.store.wait_until_ready().await;
    }
}

/// The columns of `kubectl get pods`, computed the way kubectl does for the common cases.
pub fn pod_row(pod: &Pod) -> PodRow {
    let status = pod.status.clone().unwrap_or_default();
    let statuses = status.container_statuses.clone().unwrap_or_default();
    let containers = pod.spec.as_ref().map_or(statuses.len(), |s| s.containers.len());
    let ready = statuses.iter().filter(|c| c.ready).count();
    let restarts: i32 = statuses.iter().map(|c| c.restart_count).sum();
    let phase = status.phase.clone().unwrap_or_else(|| "Pending".into());
    let waiting = statuses
        .iter()
        .filter_map(|c| c.state.as_ref()?.waiting.as_ref()?.reason.clone())
        .next();
    let terminated = statuses
        .iter()
        .filter_map(|c| c.state.as_ref()?.terminated.as_ref()?.reason.clone())
        .next();
    let display = if pod.metadata.deletion_timestamp.is_some() {
        "Terminating".to_owned()
    } else if phase == "Succeeded" {
        "Completed".to_owned()
    } else if let Some(reason) = waiting.or(terminated).filter(|_| phase != "Running" || ready < containers) {
        reason
    } else if let Some(reason) = status.reason.clone() {
        reason
    } else {
        phase.clone()
    };
    let labels = pod.metadata.labels.clone().unwrap_or_default().into_iter().collect();
    PodRow {
        name: pod.metadata.name.clone().unwrap_or_default(),
        status: display,
        phase,
        ready: ready as u32,
        containers: containers as u32,
        restarts: restarts.max(0) as u32,
        created: pod.metadata.creation_timestamp.as_ref().map(|t| t.0.to_string()),
        node: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(json: serde_json::Value) -> Pod {
        serde_json::from_value(json).expect("pod")
    }

    #[test]
    fn rows_read_like_kubectl() {
        let running = pod(serde_json::json!({
            "metadata": {"name": "web-1", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "a", "ready": true, "restartCount": 1, "image": "x", "imageID": "", "state": {"running": {}}},
                {"name": "b", "ready": true, "restartCount": 2, "image": "x", "imageID": "", "state": {"running": {}}}
            ]}
        }));
        let row = pod_row(&running);
        assert_eq!((row.status.as_str(), row.ready, row.containers, row.restarts), ("Running", 2, 2, 3));
        assert_eq!(row.labels, vec![("app".to_owned(), "web".to_owned())]);

        let pulling = pod(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}]},
            "status": {"phase": "Pending", "containerStatuses": [
                {"name": "a", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
                 "state": {"waiting": {"reason": "ImagePullBackOff"}}}
            ]}
        }));
        assert_eq!(pod_row(&pulling).status, "ImagePullBackOff");

        let done = pod(serde_json::json!({"metadata": {"name": "j"}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded"}}));
        assert_eq!(pod_row(&done).status, "Completed");
        let fresh = pod(serde_json::json!({"metadata": {"name": "n"}, "spec": {"containers": [{"name": "a"}]}}));
        assert_eq!((pod_row(&fresh).status.as_str(), pod_row(&fresh).ready), ("Pending", 0));
    }
}
