//! Every validation function of the API server at the pinned release has a row in
//! `core/validation-map.md` (ported, partial, or not applicable with the reason), read from the
//! upstream sources in the Go module cache that the local control plane's build fills.

#[path = "../../core/tests/support/map.rs"]
mod map;

#[test]
#[ignore = "needs the upstream sources of the local control plane's build: cargo xtask test"]
fn every_upstream_validation_function_has_a_row() {
    let cache = std::env::var_os("KUBEFICHE_GOMODCACHE")
        .expect("KUBEFICHE_GOMODCACHE names the Go module cache (cargo xtask test sets it)");
    let rows = map::rows().unwrap_or_else(|bad| panic!("{}", bad.join("\n")));
    let mut missing = Vec::new();
    for (file, path) in map::UPSTREAM {
        let path = std::path::Path::new(&cache).join(path);
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let functions = map::go_functions(&source);
        assert!(
            functions.len() > 3,
            "{} declares no function?",
            path.display()
        );
        missing.extend(
            functions
                .iter()
                .filter(|f| !rows.iter().any(|r| r.names(f, file)))
                .map(|f| format!("| `{f}` | {file} | … | |")),
        );
    }
    assert!(
        missing.is_empty(),
        "{} upstream functions have no row in core/validation-map.md:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
