//! `GET /api/terminal`: `kubectl exec -it …` as a real terminal in the page, over a WebSocket.
//!
//! The gate checks Host and the exact Origin before the upgrade (a browser cannot set the token
//! header on a WebSocket). Then the first message must be a `TerminalHello` with the launch
//! token and an `exec -it` line the command parser allows, within [`HELLO_WAIT`]: nothing runs
//! and nothing is sent before. A refusal is one `TerminalEvent::Refused` and the close. Once
//! admitted, kubectl runs on a pseudo-terminal: binary frames carry keystrokes in and output
//! out, text frames carry resizes in and `TerminalEvent`s out, the last one `Exit`. Closing the
//! socket kills kubectl, which ends the session in the pod.

mod hello;
mod pump;
mod refusal;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use kubefiche_core::Text;
use kubefiche_core::validate::ClusterFlavor;
use kubefiche_core::wire::TerminalEvent;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use refusal::Refusal;

use crate::error::ApiError;
use crate::routes::{AppState, flavor};
use crate::scope::{Peer, Scope};
use hello::Admitted;
use pump::End;

/// The path of the terminal socket.
pub const PATH: &str = "/api/terminal";
/// Terminals open at once in one proxy.
pub const DEFAULT_MAX_TERMINALS: usize = 5;
/// A terminal where nothing is typed for this long is closed.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(30 * 60);
/// How long the page has to send its hello after the upgrade.
pub const HELLO_WAIT: Duration = Duration::from_secs(5);
/// The largest message the page may send (a paste of this size goes through in one frame).
pub const MAX_MESSAGE: usize = 64 * 1024;

/// The terminal slots of one proxy, shared by its requests (an `Extension` of the router).
#[derive(Debug, Clone)]
pub struct Terminals {
    slots: Arc<Semaphore>,
    max: usize,
    idle: Duration,
}

impl Terminals {
    pub fn new(max: usize, idle: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max)),
            max,
            idle,
        }
    }

    fn take(&self) -> Result<OwnedSemaphorePermit, Refusal> {
        self.slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| Refusal::TooMany(self.max))
    }
}

impl Default for Terminals {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_TERMINALS, DEFAULT_IDLE)
    }
}

/// The upgrade (the gate has already checked Host and Origin).
pub async fn open(
    State(state): State<AppState>,
    Extension(terminals): Extension<Terminals>,
    Peer(address): Peer,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            let detail = rejection.body_text();
            return ApiError::BadBody(Text::new(
                format!("open it as a WebSocket ({detail})"),
                format!("ouvrez-le en WebSocket ({detail})"),
            ))
            .into_response();
        }
    };
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| session(socket, state, terminals, address))
}

async fn session(
    mut socket: WebSocket,
    state: AppState,
    terminals: Terminals,
    address: Option<IpAddr>,
) {
    let admitted = match hello::receive(&mut socket, &state.guard, address, HELLO_WAIT).await {
        Ok(Some(admitted)) => admitted,
        Ok(None) => return,
        Err(refusal) => return refuse(socket, refusal).await,
    };
    let _slot = match terminals.take() {
        Ok(slot) => slot,
        Err(refusal) => return refuse(socket, refusal).await,
    };
    if flavor(&state.context) == Some(ClusterFlavor::Local) {
        let note = simulated_nodes_note(hello::pod_name(&admitted.command.args).as_deref());
        if send(&mut socket, &TerminalEvent::Note { message: note })
            .await
            .is_err()
        {
            return;
        }
    }
    let scope = match Scope::of(&state, &admitted.caller) {
        Ok(scope) => scope,
        Err(refusal) => return refuse(socket, Refusal::Command(refusal.parts().2)).await,
    };
    run(socket, &scope, admitted, terminals.idle).await;
}

async fn run(mut socket: WebSocket, scope: &Scope, admitted: Admitted, idle: Duration) {
    let Admitted { command, size, .. } = admitted;
    let argv = command.audit();
    let (pty, mut child) = match pump::spawn(scope.kubectl.command(&command.args), size) {
        Ok(started) => started,
        Err(refusal) => {
            tracing::warn!(argv = %argv, "terminal refused: {refusal}");
            return refuse(socket, refusal).await;
        }
    };
    let started = Instant::now();
    tracing::info!(argv = %argv, "terminal started");
    let end = pump::run(&mut socket, pty, &mut child, idle, &scope.closed).await;
    let code = match end {
        End::Exited(code) => code,
        End::Left | End::Idle | End::Shutdown => {
            pump::stop(&mut child).await;
            None
        }
    };
    tracing::info!(
        argv = %argv,
        code = ?code,
        seconds = started.elapsed().as_secs_f32(),
        end = ?end,
        "terminal ended"
    );
    if matches!(end, End::Left) {
        return;
    }
    if matches!(end, End::Idle) {
        let message = idle_note(idle);
        let _ = send(&mut socket, &TerminalEvent::Note { message }).await;
    }
    let _ = send(&mut socket, &TerminalEvent::Exit { code }).await;
    let _ = socket.send(Message::Close(None)).await;
}

/// One `Refused` and the close; nothing ran.
async fn refuse(mut socket: WebSocket, refusal: Refusal) {
    tracing::info!("terminal refused: {refusal}");
    let error = refusal.body();
    let _ = send(&mut socket, &TerminalEvent::Refused { error }).await;
    let _ = socket.send(Message::Close(None)).await;
}

async fn send(socket: &mut WebSocket, event: &TerminalEvent) -> Result<(), axum::Error> {
    // Serialising our own enum cannot fail.
    let text = serde_json::to_string(event).unwrap_or_default();
    socket.send(Message::text(text)).await
}

fn simulated_nodes_note(pod: Option<&str>) -> Text {
    let pod = pod.unwrap_or("NAME");
    Text::new(
        format!(
            "On the bundled cluster containers do not run on the simulated nodes, so a shell inside them is not available and kubectl will most likely fail below. For a container's environment, run `kubectl set env pod/{pod} --list --resolve`."
        ),
        format!(
            "Sur le cluster intégré, les conteneurs ne tournent pas sur les nœuds simulés : un shell à l'intérieur n'est donc pas disponible et kubectl va très probablement échouer ci-dessous. Pour l'environnement d'un conteneur, lancez `kubectl set env pod/{pod} --list --resolve`."
        ),
    )
}

fn idle_note(idle: Duration) -> Text {
    let minutes = idle.as_secs() / 60;
    Text::new(
        format!("Nothing was typed for {minutes} minutes: kubefiche closed this terminal."),
        format!("Rien n'a été tapé depuis {minutes} minutes : kubefiche a fermé ce terminal."),
    )
}
