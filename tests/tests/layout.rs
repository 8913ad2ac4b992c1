//! The page from a phone to a projector, and for every learner: its geometry at each window
//! size, and axe-core's WCAG 2.1 A and AA rules in each state (the keyboard walk is in
//! `keyboard.rs`). Real Chromium, the real proxy binary, the local control plane.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs them once the cluster, the app and
//! the proxy binary are ready. With `KUBEFICHE_SCREENSHOTS=<dir>` (`cargo xtask screenshots`)
//! the first test also leaves a screenshot of each size there.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::cluster::TestNamespace;
use kubefiche_tests::layout::{
    SIZES, assert_accessible, assert_geometry, drag, focus_is_visible, media, open_page, resize,
    screenshot, settle, size, tab_to,
};
use kubefiche_tests::proxy::ProxyProcess;
use serde_json::json;

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

/// Pods with a long name and a short one, for the cluster view to lay out.
const PODS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: inference-gateway-with-a-long-name
spec:
  replicas: 3
  selector:
    matchLabels: {app: gateway}
  template:
    metadata:
      labels: {app: gateway}
    spec:
      containers:
      - name: gateway
        image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: busybox:1.36
";

/// Four pod rows drawn, all Running.
const FOUR_RUNNING: &str = "return [...document.querySelectorAll('tr.pod .status')].filter(s => s.textContent === 'Running').length >= 4";

async fn click_and_wait(browser: &Browser, css: &str, what: &str, until: &str) -> Result<()> {
    browser.click(css, SECONDS(5)).await?;
    browser.wait_for(what, until, &[], SECONDS(5)).await?;
    settle(browser).await
}

/// The page over a namespace holding the test's pods, once all four run.
async fn open_with_pods(prefix: &str) -> Result<(TestNamespace, ProxyProcess, Browser)> {
    let (ns, proxy, browser) = open_page(prefix, Some(PODS)).await?;
    browser
        .wait_for("four pods Running", FOUR_RUNNING, &[], SECONDS(60))
        .await?;
    Ok((ns, proxy, browser))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn every_window_size_keeps_the_panes_apart() {
    let (_ns, _proxy, browser) = open_with_pods("layout").await.expect("the page");
    if let Err(e) = walk_the_sizes(&browser).await {
        panic!("{e:#}");
    }
    if let Err(e) = move_the_dividers(&browser).await {
        panic!("{e:#}");
    }
    browser.close().await.expect("closing the browser");
}

async fn walk_the_sizes(browser: &Browser) -> Result<()> {
    for size in SIZES {
        resize(browser, size).await?;
        let found = assert_geometry(browser, size.name).await?;
        screenshot(browser, size.name).await?;
        if size.layout == "wide" && found.names < 4 {
            bail!("{}: {} pod names on screen, not 4", size.name, found.names);
        }
        // Where the panes do not all fit: each one the switch offers, in turn.
        if size.layout != "wide" {
            let offered: &[&str] = if size.layout == "narrow" {
                &["fiche", "workspace", "cluster"]
            } else {
                &["workspace", "cluster"]
            };
            for pane in offered {
                click_and_wait(
                    browser,
                    &format!(".switch .{pane}"),
                    &format!("the {pane} pane"),
                    &format!(
                        "return document.querySelector('#pane-{pane}').dataset.shown === 'open'"
                    ),
                )
                .await?;
                let state = format!("{} showing the {pane} pane", size.name);
                let found = assert_geometry(browser, &state).await?;
                if *pane == "cluster" {
                    if found.names < 4 {
                        bail!("{state}: {} pod names on screen, not 4", found.names);
                    }
                    screenshot(browser, &format!("{}-cluster", size.name)).await?;
                }
            }
        }
        // The cluster enlarged, the other panes shrunk to strips.
        if size.layout != "narrow" {
            click_and_wait(
                browser,
                "#pane-cluster .enlarge",
                "the cluster enlarged",
                "return document.documentElement.dataset.focus === 'cluster'",
            )
            .await?;
            let state = format!("{} with the cluster enlarged", size.name);
            let found = assert_geometry(browser, &state).await?;
            if found.names < 4 {
                bail!("{state}: {} pod names on screen, not 4", found.names);
            }
            if size.projector {
                screenshot(browser, &format!("{}-cluster-enlarged", size.name)).await?;
            }
            click_and_wait(
                browser,
                "#pane-cluster .enlarge",
                "every pane back",
                "return document.documentElement.dataset.focus === 'none'",
            )
            .await?;
        }
        // Back to the first choice, the manifests, for the next size.
        if size.layout != "wide" {
            browser.click(".switch .workspace", SECONDS(5)).await?;
        }
    }
    Ok(())
}

/// The dividers move by keyboard and by pointer, never past a pane's minimum, and stay where
/// they were left after a reload.
async fn move_the_dividers(browser: &Browser) -> Result<()> {
    resize(browser, size("desktop-1600x1000")).await?;
    let first = "document.querySelectorAll('.divider')[0]";
    let value = format!("return Number({first}.getAttribute('aria-valuenow'))");
    // By keyboard, from the manifests' first button back to the divider before it.
    browser
        .eval(
            "document.querySelector('#pane-workspace .enlarge').focus(); return true",
            &[],
        )
        .await?;
    tab_to(browser, ".divider", true, 2).await?;
    if !focus_is_visible(browser).await? {
        bail!("the focused divider shows no focus ring");
    }
    let before = browser.eval(&value, &[]).await?;
    browser.type_keys(&Key::Right.to_string()).await?;
    let after = browser.eval(&value, &[]).await?;
    if after.as_f64() != before.as_f64().map(|b| b + 2.0) {
        bail!("ArrowRight moved the divider from {before} to {after}, not by 2");
    }
    browser.type_keys(&Key::End.to_string()).await?;
    settle(browser).await?;
    let state = "the first divider at its right end";
    let found = assert_geometry(browser, state).await?;
    let max = browser
        .eval(
            &format!("return Number({first}.getAttribute('aria-valuemax'))"),
            &[],
        )
        .await?;
    if browser.eval(&value, &[]).await? != max {
        bail!(
            "{state}: End did not take it to aria-valuemax ({:?})",
            found.open
        );
    }
    browser.type_keys(&Key::Home.to_string()).await?;
    settle(browser).await?;
    assert_geometry(browser, "the first divider at its left end").await?;
    // Drag the second divider 200 px to the left.
    let at = browser
        .eval(
            "const r = document.querySelectorAll('.divider')[1].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]",
            &[],
        )
        .await?;
    let (x, y) = (at[0].as_f64().unwrap_or(0.0), at[1].as_f64().unwrap_or(0.0));
    drag(browser, (x, y), (x - 200.0, y)).await?;
    settle(browser).await?;
    let moved = browser
        .eval(
            "return document.querySelectorAll('.divider')[1].getBoundingClientRect().x",
            &[],
        )
        .await?
        .as_f64()
        .unwrap_or(0.0);
    if (moved - (x - 200.0)).abs() > 12.0 {
        bail!("the dragged divider is at {moved}, not near {}", x - 200.0);
    }
    assert_geometry(browser, "after dragging the second divider").await?;
    browser.refresh().await?;
    browser
        .find(".cm-content", SECONDS(30))
        .await
        .context("the page after reloading")?;
    settle(browser).await?;
    let kept = browser
        .eval(
            "return document.querySelectorAll('.divider')[1].getBoundingClientRect().x",
            &[],
        )
        .await?
        .as_f64()
        .unwrap_or(0.0);
    if (kept - moved).abs() > 1.0 {
        bail!("after a reload the divider is at {kept}, not {moved}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn axe_finds_no_violation_in_any_state() {
    let (_ns, _proxy, browser) = open_with_pods("axe").await.expect("the page");
    if let Err(e) = audit_every_state(&browser).await {
        panic!("{e:#}");
    }
    browser.close().await.expect("closing the browser");
}

async fn audit_every_state(browser: &Browser) -> Result<()> {
    resize(browser, size("desktop-1600x1000")).await?;
    assert_accessible(browser, "the page in French").await?;
    click_and_wait(
        browser,
        ".toggle.lang",
        "English",
        "return document.documentElement.lang === 'en'",
    )
    .await?;
    assert_accessible(browser, "the page in English").await?;
    click_and_wait(
        browser,
        ".toggle.lang",
        "French",
        "return document.documentElement.lang === 'fr'",
    )
    .await?;

    // With problems: a duplicate key in the ConfigMap.
    browser
        .click("button[data-open='k8s/config.yaml']", SECONDS(5))
        .await?;
    browser
        .wait_for(
            "the editor on k8s/config.yaml",
            "return document.activeElement?.classList.contains('cm-content') && document.querySelector('[role=tab][aria-selected=true]')?.textContent.includes('k8s/config.yaml')",
            &[],
            SECONDS(5),
        )
        .await?;
    browser.chord(&[Key::Control], Key::End.into()).await?;
    browser
        .type_keys(&format!("{}kind: Pod", Key::Enter))
        .await?;
    browser
        .wait_for(
            "an error in the problems list",
            "return document.querySelector('.problem.error') !== null",
            &[],
            SECONDS(5),
        )
        .await?;
    assert_accessible(browser, "with an error in the problems list").await?;
    // Applied anyway: refused, nothing applied.
    browser.click(".toolbar button.primary", SECONDS(5)).await?;
    browser
        .wait_for(
            "the refusal",
            "return document.querySelector('.results .error') !== null",
            &[],
            SECONDS(30),
        )
        .await?;
    assert_accessible(browser, "after a refused apply").await?;
    // Undone, applied.
    browser.click(".cm-content", SECONDS(5)).await?;
    browser.chord(&[Key::Control], 'z').await?;
    browser
        .wait_for(
            "no error left",
            "return document.querySelector('.problem.error') === null",
            &[],
            SECONDS(5),
        )
        .await?;
    browser.click(".toolbar button.primary", SECONDS(5)).await?;
    browser
        .wait_for(
            "the ConfigMap created",
            "return document.querySelector('.outcome.created') !== null",
            &[],
            SECONDS(30),
        )
        .await?;
    assert_accessible(browser, "after an apply").await?;

    // Where the panes do not all fit, with the manifests and with the cluster beside them.
    for name in ["projector-1280x720", "phone-360x740", "zoom200-1600x1000"] {
        resize(browser, size(name)).await?;
        assert_accessible(browser, name).await?;
        click_and_wait(
            browser,
            ".switch .cluster",
            "the cluster pane",
            "return document.querySelector('#pane-cluster').dataset.shown === 'open'",
        )
        .await?;
        assert_accessible(browser, &format!("{name}, the cluster pane")).await?;
        browser.click(".switch .workspace", SECONDS(5)).await?;
    }
    resize(browser, size("projector-1280x720")).await?;
    browser.click(".switch .cluster", SECONDS(5)).await?;
    click_and_wait(
        browser,
        "#pane-cluster .enlarge",
        "the cluster enlarged",
        "return document.documentElement.dataset.focus === 'cluster'",
    )
    .await?;
    assert_accessible(browser, "projector mode, the cluster enlarged").await?;
    media(browser, true, false).await?;
    assert_accessible(browser, "projector mode, dark scheme").await?;
    click_and_wait(
        browser,
        "#pane-cluster .enlarge",
        "every pane back",
        "return document.documentElement.dataset.focus === 'none'",
    )
    .await?;
    resize(browser, size("desktop-1600x1000")).await?;
    assert_accessible(browser, "the dark scheme").await?;
    media(browser, false, false).await?;
    reduced_motion(browser).await
}

/// The editor's blinking cursor, the page's only repeated motion, blinks no more when the
/// learner asks for reduced motion.
async fn reduced_motion(browser: &Browser) -> Result<()> {
    browser.click(".cm-content", SECONDS(5)).await?;
    let blinks = "return getComputedStyle(document.querySelector('.cm-focused .cm-cursorLayer')).animationIterationCount";
    let normally = browser.eval(blinks, &[]).await?;
    media(browser, false, true).await?;
    let reduced = browser.eval(blinks, &[]).await?;
    media(browser, false, false).await?;
    if normally != json!("infinite") || reduced != json!("1") {
        bail!("the cursor's blinking repeats {normally} times, and {reduced} with reduced motion");
    }
    Ok(())
}
