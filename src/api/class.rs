//! The classroom's requests: joining (no token: the join code), the learner's report, and the
//! instructor's operations on the class (addresses in `kubefiche_core::wire::class`).

use gloo_net::http::Request;
use kubefiche_core::wire::TOKEN_HEADER;
use kubefiche_core::wire::class::{
    ClassInfo, JoinRequest, Joined, NewClass, SeatDetail, SeatReport, SeatRequest,
};
use serde::Serialize;

use super::{Failure, network, read};

/// `POST /api/join`: a seat for `request.name`.
pub async fn join(request: &JoinRequest) -> Result<Joined, Failure> {
    let request = Request::post("/api/join").json(request).map_err(network)?;
    read(request.send().await.map_err(network)?).await
}

/// `POST /api/report`: where this learner's page stands (answered with no body).
pub async fn report(token: &str, report: &SeatReport) -> Result<(), Failure> {
    let request = Request::post("/api/report")
        .header(TOKEN_HEADER, token)
        .json(report)
        .map_err(network)?;
    let response = request.send().await.map_err(network)?;
    if response.ok() {
        Ok(())
    } else {
        Err(Failure::Network(format!("HTTP {}", response.status())))
    }
}

async fn post<B: Serialize, T: serde::de::DeserializeOwned>(
    token: &str,
    path: &str,
    body: &B,
) -> Result<T, Failure> {
    let request = Request::post(path)
        .header(TOKEN_HEADER, token)
        .json(body)
        .map_err(network)?;
    read(request.send().await.map_err(network)?).await
}

/// Nothing to say but a JSON body all the same (the proxy takes JSON only).
#[derive(Serialize)]
struct Empty {}

pub async fn create(token: &str, class: &NewClass) -> Result<ClassInfo, Failure> {
    post(token, "/api/class", class).await
}

pub async fn new_join_link(token: &str) -> Result<ClassInfo, Failure> {
    post(token, "/api/class/join-link", &Empty {}).await
}

pub async fn revoke(token: &str, seat: u32) -> Result<ClassInfo, Failure> {
    post(token, "/api/class/revoke", &SeatRequest { seat }).await
}

pub async fn end(token: &str) -> Result<ClassInfo, Failure> {
    post(token, "/api/class/end", &Empty {}).await
}

/// `GET /api/class/seat?id=N`: one learner, read-only.
pub async fn seat(token: &str, seat: u32) -> Result<SeatDetail, Failure> {
    let request = Request::get(&format!("/api/class/seat?id={seat}"))
        .header(TOKEN_HEADER, token)
        .build()
        .map_err(network)?;
    read(request.send().await.map_err(network)?).await
}
