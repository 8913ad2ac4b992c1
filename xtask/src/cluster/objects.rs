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
---
"
    ));
    // The API server talks to the kubelet API as this user (as on a kubeadm cluster); the
    // kubelet API asks the API server whether its callers may (SubjectAccessReview).
    out.push_str(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kubefiche:apiserver-kubelet-client
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:kubelet-api-admin}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: kube-apiserver-kubelet-client}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kubefiche:kubelet-api-auth-delegator
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:auth-delegator}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: kubefiche-kubelet}
",
    );
    out
}

/// Points each node at the kubelet API: kwok writes address and port only when it makes a
/// node Ready, so a node made by an earlier version of the cluster (or before the port was
/// chosen) is corrected here.
fn point_nodes_at_kubelet(bin: &Path, kubeconfig: &Path, kubelet_port: u16) -> Result<()> {
    for (name, _) in NODES {
        let patch = format!(
            r#"{{"status":{{"addresses":[{{"type":"InternalIP","address":"127.0.0.1"}},{{"type":"Hostname","address":"{name}"}}],"daemonEndpoints":{{"kubeletEndpoint":{{"Port":{kubelet_port}}}}}}}}}"#
        );
        kubectl(
            bin,
            kubeconfig,
            &[
                "patch",
                "node",
                name,
                "--subresource=status",
                "--type=merge",
                "-p",
                &patch,
            ],
            None,
        )
        .with_context(|| format!("pointing node {name} at the kubelet API"))?;
    }
    Ok(())
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

/// Creates the simulated nodes, the default StorageClass and the kubelet API's RBAC, then waits
/// for the nodes to be Ready (pointing them at the kubelet API on `kubelet_port`) and for the
/// controllers to be at work (the `default` ServiceAccount exists).
pub fn ensure(bin: &Path, kubeconfig: &Path, kubelet_port: u16) -> Result<()> {
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
    .context("creating the simulated nodes, the default StorageClass and RBAC")?;
    wait_for(
        "the simulated nodes to be Ready",
        Duration::from_secs(90),
        || {
            kubectl(bin, kubeconfig, &["get", "nodes", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"], None)
            .map(|s| s.lines().filter(|l| l.trim() == "True").count() >= NODES.len())
            .unwrap_or(false)
        },
    )?;
    point_nodes_at_kubelet(bin, kubeconfig, kubelet_port)?;
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
