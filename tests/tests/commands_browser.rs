//! The worksheet's commands run from the page, as a learner runs them: Run buttons beside the
//! lines of Fiche 3, a placeholder filled from a live pod, a `--watch` that shows a change and
//! stops, and the console with its history and completion. Real Chromium, the real proxy
//! binary, the real API server of the local control plane; kubectl's output is compared with
//! the same command run directly.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs it once the cluster, the app and
//! the proxy binary are ready.

use anyhow::{Context, Result, bail};
use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::cluster::{TestCluster, cluster};
use kubefiche_tests::layout::{assert_accessible, open_page};
use kubefiche_tests::walk::{OUTPUT_OF, SECONDS, STATUS_OF, run_as, run_button};
use serde_json::{Value, json};

/// A pod of the worksheet's PostgreSQL, as its Deployment labels them.
const POSTGRES_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: NAME
  labels: {app: postgres}
spec:
  containers:
  - name: postgres
    image: postgres:16
";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn the_worksheet_commands_run_in_place() {
    let (ns, proxy, browser) = open_page("commands", None).await.expect("the page");
    let cluster = cluster().await;
    let walk = async {
        run_buttons(&browser, cluster, ns.name()).await?;
        placeholder_and_watch(&browser, cluster, ns.name()).await?;
        console(&browser).await
    };
    if let Err(e) = walk.await {
        panic!("{e:#}\nproxy log: {}", proxy.log());
    }
    browser.close().await.expect("closing the browser");
}

async fn run(browser: &Browser, line: &str) -> Result<String> {
    run_as(browser, line, line).await
}

/// kubectl's table without its AGE column (the only one that differs between two runs).
fn without_age(table: &str) -> Vec<String> {
    table
        .lines()
        .map(|l| {
            let mut words: Vec<&str> = l.split_whitespace().collect();
            words.pop();
            words.join(" ")
        })
        .collect()
}

async fn run_buttons(browser: &Browser, cluster: &TestCluster, ns: &str) -> Result<()> {
    let apply = "kubectl apply -f k8s/config.yaml";
    let button = browser.find(&run_button(apply), SECONDS(10)).await?;
    let name = browser.accessible_name(&button).await?;
    if name != format!("Exécuter : {apply}") {
        bail!("the Run button is named {name:?}");
    }
    // The worksheet's text is still as written around the buttons.
    let text = browser
        .eval(
            "return [...document.querySelectorAll('article.markdown pre')].map(p => p.textContent).find(t => t.startsWith(arguments[0])) || null",
            &[json!(apply)],
        )
        .await?;
    if text != json!("kubectl apply -f k8s/config.yaml\nkubectl get configmap iris-config\n") {
        bail!("the block's text changed: {text}");
    }
    let output = run(browser, apply).await?;
    if output.trim() != "configmap/iris-config created" {
        bail!("kubectl apply printed {output:?}");
    }
    let get = "kubectl get configmap iris-config";
    let output = run(browser, get).await?;
    let direct = cluster
        .kubectl(
            &["get", "configmap", "iris-config", "--namespace", ns],
            None,
        )
        .await?;
    if without_age(&output) != without_age(&direct) {
        bail!("the page shows\n{output}\nkubectl prints\n{direct}");
    }
    // Clear empties the block's output.
    browser
        .eval(
            "const runs = [...document.querySelectorAll('article.markdown .run')].filter(r => r.dataset.line === arguments[0]);
             runs[0].closest('.cmd-panel').querySelector('button.clear').click(); return true",
            &[json!(get)],
        )
        .await?;
    browser
        .wait_for(
            "the output cleared",
            "return ![...document.querySelectorAll('article.markdown .run')].some(r => r.dataset.line === arguments[0])",
            &[json!(get)],
            SECONDS(5),
        )
        .await?;
    Ok(())
}

async fn placeholder_and_watch(browser: &Browser, cluster: &TestCluster, ns: &str) -> Result<()> {
    let pod = POSTGRES_POD.replace("NAME", "postgres-first");
    cluster
        .kubectl(&["apply", "--namespace", ns, "-f", "-"], Some(&pod))
        .await?;
    // The picker of `<nom-du-pod-postgres>` fills itself with the live pod.
    let delete = "kubectl delete pod <nom-du-pod-postgres>";
    let picked = browser
        .wait_for(
            "the picker filled with the live pod",
            "const panel = [...document.querySelectorAll('article.markdown figure')].find(f => f.querySelector('pre').textContent.includes(arguments[0]))?.querySelector('.cmd-panel');
             const input = panel && [...panel.querySelectorAll('.picker')].find(p => p.textContent.includes('<nom-du-pod-postgres>'))?.querySelector('input');
             return input && input.value === 'postgres-first' ? input.value : null",
            &[json!(delete)],
            SECONDS(30),
        )
        .await?;
    let output = run_as(browser, delete, "kubectl delete pod postgres-first").await?;
    if !output.contains("pod \"postgres-first\" deleted") {
        bail!("picked {picked}, kubectl delete printed {output:?}");
    }
    // A watch streams until Stop, and shows a change as it happens.
    let watch = "kubectl get pods -l app=postgres --watch";
    browser.click(&run_button(watch), SECONDS(5)).await?;
    browser
        .wait_for(
            "the watch running",
            &format!("const s = (() => {{ {STATUS_OF} }})(); return s && s.startsWith('en cours')"),
            &[json!(watch)],
            SECONDS(15),
        )
        .await?;
    let pod = POSTGRES_POD.replace("NAME", "postgres-second");
    cluster
        .kubectl(&["apply", "--namespace", ns, "-f", "-"], Some(&pod))
        .await?;
    browser
        .wait_for(
            "the new pod in the watch's output",
            &format!("const o = (() => {{ {OUTPUT_OF} }})(); return o.includes('postgres-second') ? o : null"),
            &[json!(watch)],
            SECONDS(15),
        )
        .await?;
    browser
        .eval(
            "[...document.querySelectorAll('article.markdown .run')].filter(r => r.dataset.line === arguments[0]).pop().querySelector('button.stop').click(); return true",
            &[json!(watch)],
        )
        .await?;
    browser
        .wait_for(
            "the watch stopped",
            &format!("const s = (() => {{ {STATUS_OF} }})(); return s === 'arrêtée' || s?.startsWith('arrêtée')"),
            &[json!(watch)],
            SECONDS(10),
        )
        .await?;
    Ok(())
}

/// The console's transcripts, as text.
const CONSOLE_OUTPUT: &str = "return [...document.querySelectorAll('#console .run pre.out')].map(p => p.textContent).join('\\n')";

async fn console(browser: &Browser) -> Result<()> {
    browser.click(".console-toggle", SECONDS(5)).await?;
    browser
        .wait_for(
            "the focus in the console's prompt",
            "return document.activeElement?.id === 'console-input'",
            &[],
            SECONDS(5),
        )
        .await?;
    assert_accessible(browser, "the console open").await?;
    browser
        .type_keys(&format!("get configmap{}", Key::Enter))
        .await?;
    browser
        .wait_for(
            "the console's output",
            &format!("const o = (() => {{ {CONSOLE_OUTPUT} }})(); return o.includes('iris-config') ? o : null"),
            &[],
            SECONDS(30),
        )
        .await?;
    // ↑ brings the line back.
    browser.type_keys(&Key::Up.to_string()).await?;
    let value = prompt(browser).await?;
    if value != json!("get configmap") {
        bail!("↑ gave {value}");
    }
    // Tab completes the name of a live object.
    browser.chord(&[Key::Control], 'c').await?;
    browser
        .type_keys(&format!("describe configmap iris{}", Key::Tab))
        .await?;
    browser
        .wait_for(
            "the completed name",
            "return document.getElementById('console-input').value === 'describe configmap iris-config '",
            &[],
            SECONDS(5),
        )
        .await
        .with_context(|| "Tab completion")?;
    browser.type_keys(&Key::Enter.to_string()).await?;
    browser
        .wait_for(
            "kubectl describe's output",
            &format!("const o = (() => {{ {CONSOLE_OUTPUT} }})(); return /Name:\\s+iris-config/.test(o) ? o : null"),
            &[],
            SECONDS(30),
        )
        .await?;
    // Ctrl+L clears.
    browser.chord(&[Key::Control], 'l').await?;
    browser
        .wait_for(
            "the console cleared",
            "return document.querySelectorAll('#console .run').length === 0",
            &[],
            SECONDS(5),
        )
        .await?;
    Ok(())
}

async fn prompt(browser: &Browser) -> Result<Value> {
    browser
        .eval("return document.getElementById('console-input').value", &[])
        .await
}
