//! A TCP relay in front of the API server that a test can cut: every connection through it
//! closes at once and new ones are refused until it is restored. A client built with
//! [`client_through`] sees what it would see if the network dropped (its watches break, it
//! retries), while the API server and everything else carry on.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, Result};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

use crate::cluster::TestCluster;

#[derive(Default)]
struct Relayed {
    cut: bool,
    connections: Vec<AbortHandle>,
}

pub struct Relay {
    port: u16,
    state: Arc<Mutex<Relayed>>,
    accept: JoinHandle<()>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}

impl Relay {
    /// Relays `127.0.0.1:<port>` to `target` (`host:port`).
    pub async fn start(target: String) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(Relayed::default()));
        let accept = tokio::spawn({
            let state = state.clone();
            async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                    if state.cut {
                        // Dropping it closes the connection: as good as refused.
                        continue;
                    }
                    let target = target.clone();
                    let relay = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(&target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    state.connections.retain(|c| !c.is_finished());
                    state.connections.push(relay.abort_handle());
                }
            }
        });
        Ok(Self {
            port,
            state,
            accept,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Closes every connection through the relay and refuses new ones.
    pub fn cut(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.cut = true;
        for connection in state.connections.drain(..) {
            connection.abort();
        }
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .cut = false;
    }
}

/// A client of the test cluster whose every connection goes through a new [`Relay`]: the
/// API server's certificate names `127.0.0.1`, so only the port changes.
pub async fn client_through(cluster: &TestCluster) -> Result<(Client, Relay)> {
    let path = cluster.kubeconfig_path();
    let kubeconfig =
        Kubeconfig::read_from(path).with_context(|| format!("reading {}", path.display()))?;
    let mut config =
        Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default()).await?;
    let authority = config
        .cluster_url
        .authority()
        .context("the kubeconfig's server has no host:port")?
        .to_string();
    let relay = Relay::start(authority).await?;
    config.cluster_url = format!("https://127.0.0.1:{}", relay.port()).parse()?;
    Ok((Client::try_from(config)?, relay))
}
