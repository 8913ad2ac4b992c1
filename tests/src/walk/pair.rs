//! Two namespaces that should hold the same objects, one behind the page and one used directly:
//! waiting until they have settled alike, and choosing the object of one that corresponds to
//! an object of the other.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kubefiche_core::command::Kubectl;
use serde_json::Value;

use super::{Printed, SECONDS, direct};
use crate::cluster::TestCluster;

pub fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

/// The words kubectl gets when run directly: the command's own, its workspace file (`-f`)
/// read from standard input.
pub fn direct_args(command: &Kubectl) -> Vec<String> {
    let Some(path) = &command.file else {
        return command.args.clone();
    };
    command
        .args
        .iter()
        .map(|a| {
            if a == path {
                "-".to_owned()
            } else if let Some((flag, value)) = a.split_once('=')
                && value == path
            {
                format!("{flag}=-")
            } else {
                a.clone()
            }
        })
        .collect()
}

/// Whether a `kubectl get pods,jobs,…` listing shows nothing on its way: every pod Running or
/// Completed (none pending or terminating), every Job finished.
fn calm(listing: &Printed) -> bool {
    listing.stdout.lines().all(|l| {
        let status = l
            .split_whitespace()
            .nth(if l.starts_with("pod/") { 2 } else { 1 });
        if l.starts_with("pod/") {
            matches!(status, Some("Running" | "Completed"))
        } else if l.starts_with("job.batch/") {
            matches!(status, Some("Complete" | "Failed"))
        } else {
            true
        }
    })
}

/// Waits until namespaces `a` and `b` show the same objects in the same states (`kubectl get
/// pods,jobs,pvc,deployments,cronjobs`, made [`comparable`](super::comparable)), nothing on
/// its way ([`calm`]).
pub async fn settle(cluster: &TestCluster, a: &str, b: &str) -> Result<()> {
    let args = strings(&["get", "pods,jobs,pvc,deployments,cronjobs"]);
    let deadline = Instant::now() + SECONDS(90);
    loop {
        let listed_a = direct(cluster, a, &args, None).await?;
        let listed_b = direct(cluster, b, &args, None).await?;
        if listed_a.comparable(a) == listed_b.comparable(b) && calm(&listed_a) && calm(&listed_b) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "the two namespaces did not settle alike in 90 s:\n=== {a} ===\n{listed_a}\n=== {b} ===\n{listed_b}"
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Waits until `ns` holds a Job that a CronJob created.
pub async fn scheduled_job(cluster: &TestCluster, ns: &str, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    let args = strings(&["get", "jobs", "-o", "json"]);
    loop {
        let jobs = direct(cluster, ns, &args, None).await?;
        let list: Value = serde_json::from_str(&jobs.stdout).unwrap_or_default();
        let scheduled = list["items"].as_array().into_iter().flatten().any(|job| {
            job["metadata"]["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|o| o["kind"] == "CronJob")
        });
        if scheduled {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no Job scheduled by a CronJob in {ns} after {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The object of `kind` in `ns` a placeholder's picker offers first: the newest pod (carrying
/// `app=…` when given), not terminating; for other kinds the first by name.
pub async fn chosen(
    cluster: &TestCluster,
    ns: &str,
    kind: &str,
    app: Option<&str>,
) -> Result<String> {
    let mut args = strings(&["get", kind, "-o", "json"]);
    if let Some(app) = app {
        args.push(format!("--selector=app={app}"));
    }
    let listed = direct(cluster, ns, &args, None).await?;
    let list: Value = serde_json::from_str(&listed.stdout)
        .with_context(|| format!("listing {kind} in {ns}: {listed}"))?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut items: Vec<(String, bool, String)> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let m = &o["metadata"];
            (
                text(&m["creationTimestamp"]),
                m["deletionTimestamp"].is_null(),
                text(&m["name"]),
            )
        })
        .collect();
    if kind == "pod" {
        items.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
    } else {
        items.sort_by(|x, y| x.2.cmp(&y.2));
    }
    items
        .into_iter()
        .next()
        .map(|(_, _, name)| name)
        .with_context(|| format!("no {kind} in {ns} to fill a placeholder with"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_calm_when_nothing_is_on_its_way() {
        let listing = |stdout: &str| Printed {
            stdout: stdout.to_owned(),
            ..Printed::default()
        };
        let running = "NAME         READY   STATUS    RESTARTS   AGE\npod/web-x2k4q   1/1     Running   0          5s\n\nNAME              STATUS     COMPLETIONS   DURATION   AGE\njob.batch/j   Complete   1/1           3s         9s\n";
        assert!(calm(&listing(running)));
        assert!(!calm(&listing(&running.replace("Running", "Terminating"))));
        assert!(!calm(&listing(&running.replace("Complete ", "Running  "))));
    }
}
