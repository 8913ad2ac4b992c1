//! The worksheet's command blocks as the test drives them: a kubectl line's Run button (by its
//! place among all the Run buttons), a line's note (by its place among all the notes), the
//! pickers and transcripts of the block they are in, the in-page terminal, the editor's files.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use super::{Printed, SECONDS};
use crate::browser::Browser;

/// Where a line is: the `n`th Run button of the worksheet, or the `n`th note of a line that
/// does not run (whose button "instead" runs something).
#[derive(Debug, Clone, Copy)]
pub enum At {
    Run(usize),
    Note(usize),
}

impl At {
    fn args(self, line: &str) -> Vec<Value> {
        match self {
            At::Run(n) => vec![json!("run"), json!(n), json!(line)],
            At::Note(n) => vec![json!("note"), json!(n), json!(line)],
        }
    }
}

/// `fig`: the block (`<figure>`) of the line `arguments[0..2]` names.
const FIGURE: &str = "const [kind, i, line] = arguments;
    const el = document.querySelectorAll(kind === 'run' ? 'article.markdown button.run-line' : 'article.markdown .line-notes li')[i];
    const fig = el && el.closest('figure');";

/// The last transcript of `line` in its block: how many there are, its output (stdout and
/// stderr apart), status, notes, and its terminal if it has one.
const LAST_RUN: &str = "if (!fig) return null;
    const runs = [...fig.querySelectorAll('.run')].filter(r => r.dataset.line === line);
    const run = runs[runs.length - 1];
    if (!run) return { count: 0 };
    let out = '', err = '';
    run.querySelectorAll('pre.out > span').forEach(s => { if (s.classList.contains('stderr')) err += s.textContent; else out += s.textContent; });
    const status = run.querySelector('.run-status')?.textContent ?? '';
    const final = status !== '' && !['en cours', 'démarrage', 'terminal ouvert'].some(s => status.startsWith(s));
    const term = run.querySelector('.terminal');
    return { count: runs.length, out, err, status, final,
      bad: !!run.querySelector('.run-status.bad'),
      live: !!run.querySelector('button.stop'),
      notes: [...run.querySelectorAll('.kf-note')].map(n => n.textContent),
      terminal: term && {
        notes: [...term.querySelectorAll('.terminal-note')].map(n => n.textContent),
        status: term.querySelector('.terminal-status')?.textContent ?? '',
        screen: (term.querySelector('.xterm-rows')?.innerText ?? '').replace(/\\u00a0/g, ' '),
      } };";

pub struct Page<'a> {
    browser: &'a Browser,
}

/// The exit status a transcript's status line tells: `terminée` is 0, `échec, code de sortie
/// N` is N; a stopped or refused command has none.
fn code_of(status: &str) -> Option<i32> {
    if status.starts_with("terminée") {
        return Some(0);
    }
    let (_, rest) = status.split_once("code de sortie ")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The first `n` lines of `text`.
fn head(text: &str, n: usize) -> String {
    text.split_inclusive('\n').take(n).collect()
}

impl<'a> Page<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    async fn last(&self, at: At, line: &str) -> Result<Value> {
        self.browser
            .eval(&format!("{FIGURE}\n{LAST_RUN}"), &at.args(line))
            .await
    }

    /// Waits until a transcript of `line` newer than the `before`th satisfies `until` (a JS
    /// expression on `r`, the transcript), and returns it.
    async fn wait_run(
        &self,
        what: &str,
        at: At,
        line: &str,
        before: u64,
        until: &str,
        timeout: Duration,
    ) -> Result<Value> {
        let mut args = at.args(line);
        args.push(json!(before));
        let script = format!(
            "const r = (() => {{ {FIGURE}\n{LAST_RUN} }})(); return r && r.count > arguments[3] && ({until}) ? r : null"
        );
        match self.browser.wait_for(what, &script, &args, timeout).await {
            Ok(r) => Ok(r),
            Err(e) => {
                let r = self.last(at, line).await.unwrap_or_default();
                Err(e.context(format!("the last transcript of `{line}`: {r:#}")))
            }
        }
    }

    async fn count(&self, at: At, line: &str) -> Result<u64> {
        Ok(self.last(at, line).await?["count"].as_u64().unwrap_or(0))
    }

    /// Clicks the Run button (or the note's button instead), as a learner does.
    async fn click(&self, at: At) -> Result<()> {
        let (css, n) = match at {
            At::Run(n) => ("article.markdown button.run-line", n),
            At::Note(n) => ("article.markdown .line-notes li", n),
        };
        let all = self.browser.client().find_all(Locator::Css(css)).await?;
        let element = all.get(n).with_context(|| format!("no {css} number {n}"))?;
        let element = match at {
            At::Run(_) => element.clone(),
            At::Note(_) => element.find(Locator::Css("button.instead")).await?,
        };
        element.click().await.context("clicking Run")?;
        Ok(())
    }

    /// The worksheet has a Run button for each of `kubectl` (in order, named after the line)
    /// and a note for each of `others`, nothing more.
    pub async fn check_lines(&self, kubectl: &[&String], others: &[&String]) -> Result<()> {
        self.browser
            .wait_for(
                "the Run buttons",
                "return document.querySelectorAll('article.markdown button.run-line').length > 0",
                &[],
                SECONDS(20),
            )
            .await?;
        let found = self
            .browser
            .eval(
                "return { runs: [...document.querySelectorAll('article.markdown button.run-line')].map(b => b.getAttribute('aria-label')),
                          notes: [...document.querySelectorAll('article.markdown .line-notes li > code')].map(c => c.textContent) }",
                &[],
            )
            .await?;
        let expected: Vec<String> = kubectl.iter().map(|l| format!("Exécuter : {l}")).collect();
        let runs: Vec<String> = serde_json::from_value(found["runs"].clone())?;
        if runs != expected {
            let missing: Vec<&String> = expected.iter().filter(|e| !runs.contains(e)).collect();
            bail!(
                "the Run buttons are not the worksheet's kubectl lines; without a button: {missing:?}\nbuttons: {runs:#?}"
            );
        }
        let notes: Vec<String> = serde_json::from_value(found["notes"].clone())?;
        let others: Vec<&str> = others.iter().map(|l| l.as_str()).collect();
        if notes != others {
            bail!("the notes are {notes:?}, the lines that do not run {others:?}");
        }
        Ok(())
    }

    /// A note's text, and its button instead (`null` when there is none).
    pub async fn note(&self, at: At) -> Result<Value> {
        self.browser
            .eval(
                &format!(
                    "{FIGURE}\nreturn el && {{ text: el.textContent, instead: el.querySelector('button.instead')?.textContent ?? null }}"
                ),
                &at.args(""),
            )
            .await
    }

    /// The value of the picker of placeholder `<name>` in the line's block, once it has one
    /// (within 20 s); `None` when it stays empty.
    pub async fn picker(&self, at: At, name: &str) -> Result<Option<String>> {
        let script = format!(
            "{FIGURE}\nconst p = fig && [...fig.querySelectorAll('.picker')].find(p => p.querySelector('label code')?.textContent === '<' + line + '>');
             return p ? p.querySelector('input').value : null"
        );
        let deadline = Instant::now() + SECONDS(20);
        loop {
            let value = self.browser.eval(&script, &at.args(name)).await?;
            match value.as_str() {
                Some(v) if !v.trim().is_empty() => return Ok(Some(v.trim().to_owned())),
                Some(_) => {}
                None => bail!("no picker for <{name}> in the block of {at:?}"),
            }
            if Instant::now() > deadline {
                return Ok(None);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `value` into the picker of `<name>`, as a learner would.
    pub async fn type_in_picker(&self, at: At, name: &str, value: &str) -> Result<()> {
        let mut args = at.args(name);
        args.push(json!(value));
        self.browser
            .eval(
                &format!(
                    "{FIGURE}\nconst input = [...fig.querySelectorAll('.picker')].find(p => p.querySelector('label code')?.textContent === '<' + line + '>').querySelector('input');
                     input.value = arguments[3]; input.dispatchEvent(new Event('input', {{ bubbles: true }})); return true"
                ),
                &args,
            )
            .await?;
        Ok(())
    }

    /// The text of workspace file `path` in the editor (its tab opened).
    pub async fn workspace_file(&self, path: &str) -> Result<String> {
        let text = self
            .browser
            .wait_for(
                &format!("{path} in the editor"),
                "const tab = [...document.querySelectorAll('.tabs .tab')].find(t => t.firstChild?.textContent === arguments[0]);
                 if (!tab) return null;
                 if (tab.getAttribute('aria-selected') !== 'true') { tab.click(); return null; }
                 const c = document.querySelector('.cm-content');
                 const view = c?.cmTile?.root?.view ?? c?.cmView?.view;
                 return view ? view.state.doc.toString() : null",
                &[json!(path)],
                SECONDS(10),
            )
            .await?;
        let text = text.as_str().unwrap_or_default().to_owned();
        if !text.contains("kind:") {
            bail!("the editor shows no manifest for {path}: {text:?}");
        }
        Ok(text)
    }

    /// Runs `line` (as sent) from its button and waits for its end: what it printed.
    pub async fn run(&self, at: At, line: &str) -> Result<Printed> {
        let before = self.count(at, line).await?;
        self.click(at).await?;
        let r = self
            .wait_run(
                &format!("`{line}` to end"),
                at,
                line,
                before,
                "r.final",
                SECONDS(60),
            )
            .await?;
        Ok(printed(&r))
    }

    /// Starts a streaming `line` and waits until it runs (or has ended already).
    pub async fn start(&self, at: At, line: &str) -> Result<()> {
        let before = self.count(at, line).await?;
        self.click(at).await?;
        self.wait_run(
            &format!("`{line}` to stream"),
            at,
            line,
            before,
            "r.live || r.final",
            SECONDS(30),
        )
        .await?;
        Ok(())
    }

    /// The first lines of the stream `line`, as many on each of stdout and stderr as `direct`
    /// has (waiting for them, up to 20 s).
    pub async fn first_lines(&self, at: At, line: &str, direct: &Printed) -> Result<Printed> {
        let lines = |t: &str| t.matches('\n').count();
        let (out, err) = (lines(&direct.stdout), lines(&direct.stderr));
        let mut args = at.args(line);
        args.extend([json!(out), json!(err)]);
        let script = format!(
            "const r = (() => {{ {FIGURE}\n{LAST_RUN} }})();
             const n = t => (t.match(/\\n/g) || []).length;
             return r && (r.final || (n(r.out) >= arguments[3] && n(r.err) >= arguments[4])) ? r : null"
        );
        let r = self
            .browser
            .wait_for(
                &format!("the first lines of `{line}`"),
                &script,
                &args,
                SECONDS(20),
            )
            .await?;
        let whole = printed(&r);
        Ok(Printed {
            stdout: head(&whole.stdout, out),
            stderr: head(&whole.stderr, err),
            code: None,
        })
    }

    /// Presses Stop on the stream `line` and checks that it ended.
    pub async fn stop(&self, at: At, line: &str) -> Result<()> {
        let r = self.last(at, line).await?;
        if r["live"] == json!(true) {
            self.browser
                .eval(
                    &format!("{FIGURE}\nconst runs = [...fig.querySelectorAll('.run')].filter(r => r.dataset.line === line);
                     runs[runs.length - 1].querySelector('button.stop').click(); return true"),
                    &at.args(line),
                )
                .await?;
        }
        let count = r["count"].as_u64().unwrap_or(1);
        self.wait_run(
            &format!("`{line}` to stop"),
            at,
            line,
            count - 1,
            "r.final && !r.live",
            SECONDS(10),
        )
        .await?;
        Ok(())
    }

    /// Whether the last transcript of `line` carries a note of kubefiche's.
    pub async fn has_note(&self, at: At, line: &str) -> Result<bool> {
        let r = self.last(at, line).await?;
        Ok(r["notes"].as_array().is_some_and(|n| !n.is_empty()))
    }

    /// Runs an `exec -it` line: the terminal opens in the block, shows kubefiche's note and
    /// kubectl's failure, and ends with a non-zero status; then the block's output is cleared.
    pub async fn terminal(&self, at: At, line: &str) -> Result<()> {
        let before = self.count(at, line).await?;
        self.click(at).await?;
        // A learner looks at the terminal; xterm.js draws nothing while it is out of view.
        self.wait_run(
            &format!("the terminal of `{line}`"),
            at,
            line,
            before,
            "r.terminal",
            SECONDS(10),
        )
        .await?;
        self.browser
            .eval(
                &format!("{FIGURE}\n[...fig.querySelectorAll('.terminal')].pop().scrollIntoView({{ block: 'center' }}); return true"),
                &at.args(line),
            )
            .await?;
        let ended = self
            .wait_run(
                &format!("the terminal of `{line}` to end"),
                at,
                line,
                before,
                "r.terminal && r.final && r.terminal.screen.trim() !== ''",
                SECONDS(30),
            )
            .await;
        let r = match ended {
            Ok(r) => r,
            Err(e) => {
                let _ = self
                    .browser
                    .eval(
                        &format!(
                            "{FIGURE}\nfig.querySelector('.terminal-close')?.click(); return true"
                        ),
                        &at.args(line),
                    )
                    .await;
                return Err(e);
            }
        };
        let terminal = &r["terminal"];
        let code = code_of(r["status"].as_str().unwrap_or_default());
        let screen = terminal["screen"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        if terminal["notes"].as_array().is_none_or(Vec::is_empty)
            || code.is_none_or(|c| c == 0)
            || !screen.contains("error")
        {
            bail!(
                "`{line}`: the terminal should show kubefiche's note and kubectl's failure: {r:#}"
            );
        }
        self.browser
            .eval(
                &format!(
                    "{FIGURE}\nfig.querySelector('.cmd-panel button.clear').click(); return true"
                ),
                &at.args(line),
            )
            .await?;
        self.browser
            .wait_for(
                "the block's output cleared",
                &format!("{FIGURE}\nreturn fig.querySelectorAll('.run').length === 0"),
                &at.args(line),
                SECONDS(5),
            )
            .await?;
        Ok(())
    }
}

fn printed(r: &Value) -> Printed {
    let text = |key: &str| r[key].as_str().unwrap_or_default().to_owned();
    Printed {
        stdout: text("out"),
        stderr: text("err"),
        code: code_of(&text("status")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_from_the_status_line() {
        assert_eq!(code_of("terminée"), Some(0));
        assert_eq!(code_of("échec, code de sortie 1"), Some(1));
        assert_eq!(
            code_of("échec, code de sortie 137 · sortie coupée à la limite"),
            Some(137)
        );
        assert_eq!(code_of("arrêtée"), None);
        assert_eq!(head("a\nb\nc\n", 2), "a\nb\n");
    }
}
