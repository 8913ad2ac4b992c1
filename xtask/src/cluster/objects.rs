//! Talking to the new cluster through the bundled kubectl: readiness, and the objects it needs.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The provisioner name the default StorageClass points at (see `xtask/cluster/provisioner.go`).
pub const PROVISIONER: &str = "kubefiche.local/hostpath";

/// Simulated nodes: `(name, pod CIDR)`.
const NODES: [(&str, &str); 2] = [
    ("kwok-node-0", "10.244.0.0/24"),
    ("kwok-node-1", "10.244.1.0/24"),
];

fn manifests() -> String {
    let mut out = String::new();
    for (name, cidr) in NODES {
        out.push_str(&format!(
            "apiVersion: v1
kind: Node
metadata:
  name: {name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: {name}
    node-role.kubernetes.io/worker: \"\"
spec:
  podCIDR: {cidr}
  podCIDRs: [{cidr}]
status:
  capacity: {{cpu: \"16\", memory: 64Gi, pods: \"110\", ephemeral-storage: 200Gi}}
  allocatable: {{cpu: \"16\", memory: 64Gi, pods: \"110\", ephemeral-storage: 200Gi}}
---
"
        ));
    }
    out.push_str(&format!(
        "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: \"true\"
provisioner: {PROVISIONER}
reclaimPolicy: Delete
volumeBindingMode: Immediate
"
    ));
    out
}

/// `kubectl --kubeconfig <admin> <args…>`, returning stdout on success.
pub fn kubectl(
    bin: &Path,
    kubeconfig: &Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Result<String> {
    let mut child = Command::new(bin)
        .arg("kubectl")
        .arg(format!("--kubeconfig={}", kubeconfig.display()))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running the bundled kubectl")?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "kubectl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// True when the API server answers `/readyz` with `ok`.
pub fn api_ready(bin: &Path, kubeconfig: &Path) -> bool {
    kubectl(
        bin,
        kubeconfig,
        &["get", "--raw=/readyz", "--request-timeout=3s"],
        None,
    )
    .map(|s| s.trim() == "ok")
    .unwrap_or(false)
}

/// Retries `check` every half second until it holds or `timeout` passes.
pub fn wait_for(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return Ok(());
        }
        sleep(Duration::from_millis(500));
    }
    bail!("timed out after {timeout:?} waiting for {what}")
}

/// Creates the simulated nodes and the default StorageClass, then waits for the nodes to be
/// Ready and for the controllers to be at work (the `default` ServiceAccount exists).
pub fn ensure(bin: &Path, kubeconfig: &Path) -> Result<()> {
    kubectl(
        bin,
        kubeconfig,
        &[
            "apply",
            "--server-side",
            "--force-conflicts",
            "--field-manager=kubefiche-xtask",
            "-f",
            "-",
        ],
        Some(&manifests()),
    )
    .context("creating the simulated nodes and the default StorageClass")?;
    wait_for(
        "the simulated nodes to be Ready",
        Duration::from_secs(90),
        || {
            kubectl(bin, kubeconfig, &["get", "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"], None)
            .map(|s| s.lines().filter(|l| l.trim() == "True").count() >= NODES.len())
            .unwrap_or(false)
        },
    )?;
    wait_for(
        "the controllers (default ServiceAccount)",
        Duration::from_secs(90),
        || {
            kubectl(
                bin,
                kubeconfig,
                &[
                    "get",
                    "serviceaccount",
                    "default",
                    "-n",
                    "default",
                    "-o",
                    "name",
                ],
                None,
            )
            .is_ok()
        },
    )
}
