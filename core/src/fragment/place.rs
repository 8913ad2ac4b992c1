//! Reading where a fragment goes from the words around it, in French or English.

use super::source;
use super::{CONTAINER_KEYS, POD_SPEC_KEYS, Place, level_of};
use crate::yaml::Node;

/// A word of the text, and whether it was quoted (`` `web` ``, `"web"`).
struct Word {
    text: String,
    quoted: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut previous = ' ';
    for c in text.chars().chain([' ']) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            if current.is_empty() {
                quoted = previous == '`' || previous == '"';
            }
            current.push(c);
        } else if !current.is_empty() {
            out.push(Word {
                text: current.trim_matches('-').to_string(),
                quoted,
            });
            current.clear();
        }
        previous = c;
    }
    out
}

/// Words that may stand between a preposition and the key (`dans la section env`).
const FILLERS: &[&str] = &[
    "la", "le", "les", "l", "the", "a", "an", "section", "list", "liste", "field", "champ", "key",
    "clé", "cle", "of", "de", "du", "des", "its", "sa", "son", "ses",
];
/// Words that say "under this key".
const UNDER: &[&str] = &["sous", "under", "beneath", "below"];
/// Words that say "in this key", a weaker hint (`dans la section containers`).
const IN: &[&str] = &[
    "to", "into", "in", "dans", "à", "au", "aux", "inside", "within", "en",
];

/// How strongly the words before `words[i]` say it is the place: 3 after "under/sous", 2
/// after "in/dans/to", else 1.
fn strength(words: &[Word], i: usize) -> u8 {
    for w in words[..i].iter().rev().take(4) {
        let w = w.text.to_lowercase();
        if FILLERS.contains(&w.as_str()) {
            continue;
        }
        if UNDER.contains(&w.as_str()) {
            return 3;
        }
        if IN.contains(&w.as_str()) {
            return 2;
        }
        break;
    }
    1
}

/// The list key named by the texts (first the fragment's comments, then the paragraph), the
/// most strongly introduced one winning, the first one on a tie.
fn key_in(texts: &[&[Word]]) -> Option<String> {
    let mut best: Option<(u8, String)> = None;
    for (t, words) in texts.iter().enumerate() {
        let bonus = u8::from(t == 0);
        for (i, w) in words.iter().enumerate() {
            let Some(key) = POD_SPEC_KEYS
                .iter()
                .chain(CONTAINER_KEYS)
                .find(|k| k.eq_ignore_ascii_case(&w.text))
            else {
                continue;
            };
            let score = strength(words, i) + bonus;
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, (*key).to_string()));
            }
        }
    }
    best.map(|(_, k)| k)
}

/// Kinds that run pods. The short ones are common words ("pod", "job"), so only their
/// capitalised spelling counts; the others may be written in lower case.
const KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "CronJob",
    "ReplicationController",
    "Pod",
    "Job",
];

fn kind_in(texts: &[&[Word]]) -> Option<String> {
    texts.iter().flat_map(|ws| ws.iter()).find_map(|w| {
        KINDS
            .iter()
            .find(|k| {
                if k.len() <= 3 {
                    w.text == **k
                } else {
                    k.eq_ignore_ascii_case(&w.text)
                }
            })
            .map(|k| (*k).to_string())
    })
}

/// A container name: quoted, or with a dash or a digit, so ordinary words are not taken.
fn looks_like_name(w: &Word) -> bool {
    let valid = !w.text.is_empty()
        && w.text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid && (w.quoted || w.text.contains('-') || w.text.chars().any(|c| c.is_ascii_digit()))
}

fn container_in(texts: &[&[Word]]) -> Option<String> {
    const NAMED: &[&str] = &["named", "called", "nommé", "appelé", "principal"];
    for words in texts {
        for (i, w) in words.iter().enumerate() {
            let lower = w.text.to_lowercase();
            if lower != "container" && lower != "conteneur" {
                continue;
            }
            // "le conteneur `web`", "the container named web"
            let after = words[i + 1..]
                .iter()
                .find(|w| !NAMED.contains(&w.text.to_lowercase().as_str()));
            if let Some(name) = after.filter(|w| looks_like_name(w)) {
                return Some(name.text.clone());
            }
            // "the `web` container"
            let before = i.checked_sub(1).map(|j| &words[j]);
            if let Some(name) = before.filter(|w| w.quoted && looks_like_name(w)) {
                return Some(name.text.clone());
            }
        }
    }
    None
}

/// The key that entries of this shape belong to, when the text names none.
fn key_of_shape(entries: &[Node]) -> Option<&'static str> {
    let first = entries.first()?;
    let has = |k: &str| first.get(k).is_some();
    const VOLUME_SOURCES: &[&str] = &[
        "configMap",
        "secret",
        "persistentVolumeClaim",
        "emptyDir",
        "hostPath",
        "projected",
        "downwardAPI",
        "csi",
        "nfs",
        "ephemeral",
    ];
    if has("containerPort") {
        Some("ports")
    } else if has("mountPath") {
        Some("volumeMounts")
    } else if has("devicePath") {
        Some("volumeDevices")
    } else if has("configMapRef") || has("secretRef") {
        Some("envFrom")
    } else if has("name") && (has("value") || has("valueFrom")) {
        Some("env")
    } else if has("name") && VOLUME_SOURCES.iter().any(|k| has(k)) {
        Some("volumes")
    } else if has("name") && has("image") {
        Some("containers")
    } else if has("operator") || has("effect") || has("tolerationSeconds") {
        Some("tolerations")
    } else {
        None
    }
}

pub(super) fn read(instruction: &str, fragment: &str) -> Option<Place> {
    let comments = words(&source::leading_comments(fragment).join("\n"));
    let paragraph = words(instruction);
    let texts: [&[Word]; 2] = [&comments, &paragraph];
    let parsed = source::read(fragment).ok();
    let key = parsed
        .as_ref()
        .and_then(|f| f.key.clone())
        .or_else(|| key_in(&texts))
        .or_else(|| {
            let nodes: Vec<Node> = parsed?.entries.into_iter().map(|e| e.node).collect();
            key_of_shape(&nodes).map(str::to_string)
        })?;
    Some(Place {
        kind: kind_in(&texts),
        level: level_of(&key),
        container: container_in(&texts),
        key,
    })
}
