//! Helpers of the validator's tests: one file `t.yaml`, the default options.

use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::SourceFile;
use crate::validate::{Options, validate_workspace};

/// Every finding about `text`.
pub(crate) fn run(text: &str) -> Vec<Diagnostic> {
    validate_workspace(
        &[SourceFile {
            path: "t.yaml".into(),
            text: text.into(),
        }],
        &Options::default(),
    )
}

/// The errors about `text`.
pub(crate) fn errors(text: &str) -> Vec<Diagnostic> {
    run(text)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// (code, line) of every finding of this severity.
pub(crate) fn found(text: &str, severity: Severity) -> Vec<(String, u32)> {
    run(text)
        .into_iter()
        .filter(|d| d.severity == severity)
        .map(|d| (d.code, d.span.line))
        .collect()
}

/// (code, line) of every error.
pub(crate) fn error_lines(text: &str) -> Vec<(String, u32)> {
    found(text, Severity::Error)
}
