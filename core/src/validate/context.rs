//! The collector every rule writes to: one manifest, its diagnostics.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity, Span, Text};
use crate::manifest::Manifest;
use crate::path::{FieldPath, ToFieldPath};
use crate::rule::Rule;

/// Findings kept for one object. Beyond, they are only counted: placing one in the text walks
/// the object, so thousands of them (a map of thousands of wrong values) would cost the square
/// of its size; and a learner fixes the first ones first.
pub const MAX_FINDINGS: usize = 200;

/// One manifest under check and the findings so far.
pub struct Ctx<'m> {
    pub m: &'m Manifest,
    /// Current time (Unix seconds) for a CronJob's next runs.
    pub now_unix: Option<i64>,
    diags: Vec<Diagnostic>,
    /// Findings beyond [`MAX_FINDINGS`], not kept, and the gravest of them (`Error` is least).
    dropped: usize,
    dropped_severity: Severity,
}

impl<'m> Ctx<'m> {
    pub fn new(m: &'m Manifest) -> Self {
        Self {
            m,
            now_unix: None,
            diags: Vec::new(),
            dropped: 0,
            dropped_severity: Severity::Info,
        }
    }

    /// Whether no more findings are kept (then this one is counted).
    fn full(&mut self, severity: Severity) -> bool {
        let full = self.diags.len() >= MAX_FINDINGS;
        if full {
            self.dropped += 1;
            self.dropped_severity = self.dropped_severity.min(severity);
        }
        full
    }

    /// Reports at the value (or nearest ancestor) of `path`.
    pub fn report(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: &(impl ToFieldPath + ?Sized),
        message: Text,
    ) {
        if self.full(severity) {
            return;
        }
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
        if self.full(severity) {
            return;
        }
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
        if self.full(severity) {
            return;
        }
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

    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            let n = self.dropped;
            let message = Text::new(
                format!(
                    "{n} more findings about this object are not shown: fix the ones above, and they will come."
                ),
                format!(
                    "{n} autres constats sur cet objet ne sont pas affichés : corrigez ceux ci-dessus, et ils viendront."
                ),
            );
            let span = self.m.head_span();
            self.push(
                Severity::Info,
                Rule::TooManyFindings,
                &FieldPath::root(),
                span,
                message,
            );
        }
        self.diags
    }

    /// Drops the errors that say something is missing when an unknown field is the likelier
    /// story: a key misspelt in place (`Name:`, `CONTAINERPORT:`) or the missing field written
    /// at another level (`key:` under `valueFrom` instead of `configMapKeyRef`). That key is the
    /// line to change, and the API server names it; "`key` is missing" elsewhere would send the
    /// learner to the wrong place. The unknown field's own error stays: the verdict is the same.
    pub fn drop_consequences_of_unknown_fields(&mut self) {
        // The objects holding an unknown field, and the unknown names (lowercase): sets, so
        // that this stays linear however many errors there are.
        let mut parents: HashSet<String> = HashSet::new();
        let mut names: HashSet<String> = HashSet::new();
        for d in self
            .diags
            .iter()
            .filter(|d| d.severity == Severity::Error && d.code == Rule::UnknownField.code())
        {
            let parent = parent_of(&d.path);
            names.insert(
                d.path[parent.len()..]
                    .trim_start_matches('.')
                    .to_ascii_lowercase(),
            );
            parents.insert(parent.to_owned());
        }
        if parents.is_empty() {
            return;
        }
        let m = self.m;
        self.diags.retain(|d| {
            let Some(rule) = Rule::from_code(&d.code).filter(|r| says_missing(*r)) else {
                return true;
            };
            d.severity != Severity::Error || {
                // Misspelt in place, or the very field written somewhere else.
                let beside = holders(&d.path)
                    .any(|parent| parents.contains(parent) && missing_beside(m, parent, &d.path));
                let elsewhere = fields_meant(rule, &d.path)
                    .iter()
                    .any(|f| names.contains(f));
                !(beside || elsewhere)
            }
        });
    }
}

/// The path of the object that holds `path`'s last field (`""` for the top level).
fn parent_of(path: &str) -> &str {
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    &path[..cut]
}

/// `path` itself and every object that holds it (`a.b[0].c`: `a.b[0].c`, `a.b[0]`, `a`, and
/// `""`): the only parents [`missing_beside`] can be true of.
fn holders(path: &str) -> impl Iterator<Item = &str> {
    let cuts = path.match_indices('.').map(|(i, _)| i);
    std::iter::once(path)
        .chain(cuts.map(|i| &path[..i]))
        .chain((!path.is_empty()).then_some(""))
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

/// The fields an error about something absent at `path` may be about, lowercase: those on the
/// path, and those the rule needs.
fn fields_meant(rule: Rule, path: &str) -> Vec<String> {
    let extra: &[&str] = match rule {
        Rule::MissingName => &["metadata", "name"],
        Rule::SelectorMismatch | Rule::EmptySelector | Rule::MissingSelector => &[
            "metadata",
            "labels",
            "selector",
            "matchlabels",
            "matchexpressions",
        ],
        Rule::MissingContainers => &["spec", "containers"],
        Rule::MissingImage => &["image"],
        _ => &[],
    };
    path.split(['.', '['])
        .filter(|s| !s.ends_with(']'))
        .map(str::to_ascii_lowercase)
        .chain(extra.iter().map(|s| (*s).to_owned()))
        .collect()
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
