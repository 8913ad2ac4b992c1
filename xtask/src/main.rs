//! Build and run orchestration: `cargo xtask run`, `cargo xtask test`, `cargo xtask cluster …`.

mod bench;
mod cluster;
mod differential;
mod fuzz;
mod progress;
mod run;
mod screenshots;
mod site;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

pub use progress::say;

/// Build, run and test kubefiche; every command installs what it needs first.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build everything, start the playground and print the address to open
    Run(run::Args),
    /// Set up and run every test (unit, integration, browser) against the local cluster
    Test(test::Args),
    /// Build the app into target/site
    Site,
    /// Print benchmarks: validation in the browser, next to kubeconform, the size of the app,
    /// the proxy under load
    Bench(bench::Args),
    /// Fuzz the validator with libFuzzer (nightly, cargo-fuzz) for a bounded time
    Fuzz {
        /// Time for all fuzz targets together
        #[arg(long, default_value_t = 300)]
        seconds: u64,
    },
    /// Screenshots of the page at every tested window size, in target/screenshots
    Screenshots,
    /// Record the API server's verdict on every manifest of tests/corpus in
    /// tests/corpus/verdicts.tsv
    Verdicts,
    /// Send mutants of valid manifests to the real API server and to the validator, and report
    /// where they disagree (target/differential/report.md)
    Differential(differential::Args),
    /// The bundled local control plane
    #[command(subcommand)]
    Cluster(cluster::Task),
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = root();
    let args: Vec<String> = std::env::args().skip(1).collect();
    say(&format!("cargo xtask {}", args.join(" ")));
    match cli.command {
        Task::Run(args) => run::main(&root, &args),
        Task::Test(args) => test::main(&root, &args),
        Task::Site => site::build(&root),
        Task::Bench(args) => bench::main(&root, &args),
        Task::Verdicts => test::verdicts(&root),
        Task::Screenshots => screenshots::main(&root),
        Task::Fuzz { seconds } => fuzz::main(&root, seconds),
        Task::Differential(args) => differential::main(&root, &args),
        Task::Cluster(task) => cluster::main(task),
    }
}

/// The workspace root (the parent of this crate).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}

/// Where cargo builds (`CARGO_TARGET_DIR`, else `target/` of the workspace).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Run a command; fail with its name when it does not succeed.
pub fn run_checked(command: &mut Command) -> Result<()> {
    let name = format!("{:?}", command.get_program());
    let status = command
        .status()
        .with_context(|| format!("cannot start {name}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
