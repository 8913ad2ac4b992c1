//! `cargo xtask test`: set up every tool, build the app, start (or reuse) the local cluster,
//! run every test of the workspace against it, including those `cargo test` alone skips
//! (ignored: they need the cluster or Chromium), and stop the cluster if this run started it.
//! The fault tests (`tests/tests/faults.rs`) stop parts of the cluster that every other test
//! shares: a full run runs them last, alone, one at a time.
//!
//! `cargo xtask verdicts`: the same set-up for the agreement test, which then rewrites
//! `tests/corpus/verdicts.tsv` with the API server's verdicts.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::{cluster, run_checked, say, site, tools};

/// The environment variable through which the tests find the cluster.
const KUBECONFIG_ENV: &str = "KUBEFICHE_TEST_KUBECONFIG";

#[derive(clap::Args)]
#[command(
    override_usage = "cargo xtask test [CARGO ARGS]... [-- TEST ARGS...]",
    after_help = "Runs `cargo test --workspace --no-fail-fast [CARGO ARGS]... -- --include-ignored \
                  [TEST ARGS]...`\n(without --workspace when CARGO ARGS choose packages with -p).\n\
                  Example: cargo xtask test -p kubefiche-tests --test browser -- --nocapture"
)]
pub struct Args {
    /// Arguments for `cargo test`, e.g. `-p kubefiche-tests --test browser`
    #[arg(
        value_name = "CARGO ARGS",
        allow_hyphen_values = true,
        value_terminator = "--"
    )]
    cargo: Vec<String>,
    /// Arguments for the test binaries, after `--`, e.g. `--nocapture` or a test name
    #[arg(value_name = "TEST ARGS", allow_hyphen_values = true)]
    tests: Vec<String>,
}

pub fn main(root: &Path, args: &Args) -> Result<()> {
    let proxy = build_everything(root)?;
    cluster::with_local(|kubeconfig| {
        let run = |line: Vec<String>| -> Result<()> {
            run_checked(
                Command::new("cargo")
                    .args(line)
                    .env(KUBECONFIG_ENV, kubeconfig)
                    .env("KUBEFICHE_BIN", &proxy)
                    .env("KUBEFICHE_GOMODCACHE", cluster::module_cache()?)
                    .current_dir(root),
            )
        };
        say("running the tests…");
        let tests = run(cargo_test_args(&args.cargo, &args.tests));
        if !runs_faults_after(&args.cargo) {
            return tests;
        }
        say("running the fault tests alone (they stop parts of the cluster)…");
        let faults = run(fault_test_args(&args.cargo, &args.tests));
        // The first failure is the one to tell.
        tests.and(faults)
    })
}

/// The fault tests' target, which a plain `cargo test` leaves out (`test = false`).
const FAULTS: [&str; 4] = ["-p", "kubefiche-tests", "--test", "faults"];

/// Whether a run with these cargo arguments is a full one, after which the fault tests run: no
/// package or target chosen (a run that chooses them runs what it chose, the faults included
/// when it names them).
fn runs_faults_after(cargo: &[String]) -> bool {
    const CHOOSING: [&str; 12] = [
        "-p",
        "--package",
        "--test",
        "--tests",
        "--lib",
        "--doc",
        "--bin",
        "--bins",
        "--example",
        "--examples",
        "--bench",
        "--all-targets",
    ];
    !cargo.iter().any(|a| {
        CHOOSING
            .iter()
            .any(|c| a == c || a.starts_with(&format!("{c}=")) || (*c == "-p" && a.starts_with(c)))
    })
}

/// `test CARGO… -p kubefiche-tests --test faults -- --include-ignored --test-threads=1 TESTS…`.
fn fault_test_args(cargo: &[String], tests: &[String]) -> Vec<String> {
    let mut out = vec!["test".to_owned()];
    out.extend(cargo.iter().cloned());
    out.extend(FAULTS.map(str::to_owned));
    out.extend([
        "--".to_owned(),
        "--include-ignored".to_owned(),
        "--test-threads=1".to_owned(),
    ]);
    out.extend(tests.iter().cloned());
    out
}

/// Chromium, the app, and every test with the proxy binary in one build (building the proxy
/// alone would resolve other crate features and compile much of it twice); the proxy's path.
pub fn build_everything(root: &Path) -> Result<PathBuf> {
    tools::chromium()?;
    site::build(root)?;
    say("building the tests and the proxy…");
    run_checked(
        Command::new("cargo")
            .args(["test", "--workspace", "--no-run", "--quiet"])
            .current_dir(root),
    )?;
    Ok(crate::target_dir(root).join("debug").join("kubefiche"))
}

/// `test --workspace --no-fail-fast CARGO… -- --include-ignored TESTS…`; without `--workspace`
/// when the cargo arguments choose packages (cargo would ignore `-p` next to `--workspace`).
fn cargo_test_args(cargo: &[String], tests: &[String]) -> Vec<String> {
    let chooses_packages = cargo
        .iter()
        .any(|a| a == "--package" || a.starts_with("--package=") || a.starts_with("-p"));
    let mut out = vec!["test".to_owned()];
    if !chooses_packages {
        out.push("--workspace".to_owned());
    }
    out.push("--no-fail-fast".to_owned());
    out.extend(cargo.iter().cloned());
    out.extend(["--".to_owned(), "--include-ignored".to_owned()]);
    out.extend(tests.iter().cloned());
    out
}

pub fn verdicts(root: &Path) -> Result<()> {
    // The proxy, which the test crate links, embeds the app's folder: it must exist.
    if !site::dir(root).is_dir() {
        site::build(root)?;
    }
    let agreement = ["test", "-p", "kubefiche-tests", "--test", "agreement"];
    say("building the agreement test…");
    run_checked(
        Command::new("cargo")
            .args(agreement)
            .args(["--no-run", "--quiet"])
            .current_dir(root),
    )?;
    cluster::with_local(|kubeconfig| {
        say("asking the API server about every manifest of tests/corpus…");
        run_checked(
            Command::new("cargo")
                .args(agreement)
                .args(["--", "--include-ignored"])
                .env(KUBECONFIG_ENV, kubeconfig)
                .env("KUBEFICHE_UPDATE_VERDICTS", "1")
                .current_dir(root),
        )
    })?;
    say("tests/corpus/verdicts.tsv is up to date: review it with `git diff tests/corpus`");
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{Args, cargo_test_args, fault_test_args, runs_faults_after};

    #[derive(Parser)]
    struct Test {
        #[command(flatten)]
        args: Args,
    }

    /// The arguments of `cargo test` for a `cargo xtask test` command line.
    fn cargo_line(line: &str) -> String {
        let test = Test::try_parse_from(std::iter::once("test").chain(line.split_whitespace()))
            .expect("the command line parses");
        cargo_test_args(&test.args.cargo, &test.args.tests).join(" ")
    }

    #[test]
    fn every_tier_runs_by_default() {
        assert_eq!(
            cargo_line(""),
            "test --workspace --no-fail-fast -- --include-ignored"
        );
    }

    #[test]
    fn cargo_arguments_and_test_arguments_are_told_apart() {
        assert_eq!(
            cargo_line("--release -- --nocapture"),
            "test --workspace --no-fail-fast --release -- --include-ignored --nocapture"
        );
        assert_eq!(
            cargo_line("-- --exact some::test"),
            "test --workspace --no-fail-fast -- --include-ignored --exact some::test"
        );
        assert_eq!(
            cargo_line("--test agreement -- --nocapture verdicts"),
            "test --workspace --no-fail-fast --test agreement -- --include-ignored --nocapture verdicts"
        );
    }

    #[test]
    fn a_full_run_ends_with_the_fault_tests_alone() {
        let test = Test::try_parse_from(["test", "--release", "--", "--nocapture"])
            .expect("the command line parses");
        assert!(runs_faults_after(&test.args.cargo));
        assert_eq!(
            fault_test_args(&test.args.cargo, &test.args.tests).join(" "),
            "test --release -p kubefiche-tests --test faults -- --include-ignored --test-threads=1 --nocapture"
        );
        for chosen in [
            "-p kubefiche-tests --test faults",
            "--test browser",
            "-pxtask",
            "--package=xtask",
            "--lib",
        ] {
            let test =
                Test::try_parse_from(std::iter::once("test").chain(chosen.split_whitespace()))
                    .expect("the command line parses");
            assert!(!runs_faults_after(&test.args.cargo), "{chosen}");
        }
    }

    #[test]
    fn choosing_a_package_drops_workspace() {
        let expected = "test --no-fail-fast -p kubefiche-tests --test browser -- --include-ignored";
        assert_eq!(cargo_line("-p kubefiche-tests --test browser"), expected);
        assert_eq!(
            cargo_line("--package=xtask"),
            "test --no-fail-fast --package=xtask -- --include-ignored"
        );
        assert_eq!(
            cargo_line("-pxtask -- --nocapture"),
            "test --no-fail-fast -pxtask -- --include-ignored --nocapture"
        );
    }
}
