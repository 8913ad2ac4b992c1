//! The API server's verdict on a manifest (the agreement test records it in the corpus'
//! snapshot), and the corpus with its snapshot, shared with the validator's own tests.

use anyhow::Result;
use kube::client::Body;

#[path = "../../core/tests/support/files.rs"]
mod files;
#[path = "../../core/tests/support/verdicts.rs"]
pub mod snapshot;

pub use files::corpus;

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

/// A server-side dry-run create with strict field validation, the YAML sent as is so that the
/// server's own YAML reading decides: `Ok(())` when it accepts, `Err(status and message)` when
/// it rejects.
pub async fn server_verdict(
    client: &kube::Client,
    ns: &str,
    text: &str,
) -> Result<std::result::Result<(), String>> {
    let request = http::Request::post(url(text, ns))
        .header("Content-Type", "application/yaml")
        .header("Accept", "application/json")
        .body(Body::from(text.as_bytes().to_vec()))?;
    let response = client.send(request).await?;
    let status = response.status();
    let bytes = response.into_body().collect_bytes().await?;
    if status.is_success() {
        return Ok(Ok(()));
    }
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let message = body["message"].as_str().map_or_else(
        || String::from_utf8_lossy(&bytes).into_owned(),
        str::to_owned,
    );
    Ok(Err(format!("{} {message}", status.as_u16())))
}
