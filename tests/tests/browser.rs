//! End to end, as a learner: the real app in real headless Chromium, through the real proxy
//! binary, against the real API server of the local control plane.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kubefiche_tests::browser::{Browser, keys};
use kubefiche_tests::cluster::{cluster, namespace, workspace_root};
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::json;

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

fn epoch_millis() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// `kubectl get pods --watch` in the namespace: the epoch time (ms) it first printed a line
/// with `pod_prefix` Running, sent on the channel.
fn kubectl_watch(
    kubectl: &std::path::Path,
    kubeconfig: &std::path::Path,
    namespace: &str,
    pod_prefix: &str,
) -> (std::process::Child, std::sync::mpsc::Receiver<f64>) {
    let mut child = Command::new(kubectl)
        .args([
            "kubectl",
            "get",
            "pods",
            "--watch",
            "--namespace",
            namespace,
            "--kubeconfig",
        ])
        .arg(kubeconfig)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let prefix = pod_prefix.to_owned();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with(&prefix) && line.contains(" Running ") && line.contains("1/1") {
                let _ = tx.send(epoch_millis());
                return;
            }
        }
    });
    (child, rx)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_learner_edits_applies_and_watches_a_pod_run() {
    let cluster = cluster().await;
    let ns = namespace("e2e").await;
    let mut proxy = ProxyProcess::start(cluster, ns.name(), &[]).expect("proxy");
    let url = proxy.url.clone();
    // The bundled multi-call binary of the local control plane holds kubectl.
    let kubectl = workspace_root().join("target/kubefiche-cluster/kubefiche-cluster");
    let kubeconfig = cluster.kubeconfig_path().to_owned();
    let ns_name = ns.name().to_owned();
    let learner = tokio::task::spawn_blocking(move || {
        let browser = Browser::start().expect("chromium");
        browser.goto(&url).expect("open");
        // The worksheet is there, in French (the browser's language), as its author wrote it.
        let title = browser
            .find("article.markdown h1", SECONDS(30))
            .expect("title");
        assert_eq!(
            title.text().expect("text"),
            "Kubernetes — Fiche 3 : Pratiques avancées"
        );
        let apply = browser
            .find(".toolbar button.primary", SECONDS(5))
            .expect("apply button");
        assert_eq!(apply.accessible_name().expect("name"), "Appliquer");
        // The token left the address bar.
        let address = browser
            .eval("return location.href", json!([]))
            .expect("href");
        assert!(
            !address.as_str().unwrap_or_default().contains("token"),
            "{address}"
        );

        // Open k8s/mcp-server.yaml from the worksheet's button.
        browser
            .find("button[data-open='k8s/mcp-server.yaml']", SECONDS(5))
            .expect("open button")
            .click()
            .expect("click");
        browser
            .wait_for("the mcp-server tab", "return document.querySelector('[role=tab][aria-selected=true]')?.textContent.includes('k8s/mcp-server.yaml')", json!([]), SECONDS(5))
            .expect("tab");
        browser.wait_for("the editor text", "return document.querySelector('.cm-content')?.textContent.includes('name: mcp-server')", json!([]), SECONDS(5)).expect("text");

        // Break it: a second `replicas:` under spec (line 7) — a duplicate key.
        browser
            .find(".cm-content", SECONDS(5))
            .expect("editor")
            .click()
            .expect("focus");
        browser.chord(&[keys::CONTROL], keys::HOME).expect("top");
        for _ in 0..5 {
            browser.type_keys(&keys::DOWN.to_string()).expect("down");
        }
        // Enter keeps the indentation of the line above, as in any code editor.
        browser
            .type_keys(&format!("{}{}replicas: 2", keys::END, keys::ENTER))
            .expect("type");
        browser
            .wait_for("the typed line", "return document.querySelector('.cm-content').innerText.includes('replicas: 1\\n  replicas: 2\\n  selector')", json!([]), SECONDS(5))
            .unwrap_or_else(|e| browser.fail(e));
        let flagged = browser
            .wait_for(
                "the error in the problems list",
                "return [...document.querySelectorAll('.problem.error .where')].map(e => e.textContent).find(t => t.startsWith('k8s/mcp-server.yaml:7:')) || null",
                json!([]),
                SECONDS(5),
            )
            .unwrap_or_else(|e| browser.fail(e));
        assert_eq!(
            flagged.as_str().map(|s| s.split(':').nth(1)),
            Some(Some("7"))
        );
        browser
            .wait_for(
                "the underline",
                "return document.querySelectorAll('.cm-lintRange-error').length > 0",
                json!([]),
                SECONDS(5),
            )
            .expect("underline");
        browser
            .wait_for(
                "the gutter mark",
                "return document.querySelectorAll('.cm-lint-marker-error').length > 0",
                json!([]),
                SECONDS(5),
            )
            .expect("gutter");

        // Fix it: delete the original `replicas: 1` line (line 6), keeping 2 replicas.
        browser.chord(&[keys::CONTROL], keys::HOME).expect("top");
        for _ in 0..5 {
            browser.type_keys(&keys::DOWN.to_string()).expect("down");
        }
        browser
            .chord(&[keys::CONTROL, keys::SHIFT], 'k')
            .expect("delete line");
        browser
            .wait_for("no error left", "return document.querySelectorAll('.problem.error').length === 0 && document.querySelector('.cm-content').textContent.includes('replicas: 2') && !document.querySelector('.cm-content').textContent.includes('replicas: 1')", json!([]), SECONDS(5))
            .unwrap_or_else(|e| browser.fail(e));

        // Apply, and time the pod's arrival on screen against kubectl's watch.
        let (mut watch, kubectl_saw) =
            kubectl_watch(&kubectl, &kubeconfig, &ns_name, "mcp-server-");
        std::thread::sleep(Duration::from_millis(500));
        browser
            .eval(
                "window.__running = null; new MutationObserver(() => {
                    const rows = [...document.querySelectorAll('tr.pod')].filter(r => r.dataset.pod.startsWith('mcp-server-') && r.querySelector('.status').textContent === 'Running');
                    if (rows.length && window.__running === null) window.__running = Date.now();
                 }).observe(document.body, {subtree: true, childList: true, characterData: true}); return true",
                json!([]),
            )
            .expect("observer");
        let clicked = epoch_millis();
        apply.click().expect("apply");
        browser
            .wait_for(
                "the apply results",
                "return document.querySelector('.outcome.created') !== null",
                json!([]),
                SECONDS(30),
            )
            .expect("results");
        let results = browser
            .eval(
                "return [...document.querySelectorAll('.outcome')].map(o => o.textContent)",
                json!([]),
            )
            .expect("results");
        assert!(
            results.to_string().contains("deployment/mcp-server")
                && results.to_string().contains("service/mcp-server-svc"),
            "{results}"
        );
        let running = browser
            .wait_for("two mcp-server pods Running", "return [...document.querySelectorAll('tr.pod')].filter(r => r.dataset.pod.startsWith('mcp-server-') && r.querySelector('.status').textContent === 'Running').length === 2 && window.__running", json!([]), SECONDS(90))
            .expect("running");
        let on_screen = running.as_f64().unwrap_or(0.0) - clicked;
        let by_kubectl = kubectl_saw
            .recv_timeout(SECONDS(30))
            .map(|t| t - clicked)
            .unwrap_or(f64::NAN);
        let _ = watch.kill();
        let _ = watch.wait();
        println!(
            "apply click → Running: on screen {on_screen:.0} ms, kubectl get pods --watch {by_kubectl:.0} ms"
        );
        if let Ok(dir) = std::env::var("KUBEFICHE_SCREENSHOTS") {
            let _ = browser.screenshot(&std::path::Path::new(&dir).join("after-apply.png"));
        }

        // Reload: the edit is still there.
        browser.refresh().expect("reload");
        browser
            .find("button[data-open='k8s/mcp-server.yaml']", SECONDS(30))
            .expect("page back");
        browser
            .wait_for("the kept edit", "const t = document.querySelector('.cm-content')?.textContent || ''; return t.includes('replicas: 2') && !t.includes('replicas: 1')", json!([]), SECONDS(10))
            .expect("edit kept after reload");
        // Completion from the schema: the fields a Service's spec may take.
        browser
            .find(".cm-content", SECONDS(5))
            .expect("editor")
            .click()
            .expect("focus");
        // The last line is `  type: NodePort`, under the Service's spec.
        browser.chord(&[keys::CONTROL], keys::END).expect("end");
        browser
            .type_keys(&format!("{}{}{}sess", keys::UP, keys::END, keys::ENTER))
            .expect("type");
        browser
            .wait_for(
                "the completion list",
                "return [...document.querySelectorAll('.cm-tooltip-autocomplete li')].map(li => li.textContent).find(t => t.includes('sessionAffinity')) || null",
                json!([]),
                SECONDS(5),
            )
            .unwrap_or_else(|e| browser.fail(e));
        browser
            .type_keys(&keys::ESCAPE.to_string())
            .expect("escape");
        browser
            .chord(&[keys::CONTROL, keys::SHIFT], 'k')
            .expect("delete line");
        // A problem of another file is one click away.
        browser
            .eval("[...document.querySelectorAll('.problem button')].find(b => b.textContent.startsWith('k8s/postgres.yaml')).click(); return true", json!([]))
            .expect("jump");
        browser
            .wait_for("the postgres tab", "return document.querySelector('[role=tab][aria-selected=true]')?.textContent.includes('k8s/postgres.yaml')", json!([]), SECONDS(5))
            .unwrap_or_else(|e| browser.fail(e));
        // English on demand, with the same accessible names translated.
        let english = format!("{}?lang=en", proxy_origin(&url));
        browser.goto(&english).expect("english");
        let apply = browser
            .find(".toolbar button.primary", SECONDS(30))
            .expect("apply");
        assert_eq!(apply.accessible_name().expect("name"), "Apply");
    });
    learner.await.expect("browser test");
    assert!(
        proxy.stop(),
        "the proxy did not stop within 10 s of SIGTERM"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_view_resumes_after_the_proxy_restarts() {
    let cluster = cluster().await;
    let ns = namespace("resume").await;
    let token = [("KUBEFICHE_TOKEN", "resume-test-token-0123456789abcdef0123")];
    let first = ProxyProcess::start(cluster, ns.name(), &token).expect("proxy");
    let (url, port) = (first.url.clone(), first.port());
    let kubectl = workspace_root().join("target/kubefiche-cluster/kubefiche-cluster");
    let kubeconfig = cluster.kubeconfig_path().to_owned();
    let ns_name = ns.name().to_owned();
    let cluster_ref = cluster;
    let mut first = Some(first);
    let learner = tokio::task::spawn_blocking(move || {
        let browser = Browser::start().expect("chromium");
        browser.goto(&url).expect("open");
        let live = "return document.querySelector('.link.live') !== null";
        browser
            .wait_for("the live badge", live, json!([]), SECONDS(30))
            .unwrap_or_else(|e| browser.fail(e));
        // The proxy goes away: the page says so and keeps trying.
        // With this page's event stream open: the proxy must still stop promptly.
        if let Some(mut proxy) = first.take() {
            assert!(
                proxy.stop(),
                "the proxy did not stop within 10 s of SIGTERM"
            );
        }
        browser
            .wait_for(
                "the retrying badge",
                "return document.querySelector('.link.retrying') !== null",
                json!([]),
                SECONDS(30),
            )
            .unwrap_or_else(|e| browser.fail(e));
        // Meanwhile a pod appears in the cluster.
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: while-away\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
        let mut apply = Command::new(&kubectl)
            .args([
                "kubectl",
                "apply",
                "-f",
                "-",
                "--namespace",
                &ns_name,
                "--kubeconfig",
            ])
            .arg(&kubeconfig)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("kubectl");
        if let Some(mut stdin) = apply.stdin.take() {
            std::io::Write::write_all(&mut stdin, pod.as_bytes()).expect("write");
        }
        assert!(apply.wait().expect("kubectl").success());
        // Back on the same port: the page reconnects by itself and shows the pod.
        let second = ProxyProcess::start_on(cluster_ref, &ns_name, port, &token).expect("restart");
        browser
            .wait_for("the live badge again", live, json!([]), SECONDS(30))
            .unwrap_or_else(|e| browser.fail(e));
        browser
            .wait_for(
                "the pod created meanwhile",
                "return document.querySelector(\"tr.pod[data-pod='while-away']\") !== null",
                json!([]),
                SECONDS(30),
            )
            .unwrap_or_else(|e| browser.fail(e));
        drop(second);
    });
    learner.await.expect("browser test");
}

fn proxy_origin(url: &str) -> &str {
    url.split("/#").next().unwrap_or(url)
}
