//! Fragments that insert themselves: a worksheet block such as
//!
//! ```yaml
//! # Dans la section containers du Deployment, ajoutez sous env :
//! env:
//! - name: API_URL
//!   value: "http://mlops-server-svc:8000"
//! ```
//!
//! is not a file but a piece of one. [`place`] reads where it goes from the text around it (the
//! paragraph before the block and the block's leading comments, in French or English), and
//! [`insert`] merges it there in the learner's file: entries already present are kept, new ones
//! are appended in the file's own indentation and list style, and the change is one small byte
//! range of the old text, so an editor can apply it as one undoable edit.

mod error;
mod merge;
mod place;
mod source;

pub use error::FragmentError;

/// Where a fragment goes in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The kind of the object named by the text (`Deployment`, `CronJob`…), if any; without it,
    /// the first object of the file that runs pods.
    pub kind: Option<String>,
    /// The list to add to: `env`, `volumeMounts`, `ports`, `volumes`…
    pub key: String,
    /// Whether `key` belongs to a container or to the pod spec.
    pub level: Level,
    /// The container named by the text, if any; without it, the first container.
    pub container: Option<String>,
}

/// Which object of the pod template holds the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A container of the pod template (`env`, `ports`, `volumeMounts`…).
    Container,
    /// The pod spec itself (`volumes`, `initContainers`, `tolerations`…).
    PodSpec,
}

/// The result of a successful [`insert`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Entries were added.
    Inserted(Insertion),
    /// Every entry of the fragment is already in the file, as written: nothing to do.
    AlreadyThere,
    /// Nothing to add, but the file's entries of these names differ from the fragment's; they
    /// were kept as the learner wrote them.
    Differs(Vec<String>),
}

/// A merge: the whole new text, and the same change as one edit of the old text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// The whole new file.
    pub text: String,
    /// The edit, in bytes of the old text: replace `old[from..to]` with `replacement`.
    pub from: usize,
    pub to: usize,
    pub replacement: String,
    /// The 1-based lines of the new text where the added entries are (first and last).
    pub first_line: usize,
    pub last_line: usize,
    /// The added entries: their `name`, or a short description of an entry without one.
    pub added: Vec<String>,
    /// Entries of the fragment whose name was already there with another content; the file's
    /// version was kept.
    pub differing: Vec<String>,
}

/// Keys of the pod spec that hold lists (or are often given as fragments); any other key is
/// taken to be a container's.
const POD_SPEC_KEYS: &[&str] = &[
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "tolerations",
    "imagePullSecrets",
    "hostAliases",
    "topologySpreadConstraints",
    "readinessGates",
    "schedulingGates",
    "resourceClaims",
];

/// Keys of a container that a worksheet may ask to add to.
const CONTAINER_KEYS: &[&str] = &[
    "env",
    "envFrom",
    "ports",
    "volumeMounts",
    "volumeDevices",
    "resources",
    "command",
    "args",
    "resizePolicy",
];

/// The level a key belongs to: the pod spec for the keys of the pod spec, else a container.
pub fn level_of(key: &str) -> Level {
    if POD_SPEC_KEYS.contains(&key) {
        Level::PodSpec
    } else {
        Level::Container
    }
}

/// Where `fragment` goes, read from `instruction` (the paragraph before the block) and the
/// fragment's own leading comments: the list key (`sous env`, `under env`, `to env`, `dans la
/// section volumes`, or the fragment's own `key:`), the kind named (`du Deployment`, `the
/// CronJob`) and the container named (`` le conteneur `web` ``, `` the `web` container ``).
/// When the text names no key, the shape of the entries decides (`containerPort` → `ports`,
/// `mountPath` → `volumeMounts`, `name` + `value` → `env`…). `None` when nothing says where.
pub fn place(instruction: &str, fragment: &str) -> Option<Place> {
    place::read(instruction, fragment)
}

/// Merges `fragment` into `target` at `place`. See the module documentation; a second insert
/// of the same fragment gives [`Outcome::AlreadyThere`].
pub fn insert(target: &str, fragment: &str, place: &Place) -> Result<Outcome, FragmentError> {
    merge::insert(target, fragment, place)
}

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod place_tests;
#[cfg(test)]
mod tests;
