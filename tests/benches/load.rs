//! The proxy under load, on the real binary against the local cluster (loopback only). Prints:
//! 1. with 1,000 open streams (`POST /api/stream`) for 10 minutes while a Deployment scales
//!    0 ↔ 50 every 10 s: the proxy's memory (VmRSS) at the start, middle and end, the latency
//!    from a ConfigMap patch to its arrival on every stream (p50/p95/p99, sampled every 5 s), and
//!    at the end whether every stream holds what `kubectl get` shows;
//! 2. 50 concurrent appliers of the whole Fiche 3 workspace through one proxy: applies per
//!    second, latency p50/p95, errors.
//!
//! Asserts nothing, but every wait is bounded. `KUBEFICHE_LOAD_MINUTES` (default 10) and
//! `KUBEFICHE_LOAD_STREAMS` (default 1000) shorten it while working on it. Run through
//! `cargo xtask bench load` (it sets `KUBEFICHE_TEST_KUBECONFIG` and `KUBEFICHE_BIN`).

#[path = "load/appliers.rs"]
mod appliers;
#[path = "load/check.rs"]
mod check;
#[path = "load/reader.rs"]
mod reader;
#[path = "load/report.rs"]
mod report;
#[path = "load/streams.rs"]
mod streams;

use std::time::Duration;

use anyhow::{Context, Result, bail};
use kubefiche_tests::cluster::{cluster, namespace};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// Open files each stream costs: its socket in this process and in the proxy (the proxy inherits
/// this process's limit), with room for the rest.
const FILES_PER_STREAM: u64 = 2;
const FILES_SPARE: u64 = 1024;

fn setting(name: &str, default: u64) -> Result<u64> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .with_context(|| format!("{name}={v} is not a whole number")),
        Err(_) => Ok(default),
    }
}

/// Raises the soft limit of open files to what `streams` need (the hard limit is the ceiling);
/// what it was and is, for the report.
fn raise_open_files(streams: u64) -> Result<String> {
    let needed = streams * FILES_PER_STREAM + FILES_SPARE;
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft >= needed {
        return Ok(format!("{soft} (enough, left as is)"));
    }
    if hard < needed {
        bail!(
            "{streams} streams need {needed} open files but the hard limit is {hard}: raise it (`ulimit -Hn`, as root) or set KUBEFICHE_LOAD_STREAMS lower"
        );
    }
    setrlimit(Resource::RLIMIT_NOFILE, needed, hard)?;
    Ok(format!("{needed} (raised from {soft})"))
}

static OPEN_FILES: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// What [`raise_open_files`] did.
pub fn open_files_note() -> &'static str {
    OPEN_FILES.get().map_or("?", String::as_str)
}

#[tokio::main]
async fn main() -> Result<()> {
    let minutes = setting("KUBEFICHE_LOAD_MINUTES", 10)?;
    let streams = setting("KUBEFICHE_LOAD_STREAMS", 1000)?;
    let _ = OPEN_FILES.set(raise_open_files(streams)?);
    let cluster = cluster().await;
    // Never hangs: the run, the settling and the comparison, with room to spare.
    let bound = Duration::from_secs(minutes * 60 + 600);
    {
        let ns = namespace("bench-load").await;
        let plan = streams::Plan {
            streams: usize::try_from(streams)?,
            minutes,
        };
        tokio::time::timeout(bound, streams::run(cluster, ns.name(), &plan))
            .await
            .context("the streams run went past its time bound")??;
    }
    let ns = namespace("bench-apply").await;
    tokio::time::timeout(Duration::from_secs(600), appliers::run(cluster, ns.name()))
        .await
        .context("the appliers went past their time bound")??;
    Ok(())
}
