//! Merging a fragment's entries into the list of a manifest, as one small edit of its text.

use super::source::{self, Entry, Fragment, Layout};
use super::{FragmentError, Insertion, Level, Outcome, Place};
use crate::yaml::{self, Document, Limits, Node, NodeKind};
use serde_json::Value;

/// The map that holds (or will hold) the list, and how the file is indented around it.
struct Holder<'d> {
    map: &'d Node,
    /// The file's indentation step (2 in the starter, 4 in some files).
    step: usize,
    /// Columns from a key to the `-` of its list's items (0 for `containers:\n- name:`).
    list_offset: usize,
}

/// Pod spec location of each kind that runs pods.
fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Pod" => Some(&["spec"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some(&["spec", "template", "spec"]),
        _ => None,
    }
}

fn kind_of(doc: &Document) -> Option<&str> {
    doc.root.as_ref()?.get("kind")?.as_str()
}

fn find_holder<'d>(
    docs: &'d [Document],
    lines: &[&str],
    place: &Place,
) -> Result<Holder<'d>, FragmentError> {
    let doc = match &place.kind {
        Some(kind) => docs
            .iter()
            .find(|d| kind_of(d).is_some_and(|k| k.eq_ignore_ascii_case(kind))),
        None => docs
            .iter()
            .find(|d| kind_of(d).and_then(pod_spec_path).is_some()),
    }
    .ok_or_else(|| FragmentError::NoObject {
        kind: place.kind.clone(),
    })?;
    let kind = kind_of(doc).unwrap_or_default().to_string();
    let no_spec = || FragmentError::NoPodSpec { kind: kind.clone() };
    let path = pod_spec_path(&kind).ok_or_else(no_spec)?;
    let mut node = doc.root.as_ref().ok_or_else(no_spec)?;
    let mut key_column = 0;
    for step in path {
        let (key, value) = node.entry(step).ok_or_else(no_spec)?;
        key_column = key.span.column;
        node = value;
    }
    let Some((first_key, _)) = node.as_map().first() else {
        return Err(no_spec());
    };
    if is_inline(lines, node) {
        return Err(FragmentError::Inline {
            key: "spec".into(),
            line: node.span.line,
        });
    }
    let step = first_key.span.column.saturating_sub(key_column).max(1) as usize;
    let containers = node.entry("containers");
    let list_offset = containers
        .and_then(|(key, list)| {
            let item = list.as_seq().first()?;
            let (_, dash) = source::dash_of(lines, &item.span)?;
            dash.checked_sub(key.span.column as usize - 1)
        })
        .unwrap_or(0);
    let map = match place.level {
        Level::PodSpec => node,
        Level::Container => {
            let list = containers.map(|(_, v)| v.as_seq()).unwrap_or_default();
            let name = |c: &Node| c.get("name").and_then(Node::as_str).map(str::to_string);
            match &place.container {
                Some(wanted) => list
                    .iter()
                    .find(|c| name(c).as_deref() == Some(wanted.as_str()))
                    .ok_or_else(|| FragmentError::ContainerNotFound {
                        name: wanted.clone(),
                        available: list.iter().filter_map(name).collect(),
                    })?,
                None => list
                    .first()
                    .ok_or(FragmentError::NoContainer { kind: kind.clone() })?,
            }
        }
    };
    if !matches!(map.kind, NodeKind::Map(_)) {
        return Err(FragmentError::NoContainer { kind });
    }
    if is_inline(lines, map) {
        return Err(FragmentError::Inline {
            key: place.key.clone(),
            line: map.span.line,
        });
    }
    Ok(Holder {
        map,
        step,
        list_offset,
    })
}

/// The node is written in flow style (`[…]`, `{…}`).
fn is_inline(lines: &[&str], node: &Node) -> bool {
    let Some(line) = lines.get((node.span.line as usize).wrapping_sub(1)) else {
        return false;
    };
    let at = &line[source::byte_column(line, node.span.column)..];
    at.starts_with('[') || at.starts_with('{')
}

/// A short name for an entry: its `name`, else its first `key: value`.
fn label(node: &Node) -> String {
    if let Some(name) = node.get("name").and_then(Node::as_str) {
        return name.to_string();
    }
    match node.as_map().first() {
        Some((k, v)) if !matches!(v.kind, NodeKind::Map(_) | NodeKind::Seq(_)) => {
            format!("{}: {}", k.name, v.to_json())
        }
        _ => node.to_json().to_string(),
    }
}

/// Where the new lines go in the old text.
struct Spot {
    from: usize,
    to: usize,
    /// Text before the entries in the replacement (a created key, a kept comment).
    before: String,
    dash: usize,
    /// The spot is at the very end of a text without a final line break.
    at_end: bool,
    /// The replacement ends with a line break (it is inserted at the start of a line).
    closes_line: bool,
}

pub(super) fn insert(
    target: &str,
    fragment: &str,
    place: &Place,
) -> Result<Outcome, FragmentError> {
    let fragment = source::read(fragment)?;
    if let Some(key) = &fragment.key
        && *key != place.key
    {
        return Err(FragmentError::KeyMismatch {
            key: place.key.clone(),
            other: key.clone(),
        });
    }
    let docs = parse(target)?;
    let lines = source::plain_lines(target);
    let holder = find_holder(&docs, &lines, place)?;
    let existing = holder.map.entry(&place.key);
    let current: &[Node] = match existing {
        None => &[],
        Some((_, v)) if matches!(v.kind, NodeKind::Null) => &[],
        Some((k, v)) => match &v.kind {
            NodeKind::Seq(items) if items.is_empty() || !is_inline(&lines, v) => items,
            NodeKind::Seq(_) => {
                return Err(FragmentError::Inline {
                    key: place.key.clone(),
                    line: k.span.line,
                });
            }
            _ => {
                return Err(FragmentError::ExistingNotAList {
                    key: place.key.clone(),
                    line: k.span.line,
                });
            }
        },
    };
    let (new_entries, differing) = compare(current, &fragment);
    if new_entries.is_empty() {
        return Ok(if differing.is_empty() {
            Outcome::AlreadyThere
        } else {
            Outcome::Differs(differing)
        });
    }
    let spot = spot(target, &lines, &holder, place, current, existing)?;
    let from_step = source::step_of(&new_entries);
    let expected: Vec<Value> = current
        .iter()
        .chain(new_entries.iter().map(|e| &e.node))
        .map(Node::to_json)
        .collect();
    let scaled = (from_step.is_some() && from_step != Some(holder.step)).then_some(holder.step);
    // In the file's indentation step first; as written in the fragment if that reads wrong.
    let mut tries = Vec::from([None]);
    if scaled.is_some() {
        tries.insert(0, scaled);
    }
    for step in tries {
        let layout = Layout {
            dash: spot.dash,
            step,
        };
        let insertion = build(target, &spot, &new_entries, layout, from_step);
        if reads_back(&insertion.text, place, &expected) {
            return Ok(Outcome::Inserted(Insertion {
                differing,
                ..insertion
            }));
        }
    }
    Err(FragmentError::Unsafe)
}

fn parse(target: &str) -> Result<Vec<Document>, FragmentError> {
    yaml::parse_documents(target, &Limits::default()).map_err(|e| FragmentError::TargetInvalid {
        line: e.span.line,
        detail: e.message,
    })
}

/// The fragment's entries that are new, and the names of those present with other content.
fn compare<'f>(current: &[Node], fragment: &'f Fragment) -> (Vec<&'f Entry>, Vec<String>) {
    let mut new_entries = Vec::new();
    let mut differing = Vec::new();
    for entry in &fragment.entries {
        let json = entry.node.to_json();
        let name = entry.node.get("name").and_then(Node::as_str);
        let same_name = name.and_then(|n| {
            current
                .iter()
                .find(|c| c.get("name").and_then(Node::as_str) == Some(n))
        });
        match (name, same_name) {
            (Some(n), Some(there)) => {
                if there.to_json() != json {
                    differing.push(n.to_string());
                }
            }
            _ if current.iter().any(|c| c.to_json() == json) => {}
            _ => new_entries.push(entry),
        }
    }
    (new_entries, differing)
}

/// Byte offset of the start of 1-based line `n + 1` (the line after line `n`), or `None` past
/// the end of a text without a final line break.
fn after_line(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    text.match_indices('\n').nth(n - 1).map(|(i, _)| i + 1)
}

fn spot(
    target: &str,
    lines: &[&str],
    holder: &Holder,
    place: &Place,
    current: &[Node],
    existing: Option<(&yaml::Key, &Node)>,
) -> Result<Spot, FragmentError> {
    let eol = eol(target);
    let at_line_end = |n: usize| match after_line(target, n) {
        Some(at) => (at, false),
        None => (target.len(), true),
    };
    if let Some(last) = current.last() {
        let first = current.first().unwrap_or(last);
        let (_, dash) = source::dash_of(lines, &first.span).ok_or(FragmentError::Unsafe)?;
        let (at, at_end) = at_line_end(source::last_line(lines, &last.span));
        return Ok(Spot {
            from: at,
            to: at,
            before: String::new(),
            dash,
            at_end,
            closes_line: !at_end,
        });
    }
    if let Some((key, _)) = existing {
        // `key:` with nothing (or `[]`, `~`) after it: the entries go on the next lines.
        let n = key.span.line as usize;
        let line = lines.get(n - 1).ok_or(FragmentError::Unsafe)?;
        let start = after_line(target, n - 1).ok_or(FragmentError::Unsafe)?;
        let key_end = source::byte_column(line, key.span.end_column);
        let colon = line[key_end..].find(':').ok_or(FragmentError::Unsafe)? + key_end + 1;
        let comment = line[colon..]
            .find(" #")
            .map(|i| line[colon + i..].to_string())
            .unwrap_or_default();
        let column = key.span.column as usize - 1;
        return Ok(Spot {
            from: start + colon,
            to: start + line.len(),
            before: format!("{comment}{eol}"),
            dash: column + holder.list_offset,
            at_end: false,
            closes_line: false,
        });
    }
    // No such key: it is created after the holder's last entry.
    let column = holder.map.span.column as usize - 1;
    let (at, at_end) = at_line_end(source::last_line(lines, &holder.map.span));
    Ok(Spot {
        from: at,
        to: at,
        before: format!("{}{}:{eol}", " ".repeat(column), place.key),
        dash: column + holder.list_offset,
        at_end,
        closes_line: !at_end,
    })
}

fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn build(
    target: &str,
    spot: &Spot,
    entries: &[&Entry],
    layout: Layout,
    from_step: Option<usize>,
) -> Insertion {
    let eol = eol(target);
    let body: Vec<String> = entries
        .iter()
        .flat_map(|e| source::relayout(e, layout, from_step))
        .collect();
    let mut replacement = String::new();
    if spot.at_end {
        replacement.push_str(eol);
    }
    replacement.push_str(&spot.before);
    let entries_at = replacement.len();
    replacement.push_str(&body.join(eol));
    if spot.closes_line {
        replacement.push_str(eol);
    }
    let mut text = String::with_capacity(target.len() + replacement.len());
    text.push_str(&target[..spot.from]);
    text.push_str(&replacement);
    text.push_str(&target[spot.to..]);
    let first_line = 1 + text[..spot.from + entries_at].matches('\n').count();
    Insertion {
        from: spot.from,
        to: spot.to,
        first_line,
        last_line: first_line + body.len() - 1,
        added: entries.iter().map(|e| label(&e.node)).collect(),
        differing: Vec::new(),
        replacement,
        text,
    }
}

/// The new text parses and its list holds exactly the expected entries.
fn reads_back(text: &str, place: &Place, expected: &[Value]) -> bool {
    let Ok(docs) = parse(text) else {
        return false;
    };
    let lines = source::plain_lines(text);
    let Ok(holder) = find_holder(&docs, &lines, place) else {
        return false;
    };
    holder
        .map
        .get(&place.key)
        .map(|list| list.as_seq().iter().map(Node::to_json).collect::<Vec<_>>())
        .is_some_and(|got| got == expected)
}
