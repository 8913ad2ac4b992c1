//! Worksheet commands run two ways: from the page (its Run buttons, found by their accessible
//! names, and the transcripts under each block) and directly with kubectl in a namespace of the
//! test's choosing; [`normal`] makes their outputs comparable.

pub mod normal;
pub mod page;
pub mod pair;

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

pub use normal::{comparable, is_age, normalise};
pub use page::{At, Page};

use crate::browser::Browser;
use crate::cluster::TestCluster;
use crate::cluster::test_kubectl;

pub const SECONDS: fn(u64) -> Duration = Duration::from_secs;

/// The transcripts of the command `line` in the worksheet: their output text, joined.
pub const OUTPUT_OF: &str = "return [...document.querySelectorAll('article.markdown .run')]
    .filter(r => r.dataset.line === arguments[0])
    .map(r => [...r.querySelectorAll('pre.out')].map(p => p.textContent).join('')).join('\\n')";

/// The status line under the last transcript of `line`.
pub const STATUS_OF: &str = "const runs = [...document.querySelectorAll('article.markdown .run')].filter(r => r.dataset.line === arguments[0]);
    return runs.length ? runs[runs.length - 1].querySelector('.run-status').textContent : null";

/// The Run button beside `line` (as the worksheet writes it), by its accessible name.
pub fn run_button(line: &str) -> String {
    format!(
        "button.run-line[aria-label={}]",
        json!(format!("Exécuter : {line}"))
    )
}

/// Click Run beside `written` (the line as the worksheet writes it), wait until the command sent
/// (`line`, its placeholders filled) has ended, and return its output.
pub async fn run_as(browser: &Browser, written: &str, line: &str) -> Result<String> {
    let button = browser.find(&run_button(written), SECONDS(10)).await?;
    button
        .click()
        .await
        .with_context(|| format!("clicking Run: {written}"))?;
    browser
        .wait_for(
            &format!("`{line}` to end"),
            &format!("const s = (() => {{ {STATUS_OF} }})(); return s && !s.startsWith('en cours') && !s.startsWith('démarrage') ? s : null"),
            &[json!(line)],
            SECONDS(30),
        )
        .await?;
    let output = browser.eval(OUTPUT_OF, &[json!(line)]).await?;
    Ok(output.as_str().unwrap_or_default().to_owned())
}

/// What one kubectl command printed, and how it ended (`None`: stopped before its end).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Printed {
    /// Both streams made comparable ([`comparable`]) for namespace `ns`.
    pub fn comparable(&self, ns: &str) -> (String, String) {
        (comparable(&self.stdout, ns), comparable(&self.stderr, ns))
    }
}

impl std::fmt::Display for Printed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// kubectl run directly as the proxy runs it (the same binary, forced kubeconfig and
/// namespace, the environment emptied but for `PATH` and `HOME`, no kuberc), in `ns`.
fn kubectl(cluster: &TestCluster, ns: &str, args: &[String]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(test_kubectl());
    command
        .arg(format!(
            "--kubeconfig={}",
            cluster.kubeconfig_path().display()
        ))
        .arg(format!("--namespace={ns}"))
        .args(args)
        .env_clear()
        .env("KUBERC", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for name in ["PATH", "HOME"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
}

/// Runs `args` (the words after `kubectl`) in `ns` to its end, with `stdin` for `-f -`.
pub async fn direct(
    cluster: &TestCluster,
    ns: &str,
    args: &[String],
    stdin: Option<&str>,
) -> Result<Printed> {
    let mut command = kubectl(cluster, ns, args);
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = command.spawn().context("starting kubectl")?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes()).await?;
    }
    let out = tokio::time::timeout(SECONDS(90), child.wait_with_output())
        .await
        .with_context(|| format!("kubectl {} still runs after 90 s", args.join(" ")))??;
    Ok(Printed {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    })
}

/// Runs a command that streams (`--watch`, `--follow`) in `ns` and keeps what it printed
/// until it has been quiet for `quiet`, for `most` at the latest, or until it ends by itself.
/// Only whole lines are kept.
pub async fn direct_stream(
    cluster: &TestCluster,
    ns: &str,
    args: &[String],
    quiet: Duration,
    most: Duration,
) -> Result<Printed> {
    let mut command = kubectl(cluster, ns, args);
    command.stdin(Stdio::null());
    let mut child = command.spawn().context("starting kubectl")?;
    let changed = Arc::new(Mutex::new(Instant::now()));
    let stdout = collect(child.stdout.take(), changed.clone());
    let stderr = collect(child.stderr.take(), changed.clone());
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait()? {
            break status.code();
        }
        let last = *changed
            .lock()
            .map_err(|_| anyhow::anyhow!("a reader panicked"))?;
        if last.elapsed() >= quiet || started.elapsed() >= most {
            child.kill().await?;
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let whole = |text: String| match text.rfind('\n') {
        Some(end) => text[..=end].to_owned(),
        None => String::new(),
    };
    Ok(Printed {
        stdout: whole(stdout.await??),
        stderr: whole(stderr.await??),
        code,
    })
}

/// Reads `pipe` to its end in a task of its own, noting when each piece arrived.
fn collect(
    pipe: Option<impl AsyncRead + Unpin + Send + 'static>,
    changed: Arc<Mutex<Instant>>,
) -> tokio::task::JoinHandle<Result<String>> {
    tokio::spawn(async move {
        let mut text = Vec::new();
        let Some(mut pipe) = pipe else {
            return Ok(String::new());
        };
        let mut buffer = [0u8; 4096];
        loop {
            let n = pipe.read(&mut buffer).await?;
            if n == 0 {
                break;
            }
            text.extend_from_slice(&buffer[..n]);
            if let Ok(mut at) = changed.lock() {
                *at = Instant::now();
            }
        }
        Ok(String::from_utf8_lossy(&text).into_owned())
    })
}
