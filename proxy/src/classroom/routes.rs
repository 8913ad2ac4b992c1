//! The class's operations: the instructor's (create, join link, revoke, end, one learner, the
//! board's stream), a learner joining, and a learner's page reporting.

use std::convert::Infallible;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use futures::{Stream, StreamExt, stream};
use kubefiche_core::wire::class::{
    ClassInfo, JoinRequest, Joined, NewClass, SeatDetail, SeatReport, SeatRequest,
};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::Classroom;
use super::lifecycle::{bad_join_code, refusal};
use crate::error::ApiError;
use crate::routes::AppState;
use crate::scope::{Caller, Peer};

/// The class's addresses, added to the app's in classroom mode.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/class", get(class).post(create))
        .route("/api/class/join-link", post(join_link))
        .route("/api/class/revoke", post(revoke))
        .route("/api/class/end", post(end))
        .route("/api/class/seat", get(seat))
        .route("/api/board", post(board))
        .route("/api/join", post(join))
        .route("/api/report", post(report))
}

/// The class, for the instructor only.
fn instructor(state: &AppState, caller: &Caller) -> Result<Classroom, ApiError> {
    match (caller, &state.classroom) {
        (Caller::Instructor, Some(classroom)) => Ok(classroom.clone()),
        _ => Err(ApiError::NotTheInstructor),
    }
}

fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(value)| value)
        .map_err(|rejection| ApiError::unreadable_json(&rejection))
}

async fn class(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<ClassInfo>, ApiError> {
    let classroom = instructor(&state, &caller)?;
    classroom.info().map(Json).ok_or_else(|| {
        refusal(
            StatusCode::NOT_FOUND,
            "no-class",
            "There is no class on this kubefiche yet.",
            "Il n'y a pas encore de classe sur ce kubefiche.",
        )
    })
}

async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    new: Result<Json<NewClass>, JsonRejection>,
) -> Result<Json<ClassInfo>, ApiError> {
    let classroom = instructor(&state, &caller)?;
    Ok(Json(classroom.create(body(new)?).await?))
}

async fn join_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<ClassInfo>, ApiError> {
    Ok(Json(instructor(&state, &caller)?.new_join_link().await?))
}

async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    seat: Result<Json<SeatRequest>, JsonRejection>,
) -> Result<Json<ClassInfo>, ApiError> {
    let classroom = instructor(&state, &caller)?;
    Ok(Json(classroom.revoke(body(seat)?.seat).await?))
}

async fn end(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<ClassInfo>, ApiError> {
    Ok(Json(instructor(&state, &caller)?.end().await?))
}

#[derive(Deserialize)]
struct SeatQuery {
    id: u32,
}

async fn seat(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<SeatQuery>,
) -> Result<Json<SeatDetail>, ApiError> {
    let classroom = instructor(&state, &caller)?;
    let seat = classroom.seat(query.id).ok_or_else(|| {
        refusal(
            StatusCode::NOT_FOUND,
            "no-seat",
            &format!("There is no seat {} in this class.", query.id),
            &format!("Il n'y a pas de place {} dans cette classe.", query.id),
        )
    })?;
    Ok(Json(seat.detail()))
}

/// Server-sent board events: a snapshot, then each change; a board that falls behind starts
/// again from a snapshot.
async fn board(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let classroom = instructor(&state, &caller)?;
    let shutdown = state.shutdown.clone().cancelled_owned();
    let (snapshot, changes) = classroom.board_join();
    let events = stream::unfold(
        (classroom, Some(snapshot), changes),
        |(classroom, first, mut changes)| async move {
            if let Some(snapshot) = first {
                return Some((snapshot, (classroom, None, changes)));
            }
            match changes.recv().await {
                Ok(json) => Some((json, (classroom, None, changes))),
                Err(RecvError::Lagged(_)) => {
                    let (snapshot, fresh) = classroom.board_join();
                    Some((snapshot, (classroom, None, fresh)))
                }
                Err(RecvError::Closed) => None,
            }
        },
    )
    .map(|json| Ok(Event::default().data(json)))
    .take_until(shutdown);
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// A learner joins with the join code (the gate let this through without a token).
async fn join(
    State(state): State<AppState>,
    Peer(address): Peer,
    request: Result<Json<JoinRequest>, JsonRejection>,
) -> Result<Json<Joined>, ApiError> {
    let Some(classroom) = &state.classroom else {
        return Err(ApiError::UnknownOperation("/api/join".into()));
    };
    if let Err(wait) = classroom.may_try(address) {
        return Err(too_many_attempts(wait));
    }
    let request = body(request)?;
    match classroom.join(request).await {
        Err(ApiError::Class {
            code: "bad-join-code",
            ..
        }) => {
            classroom.failed(address);
            Err(bad_join_code())
        }
        answer => answer.map(Json),
    }
}

async fn report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    report: Result<Json<SeatReport>, JsonRejection>,
) -> Result<Response, ApiError> {
    let (Caller::Learner(seat), Some(classroom)) = (&caller, &state.classroom) else {
        return Err(ApiError::NotALearner);
    };
    classroom.report(seat, body(report)?);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Too many wrong tokens or join codes from one address.
pub fn too_many_attempts(wait: std::time::Duration) -> ApiError {
    let seconds = wait.as_secs().max(1);
    refusal(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-attempts",
        &format!(
            "Too many wrong links from this address. Wait {seconds} s, then open your link again."
        ),
        &format!(
            "Trop de liens erronés depuis cette adresse. Attendez {seconds} s, puis rouvrez votre lien."
        ),
    )
}
