//! Fiche 3's manifests as the worksheet gives them (`public/fiches/fiche-3.md`, the copy the app
//! ships), for the tests and benches that apply them.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::cluster::workspace_root;

/// The manifests the fiche asks learners to create, in the order it does.
pub const FILES: [&str; 5] = ["config", "postgres", "cronjob", "mcp-server", "agent"];

pub fn fiche_path() -> PathBuf {
    std::env::var_os("KUBEFICHE_FICHE3").map_or_else(
        || {
            workspace_root()
                .join("public")
                .join("fiches")
                .join("fiche-3.md")
        },
        PathBuf::from,
    )
}

/// The worksheet's text.
pub fn markdown() -> Result<String> {
    std::fs::read_to_string(fiche_path())
        .with_context(|| format!("reading {}", fiche_path().display()))
}

/// The Iris backend the worksheet's learners write themselves (`k8s/server.yaml`).
pub fn server() -> Result<String> {
    Ok(std::fs::read_to_string(
        workspace_root().join("tests/fixtures/fiche-3-server.yaml"),
    )?)
}

/// The first ```yaml block after the line that asks to create `k8s/<name>.yaml`.
pub fn manifest(markdown: &str, name: &str) -> Result<String> {
    let marker = format!("`k8s/{name}.yaml`");
    let mut lines = markdown
        .lines()
        .skip_while(|l| !(l.contains("Créez") && l.contains(&marker)));
    if lines.next().is_none() {
        bail!("the fiche never asks to create k8s/{name}.yaml");
    }
    let mut lines = lines.skip_while(|l| l.trim() != "```yaml");
    lines
        .next()
        .with_context(|| format!("no YAML block after k8s/{name}.yaml"))?;
    let block: Vec<&str> = lines.take_while(|l| l.trim() != "```").collect();
    Ok(block.join("\n") + "\n")
}

/// A manifest without its `nodePort:` lines: the API server picks a free port (node ports are
/// cluster-wide, so namespaces applying the worksheet's 30900 at once would collide).
pub fn without_node_port(manifest: &str) -> String {
    manifest
        .lines()
        .filter(|l| !l.trim_start().starts_with("nodePort:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The whole workspace of a learner who did every part of the worksheet (no fixed node port),
/// as `(path, text)`.
pub fn workspace() -> Result<Vec<(String, String)>> {
    let markdown = markdown()?;
    let mut files = vec![("k8s/server.yaml".to_owned(), server()?)];
    for name in FILES {
        files.push((
            format!("k8s/{name}.yaml"),
            without_node_port(&manifest(&markdown, name)?),
        ));
    }
    Ok(files)
}

/// [`workspace`] as the page sends it to `POST /api/apply` (no dry run).
pub fn apply_body() -> Result<serde_json::Value> {
    let files: Vec<serde_json::Value> = workspace()?
        .into_iter()
        .map(|(path, text)| serde_json::json!({"path": path, "text": text}))
        .collect();
    Ok(serde_json::json!({"files": files, "dry_run": false}))
}
