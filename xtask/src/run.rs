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

#[derive(clap::Args)]
pub struct Args {
    /// Which cluster the playground works with
    #[arg(long, value_enum, default_value_t = Choice::Auto)]
    cluster: Choice,
    /// The kubeconfig context (default: the current one)
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    /// The one namespace every object goes to (default: the context's, else `default`)
    #[arg(long, value_name = "NS")]
    namespace: Option<String>,
    /// The port of the proxy on 127.0.0.1 (default: 8417; 0 picks a free one)
    #[arg(long, value_name = "N")]
    port: Option<u16>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Choice {
    /// The current kubeconfig context when it answers within 5 seconds, else the local cluster
    Auto,
    /// The current kubeconfig context (or --context), like kubectl
    Current,
    /// The bundled local control plane (`cargo xtask cluster up`)
    Local,
}

impl Args {
    /// The flags handed on to the proxy (and to `kubefiche probe`).
    fn proxy_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        let port = self.port.map(|p| p.to_string());
        for (flag, value) in [
            ("--context", &self.context),
            ("--namespace", &self.namespace),
            ("--port", &port),
        ] {
            if let Some(value) = value {
                out.extend([flag.to_owned(), value.clone()]);
            }
        }
        out
    }
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

pub fn main(root: &Path, args: &Args) -> Result<()> {
    site::build(root)?;
    let proxy = build_proxy(root, true)?;
    let proxy_args = args.proxy_args();
    let use_current = match args.cluster {
        Choice::Current => true,
        Choice::Local => false,
        Choice::Auto => {
            let answers = Command::new(&proxy)
                .arg("probe")
                .args(&proxy_args)
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
    if use_current {
        serve(&proxy, &proxy_args)
    } else {
        cluster::with_local(|kubeconfig| {
            let mut proxy_args = proxy_args.clone();
            proxy_args.extend(["--kubeconfig".into(), kubeconfig.display().to_string()]);
            proxy_args.extend(bundled_kubectl()?);
            serve(&proxy, &proxy_args)
        })
    }
}

/// The proxy's flags for running learner commands with the local cluster's own kubectl (the
/// version of its API server, nothing to install).
fn bundled_kubectl() -> Result<Vec<String>> {
    let kubectl = cluster::kubectl_program()?;
    Ok(vec!["--kubectl".into(), kubectl.display().to_string()])
}

/// Runs the proxy until it stops, showing the address to open once it is ready.
fn serve(proxy: &Path, args: &[String]) -> Result<()> {
    let mut child = Command::new(proxy)
        .args(args)
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
    if !status.success() && !interrupted.load(Ordering::SeqCst) {
        bail!("the proxy stopped: {status}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Args, Choice};

    #[derive(Parser)]
    struct Run {
        #[command(flatten)]
        args: Args,
    }

    fn parse(line: &[&str]) -> Result<Args, clap::Error> {
        Run::try_parse_from(std::iter::once("run").chain(line.iter().copied())).map(|r| r.args)
    }

    #[test]
    fn auto_is_the_default_and_nothing_goes_to_the_proxy() {
        let args = parse(&[]).expect("no flags parse");
        assert!(args.cluster == Choice::Auto);
        assert!(args.proxy_args().is_empty());
    }

    #[test]
    fn context_namespace_and_port_go_to_the_proxy() {
        let args = parse(&[
            "--cluster",
            "current",
            "--port",
            "0",
            "--context",
            "kind-a",
            "--namespace=ns",
        ])
        .expect("flags parse");
        assert!(args.cluster == Choice::Current);
        assert_eq!(
            args.proxy_args(),
            ["--context", "kind-a", "--namespace", "ns", "--port", "0"]
        );
    }

    #[test]
    fn unknown_choices_and_bad_ports_are_refused() {
        assert!(parse(&["--cluster", "remote"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }
}
