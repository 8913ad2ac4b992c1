//! The reference: the local cluster's own kubectl watching the same object (`kubectl get -w`,
//! started before the rounds), every line of its output stamped (`now_ms()`) as it is read.

use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use kubefiche_tests::cluster::{TestCluster, test_kubectl};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;
use tokio::sync::mpsc;

/// Milliseconds since the Unix epoch, as the page's `Date.now()` counts them (same machine).
pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// A `kubectl get -w` running in the background.
pub struct Watch {
    what: String,
    lines: mpsc::UnboundedReceiver<(f64, String)>,
    /// Killed when the watch is dropped.
    _child: Child,
}

impl Watch {
    /// Starts `kubectl get ARGS -w` in `namespace`, and waits for its first line (the object as
    /// it stands: the watch is established).
    pub async fn start(cluster: &TestCluster, namespace: &str, args: &[&str]) -> Result<Self> {
        let what = format!("kubectl get {} -w", args.join(" "));
        let mut child = tokio::process::Command::new(test_kubectl())
            .arg(format!(
                "--kubeconfig={}",
                cluster.kubeconfig_path().display()
            ))
            .args(["--namespace", namespace, "get"])
            .args(args)
            .arg("--watch")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {what}"))?;
        let stdout = child
            .stdout
            .take()
            .with_context(|| format!("the output of {what}"))?;
        let (send, lines) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if send.send((now_ms(), line)).is_err() {
                    break;
                }
            }
        });
        let mut watch = Self {
            what,
            lines,
            _child: child,
        };
        watch
            .until("its first line", Duration::from_secs(30), |_| true)
            .await?;
        Ok(watch)
    }

    /// Forgets every line read so far.
    pub fn drain(&mut self) {
        while self.lines.try_recv().is_ok() {}
    }

    /// When (`now_ms()`) the first line not yet taken that satisfies `wanted` was read.
    pub async fn until(
        &mut self,
        what: &str,
        timeout: Duration,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<f64> {
        let found = tokio::time::timeout(timeout, async {
            while let Some((at, line)) = self.lines.recv().await {
                if wanted(&line) {
                    return Some(at);
                }
            }
            None
        })
        .await;
        match found {
            Ok(Some(at)) => Ok(at),
            Ok(None) => bail!(
                "{} ended before {what}: is the local cluster still up?",
                self.what
            ),
            Err(_) => bail!("{} did not show {what} within {timeout:?}", self.what),
        }
    }
}
