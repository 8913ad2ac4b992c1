//! The line the proxy's audit log keeps for a command: what ran, never a secret value.
//!
//! Hidden: the values of `create secret … --from-literal=KEY=VALUE` (the key stays); every
//! value of `set env` (`KEY=***`: variables often carry API keys, and the audit needs only
//! which variable changed); in the command of `exec`, the values of `NAME=VALUE` words whose
//! name speaks of a password, secret, token or key, and the password of `scheme://user:pw@host`.
//! ConfigMap values stay: a ConfigMap is not meant for secrets, and the audit shows what was
//! set. Tokens never reach a command (`--token` is refused).

use super::verbs::{Arity, VERBS, Verb};
use super::words;

pub fn line(args: &[String]) -> String {
    let names: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .take(3)
        .collect();
    let verb = VERBS
        .iter()
        .find(|v| names.len() >= v.path.len() && names[..v.path.len()] == *v.path);
    let secret = names.starts_with(&["create", "secret"]);
    let env = names.starts_with(&["set", "env"]);
    let hidden = |flag: &str| (secret && flag == "from-literal") || (env && flag == "env");
    let mut out = vec!["kubectl".to_owned()];
    let mut after_dash = false;
    let mut value_of: Option<&str> = None;
    for arg in args {
        let masked = if after_dash {
            exec_word(arg)
        } else if let Some(flag) = value_of.take() {
            if hidden(flag) {
                hide_value(arg)
            } else {
                arg.clone()
            }
        } else if arg == "--" {
            after_dash = true;
            arg.clone()
        } else if arg.starts_with('-') {
            match flag_of(verb, arg) {
                (Some(flag), Some(at)) if hidden(flag) => {
                    format!("{}{}", &arg[..at], hide_value(&arg[at..]))
                }
                (flag, None) => {
                    value_of = flag;
                    arg.clone()
                }
                _ => arg.clone(),
            }
        } else if env && arg.contains('=') {
            hide_value(arg)
        } else {
            arg.clone()
        };
        out.push(masked);
    }
    words::join(&out)
}

/// The value flag a word spells, and where its attached value starts (`None`: the value is
/// the next word). Boolean flags and unknown words give no flag.
fn flag_of(verb: Option<&Verb>, arg: &str) -> (Option<&'static str>, Option<usize>) {
    let Some(verb) = verb else {
        return (None, Some(0));
    };
    if let Some(long) = arg.strip_prefix("--") {
        let name = long.split('=').next().unwrap_or(long);
        return match verb.long(name) {
            Some(f) if f.arity == Arity::Value => (Some(f.long), long.find('=').map(|i| i + 3)),
            _ => (None, Some(0)),
        };
    }
    for (i, c) in arg.char_indices().skip(1) {
        match verb.short(c) {
            Some(f) if f.arity == Arity::Value => {
                let at = i + c.len_utf8();
                let at = if arg[at..].starts_with('=') {
                    at + 1
                } else {
                    at
                };
                return (Some(f.long), (at < arg.len()).then_some(at));
            }
            Some(_) => {}
            None => break,
        }
    }
    (None, Some(0))
}

/// `KEY=VALUE` → `KEY=***`.
fn hide_value(word: &str) -> String {
    match word.split_once('=') {
        Some((key, _)) => format!("{key}=***"),
        None => word.to_owned(),
    }
}

/// A word of the command run by `exec`.
fn exec_word(word: &str) -> String {
    if let Some((name, _)) = word.split_once('=') {
        let name = name.to_lowercase();
        if ["pass", "pwd", "secret", "token", "key"]
            .iter()
            .any(|s| name.contains(s))
        {
            return hide_value(word);
        }
    }
    if let Some((scheme, rest)) = word.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && let Some((user, _)) = userinfo.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    word.to_owned()
}
