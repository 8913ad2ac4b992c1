//! Build and run orchestration: `cargo xtask run`, `cargo xtask test`, `cargo xtask cluster …`.

mod bench;
mod cluster;
mod progress;
mod run;
mod site;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

pub use progress::say;

const USAGE: &str = "usage: cargo xtask <command>

  run [--cluster auto|current|local] [--context NAME] [--namespace NS] [--port N]
                     build everything, start the playground and print its address
  test [ARGS…]       set up and run every test (ARGS go to cargo test)
  site               build the app into target/site
  bench              print benchmarks: validation in the browser, next to kubeconform, bundle size
  cluster up|down|status|build|kubectl ARGS…
                     the bundled local control plane";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    say(&format!("cargo xtask {}", args.join(" ")));
    match args.first().map(String::as_str) {
        Some("run") => run::main(&root, &args[1..]),
        Some("test") => test::main(&root, &args[1..]),
        Some("site") => site::build(&root),
        Some("bench") => bench::main(&root, &args[1..]),
        Some("cluster") => cluster::main(&args[1..]),
        _ => bail!("{USAGE}"),
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
