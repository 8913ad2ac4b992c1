//! Build the app into `target/site`: the editor bundle, the WebAssembly, the page and its style.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::{run_checked, say, tools};

/// What rustc enables by default for wasm32-unknown-unknown, so wasm-opt keeps it.
const WASM_FEATURES: &[&str] = &[
    "bulk-memory",
    "nontrapping-float-to-int",
    "reference-types",
    "sign-ext",
    "mutable-globals",
    "multivalue",
];

/// The folder the proxy embeds.
pub fn dir(root: &Path) -> PathBuf {
    root.join("target").join("site")
}

pub fn build(root: &Path) -> Result<()> {
    tools::wasm_target()?;
    tools::wasm_bindgen(root)?;
    tools::npm(root)?;
    let site = dir(root);
    fs::create_dir_all(&site)?;

    say("bundling the editor (CodeMirror) and the terminal (xterm.js)…");
    // The terminal is a bundle of its own, loaded by the page when a terminal first opens.
    for (entry, out) in [
        ("src/editor/editor.js", "editor.js"),
        ("src/terminal/terminal.js", "terminal.js"),
    ] {
        bundle(root, entry, &site.join(out))?;
    }

    say("building the app (WebAssembly)…");
    let target_dir = crate::target_dir(root);
    run_checked(
        Command::new("cargo")
            .args([
                "build",
                "--quiet",
                "--package",
                "kubefiche-app",
                "--target",
                "wasm32-unknown-unknown",
                "--profile",
                "wasm-release",
            ])
            .current_dir(root),
    )?;
    let wasm = target_dir.join("wasm32-unknown-unknown/wasm-release/kubefiche-app.wasm");
    run_checked(
        Command::new("wasm-bindgen")
            .arg(&wasm)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "kubefiche_app",
                "--out-dir",
            ])
            .arg(&site),
    )?;
    let bound = site.join("kubefiche_app_bg.wasm");
    // binaryen from npm (pinned in package.json): Debian's is too old for reference types.
    say("shrinking the WebAssembly (wasm-opt)…");
    run_checked(
        Command::new(root.join("node_modules/.bin/wasm-opt"))
            .arg("-Oz")
            .args(WASM_FEATURES.iter().map(|f| format!("--enable-{f}")))
            .arg(&bound)
            .arg("-o")
            .arg(&bound),
    )?;

    for (from, to) in [
        ("public/index.html", "index.html"),
        ("public/boot.js", "boot.js"),
    ] {
        fs::copy(root.join(from), site.join(to)).with_context(|| format!("copying {from}"))?;
    }
    // One style sheet: the app's, then xterm.js's own and the terminal's on top of it.
    let mut css = String::new();
    for from in STYLES {
        let text =
            fs::read_to_string(root.join(from)).with_context(|| format!("reading {from}"))?;
        css.push_str(&text);
        css.push('\n');
    }
    fs::write(site.join("app.css"), css).context("writing app.css")?;
    Ok(())
}

/// The style sheets of the page, in order, joined into `app.css`.
const STYLES: &[&str] = &[
    "style/app.css",
    "style/cluster.css",
    "style/course.css",
    "style/class.css",
    "node_modules/@xterm/xterm/css/xterm.css",
    "style/terminal.css",
];

/// One JavaScript entry point and its npm imports, minified into one script.
fn bundle(root: &Path, entry: &str, out: &Path) -> Result<()> {
    run_checked(
        Command::new(root.join("node_modules/.bin/esbuild"))
            .arg(entry)
            .args([
                "--bundle",
                "--minify",
                "--format=iife",
                "--log-level=warning",
                "--legal-comments=none",
            ])
            .arg(format!("--outfile={}", out.display()))
            .current_dir(root),
    )
}
