//! The Fiche 3 workspace through the whole engine: no errors, and the expected advice.

#[path = "support/files.rs"]
mod files;

use files::fiche3;
use kubefiche_core::policy::{Policy, Settings};
use kubefiche_core::validate::{
    ClusterFacts, ClusterFlavor, KnownObject, Options, validate_workspace,
};
use kubefiche_core::{Diagnostic, Severity};

fn codes(d: &[Diagnostic], sev: Severity) -> Vec<String> {
    d.iter()
        .filter(|d| d.severity == sev)
        .map(|d| format!("{}:{} {} {}", d.file, d.span.line, d.code, d.path))
        .collect()
}

#[test]
fn fiche3_workspace_has_no_errors() {
    let opts = Options {
        cluster: ClusterFacts {
            objects: vec![KnownObject {
                kind: "Secret".into(),
                name: "iris-secrets".into(),
                keys: vec!["api-key".into()],
                created: None,
            }],
        },
        local_cluster_flavor: Some(ClusterFlavor::Kind),
        now_unix: Some(1_767_225_600),
        // The playground's policy at its strictest: the worksheet meets it.
        policy: Some(Policy {
            namespace: "default".into(),
            settings: Settings::default(),
        }),
    };
    let d = validate_workspace(&fiche3(), &opts);
    for x in &d {
        println!(
            "{:?} {}:{}:{} {} {} — {}",
            x.severity, x.file, x.span.line, x.span.column, x.code, x.path, x.message.en
        );
    }
    assert!(
        codes(&d, Severity::Error).is_empty(),
        "{:#?}",
        codes(&d, Severity::Error)
    );
    let warnings = codes(&d, Severity::Warning);
    assert_eq!(
        warnings,
        vec!["k8s/postgres.yaml:36 plain-secret spec.template.spec.containers[0].env[2].value"]
    );
    let infos = codes(&d, Severity::Info);
    assert!(
        infos.iter().any(|s| s.contains("cronjob.yaml:6 schedule")),
        "{infos:?}"
    );
    assert!(
        infos
            .iter()
            .any(|s| s.contains("mcp-server.yaml") && s.contains("local-image")),
        "{infos:?}"
    );
    let schedule = d.iter().find(|d| d.code == "schedule").expect("schedule");
    assert!(schedule.message.fr.contains("toutes les minutes"));
    assert!(schedule.message.en.contains("2026-01-01 00:01"));
}

#[test]
fn missing_secret_is_a_warning_without_cluster_facts() {
    let d = validate_workspace(&fiche3(), &Options::default());
    let w: Vec<&Diagnostic> = d.iter().filter(|d| d.code == "missing-reference").collect();
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(w[0].severity, Severity::Warning);
    assert!(
        w[0].message
            .fr
            .contains("kubectl create secret generic iris-secrets")
    );
}
