//! The watch hub: one watch per kind on the namespace, shared by every open tab.
//!
//! State machine (kube's `watcher`): it lists, then watches; when the watch breaks it backs off
//! and relists. The hub mirrors each kind into a store and turns each step into a `StreamEvent`:
//! for pods `InitDone` → `Snapshot`, `Apply` → `Pod`, `Delete` → `PodDeleted`; for the kinds
//! core's table mirrors by name (ConfigMaps, Secrets, PersistentVolumeClaims) any change →
//! `Objects` (names and keys only); an error → `Problem`.

use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::DynamicObject;
use kube::runtime::WatchStreamExt;
use kube::runtime::reflector::{self, Store};
use kube::runtime::watcher::{self, Event};
use kube::{Api, Client, Resource};
use kubefiche_core::Text;
use kubefiche_core::kinds::{self, KindInfo, Mirror};
use kubefiche_core::validate::KnownObject;
use kubefiche_core::wire::{PodRow, StreamEvent};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::broadcast;

use crate::sandbox;

/// How many events a slow tab may lag behind before it is resynchronised with a snapshot.
const BUFFER: usize = 256;

/// The fields whose keys (never values) are mirrored for [`Mirror::NamesAndKeys`].
const KEYED_FIELDS: [&str; 3] = ["data", "binaryData", "stringData"];

#[derive(Clone)]
pub struct Hub {
    pods: Store<Pod>,
    /// The kinds mirrored by name, each with its store.
    objects: Vec<(&'static KindInfo, Store<DynamicObject>)>,
    events: broadcast::Sender<Arc<StreamEvent>>,
}

/// The kinds the hub mirrors by name (and keys).
fn named_kinds() -> impl Iterator<Item = &'static KindInfo> {
    kinds::KINDS
        .iter()
        .filter(|k| matches!(k.mirror, Mirror::Names | Mirror::NamesAndKeys))
}

impl Hub {
    /// Start watching `namespace`; the tasks end with the runtime.
    pub fn start(client: Client, namespace: &str) -> Self {
        let (events, _) = broadcast::channel(BUFFER);
        let (pods, pod_writer) = reflector::store();
        let mut objects = Vec::new();
        let mut writers = Vec::new();
        for info in named_kinds() {
            let resource = sandbox::api_resource(info);
            let writer = reflector::store::Writer::new(resource.clone());
            objects.push((info, writer.as_reader()));
            writers.push((info, resource, writer));
        }
        let hub = Self {
            pods,
            objects,
            events,
        };
        let pod_events = |hub: &Hub, step: Event<Pod>| match step {
            Event::Apply(pod) => Some(StreamEvent::Pod { pod: pod_row(&pod) }),
            Event::Delete(pod) => Some(StreamEvent::PodDeleted {
                name: pod.metadata.name.unwrap_or_default(),
            }),
            Event::InitDone => Some(hub.snapshot()),
            Event::Init | Event::InitApply(_) => None,
        };
        follow(
            &hub,
            kinds::POD.kind,
            Api::namespaced(client.clone(), namespace),
            pod_writer,
            pod_events,
        );
        for (info, resource, writer) in writers {
            follow(
                &hub,
                info.kind,
                Api::namespaced_with(client.clone(), namespace, &resource),
                writer,
                object_events,
            );
        }
        hub
    }

    /// The current list of pods, sorted by name.
    pub fn snapshot(&self) -> StreamEvent {
        let mut pods: Vec<PodRow> = self.pods.state().iter().map(|pod| pod_row(pod)).collect();
        pods.sort_by(|a, b| a.name.cmp(&b.name));
        StreamEvent::Snapshot { pods }
    }

    /// The objects manifests may refer to, with their keys but never their values.
    pub fn objects(&self) -> StreamEvent {
        let mut known: Vec<KnownObject> = Vec::new();
        for (info, store) in &self.objects {
            for object in store.state() {
                known.push(known_object(info, &object));
            }
        }
        known.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
        StreamEvent::Objects { known }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StreamEvent>> {
        self.events.subscribe()
    }

    /// Wait until the first lists have arrived (for a tab that connects during start-up).
    pub async fn ready(&self) {
        let _ = self.pods.wait_until_ready().await;
        for (_, store) in &self.objects {
            let _ = store.wait_until_ready().await;
        }
    }
}

/// An object's name, and for [`Mirror::NamesAndKeys`] the keys of its data.
fn known_object(info: &KindInfo, object: &DynamicObject) -> KnownObject {
    let keys = match info.mirror {
        Mirror::NamesAndKeys => KEYED_FIELDS
            .iter()
            .filter_map(|field| object.data.get(field).and_then(Value::as_object))
            .flat_map(|entries| entries.keys().cloned())
            .collect(),
        _ => Vec::new(),
    };
    KnownObject {
        kind: info.kind.to_owned(),
        name: object.metadata.name.clone().unwrap_or_default(),
        keys,
        created: object
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|time| time.0.to_string()),
    }
}

fn object_events<K>(hub: &Hub, step: Event<K>) -> Option<StreamEvent> {
    match step {
        Event::Apply(_) | Event::Delete(_) | Event::InitDone => Some(hub.objects()),
        Event::Init | Event::InitApply(_) => None,
    }
}

/// Watch one kind into its store, turning each step into a stream event for every tab.
fn follow<K>(
    hub: &Hub,
    kind: &'static str,
    api: Api<K>,
    writer: reflector::store::Writer<K>,
    to_event: fn(&Hub, Event<K>) -> Option<StreamEvent>,
) where
    K: Resource + Clone + Debug + DeserializeOwned + Send + Sync + 'static,
    K::DynamicType: Eq + Hash + Clone + Send + Sync,
{
    let stream = reflector::reflector(
        writer,
        watcher::watcher(api, watcher::Config::default()).default_backoff(),
    );
    let hub = hub.clone();
    tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        while let Some(step) = stream.next().await {
            let event = match step {
                Ok(step) => match to_event(&hub, step) {
                    Some(event) => event,
                    None => continue,
                },
                Err(error) => {
                    tracing::warn!(%error, kind, "watch interrupted; retrying");
                    StreamEvent::Problem {
                        message: Text::new(
                            format!("Lost the watch on the cluster ({error}); retrying…"),
                            format!("Suivi du cluster interrompu ({error}) ; nouvelle tentative…"),
                        ),
                    }
                }
            };
            // No receiver is fine: nobody has the page open.
            let _ = hub.events.send(Arc::new(event));
        }
    });
}

/// The columns of `kubectl get pods`, computed the way kubectl does for the common cases.
pub fn pod_row(pod: &Pod) -> PodRow {
    let status = pod.status.clone().unwrap_or_default();
    let statuses = status.container_statuses.clone().unwrap_or_default();
    let containers = pod
        .spec
        .as_ref()
        .map_or(statuses.len(), |s| s.containers.len());
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
    } else if let Some(reason) = waiting
        .or(terminated)
        .filter(|_| phase != "Running" || ready < containers)
    {
        reason
    } else if let Some(reason) = status.reason.clone() {
        reason
    } else {
        phase.clone()
    };
    let labels = pod
        .metadata
        .labels
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    PodRow {
        name: pod.metadata.name.clone().unwrap_or_default(),
        status: display,
        phase,
        ready: ready as u32,
        containers: containers as u32,
        restarts: restarts.max(0) as u32,
        created: pod
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string()),
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
    fn mirrors_what_the_table_says() {
        let rows: Vec<&str> = kinds::KINDS
            .iter()
            .filter(|k| k.mirror == Mirror::Rows)
            .map(|k| k.kind)
            .collect();
        assert_eq!(rows, ["Pod"], "the hub makes rows of pods only");
        let named: Vec<&str> = named_kinds().map(|k| k.kind).collect();
        assert_eq!(
            named,
            [
                "ConfigMap",
                "Secret",
                "PersistentVolumeClaim",
                "Service",
                "Deployment",
                "Job",
                "CronJob"
            ]
        );
        let secret: DynamicObject = serde_json::from_value(serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
            "data": {"password": "cw==", "user": "dQ=="}, "type": "Opaque"
        }))
        .expect("secret");
        let known = known_object(&kinds::SECRET, &secret);
        assert_eq!((known.kind.as_str(), known.name.as_str()), ("Secret", "db"));
        assert_eq!(known.keys, ["password", "user"]);
        let claim = known_object(&kinds::PERSISTENT_VOLUME_CLAIM, &secret);
        assert!(claim.keys.is_empty());
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
        assert_eq!(
            (row.status.as_str(), row.ready, row.containers, row.restarts),
            ("Running", 2, 2, 3)
        );
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

        let done = pod(
            serde_json::json!({"metadata": {"name": "j"}, "spec": {"containers": [{"name": "a"}]}, "status": {"phase": "Succeeded"}}),
        );
        assert_eq!(pod_row(&done).status, "Completed");
        let fresh = pod(
            serde_json::json!({"metadata": {"name": "n"}, "spec": {"containers": [{"name": "a"}]}}),
        );
        assert_eq!(
            (pod_row(&fresh).status.as_str(), pod_row(&fresh).ready),
            ("Pending", 0)
        );
    }
}
