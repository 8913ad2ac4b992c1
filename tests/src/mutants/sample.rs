//! The committed sample (`tests/mutants/sample.jsonl`): mutants with the API server's verdict,
//! one JSON object per line, read without a cluster by `core/tests/mutants.rs`.

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::server::ServerVerdict;
use super::{Family, File, Mutant};

/// The sample's file, from the workspace root.
pub const SAMPLE: &str = "tests/mutants/sample.jsonl";
/// The run seed and size of the sample.
pub const SAMPLE_SEED: u64 = 20_261_128;
pub const SAMPLE_SIZE: usize = 1000;
/// Lines per mutant of one file, at most, in the sample.
pub const SAMPLE_MAX_LINES: usize = 30;

/// One line of the sample.
pub fn line(m: &Mutant, s: &ServerVerdict) -> String {
    json!({
        "id": m.id,
        "family": m.family.name(),
        "kind": m.kind,
        "seed": m.seed,
        "description": m.description,
        "files": m.files.iter().map(|f| json!({"path": f.path, "text": f.text})).collect::<Vec<_>>(),
        "server": if s.refused { "refused" } else { "accepted" },
        "message": s.message,
    })
    .to_string()
}

/// The sample's mutants with their recorded verdicts (refused or not, message).
pub fn read(text: &str) -> Result<Vec<(Mutant, bool, String)>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l).with_context(|| format!("line {}", i + 1))?;
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            let files = v["files"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| File {
                    path: f["path"].as_str().unwrap_or_default().to_owned(),
                    text: f["text"].as_str().unwrap_or_default().to_owned(),
                })
                .collect();
            let family = Family::from_name(&s("family"))
                .with_context(|| format!("line {}: unknown family {}", i + 1, s("family")))?;
            let mutant = Mutant {
                id: s("id"),
                family,
                kind: s("kind"),
                seed: s("seed"),
                description: s("description"),
                files,
            };
            Ok((mutant, s("server") == "refused", s("message")))
        })
        .collect()
}
