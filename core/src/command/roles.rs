//! Reading a command's words leniently, as they are being typed: which command they name so
//! far, and what each following word is (a flag, a flag's value, a name). For completion and
//! placeholders; the checks that decide what runs are in `check` and `args`.

use super::verbs::{Arity, Flag, VERBS, Verb, canonical, next_words};

/// The command the first words name, read leniently (for completion and placeholders):
/// flags before the verb are skipped.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The command, once its words are complete.
    pub verb: Option<&'static Verb>,
    /// The words of the command read so far (`["rollout"]` while the sub-verb is missing).
    pub prefix: Vec<&'static str>,
    /// How many words were read, leading flags included.
    pub used: usize,
}

pub fn resolve(words: &[String]) -> Resolved {
    let mut out = Resolved::default();
    let mut it = words.iter();
    for word in it.by_ref() {
        out.used += 1;
        if word.starts_with('-') {
            continue;
        }
        let word = canonical(word);
        let next = next_words(&out.prefix);
        match next.iter().find(|n| **n == word) {
            Some(found) => out.prefix.push(*found),
            None => return out,
        }
        if let Some(verb) = VERBS.iter().find(|v| v.path == out.prefix.as_slice()) {
            out.verb = Some(verb);
            return out;
        }
    }
    out
}

/// What a word after the command's name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A flag; with `Some`, its value is the next word.
    Flag(Option<&'static Flag>),
    /// The value of the flag before it.
    Value(&'static Flag),
    /// The n-th word that is not a flag (0-based).
    Positional(usize),
    /// `--` or a word after it.
    AfterDash,
}

/// The role of each word after the command's name, as kubectl's flag parser would read them.
pub fn roles(verb: &Verb, words: &[String]) -> Vec<Role> {
    let mut out = Vec::with_capacity(words.len());
    let mut pending: Option<&'static Flag> = None;
    let mut positional = 0;
    for word in words {
        if out.last() == Some(&Role::AfterDash) || word == "--" {
            out.push(Role::AfterDash);
            continue;
        }
        if let Some(flag) = pending.take() {
            out.push(Role::Value(flag));
            continue;
        }
        if let Some(long) = word.strip_prefix("--") {
            let flag = verb.long(long.split('=').next().unwrap_or(long));
            pending = flag.filter(|f| f.arity == Arity::Value && !long.contains('='));
            out.push(Role::Flag(pending));
        } else if word.len() > 1 && word.starts_with('-') {
            for (i, c) in word.char_indices().skip(1) {
                match verb.short(c) {
                    Some(f) if f.arity == Arity::Value => {
                        let end = i + c.len_utf8() == word.len();
                        pending = end.then_some(f);
                        break;
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            out.push(Role::Flag(pending));
        } else {
            out.push(Role::Positional(positional));
            positional += 1;
        }
    }
    out
}
