//! Who a request speaks for, and the part of the cluster it may act on.
//!
//! Alone on a machine, every request acts on the proxy's one namespace with the proxy's own
//! credentials. In a class, the gate finds the seat of the learner's token, and the request acts
//! on that seat's namespace through a client that impersonates the seat's ServiceAccount: the API
//! server, not only this proxy, keeps each learner in their namespace.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use kube::Client;
use tokio_util::sync::CancellationToken;

use crate::classroom::Seat;
use crate::error::ApiError;
use crate::kubectl::Kubectl;
use crate::routes::AppState;
use crate::watch::Hub;

/// Who a request speaks for, as the gate found from its token.
#[derive(Clone)]
pub enum Caller {
    /// The one learner of a local playground.
    Local,
    /// The instructor of the class.
    Instructor,
    /// A learner's seat in the class.
    Learner(Arc<Seat>),
}

impl Caller {
    /// The caller of a request the gate let through (the local learner when none was recorded:
    /// a local proxy has no other).
    pub fn of(parts: &Parts) -> Self {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller::Local)
    }
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Caller::Local => f.write_str("Local"),
            Caller::Instructor => f.write_str("Instructor"),
            Caller::Learner(seat) => write!(f, "Learner({})", seat.number),
        }
    }
}

/// The client's address, when the server recorded it (wrong guesses are bounded per address).
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| peer.ip()),
        ))
    }
}

/// The namespace a learner's request acts on, and how.
#[derive(Clone)]
pub struct Scope {
    pub client: Client,
    pub namespace: String,
    pub hub: Hub,
    pub kubectl: Kubectl,
    /// Cancelled when the proxy stops or the seat is revoked: open streams and commands end.
    pub closed: CancellationToken,
    /// The seat, in a class.
    pub seat: Option<Arc<Seat>>,
}

impl Scope {
    pub fn of(state: &AppState, caller: &Caller) -> Result<Self, ApiError> {
        match caller {
            Caller::Local => Ok(Self {
                client: state.client.clone(),
                namespace: state.namespace.clone(),
                hub: state.hub.clone(),
                kubectl: state.kubectl.clone(),
                closed: state.shutdown.clone(),
                seat: None,
            }),
            Caller::Learner(seat) => Ok(Self {
                client: seat.client.clone(),
                namespace: seat.namespace.clone(),
                hub: seat.hub.clone(),
                kubectl: seat.kubectl.clone(),
                closed: seat.closed.clone(),
                seat: Some(seat.clone()),
            }),
            Caller::Instructor => Err(ApiError::NotALearner),
        }
    }
}

impl FromRequestParts<AppState> for Scope {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Scope::of(state, &Caller::of(parts))
    }
}
