//! The hub against a stand-in API server that goes away and comes back: it says so at once, and
//! is right again within about a second of the return, with one list per feed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response};
use kube::Client;
use kubefiche_core::kinds;
use kubefiche_core::wire::{Health, StreamEvent};
use serde_json::json;
use tokio::sync::watch;
use tokio::time::timeout;

use crate::watch::Hub;

/// While `down`, every request fails as a refused connection and an open watch breaks.
#[derive(Clone)]
struct Flaky {
    down: Arc<watch::Sender<bool>>,
    /// The ConfigMaps a list returns.
    names: Arc<Mutex<Vec<String>>>,
    lists: Arc<AtomicUsize>,
}

impl Flaky {
    fn new(names: &[&str]) -> Self {
        Self {
            down: Arc::new(watch::channel(false).0),
            names: Arc::new(Mutex::new(names.iter().map(|n| (*n).to_owned()).collect())),
            lists: Arc::default(),
        }
    }

    fn client(&self) -> Client {
        let flaky = self.clone();
        let service = tower::service_fn(move |request: Request<kube::client::Body>| {
            let flaky = flaky.clone();
            async move { flaky.answer(&request.uri().to_string()).await }
        });
        Client::new(service, "default")
    }

    async fn answer(&self, uri: &str) -> Result<Response<Body>, std::io::Error> {
        let mut down = self.down.subscribe();
        if *down.borrow_and_update() {
            return Err(std::io::ErrorKind::ConnectionRefused.into());
        }
        if uri.contains("watch=") {
            let _ = down.wait_for(|d| *d).await;
            return Err(std::io::ErrorKind::ConnectionReset.into());
        }
        self.lists.fetch_add(1, Ordering::SeqCst);
        let items: Vec<serde_json::Value> = if uri.contains("/configmaps") {
            let names = self.names.lock().expect("names").clone();
            names
                .iter()
                .map(|name| {
                    json!({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": name, "namespace": "ns", "uid": format!("uid-{name}"),
                                    "resourceVersion": "7"}})
                })
                .collect()
        } else {
            Vec::new()
        };
        let list = json!({"apiVersion": "v1", "kind": "List",
                          "metadata": {"resourceVersion": "7"}, "items": items});
        Ok(Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(list.to_string()))
            .expect("response"))
    }

    fn set_down(&self, down: bool) {
        self.down.send_replace(down);
    }
}

fn names(event: &StreamEvent) -> Vec<String> {
    match event {
        StreamEvent::Snapshot { objects, .. } => objects.iter().map(|o| o.name.clone()).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn the_hub_says_the_cluster_is_gone_and_is_right_again_soon_after_it_returns() {
    let flaky = Flaky::new(&["before"]);
    let hub = Hub::start(flaky.client(), "ns");
    timeout(Duration::from_secs(5), hub.ready())
        .await
        .expect("the first lists");
    let (snapshot, mut receiver) = hub.join();
    assert_eq!(names(&snapshot), ["before"]);
    assert!(matches!(
        snapshot,
        StreamEvent::Snapshot {
            health: Health::Live,
            ..
        }
    ));

    flaky.set_down(true);
    let mut told = Vec::new();
    timeout(Duration::from_secs(5), async {
        while let Ok(message) = receiver.recv().await {
            if let StreamEvent::Health { health } = message.event() {
                told.push(health.clone());
                if matches!(health, Health::Unreachable { .. }) {
                    break;
                }
            }
        }
    })
    .await
    .expect("unreachable once the retry failed");
    assert!(
        matches!(told[0], Health::Reconnecting { .. }),
        "a break says reconnecting first: {told:?}"
    );
    assert_eq!(told[0].since(), told.last().and_then(Health::since));

    // Meanwhile the namespace changed; the return must show it.
    *flaky.names.lock().expect("names") = vec!["after".to_owned()];
    let lists = flaky.lists.load(Ordering::SeqCst);
    let back = Instant::now();
    flaky.set_down(false);
    let mut changes = Vec::new();
    timeout(Duration::from_secs(5), async {
        while let Ok(message) = receiver.recv().await {
            match message.event() {
                StreamEvent::Health {
                    health: Health::Live,
                } => break,
                StreamEvent::Deleted { name, .. } => changes.push(format!("-{name}")),
                StreamEvent::Changed { object } => changes.push(format!("~{}", object.name)),
                _ => {}
            }
        }
    })
    .await
    .expect("live again");
    let took = back.elapsed();
    assert!(
        took < crate::watch::MOST_PAUSE + Duration::from_millis(1_500),
        "live again {took:?} after the return"
    );
    assert_eq!(changes, ["-before", "~after"]);
    assert_eq!(names(&hub.snapshot()), ["after"]);
    let feeds = kinds::watched().count() + 1;
    assert_eq!(
        flaky.lists.load(Ordering::SeqCst) - lists,
        feeds,
        "one list per feed on the return, no more"
    );
}
