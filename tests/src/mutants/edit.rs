//! Editing a manifest's text line by line at the places [`super::outline`] found, keeping the
//! learner's layout: block style, indentation, the lines around untouched.

use super::outline::Entry;

/// The text as lines, to edit and join back.
#[derive(Debug, Clone)]
pub struct Lines(pub Vec<String>);

impl Lines {
    pub fn new(text: &str) -> Self {
        Self(text.lines().map(str::to_owned).collect())
    }

    pub fn text(&self) -> String {
        let mut out = self.0.join("\n");
        out.push('\n');
        out
    }

    fn line(&self, i: usize) -> &str {
        self.0.get(i).map_or("", String::as_str)
    }

    /// Where the content of line `i` starts: after the indentation and any `- ` markers.
    pub fn content_col(&self, i: usize) -> usize {
        let line = self.line(i);
        let bytes = line.as_bytes();
        let mut col = 0;
        loop {
            while bytes.get(col) == Some(&b' ') {
                col += 1;
            }
            if bytes.get(col) == Some(&b'-') && matches!(bytes.get(col + 1), Some(b' ') | None) {
                col += 1;
                continue;
            }
            return col;
        }
    }

    /// The key's line starts a sequence item (`- key: …`).
    pub fn starts_item(&self, e: &Entry) -> bool {
        let line = self.line(e.line);
        line[..self.content_col(e.line).min(line.len())].contains('-')
    }

    /// The column of the entry's key (or item content).
    pub fn key_col(&self, e: &Entry) -> usize {
        self.content_col(e.line)
    }

    /// Replaces the entry's value by `value` written on the key's line (the block under it, if
    /// any, removed). For a sequence item, the item becomes `- value`.
    pub fn set_value(&mut self, e: &Entry, value: &str) {
        let col = self.key_col(e);
        let line = self.line(e.line).to_owned();
        let head = match &e.key {
            Some(key) => format!("{}{}:", &line[..col], key_text(&line[col..], key)),
            None => line[..col].trim_end().to_owned(),
        };
        let new = if value.is_empty() {
            head
        } else {
            format!("{head} {value}")
        };
        self.replace(e.line, e.end, vec![new]);
    }

    /// Replaces the entry's value by a block of lines under the key (each given relative to the
    /// key's children, e.g. `["- a", "- b"]`).
    pub fn set_block(&mut self, e: &Entry, block: &[String]) {
        let col = self.key_col(e);
        let Some(key) = &e.key else { return };
        let line = self.line(e.line).to_owned();
        let mut new = vec![format!("{}{}:", &line[..col], key_text(&line[col..], key))];
        let pad = " ".repeat(col + 2);
        new.extend(block.iter().map(|l| format!("{pad}{l}")));
        self.replace(e.line, e.end, new);
    }

    /// Renames the entry's key, its value untouched.
    pub fn rename_key(&mut self, e: &Entry, new_key: &str) {
        let Some(key) = &e.key else { return };
        let col = self.key_col(e);
        let line = self.line(e.line).to_owned();
        let old = key_text(&line[col..], key);
        let new = format!("{}{new_key}{}", &line[..col], &line[col + old.len()..]);
        self.0[e.line] = new;
    }

    /// The entry's lines, its key (or item content) moved to column 0.
    pub fn block_of(&self, e: &Entry) -> Vec<String> {
        let col = self.key_col(e);
        (e.line..=e.end)
            .map(|i| {
                let l = self.line(i);
                if i == e.line {
                    l[col.min(l.len())..].to_owned()
                } else {
                    let pad = l.len() - l.trim_start_matches(' ').len();
                    l[pad.min(col)..].to_owned()
                }
            })
            .collect()
    }

    /// Removes the entry (its key and value). The first key of a sequence item hands the item's
    /// `- ` to the next key; an item left with nothing becomes `- {}`.
    pub fn remove(&mut self, e: &Entry) {
        let col = self.key_col(e);
        let line = self.line(e.line).to_owned();
        if e.key.is_some() && self.starts_item(e) {
            let prefix = line[..col].to_owned();
            let next = e.end + 1;
            let next_line = self.line(next).to_owned();
            let same_item = next < self.0.len()
                && next_line.len() - next_line.trim_start_matches(' ').len() == col
                && !next_line.trim_start().starts_with('-');
            if same_item {
                self.0[next] = format!("{prefix}{}", &next_line[col..]);
                self.replace(e.line, e.end, Vec::new());
            } else {
                self.replace(e.line, e.end, vec![format!("{prefix}{{}}")]);
            }
            return;
        }
        self.replace(e.line, e.end, Vec::new());
    }

    /// Inserts `block` (relative lines, as from [`Lines::block_of`]) before line `at`, its first
    /// line at column `col`.
    pub fn insert_block(&mut self, at: usize, col: usize, block: &[String]) {
        let pad = " ".repeat(col);
        let new: Vec<String> = block.iter().map(|l| format!("{pad}{l}")).collect();
        let at = at.min(self.0.len());
        self.0.splice(at..at, new);
    }

    /// Replaces lines `from..=to` by `new`.
    pub fn replace(&mut self, from: usize, to: usize, new: Vec<String>) {
        let to = (to + 1).min(self.0.len());
        let from = from.min(to);
        self.0.splice(from..to, new);
    }
}

/// The key as written at the start of `rest` (quoted or not).
fn key_text<'a>(rest: &'a str, key: &str) -> &'a str {
    for q in ['"', '\''] {
        if rest.starts_with(q)
            && let Some(end) = rest[1..].find(q)
        {
            return &rest[..end + 2];
        }
    }
    if rest.starts_with(key) {
        &rest[..key.len()]
    } else {
        rest.split(':').next().unwrap_or(rest)
    }
}
