//! Classroom mode: one proxy serves a class on a shared cluster. These are the messages of the
//! instructor's board, of a learner joining, and of a learner's page reporting where it stands.
//!
//! Addresses (all JSON, all under the proxy's guard):
//! - `POST /api/class` ([`NewClass`] → [`ClassInfo`]), instructor only: create the class;
//! - `GET /api/class` (→ [`ClassInfo`]), instructor only;
//! - `POST /api/class/join-link` (→ [`ClassInfo`]), instructor only: a fresh join link, the old
//!   one stops working;
//! - `POST /api/class/revoke` ([`SeatRequest`] → [`ClassInfo`]), instructor only: the learner's
//!   token stops working at once, open streams included;
//! - `POST /api/class/end` (→ [`ClassInfo`]), instructor only: every seat's namespace is deleted;
//! - `GET /api/class/seat?id=N` (→ [`SeatDetail`]), instructor only: one learner, read-only;
//! - `POST /api/board` (→ server-sent [`BoardEvent`]s), instructor only;
//! - `POST /api/join` ([`JoinRequest`] → [`Joined`]): no token, the join code instead;
//! - `POST /api/report` ([`SeatReport`] → 204), learner only.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Text;
use crate::live::LiveObject;
use crate::manifest::SourceFile;

/// Who the page speaks for (in [`super::Session`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// One learner on their own machine: the usual playground.
    #[default]
    Local,
    /// A learner's seat in a class.
    Learner {
        class: String,
        seat: u32,
        name: String,
    },
    /// The class's instructor; `class` is `None` until one is created.
    Instructor { class: Option<String> },
}

/// `POST /api/class`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClass {
    pub name: String,
    /// How many learners may join.
    pub seats: u32,
    /// The worksheets of the course the class works on (ids as in `?fiche=ID`).
    pub worksheets: Vec<String>,
    /// How long the class lasts, in minutes; its namespaces stay until it is ended.
    pub minutes: u32,
}

/// The class as the instructor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassInfo {
    /// A short identifier, part of every namespace of the class.
    pub id: String,
    pub name: String,
    pub seats: u32,
    pub worksheets: Vec<String>,
    /// Unix milliseconds.
    pub created_at: u64,
    pub expires_at: u64,
    /// How many seats are taken.
    pub taken: u32,
    /// The path (with its fragment) learners open to join, e.g. `/#join=…`; `None` once the class
    /// has ended or the link expired.
    pub join: Option<String>,
    /// When the join link stops working (Unix milliseconds).
    pub join_expires_at: u64,
    /// Whether the class was ended (its namespaces are being deleted).
    pub ended: bool,
}

/// `POST /api/join`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The code of the join link.
    pub code: String,
    /// The name the learner shows the instructor.
    pub name: String,
}

/// What a learner gets on joining: their own link (`/#token=…`) gives the seat back on any
/// machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    pub token: String,
    pub seat: u32,
    pub name: String,
    pub namespace: String,
}

/// `POST /api/class/revoke` and friends: one seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatRequest {
    pub seat: u32,
}

/// One exercise of a worksheet, as a learner's page counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    pub title: String,
    pub done: u32,
    pub total: u32,
}

/// `POST /api/report`: where a learner's page stands, sent when it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SeatReport {
    /// The worksheet open on the page.
    pub fiche: String,
    pub exercises: Vec<ExerciseProgress>,
    /// The condition the next step waits for, as the page words it.
    pub failing: Option<Text>,
    /// The learner's files, for the instructor's read-only view.
    pub workspace: Vec<SourceFile>,
}

/// How many of a learner's pods are in one state (kubectl's STATUS column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodCount {
    pub status: String,
    pub count: u32,
}

/// One learner on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardSeat {
    pub seat: u32,
    pub name: String,
    pub namespace: String,
    pub joined_at: u64,
    /// When the learner's page last reported (Unix milliseconds).
    pub seen_at: Option<u64>,
    pub revoked: bool,
    pub pods: Vec<PodCount>,
    /// The worksheet the learner has open, and its exercises.
    pub fiche: String,
    pub exercises: Vec<ExerciseProgress>,
    /// The check the learner's next step waits for.
    pub failing: Option<Text>,
    /// What goes wrong in the learner's namespace, one short title each
    /// (e.g. "CreateContainerConfigError — ConfigMap `iris-config` missing").
    pub problems: Vec<Text>,
}

/// `POST /api/board`: the board's stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BoardEvent {
    /// The whole class, first and whenever the board fell behind.
    Snapshot {
        class: Option<ClassInfo>,
        seats: Vec<BoardSeat>,
    },
    /// The class changed (a join link, a seat taken, ended).
    Class { class: Option<ClassInfo> },
    /// One learner changed.
    Seat { seat: BoardSeat },
}

/// `GET /api/class/seat?id=N`: one learner, read-only, with Secret values already removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatDetail {
    pub seat: BoardSeat,
    pub workspace: Vec<SourceFile>,
    pub objects: Vec<LiveObject>,
}

/// What goes wrong in the room: each problem or failing check with how many learners have it,
/// most common first (ties by text).
pub fn common_problems(seats: &[BoardSeat]) -> Vec<(u32, Text)> {
    let mut counts: Vec<(u32, Text)> = Vec::new();
    for seat in seats.iter().filter(|s| !s.revoked) {
        let mut mine: Vec<&Text> = seat.problems.iter().chain(seat.failing.iter()).collect();
        mine.sort_by(|a, b| a.en.cmp(&b.en));
        mine.dedup();
        for text in mine {
            match counts.iter_mut().find(|(_, t)| t == text) {
                Some((n, _)) => *n += 1,
                None => counts.push((1, text.clone())),
            }
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.en.cmp(&b.1.en)));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(n: u32, problems: &[&str], failing: Option<&str>) -> BoardSeat {
        BoardSeat {
            seat: n,
            name: format!("learner {n}"),
            namespace: format!("ns-{n}"),
            joined_at: 0,
            seen_at: None,
            revoked: false,
            pods: vec![],
            fiche: "fiche-3".into(),
            exercises: vec![],
            failing: failing.map(|f| Text::new(f, f)),
            problems: problems.iter().map(|p| Text::new(*p, *p)).collect(),
        }
    }

    #[test]
    fn the_room_counts_each_learner_once_per_problem() {
        let seats = [
            seat(1, &["missing iris-config", "missing iris-config"], None),
            seat(2, &["missing iris-config"], Some("secret key")),
            seat(3, &["image pull"], Some("secret key")),
        ];
        let common = common_problems(&seats);
        assert_eq!(
            common[0],
            (2, Text::new("missing iris-config", "missing iris-config"))
        );
        assert_eq!(common[1], (2, Text::new("secret key", "secret key")));
        assert_eq!(common[2], (1, Text::new("image pull", "image pull")));
        assert_eq!(common.len(), 3);
    }

    #[test]
    fn revoked_learners_do_not_count() {
        let mut gone = seat(1, &["image pull"], None);
        gone.revoked = true;
        assert!(common_problems(&[gone]).is_empty());
    }
}
