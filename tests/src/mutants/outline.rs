//! Where each entry of a manifest is in its text: read with our own YAML reader (positions),
//! so that mutations can edit the text a learner wrote, line by line, keeping its layout.

use kubefiche_core::yaml::{Limits, Node, NodeKind, parse_documents};

/// The value of an entry, as far as mutations care.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str(String),
    Map,
    Seq,
}

/// One mapping entry (`key: value`) or sequence item (`- value`) of a document.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The document's position in the file, from 0.
    pub doc: usize,
    /// The object path, e.g. `spec.template.spec.containers[0].ports[0].containerPort`.
    pub path: String,
    /// The key; `None` for a sequence item.
    pub key: Option<String>,
    /// The path of the mapping or sequence that holds it (`""` for the document's top level).
    pub parent: String,
    /// 0-based line of the key (of the item's first line for a sequence item).
    pub line: usize,
    /// 0-based last line of the entry, its value included.
    pub end: usize,
    pub shape: Shape,
    /// The scalar was quoted (or a block scalar).
    pub quoted: bool,
    /// The value starts on the key's line (a scalar or a flow collection).
    pub inline: bool,
}

impl Entry {
    pub fn is_scalar(&self) -> bool {
        !matches!(self.shape, Shape::Map | Shape::Seq)
    }

    /// A block mapping or sequence under the key, on the lines after it.
    pub fn is_block(&self) -> bool {
        matches!(self.shape, Shape::Map | Shape::Seq) && !self.inline
    }

    /// The last segment's field name, or the parent's for a sequence item.
    pub fn name(&self) -> &str {
        match &self.key {
            Some(k) => k,
            None => self
                .parent
                .rsplit(['.', ']'])
                .find(|s| !s.is_empty())
                .unwrap_or(""),
        }
    }
}

/// Every entry of every document of `text`, in text order; empty when the text does not read.
pub fn entries(text: &str) -> Vec<Entry> {
    let Ok(docs) = parse_documents(text, &Limits::default()) else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for doc in &docs {
        if let Some(root) = &doc.root {
            walk(doc.index, root, "", &lines, &mut out);
        }
    }
    out
}

fn shape(node: &Node) -> Shape {
    match &node.kind {
        NodeKind::Null => Shape::Null,
        NodeKind::Bool(b) => Shape::Bool(*b),
        NodeKind::Int(i) => Shape::Int(*i),
        NodeKind::Float(_) => Shape::Float,
        NodeKind::Str(s) => Shape::Str(s.clone()),
        NodeKind::Seq(_) => Shape::Seq,
        NodeKind::Map(_) => Shape::Map,
    }
}

fn line0(line: u32) -> usize {
    (line as usize).saturating_sub(1)
}

/// The 0-based last line of a value: a span that ends before any text of its last line (a block
/// scalar ends where the next token starts) ends on the line before.
fn last_line(node: &Node, lines: &[&str]) -> usize {
    let end = line0(node.span.end_line);
    let before_end = lines.get(end).map_or("", |l| {
        let n = (node.span.end_column as usize).saturating_sub(1);
        l.char_indices().nth(n).map_or(*l, |(i, _)| &l[..i])
    });
    if end > line0(node.span.line) && before_end.trim().is_empty() {
        end - 1
    } else {
        end
    }
}

fn walk(doc: usize, node: &Node, path: &str, lines: &[&str], out: &mut Vec<Entry>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                let child = if path.is_empty() {
                    key.name.clone()
                } else {
                    format!("{path}.{}", key.name)
                };
                let line = line0(key.span.line);
                let empty = matches!(value.kind, NodeKind::Null) && !value.quoted;
                out.push(Entry {
                    doc,
                    path: child.clone(),
                    key: Some(key.name.clone()),
                    parent: path.to_owned(),
                    line,
                    end: if empty {
                        line
                    } else {
                        last_line(value, lines).max(line)
                    },
                    shape: shape(value),
                    quoted: value.quoted,
                    inline: empty || line0(value.span.line) == line,
                });
                // A flow collection (`[a, b]`, `{a: 1}`) is edited as a whole, never item by item.
                let flow = line0(value.span.line) == line
                    && matches!(value.kind, NodeKind::Map(_) | NodeKind::Seq(_));
                if !flow {
                    walk(doc, value, &child, lines, out);
                }
            }
        }
        NodeKind::Seq(items) => {
            for (i, value) in items.iter().enumerate() {
                let child = format!("{path}[{i}]");
                let line = line0(value.span.line);
                out.push(Entry {
                    doc,
                    path: child.clone(),
                    key: None,
                    parent: path.to_owned(),
                    line,
                    end: last_line(value, lines).max(line),
                    shape: shape(value),
                    quoted: value.quoted,
                    inline: true,
                });
                walk(doc, value, &child, lines, out);
            }
        }
        _ => {}
    }
}
