use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use kube::Client;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kubefiche::classroom::certificate;
use kubefiche::classroom::{Classroom, Setup};
use kubefiche::config::{CertificateSource, ClassroomConfig, ClassroomTls, Cli, Command, Config};
use kubefiche::guard::{Guard, random_token};
use kubefiche::serve::{self, Connections};
use kubefiche::tls::{self, Tls};
use kubefiche::watch::Hub;
use kubefiche::{AppState, app};
use tokio_util::sync::CancellationToken;

mod validate_cmd;

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Validate(args)) => std::process::exit(validate_cmd::run(&args)?),
        Some(Command::Serve(config)) => serve(config).await,
        Some(Command::Classroom(config)) => classroom(config).await,
        Some(Command::Probe(config)) => probe(config).await,
        None => serve(cli.serve).await,
    }
}

/// Local mode: one learner, on loopback, plain HTTP.
async fn serve(config: Config) -> Result<()> {
    init_tracing();
    config.check_loopback()?;
    let ready = start(&config, Mode::Local).await?;
    // The address with its token is for the person at the terminal only: stdout, never the log.
    let host = url_host(&config.address.to_string());
    let (port, token) = (ready.port, &ready.token);
    print_lines(&[format!(
        "kubefiche is ready: http://{host}:{port}/#token={token}"
    )])?;
    run(ready, None).await;
    Ok(())
}

/// Classroom mode: a class on any address, always over TLS. Leaving loopback takes both.
async fn classroom(config: ClassroomConfig) -> Result<()> {
    init_tracing();
    let ClassroomTls { source, hosts } = config.tls()?;
    // The certificate first: a wrong file or name is said before anything else is tried.
    let (given, names) = match source {
        CertificateSource::Files { cert, key } => (Some(Tls::from_files(&cert, &key)?), Vec::new()),
        CertificateSource::SelfSigned(names) => {
            tls::check_names(&names)?;
            (None, names)
        }
    };
    let mode = Mode::Classroom {
        hosts: &hosts,
        home_namespace: &config.home_namespace,
        join_link: Duration::from_secs(config.join_minutes.saturating_mul(60)),
    };
    let ready = start(&config.serve, mode).await?;
    let tls = match given {
        Some(tls) => tls,
        // Generated once and kept with the class: the same fingerprint after a restart.
        None => {
            certificate::self_signed(&ready.state.client, &config.home_namespace, &names).await?
        }
    };
    let host = hosts.first().map_or("localhost", String::as_str);
    let url = format!(
        "https://{}:{}/#token={}",
        url_host(host),
        ready.port,
        ready.token
    );
    print_lines(&tls.announce("kubefiche classroom is ready", &url))?;
    run(ready, Some(tls)).await;
    Ok(())
}

/// How the proxy is reached.
enum Mode<'a> {
    /// One learner on this machine: loopback, plain HTTP, the loopback names.
    Local,
    /// A class over TLS, reached by these names (those of its certificate).
    Classroom {
        hosts: &'a [String],
        /// Where the class's state lives.
        home_namespace: &'a str,
        /// How long a join link works.
        join_link: Duration,
    },
}

/// A proxy ready to serve: its cluster reached, its port open, its state built.
struct Ready {
    listener: tokio::net::TcpListener,
    port: u16,
    token: String,
    state: AppState,
    connections: Connections,
    stopping: CancellationToken,
}

/// What both modes share: the cluster, the listening port, the access token, and the one place
/// the state every request handler reads is built.
async fn start(config: &Config, mode: Mode<'_>) -> Result<Ready> {
    let (client, context, namespace, base) = connect(config).await?;
    let server_version = client
        .apiserver_version()
        .await
        .with_context(|| format!("cannot reach the cluster of context {context:?}: start it (cargo xtask cluster up) or choose another one with --context"))?
        .git_version;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.address, config.port))
        .await
        .with_context(|| {
            format!(
                "cannot listen on port {}: it is taken; choose another with --port",
                config.port
            )
        })?;
    let port = listener.local_addr()?.port();
    let mut kubectl = config.kubectl(&context, &namespace);
    let mut sandbox = config.sandbox();
    let (bounds, connections) = (config.bounds(), config.connections());
    let stopping = CancellationToken::new();
    let (namespace, token, guard, hub, classroom) = match mode {
        Mode::Local => {
            let token = match &config.token {
                Some(token) if token.len() >= 32 => token.clone(),
                Some(_) => {
                    bail!("KUBEFICHE_TOKEN must be at least 32 characters (128 bits of hex)")
                }
                None => random_token().context("no randomness for the access token")?,
            };
            let guard = Guard::new(&token, port, &config.allow_hosts);
            let hub = Hub::start(client.clone(), &namespace);
            (namespace, token, guard, hub, None)
        }
        Mode::Classroom {
            hosts,
            home_namespace,
            join_link,
        } => {
            tracing::info!(%home_namespace, hosts = ?hosts, "classroom mode, over TLS");
            kubectl.namespace = home_namespace.to_owned();
            // Every learner shares the cluster's node ports.
            sandbox.fixed_node_ports = false;
            let classroom = Classroom::start(Setup {
                admin: client.clone(),
                base,
                home: home_namespace.to_owned(),
                kubectl: kubectl.clone(),
                shutdown: stopping.clone(),
                join_link,
            })
            .await
            .with_context(|| format!("cannot keep the class in namespace {home_namespace:?}: check the proxy's rights (deploy/README.md)"))?;
            // The instructor's token is the class's, kept in the cluster: the link survives a
            // restart.
            let token = classroom.instructor_token().to_owned();
            let guard = Guard::classroom(&token, port, hosts).with_classroom(classroom.clone());
            (
                home_namespace.to_owned(),
                token,
                guard,
                Hub::none(),
                Some(classroom),
            )
        }
    };
    let state = AppState {
        client,
        namespace,
        context,
        server_version,
        hub,
        guard,
        max_body_bytes: config.max_body_bytes,
        kubectl,
        sandbox,
        shutdown: stopping.clone(),
        bounds,
        classroom,
    };
    tracing::info!(port, namespace = %state.namespace, context = %state.context, version = %state.server_version, "kubefiche is listening");
    Ok(Ready {
        listener,
        port,
        token,
        state,
        connections,
        stopping,
    })
}

/// Serves until Ctrl-C or SIGTERM, over TLS when given.
async fn run(ready: Ready, tls: Option<Tls>) {
    let Ready {
        listener,
        state,
        connections,
        stopping,
        ..
    } = ready;
    let signal = stopping.clone();
    tokio::spawn(async move {
        shutdown().await;
        // Stop accepting, and end the event streams, or the graceful shutdown would wait for
        // every open tab.
        signal.cancel();
    });
    match tls {
        None => serve::serve(listener, app(state), connections, stopping).await,
        Some(tls) => {
            serve::serve_tls(listener, app(state), connections, tls.acceptor(), stopping).await;
        }
    }
}

/// A host as it goes in a URL: an IPv6 address in brackets.
fn url_host(name: &str) -> String {
    match name.parse::<std::net::Ipv6Addr>() {
        Ok(_) => format!("[{name}]"),
        Err(_) => name.to_owned(),
    }
}

/// Lines for the person at the terminal (stdout, never the log: they may hold the token).
fn print_lines(lines: &[String]) -> Result<()> {
    let mut stdout = std::io::stdout();
    for line in lines {
        writeln!(stdout, "{line}")?;
    }
    stdout.flush()?;
    Ok(())
}

fn init_tracing() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KUBEFICHE_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,kube_client=warn,kube_runtime=warn")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
}

async fn probe(config: Config) -> Result<()> {
    let (client, context, ..) = connect(&config).await?;
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client.apiserver_version(),
    )
    .await;
    match answer {
        Ok(Ok(version)) => {
            writeln!(std::io::stdout(), "{context}: {}", version.git_version)?;
            Ok(())
        }
        Ok(Err(error)) => bail!("the cluster of context {context:?} does not answer: {error}"),
        Err(_) => bail!("the cluster of context {context:?} does not answer within 5 seconds"),
    }
}

/// The cluster, as kubectl would pick it: the kubeconfig's current context unless told otherwise.
async fn connect(config: &Config) -> Result<(Client, String, String, kube::Config)> {
    let kubeconfig = match &config.kubeconfig {
        Some(path) => Kubeconfig::read_from(path).with_context(|| format!("cannot read kubeconfig {}", path.display()))?,
        None => Kubeconfig::read().context("no kubeconfig found (KUBECONFIG or ~/.kube/config); start the local cluster with cargo xtask run")?,
    };
    let context = config
        .context
        .clone()
        .or_else(|| kubeconfig.current_context.clone())
        .context("the kubeconfig names no current context; pass --context")?;
    let options = KubeConfigOptions {
        context: Some(context.clone()),
        ..KubeConfigOptions::default()
    };
    let kube_config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .with_context(|| format!("cannot use kubeconfig context {context:?}"))?;
    let namespace = config
        .namespace
        .clone()
        .unwrap_or_else(|| kube_config.default_namespace.clone());
    let client =
        Client::try_from(kube_config.clone()).context("cannot build a client for the cluster")?;
    Ok((client, context, namespace, kube_config))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
