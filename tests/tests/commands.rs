//! `POST /api/command` against the real API server: the worksheet's kinds of commands give,
//! through the proxy, the output kubectl gives when run directly (ages, generated names and the
//! namespace aside); `get pods --watch` streams a change within a second and its kubectl goes
//! when the page drops the stream. The refusals and limits are tested in-process in
//! `proxy/tests/command.rs`.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::BodyDataStream;
use futures::StreamExt;
use kubefiche_core::wire::CommandEvent;
use kubefiche_tests::cluster::{TestCluster, cluster, namespace};
use kubefiche_tests::proxy::{call, page_request, router};
use kubefiche_tests::walk::normalise;
use serde_json::json;
use tower::ServiceExt;

const APP: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: iris-retrainer
spec:
  schedule: \"0 3 * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: retrain
            image: curlimages/curl:8.10.1
            args: [\"-s\", \"http://example.invalid\"]
";

/// The lines run both ways, in order (`-f` names the workspace file `k8s/app.yaml`).
const LINES: [&str; 10] = [
    "kubectl create configmap iris-config --from-literal=API_NAME=iris",
    "kubectl get configmap iris-config",
    "kubectl describe configmap iris-config",
    "kubectl apply -f k8s/app.yaml",
    "kubectl create secret generic iris-secrets --from-literal=api-key=supersecretkey123",
    "kubectl get secret iris-secrets -o yaml",
    "kubectl scale deployment web --replicas=3",
    "kubectl create job iris-retrainer-manual --from=cronjob/iris-retrainer",
    "kubectl get deployment web -o jsonpath={.spec.replicas}",
    "kubectl delete -f k8s/app.yaml",
];

/// What kubectl wrote on stdout, and its exit code.
fn stdout_and_code(events: &[CommandEvent]) -> (String, Option<i32>) {
    let mut out = String::new();
    let mut code = None;
    for event in events {
        match event {
            CommandEvent::Output {
                text,
                stderr: false,
            } => out.push_str(text),
            CommandEvent::Exit { code: c, .. } => code = *c,
            _ => {}
        }
    }
    (out, code)
}

/// The same line run directly, in namespace `ns`, with the workspace file on disk.
async fn direct(
    cluster: &TestCluster,
    ns: &str,
    line: &str,
    file: &std::path::Path,
) -> Result<String> {
    let words: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(|w| {
            if w == "k8s/app.yaml" {
                file.display().to_string()
            } else {
                w.to_owned()
            }
        })
        .collect();
    let mut args: Vec<&str> = vec!["--namespace", ns];
    args.extend(words.iter().map(String::as_str));
    cluster.kubectl(&args, None).await
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn worksheet_commands_print_what_kubectl_prints() -> Result<()> {
    let cluster = cluster().await;
    let through_proxy = namespace("cmd-proxy").await;
    let run_directly = namespace("cmd-direct").await;
    let app = router(cluster, through_proxy.name()).await?;
    let dir = std::env::temp_dir().join(format!("kubefiche-commands-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("app.yaml");
    std::fs::write(&file, APP)?;
    for line in LINES {
        let events = run_with_file(&app, line).await?;
        let (proxied, code) = stdout_and_code(&events);
        let expected = direct(cluster, run_directly.name(), line, &file).await?;
        assert_eq!(code, Some(0), "{line}: {events:?}");
        assert_eq!(
            normalise(&proxied, through_proxy.name()),
            normalise(&expected, run_directly.name()),
            "{line}"
        );
        assert!(!proxied.is_empty(), "{line}: no output");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A command with the workspace file `k8s/app.yaml` in the request.
async fn run_with_file(app: &Router, line: &str) -> Result<Vec<CommandEvent>> {
    let mut events = Events::open_with(app, line, &[("k8s/app.yaml", APP)]).await?;
    while events.next().await?.is_some() {}
    Ok(events.all)
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_watch_streams_a_change_within_a_second_and_ends_with_the_stream() -> Result<()> {
    let cluster = cluster().await;
    let ns = namespace("cmd-watch").await;
    let app = router(cluster, ns.name()).await?;
    let pod = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n"
        )
    };
    cluster
        .kubectl(
            &["--namespace", ns.name(), "apply", "-f", "-"],
            Some(&pod("first")),
        )
        .await?;
    let mut watch = Events::open(&app, "kubectl get pods --watch").await?;
    // The listing comes first, then the watch: the first pod's row means kubectl watches.
    watch.until_stdout("first").await?;
    let marker = format!("--namespace={}", ns.name());
    let pids = kubectl_pids(&marker);
    assert_eq!(pids.len(), 1, "one kubectl for the watch: {pids:?}");
    let created = Instant::now();
    cluster
        .kubectl(
            &["--namespace", ns.name(), "apply", "-f", "-"],
            Some(&pod("second")),
        )
        .await?;
    watch.until_stdout("second").await?;
    let took = created.elapsed();
    assert!(took < Duration::from_secs(1), "the change took {took:?}");
    drop(watch);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !kubectl_pids(&marker).is_empty() {
        if Instant::now() > deadline {
            bail!("kubectl {pids:?} still runs after the stream was dropped");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_refused_command_never_reaches_the_cluster() -> Result<()> {
    let cluster = cluster().await;
    let ns = namespace("cmd-refused").await;
    let app = router(cluster, ns.name()).await?;
    let line = format!("kubectl delete namespace {}", ns.name());
    let (status, body) = call(
        &app,
        page_request("POST", "/api/command", Some(&json!({ "line": line }))),
    )
    .await?;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("command-refused")),
        "{body}"
    );
    let still = cluster
        .kubectl(&["get", "namespace", ns.name(), "-o", "name"], None)
        .await?;
    assert_eq!(still.trim(), format!("namespace/{}", ns.name()));
    Ok(())
}

/// Live kubectl processes (not zombies) whose command line holds `marker`.
fn kubectl_pids(marker: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline);
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rsplit(')')
                .next()
                .is_some_and(|s| s.trim_start().starts_with('Z'));
            cmdline.contains(marker) && cmdline.contains("--watch") && !zombie
        })
        .collect()
}

/// The events of one command's answer, read as the page reads them.
struct Events {
    body: BodyDataStream,
    buffer: String,
    all: Vec<CommandEvent>,
}

impl Events {
    async fn open(app: &Router, line: &str) -> Result<Self> {
        Self::open_with(app, line, &[]).await
    }

    async fn open_with(app: &Router, line: &str, files: &[(&str, &str)]) -> Result<Self> {
        let files: Vec<_> = files
            .iter()
            .map(|(path, text)| json!({ "path": path, "text": text }))
            .collect();
        let body = json!({ "line": line, "files": files });
        let response = app
            .clone()
            .oneshot(page_request("POST", "/api/command", Some(&body)))
            .await?;
        let status = response.status();
        if status != 200 {
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            bail!("{line}: HTTP {status}: {}", String::from_utf8_lossy(&bytes));
        }
        Ok(Self {
            body: response.into_body().into_data_stream(),
            buffer: String::new(),
            all: Vec::new(),
        })
    }

    async fn next(&mut self) -> Result<Option<CommandEvent>> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: String = block
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue;
                }
                let event: CommandEvent = serde_json::from_str(&data)?;
                self.all.push(event.clone());
                return Ok(Some(event));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(30), self.body.next())
                .await
                .context("no event within 30 s")?;
            match chunk {
                Some(bytes) => self.buffer.push_str(std::str::from_utf8(&bytes?)?),
                None => return Ok(None),
            }
        }
    }

    async fn until_stdout(&mut self, text: &str) -> Result<()> {
        while !stdout_and_code(&self.all).0.contains(text) {
            if self.next().await?.is_none() {
                bail!("ended before {text:?}: {:?}", self.all);
            }
        }
        Ok(())
    }
}
