//! Classroom mode: one proxy serves a whole class on a shared cluster.
//!
//! The class keeps no database of its own. The Secret [`STATE`] in the proxy's home namespace
//! holds the class (as JSON), the instructor's token and the join code; each seat is a namespace
//! labelled with the class and the seat number and annotated with the learner's name and the
//! SHA-256 of their token (never the token). A proxy that starts again reads them back, so seats
//! survive a restart and a learner's link keeps working. Every call a learner causes goes through
//! a client that impersonates the seat's ServiceAccount, which only holds rights in its namespace.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use kube::Client;
use kubefiche_core::wire::class::{ClassInfo, SeatReport};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::kubectl::Kubectl;
use crate::scope::Caller;
use crate::watch::{Fanout, Hub};

mod board;
pub mod certificate;
mod lifecycle;
pub mod provision;
pub mod routes;
mod store;
mod sync;
pub mod tokens;

pub use board::Summary;
pub use store::StoreError;

/// The Secret of the class's state, in the home namespace.
pub const STATE: &str = "kubefiche-class";
/// The label of every namespace of a class: the class's id.
pub const CLASS_LABEL: &str = "kubefiche.dev/class";
/// The label of a seat's namespace: its number.
pub const SEAT_LABEL: &str = "kubefiche.dev/seat";
/// Annotations of a seat's namespace.
pub const NAME_ANNOTATION: &str = "kubefiche.dev/learner";
pub const TOKEN_ANNOTATION: &str = "kubefiche.dev/token-sha256";
pub const JOINED_ANNOTATION: &str = "kubefiche.dev/joined-at";
pub const REVOKED_ANNOTATION: &str = "kubefiche.dev/revoked";

/// How long a join link works unless the class ends first.
pub const DEFAULT_JOIN_MINUTES: u64 = 60;
/// Wrong tokens or join codes one address may send per minute.
pub const MOST_ATTEMPTS: u32 = 30;

/// The class as kept in [`STATE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Class {
    pub id: String,
    pub name: String,
    pub seats: u32,
    pub worksheets: Vec<String>,
    pub created_at: u64,
    pub expires_at: u64,
    pub join_code: String,
    pub join_expires_at: u64,
    #[serde(default)]
    pub ended: bool,
}

/// One learner's seat: their namespace and how the proxy acts there for them.
pub struct Seat {
    pub number: u32,
    pub name: String,
    pub namespace: String,
    pub joined_at: u64,
    token: [u8; 32],
    revoked: AtomicBool,
    /// Cancelled when the seat is revoked, the class ends or the proxy stops.
    pub closed: CancellationToken,
    /// Impersonates the seat's ServiceAccount.
    pub client: Client,
    pub hub: Hub,
    pub kubectl: Kubectl,
    /// What the learner's page last reported, and when (Unix milliseconds).
    report: Mutex<Option<(SeatReport, u64)>>,
    /// The seat's namespace as its stream tells it (the page's own model).
    live: Mutex<kubefiche_core::live::Live>,
    /// What the board shows of it.
    summary: Mutex<Summary>,
}

impl Seat {
    pub fn revoked(&self) -> bool {
        self.revoked.load(Ordering::Acquire)
    }
}

/// How the class reaches the cluster and its learners.
pub struct Setup {
    /// The proxy's own identity.
    pub admin: Client,
    /// Its configuration, from which each seat's impersonating client is made.
    pub base: kube::Config,
    /// Where the class's state is kept.
    pub home: String,
    /// kubectl as the proxy runs it; each seat's adds `--as` and its namespace.
    pub kubectl: Kubectl,
    pub shutdown: CancellationToken,
    /// How long a join link works (unless the class ends first).
    pub join_link: Duration,
}

#[derive(Clone)]
pub struct Classroom {
    inner: Arc<Inner>,
}

struct Inner {
    setup: Setup,
    instructor: String,
    state: Mutex<State>,
    /// One join (or class change) at a time: seat numbers and the Secret stay consistent.
    changing: tokio::sync::Mutex<()>,
    board: broadcast::Sender<Arc<str>>,
    attempts: tokens::Attempts,
    /// One watch per kind for every seat.
    fanout: Fanout,
}

#[derive(Default)]
struct State {
    class: Option<Class>,
    seats: BTreeMap<u32, Arc<Seat>>,
    by_token: HashMap<[u8; 32], u32>,
}

impl Classroom {
    /// The instructor's token (for the link printed to the person who started the proxy).
    pub fn instructor_token(&self) -> &str {
        &self.inner.instructor
    }

    /// Who `token` speaks for: the instructor, a learner's seat that is not revoked, or nobody.
    pub fn caller(&self, token: &[u8]) -> Option<Caller> {
        if bool::from(token.ct_eq(self.inner.instructor.as_bytes())) {
            return Some(Caller::Instructor);
        }
        let digest = tokens::digest(token);
        let state = self.lock();
        let seat = state.seats.get(state.by_token.get(&digest)?)?;
        (!seat.revoked()).then(|| Caller::Learner(seat.clone()))
    }

    /// Whether `address` may try a token or a join code now.
    pub fn may_try(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        match address {
            Some(address) if !self.inner.attempts.allowed(address) => {
                Err(self.inner.attempts.wait(address))
            }
            _ => Ok(()),
        }
    }

    /// Count a wrong token or join code from `address`.
    pub fn failed(&self, address: Option<IpAddr>) {
        if let Some(address) = address {
            self.inner.attempts.failed(address);
        }
    }

    /// The class now, as the instructor sees it.
    pub fn info(&self) -> Option<ClassInfo> {
        let state = self.lock();
        state.class.as_ref().map(|class| info(class, &state.seats))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn info(class: &Class, seats: &BTreeMap<u32, Arc<Seat>>) -> ClassInfo {
    let now = now_millis();
    let open = !class.ended && now < class.join_expires_at && now < class.expires_at;
    ClassInfo {
        id: class.id.clone(),
        name: class.name.clone(),
        seats: class.seats,
        worksheets: class.worksheets.clone(),
        created_at: class.created_at,
        expires_at: class.expires_at,
        taken: u32::try_from(seats.len()).unwrap_or(u32::MAX),
        join: open.then(|| format!("/#join={}", class.join_code)),
        join_expires_at: class.join_expires_at,
        ended: class.ended,
    }
}

/// Now, in Unix milliseconds.
pub fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}
