//! The API server's verdict on a mutant: every object of its files, in order, through a
//! server-side dry-run create with strict field validation, then a real create (allocators such
//! as node ports only refuse there), the YAML sent as is so the server's own YAML reading
//! decides. The objects created are deleted afterwards.

use anyhow::{Context, Result};
use kube::client::Body;
use kubefiche_core::yaml::{Limits, parse_documents};
use serde_json::Value;

use super::File;
use super::seeds::top_level;

/// What the API server said about a mutant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVerdict {
    pub refused: bool,
    /// The refusal (`422 …`), the namespace's name replaced by `NAMESPACE`; empty when accepted.
    pub message: String,
    /// The refused object: its file and the 1-based line where its document starts.
    pub at: Option<(String, u32)>,
    /// The field path the API server named, when it named one.
    pub field: Option<String>,
}

impl ServerVerdict {
    fn accepted() -> Self {
        Self {
            refused: false,
            message: String::new(),
            at: None,
            field: None,
        }
    }
}

/// One document of a file to send.
#[derive(Debug, Clone)]
pub struct Doc {
    pub file: String,
    /// 1-based line of its first line in the file.
    pub line: u32,
    pub text: String,
}

/// The objects of the files, in order (documents with only comments left out).
pub fn docs(files: &[File]) -> Vec<Doc> {
    let mut out = Vec::new();
    for f in files {
        let mut start = 1u32;
        let mut text = String::new();
        let mut push = |start: u32, text: &mut String| {
            let meaningful = text
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            if meaningful {
                out.push(Doc {
                    file: f.path.clone(),
                    line: start,
                    text: std::mem::take(text),
                });
            }
            text.clear();
        };
        for (i, line) in f.text.lines().enumerate() {
            if line == "---" || line.starts_with("--- ") {
                push(start, &mut text);
                start = i as u32 + 2;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        }
        push(start, &mut text);
    }
    out
}

/// The plural resource of a kind (every kind of the worksheet takes an `s`).
fn plural(kind: &str) -> String {
    format!("{}s", kind.to_ascii_lowercase())
}

/// The value of a `key:` line at any indentation.
fn any_level(text: &str, key: &str) -> Option<String> {
    let trimmed: String = text
        .lines()
        .map(|l| l.trim_start().to_owned() + "\n")
        .collect();
    top_level(&trimmed, key)
}

/// The collection URL of the document's object in `ns`, from its `apiVersion` and `kind`;
/// `None` when the document reads as YAML and one of them is not at its top level (kubectl
/// refuses such a file before sending it). A document that does not read is routed by its
/// `apiVersion:` and `kind:` lines wherever they are, so that the API server's own YAML reading
/// judges it.
pub fn collection(text: &str, ns: &str) -> Option<String> {
    let reads = parse_documents(text, &Limits::default()).is_ok();
    let find =
        |key| top_level(text, key).or_else(|| if reads { None } else { any_level(text, key) });
    let api_version = find("apiVersion").filter(|v| !v.is_empty())?;
    let kind = find("kind").filter(|v| !v.is_empty())?;
    let base = if api_version.contains('/') {
        format!("/apis/{api_version}")
    } else {
        format!("/api/{api_version}")
    };
    Some(format!("{base}/namespaces/{ns}/{}", plural(&kind)))
}

/// The response of one request: status and JSON body.
async fn send(client: &kube::Client, request: http::Request<Body>) -> Result<(u16, Value)> {
    let response = client
        .send(request)
        .await
        .context("sending a request to the API server")?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect_bytes().await?;
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Ok((status, body))
}

async fn post(client: &kube::Client, url: &str, text: &str) -> Result<(u16, Value)> {
    let request = http::Request::post(url)
        .header("Content-Type", "application/yaml")
        .header("Accept", "application/json")
        .body(Body::from(text.as_bytes().to_vec()))?;
    send(client, request).await
}

/// The field path a refusal names: the first cause's field, or the field of a strict decoding
/// error (`unknown field "spec.foo"`, `duplicate field "…"`).
pub fn field_of(body: &Value) -> Option<String> {
    let causes = body["details"]["causes"].as_array();
    if let Some(field) = causes
        .into_iter()
        .flatten()
        .find_map(|c| c["field"].as_str().filter(|f| !f.is_empty()))
    {
        return Some(field.to_owned());
    }
    let message = body["message"].as_str()?;
    for marker in ["unknown field \"", "duplicate field \""] {
        if let Some(rest) = message.split(marker).nth(1) {
            return rest.split('"').next().map(str::to_owned);
        }
    }
    None
}

fn refusal(doc: &Doc, ns: &str, status: u16, body: &Value) -> ServerVerdict {
    let message = body["message"]
        .as_str()
        .map_or_else(|| body.to_string(), str::to_owned);
    ServerVerdict {
        refused: true,
        message: format!("{status} {}", message.replace(ns, "NAMESPACE")),
        at: Some((doc.file.clone(), doc.line)),
        field: field_of(body),
    }
}

/// A cause that says only that a node port is in use elsewhere in the shared cluster: a fact
/// about the cluster, not about the manifest.
fn taken_node_port(cause: &Value) -> bool {
    cause["message"]
        .as_str()
        .is_some_and(|m| m.contains("provided port is already allocated"))
        && cause["field"]
            .as_str()
            .is_some_and(|f| f.ends_with("nodePort"))
}

/// The refusal's causes other than node ports taken elsewhere; `None` when the API server named
/// causes and every one was such a node port (then the manifest itself is accepted).
fn real_causes(body: &Value) -> Option<Value> {
    let Some(causes) = body["details"]["causes"].as_array() else {
        return Some(body.clone());
    };
    let kept: Vec<Value> = causes
        .iter()
        .filter(|c| !taken_node_port(c))
        .cloned()
        .collect();
    if kept.is_empty() && !causes.is_empty() {
        return None;
    }
    let mut body = body.clone();
    body["details"]["causes"] = Value::Array(kept);
    Some(body)
}

/// Asks the API server about `files` in namespace `ns`; returns its verdict and the URLs of the
/// objects it created (to delete).
pub async fn verdict(
    client: &kube::Client,
    ns: &str,
    files: &[File],
) -> Result<(ServerVerdict, Vec<String>)> {
    let docs = docs(files);
    let mut routed = Vec::new();
    for doc in &docs {
        let Some(url) = collection(&doc.text, ns) else {
            let verdict = ServerVerdict {
                refused: true,
                message: "apiVersion or kind not set: kubectl refuses the file before sending it"
                    .to_owned(),
                at: Some((doc.file.clone(), doc.line)),
                field: None,
            };
            return Ok((verdict, Vec::new()));
        };
        routed.push((doc, url));
    }
    for (doc, url) in &routed {
        let (status, body) = post(
            client,
            &format!("{url}?dryRun=All&fieldValidation=Strict"),
            &doc.text,
        )
        .await?;
        if !(200..300).contains(&status)
            && let Some(body) = real_causes(&body)
        {
            return Ok((refusal(doc, ns, status, &body), Vec::new()));
        }
    }
    let mut created = Vec::new();
    for (doc, url) in &routed {
        let (status, body) =
            post(client, &format!("{url}?fieldValidation=Strict"), &doc.text).await?;
        if !(200..300).contains(&status) {
            match real_causes(&body) {
                Some(body) => return Ok((refusal(doc, ns, status, &body), created)),
                None => continue,
            }
        }
        if let Some(name) = body["metadata"]["name"].as_str() {
            created.push(format!("{url}/{name}"));
        }
    }
    Ok((ServerVerdict::accepted(), created))
}

/// Deletes objects at once (no grace period, dependents in the background).
pub async fn delete(client: &kube::Client, urls: &[String]) -> Result<()> {
    for url in urls {
        let request = http::Request::delete(format!(
            "{url}?gracePeriodSeconds=0&propagationPolicy=Background"
        ))
        .header("Accept", "application/json")
        .body(Body::empty())?;
        send(client, request).await?;
    }
    Ok(())
}

/// Waits until every object is gone (a claim's protection finalizer takes a moment).
pub async fn gone(client: &kube::Client, urls: &[String]) -> Result<bool> {
    for url in urls {
        let mut tries = 0;
        loop {
            let request = http::Request::get(url.as_str())
                .header("Accept", "application/json")
                .body(Body::empty())?;
            let (status, _) = send(client, request).await?;
            if status == 404 {
                break;
            }
            tries += 1;
            if tries > 300 {
                return Ok(false);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::collection;

    #[test]
    fn a_document_is_routed_by_its_top_level_kind() {
        let ok = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
        assert_eq!(
            collection(ok, "ns").as_deref(),
            Some("/apis/apps/v1/namespaces/ns/deployments")
        );
        // kubectl refuses a document whose kind is not at the top level…
        let nested = "apiVersion: v1\ndata:\n  kind: ConfigMap\nmetadata:\n  name: c\n";
        assert_eq!(collection(nested, "ns"), None);
        // …but one that does not read goes to the API server, whose YAML reading decides.
        let broken = "apiVersion: v1\n    kind: Service\nmetadata:\n  name: s\n";
        assert_eq!(
            collection(broken, "ns").as_deref(),
            Some("/api/v1/namespaces/ns/services")
        );
    }
}
