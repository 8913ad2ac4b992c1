//! From the words after `kubectl` to an allowed command, or the reason it is refused.

use crate::Text;
use crate::kinds;

use super::Kubectl;
use super::args::{self, Scanned};
use super::policy;
use super::targets;
use super::verbs::{self, Access, Targets, VERBS, Verb};

/// Reads the words after `kubectl`.
pub fn kubectl(words: &[String]) -> Result<Kubectl, Text> {
    let at = verb_start(words)?;
    let (verb, used) = find_verb(&words[at..])?;
    let rest = &words[at + used..];
    let scanned = args::scan(verb, rest)?;
    check_values(verb, &scanned)?;
    let file = file(&scanned)?;
    check_targets(verb, &scanned)?;
    let watch = scanned.switch("watch");
    let streaming = match verb.path {
        ["get"] => watch == Some(true) || scanned.switch("watch-only") == Some(true),
        ["events"] => watch == Some(true),
        ["logs"] => scanned.switch("follow") == Some(true),
        // `rollout status` waits for the rollout by default and `wait` for its condition: they
        // end by themselves but may take long, so they go to the streaming channel, which
        // shows lines as they come and has a Stop button, rather than under the time limit of
        // the commands that answer at once.
        ["rollout", "status"] => watch != Some(false),
        ["wait"] => true,
        _ => false,
    };
    let terminal = verb.path == ["exec"] && scanned.switch("stdin") == Some(true);
    Ok(Kubectl {
        args: words.to_vec(),
        verb: verb.path[0].to_owned(),
        streaming,
        terminal,
        file,
    })
}

/// The index of the verb: flags before it are refused (with their own reason when they have
/// one), except `--help`.
fn verb_start(words: &[String]) -> Result<usize, Text> {
    for (i, word) in words.iter().enumerate() {
        if !word.starts_with('-') || word == "-" {
            return Ok(i);
        }
        if matches!(word.as_str(), "-h" | "--help") {
            continue;
        }
        let rule = match word.strip_prefix("--") {
            Some(long) => policy::refused_long(long.split('=').next().unwrap_or(long)),
            None => word.chars().skip(1).find_map(policy::refused_short),
        };
        let spelled = word.split('=').next().unwrap_or(word);
        return Err(match rule {
            Some(rule) => policy::flag(rule, spelled),
            None => policy::before_verb(spelled),
        });
    }
    Err(policy::no_verb())
}

/// The command named by the first words, and how many words name it.
fn find_verb(words: &[String]) -> Result<(&'static Verb, usize), Text> {
    let Some(first) = words.first() else {
        return Err(policy::no_verb());
    };
    let mut prefix: Vec<&str> = vec![first.as_str()];
    loop {
        if let Some(verb) = VERBS.iter().find(|v| v.path == prefix.as_slice()) {
            return Ok((verb, prefix.len()));
        }
        let next = verbs::next_words(&prefix);
        if next.is_empty() {
            return Err(policy::verb(first).unwrap_or_else(|| policy::unknown_verb(first)));
        }
        let word = words.get(prefix.len()).map(|w| verbs::canonical(w));
        match word.filter(|w| next.contains(w)) {
            Some(word) => prefix.push(word),
            None => {
                let prefix = prefix.join(" ");
                // `create namespace x`, `create clusterrole x`: say why, not only what is offered.
                if let Some(word) =
                    word.filter(|w| kinds::resource(w).is_some_and(|k| !k.namespaced))
                {
                    targets::writable(&prefix, word)?;
                }
                return Err(policy::sub_verb(&prefix, word, &next));
            }
        }
    }
}

fn check_values(verb: &Verb, scanned: &Scanned) -> Result<(), Text> {
    for value in scanned.values("output") {
        let fits = verb.outputs.iter().any(|o| match o.strip_suffix('=') {
            Some(prefix) => value
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('=')),
            None => value == *o,
        });
        if !fits {
            return Err(policy::output(value, verb.outputs));
        }
    }
    if scanned.values("env").any(|e| e == "-") {
        return Err(targets::stdin());
    }
    Ok(())
}

/// The workspace file of `-f`, at most one.
fn file(scanned: &Scanned) -> Result<Option<String>, Text> {
    let mut files = scanned.values("filename");
    let Some(first) = files.next() else {
        return Ok(None);
    };
    let path = targets::workspace_file(first)?;
    if let Some(other) = files.next() {
        targets::workspace_file(other)?;
        return Err(targets::several_files());
    }
    Ok(Some(path))
}

fn check_targets(verb: &Verb, scanned: &Scanned) -> Result<(), Text> {
    let name = verb.name();
    let positionals = &scanned.positionals;
    let dash = scanned.after_dash.as_deref();
    // After `--`, every command but `exec` reads the words as more names.
    let all: Vec<String> = positionals
        .iter()
        .chain(dash.unwrap_or_default())
        .cloned()
        .collect();
    match verb.targets {
        Targets::Resources { changes } => {
            let listing = scanned.switch("list") == Some(true);
            let access = if listing { Access::Read } else { verb.access };
            targets::check_resources(&name, access, &all, changes)?;
            if verb.path == ["patch"] {
                let patches: Vec<&str> = scanned.values("patch").collect();
                targets::suspend_patch(&all, &patches, scanned.values("type").last())?;
            }
            Ok(())
        }
        Targets::Pod { container: false } => {
            let stdin = scanned.switch("stdin") == Some(true);
            let tty = scanned.switch("tty") == Some(true);
            targets::exec(positionals, dash, stdin, tty)
        }
        Targets::Pod { container: true } | Targets::Schema | Targets::Names => Ok(()),
        Targets::NewName => {
            targets::new_name(&name, &all)?;
            if verb.path == ["create", "job"] {
                targets::job_source(scanned.values("from").last())?;
            }
            Ok(())
        }
        Targets::None => targets::no_words(&name, &all),
    }
}
