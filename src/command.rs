//! Running one command line through the proxy: `POST /api/command`, answered by server-sent
//! events (one [`CommandEvent`] each) or by a refusal before anything runs.

use gloo_net::http::Request;
use kubefiche_core::wire::{CommandEvent, CommandRequest, ErrorBody, TOKEN_HEADER};

use crate::api::Failure;

/// How a command's stream ended, seen from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The proxy closed the stream (after its `Exit` event, normally).
    Closed,
    /// The page aborted the request (Stop, Ctrl-C, the output area went away).
    Stopped,
    /// The proxy refused the line, or could not be reached.
    Failed(Failure),
}

/// Send `request` and hand every event to `on_event` until the stream ends or `signal` aborts.
pub async fn run(
    token: &str,
    request: &CommandRequest,
    signal: &web_sys::AbortSignal,
    mut on_event: impl FnMut(CommandEvent),
) -> Ended {
    let built = Request::post("/api/command")
        .header(TOKEN_HEADER, token)
        .abort_signal(Some(signal))
        .json(request);
    let sent = match built {
        Ok(request) => request.send().await,
        Err(error) => return Ended::Failed(Failure::Network(error.to_string())),
    };
    let response = match sent {
        Ok(response) => response,
        Err(_) if signal.aborted() => return Ended::Stopped,
        Err(error) => return Ended::Failed(Failure::Network(error.to_string())),
    };
    if !response.ok() {
        return Ended::Failed(match response.json::<ErrorBody>().await {
            Ok(body) => Failure::Refused(body),
            Err(_) => Failure::Network(format!("HTTP {}", response.status())),
        });
    }
    let read = crate::sse::read(&response, |data| {
        if let Ok(event) = serde_json::from_str::<CommandEvent>(&data) {
            on_event(event);
        }
    })
    .await;
    match read {
        Ok(()) => Ended::Closed,
        Err(_) if signal.aborted() => Ended::Stopped,
        Err(_) => Ended::Failed(Failure::Network("the output stream broke off".to_owned())),
    }
}
