//! Several proxies may serve one class (behind a load balancer, against one cluster). Each
//! follows the class's Secret and its namespaces, so that a class created, a join link renewed,
//! a seat given, revoked, or the class ended through one of them holds in all of them within a
//! watch's delay — the cluster is the only state they share.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::Api;
use kube::runtime::watcher::{self, Event};

use super::store::{self, StoredSeat};
use super::{CLASS_LABEL, Classroom, STATE, Seat, State};

impl Classroom {
    /// Follow the class's Secret and namespaces for as long as the proxy runs.
    pub(super) fn follow_class(&self) {
        let admin = &self.inner.setup.admin;
        let secrets: Api<Secret> = Api::namespaced(admin.clone(), &self.inner.setup.home);
        let config = watcher::Config::default().fields(&format!("metadata.name={STATE}"));
        let classroom = self.clone();
        let stop = self.inner.setup.shutdown.clone();
        tokio::spawn(stop.clone().run_until_cancelled_owned(async move {
            let mut events = std::pin::pin!(watcher::watcher(secrets, config));
            while let Some(event) = events.next().await {
                match event {
                    Ok(Event::Apply(secret) | Event::InitApply(secret)) => {
                        match store::stored(secret) {
                            Ok(stored) => classroom.class_seen(stored.class),
                            Err(error) => tracing::warn!(%error, "unreadable class state"),
                        }
                    }
                    Ok(Event::Delete(_)) => classroom.class_seen(None),
                    Ok(_) => {}
                    Err(error) => tracing::debug!(%error, "class state watch interrupted"),
                }
            }
        }));
        let namespaces: Api<Namespace> = Api::all(admin.clone());
        let config = watcher::Config::default().labels(CLASS_LABEL);
        let classroom = self.clone();
        tokio::spawn(stop.run_until_cancelled_owned(async move {
            let mut events = std::pin::pin!(watcher::watcher(namespaces, config));
            while let Some(event) = events.next().await {
                match event {
                    Ok(Event::Apply(namespace) | Event::InitApply(namespace)) => {
                        classroom.namespace_seen(&namespace).await;
                    }
                    Ok(Event::Delete(namespace)) => {
                        if let Some(name) = namespace.metadata.name.as_deref() {
                            classroom.namespace_gone(name);
                        }
                    }
                    Ok(_) => {}
                    Err(error) => tracing::debug!(%error, "class namespaces watch interrupted"),
                }
            }
        }));
    }

    /// The class as the cluster now holds it.
    fn class_seen(&self, class: Option<super::Class>) {
        let mut state = self.lock();
        if state.class == class {
            return;
        }
        let ended = class.as_ref().is_none_or(|c| c.ended);
        let new = state.class.as_ref().map(|c| &c.id) != class.as_ref().map(|c| &c.id);
        let seats: Vec<Arc<Seat>> = state.seats.values().cloned().collect();
        if class.is_none() {
            *state = State::default();
        } else {
            state.class = class.clone();
        }
        drop(state);
        if ended {
            for seat in &seats {
                self.close(seat);
            }
        } else if let Some(class) = class.as_ref().filter(|_| new) {
            self.end_at_expiry(class);
        }
        self.class_changed();
    }

    /// A namespace of a class: a seat given or revoked by another proxy, or one being deleted.
    async fn namespace_seen(&self, namespace: &Namespace) {
        let Some(class) = self.lock().class.as_ref().map(|c| c.id.clone()) else {
            return;
        };
        let Some(stored) = store::stored_seat(namespace, &class) else {
            if let Some(name) = namespace.metadata.name.as_deref() {
                self.namespace_gone(name);
            }
            return;
        };
        let known = self.lock().seats.get(&stored.number).cloned();
        match known {
            Some(seat) if stored.revoked && !seat.revoked() => self.close(&seat),
            Some(_) => {}
            // Given by this proxy, and still being made.
            None if self.inner.fanout.knows(&stored.namespace) => {}
            None if !stored.revoked => self.adopt(&class, stored).await,
            None => {}
        }
    }

    /// Look at namespace `name` as the watch would (a seat another proxy gave).
    pub(super) async fn namespace_named(&self, name: &str) {
        let api: Api<Namespace> = Api::all(self.inner.setup.admin.clone());
        match api.get_opt(name).await {
            Ok(Some(namespace)) => self.namespace_seen(&namespace).await,
            Ok(None) => {}
            Err(error) => tracing::debug!(%error, name, "a seat's namespace could not be read"),
        }
    }

    /// A seat another proxy gave: follow it here too.
    async fn adopt(&self, class: &str, stored: StoredSeat) {
        let namespace = stored.namespace.clone();
        let pending = self.inner.fanout.register(&namespace);
        self.inner
            .fanout
            .fill(&namespace, &self.inner.setup.admin)
            .await;
        match self.seat_up(class, stored, pending) {
            Ok(_) => self.class_changed(),
            Err(error) => {
                self.inner.fanout.forget(&namespace);
                tracing::warn!(%error, namespace, "a seat given elsewhere could not be followed");
            }
        }
    }

    fn namespace_gone(&self, namespace: &str) {
        let seat = self
            .lock()
            .seats
            .values()
            .find(|s| s.namespace == namespace)
            .cloned();
        if let Some(seat) = seat {
            self.close(&seat);
        }
    }

    /// The seat's token stops working here, its streams and commands end, its watch stops.
    pub(super) fn close(&self, seat: &Seat) {
        seat.revoked.store(true, Ordering::Release);
        seat.closed.cancel();
        self.inner.fanout.forget(&seat.namespace);
        self.lock().by_token.remove(&seat.token);
        self.seat_changed(seat);
    }
}
