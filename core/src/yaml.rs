//! YAML with positions. The only module that knows which YAML library is used, so it can change.
//!
//! Documents are read with `saphyr-parser`'s event stream into our own [`Node`] tree, every node
//! carrying the [`Span`] of its text. Scalars are resolved like Kubernetes does (YAML 1.1
//! booleans, see [`scalar`]), keys are turned into strings like sigs.k8s.io/yaml does, merge keys
//! (`<<`) are applied, and the [`Limits`] (size, depth, documents, aliases and their expansion)
//! are enforced while reading, so an alias bomb is refused before it is expanded.

mod build;
mod messages;
mod scalar;

use crate::diagnostic::{Span, Text};
use crate::path::{FieldPath, ToFieldPath};
use crate::rule::Rule;
use serde_json::Value;

/// Bounds on what one file may make us do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most documents in one file.
    pub max_documents: usize,
    /// Most aliases (`*name`) in one file.
    pub max_aliases: usize,
    /// Most nodes once aliases are expanded (counted before expanding).
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 1 << 20,
            max_depth: 64,
            max_documents: 100,
            max_aliases: 100,
            max_nodes: 100_000,
        }
    }
}

/// A mapping key: always a string, as in JSON (`8080:` is `"8080"`, `on:` is `"true"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
    /// The key was not written as a string in the YAML (a number, a boolean, null…).
    pub converted: bool,
}

/// A value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// The span of the value's text (for a mapping or sequence, from its first to its last item).
    pub span: Span,
    /// The scalar was quoted or a block scalar (`|`, `>`): it is a string whatever it looks like.
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// One document of a file. `root` is `None` for an empty document (only comments, or nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Position of the document in its file, from 0, counting empty documents too.
    pub index: usize,
    pub span: Span,
    pub root: Option<Node>,
    /// Problems that did not stop reading (duplicate keys…), in order.
    pub issues: Vec<YamlError>,
}

/// A problem in the YAML text itself, with a message in French and English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{}: {}", span.line, span.column, message.en)]
pub struct YamlError {
    pub span: Span,
    /// The rule: `yaml-syntax`, `yaml-tab`, `yaml-duplicate-key`, `yaml-limit`…
    pub code: Rule,
    pub message: Text,
    /// The object path where the problem is, when known (duplicate keys).
    pub path: FieldPath,
}

/// Reads every document of `text`. Fails on the first syntax error or exceeded limit; problems
/// that do not stop reading (duplicate keys) are listed in each [`Document::issues`].
pub fn parse_documents(text: &str, limits: &Limits) -> Result<Vec<Document>, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(messages::too_large(text.len(), limits.max_bytes));
    }
    build::Builder::new(text, limits).run()
}

impl Node {
    /// The JSON value of this node, as the API server would receive it.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::from(*i),
            NodeKind::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for (k, v) in entries {
                    map.insert(k.name.clone(), v.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// The node at an object path (`spec.containers[0].image`, `data[my.key]`); see [`path`].
    pub fn find(&self, path: &(impl ToFieldPath + ?Sized)) -> Option<&Node> {
        let found = path::resolve(self, &path.to_field_path());
        if found.complete { found.value } else { None }
    }

    /// The entry `name` of a mapping.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.entry(name).map(|(_, v)| v)
    }

    /// The key and value of the entry `name` of a mapping (the last one if repeated).
    pub fn entry(&self, name: &str) -> Option<(&Key, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.name == name)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// An integer value; a whole float counts, as the API server reads JSON numbers.
    pub fn as_int(&self) -> Option<i64> {
        match self.kind {
            NodeKind::Int(i) => Some(i),
            #[allow(clippy::cast_possible_truncation)]
            NodeKind::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(f as i64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_map(&self) -> &[(Key, Node)] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A short English/French name of the node's type, for messages.
    pub fn type_name(&self) -> Text {
        match &self.kind {
            NodeKind::Null => Text::new("nothing (null)", "rien (null)"),
            NodeKind::Bool(_) => Text::new("a boolean", "un booléen"),
            NodeKind::Int(_) => Text::new("an integer", "un entier"),
            NodeKind::Float(_) => Text::new("a number", "un nombre"),
            NodeKind::Str(_) => Text::new("a string", "une chaîne"),
            NodeKind::Seq(_) => Text::new("a list", "une liste"),
            NodeKind::Map(_) => Text::new("an object", "un objet"),
        }
    }
}

pub mod path;

#[cfg(test)]
mod tests;
