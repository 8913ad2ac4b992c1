//! `cargo xtask differential`: the differential mutant run against the local cluster. Builds the
//! runner (`kubefiche-tests`' `differential` binary), makes sure the local cluster is up, and runs
//! it with the cluster's kubeconfig: every mutant goes to the real API server (a server-side dry
//! run, then a real create in a throwaway namespace) and to the validator, and the two verdicts
//! are compared. `--sample` rewrites the committed sample `tests/mutants/sample.jsonl` instead of
//! the report.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::{cluster, run_checked, say, site};

#[derive(clap::Args)]
pub struct Args {
    /// How many mutants
    #[arg(long, default_value_t = 10_000)]
    mutants: usize,
    /// The run's seed: the same seed gives the same mutants
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The report (Markdown; the JSON lines go beside it, as .jsonl)
    #[arg(long, default_value = "target/differential/report.md")]
    out: PathBuf,
    /// Requests in flight
    #[arg(long, default_value_t = 12)]
    concurrency: usize,
    /// Write the committed sample tests/mutants/sample.jsonl (1,000 mutants of a fixed seed,
    /// with the API server's verdicts) instead of a report
    #[arg(long)]
    sample: bool,
}

pub fn main(root: &Path, args: &Args) -> Result<()> {
    // The proxy, which the test crate links, embeds the app's folder: it must exist.
    if !site::dir(root).is_dir() {
        site::build(root)?;
    }
    say("building the differential runner…");
    run_checked(
        Command::new("cargo")
            .args([
                "build",
                "--quiet",
                "-p",
                "kubefiche-tests",
                "--bin",
                "differential",
            ])
            .current_dir(root),
    )?;
    let runner = crate::target_dir(root).join("debug").join("differential");
    let out = if args.out.is_absolute() {
        args.out.clone()
    } else {
        root.join(&args.out)
    };
    let mut command = Command::new(runner);
    command
        .args(["--mutants", &args.mutants.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .arg("--out")
        .arg(&out)
        .args(["--concurrency", &args.concurrency.to_string()])
        .current_dir(root);
    if args.sample {
        command.arg("--sample");
    }
    cluster::with_local(|kubeconfig| {
        say("asking the API server and the validator about every mutant…");
        run_checked(command.env("KUBEFICHE_TEST_KUBECONFIG", kubeconfig))
    })?;
    if args.sample {
        say("tests/mutants/sample.jsonl is up to date: review it with `git diff tests/mutants`");
    } else {
        say(&format!("the report is in {}", out.display()));
    }
    Ok(())
}
