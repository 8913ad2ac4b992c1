//! Completion of the word before the cursor in a kubectl line.

use crate::kinds::{self, KINDS, KindInfo};

use super::Completion;
use super::roles::{self, Role};
use super::verbs::{self, Access, Arity, Targets, Verb};
use super::words;

pub fn complete(before: &str, live: &[(String, String)]) -> Completion {
    let split = words::split(before);
    if split.stop.is_some() {
        return Completion {
            from: before.len(),
            options: Vec::new(),
        };
    }
    let mut texts: Vec<String> = split.words.iter().map(|w| w.text.clone()).collect();
    let ends_in_space = before.ends_with([' ', '\t']) || before.is_empty();
    let (from, current) = match split.words.last() {
        Some(last) if !ends_in_space => {
            texts.pop();
            (last.start, last.text.clone())
        }
        _ => (before.len(), String::new()),
    };
    let mut options = candidates(&texts, &current, live);
    options.retain(|o| o.starts_with(&current));
    options.sort();
    options.dedup();
    Completion { from, options }
}

fn candidates(texts: &[String], current: &str, live: &[(String, String)]) -> Vec<String> {
    let Some(first) = texts.first() else {
        return vec!["kubectl".to_owned()];
    };
    if first != "kubectl" {
        return Vec::new();
    }
    let resolved = roles::resolve(&texts[1..]);
    let Some(verb) = resolved.verb else {
        let named = texts[1..].iter().filter(|w| !w.starts_with('-')).count();
        if named > resolved.prefix.len() {
            return Vec::new(); // an unknown word already stands where the verb goes
        }
        return owned(verbs::next_words(&resolved.prefix));
    };
    let rest = &texts[1 + resolved.used..];
    let roles = roles::roles(verb, rest);
    if roles.last() == Some(&Role::AfterDash) || current == "--" {
        return Vec::new();
    }
    if let Some(Role::Flag(Some(flag))) = roles.last() {
        return values(verb, flag.long, "", live);
    }
    if let Some((name, _)) = current.strip_prefix("--").and_then(|c| c.split_once('=')) {
        let prefix = format!("--{name}=");
        return values(verb, name, &prefix, live);
    }
    if current.starts_with('-') {
        return flags(verb);
    }
    let positional = roles
        .iter()
        .filter(|r| matches!(r, Role::Positional(_)))
        .count();
    if let Some((kind, _)) = current.split_once('/') {
        return names(kinds::resource(kind), &format!("{kind}/"), live);
    }
    let first_positional = roles
        .iter()
        .position(|r| *r == Role::Positional(0))
        .map(|i| rest[i].as_str());
    match (verb.targets, positional) {
        (Targets::Resources { .. }, 0) => kind_names(verb),
        (Targets::Resources { .. }, _) => {
            let kind = first_positional.and_then(|w| w.split(',').next());
            names(kind.and_then(kinds::resource), "", live)
        }
        (Targets::Pod { .. }, 0) => {
            let mut out = names(Some(&kinds::POD), "", live);
            out.extend(["deploy/", "job/", "pod/"].map(str::to_owned));
            out
        }
        (Targets::Schema, 0) => kind_names(verb),
        (Targets::Names, _) => {
            let kind = if verb.path == ["top", "node"] {
                "Node"
            } else {
                "Pod"
            };
            names(kinds::named(kind), "", live)
        }
        _ => Vec::new(),
    }
}

fn owned(words: Vec<&'static str>) -> Vec<String> {
    words.into_iter().map(str::to_owned).collect()
}

/// `--long` and `-s` of the command.
fn flags(verb: &Verb) -> Vec<String> {
    let mut out = Vec::new();
    for flag in verb.flags {
        out.push(format!("--{}", flag.long));
        if let Some(c) = flag.short {
            out.push(format!("-{c}"));
        }
    }
    out
}

/// The values offered for the flag `--long`, each after `prefix`.
fn values(verb: &Verb, long: &str, prefix: &str, live: &[(String, String)]) -> Vec<String> {
    let Some(flag) = verb.long(long) else {
        return Vec::new();
    };
    let plain: Vec<String> = match flag.long {
        "output" => owned(verb.outputs.to_vec()),
        "filename" => live
            .iter()
            .filter(|(kind, _)| kind == "File")
            .map(|(_, path)| path.clone())
            .collect(),
        "from" if verb.path == ["create", "job"] => names(Some(&kinds::CRON_JOB), "cronjob/", live),
        "dry-run" => owned(vec!["none", "client", "server"]),
        "cascade" => owned(vec!["background", "foreground", "orphan"]),
        _ if flag.arity == Arity::Bool => owned(vec!["true", "false"]),
        _ => Vec::new(),
    };
    plain.into_iter().map(|v| format!("{prefix}{v}")).collect()
}

/// Names of the kinds the command takes: only the kinds it may change when it writes.
fn kind_names(verb: &Verb) -> Vec<String> {
    let writes = verb.access == Access::Write;
    let fits = |k: &&KindInfo| !writes || (k.applied && k.namespaced);
    let mut out: Vec<String> = KINDS
        .iter()
        .filter(fits)
        .flat_map(KindInfo::resource_names)
        .collect();
    if !writes {
        out.extend(["events", "all"].map(str::to_owned));
    }
    out
}

/// Names of live objects of `kind`, each after `prefix`.
fn names(kind: Option<&KindInfo>, prefix: &str, live: &[(String, String)]) -> Vec<String> {
    let Some(kind) = kind else {
        return Vec::new();
    };
    live.iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(kind.kind))
        .map(|(_, name)| format!("{prefix}{name}"))
        .collect()
}
