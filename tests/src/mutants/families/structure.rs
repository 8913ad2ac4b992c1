//! Mutations of the structure: a field removed, misspelt, indented wrongly, moved, duplicated.

use super::super::edit::Lines;
use super::super::outline::{Entry, Shape};
use super::super::rng::Rng;
use super::values::typo;
use super::{pick, shown};

/// Fields the API server (or the reader before it) cannot do without.
const REQUIRED: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "image",
    "containers",
    "selector",
    "matchLabels",
    "template",
    "spec",
    "ports",
    "port",
    "containerPort",
    "schedule",
    "jobTemplate",
    "key",
    "path",
    "mountPath",
    "storage",
    "resources",
    "accessModes",
    "claimName",
    "secretName",
    "externalName",
    "topologyKey",
    "maxSkew",
    "whenUnsatisfiable",
    "fieldPath",
    "resource",
    "values",
    "operator",
    "restartPolicy",
    "labels",
    "type",
    "command",
];

/// A field removed (a required one, two times out of three).
pub fn missing(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = if rng.chance(2, 3) {
        pick(rng, entries, |e| {
            e.key.as_deref().is_some_and(|k| REQUIRED.contains(&k))
        })?
    } else {
        pick(rng, entries, |e| e.key.is_some())?
    };
    lines.remove(e);
    Some(format!("{} removed", e.path))
}

/// Typos that learners make in real field names.
const TYPOS: &[(&str, &str)] = &[
    ("containers", "container"),
    ("containerPort", "containerport"),
    ("matchLabels", "matchLabel"),
    ("volumeMounts", "volumeMount"),
    ("env", "envs"),
    ("image", "images"),
    ("replicas", "replica"),
    ("labels", "label"),
    ("selector", "selectors"),
    ("targetPort", "target_port"),
    ("imagePullPolicy", "pullPolicy"),
    ("metadata", "meta"),
    ("restartPolicy", "restartpolicy"),
    ("configMapKeyRef", "configMapRef"),
    ("secretKeyRef", "secretRef"),
    ("persistentVolumeClaim", "persistentVolumeClaims"),
];

/// A field name misspelt, or an unknown field added beside real ones.
pub fn unknown_field(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let free = |e: &Entry| {
        [
            "data",
            "stringData",
            "labels",
            "annotations",
            "matchLabels",
            "nodeSelector",
            "selector",
        ]
        .iter()
        .any(|p| e.parent == *p || e.parent.ends_with(&format!(".{p}")))
    };
    if rng.chance(1, 4) {
        let e = pick(rng, entries, |e| e.key.is_some() && !free(e) && e.line > 0)?;
        let col = lines.key_col(e);
        let extra = rng.pick(&["colour: blue", "enabled: true", "replica: 2", "timeout: 30"])?;
        lines.insert_block(
            e.line + usize::from(lines.starts_item(e)) * (e.end + 1 - e.line),
            col,
            &[(*extra).to_owned()],
        );
        return Some(format!("unknown field `{extra}` added beside {}", e.path));
    }
    let e = pick(rng, entries, |e| {
        e.key
            .as_deref()
            .is_some_and(|k| k.len() > 2 && k.bytes().all(|b| b.is_ascii_alphabetic()))
            && !free(e)
    })?;
    let key = e.key.as_deref()?;
    let new = match TYPOS.iter().find(|(k, _)| *k == key) {
        Some((_, t)) if rng.chance(1, 2) => (*t).to_owned(),
        _ => typo(rng, key),
    };
    if new == key {
        return None;
    }
    lines.rename_key(e, &new);
    Some(format!("field {}: {key} → {new}", e.path))
}

/// One line moved one level in or out (or by one space).
pub fn indentation(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| {
        e.key.is_some() && e.line > 0 && e.path != "apiVersion"
    })?;
    let line = lines.0.get(e.line)?.clone();
    let (new, how) = match rng.below(5) {
        0 | 1 => (format!("  {line}"), "two spaces in"),
        2 | 3 if line.starts_with("  ") => (line[2..].to_owned(), "two spaces out"),
        2 | 3 => (format!("    {line}"), "four spaces in"),
        _ => (format!(" {line}"), "one space in"),
    };
    lines.0[e.line] = new;
    Some(format!("line {} ({}) moved {how}", e.line + 1, e.path))
}

/// Two sibling values swapped, or a field moved to its parent's level or into a sibling.
pub fn moved(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    match rng.below(3) {
        0 => swap(rng, lines, entries),
        1 => move_out(rng, lines, entries),
        _ => move_in(rng, lines, entries),
    }
}

fn swap(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let a = pick(rng, entries, |e| {
        e.key.is_some() && e.is_scalar() && e.inline
    })?;
    let b = pick(rng, entries, |e| {
        e.key.is_some()
            && e.is_scalar()
            && e.inline
            && e.parent == a.parent
            && e.doc == a.doc
            && e.path != a.path
    })?;
    let (va, vb) = (shown(a, lines), shown(b, lines));
    if va == vb {
        return None;
    }
    // Same line count: the entries keep their lines.
    lines.set_value(a, &vb);
    lines.set_value(b, &va);
    Some(format!("values of {} and {} swapped", a.path, b.path))
}

/// The mapping entries that hold `e` (the entry whose path is `e.parent`, or for an item of a
/// list, the list's entry).
fn holder<'a>(entries: &'a [Entry], e: &Entry) -> Option<&'a Entry> {
    let mut parent = e.parent.clone();
    loop {
        let found = entries
            .iter()
            .find(|x| x.path == parent && x.doc == e.doc)?;
        if found.key.is_some() {
            return Some(found);
        }
        parent = found.parent.clone();
    }
}

fn move_out(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| {
        e.key.is_some() && !e.parent.is_empty() && !lines.starts_item(e)
    })?;
    let parent = holder(entries, e)?;
    let col = lines.key_col(parent);
    let block = lines.block_of(e);
    // Insert after the parent, then remove (the insertion is below the entry).
    lines.insert_block(parent.end + 1, col, &block);
    lines.remove(e);
    let to = if parent.parent.is_empty() {
        "the top level"
    } else {
        parent.parent.as_str()
    };
    Some(format!("{} moved out of {} into {to}", e.path, parent.path))
}

fn move_in(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| {
        e.key.is_some() && !lines.starts_item(e) && e.path != "apiVersion"
    })?;
    let into = pick(rng, entries, |x| {
        x.key.is_some()
            && x.parent == e.parent
            && x.doc == e.doc
            && x.path != e.path
            && matches!(x.shape, Shape::Map)
            && x.is_block()
    })?;
    let child = entries
        .iter()
        .find(|c| c.parent == into.path && c.doc == into.doc)?;
    let col = lines.key_col(child);
    let block = lines.block_of(e);
    if into.line > e.line {
        lines.insert_block(into.end + 1, col, &block);
        lines.remove(e);
    } else {
        // Removing a later entry leaves the lines before it where they are.
        lines.remove(e);
        lines.insert_block(into.end + 1, col, &block);
    }
    Some(format!("{} moved into {}", e.path, into.path))
}

/// An item of a list repeated (the same container, port, volume, mount, env var…), or a key of
/// a mapping written twice.
pub fn duplicate(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    if rng.chance(2, 3)
        && let Some(e) = pick(rng, entries, |e| {
            e.key.is_none() && matches!(e.shape, Shape::Map)
        })
    {
        let col = lines.key_col(e);
        let line = lines.0.get(e.line)?.clone();
        let mut block = lines.block_of(e);
        // The copy keeps the item's `- ` and its indentation.
        if let Some(first) = block.first_mut() {
            *first = format!("{}{first}", &line[..col]);
        }
        let pad = " ".repeat(col);
        for l in block.iter_mut().skip(1) {
            *l = format!("{pad}{l}");
        }
        lines.insert_block(e.end + 1, 0, &block);
        return Some(format!("{} repeated", e.path));
    }
    let e = pick(rng, entries, |e| {
        e.key.is_some() && e.inline && e.is_scalar() && e.line > 0
    })?;
    if lines.starts_item(e) {
        return None;
    }
    let col = lines.key_col(e);
    let key = e.key.as_deref()?;
    let value = match &e.shape {
        Shape::Str(s) if !s.is_empty() => serde_json::to_string(&format!("{s}-2")).ok()?,
        Shape::Int(i) => (i + 1).to_string(),
        _ => shown(e, lines),
    };
    lines.insert_block(e.end + 1, col, &[format!("{key}: {value}")]);
    Some(format!("key {} written twice", e.path))
}
