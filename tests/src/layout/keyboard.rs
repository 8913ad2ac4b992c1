//! Moving through the page with the keyboard alone.

use std::time::Duration;

use anyhow::{Result, bail};
use serde_json::json;

use crate::browser::{Browser, Key};

/// Press Tab (Shift+Tab when `backwards`) until the element with the focus matches `css`; at
/// most `presses` times. In the editor, where Tab indents, Escape comes first: the way out the
/// page tells of. Returns how many presses it took.
pub async fn tab_to(browser: &Browser, css: &str, backwards: bool, presses: u32) -> Result<u32> {
    for pressed in 0..=presses {
        let there = browser
            .eval(
                "return document.activeElement?.matches(arguments[0]) ?? false",
                &[json!(css)],
            )
            .await?;
        if there == json!(true) {
            return Ok(pressed);
        }
        let in_editor = browser
            .eval(
                "return document.activeElement?.classList.contains('cm-content') ?? false",
                &[],
            )
            .await?;
        if in_editor == json!(true) {
            leave_editor(browser).await?;
        }
        if backwards {
            browser.chord(&[Key::Shift], Key::Tab.into()).await?;
        } else {
            browser.type_keys(&Key::Tab.to_string()).await?;
        }
    }
    let at = browser
        .eval(
            "const a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : 'nothing'",
            &[],
        )
        .await?;
    bail!("{presses} presses of Tab did not reach `{css}`; the focus is on {at}")
}

/// Escape, the first half of the editor's way out: pressed while no list of suggestions is
/// open (an Escape that closes one does not count), so that the next Tab leaves the editor.
async fn leave_editor(browser: &Browser) -> Result<()> {
    // Suggestions open a moment after typing stops.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..4 {
        let suggesting = browser
            .eval(
                "return document.querySelector('.cm-tooltip-autocomplete') !== null",
                &[],
            )
            .await?;
        browser.type_keys(&Key::Escape.to_string()).await?;
        if suggesting != json!(true) {
            return Ok(());
        }
    }
    bail!("the list of suggestions does not close with Escape")
}

/// Whether the element with the focus shows it (an outline, or the editor's own frame).
pub async fn focus_is_visible(browser: &Browser) -> Result<bool> {
    let shown = browser
        .eval(
            "const a = document.activeElement;
             if (!a || a === document.body) return false;
             const ring = e => { const s = getComputedStyle(e); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; };
             return ring(a) || (a.classList.contains('cm-content') && a.closest('.cm-editor.cm-focused') !== null)",
            &[],
        )
        .await?;
    Ok(shown == json!(true))
}
