//! The fragment as text: its instruction comment set aside, its entries with their own lines
//! (comments included), and those lines moved to another indentation.

use super::FragmentError;
use crate::diagnostic::Span;
use crate::yaml::{self, Limits, Node, NodeKind};

/// A fragment ready to merge.
#[derive(Debug)]
pub(super) struct Fragment {
    /// The key the fragment starts with (`env:`), if it does.
    pub key: Option<String>,
    pub entries: Vec<Entry>,
}

/// One list entry of the fragment.
#[derive(Debug)]
pub(super) struct Entry {
    pub node: Node,
    /// Its lines, without line breaks, from its `-` (or the comments just above it) to the
    /// line before the next entry.
    pub lines: Vec<String>,
    /// Column (0-based) of its `-`.
    pub dash: usize,
    /// Columns from the `-` to the entry's content (2 for `- name: …`).
    pub content: usize,
}

/// The lines of `text` without their line breaks (`\n` or `\r\n`).
pub(super) fn plain_lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// The leading comment lines of a fragment (its instruction), without their `#`.
pub(super) fn leading_comments(fragment: &str) -> Vec<&str> {
    plain_lines(fragment)
        .into_iter()
        .take_while(|l| is_comment_or_blank(l))
        .map(|l| l.trim_start().trim_start_matches('#').trim())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Number of spaces a line starts with.
pub(super) fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The character column (0-based) of a span's start as a byte index into its line.
pub(super) fn byte_column(line: &str, column: u32) -> usize {
    let chars = (column as usize).saturating_sub(1);
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i)
}

/// The 1-based line where a node's text ends. A block scalar (`|`) ends where the next token
/// starts, so an end with nothing but indentation (or a `-`) before it on its line is moved
/// back to the last line with text.
pub(super) fn last_line(lines: &[&str], span: &Span) -> usize {
    let mut n = span.end_line as usize;
    let Some(line) = lines.get(n.wrapping_sub(1)) else {
        return n;
    };
    let before = line[..byte_column(line, span.end_column)].trim();
    if n > span.line as usize && (before.is_empty() || before == "-") {
        n -= 1;
        while n > span.line as usize && lines[n - 1].trim().is_empty() {
            n -= 1;
        }
    }
    n
}

/// The line (1-based) of the `-` that starts a sequence item whose content starts at `span`,
/// and the `-`'s column. `None` when the item is not introduced by a `-` (a flow sequence).
pub(super) fn dash_of(lines: &[&str], span: &Span) -> Option<(usize, usize)> {
    let mut line_no = span.line as usize;
    let first = lines.get(line_no.checked_sub(1)?)?;
    let before = &first[..byte_column(first, span.column)];
    if before.trim_end().ends_with('-') {
        return Some((line_no, before.trim_end().len() - 1));
    }
    // `-` alone on a line, the content below it.
    while line_no > 1 {
        line_no -= 1;
        let line = lines[line_no - 1];
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        return (line.trim() == "-").then(|| (line_no, indent(line)));
    }
    None
}

/// Reads `fragment`: its leading comment lines are the instruction and are dropped; the rest
/// must be a list of entries, or one key followed by a list.
pub(super) fn read(fragment: &str) -> Result<Fragment, FragmentError> {
    let all = plain_lines(fragment);
    let skip = all.iter().take_while(|l| is_comment_or_blank(l)).count();
    let mut lines: Vec<&str> = all[skip..].to_vec();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let body = lines.join("\n");
    let docs = yaml::parse_documents(&body, &Limits::default()).map_err(|e| {
        FragmentError::FragmentInvalid {
            line: e.span.line,
            detail: e.message,
        }
    })?;
    let root = match docs.as_slice() {
        [doc] => doc.root.as_ref().ok_or(FragmentError::NotAList)?,
        _ => return Err(FragmentError::NotAList),
    };
    let (key, list, floor) = match &root.kind {
        NodeKind::Seq(_) => (None, root, 0),
        NodeKind::Map(entries) => match entries.as_slice() {
            [(k, v)] if matches!(v.kind, NodeKind::Seq(_)) => {
                (Some(k.name.clone()), v, k.span.line as usize)
            }
            _ => return Err(FragmentError::NotAList),
        },
        _ => return Err(FragmentError::NotAList),
    };
    let items = list.as_seq();
    if items.is_empty() {
        return Err(FragmentError::NotAList);
    }
    let mut starts = Vec::with_capacity(items.len());
    for item in items {
        let (line, dash) = dash_of(&lines, &item.span).ok_or(FragmentError::NotAList)?;
        starts.push((line, dash));
    }
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let (dash_line, dash) = starts[i];
        let mut first = dash_line;
        let lower = if i == 0 { floor } else { starts[i - 1].0 };
        while first > lower + 1 && lines[first - 2].trim_start().starts_with('#') {
            first -= 1;
        }
        let end = match starts.get(i + 1) {
            Some(&(next, _)) => first_of_comments_above(&lines, next, dash_line),
            None => lines.len(),
        };
        let content = if item.span.line as usize == dash_line {
            byte_column(lines[dash_line - 1], item.span.column) - dash
        } else {
            2
        };
        entries.push(Entry {
            node: item.clone(),
            lines: lines[first - 1..end]
                .iter()
                .map(|l| l.trim_end().to_string())
                .collect(),
            dash,
            content,
        });
    }
    Ok(Fragment { key, entries })
}

/// The line before the comments that sit right above line `next` (they belong to the entry
/// at `next`), never above `floor`.
fn first_of_comments_above(lines: &[&str], next: usize, floor: usize) -> usize {
    let mut end = next - 1;
    while end > floor && lines[end - 1].trim_start().starts_with('#') {
        end -= 1;
    }
    end
}

/// How an entry's lines are moved: to dash column `dash`, deeper levels scaled from the
/// fragment's step to the file's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    pub dash: usize,
    /// The file's indentation step, when deeper levels should follow it.
    pub step: Option<usize>,
}

/// The fragment's indentation step below entry content (2 for `valueFrom:` then
/// `configMapKeyRef:` two spaces deeper), when all deeper lines are multiples of it.
pub(super) fn step_of(entries: &[&Entry]) -> Option<usize> {
    let deeper: Vec<usize> = entries
        .iter()
        .flat_map(|e| {
            e.lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .filter_map(|l| {
                    let rel = indent(l).saturating_sub(e.dash);
                    (rel > e.content).then(|| rel - e.content)
                })
        })
        .collect();
    let step = deeper.iter().copied().min()?;
    deeper.iter().all(|d| d % step == 0).then_some(step)
}

/// The entry's lines at the new layout (`from_step` is the fragment's step, see [`step_of`]).
pub(super) fn relayout(entry: &Entry, layout: Layout, from_step: Option<usize>) -> Vec<String> {
    entry
        .lines
        .iter()
        .map(|line| {
            if line.trim().is_empty() {
                return String::new();
            }
            let rel = indent(line).saturating_sub(entry.dash);
            let rel = match (layout.step, from_step) {
                (Some(to), Some(from)) if rel > entry.content => {
                    entry.content + (rel - entry.content) / from * to
                }
                _ => rel,
            };
            format!("{}{}", " ".repeat(layout.dash + rel), line.trim_start())
        })
        .collect()
}
