//! A class from start to end: read back at start, created by the instructor, joined by learners,
//! seats revoked, and ended (its namespaces deleted).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use kube::Client;
use kubefiche_core::Text;
use kubefiche_core::wire::class::{ClassInfo, JoinRequest, Joined, NewClass};
use subtle::ConstantTimeEq;
use tokio::sync::broadcast;

use super::store::{self, StoreError, Stored, StoredSeat};
use super::{
    Class, Classroom, Inner, MOST_ATTEMPTS, Seat, Setup, State, now_millis, provision, tokens,
};
use crate::error::ApiError;
use crate::watch::{Fanout, Pending};

/// Most seats one class may have.
pub const MOST_SEATS: u32 = 200;
/// Longest display name, in characters.
pub const MOST_NAME: usize = 40;

impl Classroom {
    /// Read the class back from the cluster (or start with none), and follow its seats again.
    pub async fn start(setup: Setup) -> Result<Self, StoreError> {
        store::ensure_home(&setup.admin, &setup.home).await?;
        let stored = match store::read(&setup.admin, &setup.home).await? {
            Some(stored) => stored,
            None => {
                let instructor = tokens::random(32)
                    .map_err(|e| StoreError::Unreadable(format!("no randomness: {e}")))?;
                let stored = Stored {
                    instructor,
                    class: None,
                };
                store::write(&setup.admin, &setup.home, &stored).await?;
                stored
            }
        };
        // Deployed with its manifests, the role is there and the proxy may not write it.
        if let Err(error) = provision::apply(&setup.admin, &provision::learner_role()).await {
            tracing::info!(%error, "the learners' ClusterRole was not written (it must exist)");
        }
        let (board, _) = broadcast::channel(1024);
        let classroom = Self {
            inner: Arc::new(Inner {
                setup,
                instructor: stored.instructor,
                state: Mutex::default(),
                changing: tokio::sync::Mutex::new(()),
                board,
                attempts: tokens::Attempts::new(MOST_ATTEMPTS, Duration::from_secs(60)),
                fanout: Fanout::default(),
            }),
        };
        if let Some(class) = stored.class {
            let seats = store::seats(&classroom.inner.setup.admin, &class.id).await?;
            let ended = class.ended;
            classroom.lock().class = Some(class.clone());
            if ended {
                // The proxy stopped while it ended the class: finish.
                classroom.finish(&class).await?;
            } else {
                for seat in seats {
                    let pending = classroom.inner.fanout.register(&seat.namespace);
                    classroom.seat_up(&class.id, seat, pending)?;
                }
                classroom.end_at_expiry(&class);
            }
        }
        // Every seat is registered: the shared watches miss nothing of theirs.
        let setup = &classroom.inner.setup;
        classroom
            .inner
            .fanout
            .run(setup.admin.clone(), setup.shutdown.clone());
        classroom.follow_class();
        Ok(classroom)
    }

    /// `POST /api/class`.
    pub async fn create(&self, new: NewClass) -> Result<ClassInfo, ApiError> {
        let name = new.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "bad-class",
                "Give the class a name of 1 to 80 characters.",
                "Donnez à la classe un nom de 1 à 80 caractères.",
            ));
        }
        if new.seats == 0 || new.seats > MOST_SEATS || new.minutes == 0 {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "bad-class",
                &format!("A class has 1 to {MOST_SEATS} seats and lasts at least a minute."),
                &format!("Une classe a de 1 à {MOST_SEATS} places et dure au moins une minute."),
            ));
        }
        let _changing = self.inner.changing.lock().await;
        if self.lock().class.is_some() {
            return Err(refusal(
                StatusCode::CONFLICT,
                "class-exists",
                "A class is already running on this kubefiche. End it before creating another.",
                "Une classe est déjà en cours sur ce kubefiche. Terminez-la avant d'en créer une autre.",
            ));
        }
        let now = now_millis();
        let expires_at = now + u64::from(new.minutes) * 60_000;
        let class = Class {
            id: random(3)?,
            name,
            seats: new.seats,
            worksheets: new.worksheets,
            created_at: now,
            expires_at,
            join_code: random(16)?,
            join_expires_at: expires_at.min(now + self.join_millis()),
            ended: false,
        };
        self.save(Some(&class)).await?;
        self.lock().class = Some(class.clone());
        self.end_at_expiry(&class);
        self.class_changed();
        tracing::info!(class = %class.id, seats = class.seats, "class created");
        self.info().ok_or_else(no_class)
    }

    /// `POST /api/class/join-link`: a new code; the old one stops working.
    pub async fn new_join_link(&self) -> Result<ClassInfo, ApiError> {
        let _changing = self.inner.changing.lock().await;
        let mut class = self.open_class()?;
        class.join_code = random(16)?;
        class.join_expires_at = class.expires_at.min(now_millis() + self.join_millis());
        self.save(Some(&class)).await?;
        self.lock().class = Some(class);
        self.class_changed();
        self.info().ok_or_else(no_class)
    }

    /// `POST /api/join`: a seat for a learner who has the join code.
    pub async fn join(&self, request: JoinRequest) -> Result<Joined, ApiError> {
        let name = request.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > MOST_NAME || name.chars().any(char::is_control)
        {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "bad-name",
                &format!("Choose a name of 1 to {MOST_NAME} characters."),
                &format!("Choisissez un nom de 1 à {MOST_NAME} caractères."),
            ));
        }
        let changing = self.inner.changing.lock().await;
        let class = self.open_class()?;
        let now = now_millis();
        if !bool::from(request.code.as_bytes().ct_eq(class.join_code.as_bytes())) {
            return Err(bad_join_code());
        }
        if now >= class.join_expires_at {
            return Err(refusal(
                StatusCode::GONE,
                "join-link-expired",
                "This join link has expired. Ask the instructor for a new one.",
                "Ce lien d'invitation a expiré. Demandez-en un nouveau à l'enseignant·e.",
            ));
        }
        let full = || {
            refusal(
                StatusCode::CONFLICT,
                "class-full",
                "Every seat of this class is taken. Ask the instructor to add seats or to free one.",
                "Toutes les places de cette classe sont prises. Demandez à l'enseignant·e d'en ajouter ou d'en libérer une.",
            )
        };
        let token = tokens::random(24).map_err(|e| cluster_failed(&e.to_string()))?;
        let digest = tokens::digest(token.as_bytes());
        let annotations = store::seat_annotations(&name, &digest, now);
        // The first free seat. Another proxy of the same class may give one at the same time:
        // the namespace is created, never applied over, so one of them gets it and the other
        // tries the next.
        let mut number = 0;
        let (namespace, objects, pending) = loop {
            number = {
                let state = self.lock();
                if u32::try_from(state.seats.len()).unwrap_or(u32::MAX) >= class.seats {
                    return Err(full());
                }
                (number + 1..)
                    .find(|n| !state.seats.contains_key(n))
                    .unwrap_or(number + 1)
            };
            if number > class.seats {
                return Err(full());
            }
            let namespace = format!("kf-{}-{number}", class.id);
            let mut objects =
                provision::seat_objects(&class.id, number, &namespace, &annotations).into_iter();
            let first = objects.next().unwrap_or_default();
            // Followed before it exists: the shared watches miss nothing of the new namespace.
            let pending = self.inner.fanout.register(&namespace);
            match store::create_namespace(&self.inner.setup.admin, &first).await {
                Ok(true) => break (namespace, objects, pending),
                Ok(false) => {
                    // Another proxy gave this seat: its namespace may have been seen while it
                    // was registered here, so follow it now.
                    self.inner.fanout.forget(&namespace);
                    self.namespace_named(&namespace).await;
                }
                Err(error) => {
                    self.inner.fanout.forget(&namespace);
                    return Err(error.into());
                }
            }
        };
        // The seat is this learner's (its namespace exists): other joins may go on meanwhile.
        drop(changing);
        for object in objects {
            if let Err(error) = provision::apply(&self.inner.setup.admin, &object).await {
                self.inner.fanout.forget(&namespace);
                return Err(cluster_failed(&error.to_string()));
            }
        }
        let seat = self
            .seat_up(
                &class.id,
                StoredSeat {
                    number,
                    namespace: namespace.clone(),
                    name: name.clone(),
                    token: digest,
                    joined_at: now,
                    revoked: false,
                },
                pending,
            )
            .map_err(|e| cluster_failed(&e.to_string()))?;
        // The API server learns of a new RoleBinding a moment later: the learner's first Apply
        // must not meet a refusal.
        provision::authorized(&seat.client, &seat.namespace).await;
        self.class_changed();
        tracing::info!(class = %class.id, seat = number, "learner joined");
        Ok(Joined {
            token,
            seat: number,
            name,
            namespace,
        })
    }

    /// `POST /api/class/revoke`: the seat's token stops working, its streams and commands end.
    pub async fn revoke(&self, number: u32) -> Result<ClassInfo, ApiError> {
        let seat = self.lock().seats.get(&number).cloned().ok_or_else(|| {
            refusal(
                StatusCode::NOT_FOUND,
                "no-seat",
                &format!("There is no seat {number} in this class."),
                &format!("Il n'y a pas de place {number} dans cette classe."),
            )
        })?;
        self.close(&seat);
        store::revoke(&self.inner.setup.admin, &seat.namespace).await?;
        tracing::info!(seat = number, "seat revoked");
        self.info().ok_or_else(no_class)
    }

    /// `POST /api/class/end`: every seat closes and every namespace of the class is deleted.
    pub async fn end(&self) -> Result<ClassInfo, ApiError> {
        let _changing = self.inner.changing.lock().await;
        let mut class = self.lock().class.clone().ok_or_else(no_class)?;
        class.ended = true;
        self.save(Some(&class)).await?;
        self.lock().class = Some(class.clone());
        let info = self.info().ok_or_else(no_class)?;
        self.finish(&class).await?;
        Ok(info)
    }

    /// Close every seat, delete the class's namespaces, and forget the class.
    async fn finish(&self, class: &Class) -> Result<(), StoreError> {
        let seats: Vec<Arc<Seat>> = self.lock().seats.values().cloned().collect();
        for seat in &seats {
            self.close(seat);
        }
        let deleted = store::delete_seats(&self.inner.setup.admin, &class.id).await?;
        self.save(None).await?;
        {
            let mut state = self.lock();
            *state = State::default();
        }
        self.class_changed();
        tracing::info!(class = %class.id, namespaces = deleted, "class ended");
        Ok(())
    }

    /// End the class when its time is up.
    pub(super) fn end_at_expiry(&self, class: &Class) {
        let classroom = self.clone();
        let (id, wait) = (
            class.id.clone(),
            Duration::from_millis(class.expires_at.saturating_sub(now_millis())),
        );
        let shutdown = self.inner.setup.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = shutdown.cancelled() => return,
            }
            let current = classroom.lock().class.as_ref().map(|c| c.id.clone());
            if current.as_deref() == Some(id.as_str())
                && let Err(error) = classroom.end().await
            {
                tracing::warn!(%error, "the class's time is up but it could not be ended");
            }
        });
    }

    /// Follow a seat: its impersonating client, its namespace's watch, its board entry.
    pub(super) fn seat_up(
        &self,
        class: &str,
        stored: StoredSeat,
        pending: Pending,
    ) -> Result<Arc<Seat>, kube::Error> {
        let setup = &self.inner.setup;
        let user = format!(
            "system:serviceaccount:{}:{}",
            stored.namespace,
            provision::LEARNER
        );
        let mut config = setup.base.clone();
        config.auth_info.impersonate = Some(user.clone());
        config.default_namespace = stored.namespace.clone();
        let client = Client::try_from(config)?;
        let mut kubectl = setup.kubectl.clone();
        kubectl.namespace = stored.namespace.clone();
        kubectl.impersonate = Some(user);
        let closed = setup.shutdown.child_token();
        if stored.revoked {
            closed.cancel();
        }
        let hub = pending.hub();
        if stored.revoked {
            self.inner.fanout.forget(&stored.namespace);
        } else {
            pending.follow(client.clone(), &stored.namespace, closed.clone());
        }
        let seat = Arc::new(Seat {
            number: stored.number,
            name: stored.name,
            namespace: stored.namespace,
            joined_at: stored.joined_at,
            token: stored.token,
            revoked: AtomicBool::new(stored.revoked),
            closed,
            client,
            hub,
            kubectl,
            report: Mutex::default(),
            live: Mutex::default(),
            summary: Mutex::default(),
        });
        let mut state = self.lock();
        if !stored.revoked {
            state.by_token.insert(seat.token, seat.number);
        }
        state.seats.insert(seat.number, seat.clone());
        drop(state);
        self.follow(seat.clone());
        tracing::debug!(class, seat = seat.number, "seat followed");
        Ok(seat)
    }

    /// The class, when there is one that has not ended.
    fn open_class(&self) -> Result<Class, ApiError> {
        match self.lock().class.clone() {
            Some(class) if !class.ended && now_millis() < class.expires_at => Ok(class),
            Some(_) => Err(refusal(
                StatusCode::GONE,
                "class-ended",
                "This class has ended.",
                "Cette classe est terminée.",
            )),
            None => Err(no_class()),
        }
    }

    /// Write the state with `class` (none: the class is gone).
    async fn save(&self, class: Option<&Class>) -> Result<(), StoreError> {
        let stored = Stored {
            instructor: self.inner.instructor.clone(),
            class: class.cloned(),
        };
        store::write(&self.inner.setup.admin, &self.inner.setup.home, &stored).await
    }

    fn join_millis(&self) -> u64 {
        u64::try_from(self.inner.setup.join_link.as_millis()).unwrap_or(u64::MAX)
    }

    /// Seats by number, for the board.
    pub(super) fn seats(&self) -> BTreeMap<u32, Arc<Seat>> {
        self.lock().seats.clone()
    }
}

fn random(bytes: usize) -> Result<String, ApiError> {
    tokens::random(bytes).map_err(|e| cluster_failed(&format!("no randomness: {e}")))
}

pub(super) fn refusal(status: StatusCode, code: &'static str, en: &str, fr: &str) -> ApiError {
    ApiError::Class {
        status,
        code,
        message: Text::new(en, fr),
    }
}

fn no_class() -> ApiError {
    refusal(
        StatusCode::NOT_FOUND,
        "no-class",
        "There is no class on this kubefiche yet.",
        "Il n'y a pas encore de classe sur ce kubefiche.",
    )
}

pub(super) fn bad_join_code() -> ApiError {
    refusal(
        StatusCode::FORBIDDEN,
        "bad-join-code",
        "This join link is not valid (a newer one may have replaced it). Ask the instructor for the current link.",
        "Ce lien d'invitation n'est pas valide (un plus récent l'a peut-être remplacé). Demandez le lien actuel à l'enseignant·e.",
    )
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        cluster_failed(&error.to_string())
    }
}

fn cluster_failed(why: &str) -> ApiError {
    refusal(
        StatusCode::BAD_GATEWAY,
        "cluster-refused",
        &format!(
            "The cluster refused or did not answer ({why}). Try again; if it lasts, check the proxy's rights (deploy/README.md)."
        ),
        &format!(
            "Le cluster a refusé ou n'a pas répondu ({why}). Réessayez ; si cela dure, vérifiez les droits du proxy (deploy/README.md)."
        ),
    )
}
