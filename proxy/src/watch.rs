//! The watch hub: one watch per kind on the namespace, shared by every open tab.
//!
//! State machine (kube's `watcher`): it lists, then watches, and watches again when the API server
//! ends a watch. When the watch breaks (an error: the API server went away, or no longer holds the
//! version the watch asked for), the feed pauses briefly ([`health::Pause`]) and lists afresh:
//! one list per feed, whose end says for sure that the feed follows the cluster again — a watch
//! resumed from an old version says nothing until something changes. Each feed's state makes the
//! hub's [`Health`] ([`health::Feeds`]), which goes to every tab in the snapshot and whenever it
//! changes, so that a page never says "live" when it is not. Each
//! object is digested at once into the facts the page shows (`kubefiche_core::live::digest`) — a
//! Secret's values are never kept — and the hub keeps the digests only. Every change that alters
//! a digest goes to every tab as a `StreamEvent`, written as JSON once for all of them
//! ([`Message`]); a tab starts from a snapshot taken together with its subscription
//! ([`Hub::join`]), so it misses nothing and gets nothing twice. After a new list the hub sends
//! what changed while it was away (objects gone included), so a tab that stayed connected ends up
//! equal to the cluster, as does one that (re)connects.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
use kube::{Api, Client};
use kubefiche_core::kinds;
use kubefiche_core::live::{EventRow, LiveObject, MOST_EVENTS, digest};
use kubefiche_core::wire::{Health, StreamEvent};
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;

use crate::sandbox;

mod fanout;
mod follow;
mod health;

pub use fanout::{Fanout, Pending};
use follow::follow;
pub use health::{FIRST_PAUSE, MOST_PAUSE};
use health::{Feeds, now_millis};

/// How many events a slow tab may lag behind before it is resynchronised with a snapshot.
const BUFFER: usize = 1024;

#[derive(Clone)]
pub struct Hub {
    state: Arc<Mutex<State>>,
    events: broadcast::Sender<Arc<Message>>,
    /// How many feeds have finished their first list.
    listed: watch::Receiver<usize>,
    feeds: usize,
}

/// What one watch brings: the objects of a kind by name, or the namespace's events by uid.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Object(LiveObject),
    Event(EventRow),
}

impl Entry {
    fn changed(&self) -> StreamEvent {
        match self {
            Entry::Object(object) => StreamEvent::Changed {
                object: object.clone(),
            },
            Entry::Event(event) => StreamEvent::Event {
                event: event.clone(),
            },
        }
    }

    fn deleted(&self) -> StreamEvent {
        match self {
            Entry::Object(object) => StreamEvent::Deleted {
                kind: object.kind.clone(),
                name: object.name.clone(),
            },
            Entry::Event(event) => StreamEvent::EventDeleted {
                uid: event.uid.clone(),
            },
        }
    }

    fn last(&self) -> Option<&str> {
        match self {
            Entry::Event(event) => event.last.as_deref(),
            Entry::Object(_) => None,
        }
    }
}

/// One change as every tab receives it: the event, and its JSON written once for all of them.
#[derive(Debug)]
pub struct Message {
    event: StreamEvent,
    json: Arc<str>,
}

impl Message {
    fn new(event: StreamEvent) -> Self {
        // Serialising our own enum cannot fail; an empty message would be skipped by the page.
        let json = serde_json::to_string(&event).unwrap_or_default().into();
        Self { event, json }
    }

    pub fn event(&self) -> &StreamEvent {
        &self.event
    }

    /// The event as the stream sends it.
    pub fn json(&self) -> &Arc<str> {
        &self.json
    }
}

/// How a feed names and digests an object it sees (`None`: not shown).
type Digest = Box<dyn Fn(&serde_json::Value) -> Option<(String, Entry)> + Send + Sync>;

/// One watch: how to name and digest what it sees.
struct Feed {
    label: &'static str,
    resource: ApiResource,
    digest: Digest,
    /// The most entries kept (the newest), for events.
    most: Option<usize>,
}

#[derive(Default)]
struct State {
    /// One map per feed, by name (objects) or uid (events).
    feeds: Vec<BTreeMap<String, Entry>>,
    /// Which feeds follow the cluster, and which broke since when.
    health: Feeds,
    /// The health the tabs were last told.
    told: Health,
}

impl Hub {
    /// Start watching `namespace`; the tasks end with the runtime.
    pub fn start(client: Client, namespace: &str) -> Self {
        let stop = CancellationToken::new();
        let feeds = feeds();
        let (hub, listed_tx) = Self::empty(feeds.len());
        let listed_tx = Arc::new(listed_tx);
        for (index, feed) in feeds.into_iter().enumerate() {
            let api =
                Api::<DynamicObject>::namespaced_with(client.clone(), namespace, &feed.resource);
            follow(
                hub.clone(),
                index,
                feed,
                api,
                listed_tx.clone(),
                stop.clone(),
            );
        }
        hub
    }

    /// A hub that watches nothing (the proxy of a class: each learner's seat has its own).
    pub fn none() -> Self {
        Self::empty(0).0
    }

    /// A hub of `feeds` empty feeds, and how to tell it that one more has listed.
    fn empty(feeds: usize) -> (Self, watch::Sender<usize>) {
        let (events, _) = broadcast::channel(BUFFER);
        let (listed_tx, listed) = watch::channel(0);
        let state = Arc::new(Mutex::new(State {
            feeds: vec![BTreeMap::new(); feeds],
            health: Feeds::new(feeds),
            told: Health::Live,
        }));
        let hub = Self {
            state,
            events,
            listed,
            feeds,
        };
        (hub, listed_tx)
    }

    /// Every object and the recent events, as a tab starts from.
    pub fn snapshot(&self) -> StreamEvent {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .snapshot()
    }

    /// What a tab starts from: the namespace now, and every change after it. Both are taken under
    /// the lock that changes go through, so nothing falls between them and nothing is repeated.
    pub fn join(&self) -> (StreamEvent, broadcast::Receiver<Arc<Message>>) {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (state.snapshot(), self.events.subscribe())
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Message>> {
        self.events.subscribe()
    }

    /// Whether every watch has listed once.
    pub fn is_ready(&self) -> bool {
        *self.listed.borrow() >= self.feeds
    }

    /// Wait until every watch has listed once (for a tab that connects during start-up).
    pub async fn ready(&self) {
        let mut listed = self.listed.clone();
        let feeds = self.feeds;
        let _ = listed.wait_for(|n| *n >= feeds).await;
    }

    /// Change the state and tell every tab, under one lock so that tabs see changes in order.
    fn update(
        &self,
        feed: usize,
        change: impl FnOnce(&mut BTreeMap<String, Entry>) -> Vec<StreamEvent>,
    ) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let events = change(&mut state.feeds[feed]);
        // Nobody has the page open: nothing to write.
        if self.events.receiver_count() == 0 {
            return;
        }
        for event in events {
            let _ = self.events.send(Arc::new(Message::new(event)));
        }
    }

    /// Whether the hub follows the cluster right now.
    pub fn health(&self) -> Health {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .told
            .clone()
    }

    /// Feed `feed` broke, or failed again to list, with `error`.
    fn failed(&self, feed: usize, error: String) {
        self.change_health(|feeds| feeds.failed(feed, error, now_millis()));
    }

    /// Feed `feed` listed: it follows the cluster again.
    fn recovered(&self, feed: usize) {
        self.change_health(|feeds| feeds.recovered(feed));
    }

    /// Change a feed's health and tell every tab when the hub's health changed, under the lock
    /// that changes go through (a tab that joins gets it in its snapshot or as an event after it).
    fn change_health(&self, change: impl FnOnce(&mut Feeds)) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        change(&mut state.health);
        let health = state.health.health();
        if health == state.told {
            return;
        }
        state.told = health.clone();
        if self.events.receiver_count() > 0 {
            let _ = self
                .events
                .send(Arc::new(Message::new(StreamEvent::Health { health })));
        }
    }
}

/// The feeds of every hub, in order: one per watched kind, then the namespace's events.
fn feeds() -> Vec<Feed> {
    let mut feeds: Vec<Feed> = kinds::watched()
        .map(|info| Feed {
            label: info.kind,
            resource: sandbox::api_resource(info),
            digest: Box::new(move |value| {
                let object = digest::object(info.kind, value)?;
                Some((object.name.clone(), Entry::Object(object)))
            }),
            most: None,
        })
        .collect();
    feeds.push(Feed {
        label: "Event",
        resource: ApiResource::from_gvk_with_plural(
            &GroupVersionKind::gvk("events.k8s.io", "v1", "Event"),
            "events",
        ),
        digest: Box::new(|value| {
            let event = digest::event(value)?;
            Some((event.uid.clone(), Entry::Event(event)))
        }),
        most: Some(MOST_EVENTS),
    });
    feeds
}

impl State {
    fn snapshot(&self) -> StreamEvent {
        let mut objects = Vec::new();
        let mut events = Vec::new();
        for entry in self.feeds.iter().flat_map(BTreeMap::values) {
            match entry {
                Entry::Object(object) => objects.push(object.clone()),
                Entry::Event(event) => events.push(event.clone()),
            }
        }
        StreamEvent::Snapshot {
            objects,
            events,
            health: self.told.clone(),
        }
    }
}

/// Put a fresh list in place of the current one, returning what changed for the tabs.
fn replace(
    current: &mut BTreeMap<String, Entry>,
    listed: BTreeMap<String, Entry>,
) -> Vec<StreamEvent> {
    let mut changes: Vec<StreamEvent> = current
        .iter()
        .filter(|(key, _)| !listed.contains_key(*key))
        .map(|(_, gone)| gone.deleted())
        .collect();
    changes.extend(
        listed
            .iter()
            .filter(|(key, entry)| current.get(*key) != Some(*entry))
            .map(|(_, entry)| entry.changed()),
    );
    *current = listed;
    changes
}

/// An entry added or changed; what the tabs are told (nothing when it is unchanged).
fn upsert(
    current: &mut BTreeMap<String, Entry>,
    key: String,
    entry: Entry,
    most: Option<usize>,
) -> Vec<StreamEvent> {
    if current.get(&key) == Some(&entry) {
        return Vec::new();
    }
    let event = entry.changed();
    current.insert(key, entry);
    trim(current, most);
    vec![event]
}

/// An entry gone; what the tabs are told.
fn remove(current: &mut BTreeMap<String, Entry>, key: &str) -> Vec<StreamEvent> {
    current
        .remove(key)
        .map(|gone| gone.deleted())
        .into_iter()
        .collect()
}

/// Keep the newest `most` entries (events), dropping the oldest.
fn trim(entries: &mut BTreeMap<String, Entry>, most: Option<usize>) {
    let Some(most) = most else { return };
    if entries.len() <= most {
        return;
    }
    let mut by_age: Vec<(Option<String>, String)> = entries
        .iter()
        .map(|(key, entry)| (entry.last().map(str::to_owned), key.clone()))
        .collect();
    by_age.sort();
    for (_, key) in by_age.into_iter().take(entries.len() - most) {
        entries.remove(&key);
    }
}

#[cfg(test)]
#[path = "watch_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "watch/recovery_tests.rs"]
mod recovery_tests;
