//! `cargo xtask test`: set up every tool, build the app, start (or reuse) the local cluster,
//! run every test of the workspace against it, and stop the cluster if this run started it.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::{cluster, run_checked, say, site, tools};

pub fn main(root: &Path, args: &[String]) -> Result<()> {
    tools::chromium()?;
    site::build(root)?;
    // Build every test, and with them the proxy binary, in one go: building the proxy alone
    // would resolve other crate features and compile much of it twice.
    say("building the tests and the proxy…");
    run_checked(
        Command::new("cargo")
            .args(["test", "--workspace", "--no-run", "--quiet"])
            .current_dir(root),
    )?;
    let proxy = crate::target_dir(root).join("debug").join("kubefiche");
    let started_cluster = !cluster::running()?;
    let kubeconfig = cluster::up()?;
    say("running the tests…");
    let result = run_checked(
        Command::new("cargo")
            .args(["test", "--workspace", "--no-fail-fast"])
            .args(args)
            .env("KUBEFICHE_TEST_KUBECONFIG", &kubeconfig)
            .env("KUBEFICHE_BIN", &proxy)
            .env("KUBEFICHE_SITE", site::dir(root))
            .current_dir(root),
    );
    if started_cluster {
        cluster::down()?;
    }
    result
}
