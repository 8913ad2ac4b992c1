//! The accept loop: HTTP/1 connections with a deadline for their headers, a cap on how many are
//! open at once, WebSocket upgrades, and a graceful stop.
//!
//! `axum::serve` offers none of these bounds, so connections are served with hyper directly.
//! Over the cap, a new connection waits in the kernel's queue until another one closes: the open
//! tabs (each holds a connection for its events) keep working, and a new one is answered late
//! rather than refused. The answers hyper writes by itself to a request it cannot read get the
//! JSON body of every other refusal (see [`refusals`]).

mod refusals;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
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
        let service = hyper::service::service_fn({
            let app = app.clone();
            move |request: Request<Incoming>| {
                let app = app.clone();
                let mut request = request.map(Body::new);
                // Who is on the other end: wrong guesses of a token are bounded per address.
                request.extensions_mut().insert(ConnectInfo(peer));
                async move {
                    let answer = app.oneshot(request).await;
                    Ok::<_, Infallible>(answer.unwrap_or_else(|never| match never {}))
                }
            }
        });
        let connection = http
            .serve_connection(TokioIo::new(Shaped::new(stream)), service)
            .with_upgrades();
        let stop = stop.clone();
        tokio::spawn(async move {
            let _permit = permit;
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
