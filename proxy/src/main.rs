use std::io::Write;
use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use clap::Parser;
use kube::Client;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kubefiche::config::{Cli, Command, Config};
use kubefiche::guard::{Guard, random_token};
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
        Some(Command::Probe(config)) => probe(config).await,
        None => serve(cli.serve).await,
    }
}

async fn serve(config: Config) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KUBEFICHE_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,kube_client=warn,kube_runtime=warn")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    if !config.address.is_loopback() {
        bail!(
            "refusing to listen on {}: kubefiche holds your cluster credentials and only listens on loopback addresses (127.0.0.1, ::1)",
            config.address
        );
    }
    let (client, context, namespace) = connect(&config).await?;
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
    let kubectl = config.kubectl(&context, &namespace);
    let sandbox = config.sandbox();
    let (bounds, connections) = (config.bounds(), config.connections());
    let token = match config.token {
        Some(token) if token.len() >= 32 => token,
        Some(_) => bail!("KUBEFICHE_TOKEN must be at least 32 characters (128 bits of hex)"),
        None => random_token().context("no randomness for the access token")?,
    };
    let guard = Guard::new(&token, port, &config.allow_hosts);
    let hub = Hub::start(client.clone(), &namespace);
    let stopping = CancellationToken::new();
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
        classroom: None,
    };
    tracing::info!(port, namespace = %state.namespace, context = %state.context, version = %state.server_version, "kubefiche is listening");
    // The address with its token is for the person at the terminal only: stdout, never the log.
    let host = if config.address.is_ipv4() {
        config.address.to_string()
    } else {
        format!("[{}]", config.address)
    };
    let mut stdout = std::io::stdout();
    writeln!(
        stdout,
        "kubefiche is ready: http://{host}:{port}/#token={token}"
    )?;
    stdout.flush()?;
    let signal = stopping.clone();
    tokio::spawn(async move {
        shutdown().await;
        // Stop accepting, and end the event streams, or the graceful shutdown would wait for
        // every open tab.
        signal.cancel();
    });
    kubefiche::serve::serve(listener, app(state), connections, stopping).await;
    Ok(())
}

async fn probe(config: Config) -> Result<()> {
    let (client, context, _) = connect(&config).await?;
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
async fn connect(config: &Config) -> Result<(Client, String, String)> {
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
    let client = Client::try_from(kube_config).context("cannot build a client for the cluster")?;
    Ok((client, context, namespace))
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
