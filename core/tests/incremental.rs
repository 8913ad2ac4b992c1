//! The incremental validator (what the browser runs on every keystroke) finds exactly what a
//! fresh validation finds, edit after edit, across files and minutes.

#[path = "support/files.rs"]
mod files;

use kubefiche_core::validate::{Incremental, Options, validate_workspace};

#[test]
fn incremental_matches_a_fresh_validation() {
    let mut files = files::fiche3();
    let mut incremental = Incremental::default();
    let mut options = Options {
        now_unix: Some(1_790_000_000),
        ..Options::default()
    };
    let edits: [(&str, &str, &str); 5] = [
        (
            "k8s/mcp-server.yaml",
            "replicas: 1",
            "replicas: 1\n  replicas: 2",
        ),
        ("k8s/config.yaml", "name: iris-config", "name: iris-konfig"),
        (
            "k8s/mcp-server.yaml",
            "replicas: 1\n  replicas: 2",
            "replicas: 3",
        ),
        ("k8s/cronjob.yaml", "*/1 * * * *", "61 * * * *"),
        ("k8s/config.yaml", "name: iris-konfig", "name: iris-config"),
    ];
    assert_eq!(
        incremental.validate(&files, &options),
        validate_workspace(&files, &options)
    );
    for (step, (path, from, to)) in edits.into_iter().enumerate() {
        let file = files.iter_mut().find(|f| f.path == path).expect("file");
        assert!(file.text.contains(from), "step {step}");
        file.text = file.text.replacen(from, to, 1);
        options.now_unix = options.now_unix.map(|t| t + 45);
        assert_eq!(
            incremental.validate(&files, &options),
            validate_workspace(&files, &options),
            "step {step}"
        );
    }
    // A file that leaves the workspace takes its findings along.
    files.retain(|f| f.path != "k8s/cronjob.yaml");
    let after = incremental.validate(&files, &options);
    assert_eq!(after, validate_workspace(&files, &options));
    assert!(after.iter().all(|d| d.file != "k8s/cronjob.yaml"));
}
