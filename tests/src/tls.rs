//! A certificate of the tests' own for `kubefiche classroom` (its PEM files), and what a client
//! needs to trust it: the certificate for rustls, the hash of its key for Chromium.

use std::path::{Path, PathBuf};

use anyhow::Result;
use base64::Engine;
use rcgen::PublicKeyData;

pub struct TestCertificate {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The base64 SHA-256 of its public key (SubjectPublicKeyInfo), as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    pub spki_sha256: String,
}

/// A self-signed certificate for `127.0.0.1`, written into `dir`.
pub fn generate(dir: &Path) -> Result<TestCertificate> {
    std::fs::create_dir_all(dir)?;
    let generated = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])?;
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, generated.cert.pem())?;
    std::fs::write(&key, generated.signing_key.serialize_pem())?;
    let spki = generated.signing_key.subject_public_key_info();
    let digest = ring::digest::digest(&ring::digest::SHA256, &spki);
    Ok(TestCertificate {
        cert,
        key,
        der: generated.cert.der().to_vec(),
        spki_sha256: base64::engine::general_purpose::STANDARD.encode(digest.as_ref()),
    })
}
