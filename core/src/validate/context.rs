//! The collector every rule writes to: one manifest, its diagnostics.

use crate::diagnostic::{Diagnostic, Severity, Span, Text};
use crate::manifest::Manifest;
use crate::path::{FieldPath, ToFieldPath};
use crate::rule::Rule;

/// One manifest under check and the findings so far.
pub struct Ctx<'m> {
    pub m: &'m Manifest,
    /// Current time (Unix seconds) for a CronJob's next runs.
    pub now_unix: Option<i64>,
    diags: Vec<Diagnostic>,
}

impl<'m> Ctx<'m> {
    pub fn new(m: &'m Manifest) -> Self {
        Self {
            m,
            now_unix: None,
            diags: Vec::new(),
        }
    }

    /// Reports at the value (or nearest ancestor) of `path`.
    pub fn report(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        message: Text,
    ) {
        let path = path.to_field_path();
        let span = self.m.span_of(&*path);
        self.push(severity, rule, &path, span, message);
    }

    /// Reports at the key of `path`.
    pub fn report_key(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        message: Text,
    ) {
        let path = path.to_field_path();
        let span = self.m.key_span_of(&*path);
        self.push(severity, rule, &path, span, message);
    }

    /// Reports at `span`, a place inside the value of `path` (a host within a URL…).
    pub fn report_span(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        span: Span,
        message: Text,
    ) {
        let path = path.to_field_path();
        self.push(severity, rule, &path, span, message);
    }

    pub fn error(
        &mut self,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        en: impl Into<String>,
        fr: impl Into<String>,
    ) {
        self.report(Severity::Error, rule, path, Text::new(en, fr));
    }

    pub fn warning(
        &mut self,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        en: impl Into<String>,
        fr: impl Into<String>,
    ) {
        self.report(Severity::Warning, rule, path, Text::new(en, fr));
    }

    pub fn info(
        &mut self,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        en: impl Into<String>,
        fr: impl Into<String>,
    ) {
        self.report(Severity::Info, rule, path, Text::new(en, fr));
    }

    fn push(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: &FieldPath,
        span: Span,
        message: Text,
    ) {
        self.diags.push(Diagnostic {
            file: self.m.file.clone(),
            span,
            severity,
            code: rule.code().to_owned(),
            message,
            path: path.to_string(),
        });
    }

    /// Whether an error was already reported at `path` or below it. The comparison is on the
    /// text form, so a misspelt sibling (`metadatas` for `metadata`) counts too and the learner
    /// is not told twice.
    pub fn has_error_at(&self, path: &(impl ToFieldPath + ?Sized)) -> bool {
        let prefix = path.to_field_path().to_string();
        self.diags
            .iter()
            .any(|d| d.severity == Severity::Error && d.path.starts_with(&prefix))
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags
    }
}
