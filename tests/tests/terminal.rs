//! The `exec -it` terminal end to end: xterm.js in real headless Chromium, the WebSocket to the
//! real proxy binary, kubectl on a pseudo-terminal, the API server, and the simulated node's
//! kubelet endpoint.
//!
//! On the bundled cluster containers do not run: exec answers only for pods of the namespace
//! that opts in to the simulated nodes' exec (`kubefiche-plumbing`, see
//! `xtask/cluster/README.md`), where the command runs on this machine. Any other pod gets the
//! honest failure, after kubefiche's note.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::cluster::{TestCluster, cluster, eventually, namespace};
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::{Value, json};

const SECONDS: fn(u64) -> Duration = Duration::from_secs;
/// The namespace whose pods the simulated nodes run exec for.
const PLUMBING: &str = "kubefiche-plumbing";

/// Opens a terminal for `arguments[0]` as the page does (the same bundle, the same protocol),
/// in a box of its own; what happens is kept in `window.kfTerminal`.
const OPEN: &str = r#"
const [line] = arguments;
const state = { events: [], closed: false, size: null, error: null };
window.kfTerminal = state;
const begin = () => {
  const host = document.createElement('div');
  host.id = 'kf-test-terminal';
  host.className = 'terminal-screen';
  host.style.cssText = 'position:fixed;left:8px;bottom:8px;width:720px;height:360px;z-index:1000';
  document.body.appendChild(host);
  const token = localStorage.getItem('kubefiche:token');
  state.session = window.KubeficheTerminal.open(host, {
    label: 'Terminal: ' + line,
    hello: (cols, rows) => { state.size = [rows, cols]; return JSON.stringify({ token, line, cols, rows }); },
    resize: (cols, rows) => { state.size = [rows, cols]; return JSON.stringify({ type: 'resize', cols, rows }); },
    event: (text) => state.events.push(JSON.parse(text)),
    closed: () => { state.closed = true; },
  });
};
if (window.KubeficheTerminal) begin();
else {
  const script = document.createElement('script');
  script.src = '/terminal.js';
  script.onload = begin;
  script.onerror = () => { state.error = 'terminal.js did not load'; };
  document.head.appendChild(script);
}
return true;
"#;

/// What the terminal shows, line by line.
const SCREEN: &str = "return (document.querySelector('#kf-test-terminal .xterm-rows')?.innerText || '').replace(/\\u00a0/g, ' ')";

fn unique(prefix: &str) -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{prefix}-{}", millis % 1_000_000_000)
}

/// A pod `name` in `namespace`, Running on a simulated node.
async fn running_pod(cluster: &TestCluster, namespace: &str, name: &str) {
    let manifest = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": { "name": name, "namespace": namespace },
        "spec": { "containers": [{ "name": "shell", "image": "busybox:1.37" }] }
    });
    cluster
        .kubectl(&["apply", "-f", "-"], Some(&manifest.to_string()))
        .await
        .expect("create the pod");
    eventually("the pod Running", SECONDS(60), || async {
        let phase = cluster
            .kubectl(
                &[
                    "get",
                    "pod",
                    name,
                    "-n",
                    namespace,
                    "-o",
                    "jsonpath={.status.phase}",
                ],
                None,
            )
            .await?;
        Ok((phase.trim() == "Running").then_some(()))
    })
    .await
    .expect("running");
}

/// The page of a proxy for `namespace`, a terminal open on `line` in it.
async fn page_with_terminal(proxy: &ProxyProcess, line: &str) -> Browser {
    let browser = Browser::start().await.expect("chromium");
    browser.goto(&proxy.url).await.expect("open");
    browser
        .find("article.markdown h1", SECONDS(30))
        .await
        .expect("the page");
    browser.eval(OPEN, &[json!(line)]).await.expect("open");
    browser
        .wait_for(
            "the terminal on the page",
            "return window.kfTerminal.error || document.querySelector('#kf-test-terminal .xterm-rows') !== null",
            &[],
            SECONDS(10),
        )
        .await
        .expect("terminal");
    let error = browser
        .eval("return window.kfTerminal.error", &[])
        .await
        .expect("state");
    assert!(error.is_null(), "{error}");
    browser
}

async fn events(browser: &Browser) -> Vec<Value> {
    let events = browser
        .eval("return window.kfTerminal.events", &[])
        .await
        .expect("events");
    events.as_array().cloned().unwrap_or_default()
}

/// Waits for the session's end and returns its exit status.
async fn exit_code(browser: &Browser) -> Value {
    browser
        .wait_for(
            "the end of the session",
            "return window.kfTerminal.events.find(e => e.type === 'exit') || null",
            &[],
            SECONDS(20),
        )
        .await
        .expect("exit")["code"]
        .clone()
}

async fn screen_shows(browser: &Browser, what: &str, text: &str) {
    browser
        .wait_for(
            what,
            &format!("{SCREEN}.includes(arguments[0])"),
            &[json!(text)],
            SECONDS(20),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
}

fn assert_note_first(events: &[Value]) {
    let note = &events[0];
    assert_eq!(note["type"], "note", "{events:?}");
    for lang in ["en", "fr"] {
        assert!(
            note["message"][lang]
                .as_str()
                .is_some_and(|m| m.contains("--list --resolve")),
            "{note}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn a_terminal_session_runs_a_command_and_exits() {
    let cluster = cluster().await;
    let namespace =
        json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": PLUMBING } });
    cluster
        .kubectl(&["apply", "-f", "-"], Some(&namespace.to_string()))
        .await
        .expect("the opted-in namespace");
    let pod = unique("terminal");
    running_pod(cluster, PLUMBING, &pod).await;
    let mut proxy = ProxyProcess::start(cluster, PLUMBING, &[])
        .await
        .expect("proxy");
    let browser = page_with_terminal(&proxy, &format!("kubectl exec -it {pod} -- sh")).await;

    // Keys typed in the page run in the pod's shell; what it prints shows in the terminal.
    browser
        .type_keys(&format!("echo kf-$((6*7)){}", Key::Enter))
        .await
        .expect("type");
    screen_shows(&browser, "the command's output", "kf-42").await;
    // The terminal's size reached the shell, through kubectl and the API server.
    let size = browser
        .eval("return window.kfTerminal.size.join(' ')", &[])
        .await
        .expect("size");
    browser
        .type_keys(&format!("stty size{}", Key::Enter))
        .await
        .expect("type");
    screen_shows(&browser, "the terminal size", size.as_str().unwrap_or("?")).await;
    browser
        .type_keys(&format!("exit 3{}", Key::Enter))
        .await
        .expect("type");
    assert_eq!(exit_code(&browser).await, json!(3));
    assert_note_first(&events(&browser).await);

    browser.close().await.expect("close the browser");
    assert!(proxy.stop().await, "the proxy did not stop gracefully");
    let _ = cluster
        .kubectl(
            &["delete", "pod", &pod, "-n", PLUMBING, "--wait=false"],
            None,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn exec_in_a_pod_of_a_simulated_node_fails_honestly() {
    let cluster = cluster().await;
    let ns = namespace("terminal").await;
    running_pod(cluster, ns.name(), "web").await;
    let mut proxy = ProxyProcess::start(cluster, ns.name(), &[])
        .await
        .expect("proxy");
    let browser = page_with_terminal(&proxy, "kubectl exec -it web -- sh").await;
    // kubectl says why, in the terminal, and ends with a failure: no hang.
    let code = exit_code(&browser).await;
    assert!(code != json!(0), "exit status {code}");
    let screen = browser.eval(SCREEN, &[]).await.expect("screen");
    assert!(
        screen
            .as_str()
            .is_some_and(|s| s.to_lowercase().contains("error")),
        "{screen}"
    );
    let events = events(&browser).await;
    assert_note_first(&events);
    assert_eq!(events.len(), 2, "{events:?}");

    browser.close().await.expect("close the browser");
    assert!(proxy.stop().await, "the proxy did not stop gracefully");
}
