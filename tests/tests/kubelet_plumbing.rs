//! `kubectl logs` and `kubectl exec` go all the way through the local cluster: kubectl → API
//! server → the simulated nodes' kubelet API. Pods in the namespace `kubefiche-plumbing` opt in
//! (a known log file; exec runs the command on this machine, see `xtask/cluster/README.md`);
//! every other pod is refused at once, because its containers do not run.
//!
//! Each command runs the bundled kubectl through its plain name,
//! `target/kubefiche-cluster/kubectl`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail, ensure};
use kube::ResourceExt;
use kube::api::DeleteParams;
use kubefiche_tests::cluster::{TestCluster, cluster, namespace, test_kubectl};
use kubefiche_tests::plumbing::{PLUMBING, plumbing_namespace, running_pod};
use tokio::io::{AsyncBufReadExt, BufReader};

/// What `kubectl logs` prints for an opted-in pod (written by `xtask/cluster/plumbing.go`).
const LOG_LINES: [&str; 3] = [
    "kubefiche plumbing: first line",
    "kubefiche plumbing: second line",
    "kubefiche plumbing: third line",
];

/// Longer than any of these commands takes; a refusal must come well before.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

fn suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{:x}{:x}", std::process::id(), nanos)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn an_opted_in_pod_has_logs_and_runs_commands() -> Result<()> {
    let cluster = cluster().await;
    let client = cluster.client().await?;
    plumbing_namespace(&client).await?;
    let name = format!("plumbing-{}", suffix());
    let pods = running_pod(&client, PLUMBING, &name).await?;
    let result = exercise(cluster, &name).await;
    pods.delete(&name, &DeleteParams::background()).await?;
    result
}

async fn exercise(cluster: &TestCluster, pod: &str) -> Result<()> {
    let run = |args: Vec<&str>, stdin: Option<&'static str>| {
        let mut full = vec!["-n".to_owned(), PLUMBING.to_owned()];
        full.extend(args.into_iter().map(str::to_owned));
        async move {
            let full: Vec<&str> = full.iter().map(String::as_str).collect();
            cluster.run(&full, stdin, COMMAND_TIMEOUT).await
        }
    };

    let all = run(vec!["logs", pod], None).await?;
    ensure!(all.code == Some(0), "kubectl logs failed: {}", all.stderr);
    assert_eq!(all.stdout.lines().collect::<Vec<_>>(), LOG_LINES);

    let last = run(vec!["logs", "--tail=1", pod], None).await?;
    assert_eq!(
        last.stdout,
        format!("{}\n", LOG_LINES[2]),
        "{}",
        last.stderr
    );

    let previous = run(vec!["logs", "--previous", pod], None).await?;
    ensure!(
        previous.code != Some(0) && previous.stderr.contains("previous terminated container"),
        "a simulated container has no previous run: {}",
        previous.stderr
    );

    let hello = run(vec!["exec", pod, "--", "echo", "hello"], None).await?;
    assert_eq!(
        (hello.code, hello.stdout.as_str()),
        (Some(0), "hello\n"),
        "{}",
        hello.stderr
    );

    let three = run(vec!["exec", pod, "--", "sh", "-c", "exit 3"], None).await?;
    assert_eq!(three.code, Some(3), "{}", three.stderr);

    let echoed = run(vec!["exec", "-i", pod, "--", "cat"], Some("ping\npong\n")).await?;
    assert_eq!(
        (echoed.code, echoed.stdout.as_str()),
        (Some(0), "ping\npong\n"),
        "{}",
        echoed.stderr
    );

    follow(cluster.kubeconfig_path(), pod).await
}

/// `kubectl logs --follow` prints the lines, then keeps streaming until stopped.
async fn follow(kubeconfig: &Path, pod: &str) -> Result<()> {
    let mut child = tokio::process::Command::new(test_kubectl())
        .arg(format!("--kubeconfig={}", kubeconfig.display()))
        .args(["-n", PLUMBING, "logs", "--follow", pod])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().context("kubectl's stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    while seen.len() < LOG_LINES.len() {
        match tokio::time::timeout(COMMAND_TIMEOUT, lines.next_line()).await {
            Ok(Ok(Some(line))) => seen.push(line),
            Ok(Ok(None)) => bail!("kubectl logs --follow ended after {seen:?}"),
            Ok(Err(e)) => return Err(e.into()),
            Err(_) => bail!("kubectl logs --follow printed only {seen:?} in {COMMAND_TIMEOUT:?}"),
        }
    }
    assert_eq!(seen, LOG_LINES);
    tokio::time::sleep(Duration::from_secs(1)).await;
    ensure!(
        child.try_wait()?.is_none(),
        "kubectl logs --follow ended instead of streaming"
    );
    child.kill().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_pod_not_opted_in_is_refused_at_once() -> Result<()> {
    let ns = namespace("kf-kwok").await;
    let cluster = cluster().await;
    let client = cluster.client().await?;
    let pod = running_pod(&client, ns.name(), "plain")
        .await?
        .get("plain")
        .await?;
    let name = pod.name_any();
    let quick = Duration::from_secs(5);
    for args in [
        vec!["logs", name.as_str()],
        vec!["exec", name.as_str(), "--", "echo", "hello"],
    ] {
        let mut full = vec!["-n", ns.name()];
        full.extend(args.iter().copied());
        let out = cluster.run(&full, None, quick).await?;
        ensure!(
            out.code.is_some_and(|c| c != 0) && out.stdout.is_empty(),
            "kubectl {} should fail; it exited {:?} printing {:?}",
            args.join(" "),
            out.code,
            out.stdout
        );
        ensure!(
            out.stderr.contains("containers do not run"),
            "kubectl {} should say why it fails; it said {:?}",
            args.join(" "),
            out.stderr
        );
    }
    Ok(())
}
