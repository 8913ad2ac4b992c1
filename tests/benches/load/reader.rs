//! A stream client light enough to run a thousand of on the proxy's two cores: it keeps, per
//! object, the text of the last `changed` event rather than parsing it (parsing waits for the
//! end, where every stream is compared with the cluster), and it scans the probe's label for the
//! latency rounds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use anyhow::{Context, Result};
use axum::body::Body;
use http_body_util::BodyExt;
use kubefiche_core::live::{LiveObject, ObjectKey};
use kubefiche_core::wire::StreamEvent;
use kubefiche_tests::crowd::PROBE;
use tokio::sync::mpsc;

/// What one stream holds: per object, the JSON of its last `changed` event.
#[derive(Debug, Default)]
pub struct Held {
    pub objects: HashMap<ObjectKey, String>,
    /// Snapshots received: the first one, then one per resynchronisation (a tab that fell behind).
    pub snapshots: usize,
    /// `problem` messages (a watch of the proxy broke).
    pub problems: usize,
    /// Every event received, snapshots included.
    pub events: usize,
    pub bytes: usize,
    /// The stream ended (the proxy closed it, or the connection broke).
    pub ended: bool,
}

/// The probe's `round` label seen by stream `stream`, at `at`.
pub struct Heard {
    pub stream: usize,
    pub round: u64,
    pub at: Instant,
}

/// Counters shared by every stream: how many got their first snapshot, how many ended.
#[derive(Default)]
pub struct Totals {
    pub started: AtomicUsize,
    pub ended: AtomicUsize,
}

/// Reads `body` (an open `POST /api/stream`) in a task of its own; what it holds.
pub fn read(
    stream: usize,
    body: Body,
    heard: mpsc::UnboundedSender<Heard>,
    totals: Arc<Totals>,
) -> Arc<Mutex<Held>> {
    let held = Arc::new(Mutex::new(Held::default()));
    let state = held.clone();
    tokio::spawn(async move {
        let mut body = body;
        let mut buffer: Vec<u8> = Vec::new();
        while let Some(Ok(frame)) = body.frame().await {
            let Some(data) = frame.data_ref() else {
                continue;
            };
            // A block ends with a blank line; look only where the new bytes can complete one.
            let mut from = buffer.len().saturating_sub(1);
            buffer.extend_from_slice(data);
            let mut taken = 0;
            while let Some(end) = find_blank_line(&buffer[from..]) {
                let end = from + end;
                let block = &buffer[taken..end];
                from = end + 2;
                let first = {
                    let mut held = state.lock().unwrap_or_else(PoisonError::into_inner);
                    held.bytes += block.len() + 2;
                    let first = held.snapshots == 0;
                    take(stream, block, &mut held, &heard);
                    first && held.snapshots > 0
                };
                if first {
                    totals.started.fetch_add(1, Ordering::Relaxed);
                }
                taken = from;
            }
            buffer.drain(..taken);
        }
        state.lock().unwrap_or_else(PoisonError::into_inner).ended = true;
        totals.ended.fetch_add(1, Ordering::Relaxed);
    });
    held
}

/// Where the next `\n\n` starts. The JSON of an event holds no raw line break, so the first
/// line break of a block is the end of its data line: `memchr` jumps over the JSON quickly.
fn find_blank_line(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'\n', &bytes[at..]) {
        let i = at + i;
        if bytes.get(i + 1) == Some(&b'\n') {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// Folds one server-sent event block into `held`.
fn take(stream: usize, block: &[u8], held: &mut Held, heard: &mpsc::UnboundedSender<Heard>) {
    let Some(data) = block.strip_prefix(b"data: ") else {
        return; // a keep-alive comment
    };
    let Ok(data) = std::str::from_utf8(data) else {
        held.problems += 1;
        return;
    };
    held.events += 1;
    if data.starts_with("{\"type\":\"changed\"") {
        let key = changed_key(data).or_else(|| match serde_json::from_str(data) {
            Ok(StreamEvent::Changed { object }) => Some(object.key()),
            _ => None,
        });
        let Some(key) = key else {
            held.problems += 1;
            return;
        };
        if key.kind == "ConfigMap"
            && key.name == PROBE
            && let Some(round) = round_of(data)
        {
            let _ = heard.send(Heard {
                stream,
                round,
                at: Instant::now(),
            });
        }
        held.objects.insert(key, data.to_owned());
    } else if data.starts_with("{\"type\":\"deleted\"") {
        if let Ok(StreamEvent::Deleted { kind, name }) = serde_json::from_str(data) {
            held.objects.remove(&ObjectKey::new(kind, name));
        }
    } else if data.starts_with("{\"type\":\"snapshot\"") {
        let Ok(StreamEvent::Snapshot { objects, .. }) = serde_json::from_str(data) else {
            held.problems += 1;
            return;
        };
        held.snapshots += 1;
        held.objects = objects
            .into_iter()
            .filter_map(|object| {
                let key = object.key();
                let text = serde_json::to_string(&StreamEvent::Changed { object }).ok()?;
                Some((key, text))
            })
            .collect();
    } else if data.starts_with("{\"type\":\"problem\"") {
        held.problems += 1;
    }
}

/// Kind and name of a `changed` event, read from the start of its text (the object's first two
/// fields), without parsing the rest.
fn changed_key(data: &str) -> Option<ObjectKey> {
    let rest = data.strip_prefix("{\"type\":\"changed\",\"object\":{\"kind\":\"")?;
    let (kind, rest) = rest.split_once('"')?;
    let rest = rest.strip_prefix(",\"name\":\"")?;
    let (name, _) = rest.split_once('"')?;
    Some(ObjectKey::new(kind, name))
}

/// The value of the probe's `round` label in an event's text.
fn round_of(data: &str) -> Option<u64> {
    let start = data.find("[\"round\",\"")? + "[\"round\",\"".len();
    let rest = &data[start..];
    rest[..rest.find('"')?].parse().ok()
}

/// The object a held text describes.
pub fn object_of(text: &str) -> Result<LiveObject> {
    match serde_json::from_str(text).context("a held event does not parse")? {
        StreamEvent::Changed { object } => Ok(object),
        _ => anyhow::bail!("a held event is not a `changed` one"),
    }
}
