//! Help while typing, from the schema: the documentation of the field under the cursor, and the
//! field names or accepted values that fit where the cursor is.
//!
//! Text being typed is often not valid YAML yet, so the position is resolved from indentation
//! line by line rather than from a parse.

use crate::path::FieldPath;
use crate::schema;

/// What the editor shows when hovering a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// `imagePullPolicy: string — Always | IfNotPresent | Never`
    pub title: String,
    pub body: String,
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    /// The text inserted (`name: ` for a field, the value itself for a value).
    pub apply: String,
    /// `property` or `enum`.
    pub kind: &'static str,
    pub detail: String,
    pub info: String,
}

/// One line as far as nesting goes.
struct Line<'a> {
    /// Spaces before the content (or before the dash).
    indent: usize,
    dash: bool,
    /// Column of the key (after the dash, if any).
    key_col: usize,
    key: Option<&'a str>,
    /// The text after `key:` (trimmed), if there is a colon.
    value: Option<&'a str>,
}

fn read_line(text: &str) -> Option<Line<'_>> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[indent..];
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let (dash, body, key_col) = match rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        Some(after) => {
            let inner = after.len() - after.trim_start_matches(' ').len();
            (true, after.trim_start_matches(' '), indent + 2 + inner)
        }
        None => (false, rest, indent),
    };
    let (key, value) = match body.split_once(':') {
        Some((k, v)) if !k.contains(' ') || k.starts_with('"') => {
            (Some(k.trim_matches('"')), Some(v.trim()))
        }
        _ => (None, None),
    };
    Some(Line {
        indent,
        dash,
        key_col,
        key,
        value,
    })
}

/// The keys leading to the mapping that holds a key at `key_col` on line `at` (0-based).
fn parents(lines: &[&str], at: usize, key_col: usize, on_dash: Option<usize>) -> Vec<String> {
    let mut chain = Vec::new();
    let mut target = key_col;
    // A key on a dash line, or a sibling below one, sits in a sequence item: find the key owning
    // the sequence (its column is at most the dash's).
    let mut item_dash = on_dash;
    let mut j = at;
    while j > 0 {
        j -= 1;
        let Some(line) = read_line(lines[j]) else {
            continue;
        };
        if let Some(dash_indent) = item_dash {
            if line.key_col <= dash_indent && !line.dash && line.value.is_some_and(str::is_empty) {
                chain.push(line.key.unwrap_or_default().to_owned());
                target = line.key_col;
                item_dash = None;
            } else if line.key_col < dash_indent {
                break;
            }
            continue;
        }
        if line.key_col == target && line.dash {
            item_dash = Some(line.indent);
        } else if line.key_col < target {
            chain.push(line.key.unwrap_or_default().to_owned());
            target = line.key_col;
            if line.dash {
                item_dash = Some(line.indent);
            }
        }
        if target == 0 && item_dash.is_none() {
            break;
        }
    }
    chain.reverse();
    chain
}

/// The document (between `---` lines) around line `at`: its first line and its lines.
fn document<'a>(lines: &[&'a str], at: usize) -> (usize, Vec<&'a str>) {
    let start = lines[..at]
        .iter()
        .rposition(|l| l.starts_with("---"))
        .map_or(0, |i| i + 1);
    let end = lines[at..]
        .iter()
        .position(|l| l.starts_with("---"))
        .map_or(lines.len(), |i| at + i);
    (start, lines[start..end].to_vec())
}

fn top_level<'a>(doc: &[&'a str], key: &str) -> Option<&'a str> {
    doc.iter()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().trim_matches('"'))
}

struct Place {
    api_version: String,
    kind: String,
    /// The path of the mapping holding the key (no list indices: they do not matter here).
    parent: FieldPath,
    line_key: Option<String>,
    /// Where the cursor is on the line: in the key, or after `key: `.
    in_value: bool,
}

fn place(text: &str, line: u32, column: u32) -> Option<Place> {
    let lines: Vec<&str> = text.split('\n').collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    let current = *lines.get(at)?;
    let (start, doc) = document(&lines, at);
    let api_version = top_level(&doc, "apiVersion").unwrap_or_default().to_owned();
    let kind = top_level(&doc, "kind").unwrap_or_default().to_owned();
    let cursor = current
        .chars()
        .take(usize::try_from(column).ok()?.saturating_sub(1))
        .map(char::len_utf8)
        .sum::<usize>();
    let parsed = read_line(current);
    let (key_col, on_dash) = match &parsed {
        Some(l) => (l.key_col, l.dash.then_some(l.indent)),
        None => (current.len() - current.trim_start().len(), None),
    };
    let colon = current.find(':');
    let in_value = colon.is_some_and(|c| cursor > c);
    let chain = parents(&lines[start..], at - start, key_col, on_dash);
    Some(Place {
        api_version,
        kind,
        parent: chain.iter().fold(FieldPath::root(), |p, key| p.field(key)),
        line_key: parsed.and_then(|l| l.key.map(str::to_owned)),
        in_value,
    })
}

/// The documentation of the field on this line, in `lang` (`"fr…"` gives French; a field
/// without a French description shows the English one, marked as such).
pub fn hover(text: &str, line: u32, column: u32, lang: &str) -> Option<Hover> {
    let place = place(text, line, column)?;
    let key = place.line_key?;
    let info = schema::field_info_in(
        lang,
        &place.api_version,
        &place.kind,
        &place.parent.field(&key),
    )?;
    let words = Words::of(lang);
    let mut title = format!("{key}: {}", info.type_name);
    if info.required {
        title.push_str(words.required);
    }
    if !info.enum_values.is_empty() {
        title.push_str(&format!("{}{}", words.values, info.enum_values.join(" | ")));
    }
    Some(Hover {
        title,
        body: words.description(&info),
    })
}

/// The labels around the schema's words, in the page's language.
struct Words {
    required: &'static str,
    values: &'static str,
    /// Put before a description shown in English on a French page.
    english: &'static str,
}

impl Words {
    fn of(lang: &str) -> Self {
        if lang.starts_with("fr") {
            Self {
                required: " (obligatoire)",
                values: " — valeurs acceptées : ",
                english: "(en anglais) ",
            }
        } else {
            Self {
                required: " (required)",
                values: " — ",
                english: "",
            }
        }
    }

    fn description(&self, info: &schema::FieldInfo) -> String {
        if info.description_lang == "en" && !self.english.is_empty() {
            format!("{}{}", self.english, info.description)
        } else {
            info.description.clone()
        }
    }
}

/// Field names (in a key) or accepted values (after `key: `) for the cursor's place, with their
/// details in `lang` as [`hover`].
pub fn complete(text: &str, line: u32, column: u32, lang: &str) -> Vec<Completion> {
    let Some(place) = place(text, line, column) else {
        return Vec::new();
    };
    if place.in_value {
        let Some(key) = place.line_key else {
            return Vec::new();
        };
        if place.parent.is_root() && key == "kind" {
            return schema::kinds()
                .map(|(_, kind)| value(kind, "kind"))
                .collect();
        }
        if place.parent.is_root() && key == "apiVersion" {
            return schema::kinds()
                .filter(|(_, k)| *k == place.kind || place.kind.is_empty())
                .map(|(a, _)| value(a, "apiVersion"))
                .collect();
        }
        let info = schema::field_info_in(
            lang,
            &place.api_version,
            &place.kind,
            &place.parent.field(&key),
        );
        return info
            .map(|i| {
                i.enum_values
                    .iter()
                    .map(|v| value(v, &i.type_name))
                    .collect()
            })
            .unwrap_or_default();
    }
    let words = Words::of(lang);
    schema::child_fields_in(lang, &place.api_version, &place.kind, &place.parent)
        .into_iter()
        .map(|f| Completion {
            apply: format!("{}: ", f.name),
            info: words.description(&f),
            detail: if f.required {
                format!("{}{}", f.type_name, words.required)
            } else {
                f.type_name
            },
            label: f.name,
            kind: "property",
        })
        .collect()
}

fn value(text: &str, detail: &str) -> Completion {
    Completion {
        label: text.to_owned(),
        apply: text.to_owned(),
        kind: "enum",
        detail: detail.to_owned(),
        info: String::new(),
    }
}

#[cfg(test)]
mod tests_fr;

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        imagePullPolicy: IfNotPresent\n        ports:\n        - containerPort: 80\n        \n";

    #[test]
    fn hover_follows_sequences_in_the_worksheet_style() {
        let h = hover(DEPLOYMENT, 11, 10, "en").expect("hover");
        assert!(
            h.title.starts_with("imagePullPolicy: string"),
            "{}",
            h.title
        );
        assert!(h.title.contains("IfNotPresent"));
        let port = hover(DEPLOYMENT, 13, 12, "en").expect("port");
        assert!(
            port.title.starts_with("containerPort: integer"),
            "{}",
            port.title
        );
        let name = hover(DEPLOYMENT, 9, 9, "en").expect("name");
        assert!(name.title.starts_with("name: string"), "{}", name.title);
        let spec = hover(DEPLOYMENT, 5, 2, "en").expect("spec");
        assert!(
            spec.title.starts_with("spec: DeploymentSpec"),
            "{}",
            spec.title
        );
    }

    #[test]
    fn completes_fields_of_the_enclosing_object() {
        let names: Vec<String> = complete(DEPLOYMENT, 14, 9, "en")
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert!(
            names.contains(&"readinessProbe".to_owned()) && names.contains(&"env".to_owned()),
            "{names:?}"
        );
        let text = "apiVersion: v1\nkind: Service\nspec:\n  ty";
        let names: Vec<String> = complete(text, 4, 5, "en")
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert!(
            names.contains(&"type".to_owned()) && names.contains(&"ports".to_owned()),
            "{names:?}"
        );
    }

    #[test]
    fn completes_accepted_values() {
        let values: Vec<String> = complete(DEPLOYMENT, 11, 27, "en")
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(values, ["Always", "IfNotPresent", "Never"]);
        let kinds: Vec<String> = complete("apiVersion: v1\nkind: Con", 2, 10, "en")
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert!(kinds.contains(&"ConfigMap".to_owned()));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in ["", "-", "- - -\n  :", "a:\n\t- b", "é: ü\n  ö"] {
            for line in 0..4 {
                for column in 0..6 {
                    for lang in ["en", "fr"] {
                        let _ = hover(text, line, column, lang);
                        let _ = complete(text, line, column, lang);
                    }
                }
            }
        }
    }
}
