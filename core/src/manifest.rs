//! Manifests: the Kubernetes objects of a workspace file, with the positions of their text.

use crate::diagnostic::{Diagnostic, Severity, Span, Text};
use crate::path::ToFieldPath;
use crate::rule::Rule;
use crate::yaml::{self, Limits, Node, NodeKind, YamlError};
use serde::{Deserialize, Serialize};

/// A file of the learner's workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// One object of a file (one YAML document).
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The workspace path of the file it comes from.
    pub file: String,
    /// The document's position in the file, from 0 (empty documents count).
    pub index: usize,
    /// The span of the whole document.
    pub span: Span,
    pub api_version: String,
    pub kind: String,
    /// `metadata.name`, empty when missing (the validator reports it).
    pub name: String,
    pub namespace: Option<String>,
    /// The object as JSON, as the API server would receive it.
    pub value: serde_json::Value,
    root: Node,
}

impl Manifest {
    /// The positioned tree of the document.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// Where `path` (e.g. `spec.template.spec.containers[0].env[1].value`, or an API server field
    /// path such as `spec.ports[0].nodePort` or `data[key]`) is in the file: the value's span
    /// for a scalar, the key's span for an object or list (one line to underline), and for a
    /// path that does not exist, the key (or value) of its nearest existing ancestor.
    pub fn span_of(&self, path: &(impl ToFieldPath + ?Sized)) -> Span {
        let found = yaml::path::resolve(&self.root, &path.to_field_path());
        let Some(v) = found.value else {
            return self.head_span();
        };
        if std::ptr::eq(v, &self.root) {
            return self.head_span();
        }
        let collection = matches!(v.kind, NodeKind::Map(_) | NodeKind::Seq(_));
        match found.key {
            Some(k) if !found.complete || collection || matches!(v.kind, NodeKind::Null) => k.span,
            _ if collection => first_line(v),
            _ => v.span,
        }
    }

    /// The span of the key at `path` when it is a mapping entry, else [`Manifest::span_of`].
    pub fn key_span_of(&self, path: &(impl ToFieldPath + ?Sized)) -> Span {
        let path = path.to_field_path();
        let found = yaml::path::resolve(&self.root, &path);
        match (found.complete, found.key) {
            (true, Some(k)) => k.span,
            _ => self.span_of(&*path),
        }
    }

    /// The node at `path`, if it exists.
    pub fn node(&self, path: &(impl ToFieldPath + ?Sized)) -> Option<&Node> {
        self.root.find(path)
    }

    /// A one-line span to point at the document as a whole: its `kind:` line, or its first line.
    pub fn head_span(&self) -> Span {
        match self.root.entry("kind") {
            Some((k, v)) => Span {
                end_line: v.span.end_line,
                end_column: v.span.end_column,
                ..k.span
            },
            None => Span::point(self.root.span.line, self.root.span.column),
        }
    }

    /// `apiVersion/kind`-like label for messages, e.g. `Deployment postgres-db`.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            self.kind.clone()
        } else {
            format!("{} {}", self.kind, self.name)
        }
    }
}

/// A one-line span at the start of a collection: its first key, or its first item.
fn first_line(node: &Node) -> Span {
    match &node.kind {
        NodeKind::Map(entries) if !entries.is_empty() => entries[0].0.span,
        NodeKind::Seq(items) if !items.is_empty() => first_line(&items[0]),
        _ => Span::point(node.span.line, node.span.column),
    }
}

/// A diagnostic for `file` from a YAML problem.
pub(crate) fn yaml_diagnostic(file: &str, e: &YamlError) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        span: e.span,
        severity: Severity::Error,
        code: e.code.code().to_owned(),
        message: e.message.clone(),
        path: e.path.to_string(),
    }
}

fn error(file: &str, span: Span, rule: Rule, message: Text, path: &str) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        span,
        severity: Severity::Error,
        code: rule.code().to_owned(),
        message,
        path: path.to_owned(),
    }
}

/// Reads every object of a file. Syntax errors come with their line and column; empty
/// documents are skipped; a document without a usable `apiVersion` or `kind` is reported and left
/// out of the list.
pub fn parse_file(file: &SourceFile) -> (Vec<Manifest>, Vec<Diagnostic>) {
    parse_file_with(file, &Limits::default())
}

/// [`parse_file`] with explicit limits.
pub fn parse_file_with(file: &SourceFile, limits: &Limits) -> (Vec<Manifest>, Vec<Diagnostic>) {
    let docs = match yaml::parse_documents(&file.text, limits) {
        Ok(docs) => docs,
        Err(e) => return (Vec::new(), vec![yaml_diagnostic(&file.path, &e)]),
    };
    let mut manifests = Vec::new();
    let mut diags = Vec::new();
    for doc in docs {
        diags.extend(doc.issues.iter().map(|e| yaml_diagnostic(&file.path, e)));
        let Some(root) = doc.root else { continue };
        if !matches!(root.kind, NodeKind::Map(_)) {
            diags.push(error(
                &file.path,
                root.span,
                Rule::NotAnObject,
                Text::new(
                    format!(
                        "A Kubernetes manifest must be an object (`key: value` lines), not {}. Is the indentation or a `-` wrong?",
                        root.type_name().en
                    ),
                    format!(
                        "Un manifeste Kubernetes doit être un objet (des lignes `clé: valeur`), pas {}. L'indentation ou un `-` est-il en trop ?",
                        root.type_name().fr
                    ),
                ),
                "",
            ));
            continue;
        }
        let api_version = required_string(&file.path, &root, "apiVersion", &mut diags);
        let kind = required_string(&file.path, &root, "kind", &mut diags);
        let (Some(api_version), Some(kind)) = (api_version, kind) else {
            continue;
        };
        let name = root
            .find("metadata.name")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_owned();
        let namespace = root
            .find("metadata.namespace")
            .and_then(Node::as_str)
            .map(str::to_owned);
        manifests.push(Manifest {
            file: file.path.clone(),
            index: doc.index,
            span: doc.span,
            api_version,
            kind,
            name,
            namespace,
            value: root.to_json(),
            root,
        });
    }
    (manifests, diags)
}

/// How many objects a file holds, counted without reading its YAML: the documents that hold
/// more than comments. Linear in the text, so that a request can be bounded before it is parsed.
/// A document starts at a `---` line (or ends at a `...` line) at the left margin: inside a
/// document, YAML allows neither there, not even in a block or quoted scalar.
pub fn count_objects(text: &str) -> usize {
    let mut count = 0;
    let mut holds_something = false;
    for line in text.lines() {
        if is_marker(line, "---") || is_marker(line, "...") {
            count += usize::from(holds_something);
            // `--- kind: x` opens a document with content on the marker line.
            let rest = line[3..].trim();
            holds_something = line.starts_with('-') && !rest.is_empty() && !rest.starts_with('#');
            continue;
        }
        let content = line.trim();
        if !content.is_empty() && !content.starts_with('#') && !line.starts_with('%') {
            holds_something = true;
        }
    }
    count + usize::from(holds_something)
}

/// `---` or `...` alone or followed by a blank (and whatever comes after).
fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

fn required_string(
    file: &str,
    root: &Node,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let example = if field == "kind" {
        "kind: Deployment"
    } else {
        "apiVersion: apps/v1"
    };
    match root.entry(field) {
        Some((_, v)) if matches!(&v.kind, NodeKind::Str(s) if !s.is_empty()) => {
            v.as_str().map(str::to_owned)
        }
        Some((k, v)) => {
            let span = if matches!(v.kind, NodeKind::Null) {
                k.span
            } else {
                v.span
            };
            diags.push(error(
                file,
                span,
                if field == "kind" {
                    Rule::MissingKind
                } else {
                    Rule::MissingApiVersion
                },
                Text::new(
                    format!("`{field}` must be a non-empty text, e.g. `{example}`."),
                    format!("`{field}` doit être un texte non vide, par exemple `{example}`."),
                ),
                field,
            ));
            None
        }
        None => {
            diags.push(error(
                file,
                Span::point(root.span.line, root.span.column),
                if field == "kind" { Rule::MissingKind } else { Rule::MissingApiVersion },
                Text::new(
                    format!("This document has no `{field}`. Every manifest starts with `apiVersion` and `kind`, e.g. `{example}`."),
                    format!(
                        "Ce document n'a pas de `{field}`. Tout manifeste commence par `apiVersion` et `kind`, par exemple `{example}`."
                    ),
                ),
                "",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests;
