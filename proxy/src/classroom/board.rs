//! The instructor's board: each seat's namespace folded into the page's own model
//! (`kubefiche_core::live`), summed up as pods by state and what goes wrong, with what the
//! learner's page reports; pushed to every open board as it changes.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use kubefiche_core::Text;
use kubefiche_core::live::Live;
use kubefiche_core::live::explain::{self, Context, Level, Sources};
use kubefiche_core::wire::class::{BoardEvent, BoardSeat, PodCount, SeatDetail, SeatReport};
use tokio::sync::broadcast::error::RecvError;

use super::{Classroom, Seat, now_millis};

/// A board change waits this long for more before it is sent: a Deployment scaled to 5 is one
/// update, not ten.
const SETTLE: Duration = Duration::from_millis(100);
/// Most problems listed per learner.
const MOST_PROBLEMS: usize = 5;

/// What the board shows of one seat's namespace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pods: Vec<PodCount>,
    problems: Vec<Text>,
}

impl Summary {
    fn of(live: &Live, report: Option<&SeatReport>) -> Self {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let rows = live.pod_rows();
        for row in &rows {
            *counts.entry(row.status.clone()).or_default() += 1;
        }
        let files = report.map(|r| r.workspace.as_slice()).unwrap_or_default();
        let sources = Sources::new(files);
        let context = Context {
            sources: &sources,
            flavor: None,
            now_unix: i64::try_from(now_millis() / 1000).ok(),
            commands: &[],
        };
        let mut problems: Vec<Text> = Vec::new();
        for found in explain::explain(live, &context) {
            if found.level == Level::Info {
                continue;
            }
            let status = rows
                .iter()
                .find(|row| found.object.kind == "Pod" && row.name == found.object.name)
                .map(|row| row.status.as_str());
            let text = match status {
                Some(status) => Text::new(
                    format!("{status} — {}", found.title.en),
                    format!("{status} — {}", found.title.fr),
                ),
                None => found.title,
            };
            if !problems.contains(&text) && problems.len() < MOST_PROBLEMS {
                problems.push(text);
            }
        }
        Self {
            pods: counts
                .into_iter()
                .map(|(status, count)| PodCount { status, count })
                .collect(),
            problems,
        }
    }
}

impl Seat {
    /// The seat as the board shows it.
    pub fn board(&self) -> BoardSeat {
        let report = self.report.lock().unwrap_or_else(PoisonError::into_inner);
        let summary = self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        let (report, seen_at) = match report.as_ref() {
            Some((report, at)) => (Some(report), Some(*at)),
            None => (None, None),
        };
        BoardSeat {
            seat: self.number,
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            joined_at: self.joined_at,
            seen_at,
            revoked: self.revoked(),
            pods: summary.pods.clone(),
            fiche: report.map(|r| r.fiche.clone()).unwrap_or_default(),
            exercises: report.map(|r| r.exercises.clone()).unwrap_or_default(),
            failing: report.and_then(|r| r.failing.clone()),
            problems: summary.problems.clone(),
        }
    }

    /// Fold one change of the seat's namespace into its model.
    fn fold(&self, event: kubefiche_core::wire::StreamEvent) {
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .apply(event);
    }

    /// The seat with its files and objects, read-only (Secret values never reach the hub).
    pub fn detail(&self) -> SeatDetail {
        let workspace = self
            .report
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|(report, _)| report.workspace.clone())
            .unwrap_or_default();
        let objects = self
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .objects()
            .cloned()
            .collect();
        SeatDetail {
            seat: self.board(),
            workspace,
            objects,
        }
    }
}

impl Classroom {
    /// Keep the seat's summary up to date from its namespace's stream, and tell the boards.
    pub(super) fn follow(&self, seat: Arc<Seat>) {
        let classroom = self.clone();
        tokio::spawn(async move {
            let (snapshot, mut changes) = seat.hub.join();
            seat.fold(snapshot);
            classroom.summarise(&seat);
            loop {
                let next = tokio::select! {
                    next = changes.recv() => next,
                    () = seat.closed.cancelled() => break,
                };
                match next {
                    Ok(message) => seat.fold(message.event().clone()),
                    Err(RecvError::Lagged(_)) => {
                        let (snapshot, fresh) = seat.hub.join();
                        changes = fresh;
                        seat.fold(snapshot);
                    }
                    Err(RecvError::Closed) => break,
                }
                // Take what else came meanwhile before summing up once.
                tokio::time::sleep(SETTLE).await;
                while let Ok(message) = changes.try_recv() {
                    seat.fold(message.event().clone());
                }
                classroom.summarise(&seat);
            }
            // Revoked or ended: the board shows it so.
            classroom.seat_changed(&seat);
        });
    }

    fn summarise(&self, seat: &Seat) {
        let summary = {
            let live = seat.live.lock().unwrap_or_else(PoisonError::into_inner);
            let report = seat.report.lock().unwrap_or_else(PoisonError::into_inner);
            Summary::of(&live, report.as_ref().map(|(r, _)| r))
        };
        let mut kept = seat.summary.lock().unwrap_or_else(PoisonError::into_inner);
        if *kept == summary {
            return;
        }
        *kept = summary;
        drop(kept);
        self.seat_changed(seat);
    }

    /// `POST /api/report`: what the learner's page says of its progress and files.
    pub fn report(&self, seat: &Seat, report: SeatReport) {
        let mut kept = seat.report.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.as_ref().is_some_and(|(old, _)| *old == report) {
            return;
        }
        *kept = Some((report, now_millis()));
        drop(kept);
        self.seat_changed(seat);
    }

    pub(super) fn seat_changed(&self, seat: &Seat) {
        self.tell(&BoardEvent::Seat { seat: seat.board() });
    }

    pub(super) fn class_changed(&self) {
        self.tell(&BoardEvent::Class { class: self.info() });
    }

    fn tell(&self, event: &BoardEvent) {
        if self.inner.board.receiver_count() == 0 {
            return;
        }
        // Serialising our own enum cannot fail.
        let json = serde_json::to_string(event).unwrap_or_default();
        let _ = self.inner.board.send(json.into());
    }

    /// What a board starts from, and the changes after it.
    pub fn board_join(&self) -> (Arc<str>, tokio::sync::broadcast::Receiver<Arc<str>>) {
        let changes = self.inner.board.subscribe();
        let snapshot = BoardEvent::Snapshot {
            class: self.info(),
            seats: self.seats().values().map(|seat| seat.board()).collect(),
        };
        let json = serde_json::to_string(&snapshot).unwrap_or_default();
        (json.into(), changes)
    }

    /// One seat, read-only.
    pub fn seat(&self, number: u32) -> Option<Arc<Seat>> {
        self.lock().seats.get(&number).cloned()
    }
}
