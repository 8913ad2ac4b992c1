//! Fiche 3's exercises check themselves, in real Chromium against the real API server of the
//! local control plane. A learner walks the whole worksheet as its text says — inserting the
//! fragments from their buttons, applying and running the commands from the console — and sees
//! each exercise turn green in order and the progress bar reach 100 %, the progress surviving a
//! reload. A second learner makes the usual mistakes and sees the right step stay unfinished with
//! the right hint, and meets the worksheet's own inconsistency (the backend needs the ConfigMap
//! and Secret that part 1 deleted) explained where it bites.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs it once the cluster, the app and
//! the proxy binary are ready.

use std::time::Duration;

use anyhow::{Result, bail};
use kubefiche_tests::browser::Browser;
use kubefiche_tests::cluster::{cluster, workspace_root};
use kubefiche_tests::exercises::{Learner, SECONDS};
use kubefiche_tests::layout::{open_page, screenshot};
use kubefiche_tests::proxy::ProxyProcess;

/// How long a change in the cluster may take to show (pods start, controllers act).
const SETTLE: Duration = Duration::from_secs(60);

async fn report(result: Result<()>, proxy: &ProxyProcess, browser: Browser) {
    if let Err(e) = result {
        let log = proxy.log();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        panic!(
            "{e:#}\nthe proxy's last log lines:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    browser.close().await.expect("closing the browser");
}

/// Exercise `id` is done, and every exercise after it is not yet: they turn green in order.
async fn done_in_order(learner: &Learner<'_>, id: &str) -> Result<()> {
    learner.wait_exercise(id, "done", SETTLE).await?;
    let states = learner.exercises().await?;
    let at = states
        .iter()
        .position(|(e, _)| e == id)
        .unwrap_or(usize::MAX);
    for (i, (exercise, state)) in states.iter().enumerate() {
        let expected_done = i <= at;
        if expected_done != (state == "done") {
            bail!("after {id}, exercise {exercise} is {state}: {states:?}");
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn walking_fiche_3_turns_every_exercise_green_in_order() {
    let (ns, proxy, browser) = open_page("exercises-walk", None).await.expect("the page");
    let learner = Learner::new(&browser);
    let walk = async {
        let states = learner.exercises().await?;
        if states.len() != 7 || states.iter().any(|(_, s)| s == "done") {
            bail!("a fresh page should list seven exercises, none done: {states:?}");
        }
        let (done, total) = learner.progress().await?;
        if done != 0 || total < 20 {
            bail!("a fresh page's progress is {done}/{total}");
        }

        // 1a. ConfigMap.
        learner.ok("kubectl apply -f k8s/config.yaml").await?;
        learner.wait_step("configmap/1", "progress", SETTLE).await?;
        learner
            .wait_hint("configmap/1", "describe configmap", SETTLE)
            .await?;
        learner.ok("kubectl describe configmap iris-config").await?;
        learner.wait_step("configmap/1", "done", SETTLE).await?;
        let note = learner.insert(0).await?;
        if !note.contains("API_URL") {
            bail!("the first fragment's note: {note}");
        }
        learner.wait_step("configmap/2", "done", SETTLE).await?;
        // A second insertion changes nothing.
        let again = learner.insert(0).await?;
        if !again.contains("Déjà présent") {
            bail!("inserting twice: {again}");
        }
        learner.ok("kubectl apply -f k8s/server.yaml").await?;
        learner.wait_step("configmap/3", "done", SETTLE).await?;
        learner
            .wait_step("configmap/4", "unverifiable", SETTLE)
            .await?;
        done_in_order(&learner, "configmap").await?;

        // 1b. Secret.
        learner
            .ok("kubectl create secret generic iris-secrets --from-literal=api-key=supersecretkey123")
            .await?;
        learner
            .ok("kubectl get secret iris-secrets -o yaml")
            .await?;
        learner.wait_step("secret/1", "done", SETTLE).await?;
        learner.insert(1).await?;
        learner.wait_step("secret/2", "done", SETTLE).await?;
        learner.ok("kubectl apply -f k8s/server.yaml").await?;
        learner.wait_step("secret/3", "done", SETTLE).await?;
        learner.ok("kubectl delete configmap iris-config").await?;
        learner.ok("kubectl delete secret iris-secrets").await?;
        done_in_order(&learner, "secret").await?;

        // 2. PostgreSQL and its claim: the page made the file, the learner opens it.
        learner.file("k8s/postgres.yaml").await?;
        learner.wait_step("postgres/1", "done", SETTLE).await?;
        learner.ok("kubectl apply -f k8s/postgres.yaml").await?;
        learner.wait_step("postgres/2", "done", SETTLE).await?;
        learner.ok("kubectl get pvc postgres-pvc").await?;
        learner.wait_step("postgres/3", "done", SETTLE).await?;
        let pod = cluster()
            .await
            .kubectl(
                &[
                    "get",
                    "pods",
                    "-n",
                    ns.name(),
                    "-l",
                    "app=postgres",
                    "-o",
                    "jsonpath={.items[0].metadata.name}",
                ],
                None,
            )
            .await?;
        learner.ok(&format!("kubectl delete pod {pod}")).await?;
        learner.wait_step("postgres/5", "done", SETTLE).await?;
        learner.ok("kubectl delete -f k8s/postgres.yaml").await?;
        done_in_order(&learner, "postgres").await?;

        // 3. The CronJob: its first Job comes at the next minute.
        learner.file("k8s/cronjob.yaml").await?;
        learner.wait_step("cronjob/1", "done", SETTLE).await?;
        learner.ok("kubectl apply -f k8s/cronjob.yaml").await?;
        learner.wait_step("cronjob/2", "done", SETTLE).await?;
        learner.ok("kubectl get jobs").await?;
        learner.wait_step("cronjob/3", "done", SECONDS(150)).await?;
        learner
            .ok("kubectl describe cronjob iris-retrainer")
            .await?;
        learner.wait_step("cronjob/5", "done", SETTLE).await?;
        learner
            .ok("kubectl create job iris-retrainer-manual --from=cronjob/iris-retrainer")
            .await?;
        learner.wait_step("cronjob/6", "done", SETTLE).await?;
        learner.ok("kubectl delete -f k8s/cronjob.yaml").await?;
        done_in_order(&learner, "cronjob").await?;

        // 4. The MCP server, the agent, and the challenge.
        learner.file("k8s/mcp-server.yaml").await?;
        learner.ok("kubectl apply -f k8s/mcp-server.yaml").await?;
        done_in_order(&learner, "mcp-server").await?;
        learner.file("k8s/agent.yaml").await?;
        learner.ok("kubectl apply -f k8s/agent.yaml").await?;
        done_in_order(&learner, "agent").await?;
        learner
            .ok("kubectl scale deployment pydantic-agent --replicas=5")
            .await?;
        learner.wait_step("challenge/1", "done", SETTLE).await?;
        learner.ok("kubectl get pods -l app=pydantic-agent").await?;
        learner
            .ok("kubectl scale deployment mcp-server --replicas=3")
            .await?;
        learner.wait_step("challenge/4", "done", SETTLE).await?;
        learner.ok("kubectl delete -f k8s/mcp-server.yaml").await?;
        learner.ok("kubectl delete -f k8s/agent.yaml").await?;
        done_in_order(&learner, "challenge").await?;

        screenshot(&browser, "exercises-done").await?;
        let (done, total) = learner.progress().await?;
        if done != total {
            bail!("the walk is over and the progress is {done}/{total}");
        }
        // Progress is kept in the browser: a reload shows it all again.
        browser.refresh().await?;
        learner
            .wait_exercise("challenge", "done", SECONDS(30))
            .await?;
        let (after, _) = learner.progress().await?;
        if after != total {
            bail!("after a reload the progress is {after}/{total}");
        }
        Ok(())
    };
    report(walk.await, &proxy, browser).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn the_usual_mistakes_keep_the_right_step_open_with_the_right_hint() {
    let (ns, proxy, browser) = open_page("exercises-mistakes", None)
        .await
        .expect("the page");
    let learner = Learner::new(&browser);
    let walk = async {
        // A Secret whose key is misspelt.
        learner
            .ok("kubectl create secret generic iris-secrets --from-literal=apikey=supersecretkey123")
            .await?;
        learner.wait_hint("secret/1", "api-key", SETTLE).await?;
        expect_open(&learner, "secret/1").await?;

        // An env entry left out: the learner types two of the three entries by hand.
        learner
            .edit(
                "k8s/server.yaml",
                "        imagePullPolicy: IfNotPresent\n",
                "        imagePullPolicy: IfNotPresent\n        env:\n        - name: API_URL\n          value: \"http://mlops-server-svc:8000\"\n        - name: API_NAME\n          valueFrom:\n            configMapKeyRef:\n              name: iris-config\n              key: API_NAME\n",
            )
            .await?;
        learner
            .wait_hint("configmap/2", "API_DESCRIPTION", SETTLE)
            .await?;
        expect_open(&learner, "configmap/2").await?;
        // The solution on demand: the fragment merged into the learner's file, as a diff.
        browser
            .click(
                "li[data-step='configmap/2'] button.solution-toggle",
                SECONDS(5),
            )
            .await?;
        let diff = browser
            .wait_for(
                "the solution's diff",
                "return document.querySelector(`li[data-step='configmap/2'] .solution pre.diff`)?.textContent ?? null",
                &[],
                SECONDS(10),
            )
            .await?;
        let diff = diff.as_str().unwrap_or_default();
        if !diff.contains("+        - name: API_DESCRIPTION")
            || diff.contains("+        - name: API_URL")
        {
            bail!("the solution adds what is missing, and only that: {diff}");
        }
        screenshot(&browser, "exercises-solution").await?;

        // A claim without storage.
        learner
            .edit("k8s/postgres.yaml", "      storage: 1Gi\n", "")
            .await?;
        learner
            .wait_hint("postgres/1", "k8s/postgres.yaml", SETTLE)
            .await?;
        expect_open(&learner, "postgres/1").await?;

        // A schedule with a field missing.
        learner
            .edit("k8s/cronjob.yaml", "\"*/1 * * * *\"", "\"*/1 * * *\"")
            .await?;
        learner
            .wait_hint("cronjob/1", "k8s/cronjob.yaml", SETTLE)
            .await?;
        expect_open(&learner, "cronjob/1").await?;

        // Scaling the MCP server instead of the agent. The worksheet's node port 30900 is the
        // whole cluster's: the walk in the test beside this one holds it, so this learner's copy
        // lets the cluster pick one.
        learner
            .edit("k8s/mcp-server.yaml", "    nodePort: 30900\n", "")
            .await?;
        learner.ok("kubectl apply -f k8s/mcp-server.yaml").await?;
        learner.ok("kubectl apply -f k8s/agent.yaml").await?;
        learner.wait_step("agent/3", "done", SETTLE).await?;
        learner
            .ok("kubectl scale deployment mcp-server --replicas=5")
            .await?;
        learner
            .wait_hint("challenge/1", "pydantic-agent", SETTLE)
            .await?;
        expect_open(&learner, "challenge/1").await?;

        // The worksheet's own trap: part 1 deletes the ConfigMap the backend reads; the backend
        // started again in part 3 cannot start, and the CronJob exercise says why, there.
        learner.ok("kubectl apply -f k8s/config.yaml").await?;
        learner.ok("kubectl apply -f k8s/server.yaml").await?;
        learner.wait_step("configmap/3", "done", SETTLE).await?;
        browser
            .wait_for(
                "the backend ready, and the CronJob exercise asking for nothing",
                &format!("{REQUIRES} return p === null && document.querySelector(`.exercise-mark[data-exercise='cronjob']`) !== null"),
                &[],
                SETTLE,
            )
            .await?;
        learner.ok("kubectl delete configmap iris-config").await?;
        learner.ok("kubectl delete -f k8s/server.yaml").await?;
        learner.ok("kubectl apply -f k8s/server.yaml").await?;
        let requires = browser
            .wait_for(
                "the CronJob exercise's prerequisite",
                &format!("{REQUIRES} return p ? p.textContent : null"),
                &[],
                SETTLE,
            )
            .await?;
        let requires = requires.as_str().unwrap_or_default();
        if !requires.contains("iris-config") || !requires.contains("CreateContainerConfigError") {
            bail!("the prerequisite says: {requires}");
        }

        // Asking for a solution is remembered across a reload.
        browser.refresh().await?;
        browser
            .find("li[data-step='configmap/2'] .solution-seen", SECONDS(30))
            .await?;

        // Starting the Secret exercise again forgets its steps and deletes its Secret.
        learner.wait_step("secret/1", "progress", SETTLE).await?;
        browser
            .click(
                ".exercise-mark[data-exercise='secret'] button.restart",
                SECONDS(5),
            )
            .await?;
        browser
            .click(".restart-dialog button.confirm-restart", SECONDS(5))
            .await?;
        learner.wait_step("secret/1", "todo", SETTLE).await?;
        let left = cluster()
            .await
            .kubectl(&["get", "secrets", "-n", ns.name(), "-o", "name"], None)
            .await?;
        if left.contains("iris-secrets") {
            bail!("the Secret is still there: {left}");
        }
        Ok(())
    };
    report(walk.await, &proxy, browser).await;
}

/// `p`: what the CronJob exercise asks for first, if it asks.
const REQUIRES: &str =
    "const mark = document.querySelector(`.exercise-mark[data-exercise='cronjob']`);
    const p = mark?.parentElement?.querySelector('.check-hint.requires') ?? null;";

/// Step `id` is not done (it stays open while the mistake is there).
async fn expect_open(learner: &Learner<'_>, id: &str) -> Result<()> {
    // The page has seen the change by now; give a late green a moment to appear.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let state = learner.step(id).await?;
    if state == "done" {
        bail!("step {id} is done despite the mistake");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn a_mis_decoded_worksheet_of_ones_own_opens_as_the_original() {
    let (_ns, proxy, browser) = open_page("exercises-own", None).await.expect("the page");
    let walk = async {
        // What the shipped worksheet shows.
        let shown = "return { title: document.querySelector('article.markdown h1')?.textContent,
            headings: [...document.querySelectorAll('article.markdown :is(h1, h2, h3, h4)')].map(h => h.textContent),
            text: (() => { const a = document.querySelector('article.markdown').cloneNode(true);
                a.querySelectorAll('.exercise-check, .step-check').forEach(e => e.remove());
                return a.textContent; })(),
            tabs: [...document.querySelectorAll('.tabs .tab')].map(t => t.firstChild?.textContent) }";
        let original = browser.eval(shown, &[]).await?;
        browser.click(".worksheets-toggle", SECONDS(5)).await?;
        let input = browser
            .find(".pick-file input[type=file]", SECONDS(5))
            .await?;
        let file = workspace_root().join("src/fiche/testdata/fiche-3.as-received.md");
        input.send_keys(&file.display().to_string()).await?;
        browser
            .wait_for(
                "the learner's worksheet open, repaired",
                "return location.search.includes('fiche=own-') && document.querySelector('.course-bar .repaired') && document.querySelector('.cm-content') ? true : null",
                &[],
                SECONDS(30),
            )
            .await?;
        let own = browser
            .wait_for(
                "the worksheet drawn",
                &format!("const s = (() => {{ {shown} }})(); return s.title ? s : null"),
                &[],
                SECONDS(10),
            )
            .await?;
        for part in ["title", "headings", "text"] {
            if own[part] != original[part] {
                bail!(
                    "the repaired worksheet's {part} differs:\n{}\n---\n{}",
                    own[part],
                    original[part]
                );
            }
        }
        // Its contents: every heading, nested by depth.
        browser.click(".contents-toggle", SECONDS(5)).await?;
        let depths = browser
            .wait_for(
                "the contents",
                "const items = [...document.querySelectorAll('#contents li')]; return items.length ? items.map(li => li.dataset.depth + ' ' + li.textContent) : null",
                &[],
                SECONDS(5),
            )
            .await?;
        let depths: Vec<String> = serde_json::from_value(depths)?;
        let headings: Vec<String> = serde_json::from_value(original["headings"].clone())?;
        if depths.len() != headings.len() || !depths.contains(&"2 Objectifs".to_owned()) {
            bail!("the contents: {depths:?}");
        }
        // Its YAML blocks are the workspace, as for the shipped one (which adds its starter).
        let tabs: Vec<String> = serde_json::from_value(own["tabs"].clone())?;
        let shipped: Vec<String> = serde_json::from_value(original["tabs"].clone())?;
        let made: Vec<String> = shipped
            .into_iter()
            .filter(|t| t != "k8s/server.yaml")
            .collect();
        if tabs != made {
            bail!(
                "the learner's worksheet has the files {tabs:?}, the shipped one {made:?} (and its starter)"
            );
        }
        // The list of worksheets holds both; the course's opens again.
        browser.click(".worksheets-toggle", SECONDS(5)).await?;
        browser
            .click(".worksheet[data-fiche='fiche-3'] a", SECONDS(5))
            .await?;
        browser
            .wait_for(
                "the course's Fiche 3 again",
                "return location.search.includes('fiche=fiche-3') && document.querySelector('.exercise-chips') ? true : null",
                &[],
                SECONDS(30),
            )
            .await?;
        Ok(())
    };
    report(walk.await, &proxy, browser).await;
}
