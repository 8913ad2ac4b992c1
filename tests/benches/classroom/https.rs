//! A small HTTPS client for `kubefiche classroom`: it trusts the bench's own certificate only
//! and speaks to the proxy as its page does (Host, Origin, token, JSON).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use kubefiche_core::wire::TOKEN_HEADER;
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

#[derive(Clone)]
pub struct Https {
    connector: TlsConnector,
    address: SocketAddr,
    host: String,
}

impl Https {
    /// For the proxy at `origin` (`https://127.0.0.1:PORT`) whose certificate is `certificate`.
    pub fn new(origin: &str, certificate: CertificateDer<'static>) -> Result<Self> {
        let host = origin
            .strip_prefix("https://")
            .context("not an https origin")?
            .to_owned();
        let mut roots = RootCertStore::empty();
        roots.add(certificate)?;
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(Self {
            connector: TlsConnector::from(Arc::new(config)),
            address: host.parse()?,
            host,
        })
    }

    /// Send one request on a connection of its own; the answer's status and body stream.
    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&serde_json::Value>,
    ) -> Result<(u16, hyper::body::Incoming)> {
        let tcp = TcpStream::connect(self.address).await?;
        tcp.set_nodelay(true)?;
        let name = rustls::pki_types::ServerName::try_from(self.address.ip().to_string())?;
        let tls = self.connector.connect(name, tcp).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
        tokio::spawn(connection);
        let mut request = http::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
            .header("origin", format!("https://{}", self.host))
            .header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let response = sender
            .send_request(request.body(Full::new(Bytes::from(body)))?)
            .await?;
        Ok((response.status().as_u16(), response.into_body()))
    }

    /// One request, read whole as JSON (`null` for an empty body).
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&serde_json::Value>,
    ) -> Result<(u16, serde_json::Value)> {
        let (status, incoming) = self.send(method, path, token, body).await?;
        let bytes = incoming.collect().await?.to_bytes();
        if bytes.is_empty() {
            return Ok((status, serde_json::Value::Null));
        }
        let json = serde_json::from_slice(&bytes)
            .with_context(|| format!("HTTP {status}: {}", String::from_utf8_lossy(&bytes)))?;
        Ok((status, json))
    }

    /// A command's whole answer as text, which must end with exit code 0.
    pub async fn command(&self, token: &str, line: &str) -> Result<()> {
        let body = serde_json::json!({"line": line, "files": []});
        let (status, incoming) = self
            .send("POST", "/api/command", Some(token), Some(&body))
            .await?;
        let bytes = incoming.collect().await?.to_bytes();
        let text = String::from_utf8_lossy(&bytes);
        if status != 200 || !text.contains("\"code\":0") {
            bail!("{line}: HTTP {status}: {text}");
        }
        Ok(())
    }

    /// The `data:` of each server-sent event of a stream, as they come.
    pub async fn events(
        &self,
        path: &str,
        token: &str,
    ) -> Result<std::pin::Pin<Box<dyn Stream<Item = String> + Send>>> {
        let (status, incoming) = self
            .send("POST", path, Some(token), Some(&serde_json::json!({})))
            .await?;
        if status != 200 {
            bail!("{path}: HTTP {status}");
        }
        let frames = incoming.into_data_stream();
        Ok(Box::pin(futures::stream::unfold(
            (frames, String::new()),
            |(mut frames, mut text)| async move {
                loop {
                    if let Some(end) = text.find("\n\n") {
                        let event: String = text.drain(..end + 2).collect();
                        let data = event
                            .lines()
                            .filter_map(|l| l.strip_prefix("data: "))
                            .collect::<Vec<_>>()
                            .join("\n");
                        if !data.is_empty() {
                            return Some((data, (frames, text)));
                        }
                        continue;
                    }
                    match frames.next().await {
                        Some(Ok(chunk)) => text.push_str(&String::from_utf8_lossy(&chunk)),
                        _ => return None,
                    }
                }
            },
        )))
    }
}
