//! The bundled local control plane: a real etcd, kube-apiserver, kube-controller-manager and
//! kube-scheduler, with simulated nodes (kwok) and a small volume provisioner — all one Go binary
//! built from `xtask/cluster/` (see its README). State lives in `.kubefiche/cluster/`, or in the
//! directory `KUBEFICHE_CLUSTER_STATE` names: a second, private cluster on ports of its own (e.g.
//! to try a fault without stopping the cluster everyone else uses).
//!
//! `cargo xtask cluster up|down|status|build|kubectl`; the other commands use the cluster
//! through [`with_local`].

mod build;

pub use build::module_cache;
mod components;
mod objects;
mod ports;
mod process;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::say;

#[derive(clap::Subcommand)]
pub enum Task {
    /// Build if needed, start the cluster (or reuse it), print KUBECONFIG=… as the last line
    Up,
    /// Stop every process the cluster started
    Down,
    /// Print what runs: each process's pid, state, port and memory; whether the API is ready
    Status,
    /// Build the control plane's binary if its sources changed, and print its path
    Build,
    /// Run the bundled kubectl against the cluster; every argument goes to kubectl
    #[command(disable_help_flag = true)]
    Kubectl {
        /// kubectl's arguments, e.g. `get pods -A`
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// Names another state directory than `.kubefiche/cluster/`: another cluster.
const STATE_ENV: &str = "KUBEFICHE_CLUSTER_STATE";

/// Where everything lives.
pub struct Layout {
    /// The Go module (`xtask/cluster/`).
    go_module: PathBuf,
    /// Where the built binary is cached (`target/kubefiche-cluster/`).
    bin_dir: PathBuf,
    /// `.kubefiche/cluster/`.
    state: PathBuf,
    pki: PathBuf,
    etcd_data: PathBuf,
    volumes: PathBuf,
    logs: PathBuf,
    pids: PathBuf,
    /// The simulated nodes' test log file and exec work dir (see `xtask/cluster/plumbing.yaml`).
    plumbing: PathBuf,
}

impl Layout {
    fn new() -> Result<Self> {
        let root = crate::root();
        let target = crate::target_dir(&root);
        let state = std::env::var_os(STATE_ENV)
            .filter(|dir| !dir.is_empty())
            .map_or_else(|| root.join(".kubefiche").join("cluster"), PathBuf::from);
        Ok(Self {
            go_module: root.join("xtask").join("cluster"),
            bin_dir: target.join("kubefiche-cluster"),
            pki: state.join("pki"),
            etcd_data: state.join("etcd"),
            volumes: state.join("volumes"),
            logs: state.join("logs"),
            pids: state.join("pids"),
            plumbing: state.join("plumbing"),
            state,
        })
    }

    /// The kubeconfig handed to users and tests (cluster-admin).
    pub fn kubeconfig(&self) -> PathBuf {
        self.pki.join("admin.kubeconfig")
    }

    fn pid_file(&self, name: &str) -> PathBuf {
        self.pids.join(format!("{name}.pid"))
    }

    fn ports_file(&self) -> PathBuf {
        self.state.join("ports.txt")
    }
}

pub fn main(task: Task) -> Result<()> {
    match task {
        Task::Up => {
            let kubeconfig = up()?;
            println!("KUBECONFIG={}", kubeconfig.display());
            Ok(())
        }
        Task::Down => down(),
        Task::Status => status(),
        Task::Build => {
            let bin = build::ensure_binary(&Layout::new()?)?;
            println!("{}", bin.display());
            Ok(())
        }
        Task::Kubectl { args } => {
            let layout = Layout::new()?;
            let status = std::process::Command::new(kubectl_program()?)
                .arg(format!("--kubeconfig={}", layout.kubeconfig().display()))
                .args(&args)
                .status()?;
            if !status.success() {
                bail!("kubectl exited with {status}");
            }
            Ok(())
        }
    }
}

/// The bundled kubectl, `target/kubefiche-cluster/kubectl` (a link to the control plane's
/// binary, built first when missing or stale): a plain kubectl program, e.g. for
/// `KUBEFICHE_KUBECTL` when the proxy runs against the local cluster.
pub fn kubectl_program() -> Result<PathBuf> {
    let layout = Layout::new()?;
    build::ensure_binary(&layout)?;
    Ok(layout.bin_dir.join("kubectl"))
}

/// Runs `work` with the local cluster's kubeconfig: the cluster is started when it does not run
/// yet, and then stopped again afterwards, whether `work` succeeds or not.
pub fn with_local<T>(work: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let started = !running()?;
    let result = up().and_then(|kubeconfig| work(&kubeconfig));
    if started {
        let stopped = down();
        // The first failure is the one to tell.
        return result.and_then(|value| stopped.map(|()| value));
    }
    result
}

/// Starts the local cluster, or reuses it when it already runs, and returns its admin kubeconfig.
fn up() -> Result<PathBuf> {
    let layout = Layout::new()?;
    let bin = build::ensure_binary(&layout)?;
    for dir in [
        &layout.state,
        &layout.pki,
        &layout.etcd_data,
        &layout.volumes,
        &layout.logs,
        &layout.pids,
    ] {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let kubeconfig = layout.kubeconfig();
    if let Some(ports) = ports::load(&layout.ports_file()) {
        let comps = components::all(&layout, &ports);
        let all_alive = comps
            .iter()
            .all(|c| process::read_pid(&layout.pid_file(c.name)).is_some_and(process::alive));
        if all_alive && objects::api_ready(&bin, &kubeconfig) {
            say(&format!(
                "the local cluster already runs (API on https://127.0.0.1:{})",
                ports.apiserver
            ));
            return Ok(kubeconfig);
        }
    }
    // Whatever is left of an earlier run (a crashed component, a half start) goes first.
    stop(&layout, true)?;

    let started = Instant::now();
    let ports = ports::load_or_choose(&layout.ports_file())?;
    let server = format!("https://127.0.0.1:{}", ports.apiserver);
    let status = std::process::Command::new(&bin)
        .args(["pki", "--dir"])
        .arg(&layout.pki)
        .arg(format!("--server={server}"))
        .status()
        .context("generating the cluster certificates")?;
    if !status.success() {
        bail!(
            "generating the certificates in {} failed",
            layout.pki.display()
        );
    }
    say(&format!(
        "starting the local control plane (API {server}, state in {})…",
        layout.state.display()
    ));
    for comp in components::all(&layout, &ports) {
        let log = layout.logs.join(format!("{}.log", comp.name));
        let pid = process::spawn(
            &bin,
            comp.name,
            &comp.args,
            &log,
            &layout.pid_file(comp.name),
        )?;
        let check_alive = |what: &str| -> Result<()> {
            if !process::alive(pid) {
                bail!(
                    "{} exited while {what}; its log ends with:\n{}",
                    comp.name,
                    log_tail(&log, 20)
                );
            }
            Ok(())
        };
        match comp.name {
            "etcd" => objects::wait_for("etcd", Duration::from_secs(30), || {
                std::net::TcpStream::connect(("127.0.0.1", ports.etcd)).is_ok()
                    || !process::alive(pid)
            })?,
            "kube-apiserver" => {
                objects::wait_for("kube-apiserver /readyz", Duration::from_secs(120), || {
                    !process::alive(pid) || objects::api_ready(&bin, &kubeconfig)
                })
                .with_context(|| format!("see {}", log.display()))?;
                say(&format!(
                    "  API server ready after {:.0?}",
                    started.elapsed()
                ));
            }
            _ => {}
        }
        check_alive("starting")?;
    }
    objects::ensure(&bin, &kubeconfig, ports.kubelet)
        .with_context(|| format!("logs are in {}", layout.logs.display()))?;
    say(&format!(
        "local cluster ready in {:.0?}: 2 simulated nodes (16 CPU, 64Gi, 110 pods each)",
        started.elapsed()
    ));
    Ok(kubeconfig)
}

/// Stops every process the cluster started (SIGTERM, then SIGKILL after a grace period).
fn down() -> Result<()> {
    stop(&Layout::new()?, false)
}

fn stop(layout: &Layout, quiet: bool) -> Result<()> {
    let Ok(entries) = fs::read_dir(&layout.pids) else {
        if !quiet {
            say("the local cluster is not running");
        }
        return Ok(());
    };
    let files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let named = |f: &PathBuf| {
        f.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let all: Vec<u32> = files.iter().filter_map(|f| process::read_pid(f)).collect();
    let running = all.iter().filter(|p| process::alive(**p)).count();
    if !quiet {
        say(&if running == 0 {
            "the local cluster is not running".to_owned()
        } else {
            format!("stopping the local cluster ({running} processes)…")
        });
    }
    // Clients of the API first, then the API server, then etcd: each shuts down cleanly only
    // while what it depends on still answers.
    let waves: [(&[&str], u64); 3] = [(&[], 10), (&["kube-apiserver"], 20), (&["etcd"], 10)];
    for (i, (names, grace)) in waves.iter().enumerate() {
        let pids: Vec<u32> = files
            .iter()
            .filter(|f| {
                let n = named(f);
                if i == 0 {
                    n != "kube-apiserver" && n != "etcd"
                } else {
                    names.contains(&n.as_str())
                }
            })
            .filter_map(|f| process::read_pid(f))
            .collect();
        let killed = process::stop_all(&pids, Duration::from_secs(*grace));
        if !killed.is_empty() && !quiet {
            say(&format!("  had to SIGKILL: {killed:?}"));
        }
    }
    if let Some(left) = all.iter().find(|p| process::alive(**p)) {
        bail!("process {left} of the local cluster would not stop");
    }
    for f in files {
        let _ = fs::remove_file(f);
    }
    Ok(())
}

/// Prints what runs: per process pid, liveness, port and memory; whether the API is ready.
fn status() -> Result<()> {
    let layout = Layout::new()?;
    let Some(ports) = ports::load(&layout.ports_file()) else {
        println!("the local cluster was never started here (`cargo xtask cluster up`)");
        return Ok(());
    };
    let mut any_alive = false;
    for comp in components::all(&layout, &ports) {
        let pid = process::read_pid(&layout.pid_file(comp.name));
        let alive = pid.is_some_and(process::alive);
        any_alive |= alive;
        let port = if comp.port == 0 {
            "-".to_owned()
        } else {
            comp.port.to_string()
        };
        let rss = pid
            .filter(|_| alive)
            .and_then(process::resident_bytes)
            .map_or_else(|| "-".to_owned(), |b| format!("{} MiB", b >> 20));
        let pid = pid.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let state = if alive { "running" } else { "stopped" };
        println!(
            "{:<24} pid {pid:<8} {state:<8} port {port:<6} rss {rss}",
            comp.name
        );
    }
    let bin = layout.bin_dir.join("kubefiche-cluster");
    let ready = any_alive && bin.is_file() && objects::api_ready(&bin, &layout.kubeconfig());
    println!(
        "API https://127.0.0.1:{} ready: {}",
        ports.apiserver,
        if ready { "yes" } else { "no" }
    );
    println!("KUBECONFIG={}", layout.kubeconfig().display());
    Ok(())
}

fn log_tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Whether any process of the local cluster runs (so that a caller knows whether it started it).
fn running() -> Result<bool> {
    let layout = Layout::new()?;
    let Some(ports) = ports::load(&layout.ports_file()) else {
        return Ok(false);
    };
    Ok(components::all(&layout, &ports)
        .iter()
        .any(|c| process::read_pid(&layout.pid_file(c.name)).is_some_and(process::alive)))
}
