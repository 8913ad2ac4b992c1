//! The allowlist: each kubectl command kubefiche runs, with the flags it passes on (spelled as
//! kubectl's own flag set spells them) and how its other words are read.

/// How a flag takes its value, as kubectl's flag parser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// `--watch`, `--watch=false`, `-w`; never the next word.
    Bool,
    /// `--output yaml`, `--output=yaml`, `-o yaml`, `-oyaml`, `-o=yaml`.
    Value,
    /// `--dry-run` alone or `--dry-run=server`; never the next word.
    Optional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub arity: Arity,
}

const fn b(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        arity: Arity::Bool,
    }
}
const fn v(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        arity: Arity::Value,
    }
}
const fn o(long: &'static str) -> Flag {
    Flag {
        long,
        short: None,
        arity: Arity::Optional,
    }
}

/// Does the command change the cluster?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// How the words that are not flags are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// `KIND[,KIND] [NAME…]` or `KIND/NAME…`; with `changes`, words with `=` or ending in `-`
    /// are label, annotation or variable changes (`label`, `annotate`, `set env`).
    Resources { changes: bool },
    /// One pod, `pod/NAME` or `TYPE/NAME` of a workload; `logs` takes a container after it.
    Pod { container: bool },
    /// The name of the object to create.
    NewName,
    /// `RESOURCE[.field.path]` of the schema.
    Schema,
    /// Object names of the sub-verb's kind (`top pod NAME`).
    Names,
    /// Nothing.
    None,
}

/// One command of the allowlist.
#[derive(Debug, Clone, Copy)]
pub struct Verb {
    /// The words that name it: `["get"]`, `["create", "secret", "generic"]`.
    pub path: &'static [&'static str],
    pub flags: &'static [Flag],
    pub access: Access,
    pub targets: Targets,
    /// The `-o` values it takes: a name (`yaml`) or a prefix ending in `=` (`jsonpath=`).
    pub outputs: &'static [&'static str],
}

pub const HELP: Flag = b("help", Some('h'));
const SELECTOR: Flag = v("selector", Some('l'));
const OUTPUT: Flag = v("output", Some('o'));
const FILENAME: Flag = v("filename", Some('f'));
const DRY_RUN: Flag = o("dry-run");
const FIELD_SELECTOR: Flag = v("field-selector", None);
const TIMEOUT: Flag = v("timeout", None);
const CHUNK: Flag = v("chunk-size", None);
const NO_HEADERS: Flag = b("no-headers", None);
const WATCH: Flag = b("watch", Some('w'));
const ALL: Flag = b("all", None);
const VALIDATE: Flag = o("validate");
const SAVE_CONFIG: Flag = b("save-config", None);
const FIELD_MANAGER: Flag = v("field-manager", None);
const CONTAINER: Flag = v("container", Some('c'));
const POD_TIMEOUT: Flag = v("pod-running-timeout", None);

const TABLES: &[&str] = &[
    "json",
    "yaml",
    "kyaml",
    "wide",
    "name",
    "jsonpath=",
    "jsonpath-as-json=",
    "custom-columns=",
];
const OBJECTS: &[&str] = &[
    "json",
    "yaml",
    "kyaml",
    "name",
    "jsonpath=",
    "jsonpath-as-json=",
];

const fn read(path: &'static [&'static str], flags: &'static [Flag], targets: Targets) -> Verb {
    Verb {
        path,
        flags,
        access: Access::Read,
        targets,
        outputs: OBJECTS,
    }
}
const fn write(path: &'static [&'static str], flags: &'static [Flag], targets: Targets) -> Verb {
    Verb {
        access: Access::Write,
        ..read(path, flags, targets)
    }
}
const RESOURCES: Targets = Targets::Resources { changes: false };
const CHANGES: Targets = Targets::Resources { changes: true };

/// Every command kubefiche runs.
#[rustfmt::skip]
pub static VERBS: &[Verb] = &[
    Verb { outputs: TABLES, ..read(&["get"], &[
        SELECTOR, OUTPUT, WATCH, b("watch-only", None), b("output-watch-events", None),
        b("show-labels", None), b("show-kind", None), b("show-managed-fields", None),
        v("sort-by", None), v("label-columns", Some('L')), FIELD_SELECTOR,
        b("ignore-not-found", None), NO_HEADERS, CHUNK, FILENAME, v("subresource", None),
    ], RESOURCES) },
    read(&["describe"], &[SELECTOR, b("show-events", None), FILENAME, CHUNK], RESOURCES),
    read(&["logs"], &[
        CONTAINER, v("tail", None), v("since", None), v("since-time", None),
        b("follow", Some('f')), b("previous", Some('p')), b("all-containers", None),
        b("all-pods", None), b("prefix", None), b("timestamps", None), SELECTOR,
        v("limit-bytes", None), v("max-log-requests", None), b("ignore-errors", None),
        POD_TIMEOUT,
    ], Targets::Pod { container: true }),
    write(&["exec"], &[
        CONTAINER, b("stdin", Some('i')), b("tty", Some('t')), b("quiet", Some('q')), POD_TIMEOUT,
    ], Targets::Pod { container: false }),
    write(&["create", "secret", "generic"], &[
        v("from-literal", None), v("type", None), b("append-hash", None),
        DRY_RUN, OUTPUT, VALIDATE, SAVE_CONFIG, FIELD_MANAGER,
    ], Targets::NewName),
    write(&["create", "configmap"], &[
        v("from-literal", None), b("append-hash", None),
        DRY_RUN, OUTPUT, VALIDATE, SAVE_CONFIG, FIELD_MANAGER,
    ], Targets::NewName),
    write(&["create", "job"], &[
        v("from", None), DRY_RUN, OUTPUT, VALIDATE, SAVE_CONFIG, FIELD_MANAGER,
    ], Targets::NewName),
    // Only `patch cronjob NAME -p '{"spec":{"suspend":true|false}}'` (checked in `targets`).
    write(&["patch"], &[
        v("patch", Some('p')), v("type", None), DRY_RUN, OUTPUT, FIELD_MANAGER,
    ], RESOURCES),
    write(&["scale"], &[
        v("replicas", None), v("current-replicas", None), v("resource-version", None),
        TIMEOUT, SELECTOR, ALL, FILENAME, DRY_RUN, OUTPUT,
    ], RESOURCES),
    write(&["delete"], &[
        SELECTOR, FILENAME, ALL, v("grace-period", None), b("now", None), b("force", None),
        b("wait", None), TIMEOUT, b("ignore-not-found", None), o("cascade"), FIELD_SELECTOR,
        OUTPUT, DRY_RUN,
    ], RESOURCES),
    read(&["rollout", "status"], &[WATCH, v("revision", None), TIMEOUT, SELECTOR, FILENAME], RESOURCES),
    read(&["rollout", "history"], &[v("revision", None), SELECTOR, FILENAME, OUTPUT], RESOURCES),
    write(&["rollout", "restart"], &[SELECTOR, FILENAME, OUTPUT, FIELD_MANAGER], RESOURCES),
    write(&["rollout", "undo"], &[v("to-revision", None), SELECTOR, FILENAME, OUTPUT, DRY_RUN], RESOURCES),
    write(&["apply"], &[
        FILENAME, DRY_RUN, OUTPUT, b("server-side", None), b("force-conflicts", None), VALIDATE,
        FIELD_MANAGER, b("overwrite", None), TIMEOUT, b("wait", None),
    ], Targets::None),
    Verb { outputs: &["plaintext", "plaintext-openapiv2"], ..read(&["explain"], &[
        b("recursive", Some('R')), v("api-version", None), OUTPUT,
    ], Targets::Schema) },
    write(&["set", "env"], &[
        v("containers", Some('c')), v("env", Some('e')), v("from", None), v("keys", None),
        v("prefix", None), b("list", None), b("resolve", None), b("overwrite", None), SELECTOR,
        ALL, FILENAME, OUTPUT, DRY_RUN, FIELD_MANAGER,
    ], CHANGES),
    read(&["top", "pod"], &[
        SELECTOR, FIELD_SELECTOR, v("sort-by", None), b("containers", None), NO_HEADERS,
        b("sum", None),
    ], Targets::Names),
    read(&["top", "node"], &[SELECTOR, v("sort-by", None), NO_HEADERS], Targets::Names),
    write(&["label"], LABEL_FLAGS, CHANGES),
    write(&["annotate"], LABEL_FLAGS, CHANGES),
    Verb { outputs: TABLES, ..read(&["events"], &[
        v("for", None), v("types", None), WATCH, NO_HEADERS, CHUNK, OUTPUT,
    ], Targets::None) },
    read(&["wait"], &[
        v("for", None), TIMEOUT, SELECTOR, ALL, FIELD_SELECTOR, FILENAME, OUTPUT,
    ], RESOURCES),
    Verb { outputs: &["wide", "name"], ..read(&["api-resources"], &[
        b("namespaced", None), v("api-group", None), v("verbs", None), v("sort-by", None),
        NO_HEADERS, OUTPUT,
    ], Targets::None) },
    read(&["version"], &[b("client", None), OUTPUT], Targets::None),
];

#[rustfmt::skip]
const LABEL_FLAGS: &[Flag] = &[
    b("overwrite", None), b("list", None), SELECTOR, ALL, FIELD_SELECTOR,
    v("resource-version", None), FILENAME, OUTPUT, DRY_RUN, FIELD_MANAGER,
];

/// Other spellings of sub-verbs kubectl takes: `create cm`, `top pods`, `top po`, `top nodes`…
pub fn canonical(word: &str) -> &str {
    match word {
        "cm" => "configmap",
        "pods" | "po" => "pod",
        "nodes" | "no" => "node",
        other => other,
    }
}

/// The first words of the commands kubefiche runs, in table order, once each.
pub fn verb_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for verb in VERBS {
        if !names.contains(&verb.path[0]) {
            names.push(verb.path[0]);
        }
    }
    names
}

/// The words that may follow `prefix` (e.g. `["rollout"]` → status, history, restart, undo).
pub fn next_words(prefix: &[&str]) -> Vec<&'static str> {
    let mut next = Vec::new();
    for verb in VERBS {
        if verb.path.len() > prefix.len() && verb.path[..prefix.len()] == *prefix {
            let word = verb.path[prefix.len()];
            if !next.contains(&word) {
                next.push(word);
            }
        }
    }
    next
}

impl Verb {
    /// `get`, `rollout status`, `create secret generic`.
    pub fn name(&self) -> String {
        self.path.join(" ")
    }

    /// The flag of this command spelled `--long`.
    pub fn long(&self, long: &str) -> Option<&'static Flag> {
        self.flags.iter().chain([&HELP]).find(|f| f.long == long)
    }

    /// The flag of this command spelled `-c`.
    pub fn short(&self, short: char) -> Option<&'static Flag> {
        self.flags
            .iter()
            .chain([&HELP])
            .find(|f| f.short == Some(short))
    }

    /// Its flags as a learner reads them: `-l/--selector, --watch-only, …`.
    pub fn flag_list(&self) -> String {
        self.flags
            .iter()
            .map(Flag::spelling)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Flag {
    /// `-l/--selector` or `--watch-only`.
    pub fn spelling(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}/--{}", self.long),
            None => format!("--{}", self.long),
        }
    }
}
