//! The `<…>` tokens of a line (`<nom-du-pod>`, `job/<nom-du-job>`), the kind of object each
//! stands for by its place in the command, and the labels that narrow the candidates.

use crate::kinds;

use super::Placeholder;
use super::roles::{self, Role};
use super::verbs::Targets;
use super::words::{self, Word};

/// Words of placeholder names that say nothing about which object is meant.
const GENERIC: &[&str] = &[
    "nom",
    "du",
    "de",
    "des",
    "la",
    "le",
    "les",
    "un",
    "une",
    "nouveau",
    "nouvelle",
    "votre",
    "ton",
    "mon",
    "name",
    "of",
    "the",
    "a",
    "new",
    "your",
    "my",
    "pod",
    "pods",
    "job",
    "jobs",
    "deployment",
    "deploy",
    "cronjob",
    "service",
    "secret",
    "configmap",
    "conteneur",
    "container",
    "objet",
    "object",
    "ressource",
    "resource",
    "id",
];

pub fn find(line: &str, context: &[&str]) -> Vec<Placeholder> {
    let split = words::split(line);
    let own = selector(&split.words);
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = line[at..].find('<').map(|i| i + at) {
        let Some(len) = words::placeholder_len(&line[open..]) else {
            at = open + 1;
            continue;
        };
        let name = line[open + 1..open + len - 1].to_owned();
        let in_selector = own
            .as_ref()
            .is_some_and(|(s, e, _)| open >= *s && open < *e);
        let kind = kind_at(line, &split.words, open);
        let labels = match &own {
            _ if in_selector => Vec::new(),
            Some((_, _, labels)) if !labels.is_empty() => labels.clone(),
            _ => nearest(line, context)
                .or_else(|| hint(&name))
                .unwrap_or_default(),
        };
        found.push(Placeholder {
            start: open,
            end: open + len,
            name,
            kind,
            labels,
        });
        at = open + len;
    }
    found
}

/// The kind the placeholder at byte `at` stands for.
fn kind_at(line: &str, words: &[Word], at: usize) -> String {
    const POD: &str = "Pod";
    let Some(index) = words.iter().position(|w| w.start <= at && at < w.end) else {
        return POD.to_owned();
    };
    // `job/<x>`, `--from=cronjob/<x>`: the kind before the slash.
    let before = &line[words[index].start..at];
    let before = before.rsplit('=').next().unwrap_or(before);
    if let Some(kind) = before.strip_suffix('/') {
        return kinds::resource(kind).map_or(POD, |k| k.kind).to_owned();
    }
    let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
    if texts.first().map(String::as_str) != Some("kubectl") {
        return POD.to_owned();
    }
    let resolved = roles::resolve(&texts[1..]);
    let Some(verb) = resolved.verb else {
        return POD.to_owned();
    };
    let start = 1 + resolved.used;
    if index < start {
        return POD.to_owned();
    }
    let rest = &texts[start..];
    let roles = roles::roles(verb, rest);
    let kind = match (roles.get(index - start), verb.targets) {
        (Some(Role::Value(flag)), _) if flag.long.starts_with("container") => "Container",
        (Some(Role::Positional(0)), Targets::Pod { .. }) => POD,
        (Some(Role::Positional(_)), Targets::Pod { container: true }) => "Container",
        (Some(Role::Positional(n)), Targets::Resources { .. }) if *n > 0 => {
            let first = roles
                .iter()
                .position(|r| *r == Role::Positional(0))
                .and_then(|i| rest[i].split(',').next());
            first.and_then(kinds::resource).map_or(POD, |k| k.kind)
        }
        (Some(Role::Positional(_)), Targets::NewName) => match verb.path {
            ["create", "secret", ..] => "Secret",
            ["create", "configmap"] => "ConfigMap",
            ["create", "job"] => "Job",
            _ => POD,
        },
        (Some(Role::Positional(_)), Targets::Names) if verb.path == ["top", "node"] => "Node",
        _ => POD,
    };
    kind.to_owned()
}

/// The `-l` of a line: its byte range and its `key=value` pairs (none when its values are
/// placeholders or set expressions).
type Selector = (usize, usize, Vec<(String, String)>);

fn selector(words: &[Word]) -> Option<Selector> {
    if words.first().map(|w| w.text.as_str()) != Some("kubectl") {
        return None;
    }
    let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
    let resolved = roles::resolve(&texts[1..]);
    let verb = resolved.verb?;
    let start = 1 + resolved.used;
    let roles = roles::roles(verb, &texts[start..]);
    for (i, role) in roles.iter().enumerate() {
        let word = &words[start + i];
        let text = &word.text;
        let value = match role {
            Role::Value(flag) if flag.long == "selector" => text.as_str(),
            Role::Flag(None) if text.starts_with("--selector=") => &text["--selector=".len()..],
            Role::Flag(None) if text.starts_with("-l") => {
                let v = &text[2..];
                v.strip_prefix('=').unwrap_or(v)
            }
            _ => continue,
        };
        return Some((word.start, word.end, pairs(value)));
    }
    None
}

/// `app=web,tier==db,env!=x` → the equalities.
fn pairs(selector: &str) -> Vec<(String, String)> {
    selector
        .split(',')
        .filter(|p| !p.contains("!="))
        .filter_map(|p| {
            let (k, v) = p.split_once("==").or_else(|| p.split_once('='))?;
            let (k, v) = (k.trim(), v.trim());
            (!k.is_empty() && words::placeholder_len(v).is_none())
                .then(|| (k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// The labels of the nearest context line with a `-l`: before the line (nearest first), then
/// after it. When the line is not in `context`, every context line counts as before it.
fn nearest(line: &str, context: &[&str]) -> Option<Vec<(String, String)>> {
    let here = context.iter().position(|c| c.trim() == line.trim());
    let (before, after) = match here {
        Some(i) => (&context[..i], &context[i + 1..]),
        None => (context, &[][..]),
    };
    let labels = |l: &&str| {
        selector(&words::split(l).words)
            .map(|(_, _, p)| p)
            .filter(|p| !p.is_empty())
    };
    before
        .iter()
        .rev()
        .find_map(labels)
        .or_else(|| after.iter().find_map(labels))
}

/// `nom-du-pod-postgres` → `app=postgres`: the last words of the name that are not generic.
fn hint(name: &str) -> Option<Vec<(String, String)>> {
    let parts: Vec<&str> = name.split(['-', '_']).collect();
    let keep = parts
        .iter()
        .rev()
        .take_while(|p| !GENERIC.contains(&p.to_lowercase().as_str()))
        .count();
    if keep == 0 || keep == parts.len() {
        return None;
    }
    let value = parts[parts.len() - keep..].join("-");
    Some(vec![("app".to_owned(), value)])
}
