//! Test inputs shared by the integration tests and the benchmark.

use kubefiche_core::manifest::SourceFile;

#[allow(dead_code)]
/// The Fiche 3 workspace (core/tests/fiche3/k8s/*.yaml), as `k8s/<name>.yaml` files.
pub fn fiche3() -> Vec<SourceFile> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fiche3/k8s");
    let mut files: Vec<SourceFile> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| {
            let p = e.expect("entry").path();
            SourceFile {
                path: format!("k8s/{}", p.file_name().expect("name").to_string_lossy()),
                text: std::fs::read_to_string(&p).expect("read"),
            }
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The agreement corpus (tests/corpus/*.yaml).
#[allow(dead_code)]
pub fn corpus() -> Vec<SourceFile> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus");
    let mut files: Vec<SourceFile> = std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| SourceFile {
            path: p.file_name().expect("name").to_string_lossy().into_owned(),
            text: std::fs::read_to_string(&p).expect("read"),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
