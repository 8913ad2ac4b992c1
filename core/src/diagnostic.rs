//! A finding about a manifest: where it is, how bad it is, and what to do, in French and English.

use serde::{Deserialize, Serialize};

/// A range in a file, 1-based, end inclusive of the last character's column + 1 (like editors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    /// A span covering one point (used when only a position is known).
    pub fn point(line: u32, column: u32) -> Self {
        Self {
            line,
            column,
            end_line: line,
            end_column: column + 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A message in both languages of the product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub fr: String,
}

impl Text {
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            fr: fr.into(),
        }
    }

    /// The message in `lang` ("fr" gives French, anything else English).
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("fr") {
            &self.fr
        } else {
            &self.en
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The workspace path of the file, e.g. `k8s/agent.yaml`.
    pub file: String,
    #[serde(flatten)]
    pub span: Span,
    pub severity: Severity,
    /// A stable identifier: the code of a validator [`crate::Rule`] (`yaml-syntax`,
    /// `unknown-field`…), or of a refusal by the proxy or the API server.
    pub code: String,
    pub message: Text,
    /// The object path of the offending node, e.g. `spec.template.spec.containers[0].env[1].value`
    /// (the text form of a [`crate::FieldPath`]); empty when the finding is about the document as
    /// a whole.
    pub path: String,
}
