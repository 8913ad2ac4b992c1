//! Every command line of Fiche 3, run from its button in the page in the order of the
//! worksheet, prints what the same command prints when kubectl runs it directly.
//!
//! The page's proxy works in one namespace; right after each run in the page the same command
//! runs directly with kubectl in a second, fresh namespace, and both outputs are compared once
//! `kubefiche_tests::walk::comparable` has replaced what differs between two namespaces by nature (their names,
//! ages, uids, timestamps, the random suffixes of generated names). The lines come from the
//! worksheet itself (every line of every `bash` block), so a line added to it is walked too,
//! and a `kubectl` line without a Run button fails the test.
//!
//! How each kind of line is walked:
//! - `apply -f`/`delete -f` act on the workspace file in the editor; the direct run gets the
//!   same text on its standard input. The one change: the direct copy of `k8s/mcp-server.yaml`
//!   drops its `nodePort: 30900`, a port of the whole cluster that the page's namespace holds
//!   already (the API server would refuse it a second time); the output is the same.
//! - Before a read (`get`, `describe`, `logs`) and before a placeholder is chosen, both
//!   namespaces must have settled: the same objects in the same states (`kubectl get
//!   pods,jobs,pvc,deployments,cronjobs`, compared as above), no pod pending or terminating.
//!   Controllers write some things a moment after the objects settle (a CronJob's events): a
//!   read that differs is run again, both ways, after settling again, at most three times.
//! - Placeholders: the page fills its picker with the live object that fits; the test checks
//!   that the value names a live object, and picks the direct run's object in the other
//!   namespace the way the page does (the newest pod with the same `app` label; for other
//!   kinds the first by name). An empty picker is a failure; the walk goes on with the object
//!   the page should have offered, typed in as a learner would, and fails at its end.
//! - Streams (`--watch`, `--follow`): the direct run stops once quiet (or after a few seconds),
//!   the page's first lines are compared with it, then Stop must end the command.
//! - `exec -it` opens the in-page terminal. Containers do not run on the bundled cluster's
//!   simulated nodes, so there is nothing to compare: the terminal must show kubefiche's note
//!   and kubectl's failure, and end with a non-zero status.
//! - `logs` fails on simulated nodes, the same way both runs: the error text is compared.
//! - The CronJob (`*/1 * * * *`) is applied in both namespaces within one minute (the walk
//!   waits for a second of the minute below 45 first), so both schedule their first Job at the
//!   same minute, under the same name; reads of jobs wait for that first Job in both.
//! - Lines that are not kubectl (`docker build`, `env | grep API`, psql input) must say why
//!   they do not run; where the page offers a command instead, it runs and is compared too.
//!
//! With `--nocapture` the test tells each line's fate; `KUBEFICHE_WALK_SHOW=1` prints the
//! compared outputs too.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use kubefiche_core::command::{Kubectl, Parsed, parse};
use kubefiche_tests::cluster::{TestCluster, cluster, namespace, workspace_root};
use kubefiche_tests::layout::open_page;
use kubefiche_tests::walk::pair::{chosen, direct_args, scheduled_job, settle, strings};
use kubefiche_tests::walk::{At, Page, Printed, SECONDS, direct, direct_stream};
use serde_json::Value;

/// Every line of every ```bash block of the worksheet (block quotes included), blank lines and
/// comments left out, in order.
fn bash_lines(markdown: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut fence: Option<bool> = None;
    for raw in markdown.lines() {
        let mut line = raw;
        while let Some(rest) = line.trim_start().strip_prefix('>') {
            line = rest.strip_prefix(' ').unwrap_or(rest);
        }
        if let Some(info) = line.trim_start().strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(info.trim() == "bash"),
            };
            continue;
        }
        let text = line.trim();
        if fence == Some(true) && !text.is_empty() && !text.starts_with('#') {
            lines.push(line.to_owned());
        }
    }
    lines
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn every_command_of_fiche_3_prints_what_kubectl_prints() {
    let path = workspace_root().join("public/fiches/fiche-3.md");
    let markdown = std::fs::read_to_string(&path).expect("reading public/fiches/fiche-3.md");
    let lines = bash_lines(&markdown);
    assert!(lines.len() > 30, "{lines:?}");
    let (page_ns, proxy, browser) = open_page("walk-page", None).await.expect("the page");
    let direct_ns = namespace("walk-direct").await;
    let mut walk = Walk {
        page: Page::new(&browser),
        cluster: cluster().await,
        a: page_ns.name().to_owned(),
        b: direct_ns.name().to_owned(),
        problems: Vec::new(),
        cron: false,
    };
    if let Err(e) = walk.all(&lines).await {
        let log = proxy.log();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        panic!(
            "{e:#}\nproblems met before: {:#?}\nthe proxy's last log lines:\n{}",
            walk.problems,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    assert!(walk.problems.is_empty(), "{:#?}", walk.problems);
    browser.close().await.expect("closing the browser");
}

struct Walk<'a> {
    page: Page<'a>,
    cluster: &'static TestCluster,
    /// The page's namespace, and the direct runs'.
    a: String,
    b: String,
    /// What went wrong without stopping the walk (an empty picker).
    problems: Vec<String>,
    /// A CronJob of the worksheet is applied.
    cron: bool,
}

impl Walk<'_> {
    async fn all(&mut self, lines: &[String]) -> Result<()> {
        let kubectl: Vec<&String> = lines.iter().filter(|l| is_kubectl(l)).collect();
        let others: Vec<&String> = lines.iter().filter(|l| !is_kubectl(l)).collect();
        self.page.check_lines(&kubectl, &others).await?;
        let (mut run, mut note) = (0, 0);
        for line in lines {
            if is_kubectl(line) {
                self.kubectl_line(At::Run(run), line).await?;
                run += 1;
            } else {
                self.other_line(At::Note(note), line).await?;
                note += 1;
            }
        }
        Ok(())
    }

    /// A line the page does not run: it says why, and runs what it offers instead.
    async fn other_line(&mut self, at: At, line: &str) -> Result<()> {
        let (why, instead) = match parse(line) {
            Parsed::Elsewhere { why, instead } => (why.fr, instead),
            Parsed::Refused(why) => (why.fr, None),
            other => bail!("`{line}` is neither kubectl nor for elsewhere: {other:?}"),
        };
        let shown = self.page.note(at).await?;
        if !shown["text"].as_str().is_some_and(|t| t.contains(&why)) {
            bail!("`{line}`: the page does not say why it does not run ({why:?}): {shown}");
        }
        eprintln!("not run, says why: `{line}`");
        match (instead, shown["instead"].as_str()) {
            (None, None) => Ok(()),
            (Some(instead), Some(button)) if button.contains(&instead) => {
                self.kubectl_line(at, &instead).await
            }
            (expected, button) => {
                bail!("`{line}`: the button instead should run {expected:?}, it says {button:?}")
            }
        }
    }

    /// A kubectl line: run from the page, then directly, and compared.
    async fn kubectl_line(&mut self, at: At, written: &str) -> Result<()> {
        let read = ["get", "describe", "logs"];
        let Parsed::Kubectl(first) = parse(written) else {
            bail!("`{written}` has a Run button but does not parse as a command kubefiche runs");
        };
        let has_placeholder = written.contains('<');
        if has_placeholder || read.contains(&first.verb.as_str()) {
            self.settle().await?;
        }
        if self.cron && (written.contains(" jobs") || written.contains("job/<")) {
            self.first_scheduled_jobs().await?;
        }
        let (sent, direct_line) = self.fill(at, written).await?;
        let Parsed::Kubectl(command) = parse(&direct_line) else {
            bail!("`{direct_line}` does not parse");
        };
        let stdin = self.file_text(&command).await?;
        if command.verb == "apply"
            && stdin
                .as_deref()
                .is_some_and(|t| t.contains("kind: CronJob"))
        {
            wait_for_the_minute_start().await;
        }
        if command.terminal {
            self.page.terminal(at, &sent).await?;
            eprintln!("terminal: `{sent}` showed kubefiche's note and kubectl's failure");
            return Ok(());
        }
        let args = direct_args(&command);
        let attempts = if read.contains(&command.verb.as_str()) {
            3
        } else {
            1
        };
        for attempt in 1..=attempts {
            if attempt > 1 {
                self.settle().await?;
            }
            let (page, kubectl) = if command.streaming {
                self.page.start(at, &sent).await?;
                let kubectl = direct_stream(
                    self.cluster,
                    &self.b,
                    &args,
                    Duration::from_millis(1500),
                    SECONDS(4),
                )
                .await?;
                let page = self.page.first_lines(at, &sent, &kubectl).await?;
                self.page.stop(at, &sent).await?;
                (
                    page,
                    Printed {
                        code: None,
                        ..kubectl
                    },
                )
            } else {
                let page = self.page.run(at, &sent).await?;
                let kubectl = direct(self.cluster, &self.b, &args, stdin.as_deref()).await?;
                (page, kubectl)
            };
            if command.verb == "logs" && !self.page.has_note(at, &sent).await? {
                bail!("`{sent}`: no note that containers do not run on simulated nodes");
            }
            if page.comparable(&self.a) == kubectl.comparable(&self.b) && page.code == kubectl.code
            {
                let lines = |t: &str| t.lines().count();
                eprintln!(
                    "alike: `{sent}` ({} + {} lines, exit {:?})",
                    lines(&page.stdout),
                    lines(&page.stderr),
                    page.code
                );
                if std::env::var_os("KUBEFICHE_WALK_SHOW").is_some() {
                    eprintln!("{:?}", page.comparable(&self.a));
                }
                break;
            }
            if attempt == attempts {
                bail!(
                    "`{written}` differs (sent as `{sent}`; run directly as `kubectl {}` in {})\n=== the page ({}) ===\n{page}\n=== kubectl ({}) ===\n{kubectl}\n=== both normalised ===\n{:?}\n{:?}",
                    args.join(" "),
                    self.b,
                    self.a,
                    self.b,
                    page.comparable(&self.a),
                    kubectl.comparable(&self.b),
                );
            }
        }
        if command.verb == "apply"
            && stdin
                .as_deref()
                .is_some_and(|t| t.contains("kind: CronJob"))
        {
            self.cron = true;
        }
        if command.verb == "delete"
            && stdin
                .as_deref()
                .is_some_and(|t| t.contains("kind: CronJob"))
        {
            self.cron = false;
        }
        Ok(())
    }

    /// The line as the page sends it (its placeholders filled by the pickers) and as the
    /// direct run sends it (the same objects chosen in the other namespace).
    async fn fill(&mut self, at: At, written: &str) -> Result<(String, String)> {
        let mut sent = written.to_owned();
        let mut direct_line = written.to_owned();
        while let Some(open) = sent.find('<') {
            let Some(len) = sent[open..].find('>') else {
                break;
            };
            let name = sent[open + 1..open + len].to_owned();
            let kind = if name.contains("job") { "job" } else { "pod" };
            let picked = match self.page.picker(at, &name).await? {
                Some(value) => value,
                None => {
                    let fits = chosen(self.cluster, &self.a, kind, None).await?;
                    self.problems.push(format!(
                        "`{written}`: the picker of <{name}> stayed empty; {kind} {fits} was live"
                    ));
                    self.page.type_in_picker(at, &name, &fits).await?;
                    fits
                }
            };
            let live = direct(
                self.cluster,
                &self.a,
                &strings(&["get", kind, &picked, "-o", "json"]),
                None,
            )
            .await?;
            if live.code != Some(0) {
                bail!(
                    "`{written}`: the picker offers <{name}> = {picked}, which is no live {kind}: {live}"
                );
            }
            let object: Value = serde_json::from_str(&live.stdout)?;
            let app = object["metadata"]["labels"]["app"]
                .as_str()
                .map(str::to_owned);
            let counterpart = chosen(self.cluster, &self.b, kind, app.as_deref()).await?;
            sent.replace_range(open..=open + len, &picked);
            let d_open = direct_line
                .find(&format!("<{name}>"))
                .context("placeholder")?;
            direct_line.replace_range(d_open..d_open + name.len() + 2, &counterpart);
        }
        Ok((sent, direct_line))
    }

    /// The workspace file a `-f` names, as the editor holds it (for the direct run's stdin).
    async fn file_text(&self, command: &Kubectl) -> Result<Option<String>> {
        let Some(path) = &command.file else {
            return Ok(None);
        };
        let text = self.page.workspace_file(path).await?;
        // A node port belongs to the whole cluster: the page's namespace holds it already.
        let text: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| !l.trim_start().starts_with("nodePort:"))
            .collect();
        Ok(Some(text.concat()))
    }

    async fn settle(&self) -> Result<()> {
        settle(self.cluster, &self.a, &self.b).await
    }

    /// Until each namespace holds a Job its CronJob created (the worksheet: "attendez une
    /// minute"), then settled.
    async fn first_scheduled_jobs(&self) -> Result<()> {
        scheduled_job(self.cluster, &self.a, SECONDS(130)).await?;
        scheduled_job(self.cluster, &self.b, SECONDS(30)).await?;
        self.settle().await
    }
}

fn is_kubectl(line: &str) -> bool {
    line.trim_start().starts_with("kubectl ")
}

/// Waits for a second of the minute below 45, so that two applies right after fall in the same
/// minute and their CronJobs schedule their first Jobs at the same time.
async fn wait_for_the_minute_start() {
    loop {
        let second = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() % 60);
        if second < 45 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[test]
fn the_bash_lines_of_the_worksheet() {
    let markdown = "# T\n```bash\nkubectl get pods\n# a comment\n\nenv | grep API\n```\n```yaml\nkind: Pod\n```\n> ```bash\n> kubectl apply -f k8s/server.yaml\n> ```\n";
    assert_eq!(
        bash_lines(markdown),
        [
            "kubectl get pods",
            "env | grep API",
            "kubectl apply -f k8s/server.yaml"
        ]
    );
}
