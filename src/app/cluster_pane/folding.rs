//! Which objects the learner folded (their children hidden), kept in the browser across visits.

use std::collections::BTreeSet;

use kubefiche_core::live::ObjectKey;

/// The most folded objects remembered; beyond, the setting is not worth its size.
const MOST: usize = 300;

/// The folded objects, as `Kind/name`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folded(BTreeSet<String>);

fn id(key: &ObjectKey) -> String {
    format!("{}/{}", key.kind, key.name)
}

impl Folded {
    /// Read back what [`Folded::to_setting`] wrote.
    pub fn from_setting(setting: &str) -> Self {
        Self(
            setting
                .lines()
                .filter(|l| l.contains('/'))
                .take(MOST)
                .map(str::to_owned)
                .collect(),
        )
    }

    pub fn to_setting(&self) -> String {
        self.0.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    pub fn is_folded(&self, key: &ObjectKey) -> bool {
        self.0.contains(&id(key))
    }

    /// Fold an open object, or open a folded one.
    pub fn toggle(&mut self, key: &ObjectKey) {
        let id = id(key);
        if !self.0.remove(&id) && self.0.len() < MOST {
            self.0.insert(id);
        }
    }

    /// Open every one of `keys` (the owners of an object a link leads to). Whether any was folded.
    pub fn open_all<'a>(&mut self, keys: impl IntoIterator<Item = &'a ObjectKey>) -> bool {
        let mut changed = false;
        for key in keys {
            changed |= self.0.remove(&id(key));
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_remembered_per_object() {
        let web = ObjectKey::new("Deployment", "web");
        let rs = ObjectKey::new("ReplicaSet", "web-7d9f8");
        let mut folded = Folded::default();
        folded.toggle(&web);
        folded.toggle(&rs);
        assert!(folded.is_folded(&web));
        let back = Folded::from_setting(&folded.to_setting());
        assert_eq!(back, folded);
        assert!(back.is_folded(&rs));
        folded.toggle(&web);
        assert!(!folded.is_folded(&web));
        assert!(folded.open_all([&web, &rs]));
        assert!(!folded.open_all([&web]));
        assert_eq!(folded, Folded::default());
        assert_eq!(Folded::from_setting("junk\n\nPod/a"), {
            let mut f = Folded::default();
            f.toggle(&ObjectKey::new("Pod", "a"));
            f
        });
    }
}
