//! Every failure the proxy answers with, in one JSON shape (`ErrorBody`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kubefiche_core::Text;
use kubefiche_core::wire::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request came without the launch token, or with a wrong one.
    #[error("missing or wrong access token")]
    BadToken,
    /// The Host header names a host this proxy does not serve (DNS rebinding guard).
    #[error("host {0:?} is not allowed")]
    BadHost(String),
    /// A state-changing request or the stream came from another origin (or none).
    #[error("origin {0:?} is not allowed")]
    BadOrigin(String),
    /// The body is not JSON, too large, or does not match the expected shape.
    #[error("bad request body: {0}")]
    BadBody(String),
    /// The path names no operation of the proxy (it is never a generic API proxy).
    #[error("no operation {0}")]
    UnknownOperation(String),
    /// The operation exists but not with this HTTP method.
    #[error("method not allowed")]
    WrongMethod,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, Text) {
        match self {
            Self::BadToken => (
                StatusCode::UNAUTHORIZED,
                "bad-token",
                Text::new(
                    "This page has no valid access token. Open the address kubefiche printed in its terminal (it ends with #token=…).",
                    "Cette page n'a pas de jeton d'accès valide. Ouvrez l'adresse affichée par kubefiche dans son terminal (elle se termine par #token=…).",
                ),
            ),
            Self::BadHost(host) => (
                StatusCode::MISDIRECTED_REQUEST,
                "bad-host",
                Text::new(
                    format!(
                        "The host name {host:?} is not served here. Use http://127.0.0.1 or http://localhost, or start kubefiche with --allow-host."
                    ),
                    format!(
                        "Le nom d'hôte {host:?} n'est pas servi ici. Utilisez http://127.0.0.1 ou http://localhost, ou lancez kubefiche avec --allow-host."
                    ),
                ),
            ),
            Self::BadOrigin(origin) => (
                StatusCode::FORBIDDEN,
                "bad-origin",
                Text::new(
                    format!(
                        "Requests from the origin {origin:?} are refused: only the kubefiche page itself may change the cluster."
                    ),
                    format!(
                        "Les requêtes venant de l'origine {origin:?} sont refusées : seule la page kubefiche peut modifier le cluster."
                    ),
                ),
            ),
            Self::BadBody(why) => (
                StatusCode::BAD_REQUEST,
                "bad-body",
                Text::new(
                    format!("The request was refused: {why}."),
                    format!("La requête a été refusée : {why}."),
                ),
            ),
            Self::UnknownOperation(path) => (
                StatusCode::NOT_FOUND,
                "no-such-operation",
                Text::new(
                    format!(
                        "kubefiche offers no operation at {path}: the page only reads the session, applies manifests and follows the cluster."
                    ),
                    format!(
                        "kubefiche n'offre aucune opération à {path} : la page lit seulement la session, applique des manifestes et suit le cluster."
                    ),
                ),
            ),
            Self::WrongMethod => (
                StatusCode::METHOD_NOT_ALLOWED,
                "wrong-method",
                Text::new(
                    "This operation does not accept this HTTP method.",
                    "Cette opération n'accepte pas cette méthode HTTP.",
                ),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        tracing::info!(code, %status, "refused: {self}");
        (
            status,
            Json(ErrorBody {
                error: code.to_owned(),
                message,
            }),
        )
            .into_response()
    }
}
