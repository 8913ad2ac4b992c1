//! kubectl on a pseudo-terminal, and the bytes between it and the socket: keystrokes in,
//! output out, resizes as `TIOCSWINSZ` (kubectl forwards the size to the pod).

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use kubefiche_core::wire::TerminalControl;
use pty_process::{OwnedWritePty, Pty, Size as PtySize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Child;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::hello::Size;
use super::refusal::Refusal;

/// How long output may still come after kubectl exited (a child it left holding the terminal
/// must not keep the session open).
const DRAIN: Duration = Duration::from_secs(1);
/// The largest piece of output sent in one frame.
const CHUNK: usize = 16 * 1024;

/// How a session ended.
#[derive(Debug)]
pub enum End {
    /// kubectl exited with this status (`None`: killed by a signal).
    Exited(Option<i32>),
    /// The page closed the socket (tab closed, component gone) or it broke.
    Left,
    /// Nothing was typed for the idle limit.
    Idle,
    /// The proxy is stopping.
    Shutdown,
}

/// kubectl started on a new pseudo-terminal, as its controlling terminal.
pub fn spawn(command: tokio::process::Command, size: Size) -> Result<(Pty, Child), Refusal> {
    let (pty, pts) = pty_process::open().map_err(|e| Refusal::NoPty(e.to_string()))?;
    pty.resize(pty_size(size))
        .map_err(|e| Refusal::NoPty(e.to_string()))?;
    let program = command.as_std().get_program().into();
    let child = pty_process::Command::from(command)
        .spawn(pts)
        .map_err(|e| match e {
            pty_process::Error::Io(source) => Refusal::KubectlMissing { program, source },
            other => Refusal::NoPty(other.to_string()),
        })?;
    Ok((pty, child))
}

fn pty_size(size: Size) -> PtySize {
    PtySize::new(size.rows, size.cols)
}

/// Moves bytes until kubectl exits, the page leaves, the learner is idle or the proxy stops.
pub async fn run(
    socket: &mut WebSocket,
    pty: Pty,
    child: &mut Child,
    idle: Duration,
    shutdown: &CancellationToken,
) -> End {
    let (mut reader, mut writer) = pty.into_split();
    let mut buffer = vec![0u8; CHUNK];
    let idle_timer = tokio::time::sleep(idle);
    tokio::pin!(idle_timer);
    let mut exited: Option<Option<i32>> = None;
    let drain_timer = tokio::time::sleep(Duration::MAX / 4);
    tokio::pin!(drain_timer);
    loop {
        tokio::select! {
            read = reader.read(&mut buffer) => match read {
                // End of output: on Linux, EIO once every holder of the terminal's other side
                // is gone, which is when kubectl has exited.
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let chunk = buffer[..n].to_vec();
                    if socket.send(Message::binary(chunk)).await.is_err() {
                        return End::Left;
                    }
                }
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Binary(keys))) => {
                    idle_timer.as_mut().reset(Instant::now() + idle);
                    if writer.write_all(&keys).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Text(text))) => control(&writer, text.as_str()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => return End::Left,
            },
            status = child.wait(), if exited.is_none() => {
                exited = Some(status.ok().and_then(|s| s.code()));
                drain_timer.as_mut().reset(Instant::now() + DRAIN);
            }
            () = &mut drain_timer, if exited.is_some() => break,
            () = &mut idle_timer => return End::Idle,
            () = shutdown.cancelled() => return End::Shutdown,
        }
    }
    let code = match exited {
        Some(code) => code,
        None => match tokio::time::timeout(DRAIN, child.wait()).await {
            Ok(Ok(status)) => status.code(),
            _ => None,
        },
    };
    End::Exited(code)
}

/// A text frame from the page: a resize (anything else is ignored, and said in the log).
fn control(writer: &OwnedWritePty, text: &str) {
    match serde_json::from_str::<TerminalControl>(text) {
        Ok(TerminalControl::Resize { cols, rows }) => {
            if let Err(error) = writer.resize(pty_size(Size::new(cols, rows))) {
                tracing::warn!(%error, "terminal resize failed");
            }
        }
        Err(error) => tracing::debug!(%error, "unknown terminal control ignored"),
    }
}

/// Ends kubectl (and with it the session in the pod) and reaps it.
pub async fn stop(child: &mut Child) {
    if let Err(error) = child.start_kill() {
        tracing::debug!(%error, "kubectl had already ended");
    }
    if tokio::time::timeout(DRAIN, child.wait()).await.is_err() {
        tracing::warn!("kubectl did not end after being killed");
    }
}
