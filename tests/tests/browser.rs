//! End to end, as a learner: the real app in real headless Chromium, through the real proxy
//! binary, against the real API server of the local control plane.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs them (with `--include-ignored`) once
//! the cluster, the app and the proxy binary are ready.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::cluster::{cluster, namespace, workspace_root};
use kubefiche_tests::proxy::ProxyProcess;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

/// Every mcp-server pod row showing Running, as the page draws them.
const RUNNING_MCP_ROWS: &str = "[...document.querySelectorAll('tr.pod')].filter(r => r.dataset.pod.startsWith('mcp-server-') && r.querySelector('.status').textContent === 'Running')";

fn epoch_millis() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// The multi-call binary of the bundled control plane, which holds kubectl.
fn bundled_kubectl() -> std::path::PathBuf {
    workspace_root().join("target/kubefiche-cluster/kubefiche-cluster")
}

/// `kubectl get pods --watch`, returned once its watch is established: the API server has
/// answered the watch request, so every later change reaches it. The channel gets the epoch time
/// (ms) it first printed a `pod_prefix` pod Running and ready.
///
/// On an empty namespace kubectl prints nothing before watching, so it runs with `-v=6`, where
/// client-go logs each response on stderr, the watch's too (`"Response" verb="GET"
/// url="…&watch=true" status="200 OK"`).
async fn kubectl_watch(
    kubeconfig: &Path,
    namespace: &str,
    pod_prefix: &str,
) -> Result<(Child, oneshot::Receiver<f64>)> {
    let mut child = Command::new(bundled_kubectl())
        .args([
            "kubectl",
            "get",
            "pods",
            "--watch",
            "-v=6",
            "--namespace",
            namespace,
        ])
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("starting kubectl get pods --watch")?;
    let stdout = child.stdout.take().context("no stdout from kubectl")?;
    let stderr = child.stderr.take().context("no stderr from kubectl")?;
    let mut log = BufReader::new(stderr).lines();
    let mut said = Vec::new();
    let watching = async {
        while let Some(line) = log.next_line().await? {
            if line.contains("\"Response\"")
                && line.contains("watch=true")
                && line.contains("status=\"200 OK\"")
            {
                return Ok(());
            }
            said.push(line);
        }
        bail!(
            "kubectl get pods --watch ended before watching:\n{}",
            said.join("\n")
        )
    };
    tokio::time::timeout(SECONDS(30), watching)
        .await
        .context("kubectl get pods --watch was not watching within 30 s")??;
    // Keep reading its stderr: kubectl ends if what it writes there finds no reader.
    tokio::spawn(async move { while let Ok(Some(_)) = log.next_line().await {} });
    let (tx, rx) = oneshot::channel();
    let prefix = pod_prefix.to_owned();
    tokio::spawn(async move {
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if line.starts_with(&prefix) && line.contains(" Running ") && line.contains("1/1") {
                let _ = tx.send(epoch_millis());
                return;
            }
        }
    });
    Ok((child, rx))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn a_learner_edits_applies_and_watches_a_pod_run() {
    let cluster = cluster().await;
    let ns = namespace("e2e").await;
    let mut proxy = ProxyProcess::start(cluster, ns.name(), &[])
        .await
        .expect("proxy");
    let browser = Browser::start().await.expect("chromium");
    browser.goto(&proxy.url).await.expect("open");
    // The worksheet is there, in French (the browser's language), as its author wrote it.
    let title = browser
        .find("article.markdown h1", SECONDS(30))
        .await
        .expect("title");
    assert_eq!(
        title.text().await.expect("text"),
        "Kubernetes — Fiche 3 : Pratiques avancées"
    );
    let apply = browser
        .find(".toolbar button.primary", SECONDS(5))
        .await
        .expect("apply button");
    assert_eq!(
        browser.accessible_name(&apply).await.expect("name"),
        "Appliquer"
    );
    // The token left the address bar.
    let address = browser
        .eval("return location.href", &[])
        .await
        .expect("href");
    assert!(
        !address.as_str().unwrap_or_default().contains("token"),
        "{address}"
    );

    // Open k8s/mcp-server.yaml from the worksheet's button.
    browser
        .click("button[data-open='k8s/mcp-server.yaml']", SECONDS(5))
        .await
        .expect("click");
    browser
        .wait_for("the mcp-server tab", "return document.querySelector('[role=tab][aria-selected=true]')?.textContent.includes('k8s/mcp-server.yaml')", &[], SECONDS(5))
        .await
        .expect("tab");
    browser
        .wait_for("the editor text", "return document.querySelector('.cm-content')?.textContent.includes('name: mcp-server')", &[], SECONDS(5))
        .await
        .expect("text");

    // Break it: a second `replicas:` under spec (line 7) — a duplicate key.
    browser
        .click(".cm-content", SECONDS(5))
        .await
        .expect("focus");
    cursor_to_line(&browser, 6).await;
    // Enter keeps the indentation of the line above, as in any code editor.
    browser
        .type_keys(&format!("{}{}replicas: 2", Key::End, Key::Enter))
        .await
        .expect("type");
    browser
        .wait_for("the typed line", "return document.querySelector('.cm-content').innerText.includes('replicas: 1\\n  replicas: 2\\n  selector')", &[], SECONDS(5))
        .await
        .expect("typed line");
    let flagged = browser
        .wait_for(
            "the error in the problems list",
            "return [...document.querySelectorAll('.problem.error .where')].map(e => e.textContent).find(t => t.startsWith('k8s/mcp-server.yaml:7:')) || null",
            &[],
            SECONDS(5),
        )
        .await
        .expect("problem listed");
    assert_eq!(
        flagged.as_str().map(|s| s.split(':').nth(1)),
        Some(Some("7"))
    );
    browser
        .wait_for(
            "the underline",
            "return document.querySelectorAll('.cm-lintRange-error').length > 0",
            &[],
            SECONDS(5),
        )
        .await
        .expect("underline");
    browser
        .wait_for(
            "the gutter mark",
            "return document.querySelectorAll('.cm-lint-marker-error').length > 0",
            &[],
            SECONDS(5),
        )
        .await
        .expect("gutter");

    // Fix it: delete the original `replicas: 1` line (line 6), keeping 2 replicas.
    cursor_to_line(&browser, 6).await;
    browser
        .chord(&[Key::Control, Key::Shift], 'k')
        .await
        .expect("delete line");
    browser
        .wait_for("no error left", "return document.querySelectorAll('.problem.error').length === 0 && document.querySelector('.cm-content').textContent.includes('replicas: 2') && !document.querySelector('.cm-content').textContent.includes('replicas: 1')", &[], SECONDS(5))
        .await
        .expect("fixed");

    // Apply, and time the pod's arrival on screen against kubectl's watch.
    let (mut watch, kubectl_saw) =
        kubectl_watch(cluster.kubeconfig_path(), ns.name(), "mcp-server-")
            .await
            .expect("kubectl watch");
    browser
        .eval(
            &format!(
                "window.__running = null; new MutationObserver(() => {{
                    if ({RUNNING_MCP_ROWS}.length && window.__running === null) window.__running = Date.now();
                 }}).observe(document.body, {{subtree: true, childList: true, characterData: true}}); return true"
            ),
            &[],
        )
        .await
        .expect("observer");
    let clicked = epoch_millis();
    apply.click().await.expect("apply");
    browser
        .wait_for(
            "the apply results",
            "return document.querySelector('.outcome.created') !== null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("results");
    let results = browser
        .eval(
            "return [...document.querySelectorAll('.outcome')].map(o => o.textContent)",
            &[],
        )
        .await
        .expect("results");
    assert!(
        results.to_string().contains("deployment/mcp-server")
            && results.to_string().contains("service/mcp-server-svc"),
        "{results}"
    );
    let running = browser
        .wait_for(
            "two mcp-server pods Running",
            &format!("return {RUNNING_MCP_ROWS}.length === 2 && window.__running"),
            &[],
            SECONDS(90),
        )
        .await
        .expect("running");
    let on_screen = running.as_f64().unwrap_or(0.0) - clicked;
    let by_kubectl = tokio::time::timeout(SECONDS(30), kubectl_saw)
        .await
        .ok()
        .and_then(Result::ok)
        .map_or(f64::NAN, |t| t - clicked);
    let _ = watch.kill().await;
    println!(
        "apply click → Running: on screen {on_screen:.0} ms, kubectl get pods --watch {by_kubectl:.0} ms"
    );
    if let Ok(dir) = std::env::var("KUBEFICHE_SCREENSHOTS") {
        let _ = browser
            .screenshot(&Path::new(&dir).join("after-apply.png"))
            .await;
    }

    // Reload: the edit is still there.
    browser.refresh().await.expect("reload");
    browser
        .find("button[data-open='k8s/mcp-server.yaml']", SECONDS(30))
        .await
        .expect("page back");
    browser
        .wait_for("the kept edit", "const t = document.querySelector('.cm-content')?.textContent || ''; return t.includes('replicas: 2') && !t.includes('replicas: 1')", &[], SECONDS(10))
        .await
        .expect("edit kept after reload");
    // Completion from the schema: the fields a Service's spec may take.
    browser
        .click(".cm-content", SECONDS(5))
        .await
        .expect("focus");
    // The last line is `  type: NodePort`, under the Service's spec.
    browser
        .chord(&[Key::Control], Key::End.into())
        .await
        .expect("end");
    browser
        .type_keys(&format!("{}{}{}sess", Key::Up, Key::End, Key::Enter))
        .await
        .expect("type");
    browser
        .wait_for(
            "the completion list",
            "return [...document.querySelectorAll('.cm-tooltip-autocomplete li')].map(li => li.textContent).find(t => t.includes('sessionAffinity')) || null",
            &[],
            SECONDS(5),
        )
        .await
        .expect("completion");
    browser
        .type_keys(&Key::Escape.to_string())
        .await
        .expect("escape");
    browser
        .chord(&[Key::Control, Key::Shift], 'k')
        .await
        .expect("delete line");
    // A problem of another file is one click away.
    browser
        .eval("[...document.querySelectorAll('.problem button')].find(b => b.textContent.startsWith('k8s/postgres.yaml')).click(); return true", &[])
        .await
        .expect("jump");
    browser
        .wait_for("the postgres tab", "return document.querySelector('[role=tab][aria-selected=true]')?.textContent.includes('k8s/postgres.yaml')", &[], SECONDS(5))
        .await
        .expect("jumped");
    // English on demand, with the same accessible names translated.
    browser
        .goto(&format!("{}?lang=en", proxy.origin()))
        .await
        .expect("english");
    let apply = browser
        .find(".toolbar button.primary", SECONDS(30))
        .await
        .expect("apply");
    assert_eq!(
        browser.accessible_name(&apply).await.expect("name"),
        "Apply"
    );
    browser.close().await.expect("closing the browser");
    assert!(
        proxy.stop().await,
        "the proxy did not stop within 10 s of SIGTERM"
    );
}

/// Puts the editor's cursor at the start of line `line` (1-based), with the keyboard.
async fn cursor_to_line(browser: &Browser, line: usize) {
    browser
        .chord(&[Key::Control], Key::Home.into())
        .await
        .expect("top");
    for _ in 1..line {
        browser
            .type_keys(&Key::Down.to_string())
            .await
            .expect("down");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn the_live_view_resumes_after_the_proxy_restarts() {
    let cluster = cluster().await;
    let ns = namespace("resume").await;
    let token = [("KUBEFICHE_TOKEN", "resume-test-token-0123456789abcdef0123")];
    let mut first = ProxyProcess::start(cluster, ns.name(), &token)
        .await
        .expect("proxy");
    let browser = Browser::start().await.expect("chromium");
    browser.goto(&first.url).await.expect("open");
    let live = "return document.querySelector('.link.live') !== null";
    browser
        .wait_for("the live badge", live, &[], SECONDS(30))
        .await
        .expect("live");
    // The proxy goes away: the page says so and keeps trying.
    // With this page's event stream open: the proxy must still stop promptly.
    assert!(
        first.stop().await,
        "the proxy did not stop within 10 s of SIGTERM"
    );
    browser
        .wait_for(
            "the retrying badge",
            "return document.querySelector('.link.retrying') !== null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("retrying");
    // Meanwhile a pod appears in the cluster.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: while-away\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
    cluster
        .kubectl(&["apply", "-f", "-", "--namespace", ns.name()], Some(pod))
        .await
        .expect("kubectl apply");
    // Back on the same port: the page reconnects by itself and shows the pod.
    let _second = ProxyProcess::start_on(cluster, ns.name(), first.port(), &token)
        .await
        .expect("restart");
    browser
        .wait_for("the live badge again", live, &[], SECONDS(30))
        .await
        .expect("live again");
    browser
        .wait_for(
            "the pod created meanwhile",
            "return document.querySelector(\"tr.pod[data-pod='while-away']\") !== null",
            &[],
            SECONDS(30),
        )
        .await
        .expect("pod shown");
    browser.close().await.expect("closing the browser");
}
