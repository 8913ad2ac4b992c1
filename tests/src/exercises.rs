//! A learner working through a worksheet's exercises in the page: commands typed in the console,
//! fragments inserted from their button, files edited in the editor, and what the page says of
//! each exercise and step (its state, its hint) and of the whole worksheet (its progress).

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::browser::{Browser, Key};
use crate::walk::Page;

pub const SECONDS: fn(u64) -> Duration = Duration::from_secs;

/// Whether the last console transcript has ended, and its status line.
const LAST_CONSOLE_RUN: &str = "const runs = document.querySelectorAll('#console .run');
    const run = runs[runs.length - 1];
    if (!run || runs.length <= arguments[0]) return null;
    const status = run.querySelector('.run-status')?.textContent ?? '';
    const going = ['en cours', 'démarrage', 'running', 'starting'].some(s => status.startsWith(s));
    return status !== '' && !going && !run.querySelector('button.stop') ? status : null";

/// The editor's view of the open file.
const VIEW: &str = "const c = document.querySelector('.cm-content');
    const view = c?.cmTile?.root?.view ?? c?.cmView?.view;";

pub struct Learner<'a> {
    browser: &'a Browser,
}

impl<'a> Learner<'a> {
    pub fn new(browser: &'a Browser) -> Self {
        Self { browser }
    }

    /// Type `line` in the console (opened if need be) and wait for its end: its status line.
    pub async fn run(&self, line: &str) -> Result<String> {
        let open = self
            .browser
            .eval(
                "return document.getElementById('console-input') !== null",
                &[],
            )
            .await?;
        if open != json!(true) {
            self.browser.click(".console-toggle", SECONDS(5)).await?;
        }
        let before = self
            .browser
            .eval(
                "return document.querySelectorAll('#console .run').length",
                &[],
            )
            .await?;
        let before = before.as_u64().unwrap_or(0);
        self.browser
            .eval(
                "const input = document.getElementById('console-input'); input.focus(); input.value = ''; return true",
                &[],
            )
            .await?;
        self.browser
            .type_keys(&format!("{line}{}", Key::Enter))
            .await?;
        let status = self
            .browser
            .wait_for(
                &format!("`{line}` to end in the console"),
                LAST_CONSOLE_RUN,
                &[json!(before)],
                SECONDS(90),
            )
            .await?;
        Ok(status.as_str().unwrap_or_default().to_owned())
    }

    /// Run `line` and fail unless it ended well.
    pub async fn ok(&self, line: &str) -> Result<()> {
        let status = self.run(line).await?;
        let bad = self
            .browser
            .eval(
                "const runs = document.querySelectorAll('#console .run'); return !!runs[runs.length - 1].querySelector('.run-status.bad')",
                &[],
            )
            .await?;
        if bad == json!(true) {
            let output = self
                .browser
                .eval(
                    "const runs = document.querySelectorAll('#console .run'); return runs[runs.length - 1].textContent",
                    &[],
                )
                .await?;
            bail!("`{line}` failed: {status}: {output}");
        }
        Ok(())
    }

    /// The state of step `id` (`exercise/number`) as the page marks it.
    pub async fn step(&self, id: &str) -> Result<Value> {
        self.browser
            .eval(
                "return document.querySelector(`li[data-step='${arguments[0]}'] .check-state`)?.dataset.state ?? null",
                &[json!(id)],
            )
            .await
    }

    /// Wait until step `id` shows `state` (`todo`, `progress`, `done`, `unverifiable`).
    pub async fn wait_step(&self, id: &str, state: &str, timeout: Duration) -> Result<()> {
        self.browser
            .wait_for(
                &format!("step {id} to be {state}"),
                "return document.querySelector(`li[data-step='${arguments[0]}'] .check-state`)?.dataset.state === arguments[1]",
                &[json!(id), json!(state)],
                timeout,
            )
            .await
            .map(|_| ())
    }

    /// The hint shown under step `id` (empty when none).
    pub async fn hint(&self, id: &str) -> Result<String> {
        let hint = self
            .browser
            .eval(
                "return document.querySelector(`li[data-step='${arguments[0]}'] .check-hint`)?.textContent ?? ''",
                &[json!(id)],
            )
            .await?;
        Ok(hint.as_str().unwrap_or_default().to_owned())
    }

    /// Wait until the hint under step `id` contains `text`.
    pub async fn wait_hint(&self, id: &str, text: &str, timeout: Duration) -> Result<String> {
        let hint = self
            .browser
            .wait_for(
                &format!("the hint of step {id} to say {text:?}"),
                "const h = document.querySelector(`li[data-step='${arguments[0]}'] .check-hint`)?.textContent ?? '';
                 return h.includes(arguments[1]) ? h : null",
                &[json!(id), json!(text)],
                timeout,
            )
            .await?;
        Ok(hint.as_str().unwrap_or_default().to_owned())
    }

    /// Every exercise's state, from the bar over the worksheet, in order.
    pub async fn exercises(&self) -> Result<Vec<(String, String)>> {
        let found = self
            .browser
            .eval(
                "return [...document.querySelectorAll('.exercise-chips li')].map(li => [li.dataset.exercise, li.querySelector('.check-state').dataset.state])",
                &[],
            )
            .await?;
        serde_json::from_value(found).context("the exercises' states")
    }

    /// Wait until exercise `id` shows `state`.
    pub async fn wait_exercise(&self, id: &str, state: &str, timeout: Duration) -> Result<()> {
        self.browser
            .wait_for(
                &format!("exercise {id} to be {state}"),
                "return document.querySelector(`.exercise-chips li[data-exercise='${arguments[0]}'] .check-state`)?.dataset.state === arguments[1]",
                &[json!(id), json!(state)],
                timeout,
            )
            .await
            .map(|_| ())
    }

    /// The progress bar: steps done and steps to do.
    pub async fn progress(&self) -> Result<(u64, u64)> {
        let found = self
            .browser
            .eval(
                "const p = document.querySelector('.fiche-progress progress'); return p ? [Number(p.value), Number(p.max)] : null",
                &[],
            )
            .await?;
        serde_json::from_value(found).context("the progress bar")
    }

    /// Click the `n`th "Insert into …" button of the worksheet and return what it says.
    pub async fn insert(&self, n: usize) -> Result<String> {
        self.browser
            .eval(
                "const b = document.querySelectorAll('button.insert-fragment')[arguments[0]];
                 b.scrollIntoView({block: 'center'}); b.click(); return true",
                &[json!(n)],
            )
            .await?;
        let note = self
            .browser
            .wait_for(
                "the insertion's note",
                "const b = document.querySelectorAll('button.insert-fragment')[arguments[0]];
                 return b.parentElement.querySelector('.insert-note')?.textContent || null",
                &[json!(n)],
                SECONDS(10),
            )
            .await?;
        Ok(note.as_str().unwrap_or_default().to_owned())
    }

    /// Show workspace file `path` in the editor and return its text.
    pub async fn file(&self, path: &str) -> Result<String> {
        Page::new(self.browser).workspace_file(path).await
    }

    /// Edit `path` in the editor as a learner would: replace the first `from` with `to`.
    pub async fn edit(&self, path: &str, from: &str, to: &str) -> Result<()> {
        let text = self.file(path).await?;
        let Some(at) = text.find(from) else {
            bail!("{from:?} is not in {path}:\n{text}");
        };
        // The editor counts in UTF-16 units.
        let start = text[..at].encode_utf16().count();
        let end = start + from.encode_utf16().count();
        self.browser
            .eval(
                &format!(
                    "{VIEW} view.dispatch({{ changes: {{ from: arguments[0], to: arguments[1], insert: arguments[2] }} }}); return true"
                ),
                &[json!(start), json!(end), json!(to)],
            )
            .await?;
        Ok(())
    }
}
