//! kubectl as the test runs it: with a kubeconfig named in its arguments, and the clean-up of
//! what the manifests made.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Result, ensure};
use kubefiche_tests::cluster::{Outcome, run_kubectl, test_kubectl, workspace_root};

use super::{FIELD_MANAGER, FILES};

/// `kubectl apply --server-side` of a file (`-` for stdin), taking over any field a run cut
/// short left behind.
pub fn server_side_apply(file: &str) -> Vec<&str> {
    let mut args = vec!["apply", "--server-side", "--force-conflicts"];
    args.extend(["--field-manager", FIELD_MANAGER, "-f", file]);
    args
}

/// kubectl with this kubeconfig.
pub async fn kubectl(kubeconfig: &Path, args: &[&str], stdin: Option<&str>) -> Result<Outcome> {
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let all: Vec<&str> = std::iter::once(kc.as_str())
        .chain(args.iter().copied())
        .collect();
    run(&all, stdin).await
}

/// kubectl with this kubeconfig; its output, or its error.
pub async fn checked(kubeconfig: &Path, args: &[&str], stdin: Option<&str>) -> Result<String> {
    ok(kubectl(kubeconfig, args, stdin).await?)
}

pub fn ok(out: Outcome) -> Result<String> {
    ensure!(out.code == Some(0), "{}", out.stderr.trim());
    Ok(out.stdout)
}

/// kubectl with exactly these arguments (`KUBECONFIG` unset: the arguments name the file).
pub async fn run(args: &[&str], stdin: Option<&str>) -> Result<Outcome> {
    run_kubectl(args, stdin, Duration::from_secs(60)).await
}

/// Deletes what the test made, however it ended: the seat's namespace, every object of the
/// manifests, the proxy's kubeconfig file.
pub struct Cleanup {
    pub admin: PathBuf,
    pub seat: String,
    pub proxy_kubeconfig: PathBuf,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let kc = format!("--kubeconfig={}", self.admin.display());
        let delete = |args: &[&str]| {
            let _ = std::process::Command::new(test_kubectl())
                .arg(&kc)
                .args(["delete", "--ignore-not-found", "--wait=false"])
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        };
        if !self.seat.is_empty() {
            delete(&["namespace", &self.seat]);
        }
        for file in FILES.iter().rev() {
            delete(&["-f", &workspace_root().join(file).to_string_lossy()]);
        }
        let _ = std::fs::remove_file(&self.proxy_kubeconfig);
    }
}
