//! What the view bench installs in the page and reads back: a script run before the app on
//! each load (the time the pane first shows every object, the app's WebAssembly memory), a
//! `MutationObserver` stamping when each round of the probe ConfigMap's keys shows, and a
//! `requestAnimationFrame` loop (with long tasks, where Chromium reports them) while pods change.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use kubefiche_tests::browser::Browser;
use serde_json::{Value, json};

pub use kubefiche_tests::layout::devtools;

/// Milliseconds since the Unix epoch, as the page's `Date.now()` counts them (same machine).
pub fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Run before the app's own scripts on every load of the current window: keeps the app's
/// WebAssembly instance at hand, and stamps (`performance.now()`, from navigation start) when
/// the cluster pane is first drawn, when its stream is first live, and when it first shows
/// `WANT` objects (rows of other kinds and pod rows).
const ON_LOAD: &str = r#"(() => {
  const want = WANT;
  window.__pane = null; window.__live = null; window.__shown = null; window.__shownCount = 0;
  const keep = (r) => { window.__wasm = r.instance || r; return r; };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) WebAssembly.instantiateStreaming = (...a) => streaming.apply(WebAssembly, a).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...a) => plain.apply(WebAssembly, a).then(keep);
  const observer = new MutationObserver(() => {
    if (window.__pane === null && document.querySelector('.view-switch')) window.__pane = performance.now();
    if (window.__live === null && document.querySelector('.link.live')) window.__live = performance.now();
    const n = document.querySelectorAll('li.object').length + document.querySelectorAll('tr.pod').length;
    window.__shownCount = n;
    if (n >= want) { window.__shown = performance.now(); observer.disconnect(); }
  });
  observer.observe(document, {subtree: true, childList: true});
})();"#;

/// What the page showed after loading: milliseconds from navigation start.
#[derive(Debug)]
pub struct Loaded {
    pub pane: f64,
    pub live: f64,
    pub shown: f64,
    pub count: u64,
    pub dom_elements: u64,
    /// `performance.memory.usedJSHeapSize` (Chromium rounds it), bytes.
    pub js_heap: Option<f64>,
    /// The JS heap as DevTools measures it (`Runtime.getHeapUsage`), bytes.
    pub js_heap_exact: Option<f64>,
    /// The app's WebAssembly linear memory, bytes.
    pub wasm_memory: Option<f64>,
}

/// Opens `url` in the current window and waits until the pane shows `want` objects.
pub async fn load(browser: &Browser, url: &str, want: usize) -> Result<Loaded> {
    let source = ON_LOAD.replace("WANT", &want.to_string());
    devtools(
        browser,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": source }),
    )
    .await?;
    browser.goto(url).await?;
    let waited = browser
        .wait_for(
            &format!("the pane to show {want} objects"),
            "return window.__shown === null ? null : true",
            &[],
            Duration::from_secs(60),
        )
        .await;
    if let Err(e) = waited {
        let count = browser.eval("return window.__shownCount", &[]).await?;
        bail!("{e:#}\nthe pane showed {count} of them");
    }
    let page = browser
        .eval(
            "return { pane: window.__pane, live: window.__live, shown: window.__shown, count: window.__shownCount,
                dom: document.getElementsByTagName('*').length,
                heap: performance.memory ? performance.memory.usedJSHeapSize : null,
                wasm: window.__wasm?.exports?.memory?.buffer?.byteLength ?? null }",
            &[],
        )
        .await?;
    let exact = devtools(browser, "Runtime.getHeapUsage", json!({}))
        .await
        .ok()
        .and_then(|v| v["usedSize"].as_f64());
    Ok(Loaded {
        pane: page["pane"].as_f64().unwrap_or(f64::NAN),
        live: page["live"].as_f64().unwrap_or(f64::NAN),
        shown: page["shown"].as_f64().unwrap_or(f64::NAN),
        count: page["count"].as_u64().unwrap_or(0),
        dom_elements: page["dom"].as_u64().unwrap_or(0),
        js_heap: page["heap"].as_f64(),
        js_heap_exact: exact,
        wasm_memory: page["wasm"].as_f64(),
    })
}

/// Stamps (`Date.now()`) in `window.__seen[N]` when the probe ConfigMap's row first lists the
/// key `round-N`.
pub const WATCH_ROUNDS: &str = r#"window.__seen = {};
  const look = () => {
    const row = document.querySelector(`li.object[data-kind='ConfigMap'][data-name='${arguments[0]}']`);
    if (!row) return;
    for (const key of row.querySelectorAll('li.keys code.key')) {
      const m = /^round-(\d+)$/.exec(key.textContent);
      if (m && !(m[1] in window.__seen)) window.__seen[m[1]] = Date.now();
    }
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
  look();
  return true"#;

/// When round `round` showed in the current window (`Date.now()`).
pub async fn seen(browser: &Browser, round: u64) -> Result<f64> {
    let at = browser
        .wait_for(
            &format!("round {round} of the probe's keys on screen"),
            "return window.__seen[arguments[0]] ?? null",
            &[json!(round.to_string())],
            Duration::from_secs(10),
        )
        .await?;
    at.as_f64().context("a time stamp that is not a number")
}

/// Starts recording every frame (`requestAnimationFrame`), every long task, and the moment
/// (`Date.now()`) the Deployment `arguments[0]`'s row holds exactly `arguments[2]` elements
/// matching `arguments[1]`.
const RECORD: &str = r#"window.__frames = []; window.__long = []; window.__goal = null; window.__framing = true;
  const frame = (t) => { window.__frames.push(t); if (window.__framing) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  const longtasks = (PerformanceObserver.supportedEntryTypes || []).includes('longtask');
  if (longtasks) {
    window.__longObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
    });
    window.__longObserver.observe({type: 'longtask'});
  }
  const [name, selector, want] = arguments;
  const check = () => {
    if (window.__goal !== null) return;
    const row = document.querySelector(`li.object[data-kind='Deployment'][data-name='${name}']`);
    if (row && row.querySelectorAll(selector).length === want) {
      window.__goal = Date.now();
      window.__goalObserver.disconnect();
    }
  };
  window.__goalObserver = new MutationObserver(check);
  window.__goalObserver.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  return longtasks"#;

/// What the page recorded while pods changed, in its `performance.now()` clock.
#[derive(Debug)]
pub struct Recording {
    pub frames: Vec<f64>,
    /// Long tasks: (start, duration); `None` when Chromium does not report them.
    pub long_tasks: Option<Vec<(f64, f64)>>,
    /// When the goal showed.
    pub goal: f64,
    /// `performance.timeOrigin`: the Unix time of the page clock's zero, ms.
    pub origin: f64,
}

/// Starts recording (see [`RECORD`]); whether long tasks are reported.
pub async fn record(
    browser: &Browser,
    deployment: &str,
    selector: &str,
    want: usize,
) -> Result<bool> {
    let longtasks = browser
        .eval(RECORD, &[json!(deployment), json!(selector), json!(want)])
        .await?;
    Ok(longtasks == json!(true))
}

/// Waits (polling gently, so as to stay out of the page's frames) for the goal of
/// [`record`], then stops recording and reads it all.
pub async fn recorded(browser: &Browser, what: &str, longtasks: bool) -> Result<Recording> {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        if browser.eval("return window.__goal !== null", &[]).await? == json!(true) {
            break;
        }
        if std::time::Instant::now() > deadline {
            bail!("the pane did not show {what} within 120 s");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let got = browser
        .eval(
            "window.__framing = false; window.__longObserver?.disconnect();
             return { frames: window.__frames, long: window.__long, goal: window.__goal - performance.timeOrigin,
                      origin: performance.timeOrigin }",
            &[],
        )
        .await?;
    let numbers = |v: &Value| -> Vec<f64> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .collect()
    };
    let long = got["long"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let pair = numbers(pair);
            (
                pair.first().copied().unwrap_or(0.0),
                pair.get(1).copied().unwrap_or(0.0),
            )
        })
        .collect();
    Ok(Recording {
        frames: numbers(&got["frames"]),
        long_tasks: longtasks.then_some(long),
        goal: got["goal"].as_f64().unwrap_or(f64::NAN),
        origin: got["origin"].as_f64().unwrap_or(f64::NAN),
    })
}
