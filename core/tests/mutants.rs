//! The validator against the committed sample of mutants (`tests/mutants/sample.jsonl`, written
//! by `cargo xtask differential --sample` with the real API server's verdicts), without a
//! cluster. A false error (the API server accepts, we report an error) always fails. A miss (the
//! API server refuses, we find no error) fails unless its id is in
//! `tests/mutants/known-misses.txt`; an id listed there that we now catch fails too, so that the
//! list only shrinks.

use std::collections::BTreeSet;

use kubefiche_core::Severity;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{Options, validate_workspace};
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/mutants/sample.jsonl");
const KNOWN_MISSES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/mutants/known-misses.txt"
);

struct Recorded {
    id: String,
    family: String,
    description: String,
    files: Vec<SourceFile>,
    refused: bool,
    message: String,
}

fn sample() -> Vec<Recorded> {
    let text = std::fs::read_to_string(SAMPLE).expect("tests/mutants/sample.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            let s = |k: &str| v[k].as_str().expect(k).to_owned();
            Recorded {
                id: s("id"),
                family: s("family"),
                description: s("description"),
                files: v["files"]
                    .as_array()
                    .expect("files")
                    .iter()
                    .map(|f| SourceFile {
                        path: f["path"].as_str().expect("path").to_owned(),
                        text: f["text"].as_str().expect("text").to_owned(),
                    })
                    .collect(),
                refused: s("server") == "refused",
                message: s("message"),
            }
        })
        .collect()
}

fn known_misses() -> BTreeSet<String> {
    std::fs::read_to_string(KNOWN_MISSES)
        .expect("tests/mutants/known-misses.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

fn errors(files: &[SourceFile]) -> Vec<String> {
    validate_workspace(files, &Options::default())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{} {} {}", d.file, d.span.line, d.code, d.message.en))
        .collect()
}

#[test]
fn the_validator_agrees_with_the_api_server_on_the_sample() {
    let sample = sample();
    assert!(
        sample.len() >= 1000,
        "the sample has {} mutants",
        sample.len()
    );
    let known = known_misses();
    let mut false_errors = Vec::new();
    let mut new_misses = Vec::new();
    let mut now_caught = Vec::new();
    for m in &sample {
        let ours = errors(&m.files);
        match (m.refused, ours.is_empty()) {
            (false, false) => false_errors.push(format!(
                "{} ({}): {}\n  the API server accepts it; we say:\n  {}",
                m.id,
                m.family,
                m.description,
                ours.join("\n  ")
            )),
            (true, true) if !known.contains(&m.id) => new_misses.push(format!(
                "{} ({}): {}\n  the API server says: {}",
                m.id, m.family, m.description, m.message
            )),
            (true, false) if known.contains(&m.id) => now_caught.push(m.id.clone()),
            _ => {}
        }
    }
    let ids: BTreeSet<&str> = sample.iter().map(|m| m.id.as_str()).collect();
    let stale: Vec<&String> = known
        .iter()
        .filter(|id| !ids.contains(id.as_str()))
        .collect();
    let mut report = String::new();
    if !false_errors.is_empty() {
        report += &format!(
            "{} false errors:\n{}\n",
            false_errors.len(),
            false_errors.join("\n")
        );
    }
    if !new_misses.is_empty() {
        report += &format!(
            "{} misses not in tests/mutants/known-misses.txt:\n{}\n",
            new_misses.len(),
            new_misses.join("\n")
        );
    }
    if !now_caught.is_empty() || !stale.is_empty() {
        report += &format!(
            "caught now, or no longer in the sample: remove from tests/mutants/known-misses.txt: {}\n",
            now_caught
                .iter()
                .chain(stale.into_iter())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    assert!(report.is_empty(), "{report}");
}

/// The README quotes the sample's totals: they are the ones the test above asserts.
#[test]
fn the_readme_quotes_the_sample() {
    let sample = sample();
    let refused = sample.iter().filter(|m| m.refused).count();
    let missed = known_misses().len();
    let claim = format!(
        "{} mutants, {refused} refused by the API server, {} of them caught by the validator, 0 false errors",
        thousands(sample.len()),
        refused - missed
    );
    let readme = include_str!("../../README.md");
    assert!(
        readme.lines().any(|l| l.contains(&claim)),
        "the README's differential section should say: {claim}"
    );
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every finding on the sample speaks both languages: a French text of its own, not empty and
/// not the English one.
#[test]
fn every_finding_on_the_sample_is_in_french_and_english() {
    let mut untranslated = BTreeSet::new();
    for m in sample() {
        for d in validate_workspace(&m.files, &Options::default()) {
            let (en, fr) = (d.message.en.trim(), d.message.fr.trim());
            if en.is_empty() || fr.is_empty() || en == fr {
                untranslated.insert(format!("{}: {en}", d.code));
            }
        }
    }
    assert!(
        untranslated.is_empty(),
        "findings without their own French text:\n{}",
        untranslated.into_iter().collect::<Vec<_>>().join("\n")
    );
}
