//! The validator against the API server's verdicts on the agreement corpus (`tests/corpus/`),
//! one test per file, without a cluster: the committed snapshot `tests/corpus/verdicts.tsv` says
//! what the real API server does with each file (`cargo xtask verdicts` regenerates it; the
//! cluster tier's agreement test checks that it still holds). Each file must get the same verdict
//! from us: an error where the API server refuses, none where it accepts.

#[path = "support/verdicts.rs"]
mod verdicts;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use datatest_stable::Utf8Path;
use kubefiche_core::Severity;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{Options, validate_workspace};
use verdicts::Verdict;

fn snapshot() -> &'static BTreeMap<String, Verdict> {
    static SNAPSHOT: OnceLock<BTreeMap<String, Verdict>> = OnceLock::new();
    SNAPSHOT.get_or_init(verdicts::load)
}

fn agrees_with_the_api_server(path: &Utf8Path, text: String) -> datatest_stable::Result<()> {
    let name = path.file_name().unwrap_or_default().to_owned();
    let Some(server) = snapshot().get(&name) else {
        return Err(format!(
            "{name} is not in {} (run `cargo xtask verdicts`)",
            verdicts::SNAPSHOT
        )
        .into());
    };
    let file = SourceFile {
        path: name.clone(),
        text,
    };
    let errors: Vec<String> = validate_workspace(std::slice::from_ref(&file), &Options::default())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}@{}: {}", d.code, d.span.line, d.message.en))
        .collect();
    match (server, errors.is_empty()) {
        (Verdict::Rejected(message), true) => Err(format!(
            "missed: the API server rejects {name} ({message}); we find no error"
        )
        .into()),
        (Verdict::Accepted, false) => Err(format!(
            "false alarm: the API server accepts {name}; we say\n{}",
            errors.join("\n")
        )
        .into()),
        _ => Ok(()),
    }
}

datatest_stable::harness! {
    { test = agrees_with_the_api_server, root = "../tests/corpus", pattern = r"\.yaml$" },
}
