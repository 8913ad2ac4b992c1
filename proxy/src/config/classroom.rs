//! `kubefiche classroom`: the settings of `serve`, and how a class is served over TLS.

use std::path::PathBuf;

use clap::Args;

use super::{Config, ConfigError, DEFAULT_HOME_NAMESPACE};
use crate::classroom::DEFAULT_JOIN_MINUTES;

/// `kubefiche classroom`: the settings of `serve`, and how the class is served over TLS.
#[derive(Debug, Clone, Args)]
pub struct ClassroomConfig {
    #[command(flatten)]
    pub serve: Config,
    // Serving a class over TLS.
    /// PEM file of the certificate chain to serve (leaf first); needs --tls-key.
    #[arg(long, env = "KUBEFICHE_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM file of the private key of --tls-cert; needs --tls-cert.
    #[arg(long, env = "KUBEFICHE_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// A host name or IP address learners type, for the certificate generated at start
    /// (repeatable); by default the listening address and localhost.
    #[arg(
        long = "self-signed",
        value_name = "NAME",
        env = "KUBEFICHE_SELF_SIGNED",
        value_delimiter = ',',
        conflicts_with = "tls_cert"
    )]
    pub self_signed: Vec<String>,
    /// Namespace where the class's state lives.
    #[arg(long, env = "KUBEFICHE_HOME_NAMESPACE", default_value = DEFAULT_HOME_NAMESPACE)]
    pub home_namespace: String,
    /// Minutes a join link works (a class that ends sooner takes it with it).
    #[arg(long, env = "KUBEFICHE_JOIN_MINUTES", default_value_t = DEFAULT_JOIN_MINUTES)]
    pub join_minutes: u64,
}

/// Where the certificate of a class comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateSource {
    /// PEM files given (`--tls-cert`, `--tls-key`).
    Files { cert: PathBuf, key: PathBuf },
    /// Generated at start, naming these host names or IP addresses.
    SelfSigned(Vec<String>),
}

/// How a class is reached: its certificate, and the names learners may type (the first one is
/// the address printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassroomTls {
    pub source: CertificateSource,
    pub hosts: Vec<String>,
}

impl ClassroomConfig {
    /// The certificate to serve and the host names allowed: the certificate's names (those of
    /// `--self-signed`, else the address and localhost; for given files, the address), then
    /// those of `--allow-host`.
    pub fn tls(&self) -> Result<ClassroomTls, ConfigError> {
        let address = self.serve.address;
        let named = (!address.is_unspecified()).then(|| address.to_string());
        let (source, mut names) = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => (
                CertificateSource::Files {
                    cert: cert.clone(),
                    key: key.clone(),
                },
                named.into_iter().collect(),
            ),
            _ => {
                let names = if !self.self_signed.is_empty() {
                    self.self_signed.clone()
                } else if let Some(address) = named {
                    vec![address, "localhost".to_owned()]
                } else {
                    return Err(ConfigError::UnnamedCertificate(address));
                };
                (CertificateSource::SelfSigned(names.clone()), names)
            }
        };
        names.extend(self.serve.allow_hosts.iter().cloned());
        let mut hosts: Vec<String> = Vec::new();
        for name in names {
            let name = name.trim().to_ascii_lowercase();
            if !name.is_empty() && !hosts.contains(&name) {
                hosts.push(name);
            }
        }
        if hosts.is_empty() {
            return Err(ConfigError::UnnamedHosts(address));
        }
        Ok(ClassroomTls { source, hosts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Cli, Command};
    use clap::Parser;

    fn classroom(args: &[&str]) -> Result<ClassroomConfig, clap::Error> {
        let cli = Cli::try_parse_from(["kubefiche", "classroom"].iter().chain(args))?;
        match cli.command {
            Some(Command::Classroom(config)) => Ok(config),
            other => panic!("not classroom: {other:?}"),
        }
    }

    #[test]
    fn tls_files_come_both_or_neither() {
        let error = classroom(&["--tls-cert", "c.pem"]).expect_err("cert alone");
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        assert!(error.to_string().contains("--tls-key"), "{error}");
        let error = classroom(&["--tls-key", "k.pem"]).expect_err("key alone");
        assert!(error.to_string().contains("--tls-cert"), "{error}");
        let both = classroom(&["--tls-cert", "c.pem", "--tls-key", "k.pem"]).expect("both");
        let tls = both.tls().expect("tls");
        assert_eq!(
            tls.source,
            CertificateSource::Files {
                cert: "c.pem".into(),
                key: "k.pem".into()
            }
        );
        assert_eq!(tls.hosts, ["127.0.0.1"]);
        // A certificate given and one to generate: one or the other.
        let error = classroom(&[
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
            "--self-signed",
            "box.lan",
        ])
        .expect_err("both kinds");
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn without_a_certificate_one_is_generated_for_the_names_given_or_the_address() {
        let default = classroom(&[]).expect("defaults").tls().expect("tls");
        assert_eq!(
            default.source,
            CertificateSource::SelfSigned(vec!["127.0.0.1".into(), "localhost".into()])
        );
        assert_eq!(default.hosts, ["127.0.0.1", "localhost"]);
        let lan = classroom(&["--address", "192.168.1.20"]).expect("lan");
        assert_eq!(lan.tls().expect("tls").hosts, ["192.168.1.20", "localhost"]);
        let named = classroom(&[
            "--address",
            "0.0.0.0",
            "--self-signed",
            "Box.lan",
            "--self-signed",
            "192.168.1.20",
            "--allow-host",
            "box.lan,class.example",
        ])
        .expect("named");
        let tls = named.tls().expect("tls");
        assert_eq!(
            tls.source,
            CertificateSource::SelfSigned(vec!["Box.lan".into(), "192.168.1.20".into()])
        );
        assert_eq!(tls.hosts, ["box.lan", "192.168.1.20", "class.example"]);
        assert_eq!(named.home_namespace, DEFAULT_HOME_NAMESPACE);
    }

    #[test]
    fn every_interface_needs_names() {
        let any = classroom(&["--address", "0.0.0.0"]).expect("parsed");
        assert!(matches!(any.tls(), Err(ConfigError::UnnamedCertificate(_))));
        let files =
            classroom(&["--address", "::", "--tls-cert", "c", "--tls-key", "k"]).expect("parsed");
        let error = files.tls().expect_err("no name");
        assert!(error.to_string().contains("--allow-host"), "{error}");
        let named = classroom(&[
            "--address",
            "::",
            "--tls-cert",
            "c",
            "--tls-key",
            "k",
            "--allow-host",
            "box.lan",
        ])
        .expect("parsed");
        assert_eq!(named.tls().expect("tls").hosts, ["box.lan"]);
    }
}
