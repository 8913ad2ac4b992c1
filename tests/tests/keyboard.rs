//! The first exercise of Fiche 3 with the keyboard alone, as a learner who uses no mouse:
//! skip link, the worksheet's open buttons, the editor and its way out (Escape, then Tab),
//! Apply, the result told by the live region, the new pod's name in the cluster view.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs it once the cluster, the app and
//! the proxy binary are ready.

use std::time::Duration;

use anyhow::{Result, bail};
use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::layout::{focus_is_visible, open_page, resize, size, tab_to};
use serde_json::json;

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn the_first_exercise_by_keyboard_alone() {
    let (_ns, _proxy, browser) = open_page("keyboard", None).await.expect("the page");
    if let Err(e) = first_exercise(&browser).await {
        panic!("{e:#}");
    }
    browser.close().await.expect("closing the browser");
}

/// The live region's messages, as a screen reader would hear them, kept in `window.__heard`.
const LISTEN: &str = "window.__heard = [];
    const region = document.querySelector('[role=status][aria-live=polite].visually-hidden');
    new MutationObserver(() => { const t = region.textContent.trim(); if (t) window.__heard.push(t); })
      .observe(region, {subtree: true, childList: true, characterData: true});
    return true";

async fn first_exercise(browser: &Browser) -> Result<()> {
    resize(browser, size("desktop-1600x1000")).await?;
    browser.eval(LISTEN, &[]).await?;
    // From the top of the page: the first Tab reaches the skip links.
    tab_to(browser, ".skip button", false, 1).await?;
    if !focus_is_visible(browser).await? {
        bail!("the skip link shows no focus");
    }
    // 1. Open k8s/config.yaml from the worksheet: the editor takes the focus.
    let presses = tab_to(browser, "button[data-open='k8s/config.yaml']", false, 60).await?;
    if !focus_is_visible(browser).await? {
        bail!("the open button shows no focus");
    }
    browser.type_keys(&Key::Enter.to_string()).await?;
    in_editor_on(browser, "k8s/config.yaml").await?;
    // The documentation of the field at the cursor (`apiVersion`), without a mouse: Ctrl+K
    // then Ctrl+I; Escape closes it. The page is in French, and so is the documentation; after
    // a switch to English (and back), it follows at once.
    field_docs(browser, "apiVersion: chaîne", "La version de l'API").await?;
    switch_language(browser, "en").await?;
    field_docs(browser, "apiVersion: string", "APIVersion defines").await?;
    switch_language(browser, "fr").await?;
    // Apply it: Escape then Shift+Tab leave the editor, back to the Apply button.
    tab_to(browser, ".toolbar button.primary", true, 6).await?;
    if !focus_is_visible(browser).await? {
        bail!("the Apply button shows no focus");
    }
    browser.type_keys(&Key::Enter.to_string()).await?;
    heard(browser, "configmap/iris-config").await?;

    // 2. Open k8s/server.yaml and add the ConfigMap's value to the container's environment.
    tab_to(browser, "button[data-open='k8s/server.yaml']", true, 200).await?;
    browser.type_keys(&Key::Enter.to_string()).await?;
    in_editor_on(browser, "k8s/server.yaml").await?;
    browser.chord(&[Key::Control], Key::Home.into()).await?;
    // Line 20 is `imagePullPolicy: IfNotPresent`, in the container.
    for _ in 0..19 {
        browser.type_keys(&Key::Down.to_string()).await?;
    }
    browser
        .type_keys(&format!(
            "{}{}env: [{{name: API_NAME, valueFrom: {{configMapKeyRef: {{name: iris-config, key: API_NAME}}}}}}]",
            Key::End,
            Key::Enter
        ))
        .await?;
    browser
        .wait_for(
            "the edit, without error",
            "const t = document.querySelector('.cm-content').innerText; return t.includes('IfNotPresent\\n        env: [{name: API_NAME') && document.querySelector('.problem.error') === null",
            &[],
            SECONDS(5),
        )
        .await?;
    // 3. Apply it, and read the result.
    tab_to(browser, ".toolbar button.primary", true, 6).await?;
    browser.type_keys(&Key::Enter.to_string()).await?;
    heard(browser, "deployment/mlops-server").await?;
    let result = browser
        .eval(
            "return [...document.querySelectorAll('.outcome')].map(o => o.textContent).join(' | ')",
            &[],
        )
        .await?;
    if !result.to_string().contains("deployment/mlops-server") {
        bail!("the results list does not show the Deployment: {result}");
    }
    // 4. See the pod: forward through the editor (Escape, Tab) to its name in the cluster pane.
    browser
        .wait_for(
            "the mlops-server pod Running",
            "return [...document.querySelectorAll('tr.pod')].some(r => r.dataset.pod.startsWith('mlops-server-') && r.querySelector('.status').textContent === 'Running')",
            &[],
            SECONDS(60),
        )
        .await?;
    tab_to(browser, ".pod-name[data-full^='mlops-server-']", false, 30).await?;
    if !focus_is_visible(browser).await? {
        bail!("the pod's name shows no focus");
    }
    let full = browser
        .eval(
            "return getComputedStyle(document.activeElement, '::after').content",
            &[],
        )
        .await?;
    if !full.to_string().contains("mlops-server-") {
        bail!("the focused pod name does not show the full name: {full}");
    }
    // The new pod, told once its changes have been gathered.
    heard(browser, "Pod mlops-server-").await?;
    // Politely, without flooding: one sentence for the apply, few for the pods.
    let all = browser.eval("return window.__heard", &[]).await?;
    let count = all.as_array().map_or(0, Vec::len);
    if count > 6 {
        bail!("{count} announcements for two applies and one pod: {all}");
    }
    println!("{presses} presses of Tab to the first open button; heard: {all}");
    Ok(())
}

/// Open the documentation of the field at the cursor, check its title and text, close it.
async fn field_docs(browser: &Browser, title: &str, text: &str) -> Result<()> {
    browser.chord(&[Key::Control], 'k').await?;
    browser.chord(&[Key::Control], 'i').await?;
    browser
        .wait_for(
            &format!("the field's documentation, {title}"),
            "const h = document.querySelector('.kf-hover'); return (h && h.querySelector('strong').textContent.startsWith(arguments[0]) && h.textContent.includes(arguments[1])) || null",
            &[json!(title), json!(text)],
            SECONDS(5),
        )
        .await?;
    browser.type_keys(&Key::Escape.to_string()).await?;
    browser
        .wait_for(
            "the documentation closed",
            "return document.querySelector('.kf-hover') === null",
            &[],
            SECONDS(5),
        )
        .await?;
    Ok(())
}

/// Switch the page to `code` with the header's button, leaving the focus where it is.
async fn switch_language(browser: &Browser, code: &str) -> Result<()> {
    browser
        .eval(
            "document.querySelector('header button.toggle.lang').click(); return true",
            &[],
        )
        .await?;
    browser
        .wait_for(
            &format!("the page in {code}"),
            "return document.documentElement.lang === arguments[0] || null",
            &[json!(code)],
            SECONDS(5),
        )
        .await?;
    Ok(())
}

async fn in_editor_on(browser: &Browser, path: &str) -> Result<()> {
    browser
        .wait_for(
            &format!("the focus in the editor on {path}"),
            "return document.activeElement?.classList.contains('cm-content') && document.querySelector('[role=tab][aria-selected=true]')?.textContent.includes(arguments[0])",
            &[json!(path)],
            SECONDS(5),
        )
        .await?;
    Ok(())
}

/// Wait until the live region has said something containing `text`.
async fn heard(browser: &Browser, text: &str) -> Result<()> {
    browser
        .wait_for(
            &format!("an announcement of {text}"),
            "return window.__heard.some(t => t.includes(arguments[0]))",
            &[json!(text)],
            SECONDS(30),
        )
        .await?;
    Ok(())
}
