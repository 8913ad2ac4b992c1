//! Real headless Chromium driven over WebDriver (Debian's chromium and chromium-driver), with a
//! small client of our own: JSON over HTTP/1.1 to chromedriver on loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// The WebDriver key codes used by the tests.
pub mod keys {
    pub const CONTROL: char = '\u{E009}';
    pub const SHIFT: char = '\u{E008}';
    pub const HOME: char = '\u{E011}';
    pub const END: char = '\u{E010}';
    pub const DOWN: char = '\u{E015}';
    pub const UP: char = '\u{E013}';
    pub const ENTER: char = '\u{E007}';
    pub const ESCAPE: char = '\u{E00C}';
    /// Releases every held modifier.
    pub const NULL: char = '\u{E000}';
}

/// One browser session; the browser and its driver end with it.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Browser {
    pub fn start() -> Result<Self> {
        let port = free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // A French learner's browser: navigator.language follows the locale on Linux.
            .env("LANGUAGE", "fr_FR")
            .env("LANG", "fr_FR.UTF-8")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("chromedriver is missing: install it with `apt-get install chromium chromium-driver` (cargo xtask test does)")?;
        let profile =
            std::env::temp_dir().join(format!("kubefiche-chromium-{port}-{}", std::process::id()));
        std::fs::create_dir_all(&profile)?;
        let mut browser = Self {
            driver,
            port,
            session: String::new(),
            _profile: TempDir(profile.clone()),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.request("GET", "/status", None).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not answer on port {port}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
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
        let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": {"intl.accept_languages": "fr-FR,fr"},
            },
        }}});
        let created = browser.request("POST", "/session", Some(&capabilities))?;
        browser.session = created["value"]["sessionId"]
            .as_str()
            .context("no session id")?
            .to_owned();
        Ok(browser)
    }

    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        let payload = read_response(&mut stream)?;
        let value: Value = serde_json::from_str(&payload)
            .with_context(|| format!("chromedriver said: {payload}"))?;
        if let Some(error) = value["value"]["error"].as_str() {
            bail!(
                "webdriver {method} {path}: {error}: {}",
                value["value"]["message"]
            );
        }
        Ok(value)
    }

    fn session_call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let value = self.request(method, &format!("/session/{}{path}", self.session), body)?;
        Ok(value["value"].clone())
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.session_call("POST", "/url", Some(&json!({"url": url})))
            .map(|_| ())
    }

    pub fn refresh(&self) -> Result<()> {
        self.session_call("POST", "/refresh", Some(&json!({})))
            .map(|_| ())
    }

    /// Run `script` (a function body; `arguments` holds `args`) and return its value.
    pub fn eval(&self, script: &str, args: Value) -> Result<Value> {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": args})),
        )
    }

    /// The element for a CSS selector, waiting up to `timeout` for it to appear.
    pub fn find(&self, css: &str, timeout: Duration) -> Result<Element<'_>> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.session_call(
                "POST",
                "/element",
                Some(&json!({"using": "css selector", "value": css})),
            );
            match found {
                Ok(value) => {
                    let id = value
                        .as_object()
                        .and_then(|o| o.values().next())
                        .and_then(Value::as_str)
                        .context("no element id")?;
                    return Ok(Element {
                        browser: self,
                        id: id.to_owned(),
                    });
                }
                Err(error) if Instant::now() > deadline => {
                    return Err(error.context(format!("waiting for {css}")));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Wait until `script` returns something truthy, and return it.
    pub fn wait_for(
        &self,
        what: &str,
        script: &str,
        args: Value,
        timeout: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.eval(script, args.clone())?;
            if !(value.is_null() || value == json!(false) || value == json!("")) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                bail!("timed out after {timeout:?} waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Type into whatever has the focus.
    pub fn type_keys(&self, keys: &str) -> Result<()> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.session_call(
            "POST",
            "/actions",
            Some(&json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )?;
        self.session_call("DELETE", "/actions", None).map(|_| ())
    }

    /// Press a key chord such as Control+Shift+k.
    pub fn chord(&self, modifiers: &[char], key: char) -> Result<()> {
        let mut actions: Vec<Value> = modifiers
            .iter()
            .map(|m| json!({"type": "keyDown", "value": m.to_string()}))
            .collect();
        actions.push(json!({"type": "keyDown", "value": key.to_string()}));
        actions.push(json!({"type": "keyUp", "value": key.to_string()}));
        actions.extend(
            modifiers
                .iter()
                .rev()
                .map(|m| json!({"type": "keyUp", "value": m.to_string()})),
        );
        self.session_call(
            "POST",
            "/actions",
            Some(&json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )?;
        self.session_call("DELETE", "/actions", None).map(|_| ())
    }

    /// Fail the test with `error`, keeping a screenshot and the editor's text to look at.
    pub fn fail(&self, error: anyhow::Error) -> ! {
        let shot = std::env::temp_dir().join("kubefiche-browser-failure.png");
        let saved = self
            .screenshot(&shot)
            .map(|()| shot.display().to_string())
            .unwrap_or_default();
        let text = self
            .eval(
                "return document.querySelector('.cm-content')?.innerText ?? ''",
                json!([]),
            )
            .unwrap_or_default();
        panic!(
            "{error:#}\nscreenshot: {saved}\neditor text:\n{}",
            text.as_str().unwrap_or_default()
        );
    }

    /// A PNG of the window, for looking at what a learner would see.
    pub fn screenshot(&self, path: &std::path::Path) -> Result<()> {
        let data = self.session_call("GET", "/screenshot", None)?;
        let encoded = data.as_str().context("no screenshot")?;
        std::fs::write(path, base64_decode(encoded)?)?;
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
}

impl Element<'_> {
    pub fn click(&self) -> Result<()> {
        self.browser
            .session_call(
                "POST",
                &format!("/element/{}/click", self.id),
                Some(&json!({})),
            )
            .map(|_| ())
    }

    pub fn text(&self) -> Result<String> {
        let value =
            self.browser
                .session_call("GET", &format!("/element/{}/text", self.id), None)?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, name: &str) -> Result<Option<String>> {
        let value = self.browser.session_call(
            "GET",
            &format!("/element/{}/attribute/{name}", self.id),
            None,
        )?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// The accessible name the browser computes (what a screen reader announces).
    pub fn accessible_name(&self) -> Result<String> {
        let value = self.browser.session_call(
            "GET",
            &format!("/element/{}/computedlabel", self.id),
            None,
        )?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }
}

/// Read one HTTP/1.1 answer: headers, then exactly Content-Length bytes (chromedriver keeps
/// connections open, so reading to the end would wait for its timeout), or chunks.
fn read_response(stream: &mut TcpStream) -> Result<String> {
    let mut raw = Vec::new();
    let mut byte = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut byte)?;
        if n == 0 {
            bail!("chromedriver closed the connection");
        }
        raw.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(length) => {
            while raw.len() < head_end + length {
                let n = stream.read(&mut byte)?;
                if n == 0 {
                    break;
                }
                raw.extend_from_slice(&byte[..n]);
            }
            Ok(String::from_utf8_lossy(&raw[head_end..]).into_owned())
        }
        None => {
            stream.read_to_end(&mut raw)?;
            Ok(dechunk(&String::from_utf8_lossy(&raw[head_end..])))
        }
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}

fn base64_decode(text: &str) -> Result<Vec<u8>> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
    {
        let value = alphabet
            .iter()
            .position(|a| *a == byte)
            .context("not base64")? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Ok(out)
}
