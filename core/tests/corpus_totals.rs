//! The agreement corpus as a whole: the snapshot of the API server's verdicts covers exactly the
//! corpus, and the README's agreement numbers are the ones the per-file tests
//! (`core/tests/corpus.rs`) assert.

#[path = "support/files.rs"]
mod files;
#[path = "support/verdicts.rs"]
mod verdicts;

#[test]
fn the_snapshot_covers_the_corpus_and_the_readme_quotes_it() {
    let files = files::corpus();
    let snapshot = verdicts::load();
    let names: Vec<&String> = files.iter().map(|f| &f.path).collect();
    let recorded: Vec<&String> = snapshot.keys().collect();
    assert_eq!(
        names, recorded,
        "the snapshot does not list exactly the corpus files: run `cargo xtask verdicts`"
    );
    assert!(
        files.len() >= 150,
        "the corpus has only {} files",
        files.len()
    );
    let rejected = snapshot.values().filter(|v| v.rejected()).count();
    // Every file agrees (core/tests/corpus.rs): all rejections are caught, with no false alarm.
    let claim = format!("{rejected}/{rejected} rejections caught in the browser, 0 false alarms");
    let corpus = format!("`tests/corpus` ({} manifests)", files.len());
    let readme = include_str!("../../README.md");
    assert!(
        readme
            .lines()
            .any(|l| l.contains(&claim) && l.contains(&corpus)),
        "the README's agreement row should read: {corpus} … {claim}"
    );
}
