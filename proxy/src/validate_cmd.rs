//! `kubefiche validate`: the browser's validator on the command line.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kubefiche::config::ValidateArgs;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{self, Options};
use kubefiche_core::{Diagnostic, KUBERNETES_VERSION, KubernetesVersion, Severity};

/// Validate and print; the exit status is 1 when any error was found.
pub fn run(args: &ValidateArgs) -> Result<i32> {
    let mut files = Vec::new();
    for path in &args.paths {
        collect(path, &mut files)?;
    }
    if let Some(version) = &args.kubernetes_version {
        check_version(version)?;
    }
    let diagnostics = validate::validate_workspace(&files, &Options::default());
    let out = if args.format == "json" {
        json(&diagnostics, &args.lang)?
    } else {
        text(&diagnostics, &args.lang)
    };
    print!("{out}");
    Ok(i32::from(
        diagnostics.iter().any(|d| d.severity == Severity::Error),
    ))
}

/// `1.36`, `v1.36` or `1.36.1`; only the version whose schema this build carries is accepted,
/// rather than silently checking against another one.
fn check_version(text: &str) -> Result<()> {
    match KubernetesVersion::parse(text) {
        Some(v) if v == KUBERNETES_VERSION => Ok(()),
        Some(v) => anyhow::bail!(
            "--kubernetes-version {v}: this build validates against Kubernetes {KUBERNETES_VERSION} only; leave the option out or pass {KUBERNETES_VERSION}"
        ),
        None => anyhow::bail!(
            "--kubernetes-version {text:?}: expected a version such as {KUBERNETES_VERSION}"
        ),
    }
}

fn collect(path: &Path, files: &mut Vec<SourceFile>) -> Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read folder {}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            let is_yaml = entry.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if entry.is_dir() || is_yaml {
                collect(&entry, files)?;
            }
        }
        return Ok(());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    files.push(SourceFile {
        path: path.display().to_string(),
        text,
    });
    Ok(())
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn text(diagnostics: &[Diagnostic], lang: &str) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}: {}\n",
                d.file,
                d.span.line,
                d.span.column,
                severity(d.severity),
                d.message.get(lang)
            )
        })
        .collect()
}

fn json(diagnostics: &[Diagnostic], lang: &str) -> Result<String> {
    let list: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file, "line": d.span.line, "column": d.span.column,
                "end_line": d.span.end_line, "end_column": d.span.end_column,
                "severity": severity(d.severity), "code": d.code,
                "message": d.message.get(lang), "path": d.path,
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&list)? + "\n")
}
