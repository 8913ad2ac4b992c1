//! `cargo xtask test`: set up every tool, build the app, start (or reuse) the local cluster,
//! run every test of the workspace against it, and stop the cluster if this run started it.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::{cluster, run, run_checked, say, site, tools};

pub fn main(root: &Path, args: &[String]) -> Result<()> {
    tools::chromium()?;
    site::build(root)?;
    let proxy = run::build_proxy(root, false)?;
    let started_cluster = !cluster::running()?;
    let kubeconfig = cluster::up(false)?;
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
