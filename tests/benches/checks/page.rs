//! What the checks bench does in the page: start an exercise again through its dialog (keeping
//! the namespace's objects), and stamp (`Date.now()`, with a `MutationObserver`) when a step
//! turns green.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use kubefiche_tests::browser::Browser;
use kubefiche_tests::exercises::Learner;
use serde_json::json;

/// How often a restart is tried before giving up: the page may not have seen the change that
/// undoes a step when it is first asked to forget it.
const RESTARTS: usize = 5;

/// Opens exercise `arguments[0]`'s restart dialog.
const OPEN_RESTART: &str = "const b = document.querySelector(`.exercise-mark[data-exercise='${arguments[0]}'] button.restart`);
    if (!b) return false;
    b.click(); return true";

/// In the open restart dialog: keep the objects (uncheck \"also delete\"), then confirm.
const CONFIRM_RESTART: &str = "const d = document.querySelector('.restart-dialog');
    if (!d) return null;
    const keep = d.querySelector('input[type=checkbox]');
    if (keep && keep.checked) keep.click();
    if (keep && keep.checked) return null;
    d.querySelector('button.confirm-restart').click();
    return true";

/// Watches step `arguments[0]`: `window.__doneAt` is `Date.now()` when its mark first says done
/// from now on (the observer is installed once and follows the armed step).
const ARM: &str = "window.__armed = arguments[0]; window.__doneAt = null;
    window.__lookDone = window.__lookDone || (() => {
      if (window.__armed === null || window.__doneAt !== null) return;
      const mark = document.querySelector(`li[data-step='${window.__armed}'] .check-state`);
      if (mark && mark.dataset.state === 'done') window.__doneAt = Date.now();
    });
    if (!window.__stepObserver) {
      window.__stepObserver = new MutationObserver(() => window.__lookDone());
      window.__stepObserver.observe(document.body,
        {subtree: true, childList: true, attributes: true, attributeFilter: ['data-state']});
    }
    window.__lookDone();
    return window.__doneAt === null";

/// Starts exercise `exercise` again without deleting anything, until step `step` is not done.
pub async fn restart(
    browser: &Browser,
    learner: &Learner<'_>,
    exercise: &str,
    step: &str,
) -> Result<()> {
    for _ in 0..RESTARTS {
        if browser.eval(OPEN_RESTART, &[json!(exercise)]).await? != json!(true) {
            bail!("no restart button for exercise {exercise}: does the page list it?");
        }
        browser
            .wait_for(
                &format!("the restart dialog of {exercise} to be confirmed"),
                CONFIRM_RESTART,
                &[],
                Duration::from_secs(5),
            )
            .await?;
        let open = browser
            .wait_for(
                &format!("step {step} to be not done"),
                "return document.querySelector(`li[data-step='${arguments[0]}'] .check-state`)?.dataset.state !== 'done'",
                &[json!(step)],
                Duration::from_secs(3),
            )
            .await;
        if open.is_ok() {
            return Ok(());
        }
    }
    let state = learner.step(step).await?;
    bail!("step {step} is still {state} after {RESTARTS} restarts of {exercise}")
}

/// Watches step `step` from now on (it must not be done).
pub async fn arm(browser: &Browser, step: &str) -> Result<()> {
    if browser.eval(ARM, &[json!(step)]).await? != json!(true) {
        bail!("step {step} is already done: it cannot be timed");
    }
    Ok(())
}

/// When (`Date.now()` in the page) the armed step turned green.
pub async fn done_at(browser: &Browser, step: &str) -> Result<f64> {
    let at = browser
        .wait_for(
            &format!("step {step} to turn green"),
            "return window.__doneAt",
            &[],
            Duration::from_secs(30),
        )
        .await?;
    at.as_f64().context("a time stamp that is not a number")
}
