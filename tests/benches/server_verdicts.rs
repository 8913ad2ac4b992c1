//! Records the API server's verdict on every manifest of `tests/corpus/` (a server-side dry-run
//! create with `fieldValidation=Strict`, the YAML sent as is — as in `tests/tests/agreement.rs`),
//! one line per file: `file<TAB>ok` or `file<TAB>rejected<TAB>message`, into the file named by
//! `KUBEFICHE_SERVER_VERDICTS`. `cargo xtask bench` then compares ours and kubeconform with it.

use anyhow::{Context, Result};
use kube::client::Body;
use kubefiche_tests::cluster::{cluster, namespace, workspace_root};
use std::fmt::Write as _;

fn field(text: &str, key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    text.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .map(|v| v.trim().trim_matches('"').to_owned())
}

/// `None` when the server accepts, else its status and message.
async fn verdict(client: &kube::Client, ns: &str, text: &str) -> Result<Option<String>> {
    let api_version = field(text, "apiVersion").unwrap_or_else(|| "v1".into());
    let kind = field(text, "kind").unwrap_or_else(|| "ConfigMap".into());
    let prefix = if api_version.contains('/') {
        "apis"
    } else {
        "api"
    };
    let path = format!(
        "/{prefix}/{api_version}/namespaces/{ns}/{}s?dryRun=All&fieldValidation=Strict",
        kind.to_ascii_lowercase()
    );
    let request = http::Request::post(path)
        .header("Content-Type", "application/yaml")
        .header("Accept", "application/json")
        .body(Body::from(text.as_bytes().to_vec()))?;
    let response = client.send(request).await?;
    let status = response.status();
    let bytes = response.into_body().collect_bytes().await?;
    if status.is_success() {
        return Ok(None);
    }
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let message = body["message"].as_str().map_or_else(
        || String::from_utf8_lossy(&bytes).into_owned(),
        str::to_owned,
    );
    Ok(Some(format!(
        "{} {}",
        status.as_u16(),
        message.replace(['\n', '\t'], " ")
    )))
}

#[tokio::main]
async fn main() -> Result<()> {
    let out = std::env::var_os("KUBEFICHE_SERVER_VERDICTS")
        .context("set KUBEFICHE_SERVER_VERDICTS to the output file")?;
    let dir = workspace_root().join("tests").join("corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    let client = cluster().await.client().await?;
    let ns = namespace("bench-verdicts").await;
    let (mut lines, mut rejected) = (String::new(), 0);
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name))?;
        match verdict(&client, ns.name(), &text).await? {
            None => writeln!(lines, "{name}\tok")?,
            Some(message) => {
                rejected += 1;
                writeln!(lines, "{name}\trejected\t{message}")?;
            }
        }
    }
    std::fs::write(&out, lines)?;
    eprintln!(
        "· the API server rejects {rejected} of {} corpus files",
        names.len()
    );
    Ok(())
}
