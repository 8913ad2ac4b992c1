//! TLS for a class: a certificate chain and key read from PEM files, or a self-signed
//! certificate generated in memory for a lab network, and the acceptor the accept loop uses.
//!
//! A generated certificate is trusted by no browser: learners accept it once, after comparing
//! its SHA-256 fingerprint (printed at start, see [`Tls::fingerprint`]) with what the browser
//! shows. It lives in memory only, so each start makes a new one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::crypto::ring::default_provider;
use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio_rustls::TlsAcceptor;

/// Days a generated certificate stays valid (it is made anew at each start).
pub const SELF_SIGNED_DAYS: i64 = 30;
/// The common name of a generated certificate, as the browser's details show it.
pub const SELF_SIGNED_NAME: &str = "kubefiche classroom";

/// Why TLS cannot be set up; each says which file or name is at fault and what to do.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file cannot be read.
    #[error("cannot read {what} {}: {source}; check the path given to {flag}", path.display())]
    Unreadable {
        what: &'static str,
        flag: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file holds no PEM section of the kind expected, or a broken one.
    #[error("{} is not a PEM {what} ({problem}); {flag} takes a PEM file (\"-----BEGIN {section}-----\")", path.display())]
    NotPem {
        what: &'static str,
        flag: &'static str,
        section: &'static str,
        path: PathBuf,
        problem: String,
    },
    /// The key is not the one of the certificate's public key.
    #[error("the key {} does not match the certificate {}: give the key the certificate was issued for", key.display(), cert.display())]
    KeyMismatch { cert: PathBuf, key: PathBuf },
    /// The key or certificate is well-formed PEM that TLS cannot use.
    #[error("cannot use the certificate {} with the key {}: {reason}", cert.display(), key.display())]
    Unusable {
        cert: PathBuf,
        key: PathBuf,
        reason: rustls::Error,
    },
    /// A name given to `--self-signed` is neither a host name nor an IP address.
    #[error(
        "{0:?} is neither a host name nor an IP address; give --self-signed the names learners type in the address bar (box.lan, 192.168.1.20)"
    )]
    BadName(String),
    /// The certificate cannot be made for these names.
    #[error(
        "cannot make a certificate for {names:?}: {reason}; give host names or IP addresses to --self-signed"
    )]
    Generate {
        names: Vec<String>,
        reason: rcgen::Error,
    },
    /// The generated certificate was refused by TLS itself (a bug, not a setting).
    #[error("the generated certificate cannot be used: {0}")]
    Generated(rustls::Error),
}

/// A generated certificate and its key (DER), and when it expires (Unix seconds).
#[derive(Clone, PartialEq, Eq)]
pub struct Generated {
    pub certificate: Vec<u8>,
    pub key: Vec<u8>,
    pub expires_at: i64,
}

/// What the accept loop needs to speak TLS, and what the person starting it must be told.
#[derive(Clone)]
pub struct Tls {
    acceptor: TlsAcceptor,
    leaf: CertificateDer<'static>,
    generated: bool,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("fingerprint", &self.fingerprint())
            .field("generated", &self.generated)
            .finish_non_exhaustive()
    }
}

impl Tls {
    /// The certificate chain (leaf first) in `cert` and its private key in `key`, both PEM.
    pub fn from_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let cert_pem = read(cert, "the TLS certificate", "--tls-cert")?;
        let key_pem = read(key, "the TLS key", "--tls-key")?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| not_pem(cert, "certificate", &error))?;
        let Some(leaf) = chain.first().cloned() else {
            return Err(not_pem(cert, "certificate", &pem::Error::NoItemsFound));
        };
        let private = PrivateKeyDer::from_pem_slice(&key_pem)
            .map_err(|error| not_pem(key, "private key", &error))?;
        let config = server_config(chain, private).map_err(|reason| match reason {
            rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => {
                TlsError::KeyMismatch {
                    cert: cert.to_owned(),
                    key: key.to_owned(),
                }
            }
            reason => TlsError::Unusable {
                cert: cert.to_owned(),
                key: key.to_owned(),
                reason,
            },
        })?;
        Ok(Self::new(config, leaf, false))
    }

    /// A new self-signed certificate naming `names` (host names or IP addresses), valid from a
    /// day ago (learners' clocks drift) for [`SELF_SIGNED_DAYS`].
    pub fn self_signed(names: &[String]) -> Result<Self, TlsError> {
        Ok(Self::generate(names)?.0)
    }

    /// The same, with its certificate and key (DER), to be kept and served again
    /// ([`Tls::from_generated`]) so that learners are not asked to trust a new one at each start.
    pub fn generate(names: &[String]) -> Result<(Self, Generated), TlsError> {
        check_names(names)?;
        let failed = |reason| TlsError::Generate {
            names: names.to_vec(),
            reason,
        };
        let mut params = rcgen::CertificateParams::new(names.to_vec()).map_err(failed)?;
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(SELF_SIGNED_DAYS);
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, SELF_SIGNED_NAME);
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let key = rcgen::KeyPair::generate().map_err(failed)?;
        let cert = params.self_signed(&key).map_err(failed)?;
        let generated = Generated {
            certificate: cert.der().to_vec(),
            key: key.serialize_der(),
            expires_at: params.not_after.unix_timestamp(),
        };
        Ok((Self::from_generated(&generated)?, generated))
    }

    /// A certificate generated here before.
    pub fn from_generated(generated: &Generated) -> Result<Self, TlsError> {
        let leaf = CertificateDer::from(generated.certificate.clone());
        let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(generated.key.clone()));
        let config = server_config(vec![leaf.clone()], private).map_err(TlsError::Generated)?;
        Ok(Self::new(config, leaf, true))
    }

    fn new(config: ServerConfig, leaf: CertificateDer<'static>, generated: bool) -> Self {
        Self {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            leaf,
            generated,
        }
    }

    /// What the accept loop hands each connection to.
    pub fn acceptor(&self) -> TlsAcceptor {
        self.acceptor.clone()
    }

    /// The certificate the server presents (DER).
    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.leaf
    }

    /// Whether the certificate was generated here (and so is trusted by no browser).
    pub fn is_generated(&self) -> bool {
        self.generated
    }

    /// What is printed at start, one line each: `ready` and the address; for a generated
    /// certificate, its fingerprint and what learners do with it.
    pub fn announce(&self, ready: &str, url: &str) -> Vec<String> {
        let mut lines = vec![format!("{ready}: {url}")];
        if self.generated {
            lines.push(format!(
                "Self-signed certificate, SHA-256 fingerprint: {}",
                self.fingerprint()
            ));
            lines.push(
                "Learners: the browser warns that this certificate is not trusted; open its details and accept it only if its SHA-256 fingerprint is the one above."
                    .to_owned(),
            );
        }
        lines
    }

    /// The SHA-256 fingerprint of the certificate, as browsers show it (`AB:CD:…`).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.leaf)
    }
}

/// Every name can be in a certificate (a host name or an IP address).
pub fn check_names(names: &[String]) -> Result<(), TlsError> {
    match names
        .iter()
        .find(|name| ServerName::try_from(name.as_str()).is_err())
    {
        Some(bad) => Err(TlsError::BadName(bad.clone())),
        None => Ok(()),
    }
}

/// The SHA-256 of `der` in upper-case hex pairs separated by colons.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// TLS 1.2 and 1.3 with the ring provider, one certificate, HTTP/1.1 only (the accept loop
/// speaks HTTP/1; offering h2 would make browsers pick it).
fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<ServerConfig, rustls::Error> {
    let mut config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn read(path: &Path, what: &'static str, flag: &'static str) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Unreadable {
        what,
        flag,
        path: path.to_owned(),
        source,
    })
}

fn not_pem(path: &Path, what: &'static str, error: &pem::Error) -> TlsError {
    let (flag, section) = match what {
        "certificate" => ("--tls-cert", "CERTIFICATE"),
        _ => ("--tls-key", "PRIVATE KEY"),
    };
    let problem = match error {
        pem::Error::NoItemsFound => format!("no {what} in it"),
        error => error.to_string(),
    };
    TlsError::NotPem {
        what,
        flag,
        section,
        path: path.to_owned(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_the_sha256_in_colon_separated_pairs() {
        // SHA-256 of the empty string.
        assert_eq!(
            fingerprint(b""),
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
        );
    }

    #[test]
    fn a_generated_certificate_names_what_it_was_asked_for() {
        let names = vec!["127.0.0.1".to_owned(), "box.lan".to_owned()];
        let tls = Tls::self_signed(&names).expect("generated");
        assert!(tls.is_generated());
        assert_eq!(tls.fingerprint().len(), 32 * 3 - 1);
        let der = tls.certificate().as_ref();
        // The names are in the certificate: the DNS name as text, the IP as its 4 bytes.
        assert!(der.windows(7).any(|w| w == b"box.lan"));
        assert!(der.windows(4).any(|w| w == [127, 0, 0, 1]));
        let other = Tls::self_signed(&names).expect("generated");
        assert_ne!(
            tls.fingerprint(),
            other.fingerprint(),
            "a new key each time"
        );
    }

    #[test]
    fn a_name_that_cannot_be_in_a_certificate_is_refused_with_it() {
        for bad in ["bad name!", "café.lan", "", "-x.lan"] {
            let error =
                Tls::self_signed(&["box.lan".to_owned(), bad.to_owned()]).expect_err("refused");
            assert!(
                matches!(&error, TlsError::BadName(name) if name == bad),
                "{error}"
            );
        }
    }
}
