//! The live view of the cluster: one event stream, reconnecting by itself, shared by the tabs of a
//! browser ([`share`]).

pub mod share;

use kubefiche_core::wire::{StreamEvent, TOKEN_HEADER};
use serde::{Deserialize, Serialize};
use wasm_bindgen_futures::JsFuture;

/// Where the stream stands, for the status badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Link {
    Connecting,
    Live,
    Retrying,
    /// The proxy refuses this page's token (it was restarted with a new one).
    Unauthorised,
}

/// Follow the stream until the page closes: after a break wait a little longer each time (up
/// to 5 s) and connect again; the proxy starts each connection with a full snapshot.
pub async fn follow(token: String, on_event: impl Fn(StreamEvent), on_link: impl Fn(Link)) {
    const FIRST: i32 = 500;
    const MOST: i32 = 5_000;
    let mut delay = FIRST;
    loop {
        let went_live = std::cell::Cell::new(false);
        let track = |link: Link| {
            went_live.set(went_live.get() || link == Link::Live);
            on_link(link);
        };
        let Err(ended) = read_stream(&token, &on_event, &track).await;
        if went_live.get() {
            delay = FIRST;
        }
        match ended {
            Ended::Unauthorised => {
                on_link(Link::Unauthorised);
                delay = MOST;
            }
            Ended::Broken => on_link(Link::Retrying),
        }
        sleep(delay).await;
        delay = (delay * 2).min(MOST);
    }
}

enum Ended {
    Broken,
    Unauthorised,
}

async fn read_stream(
    token: &str,
    on_event: &impl Fn(StreamEvent),
    on_link: &impl Fn(Link),
) -> Result<std::convert::Infallible, Ended> {
    let request = gloo_net::http::Request::post("/api/stream")
        .header(TOKEN_HEADER, token)
        .header("content-type", "application/json")
        .body("{}")
        .map_err(|_| Ended::Broken)?;
    let response = request.send().await.map_err(|_| Ended::Broken)?;
    if response.status() == 401 {
        return Err(Ended::Unauthorised);
    }
    if !response.ok() {
        return Err(Ended::Broken);
    }
    on_link(Link::Live);
    let _ = crate::sse::read(&response, |data| {
        if let Ok(event) = serde_json::from_str::<StreamEvent>(&data) {
            on_event(event);
        }
    })
    .await;
    Err(Ended::Broken)
}

/// Wait `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}
