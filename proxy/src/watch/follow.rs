//! One feed's task: list, watch, and after each break a short pause and a fresh list.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::StreamExt;
use kube::Api;
use kube::api::DynamicObject;
use kube::runtime::watcher::{self, Event};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::health::Pause;
use super::{Entry, Feed, Hub, remove, replace, trim, upsert};

/// Watch one feed for as long as the runtime runs: after each break, a short pause and a fresh
/// list.
pub(super) fn follow(
    hub: Hub,
    index: usize,
    feed: Feed,
    api: Api<DynamicObject>,
    listed: Arc<watch::Sender<usize>>,
    stop: CancellationToken,
) {
    tokio::spawn(stop.clone().run_until_cancelled_owned(async move {
        let mut pause = Pause::default();
        let mut first = true;
        loop {
            let error = follow_once(&hub, index, &feed, api.clone(), &mut |hub: &Hub| {
                hub.recovered(index);
                pause.reset();
                if first {
                    first = false;
                    listed.send_modify(|n| *n += 1);
                }
            })
            .await;
            tracing::warn!(%error, kind = feed.label, "watch interrupted; listing again");
            hub.failed(index, error);
            tokio::time::sleep(pause.next()).await;
        }
    }));
}

/// List and watch once, folding each step into the hub, until the first error (returned).
/// `on_listed` runs each time the list is complete and in place.
async fn follow_once(
    hub: &Hub,
    index: usize,
    feed: &Feed,
    api: Api<DynamicObject>,
    on_listed: &mut impl FnMut(&Hub),
) -> String {
    let stream = watcher::watcher(api, watcher::Config::default());
    let mut stream = std::pin::pin!(stream);
    let mut fresh: Option<BTreeMap<String, Entry>> = None;
    while let Some(step) = stream.next().await {
        let digest = |object: &DynamicObject| {
            serde_json::to_value(object)
                .ok()
                .and_then(|value| (feed.digest)(&value))
        };
        match step {
            Ok(Event::Init) => fresh = Some(BTreeMap::new()),
            Ok(Event::InitApply(object)) => {
                if let (Some(fresh), Some((key, entry))) = (fresh.as_mut(), digest(&object)) {
                    fresh.insert(key, entry);
                }
            }
            Ok(Event::InitDone) => {
                let mut listed_now = fresh.take().unwrap_or_default();
                trim(&mut listed_now, feed.most);
                hub.update(index, |current| replace(current, listed_now));
                on_listed(hub);
            }
            Ok(Event::Apply(object)) => {
                if let Some((key, entry)) = digest(&object) {
                    hub.update(index, |current| upsert(current, key, entry, feed.most));
                }
            }
            Ok(Event::Delete(object)) => {
                if let Some((key, _)) = digest(&object) {
                    hub.update(index, |current| remove(current, &key));
                }
            }
            Err(error) => return error.to_string(),
        }
    }
    // The watcher never ends by itself; should it, a fresh list is the way on.
    "the watch ended".to_owned()
}
