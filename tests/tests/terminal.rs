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
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::plumbing::{PLUMBING, plumbing_namespace, running_pod};
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::{Value, json};

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

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

/// The worksheet's first `exec -it` line, as it is written.
const EXEC_LINE: &str = "kubectl exec -it <nom-du-pod> -- /bin/bash";

/// The worksheet block holding [`EXEC_LINE`]: its figure element.
const EXEC_BLOCK: &str = "return [...document.querySelectorAll('article.markdown figure')].find(f => f.querySelector('pre').textContent.includes(arguments[0])) || null";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn a_terminal_session_runs_a_command_and_exits() {
    let cluster = cluster().await;
    let client = cluster.client().await.expect("client");
    plumbing_namespace(&client)
        .await
        .expect("the opted-in namespace");
    let pod = unique("terminal");
    let pods = running_pod(&client, PLUMBING, &pod).await.expect("the pod");
    let mut proxy = ProxyProcess::start(cluster, PLUMBING, &[])
        .await
        .expect("proxy");
    let browser = Browser::start().await.expect("chromium");
    browser.goto(&proxy.url).await.expect("open");
    // The worksheet's own line: its placeholder filled with the live pod, then its Run button.
    browser
        .wait_for(
            "the picker of <nom-du-pod> filled with the new pod",
            &format!(
                "const block = (() => {{ {EXEC_BLOCK} }})();
                 const input = block && [...block.querySelectorAll('.picker')].find(p => p.textContent.includes('<nom-du-pod>'))?.querySelector('input');
                 return input && input.value === arguments[1] ? input.value : null"
            ),
            &[json!(EXEC_LINE), json!(pod)],
            SECONDS(30),
        )
        .await
        .expect("the picker");
    let run = format!(
        "button.run-line[aria-label={}]",
        json!(format!("Exécuter : {EXEC_LINE}"))
    );
    browser.click(&run, SECONDS(10)).await.expect("Run");
    browser
        .find("article.markdown .terminal .xterm-rows", SECONDS(15))
        .await
        .expect("the terminal under the block");
    browser
        .wait_for(
            "the session open",
            "return document.querySelector('article.markdown .terminal [role=status]')?.textContent === 'Session ouverte' || null",
            &[],
            SECONDS(15),
        )
        .await
        .expect("open");
    browser
        .click("article.markdown .terminal .xterm-screen", SECONDS(5))
        .await
        .expect("focus the terminal");

    // Keys typed in the page run in the pod's shell; what it prints shows in the terminal.
    browser
        .type_keys(&format!("echo kf-$((6*7)){}", Key::Enter))
        .await
        .expect("type");
    page_screen_shows(&browser, "the command's output", "kf-42").await;
    // The terminal's size reached the shell, through kubectl and the API server.
    browser
        .type_keys(&format!("stty size{}", Key::Enter))
        .await
        .expect("type");
    page_screen_shows(&browser, "the terminal size", " ").await;
    browser
        .type_keys(&format!("exit 3{}", Key::Enter))
        .await
        .expect("type");
    browser
        .wait_for(
            "the exit status shown",
            "return document.querySelector('article.markdown .terminal [role=status]')?.textContent === 'Session terminée, code de sortie 3' || null",
            &[],
            SECONDS(15),
        )
        .await
        .expect("exit 3");
    let note = browser
        .eval(
            "return document.querySelector('article.markdown .terminal .terminal-note')?.textContent || null",
            &[],
        )
        .await
        .expect("note");
    assert!(
        note.as_str().is_some_and(|n| n.contains("set env")),
        "{note}"
    );

    browser.close().await.expect("close the browser");
    assert!(proxy.stop().await, "the proxy did not stop gracefully");
    let _ = pods.delete(&pod, &Default::default()).await;
}

/// Waits until the page's terminal shows `text` on a line of its own making (a prompt aside).
async fn page_screen_shows(browser: &Browser, what: &str, text: &str) {
    browser
        .wait_for(
            what,
            "const rows = document.querySelector('article.markdown .terminal .xterm-rows'); return rows && rows.innerText.replace(/\\u00a0/g, ' ').split('\\n').some(l => l.trim() === arguments[0] || (arguments[0] === ' ' && /^\\d+ \\d+$/.test(l.trim()))) || null",
            &[json!(text)],
            SECONDS(15),
        )
        .await
        .expect(what);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn exec_in_a_pod_of_a_simulated_node_fails_honestly() {
    let cluster = cluster().await;
    let ns = namespace("terminal").await;
    let client = cluster.client().await.expect("client");
    running_pod(&client, ns.name(), "web")
        .await
        .expect("the pod");
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
