//! Object paths such as `spec.template.spec.containers[0].env[1].value` or `data[my.key]`, the
//! shape the API server uses in its field errors: built here as a typed value, written out in
//! that text form (the `path` of a diagnostic), and read from it when the text comes from
//! elsewhere (the API server, a literal in the rules).

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A field of an object or an entry of a map: `containers`, `app.kubernetes.io/name`.
    Field(String),
    /// An item of a list.
    Index(usize),
}

/// A path from the top of an object to one of its nodes; empty for the object itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// The path of the object itself.
    pub fn root() -> Self {
        Self::default()
    }

    /// Reads the text form. Never fails: odd text becomes field names. Brackets hold an index
    /// (`[3]`) or a name that has dots or slashes (`[app.kubernetes.io/name]`, quotes allowed).
    /// A dotted name written without brackets (`labels.app.kubernetes.io/name`, as the API
    /// server writes label keys) stays split; [`crate::yaml::path::resolve`] joins it back.
    pub fn parse(text: &str) -> Self {
        let mut out = Vec::new();
        let mut name = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '.' | '[' => {
                    if !name.is_empty() {
                        out.push(Segment::Field(std::mem::take(&mut name)));
                    }
                    if c == '[' {
                        let inner: String = chars.by_ref().take_while(|d| *d != ']').collect();
                        let trimmed = inner.trim_matches(|c| c == '"' || c == '\'');
                        match trimmed.parse::<usize>() {
                            Ok(i) if trimmed == inner => out.push(Segment::Index(i)),
                            _ => out.push(Segment::Field(trimmed.to_owned())),
                        }
                    }
                }
                _ => name.push(c),
            }
        }
        if !name.is_empty() {
            out.push(Segment::Field(name));
        }
        Self(out)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path followed by the field (or map entry) `name`.
    #[must_use]
    pub fn field(&self, name: &str) -> Self {
        let mut out = self.clone();
        out.push_field(name);
        out
    }

    /// This path followed by the list item `index`.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut out = self.clone();
        out.push_index(index);
        out
    }

    /// This path followed by a relative one written as text, e.g. `template.spec`.
    #[must_use]
    pub fn join(&self, relative: &str) -> Self {
        let mut out = self.clone();
        out.0.extend(Self::parse(relative).0);
        out
    }

    pub fn push_field(&mut self, name: &str) {
        self.0.push(Segment::Field(name.to_owned()));
    }

    pub fn push_index(&mut self, index: usize) {
        self.0.push(Segment::Index(index));
    }

    /// Removes the last step (a walk that goes down and back up).
    pub fn pop(&mut self) {
        self.0.pop();
    }
}

/// A name that must be written in brackets: it would not read back as one field otherwise.
fn needs_brackets(name: &str) -> bool {
    name.is_empty() || name.contains(['.', '/', '[', ']', ' '])
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Field(name) if needs_brackets(name) => write!(f, "[{name}]")?,
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
            }
        }
        Ok(())
    }
}

impl Serialize for FieldPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}

/// A path given either typed or in its text form (read with [`FieldPath::parse`]).
pub trait ToFieldPath {
    fn to_field_path(&self) -> Cow<'_, FieldPath>;
}

impl ToFieldPath for FieldPath {
    fn to_field_path(&self) -> Cow<'_, FieldPath> {
        Cow::Borrowed(self)
    }
}

impl<T: ToFieldPath + ?Sized> ToFieldPath for &T {
    fn to_field_path(&self) -> Cow<'_, FieldPath> {
        (**self).to_field_path()
    }
}

impl ToFieldPath for str {
    fn to_field_path(&self) -> Cow<'_, FieldPath> {
        Cow::Owned(FieldPath::parse(self))
    }
}

impl ToFieldPath for String {
    fn to_field_path(&self) -> Cow<'_, FieldPath> {
        Cow::Owned(FieldPath::parse(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Segment {
        Segment::Field(name.into())
    }

    #[test]
    fn splits_paths() {
        assert_eq!(
            FieldPath::parse("spec.containers[0].env[12].value").segments(),
            [
                field("spec"),
                field("containers"),
                Segment::Index(0),
                field("env"),
                Segment::Index(12),
                field("value"),
            ]
        );
        assert_eq!(
            FieldPath::parse("data[a.b]").segments(),
            [field("data"), field("a.b")]
        );
        assert_eq!(
            FieldPath::parse("data[\"a.b\"]").segments(),
            [field("data"), field("a.b")]
        );
        assert!(FieldPath::parse("").is_root());
    }

    #[test]
    fn writes_the_api_servers_form_and_reads_it_back() {
        let env = FieldPath::root()
            .field("spec")
            .join("template.spec")
            .field("containers")
            .index(0)
            .field("env");
        assert_eq!(env.to_string(), "spec.template.spec.containers[0].env");
        let label = FieldPath::parse("metadata.labels").field("app.kubernetes.io/name");
        assert_eq!(label.to_string(), "metadata.labels[app.kubernetes.io/name]");
        assert_eq!(FieldPath::root().field("a b").to_string(), "[a b]");
        for path in [env, label, FieldPath::root().index(2).field("x")] {
            assert_eq!(FieldPath::parse(&path.to_string()), path);
            let json = serde_json::to_value(&path).expect("json");
            assert_eq!(json, serde_json::Value::String(path.to_string()));
            assert_eq!(serde_json::from_value::<FieldPath>(json).ok(), Some(path));
        }
    }
}
