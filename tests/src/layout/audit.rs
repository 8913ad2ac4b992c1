//! What the page looks like to a measuring tape and to axe-core.

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::settle;
use crate::browser::Browser;
use crate::cluster::workspace_root;

/// What is wrong with the page's geometry, from the boxes the browser laid out: panes or
/// dividers that overlap or leave the window or do not stand side by side over the whole
/// height left by the header, panes narrower than a usable width, content
/// wider than its pane (so spilling into the next, or scrolling the whole pane sideways), a
/// page wider than the window, pod names on more than two lines.
const GEOMETRY: &str = r#"
const problems = [];
const scale = document.documentElement.classList.contains('projector') ? 1.45 : 1;
const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
const shown = [...document.querySelectorAll('.panes > .pane, .panes > .divider')]
  .filter(e => getComputedStyle(e).display !== 'none');
const label = e => e.id || e.className;
const boxes = shown.map(e => [e, e.getBoundingClientRect()]);
boxes.forEach(([a, ra], i) => {
  if (ra.left < -0.5 || ra.right > vw + 0.5 || ra.top < -0.5 || ra.bottom > vh + 0.5)
    problems.push(`${label(a)} leaves the ${vw}x${vh} window: ${ra.left},${ra.top} to ${ra.right},${ra.bottom}`);
  if (ra.width < 1 || ra.height < 1) problems.push(`${label(a)} has no room: ${ra.width}x${ra.height}`);
  for (const [b, rb] of boxes.slice(i + 1)) {
    const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (w > 0.5 && h > 0.5) problems.push(`${label(a)} and ${label(b)} overlap by ${w}x${h}`);
  }
});
const open = shown.filter(e => e.classList.contains('pane') && e.dataset.shown === 'open');
if (open.length === 0) problems.push('no pane is open');
const area = document.querySelector('.panes').getBoundingClientRect();
if (area.bottom > vh + 0.5) problems.push(`the panes end at ${area.bottom}px, below the window`);
for (const pane of shown) {
  const height = pane.getBoundingClientRect().height;
  if (height < area.height - 1) problems.push(`${label(pane)} is ${height}px high in a ${area.height}px row: not side by side`);
}
for (const pane of open) {
  const width = pane.getBoundingClientRect().width;
  const usable = Math.min(300 * scale, vw) - 1;
  if (width < usable) problems.push(`${pane.id} is ${width}px wide, less than ${usable}`);
  const body = pane.querySelector('.pane-body');
  if (body.scrollWidth > body.clientWidth + 1)
    problems.push(`${pane.id}'s content is ${body.scrollWidth}px wide in ${body.clientWidth}px`);
}
if (document.documentElement.scrollWidth > vw + 1)
  problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${vw}px window`);
const header = document.querySelector('.top').getBoundingClientRect();
if (header.bottom > vh / 3) problems.push(`the header takes ${header.height}px of ${vh}`);
let names = 0;
for (const name of document.querySelectorAll('.pod-name')) {
  const box = name.getBoundingClientRect();
  if (box.width === 0) continue;
  names += 1;
  const line = parseFloat(getComputedStyle(name).lineHeight);
  if (box.height > 2 * line + 1)
    problems.push(`the pod name ${name.dataset.full} takes ${box.height}px, more than two ${line}px lines`);
}
return {problems, names, header: header.height,
        open: open.map(p => `${p.id} ${Math.round(p.getBoundingClientRect().width)}px`)};
"#;

/// The page's geometry as [`GEOMETRY`] sees it.
#[derive(Debug)]
pub struct Geometry {
    pub problems: Vec<String>,
    /// How many pod names are on screen.
    pub names: u64,
    /// The open panes and their widths, for the failure messages.
    pub open: Vec<String>,
}

pub async fn geometry(browser: &Browser) -> Result<Geometry> {
    let found = browser.eval(GEOMETRY, &[]).await?;
    let strings = |key: &str| -> Vec<String> {
        found[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(Geometry {
        problems: strings("problems"),
        names: found["names"].as_u64().unwrap_or(0),
        open: strings("open"),
    })
}

/// Fail with every problem of the page's geometry in `state`.
pub async fn assert_geometry(browser: &Browser, state: &str) -> Result<Geometry> {
    let found = geometry(browser).await?;
    if !found.problems.is_empty() {
        bail!(
            "{state}: the layout does not hold ({}):\n  {}",
            found.open.join(", "),
            found.problems.join("\n  ")
        );
    }
    Ok(found)
}

/// axe-core's WCAG 2.1 A and AA rules on the whole page: the violations, one line each, with
/// the elements concerned. axe comes from npm (`package.json`), injected through WebDriver,
/// which the page's Content-Security-Policy does not govern.
pub async fn axe(browser: &Browser) -> Result<Vec<String>> {
    let loaded = browser
        .eval("return typeof window.axe === 'object'", &[])
        .await?;
    if loaded != json!(true) {
        let path = workspace_root().join("node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "reading {} (npm install puts it there; cargo xtask test does)",
                path.display()
            )
        })?;
        browser
            .eval(&format!("{source}\n;return true"), &[])
            .await
            .context("loading axe-core into the page")?;
    }
    let found = browser
        .eval(
            r"return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help}\n` +
                 v.nodes.map(n => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')))",
            &[],
        )
        .await
        .context("running axe-core")?;
    Ok(found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Fail with axe-core's violations in `state`, if any.
pub async fn assert_accessible(browser: &Browser, state: &str) -> Result<()> {
    settle(browser).await?;
    let violations = axe(browser).await?;
    if !violations.is_empty() {
        bail!(
            "{state}: axe-core finds {} violation(s):\n{}",
            violations.len(),
            violations.join("\n")
        );
    }
    Ok(())
}
