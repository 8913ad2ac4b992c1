//! The board's live stream (`POST /api/board`): server-sent [`BoardEvent`]s, followed for as
//! long as the page is open and opened again after a break, with the cluster stream's pauses.
//! The proxy starts every connection with a snapshot.

use kubefiche_core::wire::TOKEN_HEADER;
use kubefiche_core::wire::class::BoardEvent;

use crate::cluster::{Link, Pause, sleep};

/// Follow the board's stream until the page closes.
pub async fn follow(token: String, on_event: impl Fn(BoardEvent), on_link: impl Fn(Link)) {
    let mut pause = Pause::default();
    loop {
        let (went_live, unauthorised) = read_once(&token, &on_event, &on_link).await;
        on_link(if unauthorised {
            Link::Unauthorised
        } else {
            Link::Retrying
        });
        sleep(pause.after(went_live, unauthorised)).await;
    }
}

/// One connection, to its end: whether it went live, and whether the token was refused.
async fn read_once(
    token: &str,
    on_event: &impl Fn(BoardEvent),
    on_link: &impl Fn(Link),
) -> (bool, bool) {
    let request = gloo_net::http::Request::post("/api/board")
        .header(TOKEN_HEADER, token)
        .header("content-type", "application/json")
        .body("{}");
    let Ok(request) = request else {
        return (false, false);
    };
    let Ok(response) = request.send().await else {
        return (false, false);
    };
    if matches!(response.status(), 401 | 403) {
        return (false, true);
    }
    if !response.ok() {
        return (false, false);
    }
    on_link(Link::Live);
    let _ = crate::sse::read(&response, |data| {
        if let Ok(event) = serde_json::from_str::<BoardEvent>(&data) {
            on_event(event);
        }
    })
    .await;
    (true, false)
}
