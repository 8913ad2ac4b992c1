//! French descriptions of the fields a learner writes in the worksheet's kinds, for hover
//! documentation and completion when the page is in French.
//!
//! The text lives in `fr.tsv` beside this file, compiled in as one string and read into a
//! sorted index the first time a description is asked for. Its shape: a line without a leading
//! tab names an OpenAPI definition (e.g. `io.k8s.api.core.v1.Container`), optionally followed by
//! a tab and the description of the type itself; each following line that starts with a tab is
//! `field<TAB>description` for that definition. Lines starting with `#` are comments. A field
//! without a French description keeps its English one (the caller says so).

use std::sync::OnceLock;

/// The translations, as written.
pub(crate) const TEXT: &str = include_str!("fr.tsv");

/// One description: (definition, field, text); the field is empty for the type itself.
type Entry = (&'static str, &'static str, &'static str);

fn index() -> &'static [Entry] {
    static INDEX: OnceLock<Vec<Entry>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut entries = parse(TEXT).0;
        entries.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        entries
    })
}

/// The entries of `text`, and the 1-based numbers of the lines that fit neither shape.
pub(crate) fn parse(text: &'static str) -> (Vec<Entry>, Vec<usize>) {
    let mut entries = Vec::new();
    let mut odd = Vec::new();
    let mut def: Option<&'static str> = None;
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix('\t') {
            Some(rest) => match (def, rest.split_once('\t')) {
                (Some(d), Some((field, doc))) if !field.is_empty() && !doc.is_empty() => {
                    entries.push((d, field, doc));
                }
                _ => odd.push(n + 1),
            },
            None => {
                let (name, doc) = line.split_once('\t').unwrap_or((line, ""));
                if name.is_empty() || name.contains(' ') {
                    odd.push(n + 1);
                    def = None;
                    continue;
                }
                def = Some(name);
                if !doc.is_empty() {
                    entries.push((name, "", doc));
                }
            }
        }
    }
    (entries, odd)
}

/// Every translated (definition, field) pair; the field is empty for the type itself.
#[cfg(test)]
pub(crate) fn keys() -> impl Iterator<Item = (&'static str, &'static str)> {
    index().iter().map(|(d, f, _)| (*d, *f))
}

/// The French description of `field` of the definition `def` (an empty `field`: of the type).
pub fn doc(def: &str, field: &str) -> Option<&'static str> {
    let entries = index();
    entries
        .binary_search_by(|(d, f, _)| (*d, *f).cmp(&(def, field)))
        .ok()
        .map(|i| entries[i].2)
}
