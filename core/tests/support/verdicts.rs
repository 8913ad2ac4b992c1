//! The API server's verdict on every manifest of `tests/corpus/`, committed as a snapshot
//! (`tests/corpus/verdicts.tsv`) so that the validator's agreement with it is asserted without a
//! cluster. One line per file: `file<TAB>ok` or `file<TAB>rejected<TAB>the server's message`.
//! `cargo xtask verdicts` regenerates it against the real API server; a change to it is reviewed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Where the snapshot lives.
pub const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/verdicts.tsv");

/// What the API server said of one manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused, with the HTTP status and message.
    Rejected(String),
}

impl Verdict {
    #[allow(dead_code)]
    pub fn rejected(&self) -> bool {
        matches!(self, Self::Rejected(_))
    }
}

/// File name → verdict, as committed.
#[allow(dead_code)]
pub fn load() -> BTreeMap<String, Verdict> {
    let text = std::fs::read_to_string(SNAPSHOT)
        .unwrap_or_else(|e| panic!("{SNAPSHOT}: {e} (regenerate it with `cargo xtask verdicts`)"));
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let file = fields.next().unwrap_or_default().to_owned();
            let verdict = match (fields.next(), fields.next()) {
                (Some("ok"), None) => Verdict::Accepted,
                (Some("rejected"), Some(message)) => Verdict::Rejected(message.to_owned()),
                _ => panic!("{SNAPSHOT}: malformed line {line:?}"),
            };
            (file, verdict)
        })
        .collect()
}

/// The snapshot's text for these verdicts (one line each, tabs and newlines of messages folded).
#[allow(dead_code)]
pub fn render(verdicts: &BTreeMap<String, Verdict>) -> String {
    let mut out = String::new();
    for (file, verdict) in verdicts {
        match verdict {
            Verdict::Accepted => writeln!(out, "{file}\tok"),
            Verdict::Rejected(message) => {
                writeln!(
                    out,
                    "{file}\trejected\t{}",
                    message.replace(['\n', '\t'], " ")
                )
            }
        }
        .expect("writing to a string");
    }
    out
}
