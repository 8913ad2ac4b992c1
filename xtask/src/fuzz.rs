//! `cargo xtask fuzz [--seconds N]`: coverage-guided fuzzing of the validator with libFuzzer
//! (`core/fuzz`, built by cargo-fuzz with a nightly toolchain), for a bounded time.
//!
//! Seeds are the Fiche 3 workspace and the agreement corpus; what libFuzzer finds is kept in
//! `target/fuzz/corpus/<target>/` (so each run starts where the last one stopped; after a run it
//! is cut down to the inputs that add coverage), crashes in `target/fuzz/artifacts/<target>/`,
//! the full log in `target/fuzz/<target>.log`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::{run_checked, say};

/// The cargo-fuzz release used (installed from crates.io when another one, or none, is found).
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// How long one input may run before libFuzzer calls it a hang (seconds).
const TIMEOUT_SECONDS: u64 = 10;

/// The longest input libFuzzer makes (bytes): larger than the seeds, far below the validator's
/// own size limit, so that time goes to many inputs rather than few huge ones.
const MAX_LEN: usize = 16_384;

/// The fuzz targets of `core/fuzz`, with their share of the time (in quarters).
const TARGETS: &[(&str, u64)] = &[("workspace", 2), ("bodies", 1), ("assist", 1)];

/// Runs every fuzz target, `seconds` in all; fails when one finds a crash, a hang or a broken
/// property, naming the input that shows it.
pub fn main(root: &Path, seconds: u64) -> Result<()> {
    nightly()?;
    cargo_fuzz()?;
    let fuzz_dir = root.join("core").join("fuzz");
    let out = crate::target_dir(root).join("fuzz");
    say("building the fuzz targets (nightly, sanitizer coverage)…");
    run_checked(
        Command::new("cargo")
            .args([
                "+nightly",
                "fuzz",
                "build",
                "--sanitizer",
                "none",
                "--fuzz-dir",
            ])
            .arg(&fuzz_dir)
            .arg("--target-dir")
            .arg(&out)
            .current_dir(root),
    )
    .context("building the fuzz targets of core/fuzz")?;
    let bin_dir = out.join(host_triple()?).join("release");
    seeds(root, &out.join("seeds"))?;
    let mut failures = Vec::new();
    for (target, quarters) in TARGETS {
        let time = (seconds * quarters / 4).max(1);
        let run = Run {
            target,
            bin: bin_dir.join(target),
            out: out.clone(),
            dict: fuzz_dir.join("yaml.dict"),
        };
        if let Some(failure) = run.fuzz(time)? {
            failures.push(failure);
        }
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("\n"));
    }
    Ok(())
}

fn nightly() -> Result<()> {
    let ok = Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        bail!(
            "fuzzing needs a nightly Rust toolchain (sanitizer coverage): install it with `rustup toolchain install nightly --profile minimal`"
        );
    }
    Ok(())
}

fn cargo_fuzz() -> Result<()> {
    let current = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    if current != format!("cargo-fuzz {CARGO_FUZZ_VERSION}") {
        say(&format!(
            "installing cargo-fuzz {CARGO_FUZZ_VERSION} (once, about 2 minutes)…"
        ));
        run_checked(Command::new("cargo").args([
            "install",
            "--quiet",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
        ]))?;
    }
    Ok(())
}

/// The host's target triple, under which cargo-fuzz puts its binaries.
fn host_triple() -> Result<String> {
    let out = Command::new("rustc")
        .args(["+nightly", "-vV"])
        .output()
        .context("running rustc -vV")?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .context("rustc -vV names no host triple")
}

/// The manifests of a folder, sorted by name.
fn yaml_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let name = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((name, fs::read(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// Writes the seed inputs of each target: the Fiche 3 files alone and together (NUL-separated, as
/// the `workspace` target reads a workspace), the corpus files; for `assist`, the Fiche 3 files
/// with the cursor at the start of each line's key and after its colon; for `bodies`, the JSON
/// of an apply and of a command as the page sends them.
fn seeds(root: &Path, dir: &Path) -> Result<()> {
    let fiche = yaml_files(&root.join("core/tests/fiche3/k8s"))?;
    let corpus = yaml_files(&root.join("tests/corpus"))?;
    let workspace = dir.join("workspace");
    let assist = dir.join("assist");
    let bodies = dir.join("bodies");
    for d in [&workspace, &assist, &bodies] {
        let _ = fs::remove_dir_all(d);
        fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let together: Vec<&[u8]> = fiche.iter().map(|(_, text)| text.as_slice()).collect();
    fs::write(workspace.join("fiche3-workspace"), together.join(&0u8))?;
    for (name, text) in &fiche {
        fs::write(workspace.join(format!("fiche3-{name}")), text)?;
        for (i, line) in String::from_utf8_lossy(text).lines().enumerate() {
            let key = line.len() - line.trim_start().len() + 1;
            let value = line.find(": ").map_or(key, |c| c + 3);
            for column in [key, value] {
                let (Ok(l), Ok(c)) = (u8::try_from(i + 1), u8::try_from(column)) else {
                    continue;
                };
                let mut input = vec![l, c];
                input.extend_from_slice(text);
                fs::write(assist.join(format!("{name}-{l}-{c}")), input)?;
            }
        }
    }
    for (name, text) in &corpus {
        fs::write(workspace.join(format!("corpus-{name}")), text)?;
    }
    // The page's own requests: the Fiche 3 workspace applied, and a command on one of its files.
    let files: Vec<serde_json::Value> = fiche
        .iter()
        .map(|(name, text)| {
            serde_json::json!({ "path": format!("k8s/{name}.yaml"), "text": String::from_utf8_lossy(text) })
        })
        .collect();
    let apply = serde_json::json!({ "files": files, "dry_run": true });
    fs::write(bodies.join("apply-fiche3"), apply.to_string())?;
    let command = serde_json::json!({ "line": "kubectl apply -f k8s/config.yaml", "files": files });
    fs::write(bodies.join("command-fiche3"), command.to_string())?;
    Ok(())
}

struct Run<'a> {
    target: &'a str,
    bin: PathBuf,
    out: PathBuf,
    dict: PathBuf,
}

impl Run<'_> {
    /// Fuzzes for `seconds`; prints executions per second and coverage. Returns a description
    /// of the failure, if libFuzzer found one.
    fn fuzz(&self, seconds: u64) -> Result<Option<String>> {
        let corpus = self.out.join("corpus").join(self.target);
        let artifacts = self.out.join("artifacts").join(self.target);
        fs::create_dir_all(&corpus)?;
        fs::create_dir_all(&artifacts)?;
        let log_path = self.out.join(format!("{}.log", self.target));
        let log = fs::File::create(&log_path)
            .with_context(|| format!("creating {}", log_path.display()))?;
        say(&format!(
            "fuzzing `{}` for {seconds} s (log: {})…",
            self.target,
            log_path.display()
        ));
        let mut command = Command::new(&self.bin);
        command
            .arg(&corpus)
            .arg(self.out.join("seeds").join(self.target))
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-timeout={TIMEOUT_SECONDS}"))
            .arg(format!("-max_len={MAX_LEN}"))
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", artifacts.display()));
        if self.target == "workspace" {
            command.arg(format!("-dict={}", self.dict.display()));
        }
        let status = command
            .stdout(Stdio::null())
            .stderr(log)
            .status()
            .with_context(|| format!("cannot start {}", self.bin.display()))?;
        let log = fs::read_to_string(&log_path).unwrap_or_default();
        let summary = Summary::read(&log);
        println!(
            "{:<10} {} executions in {seconds} s ({}/s), coverage {} edges, {} features, corpus {} inputs",
            self.target,
            summary.runs,
            summary.per_second,
            summary.coverage,
            summary.features,
            summary.corpus
        );
        if status.success() {
            self.minimise(&corpus)?;
            return Ok(None);
        }
        let artifact = log
            .lines()
            .find_map(|l| l.split_once("Test unit written to ").map(|(_, p)| p.trim()))
            .unwrap_or("(no input written: see the log)")
            .to_owned();
        let reason = failure_reason(&log);
        println!("{:<10} FAILED: {reason}", self.target);
        Ok(Some(format!(
            "fuzz target `{}` failed: {reason}\n  input: {artifact}\n  replay: {} {artifact}\n  minimise: {} -minimize_crash=1 -runs=100000 -artifact_prefix={}/ {artifact}\n  log: {}",
            self.target,
            self.bin.display(),
            self.bin.display(),
            artifacts.display(),
            log_path.display()
        )))
    }
}

impl Run<'_> {
    /// Keeps only the inputs of `corpus` that add coverage (libFuzzer's merge), so that the next
    /// run does not spend its time re-reading every input ever found.
    fn minimise(&self, corpus: &Path) -> Result<()> {
        let merged = corpus.with_extension("merged");
        let _ = fs::remove_dir_all(&merged);
        fs::create_dir_all(&merged)?;
        let log_path = self.out.join(format!("{}-merge.log", self.target));
        let log = fs::File::create(&log_path)
            .with_context(|| format!("creating {}", log_path.display()))?;
        say(&format!(
            "keeping the inputs of `{}` that add coverage…",
            self.target
        ));
        let status = Command::new(&self.bin)
            .arg("-merge=1")
            .arg(format!("-timeout={TIMEOUT_SECONDS}"))
            .arg(format!("-max_len={MAX_LEN}"))
            .arg(&merged)
            .arg(corpus)
            .stdout(Stdio::null())
            .stderr(log)
            .status()
            .with_context(|| format!("cannot start {}", self.bin.display()))?;
        if !status.success() {
            let _ = fs::remove_dir_all(&merged);
            bail!(
                "minimising the corpus of `{}` failed ({status}): see {}",
                self.target,
                log_path.display()
            );
        }
        fs::remove_dir_all(corpus)?;
        fs::rename(&merged, corpus)?;
        Ok(())
    }
}

/// The first line that says why libFuzzer stopped: a panic (with its message, on the next line
/// in recent Rust), a stack overflow, else libFuzzer's own error (timeout, out of memory…).
fn failure_reason(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
        let message = lines.get(i + 1).map_or("", |l| l.trim());
        return format!("{} {message}", lines[i].trim()).trim().to_owned();
    }
    lines
        .iter()
        .find(|l| l.contains("has overflowed its stack"))
        .or_else(|| lines.iter().find(|l| l.contains("ERROR: libFuzzer")))
        .map_or("libFuzzer stopped with an error", |l| l.trim())
        .to_owned()
}

/// What libFuzzer's log says of a run (`?` for what it did not say).
struct Summary {
    runs: String,
    per_second: String,
    coverage: String,
    features: String,
    corpus: String,
}

impl Summary {
    fn read(log: &str) -> Self {
        let unknown = || "?".to_owned();
        let mut s = Self {
            runs: unknown(),
            per_second: unknown(),
            coverage: unknown(),
            features: unknown(),
            corpus: unknown(),
        };
        for line in log.lines() {
            if let Some(v) = line.strip_prefix("stat::number_of_executed_units: ") {
                v.trim().clone_into(&mut s.runs);
            } else if let Some(v) = line.strip_prefix("stat::average_exec_per_sec: ") {
                v.trim().clone_into(&mut s.per_second);
            } else if line.starts_with('#') {
                // `#1234  NEW  cov: 1500 ft: 4000 corp: 300/20Kb …`
                let words: Vec<&str> = line.split_whitespace().collect();
                for pair in words.windows(2) {
                    let (key, value) = (pair[0], pair[1]);
                    match key {
                        "cov:" => value.clone_into(&mut s.coverage),
                        "ft:" => value.clone_into(&mut s.features),
                        "corp:" => {
                            let n = value.split('/').next().unwrap_or(value);
                            n.clone_into(&mut s.corpus);
                        }
                        _ => {}
                    }
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_libfuzzer_log() {
        let log = "INFO: Seed: 1\n\
            #272\tINITED cov: 4086 ft: 10844 corp: 254/106Kb exec/s: 0 rss: 30Mb\n\
            #9000\tREDUCE cov: 4100 ft: 11000 corp: 300/120Kb lim: 16384 exec/s: 900 rss: 31Mb L: 8/9 MS: 1 Custom-\n\
            \n\
            thread '<unnamed>' panicked at core/src/yaml.rs:10:5:\n\
            index out of bounds\n\
            ==1== ERROR: libFuzzer: deadly signal\n\
            Test unit written to /t/artifacts/workspace/crash-abc\n\
            stat::number_of_executed_units: 9001\n\
            stat::average_exec_per_sec:     900\n";
        let s = Summary::read(log);
        assert_eq!(
            (s.runs.as_str(), s.per_second.as_str(), s.coverage.as_str()),
            ("9001", "900", "4100")
        );
        assert_eq!((s.features.as_str(), s.corpus.as_str()), ("11000", "300"));
        assert_eq!(
            failure_reason(log),
            "thread '<unnamed>' panicked at core/src/yaml.rs:10:5: index out of bounds"
        );
        assert_eq!(
            failure_reason("==1== ERROR: libFuzzer: timeout after 10 seconds\n"),
            "==1== ERROR: libFuzzer: timeout after 10 seconds"
        );
    }
}
