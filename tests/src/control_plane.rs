//! Stopping and starting one process of the bundled control plane, for the fault tests.
//!
//! `cargo xtask cluster up` starts each component detached in its own process group and records
//! its pid in `<state>/pids/<name>.pid`, next to `<state>/pki/admin.kubeconfig` (the kubeconfig
//! the tests are given). A component is stopped for real (SIGTERM to its group, SIGKILL after a
//! grace period) so that its ports close and clients see refused connections, as when a cluster
//! goes away; it is started again with the very command line it ran with (read from
//! `/proc/<pid>/cmdline`): same ports, same data, same certificates. Its new pid goes to the same
//! pid file, so `cargo xtask cluster status|down` keep working. Linux only (`/proc`).

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::cluster::{TestCluster, eventually};

/// How long a component may take to stop after SIGTERM before it is killed.
const GRACE: Duration = Duration::from_secs(15);

/// One process of the control plane, as it was started.
#[derive(Debug, Clone)]
pub struct Component {
    pub name: String,
    pid_file: PathBuf,
    log: PathBuf,
    /// Its command line, program first.
    argv: Vec<OsString>,
    pid: u32,
}

/// The component `name` (`kube-apiserver`, `etcd`…) of the bundled cluster the tests run on.
pub fn component(cluster: &TestCluster, name: &str) -> Result<Component> {
    let state = state_dir(cluster.kubeconfig_path())?;
    let pid_file = state.join("pids").join(format!("{name}.pid"));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .with_context(|| {
            format!(
                "no {} (the fault tests need the bundled cluster of `cargo xtask cluster up`)",
                pid_file.display()
            )
        })?
        .trim()
        .parse()
        .with_context(|| format!("unreadable {}", pid_file.display()))?;
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline"))
        .with_context(|| format!("{name} (pid {pid}) does not run"))?;
    let argv: Vec<OsString> = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| OsString::from_vec(a.to_vec()))
        .collect();
    if !argv
        .iter()
        .any(|a| a.to_string_lossy().contains("kubefiche-cluster"))
    {
        bail!(
            "pid {pid} of {} is not the bundled control plane",
            pid_file.display()
        );
    }
    Ok(Component {
        name: name.to_owned(),
        pid_file,
        log: state.join("logs").join(format!("{name}.log")),
        argv,
        pid,
    })
}

/// The components of the cluster whose recorded process no longer runs.
pub fn not_running(cluster: &TestCluster) -> Result<Vec<String>> {
    let pids = state_dir(cluster.kubeconfig_path())?.join("pids");
    let mut stopped = Vec::new();
    for entry in std::fs::read_dir(&pids).with_context(|| format!("reading {}", pids.display()))? {
        let path = entry?.path();
        let pid = std::fs::read_to_string(&path)
            .ok()
            .and_then(|p| p.trim().parse().ok());
        if !pid.is_some_and(running) {
            stopped.push(
                path.file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    stopped.sort();
    Ok(stopped)
}

/// The API server's clients among the components: after the API server or etcd went away they
/// may back off for minutes, or stay stuck.
const CLIENTS: [&str; 2] = ["kube-controller-manager", "kube-scheduler"];

/// Puts the control plane back after a fault: its controllers and scheduler are started afresh,
/// then it waits until a new namespace gets its default ServiceAccount ([`settled`]).
pub async fn put_back(cluster: &TestCluster, timeout: Duration) -> Result<Duration> {
    for name in CLIENTS {
        component(cluster, name)?.stop().await?.end()?;
    }
    settled(cluster, timeout).await
}

/// Waits until the control plane works as a whole again after a fault: a new namespace gets its
/// default ServiceAccount (the controllers, which back off on their own after an outage, are
/// back); how long that took.
pub async fn settled(cluster: &TestCluster, timeout: Duration) -> Result<Duration> {
    let started = Instant::now();
    // A namespace of its own each time: the last one may still be terminating.
    static ROUND: AtomicUsize = AtomicUsize::new(0);
    let round = ROUND.fetch_add(1, Ordering::Relaxed);
    let name = format!("kf-settle-{}-{round}", std::process::id());
    eventually("the API server to create a namespace", timeout, || async {
        let out = cluster.kubectl(&["create", "namespace", &name], None).await;
        Ok((out.is_ok()
            || cluster
                .kubectl(&["get", "namespace", &name], None)
                .await
                .is_ok())
        .then_some(()))
    })
    .await?;
    let waited = eventually(
        "the controllers to give a new namespace its ServiceAccount",
        timeout.saturating_sub(started.elapsed()),
        || async {
            Ok(cluster
                .kubectl(&["get", "serviceaccount", "default", "-n", &name], None)
                .await
                .is_ok()
                .then(|| started.elapsed()))
        },
    )
    .await;
    let _ = cluster
        .kubectl(&["delete", "namespace", &name, "--wait=false"], None)
        .await;
    waited
}

/// `<state>` of `<state>/pki/admin.kubeconfig`.
fn state_dir(kubeconfig: &Path) -> Result<PathBuf> {
    kubeconfig
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "{} is not the bundled cluster's kubeconfig",
                kubeconfig.display()
            )
        })
}

/// Whether `pid` runs (exists and is not a zombie).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, rest) = stat.rsplit_once(')')?;
            rest.split_whitespace().next().map(|state| state != "Z")
        })
        .unwrap_or(false)
}

fn signal(pid: u32, signal: Signal) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = killpg(Pid::from_raw(pid), signal);
    }
}

impl Component {
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Stops it (SIGTERM to its group, SIGKILL after [`GRACE`]) and waits until it is gone. The
    /// [`Outage`] starts it again when ended — or when dropped, should the test fail meanwhile:
    /// the cluster is shared.
    pub async fn stop(self) -> Result<Outage> {
        let outage = Outage {
            component: Some(self),
        };
        if let Some(component) = &outage.component {
            component.kill().await?;
        }
        Ok(outage)
    }

    async fn kill(&self) -> Result<()> {
        signal(self.pid, Signal::SIGTERM);
        let deadline = Instant::now() + GRACE;
        while running(self.pid) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if running(self.pid) {
            signal(self.pid, Signal::SIGKILL);
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        if running(self.pid) {
            bail!("{} (pid {}) did not stop", self.name, self.pid);
        }
        Ok(())
    }

    /// Starts it again as it ran, detached in its own process group, its output appended to its
    /// log; returns the component as it now runs.
    fn start(&self) -> Result<Self> {
        let (program, args) = self.argv.split_first().context("an empty command line")?;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .with_context(|| format!("opening {}", self.log.display()))?;
        let child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {} again", self.name))?;
        let pid = child.id();
        // Not waited for: it outlives the test, as the cluster's processes do.
        drop(child);
        std::fs::write(&self.pid_file, pid.to_string())
            .with_context(|| format!("writing {}", self.pid_file.display()))?;
        Ok(Self {
            pid,
            ..self.clone()
        })
    }
}

/// A component stopped by a test.
pub struct Outage {
    component: Option<Component>,
}

impl Outage {
    /// Starts the component again (same command line, ports and data).
    pub fn end(mut self) -> Result<Component> {
        let component = self.component.take().context("already started")?;
        component.start()
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        if let Some(component) = self.component.take()
            && let Err(error) = component.start()
        {
            eprintln!("could not start {} again: {error:#}", component.name);
        }
    }
}
