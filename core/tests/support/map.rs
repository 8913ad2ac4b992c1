//! `core/validation-map.md`: the table that maps each validation function of the API server to
//! the validator's code, read row by row.

use std::path::{Path, PathBuf};

/// The upstream files a row may name, with their path under the Go module cache.
pub const UPSTREAM: &[(&str, &str)] = &[
    (
        "core",
        "k8s.io/kubernetes@v1.36.1/pkg/apis/core/validation/validation.go",
    ),
    (
        "apps",
        "k8s.io/kubernetes@v1.36.1/pkg/apis/apps/validation/validation.go",
    ),
    (
        "batch",
        "k8s.io/kubernetes@v1.36.1/pkg/apis/batch/validation/validation.go",
    ),
    (
        "objectmeta",
        "k8s.io/apimachinery@v0.36.1/pkg/api/validation/objectmeta.go",
    ),
    (
        "generic",
        "k8s.io/apimachinery@v0.36.1/pkg/api/validation/generic.go",
    ),
];

/// One row of the table.
#[derive(Debug)]
pub struct Row {
    /// The line in the file (1-based), for messages.
    pub line: usize,
    pub function: String,
    pub file: String,
    /// `n/a: …`, `partial: …`, `not yet` or the Rust paths of our code, as written.
    pub ours: String,
}

impl Row {
    /// The Rust paths the row names (in backticks in the "ours" cell).
    pub fn paths(&self) -> Vec<&str> {
        self.ours
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|p| p.contains("::"))
            .collect()
    }

    pub fn not_applicable(&self) -> bool {
        self.ours.starts_with("n/a")
    }
}

/// The core crate's folder.
pub fn core_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|d| d.join("validation-map.md").is_file())
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../core"),
            Path::to_path_buf,
        )
}

/// Every row of the table, or the lines that are not well-formed rows.
pub fn rows() -> Result<Vec<Row>, Vec<String>> {
    let text = std::fs::read_to_string(core_dir().join("validation-map.md"))
        .expect("core/validation-map.md is readable");
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            continue;
        };
        let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
        if cells[0] == "upstream function" || cells[0].starts_with("---") {
            continue;
        }
        let function = cells[0].trim_matches('`');
        let ok = cells.len() == 4
            && function
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && UPSTREAM.iter().any(|(f, _)| *f == cells[1])
            && !cells[2].is_empty();
        if !ok {
            bad.push(format!("line {}: {line}", i + 1));
            continue;
        }
        rows.push(Row {
            line: i + 1,
            function: function.to_owned(),
            file: cells[1].to_owned(),
            ours: cells[2].to_owned(),
        });
    }
    if bad.is_empty() { Ok(rows) } else { Err(bad) }
}

/// The functions an upstream Go file declares (methods included, by their name).
pub fn go_functions(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.strip_prefix("func "))
        .filter_map(|rest| {
            let rest = if rest.starts_with('(') {
                rest.split_once(") ")?.1
            } else {
                rest
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}
