//! Settings, read once from the command line and the environment.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::bounds::Bounds;
use crate::kubectl::{DEFAULT_KUBECTL, Kubectl, Limits};
use kubefiche_core::policy;

use crate::sandbox::{self, PodSecurity};
use crate::serve::Connections;

mod classroom;

pub use classroom::{CertificateSource, ClassroomConfig, ClassroomTls};

pub const DEFAULT_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
pub const DEFAULT_PORT: u16 = 8417;
/// Largest request body accepted (the whole workspace travels in one apply).
pub const DEFAULT_MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Commands (`/api/command`) running at the same time, for the whole proxy.
pub const DEFAULT_MAX_COMMANDS: usize = 8;
/// Output of one command (stdout and stderr together) beyond which kubectl is stopped.
pub const DEFAULT_COMMAND_OUTPUT_BYTES: usize = 1024 * 1024;
/// Seconds a command that should end by itself may run.
pub const DEFAULT_COMMAND_SECONDS: u64 = 30;
/// Seconds a streaming command (`--watch`, `logs --follow`) may run.
pub const DEFAULT_STREAM_SECONDS: u64 = 3600;
// Pod Security, Services and workload sizes: what applied objects may ask of the cluster.
/// The Pod Security level pods must meet.
pub const DEFAULT_POD_SECURITY: PodSecurity = policy::DEFAULT_POD_SECURITY;
/// Whether Services may list `spec.externalIPs`.
pub const DEFAULT_ALLOW_EXTERNAL_IPS: bool = policy::DEFAULT_ALLOW_EXTERNAL_IPS;
/// Most pods one workload may ask for (`replicas`; a Job's `parallelism`, `completions`).
pub const DEFAULT_MAX_REPLICAS: u32 = policy::DEFAULT_MAX_REPLICAS;

// What one request and one connection may cost.
/// Most objects one apply may hold (the whole workspace travels in it).
pub const DEFAULT_MAX_OBJECTS: usize = 500;
/// Validations running at once on the blocking pool; 0 means one per core.
pub const DEFAULT_MAX_VALIDATIONS: usize = 0;
/// Seconds for a whole request body to arrive.
pub const DEFAULT_BODY_SECONDS: u64 = 30;
/// Seconds for a request's headers to arrive (an idle kept-alive connection is closed after as
/// long).
pub const DEFAULT_HEADER_SECONDS: u64 = 10;
/// Connections open at once; more wait to be accepted. Each open tab holds one for its events.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
// Serving a class over TLS (`kubefiche classroom`).
/// The namespace where the class's state lives (the Secret `kubefiche-class`).
pub const DEFAULT_HOME_NAMESPACE: &str = "kubefiche";
/// The field manager named in server-side apply, as `kubectl get -o yaml --show-managed-fields` shows it.
pub const FIELD_MANAGER: &str = "kubefiche";

#[derive(Debug, Parser)]
#[command(
    name = "kubefiche",
    version,
    about = "A browser playground for Kubernetes worksheets."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the playground (the default).
    Serve(Config),
    /// Validate manifest files or folders (all together, as one workspace).
    Validate(ValidateArgs),
    /// Serve a whole class, over TLS, on any address (loopback included).
    Classroom(ClassroomConfig),
    /// Exit 0 when the cluster of the chosen kubeconfig context answers within 5 seconds.
    Probe(Config),
}

#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub format: String,
    /// Kubernetes version to validate against; only the one this build carries is accepted.
    #[arg(long)]
    pub kubernetes_version: Option<String>,
    /// Message language (`en` or `fr`).
    #[arg(long, env = "KUBEFICHE_LANG", default_value = "en")]
    pub lang: String,
    /// Files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on. Only loopback addresses are accepted, except by `classroom` (TLS).
    #[arg(long, env = "KUBEFICHE_ADDRESS", default_value_t = DEFAULT_ADDRESS)]
    pub address: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, env = "KUBEFICHE_PORT", default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Kubeconfig file; by default the same as kubectl (KUBECONFIG, then ~/.kube/config).
    #[arg(long, env = "KUBEFICHE_KUBECONFIG")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context; by default the current one.
    #[arg(long, env = "KUBEFICHE_CONTEXT")]
    pub context: Option<String>,
    /// Namespace every object goes to; by default the context's namespace, else `default`.
    #[arg(long, env = "KUBEFICHE_NAMESPACE")]
    pub namespace: Option<String>,
    /// The access token the page must present; by default a fresh random one per launch.
    /// Prefer the environment variable: command lines are visible to other local users.
    #[arg(long, env = "KUBEFICHE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Extra host names the browser may use to reach the proxy (besides 127.0.0.1, localhost, [::1]).
    #[arg(
        long = "allow-host",
        env = "KUBEFICHE_ALLOW_HOSTS",
        value_delimiter = ','
    )]
    pub allow_hosts: Vec<String>,
    /// The kubectl program that runs the learner's commands; by default `kubectl` on PATH.
    #[arg(long, env = "KUBEFICHE_KUBECTL")]
    pub kubectl: Option<PathBuf>,
    /// Commands running at the same time; one more is refused until one ends.
    #[arg(long, env = "KUBEFICHE_MAX_COMMANDS", default_value_t = DEFAULT_MAX_COMMANDS)]
    pub max_commands: usize,
    /// Output bytes of one command beyond which it is stopped.
    #[arg(long, env = "KUBEFICHE_COMMAND_OUTPUT_BYTES", default_value_t = DEFAULT_COMMAND_OUTPUT_BYTES)]
    pub command_output_bytes: usize,
    /// Seconds a command may run (streaming ones: see --stream-seconds).
    #[arg(long, env = "KUBEFICHE_COMMAND_SECONDS", default_value_t = DEFAULT_COMMAND_SECONDS)]
    pub command_seconds: u64,
    /// Seconds a streaming command (`--watch`, `logs --follow`) may run.
    #[arg(long, env = "KUBEFICHE_STREAM_SECONDS", default_value_t = DEFAULT_STREAM_SECONDS)]
    pub stream_seconds: u64,
    /// Largest request body in bytes.
    #[arg(long, env = "KUBEFICHE_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    // Pod Security, Services and workload sizes: what applied objects may ask of the cluster.
    /// Pod Security level the pods of applied objects must meet (`privileged`: no check).
    #[arg(long, env = "KUBEFICHE_POD_SECURITY", default_value_t = DEFAULT_POD_SECURITY, value_parser = pod_security_levels())]
    pub pod_security: PodSecurity,
    /// Let Services list `spec.externalIPs`.
    #[arg(long, env = "KUBEFICHE_ALLOW_EXTERNAL_IPS", default_value_t = DEFAULT_ALLOW_EXTERNAL_IPS)]
    pub allow_external_ips: bool,
    /// Most pods one workload may ask for (replicas, parallelism, completions, kubectl scale).
    #[arg(long, env = "KUBEFICHE_MAX_REPLICAS", default_value_t = DEFAULT_MAX_REPLICAS)]
    pub max_replicas: u32,

    // What one request and one connection may cost.
    /// Most objects (YAML documents) one apply may hold.
    #[arg(long, env = "KUBEFICHE_MAX_OBJECTS", default_value_t = DEFAULT_MAX_OBJECTS)]
    pub max_objects: usize,
    /// Validations running at once; 0 means one per core.
    #[arg(long, env = "KUBEFICHE_MAX_VALIDATIONS", default_value_t = DEFAULT_MAX_VALIDATIONS)]
    pub max_validations: usize,
    /// Seconds for a whole request body to arrive; a slower one is cut.
    #[arg(long, env = "KUBEFICHE_BODY_SECONDS", default_value_t = DEFAULT_BODY_SECONDS)]
    pub body_seconds: u64,
    /// Seconds for a request's headers to arrive; a slower connection is closed.
    #[arg(long, env = "KUBEFICHE_HEADER_SECONDS", default_value_t = DEFAULT_HEADER_SECONDS)]
    pub header_seconds: u64,
    /// Connections open at once; more wait until one closes.
    #[arg(long, env = "KUBEFICHE_MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
}

/// A combination of settings that cannot work; each says what to change.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `serve` (local mode) was asked to leave loopback.
    #[error(
        "refusing to listen on {0}: kubefiche holds your cluster credentials and only listens on loopback addresses (127.0.0.1, ::1); to serve a class on the network, use `kubefiche classroom`, which serves over TLS"
    )]
    NotLoopback(IpAddr),
    /// A certificate is to be generated for every interface, with no name to put in it.
    #[error(
        "--address {0} listens on every interface, so the certificate cannot be named after it: give the names learners will type with --self-signed NAME (box.lan, 192.168.1.20)"
    )]
    UnnamedCertificate(IpAddr),
    /// A certificate is given for every interface, with no name the browser may use.
    #[error(
        "--address {0} listens on every interface: give the names learners will type (those the certificate names) with --allow-host NAME"
    )]
    UnnamedHosts(IpAddr),
}

impl Config {
    /// Local mode's rule: loopback only.
    pub fn check_loopback(&self) -> Result<(), ConfigError> {
        if self.address.is_loopback() {
            Ok(())
        } else {
            Err(ConfigError::NotLoopback(self.address))
        }
    }
}

/// The levels `--pod-security` takes, listed in `--help` and in its error.
fn pod_security_levels() -> impl clap::builder::TypedValueParser<Value = PodSecurity> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(
        [PodSecurity::Baseline, PodSecurity::Privileged].map(PodSecurity::name),
    )
    .try_map(|level| level.parse::<PodSecurity>())
}

impl Config {
    /// What applied objects may ask of the cluster.
    pub fn sandbox(&self) -> sandbox::Settings {
        sandbox::Settings {
            pod_security: self.pod_security,
            allow_external_ips: self.allow_external_ips,
            max_replicas: self.max_replicas,
            fixed_node_ports: true,
        }
    }

    /// What one request may cost.
    pub fn bounds(&self) -> Bounds {
        Bounds::new(
            self.max_objects,
            Duration::from_secs(self.body_seconds),
            self.max_validations,
        )
    }

    /// What the connections may hold.
    pub fn connections(&self) -> Connections {
        Connections {
            header_time: Duration::from_secs(self.header_seconds),
            max: self.max_connections.max(1),
        }
    }

    /// How learner commands run, for the chosen context and namespace.
    pub fn kubectl(&self, context: &str, namespace: &str) -> Kubectl {
        Kubectl {
            program: self
                .kubectl
                .clone()
                .unwrap_or_else(|| DEFAULT_KUBECTL.into()),
            kubeconfig: self.kubeconfig.clone(),
            context: context.to_owned(),
            namespace: namespace.to_owned(),
            impersonate: None,
            limits: Limits {
                output_bytes: self.command_output_bytes,
                time: Duration::from_secs(self.command_seconds),
                stream_time: Duration::from_secs(self.stream_seconds),
                concurrent: self.max_commands,
            },
            running: Arc::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_settings_default_to_the_strict_ones_and_loosen_by_flag() {
        let strict = Cli::try_parse_from(["kubefiche"]).expect("defaults");
        assert_eq!(strict.serve.sandbox(), sandbox::Settings::default());
        assert_eq!(
            strict.serve.sandbox(),
            sandbox::Settings {
                pod_security: PodSecurity::Baseline,
                allow_external_ips: false,
                max_replicas: 20,
                fixed_node_ports: true,
            }
        );
        let loose = Cli::try_parse_from([
            "kubefiche",
            "--pod-security",
            "privileged",
            "--allow-external-ips",
            "--max-replicas",
            "100",
        ])
        .expect("loosened");
        assert_eq!(
            loose.serve.sandbox(),
            sandbox::Settings {
                pod_security: PodSecurity::Privileged,
                allow_external_ips: true,
                max_replicas: 100,
                fixed_node_ports: true,
            }
        );
        assert!(Cli::try_parse_from(["kubefiche", "--pod-security", "restricted"]).is_err());
    }

    #[test]
    fn serve_still_refuses_to_leave_loopback() {
        for address in ["127.0.0.1", "::1"] {
            let cli = Cli::try_parse_from(["kubefiche", "--address", address]).expect("parsed");
            assert!(cli.serve.check_loopback().is_ok());
        }
        for args in [
            &["kubefiche", "--address", "0.0.0.0"][..],
            &["kubefiche", "serve", "--address", "192.168.1.20"][..],
        ] {
            let cli = Cli::try_parse_from(args).expect("parsed");
            let config = match cli.command {
                Some(Command::Serve(config)) => config,
                _ => cli.serve,
            };
            let error = config.check_loopback().expect_err("refused");
            assert!(error.to_string().contains("kubefiche classroom"), "{error}");
        }
        // Classroom mode parses any address; it always serves over TLS.
        let class = [
            "kubefiche",
            "classroom",
            "--address",
            "0.0.0.0",
            "--self-signed",
            "box.lan",
        ];
        assert!(matches!(
            Cli::try_parse_from(class).map(|cli| cli.command),
            Ok(Some(Command::Classroom(_)))
        ));
    }
}
