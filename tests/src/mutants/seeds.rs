//! The valid manifests mutants start from: every document of Fiche 3's workspace, and richer
//! manifests of our own (`tests/mutants/seeds/`), each accepted by the API server as it is.
//! Workspaces of two or three files, for renames that cross files, are built from them.

/// A starting point: one or more files of a workspace.
#[derive(Debug, Clone)]
pub struct Seed {
    /// A short name, e.g. `fiche3/server#0` or `pod-probes`.
    pub name: String,
    /// The kind of its (first) object.
    pub kind: String,
    pub files: Vec<(String, String)>,
}

macro_rules! own {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../mutants/seeds/", $name, ".yaml")))),*]
    };
}

/// Our own seeds, by file name.
const OWN: &[(&str, &str)] = own![
    "configmap",
    "secret-opaque",
    "secret-stringdata",
    "secret-tls",
    "secret-dockerconfig",
    "pvc",
    "service-clusterip",
    "service-nodeport",
    "service-headless",
    "service-externalname",
    "pod-basic",
    "pod-probes",
    "pod-volumes",
    "pod-hostpath",
    "pod-security",
    "pod-scheduling",
    "pod-sidecar",
    "pod-env",
    "deployment-web",
    "deployment-recreate",
    "replicaset",
    "job",
    "job-indexed",
    "cronjob",
];

macro_rules! fiche3 {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../core/tests/fiche3/k8s/", $name, ".yaml")))),*]
    };
}

/// Fiche 3's workspace, as the worksheet gives it.
const FICHE3: &[(&str, &str)] = fiche3![
    "config",
    "server",
    "postgres",
    "agent",
    "mcp-server",
    "cronjob"
];

/// Workspaces whose files refer to each other (a ConfigMap, Secret, claim or Service defined in
/// one file and used in another): fiche-3 files by name, ours by file name.
const WORKSPACES: &[&[&str]] = &[
    &["fiche3/config", "fiche3/server"],
    &["fiche3/postgres"],
    &["configmap", "secret-opaque", "pod-env"],
    &["pvc", "secret-opaque", "deployment-recreate"],
    &["configmap", "secret-opaque", "pod-volumes"],
    &["deployment-web", "service-clusterip"],
    &["pvc", "configmap", "pod-hostpath"],
];

/// The documents of `text`, split at `---` lines; documents with nothing but comments dropped.
pub fn documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line == "---" || line.starts_with("--- ") {
            docs.push(String::new());
        } else if let Some(last) = docs.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    docs.retain(|d| {
        d.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    docs
}

/// The value of a top-level `key:` line of a document.
pub fn top_level(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(|v| {
            let v = v.split(" #").next().unwrap_or(v);
            v.trim().trim_matches(|c| c == '"' || c == '\'').to_owned()
        })
}

/// Every single-object seed: each document of Fiche 3's files, then ours.
pub fn single() -> Vec<Seed> {
    let mut out = Vec::new();
    for (name, text) in FICHE3 {
        for (i, doc) in documents(text).into_iter().enumerate() {
            out.push(Seed {
                name: format!("fiche3/{name}#{i}"),
                kind: top_level(&doc, "kind").unwrap_or_default(),
                files: vec![(format!("k8s/{name}.yaml"), doc)],
            });
        }
    }
    for (name, text) in OWN {
        out.push(Seed {
            name: (*name).to_owned(),
            kind: top_level(text, "kind").unwrap_or_default(),
            files: vec![(format!("k8s/{name}.yaml"), (*text).to_owned())],
        });
    }
    out
}

/// The workspaces of several related files.
pub fn workspaces() -> Vec<Seed> {
    WORKSPACES
        .iter()
        .map(|names| {
            let files: Vec<(String, String)> = names
                .iter()
                .filter_map(|n| {
                    let (list, bare) = match n.strip_prefix("fiche3/") {
                        Some(bare) => (FICHE3, bare),
                        None => (OWN, *n),
                    };
                    list.iter()
                        .find(|(name, _)| *name == bare)
                        .map(|(name, text)| (format!("k8s/{name}.yaml"), (*text).to_owned()))
                })
                .collect();
            let kind = files
                .last()
                .and_then(|(_, t)| top_level(t, "kind"))
                .unwrap_or_default();
            Seed {
                name: names.join("+"),
                kind,
                files,
            }
        })
        .collect()
}
