//! What the learner did (commands run, files applied) and what the page saw of the pods of each
//! workload: the memory that conditions on the past (`ran`, `applied`, `replaced`) read.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::live::{Live, LiveObject};

/// The most commands [`Actions`] keeps (the newest).
pub const MOST_COMMANDS: usize = 200;

/// The most pod names [`Memory`] keeps per workload (the newest).
const MOST_PODS: usize = 50;

/// The most objects [`Memory`] remembers having seen.
const MOST_OBJECTS: usize = 2000;

/// The most workloads [`Memory`] keeps.
const MOST_OWNERS: usize = 200;

/// The learner's actions on this worksheet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actions {
    /// Command lines run, oldest first, at most [`MOST_COMMANDS`].
    #[serde(default)]
    pub commands: Vec<String>,
    /// Workspace path → [`text_hash`] of the text it had when applied.
    #[serde(default)]
    pub applied: BTreeMap<String, u64>,
    /// Workspace files shown in the editor.
    #[serde(default)]
    pub opened: BTreeSet<String>,
}

impl Actions {
    /// Remember a command line that was run.
    pub fn record_command(&mut self, line: &str) {
        let line = words(line).join(" ");
        if line.is_empty() {
            return;
        }
        self.commands.push(line);
        if self.commands.len() > MOST_COMMANDS {
            let extra = self.commands.len() - MOST_COMMANDS;
            self.commands.drain(..extra);
        }
    }

    /// Remember that the file at `path` was applied with this text.
    pub fn record_applied(&mut self, path: &str, text: &str) {
        self.applied.insert(path.to_owned(), text_hash(text));
    }

    /// Remember that the file at `path` was shown in the editor; whether it is news.
    pub fn record_opened(&mut self, path: &str) -> bool {
        self.opened.insert(path.to_owned())
    }

    /// Whether a command was run whose words start with `pattern`'s (`*` and `<…>` match any
    /// one word).
    pub fn ran(&self, pattern: &[String]) -> bool {
        !pattern.is_empty()
            && self.commands.iter().any(|line| {
                let words = words(line);
                words.len() >= pattern.len()
                    && pattern
                        .iter()
                        .zip(&words)
                        .all(|(p, w)| is_any_word(p) || p == w)
            })
    }

    /// Whether `path` was applied with exactly `text`.
    pub fn was_applied(&self, path: &str, text: &str) -> bool {
        self.applied.get(path) == Some(&text_hash(text))
    }
}

/// A pattern word that matches any word: `*` or a placeholder such as `<nom-du-job>`.
fn is_any_word(word: &str) -> bool {
    word == "*" || (word.len() > 2 && word.starts_with('<') && word.ends_with('>'))
}

pub(super) fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// FNV-1a, 64 bits: a hash that stays the same from one run (and machine) to the next.
pub fn text_hash(text: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    text.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// The pods seen so far of each workload, to tell that one was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Memory {
    /// `Kind/name` of an owner (its ReplicaSet, its Deployment…) → names of its pods seen,
    /// oldest first.
    #[serde(default)]
    pub pods: BTreeMap<String, Vec<String>>,
    /// `Kind/name` of every object seen in the namespace (a thing is gone only once it was
    /// there).
    #[serde(default)]
    pub objects: BTreeSet<String>,
}

/// How [`Memory`] names an owner.
pub(super) fn owner_key(kind: &str, name: &str) -> String {
    format!("{kind}/{name}")
}

impl Memory {
    /// Record the pods of `live` under each of their owners. Returns whether anything new was
    /// seen.
    pub fn observe(&mut self, live: &Live) -> bool {
        let mut changed = false;
        for object in live.objects() {
            if self.objects.len() < MOST_OBJECTS
                && self.objects.insert(owner_key(&object.kind, &object.name))
            {
                changed = true;
            }
        }
        for pod in live.of_kind("Pod") {
            let mut current = pod;
            for _ in 0..4 {
                let Some(owner) = current.owner.as_ref() else {
                    break;
                };
                let names = self
                    .pods
                    .entry(owner_key(&owner.kind, &owner.name))
                    .or_default();
                if !names.contains(&pod.name) {
                    names.push(pod.name.clone());
                    if names.len() > MOST_PODS {
                        names.remove(0);
                    }
                    changed = true;
                }
                match live.get(&owner.kind, &owner.name) {
                    Some(next) => current = next,
                    None => break,
                }
            }
        }
        while self.pods.len() > MOST_OWNERS {
            self.pods.pop_first();
        }
        changed
    }

    /// Whether `kind/name` was seen in the namespace.
    pub fn saw(&self, kind: &str, name: &str) -> bool {
        self.objects.contains(&owner_key(kind, name))
    }

    /// Whether a pod of `kind/name` seen earlier is gone and a pod of it (another one, since a
    /// gone pod's name is not in use) is Running now.
    pub fn replaced(&self, live: &Live, kind: &str, name: &str) -> bool {
        let Some(seen) = self.pods.get(&owner_key(kind, name)) else {
            return false;
        };
        let now: Vec<&LiveObject> = live
            .of_kind("Pod")
            .filter(|p| owned_by(live, p, kind, name))
            .collect();
        let gone = seen.iter().any(|n| !now.iter().any(|p| &p.name == n));
        let running = now
            .iter()
            .any(|p| !p.deleting && p.pod().is_some_and(|f| f.row.phase == "Running"));
        gone && running
    }
}

/// Whether `kind/name` is in the chain of owners of `pod`.
fn owned_by(live: &Live, pod: &LiveObject, kind: &str, name: &str) -> bool {
    let mut current = pod;
    for _ in 0..4 {
        let Some(owner) = current.owner.as_ref() else {
            return false;
        };
        if owner.kind == kind && owner.name == name {
            return true;
        }
        match live.get(&owner.kind, &owner.name) {
            Some(next) => current = next,
            None => return false,
        }
    }
    false
}
