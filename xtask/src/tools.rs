//! The tools the build needs, installed by package name and pinned, or a one-line stop that
//! says exactly what to install.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{run_checked, say};

/// `true` when `program --version` (or `args`) runs.
fn answers(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Install Debian packages when they are missing and we may; otherwise stop with the command to run.
pub fn debian(packages: &[&str], missing: bool) -> Result<()> {
    if !missing {
        return Ok(());
    }
    let list = packages.join(" ");
    if !is_root() || !answers("apt-get", &["--version"]) {
        bail!("missing tools: install them with `sudo apt-get install {list}`");
    }
    say(&format!("installing {list} from Debian…"));
    let updated = Command::new("apt-get")
        .args(["update", "-qq"])
        .status()
        .is_ok_and(|s| s.success());
    if !updated {
        bail!("apt-get update failed: install them with `apt-get install {list}`");
    }
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .with_context(|| format!("could not install {list}"))
}

/// The wasm32 target of the Rust toolchain.
pub fn wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let Ok(installed) = installed else {
        bail!(
            "rustup is missing: install Rust with rustup (https://rustup.rs), then run this again"
        );
    };
    if !String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        say("adding the wasm32-unknown-unknown target…");
        run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The version of `dependency` that the workspace member `member` builds with, as Cargo.lock
/// pins it (`cargo metadata --locked`: cargo's own reading of the lockfile, which fails when
/// Cargo.lock is out of date instead of answering with a stale version).
fn locked_version(root: &Path, member: &str, dependency: &str) -> Result<String> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .other_options(vec!["--locked".to_owned()])
        .exec()
        .context("reading the locked dependencies with `cargo metadata --locked` (is Cargo.lock up to date? `cargo update --workspace` refreshes it)")?;
    let package = |id: &cargo_metadata::PackageId| metadata.packages.iter().find(|p| p.id == *id);
    let member_id = metadata
        .workspace_members
        .iter()
        .find(|id| package(id).is_some_and(|p| p.name == member))
        .with_context(|| format!("{member} is not a member of the workspace"))?;
    metadata
        .resolve
        .as_ref()
        .and_then(|resolve| resolve.nodes.iter().find(|n| n.id == *member_id))
        .and_then(|node| {
            node.deps
                .iter()
                .filter_map(|dep| package(&dep.pkg))
                .find(|p| p.name == dependency)
        })
        .map(|p| p.version.to_string())
        .with_context(|| format!("{member} does not depend on {dependency} in Cargo.lock"))
}

/// wasm-bindgen's command-line tool at exactly the version of the wasm-bindgen crate in Cargo.lock.
pub fn wasm_bindgen(root: &Path) -> Result<()> {
    let version = locked_version(root, "kubefiche-app", "wasm-bindgen")?;
    let current = Command::new("wasm-bindgen").arg("--version").output().ok();
    let current = current
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    if current != format!("wasm-bindgen {version}") {
        say(&format!(
            "installing wasm-bindgen-cli {version} (once, about 3 minutes)…"
        ));
        // Not --locked: a locked dependency of the CLI is not served by the registry here.
        run_checked(Command::new("cargo").args([
            "install",
            "--quiet",
            "wasm-bindgen-cli",
            "--version",
            &version,
        ]))?;
    }
    Ok(())
}

/// The npm packages of the editor, as package-lock.json pins them.
pub fn npm(root: &Path) -> Result<()> {
    if !answers("npm", &["--version"]) {
        bail!(
            "npm is missing: install Node.js 20 or newer with npm (`apt-get install nodejs npm`)"
        );
    }
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules").join(".package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(l), Ok(i)) => i.modified()? >= l.modified()?,
        _ => false,
    };
    if !fresh {
        say("installing the npm packages (editor, terminal, build tools)…");
        run_checked(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(root),
        )?;
    }
    Ok(())
}

/// Chromium and its WebDriver, for the browser tests.
pub fn chromium() -> Result<()> {
    let missing = !answers("chromium", &["--version"]) || !answers("chromedriver", &["--version"]);
    debian(
        &["chromium", "chromium-driver", "fonts-noto-color-emoji"],
        missing,
    )
}
