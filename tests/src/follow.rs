//! A stream client that follows the real proxy as the page does (`src/cluster.rs`): when the
//! stream breaks or cannot be opened it waits 500 ms, twice as long after each failure up to 5 s
//! (500 ms again once a connection went live), and connects again; each connection starts from a
//! snapshot. What it folds is what an open page would show.

use std::time::Duration;

use anyhow::{Result, bail};
use axum::body::Body;
use futures::StreamExt;
use kubefiche_core::live::Live;
use kubefiche_core::wire::TOKEN_HEADER;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::crowd::{Http, http};
use crate::live::sse_events;

/// The page's first pause after a break.
pub const FIRST: Duration = Duration::from_millis(500);
/// The page's longest pause.
pub const MOST: Duration = Duration::from_secs(5);

/// What the follower holds.
#[derive(Debug, Clone, Default)]
pub struct Followed {
    pub live: Live,
    /// Connections that answered (each starts with a snapshot).
    pub connections: usize,
    /// Attempts that failed or streams that broke.
    pub breaks: usize,
}

/// Follows `origin`'s stream with `token` until dropped.
pub struct Follower {
    followed: watch::Receiver<Followed>,
    task: JoinHandle<()>,
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Follower {
    pub fn start(origin: &str, token: &str) -> Self {
        let (tx, followed) = watch::channel(Followed::default());
        let (origin, token) = (origin.to_owned(), token.to_owned());
        let task = tokio::spawn(async move {
            let http = http();
            let mut pause = FIRST;
            loop {
                let went_live = follow_once(&http, &origin, &token, &tx).await;
                tx.send_modify(|f| f.breaks += 1);
                if went_live {
                    pause = FIRST;
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MOST);
            }
        });
        Self { followed, task }
    }

    pub fn followed(&self) -> Followed {
        self.followed.borrow().clone()
    }

    /// Waits until what it holds satisfies `check`.
    pub async fn until(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&Followed) -> bool,
    ) -> Result<()> {
        let mut followed = self.followed.clone();
        match tokio::time::timeout(timeout, followed.wait_for(check)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(_)) => bail!("the follower stopped while waiting for {what}"),
            Err(_) => bail!(
                "{what}: not within {timeout:?} ({} connections, {} breaks)",
                self.followed().connections,
                self.followed().breaks
            ),
        }
    }
}

/// One connection, read to its end: whether it went live (answered 200).
async fn follow_once(http: &Http, origin: &str, token: &str, tx: &watch::Sender<Followed>) -> bool {
    let Ok(request) = http::Request::post(format!("{origin}/api/stream"))
        .header("origin", origin)
        .header(TOKEN_HEADER, token)
        .header("content-type", "application/json")
        .body(Body::from("{}"))
    else {
        return false;
    };
    let Ok(response) = http.request(request).await else {
        return false;
    };
    if !response.status().is_success() {
        return false;
    }
    tx.send_modify(|f| f.connections += 1);
    let mut chunks = Body::new(response.into_body()).into_data_stream();
    let mut buffer = String::new();
    while let Some(Ok(chunk)) = chunks.next().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        for event in sse_events(&mut buffer) {
            tx.send_modify(|f| {
                f.live.apply(event);
            });
        }
    }
    true
}
