//! The agreement corpus (tests/corpus) through the validator alone: the valid bases have no
//! errors, every file is handled without panicking, and the table of our verdicts is printed.

#[path = "support/files.rs"]
mod files;

use files::corpus;
use kubefiche_core::Severity;
use kubefiche_core::validate::{Options, validate_workspace};

#[test]
fn corpus_verdicts() {
    let files = corpus();
    assert!(files.len() >= 150, "{} files", files.len());
    let mut flagged = 0;
    for f in &files {
        let d = validate_workspace(std::slice::from_ref(f), &Options::default());
        let errors: Vec<String> = d
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}@{}", d.code, d.span.line))
            .collect();
        if f.path.starts_with("valid-") {
            assert!(errors.is_empty(), "{}: {errors:?}", f.path);
        }
        if !errors.is_empty() {
            flagged += 1;
        }
        println!("{:40} {}", f.path, errors.join(" "));
    }
    println!("{flagged} of {} files have errors", files.len());
}
