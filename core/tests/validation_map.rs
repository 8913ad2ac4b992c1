//! The validation map (`core/validation-map.md`) is well-formed and names real code: every row
//! says what it covers, and every Rust path it gives for our side is a function that exists
//! where the path says. That every upstream function has a row
//! is checked against the upstream sources by the cluster tier (`tests/tests/validation_map.rs`).

#[path = "support/map.rs"]
mod map;

/// Whether `path` (relative to `core/src/validate/`, or `crate::…` from `core/src/`) names a
/// function: the module's file declares `fn NAME`.
fn resolves(path: &str) -> bool {
    let (base, path) = match path.strip_prefix("crate::") {
        Some(rest) => (map::core_dir().join("src"), rest),
        None => (map::core_dir().join("src").join("validate"), path),
    };
    let mut segments: Vec<&str> = path.split("::").collect();
    let Some(name) = segments.pop() else {
        return false;
    };
    let module = segments.join("/");
    // The function in the module's file, or in a child module of its name that the module
    // re-exports (`mod deployment; pub use deployment::deployment;`).
    [format!("{module}.rs"), format!("{module}/{name}.rs")]
        .iter()
        .any(|file| declares(&base.join(file), name))
}

fn declares(file: &std::path::Path, name: &str) -> bool {
    std::fs::read_to_string(file).is_ok_and(|text| {
        text.match_indices(&format!("fn {name}"))
            .any(|(at, m)| matches!(text[at + m.len()..].chars().next(), Some('(' | '<')))
    })
}

#[test]
fn every_row_is_well_formed_and_names_existing_code() {
    let rows = map::rows().unwrap_or_else(|bad| {
        panic!(
            "rows that are not `| function | file | ours | notes |`:\n{}",
            bad.join("\n")
        )
    });
    assert!(rows.len() > 150, "only {} rows", rows.len());
    let mut problems = Vec::new();
    for row in &rows {
        let paths = row.paths();
        if paths.is_empty()
            && !row.not_applicable()
            && !row.ours.starts_with("not yet")
            && !row.ours.starts_with("partial")
        {
            problems.push(format!(
                "line {}: {} names no code of ours and says neither `n/a`, `partial` nor `not yet`",
                row.line, row.function
            ));
        }
        for path in paths {
            if !resolves(&path) {
                problems.push(format!(
                    "line {}: {} → `{path}` is not a function at that path",
                    row.line, row.function
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_go_function_reader_sees_functions_and_methods() {
    let source =
        "package x\nfunc A(x int) {}\nfunc (v *T) B() {}\nfunc c[T any]() {}\n// func D()\n";
    assert_eq!(map::go_functions(source), ["A", "B", "c"]);
}
