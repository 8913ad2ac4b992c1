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

    /// Drops the errors that say something is missing where a field nearby is unknown: a
    /// misspelt or misplaced key (`Name:`, `CONTAINERPORT:`, `labels:` one level too high) is
    /// the line to change, and the API server names it; "`name` is missing" on the line above
    /// would send the learner to the wrong place. The unknown field's own error stays, so the
    /// verdict does not change.
    pub fn drop_consequences_of_unknown_fields(&mut self) {
        let parents: Vec<String> = self
            .diags
            .iter()
            .filter(|d| d.severity == Severity::Error && d.code == Rule::UnknownField.code())
            .map(|d| parent_of(&d.path).to_owned())
            .collect();
        if parents.is_empty() {
            return;
        }
        let m = self.m;
        self.diags.retain(|d| {
            !(d.severity == Severity::Error
                && Rule::from_code(&d.code).is_some_and(says_missing)
                && parents.iter().any(|x| missing_beside(m, x, &d.path)))
        });
    }
}

/// The path of the object that holds `path`'s last field (`""` for the top level).
fn parent_of(path: &str) -> &str {
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    &path[..cut]
}

/// Whether `path` is the object `parent` itself, or a field of it that the document does not
/// have (the one the unknown key was meant to be).
fn missing_beside(m: &Manifest, parent: &str, path: &str) -> bool {
    if path == parent {
        return true;
    }
    let Some(rest) = (if parent.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(parent).and_then(|r| r.strip_prefix('.'))
    }) else {
        return false;
    };
    let field = rest.split(['.', '[']).next().unwrap_or(rest);
    let own = if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    };
    m.node(own.as_str()).is_none()
}

/// The rules whose errors say that something is absent.
fn says_missing(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::MissingField
            | Rule::MissingName
            | Rule::MissingImage
            | Rule::MissingContainers
            | Rule::MissingPorts
            | Rule::MissingSelector
            | Rule::EmptySelector
            | Rule::SelectorMismatch
            | Rule::ProbeHandler
            | Rule::InvalidRestartPolicy
            | Rule::MissingAccessModes
            | Rule::MissingStorage
    )
}
