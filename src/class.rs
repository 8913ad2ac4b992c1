//! Classroom mode in the page: joining a class, a learner's page reporting where it stands, and
//! the instructor's board. The rules are here, pure and tested natively; the pages that follow
//! them are `app::join` and `app::board`, the requests `api::class`.

pub mod hide;
pub mod qr;
pub mod report;
pub mod stream;

use kubefiche_core::wire::class::{BoardEvent, BoardSeat, ClassInfo, NewClass};

/// The longest display name, in characters.
pub const NAME_MAX: usize = 40;

/// Why a display name cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong,
    /// A control character (a tab, a line break…): the board shows names on one line.
    Control,
}

impl NameProblem {
    /// The label's key in `i18n`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Empty => "join.name.empty",
            Self::TooLong => "join.name.long",
            Self::Control => "join.name.control",
        }
    }
}

/// The display name a learner typed, trimmed: 1 to [`NAME_MAX`] characters on one line.
pub fn display_name(typed: &str) -> Result<String, NameProblem> {
    let name = typed.trim();
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.chars().count() > NAME_MAX {
        return Err(NameProblem::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(NameProblem::Control);
    }
    Ok(name.to_owned())
}

/// The most seats a class may have.
pub const SEATS_MAX: u32 = 200;
/// The longest class, in minutes (a day).
pub const MINUTES_MAX: u32 = 24 * 60;

/// The class the instructor's form describes, or the key of the label saying what to change:
/// a name (trimmed, at most 80 characters), 1 to [`SEATS_MAX`] seats, at least one worksheet,
/// 1 to [`MINUTES_MAX`] minutes.
pub fn new_class(
    name: &str,
    seats: &str,
    worksheets: Vec<String>,
    minutes: &str,
) -> Result<NewClass, &'static str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err("class.form.bad.name");
    }
    let seats = seats
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|s| (1..=SEATS_MAX).contains(s))
        .ok_or("class.form.bad.seats")?;
    if worksheets.is_empty() {
        return Err("class.form.bad.worksheets");
    }
    let minutes = minutes
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=MINUTES_MAX).contains(m))
        .ok_or("class.form.bad.minutes")?;
    Ok(NewClass {
        name: name.to_owned(),
        seats,
        worksheets,
        minutes,
    })
}

/// The code of a join link's fragment (`#join=CODE`).
pub fn join_code_of(hash: &str) -> Option<String> {
    hash.strip_prefix("#join=")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// The code of the join link this page was opened with, if it was.
pub fn join_code() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    join_code_of(&hash)
}

/// The address of this page's origin (`https://host:port`), for the links shown to copy.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The class and its learners as the board's stream told them, folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardState {
    pub class: Option<ClassInfo>,
    /// By seat number.
    pub seats: Vec<BoardSeat>,
}

impl BoardState {
    /// Fold one event: a snapshot replaces everything, a class event the class, a seat event
    /// that learner (added in seat order when new).
    pub fn apply(&mut self, event: BoardEvent) {
        match event {
            BoardEvent::Snapshot { class, mut seats } => {
                seats.sort_by_key(|s| s.seat);
                seats.dedup_by_key(|s| s.seat);
                *self = Self { class, seats };
            }
            BoardEvent::Class { class } => self.class = class,
            BoardEvent::Seat { seat } => {
                match self.seats.binary_search_by_key(&seat.seat, |s| s.seat) {
                    Ok(i) => self.seats[i] = seat,
                    Err(i) => self.seats.insert(i, seat),
                }
            }
        }
    }

    pub fn seat(&self, number: u32) -> Option<&BoardSeat> {
        self.seats.iter().find(|s| s.seat == number)
    }
}

/// Whole seconds from `then` to `now` (Unix milliseconds), never negative.
pub fn seconds_between(then: u64, now: u64) -> u64 {
    now.saturating_sub(then) / 1000
}

/// A duration the way the board says it: `42 s`, `5 min`, `1 h 05`.
pub fn duration_words(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        _ => format!("{} h {:02}", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests;
