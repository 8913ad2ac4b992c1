//! What the layout and accessibility tests ask of the page: window sizes and zoom (through
//! Chromium's DevTools), the colour scheme, the page's geometry, axe-core's verdict, keyboard
//! walks, and screenshots for a reviewer.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

use crate::browser::{Browser, Key};
use crate::cluster::workspace_root;

/// A window the page must hold in.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// The screenshot's file name, without `.png`.
    pub name: &'static str,
    /// The viewport in CSS pixels: at 200 % zoom, half the window.
    pub width: u32,
    pub height: u32,
    /// Device pixels per CSS pixel: 2 for a 200 % browser zoom.
    pub zoom: u32,
    pub projector: bool,
    /// What the page should choose: `wide`, `medium` or `narrow`.
    pub layout: &'static str,
}

const fn size(
    name: &'static str,
    (width, height): (u32, u32),
    zoom: u32,
    projector: bool,
    layout: &'static str,
) -> Size {
    Size {
        name,
        width,
        height,
        zoom,
        projector,
        layout,
    }
}

/// From a phone to a wide screen, the projector, and 200 % zoom of two common windows.
pub const SIZES: &[Size] = &[
    size("phone-360x740", (360, 740), 1, false, "narrow"),
    size("tablet-760x1000", (760, 1000), 1, false, "medium"),
    size("laptop-1024x768", (1024, 768), 1, false, "wide"),
    size("projector-1280x800", (1280, 800), 1, true, "medium"),
    size("projector-1280x720", (1280, 720), 1, true, "medium"),
    size("desktop-1600x1000", (1600, 1000), 1, false, "wide"),
    size("wide-2560x1440", (2560, 1440), 1, false, "wide"),
    size("zoom200-1280x800", (640, 400), 2, false, "narrow"),
    size("zoom200-1600x1000", (800, 500), 2, false, "medium"),
];

/// Chromium's DevTools command `cmd` through chromedriver.
#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn devtools(browser: &Browser, cmd: &'static str, params: Value) -> Result<Value> {
    browser
        .client()
        .issue_cmd(DevTools { cmd, params })
        .await
        .with_context(|| format!("the DevTools command {cmd}"))
}

/// Give the page a viewport of `width` × `height` CSS pixels drawn at `zoom` device pixels
/// each: what a window twice that size shows at 200 % zoom when `zoom` is 2.
pub async fn viewport(browser: &Browser, width: u32, height: u32, zoom: u32) -> Result<()> {
    devtools(
        browser,
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": height, "deviceScaleFactor": zoom, "mobile": false}),
    )
    .await?;
    browser
        .wait_for(
            "the new viewport",
            "return innerWidth === arguments[0] && innerHeight === arguments[1]",
            &[json!(width), json!(height)],
            Duration::from_secs(5),
        )
        .await?;
    Ok(())
}

/// Have the page see `prefers-color-scheme: dark` (or light).
pub async fn color_scheme(browser: &Browser, dark: bool) -> Result<()> {
    let value = if dark { "dark" } else { "light" };
    devtools(
        browser,
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
    )
    .await?;
    Ok(())
}

/// Turn projector mode on or off with its button, and wait for the layout to follow.
pub async fn projector(browser: &Browser, on: bool) -> Result<()> {
    let is_on = browser
        .eval(
            "return document.documentElement.classList.contains('projector')",
            &[],
        )
        .await?;
    if is_on != json!(on) {
        browser
            .click(".projector-toggle", Duration::from_secs(5))
            .await?;
    }
    browser
        .wait_for(
            "projector mode to follow",
            "return document.documentElement.classList.contains('projector') === arguments[0]",
            &[json!(on)],
            Duration::from_secs(5),
        )
        .await?;
    Ok(())
}

/// Put the page in `size` and wait until it has chosen its layout.
pub async fn resize(browser: &Browser, size: &Size) -> Result<()> {
    viewport(browser, size.width, size.height, size.zoom).await?;
    projector(browser, size.projector).await?;
    browser
        .wait_for(
            &format!("the {} layout at {}", size.layout, size.name),
            "return document.documentElement.dataset.layout === arguments[0]",
            &[json!(size.layout)],
            Duration::from_secs(5),
        )
        .await?;
    settle(browser).await
}

/// Two animation frames: what the last change set in motion has been laid out and drawn.
pub async fn settle(browser: &Browser) -> Result<()> {
    browser
        .eval(
            "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))",
            &[],
        )
        .await?;
    Ok(())
}

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

/// Drag with the mouse from one point of the viewport to another.
pub async fn drag(browser: &Browser, from: (f64, f64), to: (f64, f64)) -> Result<()> {
    let step = |x: f64, y: f64| PointerAction::MoveTo {
        duration: Some(Duration::from_millis(100)),
        x,
        y,
    };
    let mouse = MouseActions::new("mouse".to_owned())
        .then(step(from.0, from.1))
        .then(PointerAction::Down { button: 0 })
        .then(step((from.0 + to.0) / 2.0, to.1))
        .then(step(to.0, to.1))
        .then(PointerAction::Up { button: 0 });
    browser.client().perform_actions(mouse).await?;
    browser.client().release_actions().await?;
    Ok(())
}

/// Where screenshots go: `KUBEFICHE_SCREENSHOTS`, when set (`cargo xtask screenshots` sets it).
pub fn screenshot_dir() -> Option<PathBuf> {
    std::env::var_os("KUBEFICHE_SCREENSHOTS").map(PathBuf::from)
}

/// A screenshot named `name`, when screenshots are asked for.
pub async fn screenshot(browser: &Browser, name: &str) -> Result<()> {
    let Some(dir) = screenshot_dir() else {
        return Ok(());
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    browser.screenshot(&dir.join(format!("{name}.png"))).await
}
