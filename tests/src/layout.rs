//! What the layout and accessibility tests ask of the page: window sizes and zoom (through
//! Chromium's DevTools), the colour scheme, the page's geometry, axe-core's verdict, keyboard
//! walks, and screenshots for a reviewer.

mod audit;
mod keyboard;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use serde_json::{Value, json};

pub use audit::{Geometry, assert_accessible, assert_geometry, axe, geometry};
pub use keyboard::{focus_is_visible, tab_to};

use crate::browser::Browser;
use crate::cluster::{TestNamespace, cluster, namespace};
use crate::proxy::ProxyProcess;

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

const fn window(
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
    window("phone-360x740", (360, 740), 1, false, "narrow"),
    window("tablet-760x1000", (760, 1000), 1, false, "medium"),
    window("laptop-1024x768", (1024, 768), 1, false, "wide"),
    window("projector-1280x800", (1280, 800), 1, true, "medium"),
    window("projector-1280x720", (1280, 720), 1, true, "medium"),
    window("desktop-1600x1000", (1600, 1000), 1, false, "wide"),
    window("wide-2560x1440", (2560, 1440), 1, false, "wide"),
    window("zoom200-1280x800", (640, 400), 2, false, "narrow"),
    window("zoom200-1600x1000", (800, 500), 2, false, "medium"),
];

/// The size named `name` in [`SIZES`].
pub fn size(name: &str) -> &'static Size {
    SIZES
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no size {name} in SIZES"))
}

/// A namespace (holding `manifests`, applied with kubectl, if any), its proxy, and Chromium on
/// the page, with the editor and the live view ready.
pub async fn open_page(
    prefix: &str,
    manifests: Option<&str>,
) -> Result<(TestNamespace, ProxyProcess, Browser)> {
    let cluster = cluster().await;
    let ns = namespace(prefix).await;
    if let Some(manifests) = manifests {
        cluster
            .kubectl(
                &["apply", "--namespace", ns.name(), "-f", "-"],
                Some(manifests),
            )
            .await?;
    }
    let proxy = ProxyProcess::start(cluster, ns.name(), &[]).await?;
    let browser = Browser::start().await?;
    browser.goto(&proxy.url).await?;
    browser
        .wait_for(
            "the editor and the live view",
            "return document.querySelector('.cm-content') !== null && document.querySelector('.link.live') !== null",
            &[],
            Duration::from_secs(30),
        )
        .await?;
    Ok((ns, proxy, browser))
}

/// Runs Chromium's DevTools command `cmd` with `params` in the page of `browser`.
pub async fn devtools(browser: &Browser, cmd: &'static str, params: Value) -> Result<Value> {
    browser
        .client()
        .issue_cmd(crate::browser::DevTools { cmd, params })
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

/// Have the page see `prefers-color-scheme: dark` (or light) and `prefers-reduced-motion:
/// reduce` (or no preference).
pub async fn media(browser: &Browser, dark: bool, reduced_motion: bool) -> Result<()> {
    let scheme = if dark { "dark" } else { "light" };
    let motion = if reduced_motion {
        "reduce"
    } else {
        "no-preference"
    };
    devtools(
        browser,
        "Emulation.setEmulatedMedia",
        json!({"features": [
            {"name": "prefers-color-scheme", "value": scheme},
            {"name": "prefers-reduced-motion", "value": motion},
        ]}),
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
