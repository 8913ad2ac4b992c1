//! The mutation families: each breaks a valid manifest one way a learner does, and says how in
//! one line.

mod names;
mod structure;
mod values;

use super::edit::Lines;
use super::outline::Entry;
use super::rng::Rng;

/// A kind of mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    WrongType,
    WrongCase,
    OutOfRange,
    MissingRequired,
    UnknownField,
    Indentation,
    Moved,
    Yaml11,
    QuotedNumber,
    ApiVersion,
    InvalidName,
    EnumMisspelt,
    Duplicate,
    CrossFile,
    EmptyValue,
}

impl Family {
    pub const ALL: [Self; 15] = [
        Self::WrongType,
        Self::WrongCase,
        Self::OutOfRange,
        Self::MissingRequired,
        Self::UnknownField,
        Self::Indentation,
        Self::Moved,
        Self::Yaml11,
        Self::QuotedNumber,
        Self::ApiVersion,
        Self::InvalidName,
        Self::EnumMisspelt,
        Self::Duplicate,
        Self::CrossFile,
        Self::EmptyValue,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::WrongType => "wrong-type",
            Self::WrongCase => "wrong-case",
            Self::OutOfRange => "out-of-range",
            Self::MissingRequired => "missing-required",
            Self::UnknownField => "unknown-field",
            Self::Indentation => "indentation",
            Self::Moved => "moved",
            Self::Yaml11 => "yaml-1.1",
            Self::QuotedNumber => "quoted-number",
            Self::ApiVersion => "api-version",
            Self::InvalidName => "invalid-name",
            Self::EnumMisspelt => "enum-misspelt",
            Self::Duplicate => "duplicate",
            Self::CrossFile => "cross-file",
            Self::EmptyValue => "empty-value",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The family works across the files of a workspace rather than in one file.
    pub fn crosses_files(self) -> bool {
        self == Self::CrossFile
    }
}

/// Mutates one file's text (`lines`, with its `entries`); the one-line description, or `None`
/// when the family finds nothing to break in this file.
pub fn mutate_file(
    family: Family,
    rng: &mut Rng,
    lines: &mut Lines,
    entries: &[Entry],
) -> Option<String> {
    match family {
        Family::WrongType => values::wrong_type(rng, lines, entries),
        Family::WrongCase => values::wrong_case(rng, lines, entries),
        Family::OutOfRange => values::out_of_range(rng, lines, entries),
        Family::Yaml11 => values::yaml11(rng, lines, entries),
        Family::QuotedNumber => values::quoted_number(rng, lines, entries),
        Family::EnumMisspelt => values::enum_misspelt(rng, lines, entries),
        Family::EmptyValue => values::empty_value(rng, lines, entries),
        Family::MissingRequired => structure::missing(rng, lines, entries),
        Family::UnknownField => structure::unknown_field(rng, lines, entries),
        Family::Indentation => structure::indentation(rng, lines, entries),
        Family::Moved => structure::moved(rng, lines, entries),
        Family::Duplicate => structure::duplicate(rng, lines, entries),
        Family::ApiVersion => names::api_version(rng, lines, entries),
        Family::InvalidName => names::invalid_name(rng, lines, entries),
        Family::CrossFile => None,
    }
}

pub use names::cross_file;

/// Values of the API's enumerations that the seeds use.
pub const ENUMS: &[&str] = &[
    "Always",
    "IfNotPresent",
    "Never",
    "OnFailure",
    "TCP",
    "UDP",
    "ClusterIP",
    "NodePort",
    "LoadBalancer",
    "ExternalName",
    "RollingUpdate",
    "Recreate",
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "Filesystem",
    "Forbid",
    "Allow",
    "Replace",
    "Indexed",
    "FailJob",
    "Ignore",
    "In",
    "Equal",
    "Exists",
    "NoSchedule",
    "NoExecute",
    "ScheduleAnyway",
    "DoNotSchedule",
    "RuntimeDefault",
    "Directory",
    "ClientIP",
    "Local",
    "ClusterFirst",
    "DisruptionTarget",
    "Opaque",
    "ALL",
    "NET_BIND_SERVICE",
];

/// The kinds of the worksheet.
pub const KINDS: &[&str] = &[
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "Service",
    "Pod",
    "Deployment",
    "ReplicaSet",
    "Job",
    "CronJob",
];

/// Entries that satisfy `keep`.
fn select(entries: &[Entry], keep: impl Fn(&Entry) -> bool) -> Vec<&Entry> {
    entries.iter().filter(|e| keep(e)).collect()
}

/// One entry that satisfies `keep`.
fn pick<'a>(
    rng: &mut Rng,
    entries: &'a [Entry],
    keep: impl Fn(&Entry) -> bool,
) -> Option<&'a Entry> {
    let all = select(entries, keep);
    rng.pick(&all).copied()
}

/// A scalar's text for the description.
fn shown(e: &Entry, lines: &Lines) -> String {
    let l = lines.0.get(e.line).map_or("", String::as_str);
    let col = lines.key_col(e);
    let rest = &l[col.min(l.len())..];
    let value = match &e.key {
        Some(_) => rest.split_once(':').map_or("", |(_, v)| v),
        None => rest,
    };
    let value = value.split(" #").next().unwrap_or(value).trim();
    value.to_owned()
}
