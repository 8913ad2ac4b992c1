//! What holds for any workspace, whatever its text: validation returns (no panic, no endless
//! loop, no stack overflow), every finding points inside its file with a message in both
//! languages, and the incremental validator, after an edit, finds exactly what a fresh validation
//! finds. Shared by the seeded test (`core/tests/fuzz.rs`) and the fuzz targets (`core/fuzz`).

use kubefiche_core::Diagnostic;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::policy::{Policy, Settings};
use kubefiche_core::validate::{
    ClusterFacts, ClusterFlavor, Incremental, KnownObject, Options, validate_workspace,
};

/// Options that reach every layer: a fixed clock (a CronJob's next runs), a cluster flavour
/// (advice on images) and one object known to exist in the cluster. Every field is named, so
/// that a new option is a decision here.
pub fn options() -> Options {
    Options {
        policy: Some(Policy {
            namespace: "learner".into(),
            settings: Settings::default(),
        }),
        now_unix: Some(1_767_225_600),
        local_cluster_flavor: Some(ClusterFlavor::Kind),
        cluster: ClusterFacts {
            objects: vec![KnownObject {
                kind: "ConfigMap".into(),
                name: "shared".into(),
                keys: vec!["a".into()],
                created: None,
            }],
        },
    }
}

/// The last line a finding may name: one past the last line break (`\n`, `\r\n` or `\r`), plus
/// one for an end-of-file position after a final line break.
fn last_line(text: &str) -> u32 {
    let breaks = text.matches('\n').count() + text.replace("\r\n", "").matches('\r').count();
    u32::try_from(breaks).unwrap_or(u32::MAX).saturating_add(2)
}

/// Panics, naming the finding, when it is not where it could be shown (`last_lines`: the
/// [`last_line`] of each file, in the order of `files`).
fn check_finding(files: &[SourceFile], last_lines: &[u32], d: &Diagnostic) {
    let Some(i) = files.iter().position(|f| f.path == d.file) else {
        panic!("a finding names a file that is not in the workspace: {d:?}");
    };
    let s = d.span;
    assert!(
        s.line >= 1 && s.line <= last_lines[i] && s.column >= 1,
        "a finding's span is outside its file: {d:?}"
    );
    assert!(
        (s.end_line, s.end_column) >= (s.line, s.column),
        "a finding's span ends before it starts: {d:?}"
    );
    assert!(
        !d.message.en.is_empty() && !d.message.fr.is_empty() && !d.code.is_empty(),
        "a finding without a code or a message: {d:?}"
    );
}

/// Validates `files` afresh and checks every finding; panics with a description when one is wrong.
pub fn check_fresh(files: &[SourceFile]) -> Vec<Diagnostic> {
    let fresh = validate_workspace(files, &options());
    let last_lines: Vec<u32> = files.iter().map(|f| last_line(&f.text)).collect();
    for d in &fresh {
        check_finding(files, &last_lines, d);
    }
    fresh
}

/// Panics unless `incremental`, whatever it validated before, now finds exactly `fresh`.
pub fn check_incremental(
    incremental: &mut Incremental,
    files: &[SourceFile],
    fresh: &[Diagnostic],
) {
    let found = incremental.validate(files, &options());
    assert!(
        found == fresh,
        "the incremental validator disagrees with a fresh validation after an edit:\nincremental: {found:#?}\nfresh: {fresh:#?}"
    );
}

/// The same files with the last one cut in half (at a character boundary): the text before a
/// burst of typing.
fn before_an_edit(files: &[SourceFile]) -> Vec<SourceFile> {
    let mut before = files.to_vec();
    if let Some(last) = before.last_mut() {
        let mut cut = last.text.len() / 2;
        while !last.text.is_char_boundary(cut) {
            cut -= 1;
        }
        last.text.truncate(cut);
    }
    before
}

/// [`check_fresh`], then [`check_incremental`] after an edit of the last file (from its first
/// half to all of it).
pub fn check_workspace(files: &[SourceFile]) -> Vec<Diagnostic> {
    let fresh = check_fresh(files);
    let mut incremental = Incremental::default();
    incremental.validate(&before_an_edit(files), &options());
    check_incremental(&mut incremental, files, &fresh);
    fresh
}
