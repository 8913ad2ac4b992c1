//! Following a [`FieldPath`] through a positioned tree.

use super::{Key, Node, NodeKind};
use crate::path::{FieldPath, Segment};

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
pub fn resolve<'a>(root: &'a Node, path: &FieldPath) -> Resolved<'a> {
    let segs = path.segments();
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
            (Segment::Field(n), NodeKind::Map(entries)) => find_key(entries, n, &segs[i + 1..]),
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
        let Segment::Field(part) = seg else { break };
        joined.push('.');
        joined.push_str(part);
        if let Some((k, v)) = lookup(&joined) {
            return Some((Some(k), v, n + 2));
        }
    }
    None
}
