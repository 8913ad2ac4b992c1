//! Agreement between our validator and the real API server.
//!
//! Every manifest of `tests/corpus/` goes through `validate_workspace` and through the local
//! control plane's API server (a server-side dry-run create, `fieldValidation=Strict`, the YAML
//! sent as is so the server's own YAML reading decides). The test prints the table and fails
//! when a manifest the API server accepts gets an error from us, or when we catch fewer than 95%
//! of the API server's rejections.

use anyhow::{Context, Result};
use kube::client::Body;
use kubefiche_core::Severity;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{Options, validate_workspace};
use kubefiche_tests::cluster::{cluster, namespace, workspace_root};

fn corpus() -> Result<Vec<SourceFile>> {
    let dir = workspace_root().join("tests").join("corpus");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push(SourceFile {
                path: name,
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A top-level `key: value` line of the document (good enough to route the request).
fn top_level(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().trim_matches('"').to_owned())
}

/// The collection URL for the object: `/api/v1/...` or `/apis/<group>/<version>/...`.
fn url(text: &str, ns: &str) -> String {
    let api_version = top_level(text, "apiVersion").unwrap_or_else(|| "v1".into());
    let kind = top_level(text, "kind").unwrap_or_else(|| "ConfigMap".into());
    let plural = format!("{}s", kind.to_ascii_lowercase());
    let base = if api_version.contains('/') {
        format!("/apis/{api_version}")
    } else {
        format!("/api/{api_version}")
    };
    format!("{base}/namespaces/{ns}/{plural}?dryRun=All&fieldValidation=Strict")
}

/// The API server's verdict: `Ok(())` when it accepts, `Err(message)` when it rejects.
async fn server(
    client: &kube::Client,
    ns: &str,
    text: &str,
) -> Result<std::result::Result<(), String>> {
    let req = http::Request::post(url(text, ns))
        .header("Content-Type", "application/yaml")
        .header("Accept", "application/json")
        .body(Body::from(text.as_bytes().to_vec()))?;
    let resp = client.send(req).await?;
    let status = resp.status();
    let bytes = resp.into_body().collect_bytes().await?;
    if status.is_success() {
        return Ok(Ok(()));
    }
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let message = body
        .get("message")
        .and_then(serde_json::Value::as_str)
        .map_or_else(
            || String::from_utf8_lossy(&bytes).into_owned(),
            str::to_owned,
        );
    Ok(Err(format!("{} {message}", status.as_u16())))
}

fn clip(s: &str, n: usize) -> String {
    let one = s.replace('\n', " ");
    if one.chars().count() > n {
        one.chars().take(n).collect::<String>() + "…"
    } else {
        one
    }
}

#[tokio::test]
async fn validator_agrees_with_the_api_server() -> Result<()> {
    let files = corpus()?;
    assert!(
        files.len() >= 150,
        "the corpus has only {} files",
        files.len()
    );
    let client = cluster().await.client().await?;
    let ns = namespace("agreement").await;
    let (mut both_ok, mut caught, mut missed, mut false_pos) = (0, 0, Vec::new(), Vec::new());
    println!("{:<36} {:<7} {:<40} server", "file", "server", "ours");
    for f in &files {
        let ours: Vec<String> = validate_workspace(std::slice::from_ref(f), &Options::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}@{}", d.code, d.span.line))
            .collect();
        let theirs = server(&client, ns.name(), &f.text).await?;
        let verdict = match (&theirs, ours.is_empty()) {
            (Ok(()), true) => {
                both_ok += 1;
                "ok"
            }
            (Err(_), false) => {
                caught += 1;
                "caught"
            }
            (Err(m), true) => {
                missed.push((f.path.clone(), m.clone()));
                "MISSED"
            }
            (Ok(()), false) => {
                false_pos.push((f.path.clone(), ours.join(" ")));
                "FALSE+"
            }
        };
        println!(
            "{:<36} {:<7} {:<40} {}",
            f.path,
            verdict,
            clip(&ours.join(" "), 40),
            theirs.err().map(|m| clip(&m, 140)).unwrap_or_default()
        );
    }
    let rejected = caught + missed.len();
    #[allow(clippy::cast_precision_loss)]
    let rate = if rejected == 0 {
        100.0
    } else {
        caught as f64 * 100.0 / rejected as f64
    };
    println!(
        "\nagreement: {} files; API server accepted {} (we flagged {} of them), rejected {rejected}; we caught {caught} ({rate:.1}%), missed {}",
        files.len(),
        both_ok + false_pos.len(),
        false_pos.len(),
        missed.len()
    );
    for (f, m) in &missed {
        println!("missed: {f}: {}", clip(m, 200));
    }
    for (f, c) in &false_pos {
        println!("false positive: {f}: {c}");
    }
    assert!(
        false_pos.is_empty(),
        "{} manifests accepted by the API server got errors from us",
        false_pos.len()
    );
    assert!(
        rate >= 95.0,
        "we catch only {rate:.1}% of the API server's rejections"
    );
    Ok(())
}
