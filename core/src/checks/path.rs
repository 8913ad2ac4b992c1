//! The paths of checks, JSONPath-like: `spec.replicas`, `.spec.template.spec.containers[0].image`,
//! `containers[name=mlops-server].env[*].name`, `metadata.annotations['example.com/team']`, with
//! an optional leading `$` or `.`. A path selects zero or more values.

use serde_json::Value;

use crate::diagnostic::Text;

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    text: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A field of a mapping (of every element, on a list).
    Field(String),
    /// An element of a list, from 0.
    Index(usize),
    /// Every element of a list, every value of a mapping.
    All,
    /// The elements of a list that are mappings whose field `0` has the text `1`.
    Where(String, String),
}

/// Why a path is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", message.en)]
pub struct PathError {
    pub message: Text,
}

fn error(en: String, fr: String) -> PathError {
    PathError {
        message: Text::new(en, fr),
    }
}

impl Path {
    /// Reads `text`, or says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let mut rest = text.trim();
        rest = rest.strip_prefix('$').unwrap_or(rest);
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if rest.is_empty() {
            return Err(error(
                "the path is empty: write the fields to follow, e.g. `spec.replicas`".into(),
                "le chemin est vide : écrivez les champs à suivre, p. ex. `spec.replicas`".into(),
            ));
        }
        let mut segments = Vec::new();
        let mut chars = rest.char_indices().peekable();
        let mut expect_name = true;
        while let Some(&(at, c)) = chars.peek() {
            match c {
                '.' => {
                    chars.next();
                    if expect_name {
                        return Err(empty_field(text, at));
                    }
                    expect_name = true;
                }
                '[' => {
                    chars.next();
                    let start = at + 1;
                    let end = rest[start..].find(']').map(|i| start + i).ok_or_else(|| {
                        error(
                            format!("`[` without its `]` in the path `{text}`"),
                            format!("`[` sans son `]` dans le chemin `{text}`"),
                        )
                    })?;
                    segments.push(bracket(text, rest[start..end].trim())?);
                    while chars.peek().is_some_and(|&(i, _)| i <= end) {
                        chars.next();
                    }
                    expect_name = false;
                }
                ']' => {
                    return Err(error(
                        format!("`]` without its `[` in the path `{text}`"),
                        format!("`]` sans son `[` dans le chemin `{text}`"),
                    ));
                }
                _ if c.is_whitespace() => {
                    return Err(error(
                        format!(
                            "a space in the path `{text}`: a path has none (quote a key with spaces as `['a key']`)"
                        ),
                        format!(
                            "une espace dans le chemin `{text}` : un chemin n'en a pas (citez une clé avec espaces : `['une clé']`)"
                        ),
                    ));
                }
                _ => {
                    if !expect_name {
                        return Err(error(
                            format!(
                                "a `.` is missing before `{}` in the path `{text}`",
                                &rest[at..]
                            ),
                            format!(
                                "il manque un `.` avant `{}` dans le chemin `{text}`",
                                &rest[at..]
                            ),
                        ));
                    }
                    let end = rest[at..]
                        .find(|c: char| matches!(c, '.' | '[' | ']') || c.is_whitespace())
                        .map_or(rest.len(), |i| at + i);
                    let name = &rest[at..end];
                    segments.push(if name == "*" {
                        Segment::All
                    } else {
                        Segment::Field(name.to_owned())
                    });
                    while chars.peek().is_some_and(|&(i, _)| i < end) {
                        chars.next();
                    }
                    expect_name = false;
                }
            }
        }
        if expect_name {
            return Err(empty_field(text, rest.len()));
        }
        Ok(Self {
            text: text.trim().to_owned(),
            segments,
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Every value the path selects in `root` (nulls and missing fields are not selected).
    pub fn select<'v>(&self, root: &'v Value) -> Vec<&'v Value> {
        let mut current = vec![root];
        for segment in &self.segments {
            let mut next = Vec::new();
            for value in current {
                step(segment, value, &mut next);
            }
            current = next;
        }
        current.retain(|v| !v.is_null());
        current
    }
}

fn step<'v>(segment: &Segment, value: &'v Value, out: &mut Vec<&'v Value>) {
    match (segment, value) {
        (Segment::Field(name), Value::Object(map)) => out.extend(map.get(name)),
        (Segment::Field(_), Value::Array(items)) => {
            for item in items {
                step(segment, item, out);
            }
        }
        (Segment::Index(i), Value::Array(items)) => out.extend(items.get(*i)),
        (Segment::All, Value::Array(items)) => out.extend(items),
        (Segment::All, Value::Object(map)) => out.extend(map.values()),
        (Segment::Where(field, wanted), Value::Array(items)) => out.extend(
            items
                .iter()
                .filter(|item| item.get(field).and_then(scalar_text).as_deref() == Some(wanted)),
        ),
        _ => {}
    }
}

/// The text of a scalar (`5`, `true`, `"web"`), `None` for a list or mapping.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn empty_field(text: &str, at: usize) -> PathError {
    error(
        format!(
            "an empty field at character {} of the path `{text}` (two dots, or a dot at an end)",
            at + 1
        ),
        format!(
            "un champ vide au caractère {} du chemin `{text}` (deux points, ou un point à un bout)",
            at + 1
        ),
    )
}

/// The inside of `[…]`: an index, `*`, `field=value`, or a quoted key.
fn bracket(text: &str, inside: &str) -> Result<Segment, PathError> {
    if inside == "*" {
        return Ok(Segment::All);
    }
    if let Ok(index) = inside.parse::<usize>() {
        return Ok(Segment::Index(index));
    }
    for quote in ['\'', '"'] {
        if let Some(key) = inside
            .strip_prefix(quote)
            .and_then(|s| s.strip_suffix(quote))
        {
            return Ok(Segment::Field(key.to_owned()));
        }
    }
    if let Some((field, value)) = inside.split_once('=') {
        let field = field.trim().trim_start_matches('@').trim_start_matches('.');
        let value = value.trim().trim_matches(['\'', '"']);
        if !field.is_empty() && !value.is_empty() {
            return Ok(Segment::Where(field.to_owned(), value.to_owned()));
        }
    }
    Err(error(
        format!(
            "`[{inside}]` in the path `{text}` is not understood: write an index (`[0]`), `[*]`, \
             a filter (`[name=web]`) or a quoted key (`['app.kubernetes.io/name']`)"
        ),
        format!(
            "`[{inside}]` dans le chemin `{text}` n'est pas compris : écrivez un indice (`[0]`), \
             `[*]`, un filtre (`[name=web]`) ou une clé entre guillemets (`['app.kubernetes.io/name']`)"
        ),
    ))
}
