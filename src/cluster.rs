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
/// to 5 s, see [`Pause`]) and connect again; the proxy starts each connection with a full
/// snapshot.
pub async fn follow(token: String, on_event: impl Fn(StreamEvent), on_link: impl Fn(Link)) {
    let mut pause = Pause::default();
    loop {
        let went_live = std::cell::Cell::new(false);
        let track = |link: Link| {
            went_live.set(went_live.get() || link == Link::Live);
            on_link(link);
        };
        let Err(ended) = read_stream(&token, &on_event, &track).await;
        let unauthorised = ended == Ended::Unauthorised;
        on_link(if unauthorised {
            Link::Unauthorised
        } else {
            Link::Retrying
        });
        sleep(pause.after(went_live.get(), unauthorised)).await;
    }
}

/// The pauses between attempts to open the stream, in milliseconds: [`Pause::FIRST`] after a
/// connection that went live, twice as long after each failure up to [`Pause::MOST`]; the most
/// at once when the proxy refuses the page's token (it will not change its mind soon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    next: i32,
}

impl Default for Pause {
    fn default() -> Self {
        Self { next: Self::FIRST }
    }
}

impl Pause {
    pub const FIRST: i32 = 500;
    pub const MOST: i32 = 5_000;

    /// How long to wait after a connection ended, given whether it went live and whether the
    /// token was refused.
    pub fn after(&mut self, went_live: bool, unauthorised: bool) -> i32 {
        if went_live {
            self.next = Self::FIRST;
        }
        if unauthorised {
            self.next = Self::MOST;
        }
        let pause = self.next;
        self.next = (self.next * 2).min(Self::MOST);
        pause
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[cfg(test)]
mod tests {
    use super::Pause;

    #[test]
    fn the_page_tries_again_sooner_after_a_live_connection() {
        let mut pause = Pause::default();
        // The proxy is away: 0.5, 1, 2, 4, 5, 5 s.
        let away: Vec<i32> = (0..6).map(|_| pause.after(false, false)).collect();
        assert_eq!(away, [500, 1_000, 2_000, 4_000, 5_000, 5_000]);
        // Back, then broken again: short again.
        assert_eq!(pause.after(true, false), 500);
        assert_eq!(pause.after(false, false), 1_000);
        // A refused token: the longest pause at once.
        assert_eq!(pause.after(true, true), 5_000);
        assert_eq!(pause.after(false, false), 5_000);
    }
}
