//! The cluster pane as a teaching view, in real Chromium against the real API server of the
//! local control plane: a Deployment scaled from the pane shows its ReplicaSet and exactly the
//! live pods under it; a pod deleted after a confirmation is replaced; a CronJob's Job triggered
//! from the pane appears under it; a claim is Bound with its volume and the pod mounting it; a
//! ConfigMap lists its keys and links to its reader and back; a pod's Warning event shows.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs it once the cluster, the app and
//! the proxy binary are ready.

use std::time::Duration;

use anyhow::{Result, bail};
use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::cluster::{TestCluster, cluster};
use kubefiche_tests::layout::{assert_accessible, open_page};
use serde_json::{Value, json};

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: busybox:1.36
";

const REPORT: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: '0 0 1 1 *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: report
            image: busybox:1.36
            command: [echo, done]
";

const RELATED: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: Pod
metadata:
  name: uses-data
spec:
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: data}
  containers:
  - name: c
    image: busybox:1.36
    volumeMounts:
    - {name: d, mountPath: /data}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data: {A: '1', B: '2'}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reader
spec:
  replicas: 1
  selector:
    matchLabels: {app: reader}
  template:
    metadata:
      labels: {app: reader}
    spec:
      containers:
      - name: reader
        image: busybox:1.36
        envFrom:
        - configMapRef: {name: app-config}
---
apiVersion: v1
kind: Pod
metadata:
  name: needs-config
spec:
  containers:
  - name: c
    image: busybox:1.36
    env:
    - name: X
      valueFrom:
        configMapKeyRef: {name: absent-config, key: X}
";

/// The row of `kind`/`name` in the pane (arguments 0 and 1).
const ROW: &str = "const row = document.querySelector(`li.object[data-kind='${arguments[0]}'][data-name='${arguments[1]}']`);";

/// The pods drawn under the ReplicaSets of Deployment `arguments[1]`, sorted, space-separated.
const PODS_UNDER: &str = "const row = document.querySelector(`li.object[data-kind='${arguments[0]}'][data-name='${arguments[1]}']`);
    if (!row) return null;
    return [...row.querySelectorAll(\"li.object[data-kind='ReplicaSet'] tr.pod\")].map(r => r.dataset.pod).sort().join(' ')";

/// The value of the fact labelled `arguments[2]` on the row of `arguments[0]`/`arguments[1]`.
const FACT: &str = "const row = document.querySelector(`li.object[data-kind='${arguments[0]}'][data-name='${arguments[1]}']`);
    if (!row) return null;
    const fact = [...row.querySelector('.object-head').querySelectorAll('.fact')].find(f => f.querySelector('dt').textContent === arguments[2]);
    return fact ? fact.querySelector('dd').textContent : null";

/// The status line of the pane's last run of `arguments[0]`, once it has ended; its output.
const ENDED: &str = "const runs = [...document.querySelectorAll('.pane-runs .run')].filter(r => r.dataset.line === arguments[0]);
    if (!runs.length) return null;
    const run = runs[runs.length - 1];
    const status = run.querySelector('.run-status').textContent;
    if (status.startsWith('en cours') || status.startsWith('démarrage')) return null;
    return {status, output: [...run.querySelectorAll('pre.out')].map(p => p.textContent).join('')}";

fn fail(e: anyhow::Error, log: &str) -> ! {
    panic!("{e:#}\nproxy log: {log}")
}

/// Wait for the pane's run of `line` to end well; its output.
async fn ran(browser: &Browser, line: &str) -> Result<String> {
    let ended = browser
        .wait_for(
            &format!("`{line}` to end"),
            ENDED,
            &[json!(line)],
            SECONDS(30),
        )
        .await?;
    let status = ended["status"].as_str().unwrap_or_default();
    if status != "terminée" {
        bail!("`{line}` ended with {status:?}: {}", ended["output"]);
    }
    Ok(ended["output"].as_str().unwrap_or_default().to_owned())
}

/// The pods of `app` as kubectl lists them (sorted, space-separated), once the Deployment has
/// exactly `replicas` ready and nothing else left: the state the pane must show.
async fn settled(cluster: &TestCluster, ns: &str, app: &str, replicas: usize) -> Result<String> {
    for _ in 0..120 {
        let ready = cluster
            .kubectl(
                &[
                    "get",
                    "deployment",
                    app,
                    "--namespace",
                    ns,
                    "-o",
                    "jsonpath={.status.readyReplicas}",
                ],
                None,
            )
            .await?;
        let pods = cluster
            .kubectl(
                &[
                    "get",
                    "pods",
                    "-l",
                    &format!("app={app}"),
                    "--namespace",
                    ns,
                    "-o",
                    "jsonpath={.items[*].metadata.name}",
                ],
                None,
            )
            .await?;
        let mut names: Vec<&str> = pods.split_whitespace().collect();
        if ready.trim() == replicas.to_string() && names.len() == replicas {
            names.sort_unstable();
            return Ok(names.join(" "));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    bail!("deployment/{app} did not settle at {replicas} ready pods within a minute")
}

/// Scale `web` from the number field of its actions, and check the pane against the cluster.
async fn scale_to(browser: &Browser, cluster: &TestCluster, ns: &str, n: usize) -> Result<()> {
    browser
        .eval(
            "const i = document.querySelector('.action.scale input.replicas'); i.value = arguments[0];
             i.dispatchEvent(new Event('input', {bubbles: true})); return true",
            &[json!(n.to_string())],
        )
        .await?;
    browser.click(".action.scale .scale-to", SECONDS(5)).await?;
    let output = ran(
        browser,
        &format!("kubectl scale deployment/web --replicas={n}"),
    )
    .await?;
    if !output.contains("deployment.apps/web scaled") {
        bail!("kubectl scale printed {output:?}");
    }
    let expected = settled(cluster, ns, "web", n).await?;
    browser
        .wait_for(
            &format!(
                "exactly the pods of the cluster under deployment/web ({expected}) within a second"
            ),
            &format!("return (() => {{ {PODS_UNDER} }})() === arguments[2]"),
            &[json!("Deployment"), json!("web"), json!(expected)],
            SECONDS(1),
        )
        .await?;
    let ready = browser
        .wait_for(
            "the Deployment's READY column",
            &format!("const v = (() => {{ {FACT} }})(); return v === arguments[3] ? v : null"),
            &[
                json!("Deployment"),
                json!("web"),
                json!("Prêts"),
                json!(format!("{n}/{n}")),
            ],
            SECONDS(2),
        )
        .await?;
    let replica_sets = browser
        .eval(
            &format!(
                "{ROW} return row.querySelectorAll(\"li.object[data-kind='ReplicaSet']\").length"
            ),
            &[json!("Deployment"), json!("web")],
        )
        .await?;
    if replica_sets != json!(1) {
        bail!("{replica_sets} ReplicaSets under deployment/web at {ready}, not one");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_deployment_scaled_from_the_pane_and_a_pod_deleted_and_replaced() {
    let (ns, proxy, browser) = open_page("view-scale", Some(WEB)).await.expect("the page");
    let cluster = cluster().await;
    let walk = async {
        let one = settled(cluster, ns.name(), "web", 1).await?;
        browser
            .wait_for(
                "the first pod under its ReplicaSet",
                &format!("return (() => {{ {PODS_UNDER} }})() === arguments[2]"),
                &[json!("Deployment"), json!("web"), json!(one)],
                SECONDS(10),
            )
            .await?;
        browser.click("#obj-deployment-web", SECONDS(5)).await?;
        scale_to(&browser, cluster, ns.name(), 5).await?;
        scale_to(&browser, cluster, ns.name(), 3).await?;
        delete_a_pod(&browser, cluster, ns.name()).await
    };
    if let Err(e) = walk.await {
        fail(e, &proxy.log());
    }
    browser.close().await.expect("closing the browser");
}

/// Delete a pod of `web` from its details: Escape cancels the first time (the focus returns to
/// the button), Delete confirms the second; its replacement arrives.
async fn delete_a_pod(browser: &Browser, cluster: &TestCluster, ns: &str) -> Result<()> {
    let before = settled(cluster, ns, "web", 3).await?;
    let victim = before.split(' ').next().unwrap_or_default().to_owned();
    browser
        .click(&format!("#obj-pod-{victim}"), SECONDS(5))
        .await?;
    let delete = format!("#delete-obj-pod-{victim}");
    let is_open = "return document.querySelector('dialog.confirm').open";
    browser.click(&delete, SECONDS(5)).await?;
    browser
        .wait_for("the confirmation", is_open, &[], SECONDS(2))
        .await?;
    browser.type_keys(&Key::Escape.to_string()).await?;
    browser
        .wait_for(
            "Escape to close the dialog and give the focus back",
            &format!("return !document.querySelector('dialog.confirm').open && document.activeElement?.id === {}", json!(&delete[1..])),
            &[],
            SECONDS(2),
        )
        .await?;
    if browser
        .eval(
            "return document.querySelector(`tr.pod[data-pod='${arguments[0]}']`) !== null",
            &[json!(victim)],
        )
        .await?
        != json!(true)
    {
        bail!("the pod went although the deletion was cancelled");
    }
    browser.click(&delete, SECONDS(5)).await?;
    browser
        .wait_for("the confirmation again", is_open, &[], SECONDS(2))
        .await?;
    browser
        .click("dialog.confirm .confirm-delete", SECONDS(2))
        .await?;
    let output = ran(browser, &format!("kubectl delete pod {victim}")).await?;
    if !output.contains(&format!("pod \"{victim}\" deleted")) {
        bail!("kubectl delete printed {output:?}");
    }
    let after = settled(cluster, ns, "web", 3).await?;
    if after.split(' ').any(|p| p == victim) {
        bail!("{victim} is still in the cluster: {after}");
    }
    browser
        .wait_for(
            "the replacement under deployment/web, the deleted pod gone",
            &format!("return (() => {{ {PODS_UNDER} }})() === arguments[2]"),
            &[json!("Deployment"), json!("web"), json!(after)],
            SECONDS(1),
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_job_triggered_from_the_pane_appears_under_its_cron_job() {
    let (_ns, proxy, browser) = open_page("view-cron", Some(REPORT))
        .await
        .expect("the page");
    let walk = async {
        browser.click("#obj-cronjob-report", SECONDS(10)).await?;
        let words = browser
            .eval(
                &format!("return (() => {{ {FACT} }})()"),
                &[json!("CronJob"), json!("report"), json!("Planning")],
            )
            .await?;
        if !words.to_string().contains("une fois par an") {
            bail!("the schedule reads {words}");
        }
        let line = browser
            .eval(
                "return document.querySelector('.action.trigger code').textContent",
                &[],
            )
            .await?;
        let line = line.as_str().unwrap_or_default().to_owned();
        let Some(job) = line.strip_prefix("kubectl create job --from=cronjob/report ") else {
            bail!("the trigger shows {line:?}");
        };
        browser.click(".action.trigger button", SECONDS(2)).await?;
        let output = ran(&browser, &line).await?;
        if !output.contains(&format!("job.batch/{job} created")) {
            bail!("kubectl create job printed {output:?}");
        }
        browser
            .wait_for(
                "the Job under its CronJob, and its pod under the Job",
                &format!("{ROW} return row && row.querySelector(`li.object[data-kind='Job'][data-name='${{arguments[2]}}'] tr.pod`) !== null"),
                &[json!("CronJob"), json!("report"), json!(job)],
                SECONDS(10),
            )
            .await?;
        browser
            .wait_for(
                "the Job complete, 1/1",
                &format!("const v = (() => {{ {FACT} }})(); return v === 'Complete'"),
                &[json!("Job"), json!(job), json!("Statut")],
                SECONDS(60),
            )
            .await?;
        Ok(())
    };
    if let Err(e) = walk.await {
        fail(e, &proxy.log());
    }
    browser.close().await.expect("closing the browser");
}

/// The related objects' links on the row of `kind`/`name`, for the relation `class`.
async fn links(browser: &Browser, kind: &str, name: &str, class: &str) -> Result<Value> {
    browser
        .eval(
            &format!("{ROW} return row ? [...row.querySelectorAll(`:scope > .related .${{arguments[2]}} .rel`)].map(b => b.textContent) : null"),
            &[json!(kind), json!(name), json!(class)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn claims_config_maps_and_warnings_are_shown_and_linked() {
    let (ns, proxy, browser) = open_page("view-related", Some(RELATED))
        .await
        .expect("the page");
    let cluster = cluster().await;
    let walk = async {
        // The claim: Bound, its volume, the pod mounting it.
        browser
            .wait_for(
                "the claim Bound",
                &format!("const v = (() => {{ {FACT} }})(); return v === 'Bound' ? v : null"),
                &[
                    json!("PersistentVolumeClaim"),
                    json!("data"),
                    json!("Statut"),
                ],
                SECONDS(30),
            )
            .await?;
        let volume = browser
            .eval(
                &format!("return (() => {{ {FACT} }})()"),
                &[
                    json!("PersistentVolumeClaim"),
                    json!("data"),
                    json!("Volume"),
                ],
            )
            .await?;
        let bound_to = cluster
            .kubectl(
                &[
                    "get",
                    "pvc",
                    "data",
                    "--namespace",
                    ns.name(),
                    "-o",
                    "jsonpath={.spec.volumeName}",
                ],
                None,
            )
            .await?;
        if volume != json!(bound_to.trim()) {
            bail!("the pane shows volume {volume}, kubectl {bound_to}");
        }
        let mounted = links(&browser, "PersistentVolumeClaim", "data", "rel-mounted-by").await?;
        if mounted != json!(["pod/uses-data"]) {
            bail!("the claim is mounted by {mounted}");
        }
        // The ConfigMap: its keys, its reader, and back.
        let keys = browser
            .eval(
                &format!(
                    "{ROW} return [...row.querySelectorAll('code.key')].map(k => k.textContent)"
                ),
                &[json!("ConfigMap"), json!("app-config")],
            )
            .await?;
        if keys != json!(["A", "B"]) {
            bail!("the ConfigMap's keys read {keys}");
        }
        browser
            .wait_for(
                "the ConfigMap read by deployment/reader",
                &format!("{ROW} return row && [...row.querySelectorAll(':scope > .related .rel-read-by .rel')].some(b => b.textContent === 'deployment/reader')"),
                &[json!("ConfigMap"), json!("app-config")],
                SECONDS(10),
            )
            .await?;
        follow(
            &browser,
            "ConfigMap",
            "app-config",
            "rel-read-by",
            "obj-deployment-reader",
        )
        .await?;
        follow(
            &browser,
            "Deployment",
            "reader",
            "rel-reads",
            "obj-configmap-app-config",
        )
        .await?;
        // The pod that lacks its ConfigMap: a Warning event in its details and in the feed.
        browser.click("#obj-pod-needs-config", SECONDS(10)).await?;
        browser
            .wait_for(
                "a Warning event in the pod's details",
                "return document.querySelector('tr.pod-details .object-events .event.warning') !== null",
                &[],
                SECONDS(30),
            )
            .await?;
        let missing = browser
            .eval("return [...document.querySelectorAll('tr.pod-details .rel.missing')].map(m => m.textContent)", &[])
            .await?;
        if !missing.to_string().contains("configmap/absent-config") {
            bail!("the pod's details do not name the missing ConfigMap: {missing}");
        }
        assert_accessible(&browser, "a pod's details open").await?;
        browser
            .click(".view-switch .tab-events", SECONDS(2))
            .await?;
        browser
            .click(".feed .only-warnings input", SECONDS(2))
            .await?;
        browser
            .wait_for(
                "the feed, warnings only, naming the pod",
                "const all = [...document.querySelectorAll('.feed .event')];
                 return all.length > 0 && all.every(e => e.classList.contains('warning')) && all.some(e => e.textContent.includes('pod/needs-config'))",
                &[],
                SECONDS(5),
            )
            .await?;
        assert_accessible(&browser, "the events feed").await?;
        Ok(())
    };
    if let Err(e) = walk.await {
        fail(e, &proxy.log());
    }
    browser.close().await.expect("closing the browser");
}

/// Activate the `class` link on the row of `kind`/`name`: the focus goes to `target`'s name.
async fn follow(
    browser: &Browser,
    kind: &str,
    name: &str,
    class: &str,
    target: &str,
) -> Result<()> {
    browser
        .eval(
            &format!("{ROW} row.querySelector(`:scope > .related .${{arguments[2]}} .rel`).click(); return true"),
            &[json!(kind), json!(name), json!(class)],
        )
        .await?;
    browser
        .wait_for(
            &format!("the focus on #{target}"),
            "return document.activeElement?.id === arguments[0]",
            &[json!(target)],
            SECONDS(2),
        )
        .await?;
    Ok(())
}

/// A Deployment whose pods read the worksheet's Secret before it exists, and a CronJob.
const BROKEN: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: iris-server
spec:
  selector:
    matchLabels: {app: iris-server}
  template:
    metadata:
      labels: {app: iris-server}
    spec:
      containers:
      - name: server
        image: busybox:1.36
        env:
        - name: API_KEY
          valueFrom:
            secretKeyRef: {name: iris-secrets, key: api-key}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: nightly
            image: busybox:1.36
";

/// The worksheet's own line that creates the Secret (Fiche 3, section Secrets).
const SECRET_LINE: &str =
    "kubectl create secret generic iris-secrets --from-literal=api-key=supersecretkey123";

/// `.spec.suspend` of CronJob `nightly`, as kubectl reads it.
async fn suspended(cluster: &TestCluster, ns: &str) -> Result<String> {
    let out = cluster
        .kubectl(
            &[
                "get",
                "cronjob",
                "nightly",
                "--namespace",
                ns,
                "-o",
                "jsonpath={.spec.suspend}",
            ],
            None,
        )
        .await?;
    Ok(out.trim().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_failure_explained_then_fixed_from_its_remedy_and_a_cron_job_suspended() {
    let (ns, proxy, browser) = open_page("view-explain", Some(BROKEN))
        .await
        .expect("the page");
    let cluster = cluster().await;
    let walk = async {
        // The pod cannot start: its row says so, its details explain why and how to fix it.
        let pod = browser
            .wait_for(
                "the iris-server pod with an error badge",
                "const row = document.querySelector(\"tr.pod[data-pod^='iris-server-']\");
                 return row && row.querySelector('.explained-badge.error') ? row.dataset.pod : null",
                &[],
                SECONDS(30),
            )
            .await?;
        let pod = pod.as_str().unwrap_or_default().to_owned();
        browser
            .click(&format!("#obj-pod-{pod}"), SECONDS(5))
            .await?;
        let explained = browser
            .wait_for(
                "the explanation of the missing Secret",
                "const e = document.querySelector(\"tr.pod-details .explanation[data-code='missing-config']\");
                 return e ? {title: e.querySelector('.explanation-title').textContent, cause: e.querySelector('.cause').textContent,
                   commands: [...e.querySelectorAll('.remedy.command code')].map(c => c.textContent)} : null",
                &[],
                SECONDS(10),
            )
            .await?;
        if !explained["title"].to_string().contains("iris-secrets")
            || !explained["cause"]
                .to_string()
                .contains("CreateContainerConfigError")
            || explained["commands"] != json!([SECRET_LINE])
        {
            bail!("the explanation reads {explained}");
        }
        assert_accessible(&browser, "an explanation open").await?;
        // Its remedy runs the worksheet's command from the pane; the pod starts, the badge goes.
        browser
            .click(
                "tr.pod-details .explanation[data-code='missing-config'] .run-remedy",
                SECONDS(2),
            )
            .await?;
        let output = ran(&browser, SECRET_LINE).await?;
        if !output.contains("secret/iris-secrets created") {
            bail!("the remedy printed {output:?}");
        }
        browser
            .wait_for(
                "the pod Running without a badge",
                "const row = document.querySelector(`tr.pod[data-pod='${arguments[0]}']`);
                 return row && row.querySelector('.status').textContent === 'Running' && !row.querySelector('.explained-badge')",
                &[json!(pod)],
                SECONDS(30),
            )
            .await?;
        // Suspend, then resume, the CronJob from its actions: kubectl agrees each time.
        browser.click("#obj-cronjob-nightly", SECONDS(10)).await?;
        for (line, wanted) in [
            (
                r#"kubectl patch cronjob nightly -p '{"spec":{"suspend":true}}'"#,
                "true",
            ),
            (
                r#"kubectl patch cronjob nightly -p '{"spec":{"suspend":false}}'"#,
                "false",
            ),
        ] {
            browser
                .wait_for(
                    "the suspend action's line",
                    "return document.querySelector('.action.suspend code')?.textContent === arguments[0]",
                    &[json!(line)],
                    SECONDS(5),
                )
                .await?;
            browser.click(".action.suspend button", SECONDS(2)).await?;
            let output = ran(&browser, line).await?;
            if !output.contains("cronjob.batch/nightly patched") {
                bail!("{line} printed {output:?}");
            }
            let now = suspended(cluster, ns.name()).await?;
            if now != wanted {
                bail!("after {line}, kubectl reads suspend={now}");
            }
        }
        Ok(())
    };
    if let Err(e) = walk.await {
        fail(e, &proxy.log());
    }
    browser.close().await.expect("closing the browser");
}

/// Whether the pane shows ConfigMap `arguments[0]` and the stream is live.
const SHOWS: &str = "return document.querySelector('.link.live') !== null
    && document.querySelector(`li.object[data-kind='ConfigMap'][data-name='${arguments[0]}']`) !== null";

/// Every open tab of the browser shows ConfigMap `name`, live.
async fn every_tab_shows(browser: &Browser, name: &str) -> Result<()> {
    let client = browser.client();
    for handle in client.windows().await? {
        client.switch_to_window(handle).await?;
        browser
            .wait_for(
                &format!("configmap/{name} in every tab"),
                SHOWS,
                &[json!(name)],
                SECONDS(10),
            )
            .await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn eight_tabs_of_one_browser_share_one_stream() {
    let (ns, proxy, browser) = open_page("view-tabs", None).await.expect("the page");
    let cluster = cluster().await;
    let walk = async {
        // A browser keeps six connections to a host: past six tabs, only a shared stream works.
        let client = browser.client();
        for _ in 1..8 {
            let tab = client.new_window(true).await?;
            client.switch_to_window(tab.handle).await?;
            browser.goto(&proxy.url).await?;
        }
        let create = |name: &'static str| {
            let ns = ns.name().to_owned();
            async move {
                let args = [
                    "create",
                    "configmap",
                    name,
                    "--from-literal=k=v",
                    "--namespace",
                    &ns,
                ];
                cluster.kubectl(&args, None).await.map(drop)
            }
        };
        create("first").await?;
        every_tab_shows(&browser, "first").await?;
        // The tab that follows the stream goes; another takes over, and nothing is missed.
        let handles = client.windows().await?;
        client.switch_to_window(handles[0].clone()).await?;
        client.close_window().await?;
        client.switch_to_window(handles[1].clone()).await?;
        create("second").await?;
        every_tab_shows(&browser, "second").await?;
        if client.windows().await?.len() != 7 {
            bail!("seven tabs should be left");
        }
        Ok(())
    };
    if let Err(e) = walk.await {
        fail(e, &proxy.log());
    }
    browser.close().await.expect("closing the browser");
}
