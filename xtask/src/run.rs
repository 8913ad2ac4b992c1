//! `cargo xtask run`: build everything, pick a cluster, start the proxy, print the address.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::{cluster, run_checked, say, site};

const HELP: &str = "usage: cargo xtask run [--cluster auto|current|local] [--context NAME] [--namespace NS] [--port N]

  --cluster auto     the current kubeconfig context when it answers, else the bundled local cluster (default)
  --cluster current  the current kubeconfig context (or --context), like kubectl
  --cluster local    the bundled local control plane (cargo xtask cluster up)";

#[derive(Debug, Default)]
struct Flags {
    cluster: String,
    proxy_args: Vec<String>,
}

fn parse(args: &[String]) -> Result<Flags> {
    let mut flags = Flags {
        cluster: "auto".into(),
        proxy_args: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{name} needs a value\n{HELP}"))
        };
        match arg.as_str() {
            "--cluster" => flags.cluster = value("--cluster")?,
            "--context" | "--namespace" | "--port" => {
                let v = value(arg)?;
                flags.proxy_args.extend([arg.clone(), v]);
            }
            "-h" | "--help" => bail!("{HELP}"),
            other => bail!("unknown flag {other}\n{HELP}"),
        }
    }
    if !["auto", "current", "local"].contains(&flags.cluster.as_str()) {
        bail!("--cluster takes auto, current or local\n{HELP}");
    }
    Ok(flags)
}

/// Build the proxy with the app embedded (release), after the app itself.
pub fn build_proxy(root: &Path, release: bool) -> Result<PathBuf> {
    say(if release {
        "building the proxy (release)…"
    } else {
        "building the proxy…"
    });
    let mut cargo = Command::new("cargo");
    cargo
        .args(["build", "--quiet", "--package", "kubefiche"])
        .current_dir(root);
    if release {
        cargo.arg("--release");
    }
    run_checked(&mut cargo)?;
    let target = crate::target_dir(root);
    Ok(target
        .join(if release { "release" } else { "debug" })
        .join("kubefiche"))
}

pub fn main(root: &Path, args: &[String]) -> Result<()> {
    let flags = parse(args)?;
    site::build(root)?;
    let proxy = build_proxy(root, true)?;
    let mut proxy_args = flags.proxy_args.clone();
    let use_current = match flags.cluster.as_str() {
        "current" => true,
        "local" => false,
        _ => {
            let answers = Command::new(&proxy)
                .arg("probe")
                .args(&flags.proxy_args)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !answers {
                say(
                    "no cluster answers at the current kubeconfig context: using the bundled local control plane",
                );
            }
            answers
        }
    };
    let started_cluster = !use_current && !cluster::running()?;
    if !use_current {
        let kubeconfig = cluster::up()?;
        proxy_args.extend(["--kubeconfig".into(), kubeconfig.display().to_string()]);
    }
    let mut child = Command::new(&proxy)
        .args(&proxy_args)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the proxy")?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    let pid = Pid::from_raw(i32::try_from(child.id()).context("the proxy's pid is out of range")?);
    // Ctrl-C or SIGTERM: ask the proxy to stop (a terminal's Ctrl-C reaches it too), wait for
    // it below, then stop what we started. An error means it is gone already.
    ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        let _ = kill(pid, Signal::SIGTERM);
    })
    .context("installing the Ctrl-C handler")?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            match line.strip_prefix("kubefiche is ready: ") {
                Some(url) => println!(
                    "\n  kubefiche is ready. Open this address in your browser:\n\n    {url}\n\n  (Ctrl-C stops it)\n"
                ),
                None => println!("{line}"),
            }
        }
    }
    let status = child.wait()?;
    if started_cluster {
        cluster::down()?;
    }
    if !status.success() && !interrupted.load(Ordering::SeqCst) {
        bail!("the proxy stopped: {status}");
    }
    Ok(())
}
