//! Talking to the proxy: the launch token and the two request/response operations; the
//! classroom's in [`class`].

pub mod class;

use gloo_net::http::Request;
use kubefiche_core::Text;
use kubefiche_core::wire::{ApplyRequest, ApplyResponse, ErrorBody, Session, TOKEN_HEADER};
use serde::de::DeserializeOwned;

const TOKEN_KEY: &str = "kubefiche:token";

/// Why a call to the proxy failed, in words for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The proxy answered with a refusal (its JSON error body).
    Refused(ErrorBody),
    /// The proxy could not be reached, or answered something unreadable.
    Network(String),
}

impl Failure {
    pub fn message(&self) -> Text {
        match self {
            Self::Refused(body) => body.message.clone(),
            Self::Network(why) => Text::new(
                format!("The kubefiche proxy did not answer ({why}). Is it still running?"),
                format!("Le proxy kubefiche ne répond pas ({why}). Est-il toujours lancé ?"),
            ),
        }
    }

    pub fn is_bad_token(&self) -> bool {
        matches!(self, Self::Refused(body) if body.error == "bad-token")
    }
}

/// The token from the address (`#token=…`, then removed from the address bar so it does not
/// show on a projector or in screenshots) or from this browser's storage.
pub fn token() -> Option<String> {
    let window = web_sys::window()?;
    let storage = window.local_storage().ok().flatten();
    let hash = window.location().hash().unwrap_or_default();
    if let Some(token) = hash.strip_prefix("#token=").filter(|t| !t.is_empty()) {
        keep_token(token);
        drop_fragment(&window);
        return Some(token.to_owned());
    }
    storage?.get_item(TOKEN_KEY).ok().flatten()
}

/// Take the fragment (`#token=…`, `#join=…`) out of the address bar, leaving the page where it is.
pub fn drop_fragment(window: &web_sys::Window) {
    let location = window.location();
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}

/// Keep `token` in this browser's storage, as a `#token=` link does (a learner who joined a
/// class gets theirs from the proxy instead of from a link).
pub fn keep_token(token: &str) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(storage) = storage {
        let _ = storage.set_item(TOKEN_KEY, token);
    }
}

pub async fn session(token: &str) -> Result<Session, Failure> {
    let request = Request::get("/api/session")
        .header(TOKEN_HEADER, token)
        .build();
    read(request.map_err(network)?.send().await.map_err(network)?).await
}

pub async fn apply(token: &str, body: &ApplyRequest) -> Result<ApplyResponse, Failure> {
    let request = Request::post("/api/apply")
        .header(TOKEN_HEADER, token)
        .json(body)
        .map_err(network)?;
    read(request.send().await.map_err(network)?).await
}

async fn read<T: DeserializeOwned>(response: gloo_net::http::Response) -> Result<T, Failure> {
    if response.ok() {
        return response.json().await.map_err(network);
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(Failure::Refused(body)),
        Err(_) => Err(Failure::Network(format!("HTTP {}", response.status()))),
    }
}

fn network(error: gloo_net::Error) -> Failure {
    Failure::Network(error.to_string())
}
