//! A class's watches: one per kind across the whole cluster, each object handed to the hub of
//! the seat whose namespace holds it — so that a hundred learners cost the API server the same
//! watches as one, not a hundred times as many. Secrets are the exception: the proxy may not
//! read the Secrets of every namespace, so each seat's hub watches its own through the learner's
//! impersonating client.
//!
//! A seat is registered before its namespace exists (or, when the proxy starts again, before the
//! watches start), so no change of its namespace can pass before it is followed.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use futures::StreamExt;
use kube::api::DynamicObject;
use kube::runtime::watcher::{self, Event};
use kube::{Api, Client};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::health::Pause;
use super::{Entry, Feed, Hub, feeds, follow, remove, replace, trim, upsert};

/// The feed each seat follows alone.
const OWN_FEED: &str = "Secret";

/// The class's shared watches and the seats they feed.
#[derive(Clone, Default)]
pub struct Fanout {
    inner: Arc<Mutex<Seats>>,
}

#[derive(Default)]
struct Seats {
    /// Each seat's hub, by namespace.
    by_namespace: HashMap<String, Link>,
    /// The feeds that have listed at least once.
    listed: Vec<bool>,
}

struct Link {
    hub: Hub,
    listed: Arc<watch::Sender<usize>>,
    /// The feeds this seat was told have listed.
    counted: Vec<bool>,
}

/// A seat's hub whose own feed (its Secrets) waits for the learner's identity to exist.
pub struct Pending {
    hub: Hub,
    index: usize,
    feed: Feed,
    listed: Arc<watch::Sender<usize>>,
}

impl Pending {
    pub fn hub(&self) -> Hub {
        self.hub.clone()
    }

    /// Follow the seat's Secrets through `client` until `stop`.
    pub fn follow(self, client: Client, namespace: &str, stop: CancellationToken) {
        let api = Api::<DynamicObject>::namespaced_with(client, namespace, &self.feed.resource);
        follow(self.hub, self.index, self.feed, api, self.listed, stop);
    }
}

impl Fanout {
    /// A hub for the seat of `namespace`, fed by the shared watches from now on.
    pub fn register(&self, namespace: &str) -> Pending {
        let mut all = feeds();
        let (hub, listed) = Hub::empty(all.len());
        let listed = Arc::new(listed);
        let index = all.iter().position(|f| f.label == OWN_FEED).unwrap_or(0);
        let feed = all.swap_remove(index);
        let mut seats = self.lock();
        let mut counted = vec![false; hub.feeds];
        // A feed that listed already has nothing of a namespace registered before it exists.
        for (feed, done) in seats.listed.iter().enumerate() {
            if *done && feed != index {
                counted[feed] = true;
                listed.send_modify(|n| *n += 1);
            }
        }
        seats.by_namespace.insert(
            namespace.to_owned(),
            Link {
                hub: hub.clone(),
                listed: listed.clone(),
                counted,
            },
        );
        Pending {
            hub,
            index,
            feed,
            listed,
        }
    }

    /// Whether the seat of `namespace` is fed (or about to be: a seat being given here).
    pub fn knows(&self, namespace: &str) -> bool {
        self.lock().by_namespace.contains_key(namespace)
    }

    /// Fill the hub of a seat registered after its namespace was made (by another proxy of the
    /// class) with what the namespace holds now: one list per shared feed. A change that comes
    /// meanwhile through the watch is applied after or overwritten by a list as new as it.
    pub async fn fill(&self, namespace: &str, client: &Client) {
        for (index, feed) in feeds().into_iter().enumerate() {
            if feed.label == OWN_FEED {
                continue;
            }
            let api =
                Api::<DynamicObject>::namespaced_with(client.clone(), namespace, &feed.resource);
            let listed = match api.list(&Default::default()).await {
                Ok(listed) => listed,
                Err(error) => {
                    tracing::warn!(%error, kind = feed.label, namespace, "a seat's first list failed");
                    continue;
                }
            };
            let mut entries: BTreeMap<String, Entry> = listed
                .items
                .iter()
                .filter_map(|object| (feed.digest)(&serde_json::to_value(object).ok()?))
                .collect();
            trim(&mut entries, feed.most);
            if let Some(link) = self.lock().by_namespace.get(namespace) {
                link.hub.update(index, |current| replace(current, entries));
            }
        }
    }

    /// Stop feeding the seat of `namespace`.
    pub fn forget(&self, namespace: &str) {
        self.lock().by_namespace.remove(namespace);
    }

    /// Start the shared watches, through the proxy's own `client`, until `stop`.
    pub fn run(&self, client: Client, stop: CancellationToken) {
        for (index, feed) in feeds().into_iter().enumerate() {
            if feed.label == OWN_FEED {
                continue;
            }
            let api = Api::<DynamicObject>::all_with(client.clone(), &feed.resource);
            let fanout = self.clone();
            tokio::spawn(stop.clone().run_until_cancelled_owned(async move {
                let mut pause = Pause::default();
                loop {
                    let error = fanout.follow_once(index, &feed, api.clone(), &mut pause).await;
                    tracing::warn!(%error, kind = feed.label, "class watch interrupted; listing again");
                    for link in fanout.lock().by_namespace.values() {
                        link.hub.failed(index, error.clone());
                    }
                    tokio::time::sleep(pause.next()).await;
                }
            }));
        }
    }

    /// List and watch once, handing each change to its seat, until the first error (returned).
    async fn follow_once(
        &self,
        index: usize,
        feed: &Feed,
        api: Api<DynamicObject>,
        pause: &mut Pause,
    ) -> String {
        let stream = watcher::watcher(api, watcher::Config::default());
        let mut stream = std::pin::pin!(stream);
        // The whole list, by namespace: a seat registered while it comes in gets its part.
        let mut fresh: Option<HashMap<String, BTreeMap<String, Entry>>> = None;
        while let Some(step) = stream.next().await {
            let digest = |object: &DynamicObject| {
                let namespace = object.metadata.namespace.clone()?;
                let value = serde_json::to_value(object).ok()?;
                Some((namespace, (feed.digest)(&value)?))
            };
            match step {
                Ok(Event::Init) => fresh = Some(HashMap::new()),
                Ok(Event::InitApply(object)) => {
                    if let (Some(fresh), Some((namespace, (key, entry)))) =
                        (fresh.as_mut(), digest(&object))
                    {
                        fresh.entry(namespace).or_default().insert(key, entry);
                    }
                }
                Ok(Event::InitDone) => {
                    let mut listed = fresh.take().unwrap_or_default();
                    let mut seats = self.lock();
                    if seats.listed.len() <= index {
                        seats.listed.resize(index + 1, false);
                    }
                    seats.listed[index] = true;
                    for (namespace, link) in &mut seats.by_namespace {
                        let mut mine = listed.remove(namespace).unwrap_or_default();
                        trim(&mut mine, feed.most);
                        link.hub.update(index, |current| replace(current, mine));
                        link.hub.recovered(index);
                        if !link.counted[index] {
                            link.counted[index] = true;
                            link.listed.send_modify(|n| *n += 1);
                        }
                    }
                    pause.reset();
                }
                Ok(Event::Apply(object)) => {
                    if let Some((namespace, (key, entry))) = digest(&object)
                        && let Some(link) = self.lock().by_namespace.get(&namespace)
                    {
                        link.hub
                            .update(index, |current| upsert(current, key, entry, feed.most));
                    }
                }
                Ok(Event::Delete(object)) => {
                    if let Some((namespace, (key, _))) = digest(&object)
                        && let Some(link) = self.lock().by_namespace.get(&namespace)
                    {
                        link.hub.update(index, |current| remove(current, &key));
                    }
                }
                Err(error) => return error.to_string(),
            }
        }
        "the watch ended".to_owned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seats> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
