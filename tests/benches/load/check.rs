//! Every stream against `kubectl get`: the objects it holds, digested as the page digests them,
//! must be those of the cluster, one for one and field for field (events left out: they come
//! and go on their own clock).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Result;
use kubefiche_core::live::{LiveObject, ObjectKey};
use kubefiche_tests::cluster::TestCluster;
use kubefiche_tests::live::cluster_view;

use crate::reader::{Held, object_of};

/// How the streams compared with the cluster, the last time they were compared.
pub struct Verdict {
    /// Streams holding exactly what `kubectl get` shows.
    pub equal: usize,
    /// Objects in the cluster (pods among them).
    pub objects: usize,
    pub pods: usize,
    /// The first differences found, for the report.
    pub differences: Vec<String>,
    /// Comparisons made before all agreed (or the time ran out).
    pub attempts: usize,
}

/// Compares every stream with the cluster until all agree or `timeout` passes (the cluster may
/// still be moving: both sides are read again).
pub async fn compare(
    cluster: &TestCluster,
    ns: &str,
    streams: &[Arc<Mutex<Held>>],
    timeout: Duration,
) -> Result<Verdict> {
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let view = cluster_view(cluster, ns).await?;
        let mut verdict = once(&view.objects, streams);
        verdict.attempts = attempts;
        if verdict.equal == streams.len() || started.elapsed() > timeout {
            return Ok(verdict);
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

fn once(
    cluster: &std::collections::BTreeMap<ObjectKey, LiveObject>,
    streams: &[Arc<Mutex<Held>>],
) -> Verdict {
    // Most streams hold the very same texts: judge each distinct text once.
    let mut judged: HashMap<ObjectKey, Vec<(String, Option<String>)>> = HashMap::new();
    let mut verdict = Verdict {
        equal: 0,
        objects: cluster.len(),
        pods: cluster.keys().filter(|k| k.kind == "Pod").count(),
        differences: Vec::new(),
        attempts: 0,
    };
    for (i, stream) in streams.iter().enumerate() {
        let held = stream.lock().unwrap_or_else(PoisonError::into_inner);
        let mut wrong = Vec::new();
        if held.ended {
            wrong.push("the stream ended".to_owned());
        }
        for key in cluster.keys() {
            if !held.objects.contains_key(key) {
                wrong.push(format!("{}/{} is missing", key.kind, key.name));
            }
        }
        for (key, text) in &held.objects {
            let Some(expected) = cluster.get(key) else {
                wrong.push(format!("{}/{} is in the stream only", key.kind, key.name));
                continue;
            };
            let variants = judged.entry(key.clone()).or_default();
            let found = variants
                .iter()
                .find(|(t, _)| t == text)
                .map(|(_, w)| w.clone());
            let problem = found.unwrap_or_else(|| {
                let problem = judge(text, expected);
                variants.push((text.clone(), problem.clone()));
                problem
            });
            wrong.extend(problem);
        }
        if wrong.is_empty() {
            verdict.equal += 1;
        } else if verdict.differences.len() < 5 {
            verdict
                .differences
                .push(format!("stream {i}: {}", wrong.join("; ")));
        }
    }
    verdict
}

/// What differs between a held text and the cluster's object (`None`: nothing).
fn judge(text: &str, expected: &LiveObject) -> Option<String> {
    match object_of(text) {
        Ok(seen) if &seen == expected => None,
        Ok(seen) => Some(format!(
            "{}/{} differs (stream: {:?}, cluster: {:?})",
            expected.kind, expected.name, seen.facts, expected.facts
        )),
        Err(e) => Some(format!("{}/{}: {e}", expected.kind, expected.name)),
    }
}
