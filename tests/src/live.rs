//! The live stream as a tab reads it, and the cluster as `kubectl get` shows it, to compare.
//!
//! [`Tab`] opens `POST /api/stream` (on the in-process router, or takes the body of a request to
//! the real binary), parses its server-sent events and folds them into a [`Live`] that a test
//! waits on; it keeps the raw bytes too. [`cluster_view`] reads the same kinds with kubectl and
//! digests them with the same `core::live::digest`, so that [`differences`] can say whether the
//! folded stream equals the cluster, and [`tree`] whether its owner tree does.

pub mod tree;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::Body;
use futures::StreamExt;
use kubefiche_core::live::{EventRow, Live, LiveObject, ObjectKey, digest};
use kubefiche_core::wire::{Health, StreamEvent};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::cluster::{TestCluster, eventually};
use crate::proxy::page_request;

/// What a tab has folded so far.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub live: Live,
    /// How many snapshots arrived (the first one, then one per resynchronisation).
    pub snapshots: usize,
    /// Every health the stream told, in order (in snapshots and on its own), each once.
    pub healths: Vec<Health>,
    /// Every event received, snapshots included.
    pub received: usize,
    /// The stream ended.
    pub ended: bool,
}

/// One open stream, read by a task of its own.
pub struct Tab {
    folded: watch::Receiver<Folded>,
    raw: Arc<Mutex<String>>,
    reading: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Drop for Tab {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Tab {
    /// Opens the stream on the in-process router, as the page does.
    pub async fn open(app: &Router) -> Result<Self> {
        let response = app
            .clone()
            .oneshot(page_request(
                "POST",
                "/api/stream",
                Some(&serde_json::json!({})),
            ))
            .await?;
        if response.status() != 200 {
            bail!("POST /api/stream answered {}", response.status());
        }
        Ok(Self::read(response.into_body()))
    }

    /// Reads an open stream's body (e.g. `Body::new` of a real HTTP response).
    pub fn read(body: Body) -> Self {
        let (folded_tx, folded) = watch::channel(Folded::default());
        let (reading, mut gate) = watch::channel(true);
        let raw = Arc::new(Mutex::new(String::new()));
        let task = tokio::spawn({
            let raw = raw.clone();
            async move {
                let mut chunks = body.into_data_stream();
                let mut buffer = String::new();
                loop {
                    // A paused tab reads nothing: the proxy sees a slow reader.
                    if gate.wait_for(|open| *open).await.is_err() {
                        break;
                    }
                    let Some(Ok(chunk)) = chunks.next().await else {
                        break;
                    };
                    let text = String::from_utf8_lossy(&chunk);
                    raw.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push_str(&text);
                    buffer.push_str(&text);
                    for event in sse_events(&mut buffer) {
                        folded_tx.send_modify(|f| fold(f, event));
                    }
                }
                folded_tx.send_modify(|f| f.ended = true);
            }
        });
        Self {
            folded,
            raw,
            reading,
            task,
        }
    }

    /// Stop reading (the proxy's buffer for this tab fills up) or read again.
    pub fn pause(&self, paused: bool) {
        self.reading.send_replace(!paused);
    }

    /// Waits until the folded stream satisfies `check`; the moment it did.
    pub async fn until(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&Live) -> bool,
    ) -> Result<Instant> {
        let mut folded = self.folded.clone();
        let waited = tokio::time::timeout(timeout, folded.wait_for(|f| check(&f.live))).await;
        match waited {
            Ok(Ok(_)) => Ok(Instant::now()),
            Ok(Err(_)) => bail!("the stream's reader stopped while waiting for {what}"),
            Err(_) => {
                let keys: Vec<String> = self
                    .live()
                    .objects()
                    .map(|o| format!("{}/{}", o.kind, o.name))
                    .collect();
                bail!(
                    "{what}: not seen in the stream after {timeout:?}; it holds {}",
                    keys.join(", ")
                )
            }
        }
    }

    /// Does `action` (a change to the cluster), then waits until the folded stream satisfies
    /// `check`: how long after the action it did.
    pub async fn after(
        &self,
        action: impl Future<Output = Result<()>>,
        what: &str,
        timeout: Duration,
        check: impl Fn(&Live) -> bool,
    ) -> Result<Lag> {
        let started = Instant::now();
        action.await?;
        let returned = Instant::now();
        let seen = self.until(what, timeout, check).await?;
        Ok(Lag {
            returned: seen.saturating_duration_since(returned),
            started: seen.saturating_duration_since(started),
        })
    }

    /// Waits for the first snapshot.
    pub async fn started(&self) -> Result<()> {
        let mut folded = self.folded.clone();
        tokio::time::timeout(
            Duration::from_secs(30),
            folded.wait_for(|f| f.snapshots > 0),
        )
        .await
        .context("no snapshot within 30 s")?
        .context("the stream's reader stopped before its snapshot")?;
        Ok(())
    }

    pub fn folded(&self) -> Folded {
        self.folded.borrow().clone()
    }

    pub fn live(&self) -> Live {
        self.folded.borrow().live.clone()
    }

    /// Every byte received so far, as text.
    pub fn raw(&self) -> String {
        self.raw
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// How long after a change to the cluster the stream showed it: from the call returning (zero
/// when the stream was first), and from the call starting (with kubectl, that adds its own
/// start-up and round trip).
#[derive(Debug)]
pub struct Lag {
    pub returned: Duration,
    pub started: Duration,
}

impl std::fmt::Display for Lag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = format!(
            "{} ({})",
            self.returned.as_millis(),
            self.started.as_millis()
        );
        f.pad(&text)
    }
}

/// `kubectl ARGS --namespace NS`, its output dropped.
pub async fn kubectl_in(
    cluster: &TestCluster,
    ns: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> Result<()> {
    let mut all = args.to_vec();
    all.extend(["--namespace", ns]);
    cluster.kubectl(&all, stdin).await.map(drop)
}

fn fold(folded: &mut Folded, event: StreamEvent) {
    folded.received += 1;
    if let StreamEvent::Snapshot { .. } = &event {
        folded.snapshots += 1;
    }
    if let StreamEvent::Snapshot { health, .. } | StreamEvent::Health { health } = &event
        && folded.healths.last() != Some(health)
    {
        folded.healths.push(health.clone());
    }
    folded.live.apply(event);
}

/// Takes the complete server-sent events off the front of `buffer` (comments and keep-alives
/// skipped); what is left is the start of the next one.
pub fn sse_events(buffer: &mut String) -> Vec<StreamEvent> {
    let mut events = Vec::new();
    while let Some(end) = buffer.find("\n\n") {
        let block: String = buffer.drain(..end + 2).collect();
        let data: Vec<&str> = block
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(|d| d.strip_prefix(' ').unwrap_or(d))
            .collect();
        if data.is_empty() {
            continue;
        }
        match serde_json::from_str(&data.join("\n")) {
            Ok(event) => events.push(event),
            Err(e) => panic!("the stream sent an event that does not parse ({e}): {block}"),
        }
    }
    events
}

/// The kinds the hub watches, as `kubectl get` names them.
pub const KINDS: &str =
    "pods,deployments,replicasets,jobs,cronjobs,services,persistentvolumeclaims,configmaps,secrets";

/// The namespace as `kubectl get` shows it: its objects of the watched kinds and its events,
/// digested as the proxy digests what it watches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub objects: BTreeMap<ObjectKey, LiveObject>,
    pub events: BTreeMap<String, EventRow>,
}

impl View {
    pub fn of_live(live: &Live) -> Self {
        Self {
            objects: live.objects().map(|o| (o.key(), o.clone())).collect(),
            events: live
                .events(None)
                .into_iter()
                .map(|e| (e.uid.clone(), e.clone()))
                .collect(),
        }
    }
}

/// `kubectl get KINDS -o json` and `kubectl get events.events.k8s.io -o json` in `namespace`.
pub async fn cluster_view(cluster: &TestCluster, namespace: &str) -> Result<View> {
    let items = |text: String| -> Result<Vec<serde_json::Value>> {
        let list: serde_json::Value = serde_json::from_str(&text)?;
        Ok(list["items"].as_array().cloned().unwrap_or_default())
    };
    let objects = items(
        cluster
            .kubectl(&["get", KINDS, "-o", "json", "-n", namespace], None)
            .await?,
    )?;
    let events = items(
        cluster
            .kubectl(
                &["get", "events.events.k8s.io", "-o", "json", "-n", namespace],
                None,
            )
            .await?,
    )?;
    Ok(View {
        objects: objects
            .iter()
            .filter_map(|o| digest::object(o["kind"].as_str()?, o))
            .map(|o| (o.key(), o))
            .collect(),
        events: events
            .iter()
            .filter_map(digest::event)
            .map(|e| (e.uid.clone(), e))
            .collect(),
    })
}

/// What differs between the stream's view and the cluster's, one line each (empty when equal).
pub fn differences(stream: &View, cluster: &View) -> Vec<String> {
    let mut said = Vec::new();
    for (key, object) in &cluster.objects {
        match stream.objects.get(key) {
            None => said.push(format!(
                "{}/{} is missing from the stream",
                key.kind, key.name
            )),
            Some(seen) if seen != object => said.push(format!(
                "{}/{} differs:\n  stream:  {seen:?}\n  cluster: {object:?}",
                key.kind, key.name
            )),
            Some(_) => {}
        }
    }
    for key in stream.objects.keys() {
        if !cluster.objects.contains_key(key) {
            said.push(format!("{}/{} is in the stream only", key.kind, key.name));
        }
    }
    for (uid, event) in &cluster.events {
        if stream.events.get(uid) != Some(event) {
            said.push(format!(
                "event {uid} ({} {}/{}) missing or different in the stream",
                event.reason, event.object.kind, event.object.name
            ));
        }
    }
    for (uid, event) in &stream.events {
        if !cluster.events.contains_key(uid) {
            said.push(format!(
                "event {uid} ({} {}/{}) is in the stream only",
                event.reason, event.object.kind, event.object.name
            ));
        }
    }
    said
}

/// Waits until the tab's folded stream equals `kubectl get` of the namespace (the cluster may
/// still be moving: both are read again until they agree); fails with what still differs.
pub async fn equals_cluster(
    tab: &Tab,
    cluster: &TestCluster,
    namespace: &str,
    timeout: Duration,
) -> Result<View> {
    live_equals_cluster(|| tab.live(), cluster, namespace, timeout).await
}

/// The same for any folded stream: `live` gives what it holds now.
pub async fn live_equals_cluster(
    live: impl Fn() -> Live,
    cluster: &TestCluster,
    namespace: &str,
    timeout: Duration,
) -> Result<View> {
    let last = Mutex::new(Vec::new());
    let outcome = eventually("the stream to equal `kubectl get`", timeout, || async {
        let seen = cluster_view(cluster, namespace).await?;
        let stream = View::of_live(&live());
        let diff = differences(&stream, &seen);
        let equal = diff.is_empty();
        *last.lock().unwrap_or_else(PoisonError::into_inner) = diff;
        Ok(equal.then_some(stream))
    })
    .await;
    outcome.with_context(|| {
        last.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .join("\n")
    })
}
