//! Builds [`Node`] trees from saphyr-parser's events, enforcing the [`Limits`] as it goes.

use super::{Document, Key, Limits, Node, NodeKind, YamlError, messages, scalar};
use crate::diagnostic::Span;
use crate::path::FieldPath;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span as YSpan};
use std::collections::{HashMap, HashSet};

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Marker,
        anchor: usize,
    },
    Map {
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
        /// Each key read so far and the line it is on, so a repeated key names the first.
        seen: HashMap<String, u32>,
        start: Marker,
        anchor: usize,
    },
}

pub(super) struct Builder<'a> {
    text: &'a str,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    aliases: usize,
    nodes: usize,
    docs: Vec<Document>,
    doc_start: Marker,
    root: Option<Node>,
    issues: Vec<super::YamlError>,
}

/// 1-based span from saphyr markers (line 1-based, column 0-based, in characters).
pub(super) fn span(start: &Marker, end: &Marker) -> Span {
    let (end_line, end_col) = if end.index() <= start.index() {
        (start.line(), start.col() + 1)
    } else {
        (end.line(), end.col())
    };
    Span {
        line: to_u32(start.line()),
        column: to_u32(start.col() + 1),
        end_line: to_u32(end_line),
        end_column: to_u32(end_col + 1),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + count(v)).sum::<usize>(),
        _ => 1,
    }
}

impl<'a> Builder<'a> {
    pub(super) fn new(text: &'a str, limits: &Limits) -> Self {
        Self {
            text,
            limits: *limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            aliases: 0,
            nodes: 0,
            docs: Vec::new(),
            doc_start: Marker::new(0, 1, 0),
            root: None,
            issues: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> Result<Vec<Document>, YamlError> {
        let mut parser = Parser::new_from_str(self.text);
        while let Some(next) = parser.next_event() {
            let (event, ys) = next.map_err(|e| messages::scan_error(&e))?;
            self.event(event, ys)?;
        }
        Ok(self.docs)
    }

    /// The path of the node being read: the item or key each open collection is at.
    fn path(&self) -> FieldPath {
        let mut out = FieldPath::root();
        for frame in &self.stack {
            match frame {
                Frame::Seq { items, .. } => out.push_index(items.len()),
                Frame::Map { key: Some(k), .. } => out.push_field(&k.name),
                Frame::Map { .. } => {}
            }
        }
        out
    }

    fn event(&mut self, event: Event<'_>, ys: YSpan) -> Result<(), YamlError> {
        match event {
            Event::DocumentStart(_) => {
                if self.docs.len() >= self.limits.max_documents {
                    return Err(messages::too_many_documents(
                        span(&ys.start, &ys.end),
                        self.limits.max_documents,
                    ));
                }
                self.doc_start = ys.start;
                self.root = None;
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                let end = if ys.end.index() > self.doc_start.index() {
                    ys.end
                } else {
                    ys.start
                };
                self.docs.push(Document {
                    index: self.docs.len(),
                    span: span(&self.doc_start, &end),
                    // A document holding nothing (or only `null`) is empty, as kubectl sees it.
                    root: self
                        .root
                        .take()
                        .filter(|n| n.quoted || !matches!(n.kind, NodeKind::Null)),
                    issues: std::mem::take(&mut self.issues),
                });
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.bump(1, &ys)?;
                let quoted = !matches!(style, ScalarStyle::Plain);
                let tag_suffix = tag
                    .as_ref()
                    .filter(|t| t.is_yaml_core_schema())
                    .map(|t| t.suffix.as_str());
                let kind = match (tag_suffix, quoted) {
                    (Some("str"), _) => NodeKind::Str(value.to_string()),
                    (Some("int" | "float" | "bool" | "null"), _) | (_, false) => {
                        scalar::resolve_plain(&value)
                    }
                    _ => NodeKind::Str(value.to_string()),
                };
                let node = Node {
                    kind,
                    span: span(&ys.start, &ys.end),
                    quoted,
                };
                self.complete(node, anchor, &value)?;
            }
            Event::Alias(id) => {
                self.aliases += 1;
                let here = span(&ys.start, &ys.end);
                if self.aliases > self.limits.max_aliases {
                    return Err(messages::too_many_aliases(here, self.limits.max_aliases));
                }
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(messages::unknown_alias(here));
                };
                let (mut node, size) = (node.clone(), *size);
                self.bump(size, &ys)?;
                if !matches!(node.kind, NodeKind::Seq(_) | NodeKind::Map(_)) {
                    node.span = here;
                }
                let raw = self.raw(&node);
                self.complete(node, 0, &raw)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.bump(1, &ys)?;
                self.push(
                    Frame::Seq {
                        items: Vec::new(),
                        start: ys.start,
                        anchor,
                    },
                    &ys,
                )?;
            }
            Event::MappingStart(anchor, _) => {
                self.bump(1, &ys)?;
                let frame = Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    seen: HashMap::new(),
                    start: ys.start,
                    anchor,
                };
                self.push(frame, &ys)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (kind, start, anchor) = match frame {
                    Frame::Seq {
                        items,
                        start,
                        anchor,
                    } => (NodeKind::Seq(items), start, anchor),
                    Frame::Map {
                        entries,
                        start,
                        anchor,
                        ..
                    } => (NodeKind::Map(merge(entries)), start, anchor),
                };
                let end = last_end(&kind).unwrap_or_else(|| span(&start, &ys.end));
                let mut sp = span(&start, &ys.end);
                sp.end_line = end.end_line;
                sp.end_column = end.end_column;
                self.complete(
                    Node {
                        kind,
                        span: sp,
                        quoted: false,
                    },
                    anchor,
                    "",
                )?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn raw(&self, node: &Node) -> String {
        match &node.kind {
            NodeKind::Str(s) => s.clone(),
            NodeKind::Int(i) => i.to_string(),
            NodeKind::Bool(b) => b.to_string(),
            _ => String::new(),
        }
    }

    fn bump(&mut self, n: usize, ys: &YSpan) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(messages::too_many_nodes(
                span(&ys.start, &ys.end),
                self.limits.max_nodes,
            ));
        }
        Ok(())
    }

    fn push(&mut self, frame: Frame, ys: &YSpan) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(messages::too_deep(
                span(&ys.start, &ys.end),
                self.limits.max_depth,
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn complete(&mut self, node: Node, anchor: usize, raw: &str) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), count(&node)));
        }
        if let Some(Frame::Map {
            key: Some(k), seen, ..
        }) = self.stack.last()
            && k.name != "<<"
            && let Some(first) = seen.get(&k.name)
        {
            let issue = messages::duplicate_key(k, Some(*first), self.path());
            self.issues.push(issue);
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                key: key @ None, ..
            }) => {
                if matches!(node.kind, NodeKind::Seq(_) | NodeKind::Map(_)) {
                    return Err(messages::complex_key(node.span));
                }
                let converted = !node.quoted && !matches!(node.kind, NodeKind::Str(_));
                let name = if node.quoted {
                    raw.to_owned()
                } else {
                    scalar::key_text(&node.kind, raw)
                };
                *key = Some(Key {
                    name,
                    span: node.span,
                    converted,
                });
            }
            Some(Frame::Map {
                entries, key, seen, ..
            }) => {
                let Some(k) = key.take() else { return Ok(()) };
                if k.name != "<<" {
                    seen.entry(k.name.clone()).or_insert(k.span.line);
                }
                entries.push((k, node));
            }
        }
        Ok(())
    }
}

/// The end of the last item of a collection, so a block mapping's span stops at its last value
/// rather than at the start of whatever follows.
fn last_end(kind: &NodeKind) -> Option<Span> {
    match kind {
        NodeKind::Seq(items) => items.last().map(|n| n.span),
        NodeKind::Map(entries) => entries.last().map(|(_, v)| v.span),
        _ => None,
    }
}

/// Applies YAML merge keys (`<<: *base`): merged entries come after the explicit ones and never
/// override them.
fn merge(entries: Vec<(Key, Node)>) -> Vec<(Key, Node)> {
    if !entries.iter().any(|(k, _)| k.name == "<<") {
        return entries;
    }
    let (merges, mut out): (Vec<_>, Vec<_>) =
        entries.into_iter().partition(|(k, _)| k.name == "<<");
    let mut present: HashSet<String> = out.iter().map(|(k, _)| k.name.clone()).collect();
    for (_, source) in merges {
        let maps: Vec<Node> = match source.kind {
            NodeKind::Map(_) => vec![source],
            NodeKind::Seq(items) => items,
            _ => Vec::new(),
        };
        for map in maps {
            if let NodeKind::Map(inner) = map.kind {
                for (k, v) in inner {
                    if present.insert(k.name.clone()) {
                        out.push((k, v));
                    }
                }
            }
        }
    }
    out
}
