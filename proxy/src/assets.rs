//! The built app, embedded in the binary (read from disk in debug builds).

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../target/site"]
struct Site;

/// Content-Security-Policy of the page: only our own scripts (and WebAssembly), no framing.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>kubefiche</title><p>The app is not built into this binary. Run <code>cargo xtask run</code>.</p><p>L'application n'est pas intégrée à ce binaire. Lancez <code>cargo xtask run</code>.</p>";

/// Serve a file of the app; any other path gets the page itself (the app routes on its own).
pub async fn serve(uri: Uri, request_headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    let found = match Site::get(path).filter(|_| !path.is_empty()) {
        Some(file) => Some((path, file)),
        None => Site::get("index.html").map(|file| ("index.html", file)),
    };
    let tag = found
        .as_ref()
        .map(|(_, file)| entity_tag(&file.metadata.sha256_hash()));
    let (status, name, body) = match found {
        // The browser's copy is current: it keeps it (and its compiled WebAssembly).
        Some((name, _)) if tag.as_deref().is_some_and(|t| matches(&request_headers, t)) => {
            (StatusCode::NOT_MODIFIED, name, Vec::new())
        }
        Some((name, file)) => (StatusCode::OK, name, file.data.into_owned()),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            NOT_BUILT.as_bytes().to_vec(),
        ),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(mime_for(name)),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // The page carries the launch token in its address: never cache it; hashed assets may be.
    let cache = if name == "index.html" {
        "no-store"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(tag) = tag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert(header::ETAG, tag);
    }
    response
}

/// A strong entity tag from the file's content hash.
fn entity_tag(hash: &[u8; 32]) -> String {
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names `tag` (or `*`).
fn matches(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*")
}

fn mime_for(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("md") => "text/markdown; charset=utf-8",
        Some("yaml") => "text/yaml; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
