//! The Fiche 3 worksheet as written gets nothing from the cross-file checks: every host it names
//! is one of its Services, at a port the Service exposes.

use crate::manifest::SourceFile;
use crate::validate::{Options, validate_workspace};

const CODES: &[&str] = &[
    "unknown-service",
    "service-port-unknown",
    "missing-key",
    "selector-mismatch",
    "service-no-pods",
    "node-port-taken",
];

fn read(relative: &str) -> String {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The starter file and every YAML block of the worksheet, each as a file.
fn worksheet() -> Vec<SourceFile> {
    let mut files = vec![SourceFile {
        path: "k8s/server.yaml".into(),
        text: read("public/fiches/fiche-3/server.starter.yaml"),
    }];
    let md = read("public/fiches/fiche-3.md");
    let mut block: Option<String> = None;
    for line in md.lines() {
        match (&mut block, line.trim_start()) {
            (None, l) if l.starts_with("```yaml") => block = Some(String::new()),
            (Some(_), l) if l.starts_with("```") => {
                let text = block.take().unwrap_or_default();
                let path = format!("block{}.yaml", files.len());
                files.push(SourceFile { path, text });
            }
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    files
}

#[test]
fn the_worksheet_gets_no_cross_file_warning() {
    let files = worksheet();
    assert!(files.len() >= 7, "{} files", files.len());
    assert!(
        files
            .iter()
            .any(|f| f.text.contains("http://mcp-server-svc:8000/sse"))
    );
    assert!(
        files
            .iter()
            .any(|f| f.text.contains("http://mlops-server-svc:8000/predict"))
    );
    let d = validate_workspace(&files, &Options::default());
    let ours: Vec<_> = d
        .iter()
        .filter(|d| CODES.contains(&d.code.as_str()))
        .collect();
    assert!(ours.is_empty(), "{ours:#?}");
}

#[test]
fn a_renamed_service_is_caught_in_the_worksheet() {
    let mut files = worksheet();
    for f in &mut files {
        f.text = f.text.replace("name: mcp-server-svc", "name: mcp-svc");
    }
    let d = validate_workspace(&files, &Options::default());
    let w: Vec<_> = d.iter().filter(|d| d.code == "unknown-service").collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].message.en.contains("`mcp-server-svc`"));
    assert!(
        w[0].message
            .en
            .contains("(Services known: `mlops-server-svc`, `postgres-svc`, `mcp-svc`)"),
        "{}",
        w[0].message.en
    );
}
