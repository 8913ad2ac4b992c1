//! "Show to the room": what a learner's detail hides on the projector. The proxy never sends a
//! Secret's values from the cluster, but a learner's workspace files are their own text: a Secret
//! written there keeps its values, so the room view blanks them (line for line, so that the line
//! numbers stay those of the file).

use crate::i18n::Lang;

/// What stands for a hidden value.
pub const HIDDEN: &str = "••••••";

/// How the room sees learner number `seat`.
pub fn anonymous(seat: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Learner {seat}"),
        Lang::Fr => format!("Apprenant·e {seat}"),
    }
}

/// `text` (a manifest file, one or more YAML documents) with the values of every Secret's
/// `data` and `stringData` replaced by [`HIDDEN`]; the keys, the other documents and the
/// number of lines stay.
pub fn hide_secret_values(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        if is_separator(line) {
            out.extend(document(&lines[start..i]));
            out.push((*line).to_owned());
            start = i + 1;
        }
    }
    out.extend(document(&lines[start..]));
    out.join("\n")
}

fn is_separator(line: &str) -> bool {
    line.starts_with("---") || line.starts_with("...")
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A top-level `key:` line: its key and what follows the colon.
fn top_level(line: &str) -> Option<(&str, &str)> {
    if indent(line) > 0 || line.starts_with('#') {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    Some((key.trim().trim_matches(['"', '\'']), rest))
}

fn is_secret(lines: &[&str]) -> bool {
    lines.iter().any(|line| {
        top_level(line).is_some_and(|(key, rest)| {
            let value = rest.split(" #").next().unwrap_or("").trim();
            key == "kind" && value.trim_matches(['"', '\'']) == "Secret"
        })
    })
}

/// One document, its Secret values hidden when it is a Secret.
fn document(lines: &[&str]) -> Vec<String> {
    if !is_secret(lines) {
        return lines.iter().map(|l| (*l).to_owned()).collect();
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut inside = false;
    // The indent of the entries of `data`, and of a block scalar's text under one of them.
    let mut entry_indent: Option<usize> = None;
    for line in lines {
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        if let Some((key, rest)) = top_level(line) {
            inside = key == "data" || key == "stringData";
            entry_indent = None;
            let rest = rest.trim();
            if inside && !rest.is_empty() && !rest.starts_with('#') {
                // `data: {a: b}` or a value on the key's line: all of it goes.
                out.push(format!("{key}: {HIDDEN}"));
            } else {
                out.push((*line).to_owned());
            }
            continue;
        }
        if !inside || blank {
            out.push((*line).to_owned());
            continue;
        }
        let depth = indent(line);
        let entry = *entry_indent.get_or_insert(depth);
        if depth > entry {
            // The text of a block scalar, or the rest of a value on several lines.
            out.push(format!("{}{HIDDEN}", " ".repeat(depth)));
            continue;
        }
        match line.split_once(':') {
            Some((key, value)) if !value.trim().is_empty() => {
                out.push(format!("{key}: {HIDDEN}"));
            }
            _ => out.push((*line).to_owned()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_go_keys_and_lines_stay() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  POSTGRES_PASSWORD: s3cret\n  note: |\n    line one\n    line two\ndata:\n  token: c2VjcmV0\ntype: Opaque\n";
        let hidden = hide_secret_values(text);
        assert_eq!(hidden.lines().count(), text.lines().count());
        assert!(!hidden.contains("s3cret") && !hidden.contains("c2VjcmV0"));
        assert!(!hidden.contains("line one"));
        assert!(hidden.contains("  POSTGRES_PASSWORD: ••••••"));
        assert!(hidden.contains("  token: ••••••"));
        assert!(hidden.contains("  name: db"));
        assert!(hidden.contains("type: Opaque"));
    }

    #[test]
    fn only_secrets_are_touched_and_flow_maps_go_whole() {
        let text =
            "kind: ConfigMap\ndata:\n  MODE: debug\n---\nkind: \"Secret\"\ndata: {token: abc}\n";
        let hidden = hide_secret_values(text);
        assert!(hidden.contains("  MODE: debug"));
        assert!(hidden.contains("data: ••••••"));
        assert!(!hidden.contains("abc"));
        assert_eq!(hidden.lines().count(), text.lines().count());
    }

    #[test]
    fn the_room_sees_a_number_in_its_language() {
        assert_eq!(anonymous(7, Lang::En), "Learner 7");
        assert_eq!(anonymous(7, Lang::Fr), "Apprenant·e 7");
    }
}
