//! The Go toolchain's steps, each showing how far it got: the modules downloaded (counted in
//! the module cache), then the packages compiled (`go build -v` names each one as it starts,
//! against the stale packages `go list -deps` counts), then the link. Every line `go` prints
//! goes to the build log.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;

use crate::progress::Meter;
use crate::say;

/// How often a meter's clock moves while `go` prints nothing.
const TICK: Duration = Duration::from_millis(500);

/// The `go` command in the cluster's module, with a log of everything it prints.
pub struct Go {
    go: PathBuf,
    module: PathBuf,
    log_path: PathBuf,
    log: File,
}

impl Go {
    /// Starts a new log at `log_path`.
    pub fn new(go: PathBuf, module: &Path, log_path: &Path) -> Result<Self> {
        let log =
            File::create(log_path).with_context(|| format!("creating {}", log_path.display()))?;
        Ok(Self {
            go,
            module: module.to_owned(),
            log_path: log_path.to_owned(),
            log,
        })
    }

    /// `go ARGS…` in the module, with the local toolchain only, noted in the log.
    fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Result<Command> {
        let mut line = String::from("$ go");
        for arg in args {
            line.push(' ');
            line.push_str(&arg.as_ref().to_string_lossy());
        }
        writeln!(&self.log, "{line}")?;
        let mut command = Command::new(&self.go);
        command
            .current_dir(&self.module)
            .args(args)
            .env("GOTOOLCHAIN", "local")
            .stdin(Stdio::null());
        Ok(command)
    }

    /// What `go ARGS…` prints on stdout; its stderr goes to the log.
    fn output(&self, args: &[&str]) -> Result<String> {
        let out = self
            .command(args)?
            .stderr(self.log.try_clone()?)
            .output()
            .with_context(|| format!("running {}", self.go.display()))?;
        if !out.status.success() {
            return Err(self.failure(&args[..2.min(args.len())].join(" "), out.status));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs `command`, handing each line of its stderr to `on` (after the log), and `None`
    /// every [`TICK`] in which it printed nothing.
    fn watch(
        &self,
        what: &str,
        command: &mut Command,
        mut on: impl FnMut(Option<&str>),
    ) -> Result<()> {
        let mut child = command
            .stdout(self.log.try_clone()?)
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("running {}", self.go.display()))?;
        let stderr = child.stderr.take().context("no stderr pipe")?;
        let (lines, received) = channel();
        let reader = std::thread::spawn(move || {
            let mut stderr = BufReader::new(stderr);
            let mut line = Vec::new();
            while stderr.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                let text = String::from_utf8_lossy(&line).trim_end().to_owned();
                line.clear();
                if lines.send(text).is_err() {
                    break;
                }
            }
        });
        loop {
            match received.recv_timeout(TICK) {
                Ok(line) => {
                    writeln!(&self.log, "{line}")?;
                    on(Some(&line));
                }
                Err(RecvTimeoutError::Timeout) => on(None),
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        let _ = reader.join();
        let status = child.wait()?;
        if !status.success() {
            return Err(self.failure(what, status));
        }
        Ok(())
    }

    fn failure(&self, what: &str, status: ExitStatus) -> anyhow::Error {
        anyhow!(
            "`go {what}` failed while building the local control plane ({status}); the last lines of {}:\n{}",
            self.log_path.display(),
            crate::cluster::log_tail(&self.log_path, 30)
        )
    }

    /// Downloads the modules go.mod requires into the module cache, unless they are all there.
    pub fn download(&self) -> Result<()> {
        let modules = to_download(&self.output(&["mod", "edit", "-json"])?)?;
        let cache = PathBuf::from(self.output(&["env", "GOMODCACHE"])?.trim());
        let cache = cache.join("cache").join("download");
        let count = || {
            modules
                .iter()
                .filter(|m| cache.join(m.zip()).is_file())
                .count()
        };
        if count() == modules.len() {
            return Ok(());
        }
        let mut meter = Meter::new("downloading Go modules", "modules", modules.len());
        let mut current = String::new();
        let result = self.watch(
            "mod download",
            &mut self.command(&["mod", "download", "-x"])?,
            |line| {
                // `-x` names each file fetched; a zip is a module's sources.
                if let Some(m) = line.and_then(|l| modules.iter().find(|m| m.fetched_by(l))) {
                    current = format!("{} {}", m.path, m.version);
                }
                meter.set(count(), &current);
            },
        );
        if result.is_ok() {
            meter.set(count(), "");
        }
        meter.finish();
        result
    }

    /// `go build -v FLAGS… -o OUT .`, counting the packages it compiles.
    pub fn build(&self, flags: &[String], out: &Path) -> Result<()> {
        let mut list: Vec<&str> = vec!["list"];
        list.extend(flags.iter().map(String::as_str));
        list.extend(["-deps", "-f", "{{.ImportPath}} {{.Stale}}", "."]);
        let (packages, main) = stale_packages(&self.output(&list)?);
        let mut build: Vec<std::ffi::OsString> = vec!["build".into(), "-v".into()];
        build.extend(flags.iter().map(Into::into));
        build.extend(["-o".into(), out.into(), ".".into()]);
        let mut build = self.command(&build)?;
        let linking = "linking kubefiche-cluster (about a minute, up to ~2.5 GB of memory)…";
        if packages.is_empty() {
            say(linking);
            return self.watch("build", &mut build, |_| {});
        }
        let packages: HashSet<&str> = packages.iter().map(String::as_str).collect();
        let mut meter = Meter::new(
            "compiling the local control plane",
            "packages",
            packages.len(),
        );
        let mut done = 0;
        let result = self.watch("build", &mut build, |line| match line {
            Some(line) if line == main => meter.note(linking),
            Some(line) if packages.contains(line) => {
                done += 1;
                meter.set(done, line);
            }
            _ => meter.tick(),
        });
        meter.finish();
        result
    }
}

/// A module version to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Module {
    path: String,
    #[serde(default)]
    version: String,
}

impl Module {
    /// Its zip in the module cache's download folder, `PATH/@v/VERSION.zip` (escaped).
    fn zip(&self) -> PathBuf {
        PathBuf::from(format!(
            "{}/@v/{}.zip",
            escape(&self.path),
            escape(&self.version)
        ))
    }

    /// Whether a `go … -x` line is the request of this module's zip (`# get URL`, where the
    /// URL escapes `!` as `%21`).
    fn fetched_by(&self, line: &str) -> bool {
        line.starts_with("# get ")
            && line
                .replace("%21", "!")
                .ends_with(&format!("/{}", self.zip().display()))
    }
}

/// A module path or version as the module cache spells it: each capital letter becomes `!` and
/// the letter in lower case (file systems that ignore case keep modules apart).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The modules `go mod download` fetches, from `go mod edit -json`: every requirement, replaced
/// as go.mod says (a replacement by a local folder fetches nothing).
fn to_download(edit_json: &str) -> Result<Vec<Module>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct GoMod {
        require: Option<Vec<Module>>,
        replace: Option<Vec<Replace>>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Replace {
        old: Module,
        new: Module,
    }
    let go_mod: GoMod = serde_json::from_str(edit_json).context("reading `go mod edit -json`")?;
    let replace = go_mod.replace.unwrap_or_default();
    Ok(go_mod
        .require
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            replace
                .iter()
                .find(|r| {
                    r.old.path == m.path && (r.old.version.is_empty() || r.old.version == m.version)
                })
                .map_or(m, |r| r.new.clone())
        })
        .filter(|m| !m.version.is_empty())
        .collect())
}

/// From `go list -deps -f '{{.ImportPath}} {{.Stale}}' .`: the packages to compile, and the
/// main package (listed last, always "stale" since its binary is not installed).
fn stale_packages(listing: &str) -> (Vec<String>, String) {
    let mut stale: Vec<String> = listing
        .lines()
        .filter_map(|l| l.strip_suffix(" true"))
        .map(str::to_owned)
        .collect();
    let main = listing
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_default()
        .to_owned();
    stale.retain(|p| *p != main);
    (stale, main)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(path: &str, version: &str) -> Module {
        Module {
            path: path.into(),
            version: version.into(),
        }
    }

    #[test]
    fn capitals_are_escaped_as_the_module_cache_does() {
        assert_eq!(
            escape("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
        assert_eq!(escape("v1.4.0-RC1"), "v1.4.0-!r!c1");
        assert_eq!(
            module("github.com/Azure/go-ansiterm", "v0.0.0-2021").zip(),
            PathBuf::from("github.com/!azure/go-ansiterm/@v/v0.0.0-2021.zip")
        );
    }

    #[test]
    fn a_zip_request_names_its_module() {
        let toml = module("github.com/BurntSushi/toml", "v1.4.0");
        assert!(toml.fetched_by(
            "# get https://proxy.golang.org/github.com/%21burnt%21sushi/toml/@v/v1.4.0.zip"
        ));
        assert!(!toml.fetched_by(
            "# get https://proxy.golang.org/github.com/%21burnt%21sushi/toml/@v/v1.4.0.zip: 200 OK (0.023s)"
        ));
        assert!(!toml.fetched_by(
            "# get https://proxy.golang.org/github.com/%21burnt%21sushi/toml/@v/v1.4.0.mod"
        ));
    }

    #[test]
    fn requirements_are_replaced_as_go_mod_says() {
        let json = r#"{
            "Module": {"Path": "kubefiche.local/cluster"},
            "Go": "1.26.0",
            "Require": [
                {"Path": "k8s.io/kubernetes", "Version": "v1.36.1"},
                {"Path": "k8s.io/kubectl", "Version": "v0.0.0"},
                {"Path": "k8s.io/api", "Version": "v0.0.0", "Indirect": true},
                {"Path": "example.com/local", "Version": "v1.0.0"}
            ],
            "Exclude": null,
            "Replace": [
                {"Old": {"Path": "k8s.io/kubectl"}, "New": {"Path": "k8s.io/kubectl", "Version": "v0.36.1"}},
                {"Old": {"Path": "k8s.io/api", "Version": "v0.0.0"}, "New": {"Path": "k8s.io/api", "Version": "v0.36.1"}},
                {"Old": {"Path": "example.com/local"}, "New": {"Path": "../local"}}
            ],
            "Retract": null
        }"#;
        assert_eq!(
            to_download(json).expect("parses"),
            [
                module("k8s.io/kubernetes", "v1.36.1"),
                module("k8s.io/kubectl", "v0.36.1"),
                module("k8s.io/api", "v0.36.1"),
            ]
        );
        let empty = r#"{"Module": {"Path": "m"}, "Require": null, "Replace": null}"#;
        assert!(to_download(empty).expect("parses").is_empty());
    }

    #[test]
    fn the_packages_to_compile_leave_out_the_cached_ones_and_main() {
        let listing = "internal/goarch true\nunsafe false\nk8s.io/api/core/v1 true\nkubefiche.local/cluster true\n";
        let (packages, main) = stale_packages(listing);
        assert_eq!(packages, ["internal/goarch", "k8s.io/api/core/v1"]);
        assert_eq!(main, "kubefiche.local/cluster");
    }
}
