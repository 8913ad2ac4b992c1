//! `core/validation-map.md`: the table that maps each validation function of the API server to
//! the validator's code, read row by row.

// Shared by two tests, each of which uses part of it.
#![allow(dead_code)]

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

/// One row of the table: one or more upstream functions (or, for rules that live outside the
/// validation files — allocators, registry strategies — a description), the files they are in,
/// and the code of ours that does their work.
#[derive(Debug)]
pub struct Row {
    /// The line in the file (1-based), for messages.
    pub line: usize,
    /// The function cell as written.
    pub function: String,
    /// The file cell as written: keys of [`UPSTREAM`], or another upstream source.
    pub file: String,
    /// `n/a: …`, `partial: …`, `not yet`, or the Rust paths of our code, in backticks.
    pub ours: String,
}

/// The words in backticks of a cell.
fn quoted(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('`').skip(1).step_by(2)
}

impl Row {
    /// Whether the row is about `function` of the upstream file `key`.
    pub fn names(&self, function: &str, key: &str) -> bool {
        self.file.contains(key) && quoted(&self.function).any(|f| f == function)
    }

    /// The Rust paths the row names for our side, with `a::{b, c}` spelt out as `a::b`, `a::c`.
    pub fn paths(&self) -> Vec<String> {
        quoted(&self.ours)
            .filter(|p| p.contains("::"))
            .flat_map(|p| match p.split_once("::{") {
                Some((module, rest)) => rest
                    .trim_end_matches('}')
                    .split(',')
                    .map(|item| format!("{module}::{}", item.trim()))
                    .collect(),
                None => vec![p.to_owned()],
            })
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
        if cells.len() != 4 || cells[..3].iter().any(|c| c.is_empty()) {
            bad.push(format!("line {}: {line}", i + 1));
            continue;
        }
        rows.push(Row {
            line: i + 1,
            function: cells[0].to_owned(),
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
