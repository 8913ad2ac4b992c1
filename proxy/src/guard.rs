//! The gate in front of every request: Host allowlist, launch token, exact Origin, JSON only.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kubefiche_core::wire::TOKEN_HEADER;
use subtle::ConstantTimeEq;

use crate::classroom::Classroom;
use crate::error::ApiError;
use crate::scope::Caller;

/// The address a learner joins a class at (with a join code instead of a token).
pub const JOIN_PATH: &str = "/api/join";

/// What the gate lets through. Built once the listening port is known.
#[derive(Clone)]
pub struct Guard {
    token: Arc<str>,
    hosts: Arc<HashSet<String>>,
    origins: Arc<HashSet<String>>,
    /// In classroom mode, the class whose tokens the gate knows (the instructor's and the
    /// learners').
    classroom: Option<Classroom>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token stays out of every log line.
        f.debug_struct("Guard")
            .field("hosts", &self.hosts)
            .finish_non_exhaustive()
    }
}

impl Guard {
    /// `extra_hosts` are host names (without port) allowed besides the loopback names.
    pub fn new(token: &str, port: u16, extra_hosts: &[String]) -> Self {
        let names = ["127.0.0.1", "localhost", "[::1]"]
            .into_iter()
            .map(str::to_owned)
            .chain(extra_hosts.iter().map(|h| h.to_ascii_lowercase()));
        let hosts: HashSet<String> = names.map(|name| format!("{name}:{port}")).collect();
        let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
        Self {
            token: token.into(),
            hosts: Arc::new(hosts),
            origins: Arc::new(origins),
            classroom: None,
        }
    }

    /// The gate of a class: the tokens are the instructor's and the learners'.
    pub fn with_classroom(mut self, classroom: Classroom) -> Self {
        self.token = classroom.instructor_token().into();
        self.classroom = Some(classroom);
        self
    }

    /// Who `token` speaks for: the local learner (the launch token), or in a class the
    /// instructor or a learner's seat. `address` is the client's, to bound wrong guesses.
    pub fn caller(&self, token: &[u8], address: Option<IpAddr>) -> Result<Caller, ApiError> {
        let Some(classroom) = &self.classroom else {
            return if self.token_matches(token) {
                Ok(Caller::Local)
            } else {
                Err(ApiError::BadToken)
            };
        };
        if let Err(wait) = classroom.may_try(address) {
            return Err(crate::classroom::routes::too_many_attempts(wait));
        }
        classroom.caller(token).ok_or_else(|| {
            classroom.failed(address);
            ApiError::BadToken
        })
    }

    /// Classroom mode, served over TLS: the Hosts are exactly `names` (host names or IP
    /// addresses learners type, as the certificate names them) with the port, and the Origins
    /// their `https://` forms. On port 443 browsers leave the port out of both, so both forms are
    /// allowed there.
    pub fn classroom(token: &str, port: u16, names: &[String]) -> Self {
        let mut hosts = HashSet::new();
        for name in names {
            let name = name.to_ascii_lowercase();
            let name = match name.parse::<std::net::Ipv6Addr>() {
                Ok(_) => format!("[{name}]"),
                Err(_) => name,
            };
            if port == 443 {
                hosts.insert(name.clone());
            }
            hosts.insert(format!("{name}:{port}"));
        }
        let origins = hosts.iter().map(|h| format!("https://{h}")).collect();
        Self {
            token: token.into(),
            hosts: Arc::new(hosts),
            origins: Arc::new(origins),
            classroom: None,
        }
    }

    /// Whether `given` is the launch token, compared in constant time.
    pub fn token_matches(&self, given: &[u8]) -> bool {
        bool::from(given.ct_eq(self.token.as_bytes()))
    }

    /// The exact Origin of the page (browsers send it on POST and on every WebSocket).
    fn check_origin(&self, headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
        let origin = headers
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .unwrap_or("");
        if !self.origins.contains(origin) {
            return Err(ApiError::BadOrigin(origin.to_owned()));
        }
        Ok(())
    }

    /// Let the request through (with whom it speaks for, on `/api/`), or say why not.
    fn check(&self, request: &Request) -> Result<Option<Caller>, ApiError> {
        let headers = request.headers();
        // One Host, allowed; and a target in absolute form (`GET http://host/…`) names an
        // allowed host too: some servers and proxies on the way believe it over the header.
        let given: Vec<&str> = headers
            .get_all(header::HOST)
            .iter()
            .map(|h| h.to_str().unwrap_or("?"))
            .collect();
        let host = given.first().copied().unwrap_or("");
        if given.len() > 1 {
            return Err(ApiError::BadHost(given.join(", ")));
        }
        if !self.hosts.contains(&host.to_ascii_lowercase()) {
            return Err(ApiError::BadHost(host.to_owned()));
        }
        if let Some(authority) = request.uri().authority()
            && !self
                .hosts
                .contains(&authority.as_str().to_ascii_lowercase())
        {
            return Err(ApiError::BadHost(authority.as_str().to_owned()));
        }
        let path = request.uri().path();
        if !path.starts_with("/api/") {
            return Ok(None);
        }
        if path == crate::terminal::PATH && request.method() == Method::GET {
            // A browser cannot put a header on a WebSocket: the exact Origin is demanded here,
            // before the upgrade, and the token arrives in the socket's first message.
            return self.check_origin(headers).map(|()| None);
        }
        // Joining a class is the one operation without a token: it carries the join code.
        let caller = if self.classroom.is_some() && path == JOIN_PATH {
            None
        } else {
            let given = headers
                .get(TOKEN_HEADER)
                .map(|v| v.as_bytes())
                .unwrap_or(b"");
            let address = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip());
            Some(self.caller(given, address)?)
        };
        if request.method() == Method::GET || request.method() == Method::HEAD {
            return Ok(caller);
        }
        // Browsers always send Origin on POST, even to the same origin: demand the exact one.
        self.check_origin(headers)?;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|c| c.to_str().ok())
            .unwrap_or("");
        if !content_type.starts_with("application/json") {
            return Err(ApiError::BadBody(crate::error::json_content_type()));
        }
        Ok(caller)
    }
}

/// Middleware: refuse with the reason, or pass the request on.
pub async fn gate(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    match guard.check(&request) {
        Ok(caller) => {
            if let Some(caller) = caller {
                request.extensions_mut().insert(caller);
            }
            next.run(request).await
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// A fresh random token of 256 bits, hex encoded.
pub fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(method: Method, path: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn token_is_long_and_random() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn refuses_foreign_host_even_for_assets() {
        let guard = Guard::new("t", 9000, &[]);
        let r = request(Method::GET, "/", &[("host", "evil.example:9000")]);
        assert!(matches!(guard.check(&r), Err(ApiError::BadHost(_))));
        let ok = request(Method::GET, "/", &[("host", "localhost:9000")]);
        assert!(guard.check(&ok).is_ok());
        let wrong_port = request(Method::GET, "/", &[("host", "localhost:9001")]);
        assert!(guard.check(&wrong_port).is_err());
    }

    #[test]
    fn api_needs_token_and_exact_origin() {
        let guard = Guard::new("secret", 9000, &["box.lan".into()]);
        let host = ("host", "127.0.0.1:9000");
        let no_token = request(Method::GET, "/api/session", &[host]);
        assert!(matches!(guard.check(&no_token), Err(ApiError::BadToken)));
        let get = request(
            Method::GET,
            "/api/session",
            &[host, (TOKEN_HEADER, "secret")],
        );
        assert!(guard.check(&get).is_ok());
        let json = ("content-type", "application/json");
        let tok = (TOKEN_HEADER, "secret");
        let foreign = request(
            Method::POST,
            "/api/apply",
            &[host, tok, json, ("origin", "http://127.0.0.1:9001")],
        );
        assert!(matches!(guard.check(&foreign), Err(ApiError::BadOrigin(_))));
        let none = request(Method::POST, "/api/apply", &[host, tok, json]);
        assert!(matches!(guard.check(&none), Err(ApiError::BadOrigin(_))));
        let form = request(
            Method::POST,
            "/api/apply",
            &[
                host,
                tok,
                ("origin", "http://127.0.0.1:9000"),
                ("content-type", "text/plain"),
            ],
        );
        assert!(matches!(guard.check(&form), Err(ApiError::BadBody(_))));
        let good = request(
            Method::POST,
            "/api/apply",
            &[
                ("host", "box.lan:9000"),
                tok,
                json,
                ("origin", "http://box.lan:9000"),
            ],
        );
        assert!(guard.check(&good).is_ok());
    }

    #[test]
    fn the_terminal_socket_needs_the_exact_origin_and_leaves_the_token_to_its_hello() {
        let guard = Guard::new("secret", 9000, &[]);
        let host = ("host", "127.0.0.1:9000");
        let page = request(
            Method::GET,
            "/api/terminal",
            &[host, ("origin", "http://127.0.0.1:9000")],
        );
        assert!(guard.check(&page).is_ok());
        let none = request(Method::GET, "/api/terminal", &[host]);
        assert!(matches!(guard.check(&none), Err(ApiError::BadOrigin(_))));
        let foreign = request(
            Method::GET,
            "/api/terminal",
            &[host, ("origin", "http://evil.example")],
        );
        assert!(matches!(guard.check(&foreign), Err(ApiError::BadOrigin(_))));
        let other_host = request(
            Method::GET,
            "/api/terminal",
            &[
                ("host", "evil.example:9000"),
                ("origin", "http://evil.example:9000"),
            ],
        );
        assert!(matches!(
            guard.check(&other_host),
            Err(ApiError::BadHost(_))
        ));
        // Only the socket's GET: any other method on the path keeps the token rule.
        let post = request(
            Method::POST,
            "/api/terminal",
            &[host, ("origin", "http://127.0.0.1:9000")],
        );
        assert!(matches!(guard.check(&post), Err(ApiError::BadToken)));
        assert!(guard.token_matches(b"secret"));
        assert!(!guard.token_matches(b"secre"));
    }

    #[test]
    fn a_class_is_reached_by_its_names_over_https_only() {
        let names = [
            "Box.lan".to_owned(),
            "192.168.1.20".to_owned(),
            "fd00::7".to_owned(),
        ];
        let guard = Guard::classroom("secret", 8443, &names);
        let tok = (TOKEN_HEADER, "secret");
        let json = ("content-type", "application/json");
        for (host, origin) in [
            ("box.lan:8443", "https://box.lan:8443"),
            ("192.168.1.20:8443", "https://192.168.1.20:8443"),
            ("[fd00::7]:8443", "https://[fd00::7]:8443"),
        ] {
            let post = request(
                Method::POST,
                "/api/apply",
                &[("host", host), tok, json, ("origin", origin)],
            );
            assert!(guard.check(&post).is_ok(), "{host}");
            let plain = request(
                Method::POST,
                "/api/apply",
                &[
                    ("host", host),
                    tok,
                    json,
                    ("origin", &origin.replace("https", "http")),
                ],
            );
            assert!(
                matches!(guard.check(&plain), Err(ApiError::BadOrigin(_))),
                "{host}"
            );
        }
        // Loopback is not implied: only the names given.
        let loopback = request(Method::GET, "/", &[("host", "127.0.0.1:8443")]);
        assert!(matches!(guard.check(&loopback), Err(ApiError::BadHost(_))));
        let portless = request(Method::GET, "/", &[("host", "box.lan")]);
        assert!(matches!(guard.check(&portless), Err(ApiError::BadHost(_))));
        let socket = request(
            Method::GET,
            "/api/terminal",
            &[("host", "box.lan:8443"), ("origin", "https://box.lan:8443")],
        );
        assert!(guard.check(&socket).is_ok());
    }

    #[test]
    fn on_port_443_the_browser_leaves_the_port_out() {
        let guard = Guard::classroom("secret", 443, &["box.lan".to_owned()]);
        for (host, origin) in [
            ("box.lan", "https://box.lan"),
            ("box.lan:443", "https://box.lan:443"),
        ] {
            let post = request(
                Method::POST,
                "/api/apply",
                &[
                    ("host", host),
                    (TOKEN_HEADER, "secret"),
                    ("content-type", "application/json"),
                    ("origin", origin),
                ],
            );
            assert!(guard.check(&post).is_ok(), "{host}");
        }
    }

    #[test]
    fn debug_output_hides_the_token() {
        let guard = Guard::new("do-not-print", 1, &[]);
        assert!(!format!("{guard:?}").contains("do-not-print"));
    }
}
