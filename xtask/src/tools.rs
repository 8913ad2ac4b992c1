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

/// The version of a package recorded in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .with_context(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    let end = lock[start..].find('"').context("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}

/// wasm-bindgen's command-line tool at exactly the version of the wasm-bindgen crate in Cargo.lock.
pub fn wasm_bindgen(root: &Path) -> Result<()> {
    let version = locked_version(root, "wasm-bindgen")?;
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
        say("installing the editor's npm packages…");
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
