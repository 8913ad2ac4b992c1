//! Real headless Chromium (Debian's `chromium`), driven over WebDriver through Debian's
//! `chromedriver` with the `fantoccini` client. Each [`Browser`] has its own driver, on a port the
//! driver picks, and its own throw-away profile; both go when it ends.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::wd::{WebDriverCompatibleCommand, WindowHandle};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub use fantoccini::key::Key;

/// The flags headless Chromium needs here (as root, on a closed network), then ours.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1600,1000",
    "--lang=fr-FR",
];

/// How long chromedriver may take to say it listens.
const DRIVER_START: Duration = Duration::from_secs(20);

/// One browser session; the browser, its driver and its profile end with it.
pub struct Browser {
    client: Client,
    driver: Child,
    /// Set once the session and the driver have been ended in order ([`Browser::close`]).
    closed: bool,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver (in its own process group, so that Chromium can be stopped with it) and
    /// opens a French-speaking Chromium session with a fresh profile.
    pub async fn start() -> Result<Self> {
        Self::start_with(json!({})).await
    }

    /// The same with more of Chromium's preferences, e.g.
    /// `{"profile.default_content_setting_values.cookies": 2}`: no site may store anything.
    pub async fn start_with(prefs: Value) -> Result<Self> {
        Self::start_args(prefs, &[]).await
    }

    /// A session that trusts the certificate whose public key hashes to `spki_sha256` (base64),
    /// as a learner who checked a class's fingerprint does.
    pub async fn start_trusting(spki_sha256: &str) -> Result<Self> {
        let trust = format!("--ignore-certificate-errors-spki-list={spki_sha256}");
        Self::start_args(json!({}), &[trust]).await
    }

    async fn start_args(prefs: Value, more_args: &[String]) -> Result<Self> {
        // A driver that exits before it listens (it happens, rarely, on a busy machine) is
        // started once more before the test is failed for it.
        let (driver, port) = match start_driver().await {
            Ok(started) => started,
            Err(first) => start_driver()
                .await
                .with_context(|| format!("and before that: {first:#}"))?,
        };
        let profile =
            std::env::temp_dir().join(format!("kubefiche-chromium-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile)
            .with_context(|| format!("creating the browser profile {}", profile.display()))?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend(more_args.iter().cloned());
        let mut all_prefs = json!({"intl.accept_languages": "fr-FR,fr"});
        if let (Some(all), Value::Object(more)) = (all_prefs.as_object_mut(), prefs) {
            all.extend(more);
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": all_prefs,
            },
        });
        let Value::Object(capabilities) = capabilities else {
            bail!("the capabilities are not a JSON object");
        };
        // Plain HTTP: chromedriver listens on loopback only.
        let connected = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = match connected {
            Ok(client) => client,
            Err(error) => {
                kill_group(&driver);
                let _ = std::fs::remove_dir_all(&profile);
                return Err(error).context(
                    "chromedriver could not start Chromium (is the `chromium` package installed?)",
                );
            }
        };
        Ok(Self {
            client,
            driver,
            closed: false,
            profile,
        })
    }

    /// Ends the session (Chromium quits), then the driver. Dropping the browser instead kills
    /// both, which is what a failing test does.
    pub async fn close(mut self) -> Result<()> {
        self.client
            .clone()
            .close()
            .await
            .context("ending the browser session")?;
        let _ = self.driver.start_kill();
        self.driver
            .wait()
            .await
            .context("waiting for chromedriver")?;
        self.closed = true;
        Ok(())
    }

    /// The WebDriver client itself, for what this harness does not wrap (DevTools commands,
    /// pointer actions).
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))
    }

    pub async fn refresh(&self) -> Result<()> {
        Ok(self.client.refresh().await?)
    }

    /// Crashes the page's renderer process (Chromium's DevTools `Page.crash`), as a browser bug
    /// would: no unload handler runs, whatever the page had not written is gone.
    pub async fn crash_page(&self) -> Result<()> {
        // The command gets no answer from a renderer that is gone: its error is the expected end.
        let crash = self.client.issue_cmd(DevTools {
            cmd: "Page.crash",
            params: json!({}),
        });
        let _ = tokio::time::timeout(Duration::from_secs(5), crash).await;
        match self.client.execute("return true", vec![]).await {
            Err(e) if e.to_string().contains("tab crashed") => Ok(()),
            other => bail!("the page did not crash: it still answers {other:?}"),
        }
    }

    /// A new blank tab in the background, to go on in once the current one has crashed
    /// (chromedriver answers "tab crashed" to anything asked in or from a crashed tab).
    pub async fn spare_tab(&self) -> Result<WindowHandle> {
        let tab = self
            .client
            .new_window(true)
            .await
            .context("opening a new tab")?;
        Ok(tab.handle)
    }

    /// Goes on in `spare` (from [`Browser::spare_tab`]), opens `url` there and closes `crashed`.
    pub async fn go_on_in(
        &self,
        spare: WindowHandle,
        crashed: WindowHandle,
        url: &str,
    ) -> Result<()> {
        self.client
            .switch_to_window(crashed)
            .await
            .context("switching to the crashed tab")?;
        self.client
            .close_window()
            .await
            .context("closing the crashed tab")?;
        self.client
            .switch_to_window(spare)
            .await
            .context("switching to the spare tab")?;
        self.goto(url).await
    }

    /// The current tab.
    pub async fn tab(&self) -> Result<WindowHandle> {
        Ok(self.client.window().await?)
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub async fn eval(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.client
            .execute(script, args.to_vec())
            .await
            .with_context(|| format!("running the script `{script}`"))
    }

    /// The element for a CSS selector, waiting up to `timeout` for it to appear.
    pub async fn find(&self, css: &str, timeout: Duration) -> Result<Element> {
        let found = self
            .client
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => Ok(element),
            Err(fantoccini::error::CmdError::WaitTimeout) => Err(self
                .evidence(format!("no `{css}` on the page after {timeout:?}"))
                .await),
            Err(error) => Err(error).with_context(|| format!("looking for `{css}`")),
        }
    }

    /// Clicks the element for a CSS selector, waiting up to `timeout` for it to appear. It is
    /// first scrolled to the middle of its scroller, where a person would have it before
    /// clicking (not against an edge, under what sticks there).
    pub async fn click(&self, css: &str, timeout: Duration) -> Result<()> {
        let element = self.find(css, timeout).await?;
        let handle = serde_json::to_value(&element).context("the element's reference")?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})",
                vec![handle],
            )
            .await
            .with_context(|| format!("scrolling to `{css}`"))?;
        element
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))
    }

    /// Waits until `script` (as for [`Browser::eval`]) returns something truthy, and returns it.
    /// On time-out the error names `what` and carries a screenshot and what the page shows.
    pub async fn wait_for(
        &self,
        what: &str,
        script: &str,
        args: &[Value],
        timeout: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.eval(script, args).await?;
            if !(value.is_null() || value == json!(false) || value == json!("")) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(self
                    .evidence(format!("timed out after {timeout:?} waiting for {what}"))
                    .await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types into whatever has the focus, one key press per character (a [`Key`] is one too).
    pub async fn type_keys(&self, keys: &str) -> Result<()> {
        let presses = keys.chars().fold(keyboard(), |k, c| {
            k.then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c })
        });
        self.perform(presses).await
    }

    /// Presses a key chord such as Control+Shift+k.
    pub async fn chord(&self, modifiers: &[Key], key: char) -> Result<()> {
        let mut chord = keyboard();
        for m in modifiers {
            chord = chord.then(KeyAction::Down { value: (*m).into() });
        }
        chord = chord
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        for m in modifiers.iter().rev() {
            chord = chord.then(KeyAction::Up { value: (*m).into() });
        }
        self.perform(chord).await
    }

    async fn perform(&self, keys: KeyActions) -> Result<()> {
        self.client.perform_actions(keys).await?;
        Ok(self.client.release_actions().await?)
    }

    /// The accessible name the browser computes for `element` (what a screen reader announces).
    pub async fn accessible_name(&self, element: &Element) -> Result<String> {
        let label = self
            .client
            .issue_cmd(ComputedLabel(element.element_id().to_string()))
            .await
            .context("asking the browser for an accessible name")?;
        Ok(label.as_str().unwrap_or_default().to_owned())
    }

    /// A PNG of the window, for looking at what a learner would see.
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// `message`, with a screenshot and the editor's text and problems list to look at.
    async fn evidence(&self, message: String) -> anyhow::Error {
        static FAILURES: AtomicU32 = AtomicU32::new(0);
        let shot = std::env::temp_dir().join(format!(
            "kubefiche-browser-failure-{}-{}.png",
            std::process::id(),
            FAILURES.fetch_add(1, Ordering::Relaxed)
        ));
        let shot = match self.screenshot(&shot).await {
            Ok(()) => shot.display().to_string(),
            Err(e) => format!("none ({e:#})"),
        };
        let page = self
            .eval(
                "return {
                    editor: document.querySelector('.cm-content')?.innerText ?? '(no editor)',
                    problems: [...document.querySelectorAll('.problem')].map(p => p.innerText).join('\\n'),
                 }",
                &[],
            )
            .await
            .unwrap_or_default();
        let text = |key: &str| page[key].as_str().unwrap_or_default().to_owned();
        anyhow::anyhow!(
            "{message}\nscreenshot: {shot}\nproblems list:\n{}\neditor text:\n{}",
            text("problems"),
            text("editor")
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            kill_group(&self.driver);
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Starts chromedriver on a free port; the process and its port.
async fn start_driver() -> Result<(Child, u16)> {
    let mut driver = Command::new("chromedriver")
        .arg("--port=0")
        // A French learner's browser: navigator.language follows the locale on Linux.
        .env("LANGUAGE", "fr_FR")
        .env("LANG", "fr_FR.UTF-8")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("chromedriver is missing: install it with `apt-get install chromium chromium-driver` (cargo xtask test does)")?;
    match tokio::time::timeout(DRIVER_START, driver_port(&mut driver)).await {
        Ok(Ok(port)) => Ok((driver, port)),
        failed => {
            kill_group(&driver);
            match failed {
                Ok(Err(error)) => Err(error),
                _ => bail!(
                    "chromedriver did not say which port it listens on within {DRIVER_START:?}"
                ),
            }
        }
    }
}

/// Reads chromedriver's output up to "ChromeDriver was started successfully on port N.", then
/// leaves the rest to be discarded.
async fn driver_port(driver: &mut Child) -> Result<u16> {
    let stdout = driver
        .stdout
        .take()
        .context("no output from chromedriver")?;
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        let port = line
            .strip_prefix("ChromeDriver was started successfully on port ")
            .and_then(|rest| rest.trim_end_matches('.').parse().ok());
        if let Some(port) = port {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Ok(port);
        }
    }
    bail!("chromedriver exited before listening (try `chromedriver --port=0` by hand)")
}

/// Kills chromedriver and the Chromium it started: the driver leads its own process group, and
/// Chromium's processes stay in it.
fn kill_group(driver: &Child) {
    if let Some(pid) = driver.id().and_then(|id| i32::try_from(id).ok()) {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

fn keyboard() -> KeyActions {
    KeyActions::new("keyboard".to_owned())
}

/// One of Chromium's DevTools commands, through chromedriver.
#[derive(Debug)]
pub(crate) struct DevTools {
    pub(crate) cmd: &'static str,
    pub(crate) params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// WebDriver's "Get Computed Label" of one element, which the client does not offer itself.
#[derive(Debug)]
struct ComputedLabel(String);

impl WebDriverCompatibleCommand for ComputedLabel {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!(
            "session/{session}/element/{}/computedlabel",
            self.0
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}
