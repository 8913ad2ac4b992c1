//! The accept loop: HTTP/1 connections with a deadline for their headers, a cap on how many are
//! open at once, WebSocket upgrades, and a graceful stop.
//!
//! `axum::serve` offers none of these bounds, so connections are served with hyper directly.
//! Over the cap, a new connection waits in the kernel's queue until another one closes: the open
//! tabs (each holds a connection for its events) keep working, and a new one is answered late
//! rather than refused. The answers hyper writes by itself to a request it cannot read get the
//! JSON body of every other refusal (see [`refusals`]). In classroom mode the same loop speaks
//! TLS ([`serve_tls`]); local mode stays plain HTTP on loopback.

mod refusals;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use refusals::Shaped;

/// How long a stopping proxy waits for its connections to finish their answers.
const DRAIN: Duration = Duration::from_secs(10);

/// What the connections may hold.
#[derive(Clone, Copy, Debug)]
pub struct Connections {
    /// Time for a request's headers to arrive, from the first byte or from the end of the
    /// previous answer on a kept-alive connection; a slower connection is closed.
    pub header_time: Duration,
    /// Connections open at once.
    pub max: usize,
}

/// Serves `app` on `listener` until `stop` is cancelled, then lets the answers under way end
/// (the event streams end on the same signal) for up to [`DRAIN`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Connections,
    stop: CancellationToken,
) {
    accept_loop(listener, app, limits, None, stop).await;
}

/// [`serve`] over TLS: each connection's handshake is made in its own task, within the
/// header time (a client that connects and says nothing holds its slot no longer than one that
/// sends no headers); a failed handshake closes the connection.
pub async fn serve_tls(
    listener: TcpListener,
    app: Router,
    limits: Connections,
    tls: TlsAcceptor,
    stop: CancellationToken,
) {
    accept_loop(listener, app, limits, Some(tls), stop).await;
}

async fn accept_loop(
    listener: TcpListener,
    app: Router,
    limits: Connections,
    tls: Option<TlsAcceptor>,
    stop: CancellationToken,
) {
    let open = Arc::new(Semaphore::new(limits.max));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_time);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => permit,
            () = stop.cancelled() => break,
        };
        let Ok(permit) = permit else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stop.cancelled() => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, most likely: wait for some to close.
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // Answers are small or streamed: send each write at once.
        let _ = stream.set_nodelay(true);
        let (http, app, stop, tls) = (http.clone(), app.clone(), stop.clone(), tls.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let Some(tls) = tls else {
                return connection(&http, stream, peer, app, stop).await;
            };
            let handshake = tokio::select! {
                done = tokio::time::timeout(limits.header_time, tls.accept(stream)) => done,
                () = stop.cancelled() => return,
            };
            match handshake {
                Ok(Ok(stream)) => connection(&http, stream, peer, app, stop).await,
                Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "no TLS handshake within the header time"),
            }
        });
    }
    drop(listener);
    let all = u32::try_from(limits.max).unwrap_or(u32::MAX);
    if tokio::time::timeout(DRAIN, open.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!(
            "some connections were still answering {} s after the stop",
            DRAIN.as_secs()
        );
    }
}

/// Serves one connection's requests (and its upgrade, if any) until it closes; on `stop`, ends
/// it once the answer under way is written.
async fn connection<IO>(
    http: &http1::Builder,
    io: IO,
    peer: SocketAddr,
    app: Router,
    stop: CancellationToken,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let app = app.clone();
        let mut request = request.map(Body::new);
        // Who is on the other end: wrong guesses of a token are bounded per address.
        request.extensions_mut().insert(ConnectInfo(peer));
        async move {
            let answer = app.oneshot(request).await;
            Ok::<_, Infallible>(answer.unwrap_or_else(|never| match never {}))
        }
    });
    let connection = http
        .serve_connection(TokioIo::new(Shaped::new(io)), service)
        .with_upgrades();
    tokio::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => ended,
        () = stop.cancelled() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = ended {
        tracing::debug!(%error, "connection closed");
    }
}
