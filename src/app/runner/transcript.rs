//! What one command printed and how it ended: pure data, tested natively; the page draws it.

use kubefiche_core::wire::CommandEvent;
use kubefiche_core::{Diagnostic, Text};

use crate::i18n::Lang;

/// The most output the page keeps per command; older output gives way (the proxy bounds it
/// too, this keeps a long `--watch` from slowing the page).
pub const KEEP_BYTES: usize = 256 * 1024;

/// A piece of a transcript, in the order it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// What kubectl wrote, exactly; `stderr` for its error stream.
    Out { text: String, stderr: bool },
    /// A word from kubefiche itself, not from kubectl.
    Note(Text),
}

/// Where a command stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Sent, nothing back yet.
    Starting,
    Running,
    /// An interactive terminal is open for it.
    Terminal,
    /// kubectl ended; `code` is `None` when the proxy stopped it.
    Exited {
        code: Option<i32>,
        truncated: bool,
        timed_out: bool,
    },
    /// The learner stopped it.
    Stopped,
    /// Nothing ran: the line was refused (by the page or the proxy), or the proxy could not be
    /// reached.
    Refused(Text),
    /// Nothing ran: the workspace file it names has errors.
    Blocked(Vec<Diagnostic>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub pieces: Vec<Piece>,
    pub status: Status,
    /// Whether older output was dropped to keep within [`KEEP_BYTES`].
    pub dropped: bool,
    bytes: usize,
}

impl Default for Transcript {
    fn default() -> Self {
        Self {
            pieces: Vec::new(),
            status: Status::Starting,
            dropped: false,
            bytes: 0,
        }
    }
}

impl Transcript {
    pub fn apply(&mut self, event: CommandEvent) {
        match event {
            CommandEvent::Started { .. } => self.status = Status::Running,
            CommandEvent::Output { text, stderr } => self.push(&text, stderr),
            CommandEvent::Note { message } => self.pieces.push(Piece::Note(message)),
            CommandEvent::Exit {
                code,
                truncated,
                timed_out,
            } => {
                self.status = Status::Exited {
                    code,
                    truncated,
                    timed_out,
                }
            }
        }
    }

    /// Add output, joined to the previous piece when it came from the same stream.
    pub fn push(&mut self, text: &str, stderr: bool) {
        if text.is_empty() {
            return;
        }
        self.bytes += text.len();
        match self.pieces.last_mut() {
            Some(Piece::Out {
                text: last,
                stderr: was,
            }) if *was == stderr => last.push_str(text),
            _ => self.pieces.push(Piece::Out {
                text: text.to_owned(),
                stderr,
            }),
        }
        while self.bytes > KEEP_BYTES {
            self.drop_oldest();
        }
    }

    fn drop_oldest(&mut self) {
        self.dropped = true;
        let Some(first) = self.pieces.first_mut() else {
            self.bytes = 0;
            return;
        };
        let Piece::Out { text, .. } = first else {
            self.pieces.remove(0);
            return;
        };
        let excess = self.bytes - KEEP_BYTES;
        if excess >= text.len() {
            self.bytes -= text.len();
            self.pieces.remove(0);
            return;
        }
        // Cut at the end of a line (or at least on a character boundary).
        let mut cut = text[excess..].find('\n').map_or(excess, |i| excess + i + 1);
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        text.drain(..cut);
        self.bytes -= cut;
    }

    /// Whether the command is still going (its output may grow).
    pub fn live(&self) -> bool {
        matches!(
            self.status,
            Status::Starting | Status::Running | Status::Terminal
        )
    }

    /// Whether it ran and ended well: what lets "Run all" go on to the next line.
    pub fn succeeded(&self) -> bool {
        matches!(self.status, Status::Exited { code: Some(0), .. })
    }

    pub fn lines(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Out { text, .. } => text.lines().count(),
                Piece::Note(_) => 1,
            })
            .sum()
    }
}

/// What a screen reader is told when a command starts streaming or ends (output itself is
/// read from the page, not announced).
pub fn sentence(line: &str, transcript: &Transcript, lang: Lang) -> String {
    let colon = lang.t("colon");
    let lines = transcript.lines();
    let count = match lines {
        0 => lang.t("run.no.output").to_owned(),
        1 => lang.t("run.one.line").to_owned(),
        n => format!("{n} {}", lang.t("run.lines")),
    };
    let what = match &transcript.status {
        Status::Starting | Status::Running => lang.t("run.streaming").to_owned(),
        Status::Terminal => lang.t("run.terminal").to_owned(),
        Status::Exited { code: Some(0), .. } => format!("{}, {count}", lang.t("run.done")),
        Status::Exited {
            code: Some(code), ..
        } => {
            format!("{} {code}, {count}", lang.t("run.failed"))
        }
        Status::Exited { code: None, .. } | Status::Stopped => {
            format!("{}, {count}", lang.t("run.stopped"))
        }
        Status::Refused(why) => format!("{} {}", lang.t("run.refused"), why.get(lang.code())),
        Status::Blocked(found) => format!("{} ({})", lang.t("run.blocked"), found.len()),
    };
    format!("{line}{colon} {what}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(text: &str, stderr: bool) -> CommandEvent {
        CommandEvent::Output {
            text: text.to_owned(),
            stderr,
        }
    }

    #[test]
    fn output_is_kept_exactly_and_grouped_by_stream() {
        let mut t = Transcript::default();
        t.apply(CommandEvent::Started { argv: vec![] });
        assert_eq!(t.status, Status::Running);
        t.apply(out("NAME          DATA   AGE\n", false));
        t.apply(out("iris-config   2      1s\n", false));
        t.apply(out("Warning: x\n", true));
        t.apply(CommandEvent::Note {
            message: Text::new("a", "b"),
        });
        t.apply(CommandEvent::Exit {
            code: Some(0),
            truncated: false,
            timed_out: false,
        });
        assert_eq!(
            t.pieces,
            vec![
                Piece::Out {
                    text: "NAME          DATA   AGE\niris-config   2      1s\n".into(),
                    stderr: false
                },
                Piece::Out {
                    text: "Warning: x\n".into(),
                    stderr: true
                },
                Piece::Note(Text::new("a", "b")),
            ]
        );
        assert!(t.succeeded() && !t.live());
        assert_eq!(t.lines(), 4);
    }

    #[test]
    fn long_output_drops_its_oldest_lines() {
        let mut t = Transcript::default();
        let line = format!("{}\n", "x".repeat(99));
        for _ in 0..(KEEP_BYTES / 100 + 50) {
            t.push(&line, false);
        }
        assert!(t.dropped);
        let Piece::Out { text, .. } = &t.pieces[0] else {
            panic!("{:?}", t.pieces[0]);
        };
        assert!(text.len() <= KEEP_BYTES && text.starts_with('x'));
        assert!(text.len() % 100 == 0, "whole lines are kept");
    }

    #[test]
    fn sentences_say_how_it_ended() {
        let mut t = Transcript::default();
        t.push("a\nb\n", false);
        t.status = Status::Exited {
            code: Some(1),
            truncated: false,
            timed_out: false,
        };
        assert_eq!(
            sentence("kubectl get pods", &t, Lang::En),
            "kubectl get pods: failed with exit status 1, 2 lines of output."
        );
        t.status = Status::Stopped;
        assert_eq!(
            sentence("kubectl get pods -w", &t, Lang::Fr),
            "kubectl get pods -w : arrêtée, 2 lignes affichées."
        );
    }
}
