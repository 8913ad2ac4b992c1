//! The cluster every test runs against, and one namespace per test.
//!
//! [`cluster`] is the cluster named by `KUBEFICHE_TEST_KUBECONFIG`: `cargo xtask test` starts
//! (or reuses) the bundled local control plane and sets it; a test never starts a cluster itself.
//! These tests are marked ignored, with that reason, so a plain `cargo test` skips them visibly.
//! [`namespace`] gives each test its own namespace, deleted when the guard drops, so tests run in
//! parallel without seeing each other.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::api::{Api, DeleteParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use tokio::io::AsyncWriteExt;

/// Environment variable naming a kubeconfig to test against instead of the bundled cluster.
pub const KUBECONFIG_ENV: &str = "KUBEFICHE_TEST_KUBECONFIG";

/// A running cluster shared by all tests of the process.
#[derive(Debug)]
pub struct TestCluster {
    kubeconfig: PathBuf,
}

/// How a kubectl run ended.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The kubectl of the tests: the bundled cluster's own (its multi-call binary answers to the
/// name `kubectl`) when it was built, else `kubectl` from PATH.
pub fn test_kubectl() -> PathBuf {
    let bundled = workspace_root()
        .join("target")
        .join("kubefiche-cluster")
        .join("kubectl");
    if bundled.exists() {
        bundled
    } else {
        PathBuf::from("kubectl")
    }
}

static CLUSTER: OnceLock<std::result::Result<TestCluster, String>> = OnceLock::new();

/// The workspace root (the parent of `tests/`).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

/// The test cluster. Panics with what to do when none is named.
pub async fn cluster() -> &'static TestCluster {
    match CLUSTER.get_or_init(find) {
        Ok(cluster) => cluster,
        Err(e) => panic!("no test cluster: {e}"),
    }
}

fn find() -> std::result::Result<TestCluster, String> {
    let Some(path) = std::env::var_os(KUBECONFIG_ENV) else {
        return Err(format!(
            "{KUBECONFIG_ENV} is not set. Run the cluster tier with `cargo xtask test`, or start the \
             local cluster with `cargo xtask cluster up` and set {KUBECONFIG_ENV} to the path it prints"
        ));
    };
    Ok(TestCluster {
        kubeconfig: PathBuf::from(path),
    })
}

/// A client for the cluster described by `kubeconfig`.
pub async fn client_for(kubeconfig: &Path) -> Result<Client> {
    let kc = Kubeconfig::read_from(kubeconfig)
        .with_context(|| format!("reading {}", kubeconfig.display()))?;
    let config = Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default()).await?;
    Ok(Client::try_from(config)?)
}

impl TestCluster {
    /// The kubeconfig of the cluster (cluster-admin).
    pub fn kubeconfig_path(&self) -> &Path {
        &self.kubeconfig
    }

    /// A fresh client, bound to the calling test's runtime (a client must not outlive its runtime,
    /// so none is shared between tests).
    pub async fn client(&self) -> Result<Client> {
        client_for(&self.kubeconfig).await
    }

    /// Runs [`test_kubectl`] with `args` against the cluster (`stdin` given, then end of input);
    /// returns stdout, or fails with stderr.
    pub async fn kubectl(&self, args: &[&str], stdin: Option<&str>) -> Result<String> {
        let out = self.run(args, stdin, Duration::from_secs(120)).await?;
        if out.code != Some(0) {
            bail!("kubectl {}: {}", args.join(" "), out.stderr.trim());
        }
        Ok(out.stdout)
    }

    /// Runs [`test_kubectl`] with `args` against the cluster, failing if it still runs after
    /// `timeout`; however it ended.
    pub async fn run(
        &self,
        args: &[&str],
        stdin: Option<&str>,
        timeout: Duration,
    ) -> Result<Outcome> {
        let kubeconfig = format!("--kubeconfig={}", self.kubeconfig.display());
        let all: Vec<&str> = std::iter::once(kubeconfig.as_str())
            .chain(args.iter().copied())
            .collect();
        run_kubectl(&all, stdin, timeout).await
    }
}

/// Runs [`test_kubectl`] with exactly `args` (`KUBECONFIG` unset: the arguments name the file),
/// failing if it still runs after `timeout`; however it ended.
pub async fn run_kubectl(args: &[&str], stdin: Option<&str>, timeout: Duration) -> Result<Outcome> {
    let mut child = tokio::process::Command::new(test_kubectl())
        .args(args)
        .env_remove("KUBECONFIG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("starting kubectl")?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes()).await?;
        // Dropping the pipe closes it: the command sees the end of its input.
    }
    let out = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .with_context(|| format!("kubectl {} still ran after {timeout:?}", args.join(" ")))??;
    Ok(Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// A namespace of one test; deleted (without waiting) when dropped.
#[derive(Debug)]
pub struct TestNamespace {
    name: String,
    kubeconfig: PathBuf,
}

impl TestNamespace {
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestNamespace {
    fn drop(&mut self) {
        // Drop may run inside a runtime (no block_on there): use a thread with its own runtime.
        let name = self.name.clone();
        let kubeconfig = self.kubeconfig.clone();
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(client) = client_for(&kubeconfig).await {
                    let _ = Api::<Namespace>::all(client)
                        .delete(&name, &DeleteParams::background())
                        .await;
                }
            });
        });
        let _ = handle.join();
    }
}

fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = nanos
        ^ (u64::from(std::process::id()) << 32)
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // splitmix64 finaliser, then base 36.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..6)
        .map(|i| alphabet[((x >> (i * 6)) % 36) as usize] as char)
        .collect()
}

/// Creates a namespace `<prefix>-<random>` and waits for its `default` ServiceAccount.
pub async fn namespace(prefix: &str) -> TestNamespace {
    let cluster = cluster().await;
    match create_namespace(cluster, prefix).await {
        Ok(ns) => ns,
        Err(e) => panic!("creating a test namespace: {e:#}"),
    }
}

async fn create_namespace(cluster: &TestCluster, prefix: &str) -> Result<TestNamespace> {
    let client = cluster.client().await?;
    let name = format!("{prefix}-{}", unique_suffix());
    let ns: Namespace = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": name, "labels": { "kubefiche.test/owner": "kubefiche-tests" } }
    }))?;
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &ns)
        .await?;
    let guard = TestNamespace {
        name: name.clone(),
        kubeconfig: cluster.kubeconfig.clone(),
    };
    let sas: Api<ServiceAccount> = Api::namespaced(client, &name);
    eventually(
        "the default ServiceAccount",
        Duration::from_secs(30),
        || async { Ok(sas.get_opt("default").await?.map(|_| ())) },
    )
    .await?;
    Ok(guard)
}

/// Polls `check` every half second until it yields `Some`, failing after `timeout` with the last
/// error (if any) in the message.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    let mut last_error = None;
    loop {
        match check().await {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last_error = Some(format!("{e:#}")),
        }
        if Instant::now() >= deadline {
            bail!(
                "timed out after {timeout:?} waiting for {what}{}",
                last_error
                    .map(|e| format!(" (last error: {e})"))
                    .unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
