//! Mutations of values: their type, case, range, YAML 1.1 spelling, quotes and enum spelling.

use super::super::edit::Lines;
use super::super::outline::{Entry, Shape};
use super::super::rng::Rng;
use super::{ENUMS, KINDS, pick, shown};

fn type_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::Null => "null",
        Shape::Bool(_) => "bool",
        Shape::Int(_) => "int",
        Shape::Float => "float",
        Shape::Str(_) => "string",
        Shape::Map => "map",
        Shape::Seq => "list",
    }
}

/// A value of another type where the API wants one type: `replicas: three`, `image: [nginx]`.
pub fn wrong_type(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| e.key.is_some() && e.path != "apiVersion")?;
    let before = type_name(&e.shape);
    let old = if e.is_scalar() && e.inline {
        shown(e, lines)
    } else {
        "x".to_owned()
    };
    let old = if old.is_empty() { "x".to_owned() } else { old };
    let choices: &[&str] = match e.shape {
        Shape::Int(_) | Shape::Float => &["string", "bool", "list", "map"],
        Shape::Bool(_) => &["string", "int", "list"],
        Shape::Str(_) | Shape::Null => &["int", "bool", "list", "map"],
        Shape::Map => &["string", "int", "list"],
        Shape::Seq => &["string", "int", "map"],
    };
    let to = *rng.pick(choices)?;
    match to {
        "string" => lines.set_value(e, rng.pick(&["three", "enabled", "nginx", "default"])?),
        "int" => lines.set_value(e, rng.pick(&["1", "80", "3"])?),
        "bool" => lines.set_value(e, rng.pick(&["true", "false"])?),
        "list" => {
            if e.is_block() {
                // The mapping's entries as items of a list.
                let mut block = lines.block_of(e);
                block.remove(0);
                let inner: Vec<String> = block
                    .iter()
                    .map(|l| format!("- {}", l.trim_start()))
                    .collect();
                lines.set_block(e, &inner);
            } else {
                lines.set_block(e, &[format!("- {old}")]);
            }
        }
        _ => {
            if matches!(e.shape, Shape::Seq) && e.is_block() {
                let mut block = lines.block_of(e);
                block.remove(0);
                let inner: Vec<String> = block
                    .iter()
                    .map(|l| match l.trim_start().strip_prefix("- ") {
                        Some(rest) if l.starts_with("  -") || l.starts_with('-') => {
                            format!("  {rest}")
                        }
                        _ => l.clone(),
                    })
                    .collect();
                lines.set_block(e, &inner);
            } else {
                lines.set_block(e, &[format!("value: {old}")]);
            }
        }
    }
    Some(format!("{}: {before} → {to}", e.path))
}

/// An enum value, a kind or a field name in the wrong case.
pub fn wrong_case(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let is_enum = |e: &Entry| matches!(&e.shape, Shape::Str(s) if ENUMS.contains(&s.as_str()) || (e.path == "kind" && KINDS.contains(&s.as_str())));
    if rng.chance(2, 3)
        && let Some(e) = pick(rng, entries, |e| is_enum(e) && e.inline)
    {
        let Shape::Str(s) = &e.shape else { return None };
        let new = recase(rng, s);
        if new == *s {
            return None;
        }
        lines.set_value(e, &new);
        return Some(format!("{}: {s} → {new}", e.path));
    }
    let e = pick(rng, entries, |e| {
        e.key
            .as_deref()
            .is_some_and(|k| k.bytes().any(|b| b.is_ascii_alphabetic()) && !k.contains('.'))
            && !e.parent.ends_with("data")
            && !e.parent.ends_with("labels")
            && !e.parent.ends_with("matchLabels")
            && !e.parent.ends_with("selector")
            && !e.parent.ends_with("annotations")
            && !e.parent.ends_with("nodeSelector")
    })?;
    let key = e.key.as_deref()?;
    let new = recase(rng, key);
    if new == key {
        return None;
    }
    lines.rename_key(e, &new);
    Some(format!("field {}: {key} → {new}", e.path))
}

fn recase(rng: &mut Rng, s: &str) -> String {
    match rng.below(3) {
        0 => s.to_ascii_lowercase(),
        1 => s.to_ascii_uppercase(),
        _ => {
            let mut c = s.chars();
            match c.next() {
                Some(f) if f.is_ascii_uppercase() => {
                    f.to_ascii_lowercase().to_string() + c.as_str()
                }
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        }
    }
}

/// A number out of its range: negative, zero, too large for a port or for 32 bits.
pub fn out_of_range(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let quantity = |e: &Entry| matches!(&e.shape, Shape::Str(s) if s.ends_with("Gi") || s.ends_with("Mi") || s.ends_with('m') && s.len() < 6 || s.ends_with('%'));
    let e = pick(rng, entries, |e| {
        e.inline && (matches!(e.shape, Shape::Int(_)) || quantity(e))
    })?;
    let new = match &e.shape {
        Shape::Int(_) => {
            let port = e.name().to_ascii_lowercase().contains("port");
            let choices: &[&str] = if port {
                &["0", "-1", "65536", "70000", "99999"]
            } else {
                &["-1", "0", "-5", "2147483648", "100000", "1000000000000"]
            };
            (*rng.pick(choices)?).to_owned()
        }
        Shape::Str(s) if s.ends_with('%') => {
            (*rng.pick(&["150%", "-10%", "0%", "101%"])?).to_owned()
        }
        Shape::Str(s) => {
            let unit = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            let n = rng.pick(&["-1", "0", "-250", "99999999999"])?;
            format!("{n}{unit}")
        }
        _ => return None,
    };
    let old = shown(e, lines);
    if old == new {
        return None;
    }
    lines.set_value(e, &new);
    Some(format!("{}: {old} → {new}", e.path))
}

/// What YAML 1.1 reads differently: `yes`/`on`/`off` for booleans and in strings, octal numbers.
pub fn yaml11(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let choice = rng.below(3);
    let e = match choice {
        0 => pick(rng, entries, |e| {
            matches!(e.shape, Shape::Bool(_)) && e.inline && e.key.is_some()
        })
        .or_else(|| {
            pick(rng, entries, |e| {
                matches!(e.shape, Shape::Str(_)) && e.inline && !e.quoted
            })
        })?,
        1 => pick(rng, entries, |e| {
            matches!(e.shape, Shape::Str(_))
                && e.inline
                && e.key.is_some()
                && e.path != "kind"
                && e.path != "apiVersion"
        })?,
        _ => pick(rng, entries, |e| {
            matches!(e.shape, Shape::Int(_)) && e.inline
        })?,
    };
    let old = shown(e, lines);
    let new = match &e.shape {
        Shape::Bool(true) => (*rng.pick(&["yes", "on", "Yes", "ON", "y", "True"])?).to_owned(),
        Shape::Bool(false) => (*rng.pick(&["no", "off", "No", "OFF", "n", "False"])?).to_owned(),
        Shape::Int(i) => match rng.below(4) {
            0 => format!("0{:o}", i.unsigned_abs()),
            1 => format!("0{i}"),
            2 => format!("0o{:o}", i.unsigned_abs()),
            _ => (*rng.pick(&["0644", "0755", "0777", "0999", "0x1F"])?).to_owned(),
        },
        _ => (*rng.pick(&["yes", "no", "on", "off", "y", "n", "true", "~", "null"])?).to_owned(),
    };
    if old == new {
        return None;
    }
    lines.set_value(e, &new);
    Some(format!("{}: {old} → {new}", e.path))
}

/// A number in quotes (`replicas: "3"`), or a quoted number left bare where a string is wanted.
pub fn quoted_number(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let bare = pick(rng, entries, |e| {
        e.inline
            && e.quoted
            && matches!(&e.shape, Shape::Str(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
    });
    if let Some(e) = bare.filter(|_| rng.chance(1, 3)) {
        let Shape::Str(s) = &e.shape else { return None };
        lines.set_value(e, s);
        return Some(format!("{}: \"{s}\" → {s} (unquoted)", e.path));
    }
    let e = pick(rng, entries, |e| {
        e.inline && matches!(e.shape, Shape::Int(_) | Shape::Float)
    })?;
    let old = shown(e, lines);
    let new = if rng.chance(1, 2) {
        format!("\"{old}\"")
    } else {
        format!("'{old}'")
    };
    lines.set_value(e, &new);
    Some(format!("{}: {old} → {new}", e.path))
}

/// An enum value or kind misspelt: a letter dropped, doubled or swapped.
pub fn enum_misspelt(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| {
        e.inline
            && matches!(&e.shape, Shape::Str(s) if ENUMS.contains(&s.as_str()) || (e.path == "kind" && KINDS.contains(&s.as_str())))
    })?;
    let Shape::Str(s) = &e.shape else { return None };
    let new = typo(rng, s);
    if new == *s {
        return None;
    }
    lines.set_value(e, &new);
    Some(format!("{}: {s} → {new}", e.path))
}

/// A string value emptied (`""`): a name, a key, an image, an enumerated value left blank, which
/// the API server sometimes takes for the field left out and sometimes refuses.
pub fn empty_value(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| {
        e.inline
            && e.path != "kind"
            && e.path != "apiVersion"
            && matches!(&e.shape, Shape::Str(s) if !s.is_empty())
    })?;
    let Shape::Str(s) = &e.shape else { return None };
    let was = s.clone();
    lines.set_value(e, "\"\"");
    Some(format!("{}: {was} → \"\"", e.path))
}

/// `s` with one typing mistake (never the same text when `s` has two letters or more).
pub fn typo(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 2 {
        return format!("{s}{s}");
    }
    let i = rng.below(chars.len() - 1) + 1;
    let mut out = chars.clone();
    match rng.below(3) {
        0 => {
            out.remove(i);
        }
        1 => out.insert(i, chars[i]),
        _ => {
            out.swap(i - 1, i);
            if out == chars {
                out.remove(i);
            }
        }
    }
    out.into_iter().collect()
}
