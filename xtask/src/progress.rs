//! What the person at the terminal sees: one line per step, with the time since the command
//! started (so that a log shows what each step cost), and for long steps a meter of items done.
//!
//! On a terminal (stderr is a TTY and `CI` is unset) the meter is one line redrawn in place;
//! elsewhere (CI logs, a pipe) it prints a plain line at every tenth of the way.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Time since the command started.
fn elapsed() -> Duration {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// `· [ 3:12] ` — the prefix of every progress line.
fn prefix(elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    format!("· [{:>2}:{:02}] ", secs / 60, secs % 60)
}

/// A progress line.
pub fn say(message: &str) {
    eprintln!("{}{message}", prefix(elapsed()));
}

/// Whether progress may be redrawn in place.
fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A count of items done out of a total, with the item at hand.
pub struct Meter {
    what: String,
    unit: &'static str,
    total: usize,
    done: usize,
    item: String,
    /// `Some(columns)` on a terminal (the line is redrawn, cut to fit), `None` in a log.
    columns: Option<usize>,
    /// In a log: the last tenth printed.
    tenth: usize,
}

impl Meter {
    /// A meter of `total` `unit`s (e.g. "packages") for the step `what`.
    pub fn new(what: &str, unit: &'static str, total: usize) -> Self {
        let columns = interactive().then(|| {
            terminal_size::terminal_size_of(std::io::stderr()).map_or(80, |(w, _)| usize::from(w.0))
        });
        let meter = Self {
            what: what.to_owned(),
            unit,
            total,
            done: 0,
            item: String::new(),
            columns,
            tenth: if total == 0 { 10 } else { 0 },
        };
        if meter.columns.is_none() {
            say(&meter.text());
        }
        meter.draw();
        meter
    }

    /// `done` items so far (never more than the total), the latest being `item`.
    pub fn set(&mut self, done: usize, item: &str) {
        self.done = done.min(self.total);
        item.clone_into(&mut self.item);
        if self.columns.is_some() {
            self.draw();
        } else if self.new_tenth() {
            say(&self.text());
        }
    }

    /// In a log: whether a new tenth of the way is reached (remembered, so each prints once).
    fn new_tenth(&mut self) -> bool {
        let tenth = (self.done * 10).checked_div(self.total).unwrap_or(10);
        let new = tenth > self.tenth;
        self.tenth = self.tenth.max(tenth);
        new
    }

    /// Redraws the line so that its clock moves while nothing else does.
    pub fn tick(&self) {
        self.draw();
    }

    /// A lasting line (a new phase of the step) above the meter.
    pub fn note(&self, message: &str) {
        self.clear();
        say(message);
        self.draw();
    }

    /// Takes the meter's line off the terminal.
    pub fn finish(self) {
        self.clear();
    }

    fn clear(&self) {
        if self.columns.is_some() {
            eprint!("\r\x1b[K");
        }
    }

    fn draw(&self) {
        if let Some(columns) = self.columns {
            let line = format!("{}{}", prefix(elapsed()), self.text());
            // The last column stays free: writing into it wraps on some terminals.
            let line = cut(&line, columns.saturating_sub(1));
            eprint!("\r{line}\x1b[K");
            let _ = std::io::stderr().flush();
        }
    }

    /// `what: 812/2140 packages (37%) — item`.
    fn text(&self) -> String {
        let percent = (self.done * 100).checked_div(self.total).unwrap_or(100);
        let mut text = format!(
            "{}: {}/{} {} ({percent}%)",
            self.what, self.done, self.total, self.unit
        );
        if !self.item.is_empty() {
            text.push_str(" — ");
            text.push_str(&self.item);
        }
        text
    }
}

/// `text` cut to `width` characters, ending with `…` when it was longer.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter(done: usize, total: usize, item: &str) -> Meter {
        Meter {
            what: "building the local control plane".into(),
            unit: "packages",
            total,
            done,
            item: item.into(),
            columns: None,
            tenth: 0,
        }
    }

    #[test]
    fn the_line_reads_like_the_example() {
        let m = meter(812, 2140, "k8s.io/apiserver/pkg/endpoints");
        let line = format!("{}{}", prefix(Duration::from_secs(192)), m.text());
        assert_eq!(
            line,
            "· [ 3:12] building the local control plane: 812/2140 packages (37%) — k8s.io/apiserver/pkg/endpoints"
        );
    }

    #[test]
    fn nothing_to_do_is_all_done() {
        assert_eq!(
            meter(0, 0, "linking").text(),
            "building the local control plane: 0/0 packages (100%) — linking"
        );
        assert_eq!(
            meter(3, 3, "").text(),
            "building the local control plane: 3/3 packages (100%)"
        );
    }

    #[test]
    fn a_log_gets_a_line_per_tenth() {
        let mut m = meter(0, 2140, "");
        let lines = (1..=2140)
            .filter(|done| {
                m.done = *done;
                m.new_tenth()
            })
            .count();
        assert_eq!(lines, 10);
    }

    #[test]
    fn cut_keeps_short_text_and_marks_cut_text() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
        assert_eq!(cut("é—é—", 2), "é…");
    }

    #[test]
    fn prefix_shows_minutes_and_seconds() {
        assert_eq!(prefix(Duration::from_secs(0)), "· [ 0:00] ");
        assert_eq!(prefix(Duration::from_secs(3725)), "· [62:05] ");
    }
}
