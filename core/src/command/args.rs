//! Reading a command's words as kubectl's flag parser reads them: long flags with `=` or the
//! next word, short flags grouped (`-it`), with their value attached (`-oyaml`, `-o=yaml`) or
//! in the next word, `--` ending the flags: what this reads is what kubectl will read.

use crate::Text;

use super::policy;
use super::verbs::{Arity, Flag, Verb};

/// A flag as given on the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub flag: &'static Flag,
    /// As typed: `--output`, `-o`.
    pub spelled: String,
    pub value: Option<String>,
}

/// A command's words read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scanned {
    pub flags: Vec<Given>,
    pub positionals: Vec<String>,
    /// The words after `--`, when there is a `--`.
    pub after_dash: Option<Vec<String>>,
}

impl Scanned {
    /// The values given to the flag `--long`, in order.
    pub fn values<'s>(&'s self, long: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.flags
            .iter()
            .filter(move |g| g.flag.long == long)
            .filter_map(|g| g.value.as_deref())
    }

    /// The last value of the boolean flag `--long`: `None` when absent.
    pub fn switch(&self, long: &str) -> Option<bool> {
        self.flags
            .iter()
            .rev()
            .find(|g| g.flag.long == long)
            .map(|g| {
                g.value
                    .as_deref()
                    .is_none_or(|v| parse_bool(v) == Some(true))
            })
    }
}

/// A boolean as kubectl's flag parser reads one.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Reads `words` (after the verb and its sub-verbs) with the verb's flag table.
pub fn scan(verb: &Verb, words: &[String]) -> Result<Scanned, Text> {
    let mut out = Scanned::default();
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        if word == "--" {
            out.after_dash = Some(rest.by_ref().cloned().collect());
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            let spelled = format!("--{name}");
            let flag = lookup(verb.long(name), policy::refused_long(name), &spelled, verb)?;
            let value = take_value(flag, attached, &spelled, &mut rest)?;
            out.flags.push(Given {
                flag,
                spelled,
                value,
            });
        } else if let Some(group) = word.strip_prefix('-').filter(|g| !g.is_empty()) {
            let mut letters = group;
            while let Some(c) = letters.chars().next() {
                let after = &letters[c.len_utf8()..];
                let spelled = format!("-{c}");
                let flag = lookup(verb.short(c), policy::refused_short(c), &spelled, verb)?;
                let (attached, remaining) = if let Some(value) = after.strip_prefix('=') {
                    (Some(value.to_owned()), "")
                } else if flag.arity == Arity::Value && !after.is_empty() {
                    (Some(after.to_owned()), "")
                } else {
                    (None, after)
                };
                let value = take_value(flag, attached, &spelled, &mut rest)?;
                out.flags.push(Given {
                    flag,
                    spelled,
                    value,
                });
                letters = remaining;
            }
        } else {
            out.positionals.push(word.clone());
        }
    }
    Ok(out)
}

fn lookup(
    own: Option<&'static Flag>,
    refused: Option<policy::FlagRule>,
    spelled: &str,
    verb: &Verb,
) -> Result<&'static Flag, Text> {
    match (own, refused) {
        (Some(flag), _) => Ok(flag),
        (None, Some(rule)) => Err(policy::flag(rule, spelled)),
        (None, None) => Err(policy::unknown_flag(spelled, verb)),
    }
}

fn take_value<'w>(
    flag: &Flag,
    attached: Option<String>,
    spelled: &str,
    rest: &mut impl Iterator<Item = &'w String>,
) -> Result<Option<String>, Text> {
    match (flag.arity, attached) {
        (Arity::Bool, Some(value)) if parse_bool(&value).is_none() => {
            Err(policy::not_bool(spelled, &value))
        }
        // kubectl would take `-n` as the value of `-l -n`; a value that looks like a flag is
        // refused instead, so that every word starting with `-` is a flag checked here.
        (Arity::Value, None) => match rest.next() {
            Some(next) if !looks_like_flag(next) => Ok(Some(next.clone())),
            _ => Err(policy::needs_value(spelled)),
        },
        (_, attached) => Ok(attached),
    }
}

/// `-x`, `--x`; not `-` alone nor a negative number (`--tail -1`).
fn looks_like_flag(word: &str) -> bool {
    word.len() > 1
        && word.starts_with('-')
        && !word[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
}
