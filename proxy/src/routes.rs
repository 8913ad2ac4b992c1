//! The HTTP surface: a fixed set of operations, never a generic API proxy.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::Uri;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router, middleware};
use futures::{Stream, StreamExt, stream};
use kube::Client;
use kubefiche_core::Text;
use kubefiche_core::validate::ClusterFlavor;
use kubefiche_core::wire::class::Role;
use kubefiche_core::wire::{ApplyRequest, ApplyResponse, Health, Session, StreamEvent};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio_util::sync::CancellationToken;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::RequestBodyDeadlineLayer;

use crate::bounds::Bounds;
use crate::classroom::Classroom;
use crate::error::ApiError;
use crate::guard::{self, Guard};
use crate::kubectl::Kubectl;
use crate::scope::{Caller, Scope};
use crate::watch::{Hub, Message};
use crate::{apply, assets, command, sandbox};

/// Everything a request handler may use.
#[derive(Clone)]
pub struct AppState {
    pub client: Client,
    pub namespace: String,
    pub context: String,
    pub server_version: String,
    pub hub: Hub,
    pub guard: Guard,
    pub max_body_bytes: usize,
    /// How learner commands reach the cluster (`/api/command`, `/api/terminal`).
    pub kubectl: Kubectl,
    // Pod Security, Services and workload sizes: what applied objects may ask of the cluster.
    pub sandbox: sandbox::Settings,
    /// Cancelled when the proxy stops: open event streams end so that connections can close.
    pub shutdown: CancellationToken,
    // What one request may cost.
    /// Objects per apply, time for a body, validations at once.
    pub bounds: Bounds,
    // Classroom mode.
    /// The class this proxy serves; `None` for one learner on their own machine.
    pub classroom: Option<Classroom>,
}

pub fn app(state: AppState) -> Router {
    let guard = state.guard.clone();
    let limit = state.max_body_bytes;
    let body_time = state.bounds.body_time;
    Router::new()
        .route(crate::terminal::PATH, get(crate::terminal::open))
        .route("/api/session", get(session))
        .route("/api/apply", post(apply_files))
        .route("/api/stream", post(pod_stream))
        .route("/api/command", post(command::run))
        .merge(crate::classroom::routes::routes())
        .route("/api/{*rest}", any(unknown_operation))
        .method_not_allowed_fallback(wrong_method)
        .fallback(get(assets::serve).fallback(wrong_method))
        // Gzip for the app's files; the event stream is never compressed (it must flow).
        .layer(CompressionLayer::new().gzip(true))
        .layer(DefaultBodyLimit::max(limit))
        // A body that trickles in is cut, whatever its pace: it would hold the request forever.
        .layer(RequestBodyDeadlineLayer::new(body_time))
        .layer(middleware::from_fn(move |request, next| {
            declared_length(limit, request, next)
        }))
        .layer(Extension(crate::terminal::Terminals::default()))
        .layer(middleware::from_fn_with_state(guard, guard::gate))
        .with_state(state)
}

/// Refuses at once a body that declares more bytes than the limit, rather than reading toward
/// it (a `Content-Length` of 10^12 would otherwise hold the connection while it trickles in).
async fn declared_length(
    limit: usize,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => {
            axum::response::IntoResponse::into_response(ApiError::BadBody(Text::new(
                format!("the body declares {n} bytes; the limit is {limit} bytes"),
                format!("le corps annonce {n} octets ; la limite est de {limit} octets"),
            )))
        }
        _ => next.run(request).await,
    }
}

async fn unknown_operation(uri: Uri) -> ApiError {
    ApiError::UnknownOperation(uri.path().to_owned())
}

async fn wrong_method() -> ApiError {
    ApiError::WrongMethod
}

async fn session(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Json<Session> {
    let class = || state.classroom.as_ref().and_then(Classroom::info);
    let (namespace, role) = match &caller {
        Caller::Local => (state.namespace.clone(), Role::Local),
        Caller::Instructor => (
            state.namespace.clone(),
            Role::Instructor {
                class: class().map(|c| c.name),
            },
        ),
        Caller::Learner(seat) => (
            seat.namespace.clone(),
            Role::Learner {
                class: class().map(|c| c.name).unwrap_or_default(),
                seat: seat.number,
                name: seat.name.clone(),
            },
        ),
    };
    Json(Session {
        namespace,
        context: state.context.clone(),
        server_version: state.server_version.clone(),
        flavor: flavor(&state.context),
        policy: state.sandbox,
        role,
    })
}

/// The kind of local cluster, from the names their tools give to kubeconfig contexts.
pub(crate) fn flavor(context: &str) -> Option<ClusterFlavor> {
    match context {
        c if c.starts_with("kind-") => Some(ClusterFlavor::Kind),
        c if c == "minikube" || c.starts_with("minikube-") => Some(ClusterFlavor::Minikube),
        c if c.starts_with("k3d-") => Some(ClusterFlavor::K3d),
        "kubefiche-local" => Some(ClusterFlavor::Local),
        _ => None,
    }
}

async fn apply_files(
    State(state): State<AppState>,
    scope: Scope,
    body: Result<Json<ApplyRequest>, JsonRejection>,
) -> Result<Json<ApplyResponse>, ApiError> {
    let Json(ApplyRequest { files, dry_run }) =
        body.map_err(|rejection| ApiError::unreadable_json(&rejection))?;
    state.bounds.check_objects(&files)?;
    let checked = state
        .bounds
        .off_executor(move || apply::check(&files))
        .await?;
    let response = apply::apply(
        &scope.client,
        &scope.namespace,
        &state.sandbox,
        dry_run,
        checked,
    )
    .await;
    tracing::info!(
        objects = response.results.len(),
        diagnostics = response.diagnostics.len(),
        dry_run,
        "apply"
    );
    Ok(Json(response))
}

/// Server-sent events: a snapshot first (with the hub's health), then every change; a tab that
/// falls behind gets a fresh snapshot instead of the events it missed. Each change is written as
/// JSON once by the hub for every tab. A tab that comes before the hub's first lists is told the
/// hub's health at once when it is not live and whenever it changes, and gets its snapshot once
/// the lists are in.
async fn pod_stream(scope: Scope) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Ends when the proxy stops, or when the learner's seat is revoked.
    let shutdown = scope.closed.clone().cancelled_owned();
    let hub = scope.hub.clone();
    // The tab follows from the moment it is answered.
    let tab = if hub.is_ready() {
        let (snapshot, next) = join(hub);
        Tab::Joined(snapshot, Box::new(next))
    } else {
        let receiver = hub.subscribe();
        match hub.health() {
            // Nothing to say before the snapshot while all is well.
            Health::Live => Tab::Starting(hub, receiver),
            health => Tab::Joined(
                to_json(&StreamEvent::Health { health }),
                Box::new(Tab::Starting(hub, receiver)),
            ),
        }
    };
    let events = stream::unfold(tab, |tab| async move {
        match tab {
            Tab::Starting(hub, receiver) => starting(hub, receiver).await,
            Tab::Joined(snapshot, next) => Some((snapshot, *next)),
            Tab::Following(hub, mut receiver) => match receiver.recv().await {
                Ok(message) => Some((message.json().clone(), Tab::Following(hub, receiver))),
                Err(RecvError::Lagged(_)) => Some(join(hub)),
                Err(RecvError::Closed) => None,
            },
        }
    })
    .map(|json| Ok(Event::default().data(json)))
    .take_until(shutdown);
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// Where one open stream is.
enum Tab {
    /// Waiting for the hub's first lists, with the changes since the tab was answered.
    Starting(Hub, broadcast::Receiver<Arc<Message>>),
    /// A snapshot to send (as JSON), then what follows.
    Joined(Arc<str>, Box<Tab>),
    Following(Hub, broadcast::Receiver<Arc<Message>>),
}

/// Before the hub's first lists: pass on each change of its health until they are in, then start
/// from a snapshot (the changes seen meanwhile are in it).
async fn starting(
    hub: Hub,
    mut receiver: broadcast::Receiver<Arc<Message>>,
) -> Option<(Arc<str>, Tab)> {
    let ready = {
        let hub = hub.clone();
        async move { hub.ready().await }
    };
    let mut ready = std::pin::pin!(ready);
    loop {
        tokio::select! {
            () = &mut ready => return Some(join(hub)),
            message = receiver.recv() => match message {
                Ok(message) if matches!(message.event(), StreamEvent::Health { .. }) => {
                    return Some((message.json().clone(), Tab::Starting(hub, receiver)));
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            },
        }
    }
}

/// A snapshot to (re)start from, as JSON, and the changes after it.
fn join(hub: Hub) -> (Arc<str>, Tab) {
    let (snapshot, receiver) = hub.join();
    (to_json(&snapshot), Tab::Following(hub, receiver))
}

fn to_json(snapshot: &StreamEvent) -> Arc<str> {
    // Serialising our own enum cannot fail; an empty event would be skipped by the page.
    serde_json::to_string(snapshot).unwrap_or_default().into()
}
