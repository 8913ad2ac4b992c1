//! Object paths such as `spec.template.spec.containers[0].env[1].value` or `data[my.key]`, the
//! shape the API server uses in its field errors.

use super::{Key, Node, NodeKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// `.name` — a field (may itself contain dots when it is a label key; see [`resolve`]).
    Name(String),
    /// `[3]` — an item of a list.
    Index(usize),
    /// `[some key]` — an entry of a map, written in brackets.
    Key(String),
}

/// Splits a path into segments. Never fails: odd text becomes names.
pub fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !name.is_empty() {
                    out.push(Segment::Name(std::mem::take(&mut name)));
                }
            }
            '[' => {
                if !name.is_empty() {
                    out.push(Segment::Name(std::mem::take(&mut name)));
                }
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                let trimmed = inner.trim_matches(|c| c == '"' || c == '\'');
                match trimmed.parse::<usize>() {
                    Ok(i) if trimmed == inner => out.push(Segment::Index(i)),
                    _ => out.push(Segment::Key(trimmed.to_owned())),
                }
            }
            _ => name.push(c),
        }
    }
    if !name.is_empty() {
        out.push(Segment::Name(name));
    }
    out
}

/// The path of a child: `parent.name`, or `parent[name]` when the name has dots or slashes.
pub fn child(parent: &str, name: &str) -> String {
    if name.contains(['.', '/', '[', ']', ' ']) || name.is_empty() {
        format!("{parent}[{name}]")
    } else if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// What a path led to.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The deepest node reached (the root when nothing matched).
    pub value: Option<&'a Node>,
    /// The key of that node, when it is a mapping entry.
    pub key: Option<&'a Key>,
    /// Every segment was found.
    pub complete: bool,
}

/// Follows `path` from `root` as far as it exists.
pub fn resolve<'a>(root: &'a Node, path: &str) -> Resolved<'a> {
    let segs = segments(path);
    let mut here = Resolved {
        value: Some(root),
        key: None,
        complete: true,
    };
    let mut i = 0;
    while i < segs.len() {
        let Some(node) = here.value else { break };
        let step = match (&segs[i], &node.kind) {
            (Segment::Index(n), NodeKind::Seq(items)) => items.get(*n).map(|v| (None, v, 1)),
            (Segment::Name(n) | Segment::Key(n), NodeKind::Map(entries)) => {
                find_key(entries, n, &segs[i + 1..])
            }
            _ => None,
        };
        match step {
            Some((key, value, used)) => {
                here = Resolved {
                    value: Some(value),
                    key,
                    complete: true,
                };
                i += used;
            }
            None => {
                here.complete = false;
                break;
            }
        }
    }
    here
}

/// A key, possibly spelt over several `.`-separated segments (`app.kubernetes.io/name`).
fn find_key<'a>(
    entries: &'a [(Key, Node)],
    first: &str,
    rest: &[Segment],
) -> Option<(Option<&'a Key>, &'a Node, usize)> {
    let lookup = |name: &str| entries.iter().rev().find(|(k, _)| k.name == name);
    if let Some((k, v)) = lookup(first) {
        return Some((Some(k), v, 1));
    }
    let mut joined = first.to_owned();
    for (n, seg) in rest.iter().enumerate() {
        let Segment::Name(part) = seg else { break };
        joined.push('.');
        joined.push_str(part);
        if let Some((k, v)) = lookup(&joined) {
            return Some((Some(k), v, n + 2));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths() {
        assert_eq!(
            segments("spec.containers[0].env[12].value"),
            vec![
                Segment::Name("spec".into()),
                Segment::Name("containers".into()),
                Segment::Index(0),
                Segment::Name("env".into()),
                Segment::Index(12),
                Segment::Name("value".into()),
            ]
        );
        assert_eq!(
            segments("data[a.b]"),
            vec![Segment::Name("data".into()), Segment::Key("a.b".into())]
        );
        assert_eq!(segments(""), vec![]);
    }
}
