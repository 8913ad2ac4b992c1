//! `cargo xtask differential`: the mutants against the real API server and the validator.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::ask::ask_all;
use super::compare::{Comparison, compare};
use super::server::ServerVerdict;
use super::{Mutant, Plan, generate, report, sample};
use crate::cluster::{KUBECONFIG_ENV, client_for, workspace_root};

/// The command line: `[--mutants N] [--seed S] [--out FILE] [--concurrency C] [--sample]`.
#[derive(Debug)]
pub struct Args {
    pub mutants: usize,
    pub seed: u64,
    pub out: PathBuf,
    pub concurrency: usize,
    pub sample: bool,
}

impl Args {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self> {
        let mut out = Self {
            mutants: 10_000,
            seed: 1,
            out: workspace_root().join("target/differential/report.md"),
            concurrency: 12,
            sample: false,
        };
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            let mut value =
                |name: &str| args.next().with_context(|| format!("{name} needs a value"));
            match a.as_str() {
                "--mutants" => out.mutants = value("--mutants")?.parse().context("--mutants N")?,
                "--seed" => out.seed = value("--seed")?.parse().context("--seed S")?,
                "--out" => out.out = PathBuf::from(value("--out")?),
                "--concurrency" => {
                    out.concurrency = value("--concurrency")?.parse().context("--concurrency C")?;
                }
                "--sample" => out.sample = true,
                other => bail!(
                    "unknown argument {other}: use [--mutants N] [--seed S] [--out FILE] [--concurrency C] [--sample]"
                ),
            }
        }
        Ok(out)
    }
}

pub async fn main(args: Args) -> Result<()> {
    let kubeconfig = std::env::var_os(KUBECONFIG_ENV).with_context(|| {
        format!("{KUBECONFIG_ENV} is not set: run this through `cargo xtask differential`")
    })?;
    let client = client_for(&PathBuf::from(kubeconfig)).await?;
    let plan = if args.sample {
        Plan {
            seed: sample::SAMPLE_SEED,
            count: sample::SAMPLE_SIZE,
            max_lines: Some(sample::SAMPLE_MAX_LINES),
        }
    } else {
        Plan {
            seed: args.seed,
            count: args.mutants,
            max_lines: None,
        }
    };
    let mutants = generate(&plan);
    eprintln!(
        "{} mutants (seed {}), asking the API server, {} at a time…",
        mutants.len(),
        plan.seed,
        args.concurrency
    );
    let started = Instant::now();
    let verdicts = ask_all(
        &client,
        mutants.iter().map(|m| m.files.clone()).collect(),
        args.concurrency,
        true,
    )
    .await?;
    eprintln!(
        "asked in {:.0} s; validating…",
        started.elapsed().as_secs_f64()
    );
    let comparisons: Vec<Comparison> = mutants
        .iter()
        .zip(&verdicts)
        .map(|(m, s)| compare(&m.files, s))
        .collect();
    let results: Vec<(&Mutant, &ServerVerdict, &Comparison)> = mutants
        .iter()
        .zip(&verdicts)
        .zip(&comparisons)
        .map(|((m, s), c)| (m, s, c))
        .collect();
    if args.sample {
        let path = workspace_root().join(sample::SAMPLE);
        let text: String = mutants
            .iter()
            .zip(&verdicts)
            .map(|(m, s)| sample::line(m, s) + "\n")
            .collect();
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    } else {
        let title = format!(
            "Differential run: {} mutants, seed {}",
            mutants.len(),
            plan.seed
        );
        if let Some(dir) = args.out.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&args.out, report::markdown(&title, &results))
            .with_context(|| format!("writing {}", args.out.display()))?;
        let jsonl = args.out.with_extension("jsonl");
        std::fs::write(&jsonl, report::jsonl(&results))
            .with_context(|| format!("writing {}", jsonl.display()))?;
        eprintln!("wrote {} and {}", args.out.display(), jsonl.display());
    }
    println!("{}", report::table(&results));
    Ok(())
}
