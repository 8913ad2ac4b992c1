//! No edit is ever lost: the tab's renderer crashes right after a keystroke, a hundred times in
//! a row, and every character typed is still there when the page opens again; a browser whose
//! storage is full says that the edits cannot be kept, offers them as a download, and keeps them
//! again once there is room.
//!
//! Ignored by a plain `cargo test`: `cargo xtask test` runs them once the cluster, the app and
//! the proxy binary are ready.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kubefiche_tests::browser::{Browser, Key};
use kubefiche_tests::layout::open_page;
use serde_json::{Value, json};

const SECONDS: fn(u64) -> Duration = Duration::from_secs;

/// How many crashes in a row.
const CRASHES: usize = 100;

/// The most the crashes may take together. Measured: 1.9 s a round on two cores shared with
/// other builds (load 9–11), most of it the app starting again after the crash.
const BUDGET: Duration = Duration::from_secs(480);

/// Typed one or a few keys at a time, a crash after each: letters, digits, YAML's punctuation
/// and accented letters (which the browser inserts as text, not as key codes).
const TYPED: &str = "kubefiche: édité, ça marche à 100 % — {a: [1, 2]} #ok";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn every_keystroke_survives_a_hundred_crashes_of_the_tab() {
    let (_ns, proxy, browser) = open_page("crashes", None).await.expect("the page");
    if let Err(e) = crash_loop(&browser, &proxy.url).await {
        panic!("{e:#}");
    }
    browser.close().await.expect("closing the browser");
}

/// The storage key and saved text of the open file, once the text saved ends with `arguments[0]`.
const SAVED: &str = "const path = document.querySelector('.tab[aria-selected=true]')?.textContent;
    const key = Object.keys(localStorage).find(k => path && k.endsWith(':file:' + path));
    const text = key && localStorage.getItem(key);
    return text && text.endsWith(arguments[0]) ? [key, text] : null";

/// The editor has the focus, its cursor at the end of the text.
async fn to_the_end(browser: &Browser) -> Result<()> {
    browser
        .wait_for(
            "the editor",
            "const e = document.querySelector('.cm-content'); if (e) e.focus(); return e !== null && document.activeElement === e",
            &[],
            SECONDS(20),
        )
        .await?;
    browser.chord(&[Key::Control], Key::End.into()).await
}

async fn crash_loop(browser: &Browser, url: &str) -> Result<()> {
    // A line of our own at the end of the open file, saved before the first crash.
    to_the_end(browser).await?;
    browser.type_keys(&format!("{}# ", Key::Enter)).await?;
    let saved = browser
        .wait_for("the first edit saved", SAVED, &[json!("# ")], SECONDS(5))
        .await?;
    let key = saved[0].as_str().context("the storage key")?.to_owned();
    let mut expected = saved[1].as_str().context("the saved text")?.to_owned();
    let typed: Vec<char> = TYPED.chars().collect();
    let started = Instant::now();
    for round in 0..CRASHES {
        // One key, or three in one go, right before the crash.
        let keys = if round % 3 == 2 { 3 } else { 1 };
        let burst: String = (0..keys)
            .map(|i| typed[(round * 3 + i) % typed.len()])
            .collect();
        // The tab to go on in, opened while this one still answers.
        let (tab, spare) = (browser.tab().await?, browser.spare_tab().await?);
        browser.type_keys(&burst).await?;
        browser.crash_page().await?;
        expected.push_str(&burst);
        browser
            .go_on_in(spare, tab, url)
            .await
            .with_context(|| format!("round {round}: opening the page again"))?;
        to_the_end(browser).await?;
        let now = browser
            .eval("return localStorage.getItem(arguments[0])", &[json!(key)])
            .await?;
        if now.as_str() != Some(expected.as_str()) {
            bail!(
                "round {round}: after typing {burst:?} and a crash, the saved text ends with {:?}, not {:?}",
                tail(now.as_str().unwrap_or("(nothing)")),
                tail(&expected)
            );
        }
        let shown = browser
            .eval(
                "return [...document.querySelectorAll('.cm-content .cm-line')].at(-1)?.textContent",
                &[],
            )
            .await?;
        let last_line = expected.rsplit('\n').next().unwrap_or_default();
        if shown != last_line {
            bail!("round {round}: the editor's last line is {shown}, not {last_line:?}");
        }
        if started.elapsed() > BUDGET {
            bail!(
                "{} crashes took {:.1?}, over {BUDGET:?}",
                round + 1,
                started.elapsed()
            );
        }
        if round % 10 == 9 {
            eprintln!("{} crashes in {:.1?}", round + 1, started.elapsed());
        }
    }
    println!(
        "{CRASHES} crashes in {:.1?}, nothing lost",
        started.elapsed()
    );
    Ok(())
}

fn tail(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(40)..].iter().collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the local cluster and Chromium: cargo xtask test"]
async fn full_storage_is_told_and_the_edits_can_be_downloaded() {
    let (_ns, proxy, browser) = open_page("full", None).await.expect("the page");
    if let Err(e) = storage_full(&browser).await {
        panic!("{e:#}");
    }
    browser.close().await.expect("closing the browser");
    // A browser that lets no site store anything (cookies and site data blocked).
    let blocked = Browser::start_with(json!({"profile.default_content_setting_values.cookies": 2}))
        .await
        .expect("chromium");
    if let Err(e) = storage_disabled(&blocked, &proxy.url).await {
        panic!("{e:#}");
    }
    blocked.close().await.expect("closing the browser");
}

/// The page's own download of the workspace: the file's name, its text, and the tabs' names.
async fn download(browser: &Browser) -> Result<Value> {
    browser.eval(WATCH_DOWNLOADS, &[]).await?;
    browser.click(".storage-notice button", SECONDS(5)).await?;
    let download = browser
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const blob = window.__blobs[0];
             if (!blob) { done(null); return; }
             blob.text().then(text => done({text, name: window.__downloads[0],
                tabs: [...document.querySelectorAll('.tab')].map(t => t.textContent)}));",
            vec![],
        )
        .await?;
    if download == Value::Null {
        bail!("the download button made no Blob");
    }
    if download["name"]
        .as_str()
        .is_none_or(|n| !n.ends_with(".yaml"))
    {
        bail!("the download is not named *.yaml: {}", download["name"]);
    }
    let body = download["text"].as_str().unwrap_or_default();
    let tabs = download["tabs"].as_array().map_or(0, Vec::len);
    if body.matches("# file: ").count() != tabs || tabs == 0 {
        bail!("the download does not hold each of the {tabs} files:\n{body}");
    }
    Ok(download)
}

/// Without storage the page says so as soon as it opens, and the download still works.
async fn storage_disabled(browser: &Browser, url: &str) -> Result<()> {
    browser.goto(url).await?;
    let denied = browser
        .eval(
            "try { localStorage.length; return null } catch (e) { return e.name }",
            &[],
        )
        .await?;
    if denied != "SecurityError" {
        bail!("the browser did not deny the storage: {denied}");
    }
    let notice = browser
        .wait_for("the storage warning", NOTICE, &[], SECONDS(20))
        .await?;
    let text = notice["text"].as_str().unwrap_or_default();
    if notice["refused"] != "keep.disabled" || !text.contains("stockage est désactivé") {
        bail!("the warning does not say the storage is disabled: {notice}");
    }
    to_the_end(browser).await?;
    browser.type_keys(&format!("{}# z", Key::Enter)).await?;
    let download = download(browser).await?;
    if !download["text"]
        .as_str()
        .unwrap_or_default()
        .contains("# z\n")
    {
        bail!("the download misses the edit:\n{}", download["text"]);
    }
    Ok(())
}

/// Fills the page's storage to the last character: big values, then halves, then one more
/// character on the last value until the browser refuses; the keys written.
const FILL: &str = "const keys = []; let size = 1 << 20; let last = null;
    while (size >= 1) {
      const key = 'filler:' + keys.length;
      try { localStorage.setItem(key, 'x'.repeat(size)); keys.push(key); last = key; }
      catch (e) { size = Math.floor(size / 2); }
    }
    try { for (;;) localStorage.setItem(last, localStorage.getItem(last) + 'x'); } catch (e) {}
    return keys";

/// Every download the page offers: the Blob behind each object URL and the link's file name.
const WATCH_DOWNLOADS: &str = "window.__blobs = []; window.__downloads = [];
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob) => { window.__blobs.push(blob); return create(blob); };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () { window.__downloads.push(this.download); return click.call(this); };
    return true";

const NOTICE: &str = "const n = document.querySelector('.storage-notice');
    if (!n) return null;
    const r = n.getBoundingClientRect();
    const title = getComputedStyle(n.querySelector('.title'));
    return {text: n.innerText, refused: n.dataset.refused, role: n.getAttribute('role'),
            top: r.top, height: r.height, titlePx: parseFloat(title.fontSize)}";

async fn storage_full(browser: &Browser) -> Result<()> {
    to_the_end(browser).await?;
    browser.type_keys(&format!("{}# a", Key::Enter)).await?;
    let saved = browser
        .wait_for("the first edit saved", SAVED, &[json!("# a")], SECONDS(5))
        .await?;
    let key = saved[0].as_str().context("the storage key")?.to_owned();
    let before = saved[1].as_str().context("the saved text")?.to_owned();
    let path = key.rsplit(":file:").next().unwrap_or_default().to_owned();
    if browser.eval(NOTICE, &[]).await? != Value::Null {
        bail!("a storage warning before the storage is full");
    }
    let fillers = browser.eval(FILL, &[]).await?;
    // The storage refuses the next keystrokes: the page says so, in French, at the top.
    to_the_end(browser).await?;
    browser.type_keys("bc").await?;
    let notice = browser
        .wait_for("the storage warning", NOTICE, &[], SECONDS(5))
        .await?;
    let text = notice["text"].as_str().unwrap_or_default();
    for part in [
        "Vos modifications ne peuvent pas être gardées",
        "stockage est plein",
        "Télécharger mes fichiers",
        path.as_str(),
    ] {
        if !text.contains(part) {
            bail!("the storage warning does not say {part:?}: {notice}");
        }
    }
    if notice["refused"] != "keep.full" || notice["role"] != "alert" {
        bail!("the storage warning is not an alert about a full storage: {notice}");
    }
    if notice["top"].as_f64().unwrap_or(f64::MAX) > 200.0
        || notice["titlePx"].as_f64().unwrap_or(0.0) < 17.0
    {
        bail!("the storage warning is not large at the top of the page: {notice}");
    }
    let kept = browser
        .eval("return localStorage.getItem(arguments[0])", &[json!(key)])
        .await?;
    if kept.as_str() != Some(before.as_str()) {
        bail!("the storage was full, yet the edit was saved: {kept}");
    }
    // The download holds every file, the unsaved edit included.
    let download = download(browser).await?;
    let whole = format!("# file: {path}\n{before}bc");
    if !download["text"]
        .as_str()
        .unwrap_or_default()
        .contains(&whole)
    {
        bail!(
            "the download does not hold the edited file whole:\n{}",
            download["text"]
        );
    }
    // Room again: the next keystroke saves everything and the warning goes.
    browser
        .eval(
            "for (const k of arguments[0]) localStorage.removeItem(k); return true",
            &[fillers],
        )
        .await?;
    to_the_end(browser).await?;
    browser.type_keys("d").await?;
    browser
        .wait_for(
            "the warning gone",
            "return document.querySelector('.storage-notice') === null",
            &[],
            SECONDS(5),
        )
        .await?;
    let kept = browser
        .eval("return localStorage.getItem(arguments[0])", &[json!(key)])
        .await?;
    if kept.as_str() != Some(format!("{before}bcd").as_str()) {
        bail!("after the storage was freed, the saved text is {kept}");
    }
    odd_texts_on_reload(browser, &key).await
}

/// A saved file far over the size limit and one of garbage (NULs, a lone surrogate, broken YAML)
/// come back whole after a reload: loading writes nothing, and each file has an error that says
/// what is wrong with it.
async fn odd_texts_on_reload(browser: &Browser, key: &str) -> Result<()> {
    let stored = browser
        .eval(
            "const [key] = arguments; const prefix = key.slice(0, key.indexOf(':file:') + 6);
             const tabs = [...document.querySelectorAll('.tab')].map(t => t.textContent);
             const [huge, garbage] = tabs.slice(1, 3);
             localStorage.setItem(prefix + huge, '# big\\n' + 'a: 1\\n'.repeat(600000));
             localStorage.setItem(prefix + garbage, 'kind: [\\u0000\\ud800 \\uffff');
             return [prefix + huge, prefix + garbage, huge, garbage]",
            &[json!(key)],
        )
        .await?;
    let lengths = "return arguments[0].slice(0, 2).map(k => localStorage.getItem(k).length)";
    let before = browser.eval(lengths, std::slice::from_ref(&stored)).await?;
    browser.refresh().await?;
    let (huge, garbage) = (stored[2].as_str(), stored[3].as_str());
    let problems = browser
        .wait_for(
            "an error for each odd file",
            "const [huge, garbage] = arguments;
             const errors = [...document.querySelectorAll('.problem.error')].map(p => p.innerText);
             const of = path => errors.filter(e => e.includes(path + ':'));
             return of(huge).length && of(garbage).length ? errors : null",
            &[json!(huge), json!(garbage)],
            SECONDS(30),
        )
        .await?;
    if !problems.to_string().contains("octets") {
        bail!("no error says that the big file is over the limit: {problems}");
    }
    let after = browser.eval(lengths, &[stored]).await?;
    if after != before {
        bail!("reloading changed the saved texts: lengths {before} then {after}");
    }
    Ok(())
}
