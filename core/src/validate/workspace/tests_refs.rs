//! The checks across files other than hosts: volume items' keys, selectors, node ports.

use super::tests_cross::{SVC, run, run_with, web, with_code};
use crate::diagnostic::Severity;
use crate::validate::{ClusterFacts, KnownObject, Options};

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  app.conf: x\n  log.conf: y\n";

fn volume(source: &str) -> String {
    web(&format!("      volumes:\n      - name: v\n{source}"))
}

#[test]
fn volume_items_with_a_missing_key() {
    let t = volume(
        "        configMap:\n          name: conf\n          items:\n          - key: app.cnf\n            path: app.conf\n",
    );
    let d = run(&[&t, CM]);
    let w = with_code(&d, "missing-key");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(
        w[0].path,
        "spec.template.spec.volumes[0].configMap.items[0].key"
    );
    assert_eq!(w[0].span.line, 24);
    assert!(w[0].message.en.contains("it has: `app.conf`, `log.conf`"));
    let optional = t.replace(
        "          items:",
        "          optional: true\n          items:",
    );
    let d = run(&[&optional, CM]);
    assert_eq!(
        with_code(&d, "missing-key")[0].severity,
        Severity::Info,
        "{d:#?}"
    );
    let fine = t.replace("app.cnf", "app.conf");
    assert!(with_code(&run(&[&fine, CM]), "missing-key").is_empty());
}

#[test]
fn secret_and_projected_items() {
    let opts = Options {
        cluster: ClusterFacts {
            objects: vec![KnownObject {
                kind: "Secret".into(),
                name: "creds".into(),
                keys: vec!["user".into(), "password".into()],
                created: None,
            }],
        },
        ..Options::default()
    };
    let t = volume(
        "        secret:\n          secretName: creds\n          items:\n          - {key: pass, path: p}\n",
    );
    let d = run_with(&[&t], &opts);
    assert_eq!(with_code(&d, "missing-key").len(), 1, "{d:#?}");
    let t = volume(
        "        projected:\n          sources:\n          - secret:\n              name: creds\n              items: [{key: usr, path: u}]\n          - configMap:\n              name: nope\n",
    );
    let d = run_with(&[&t], &opts);
    let k = with_code(&d, "missing-key");
    assert_eq!(k.len(), 1, "{d:#?}");
    assert_eq!(
        k[0].path,
        "spec.template.spec.volumes[0].projected.sources[0].secret.items[0].key"
    );
    let r = with_code(&d, "missing-reference");
    assert_eq!(r.len(), 1, "{d:#?}");
    assert_eq!(
        r[0].path,
        "spec.template.spec.volumes[0].projected.sources[1].configMap.name"
    );
}

#[test]
fn selector_mismatch_where_the_api_server_points() {
    let t = web("").replace(
        "        app: web\n    spec:",
        "        app: webb\n    spec:",
    );
    let d = run(&[&t]);
    let e: Vec<_> = d.iter().filter(|d| d.code == "selector-mismatch").collect();
    assert_eq!(e.len(), 2, "{d:#?}");
    assert_eq!((e[0].severity, e[0].span.line), (Severity::Info, 6));
    assert_eq!((e[1].severity, e[1].span.line), (Severity::Error, 12));
    assert_eq!(e[1].path, "spec.template.metadata.labels.app");
    assert!(
        e[1].message
            .en
            .contains("`app: webb` differs from the selector's `app: web`")
    );
    // A label missing: at the labels.
    let t = web("").replace(
        "        app: web\n    spec:",
        "        tier: web\n    spec:",
    );
    let d = run(&[&t]);
    let e = d
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("error");
    assert_eq!((e.code.as_str(), e.span.line), ("selector-mismatch", 11));
    assert!(e.message.fr.contains("Ajoutez `app: web` ici"));
}

#[test]
fn job_manual_selector_mismatch() {
    let t = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  manualSelector: true\n  selector:\n    matchLabels: {run: a}\n  template:\n    metadata:\n      labels: {run: b}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox:1.36}]\n";
    let d = run(&[t]);
    let e = d
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("error");
    assert_eq!(
        (e.code.as_str(), e.span.line),
        ("selector-mismatch", 11),
        "{d:#?}"
    );
}

#[test]
fn service_selector_off_by_case_or_a_letter() {
    let svc = SVC.replace("    app: web\n", "    app: Web\n");
    let d = run(&[&web(""), &svc]);
    let w = with_code(&d, "service-no-pods");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(
        (w[0].path.as_str(), w[0].span.line),
        ("spec.selector.app", 7)
    );
    assert!(
        w[0].message
            .en
            .contains("have `app: web`, which differs only by case"),
        "{}",
        w[0].message.en
    );
    assert!(w[0].message.en.contains("(f0.yaml, line 12)"));
    let svc = SVC.replace("    app: web\n", "    apps: web\n");
    let d = run(&[&web(""), &svc]);
    assert!(
        with_code(&d, "service-no-pods")[0]
            .message
            .en
            .contains("by a few letters")
    );
    let svc = SVC.replace("    app: web\n", "    app: database\n");
    let d = run(&[&web(""), &svc]);
    assert!(
        with_code(&d, "service-no-pods")[0]
            .message
            .en
            .starts_with("No workload in the workspace")
    );
}

#[test]
fn a_node_port_asked_for_twice() {
    let other = SVC.replace("name: web-svc", "name: web-svc-2");
    let d = run(&[&web(""), SVC, &other]);
    let w = with_code(&d, "node-port-taken");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!((w[0].file.as_str(), w[0].span.line), ("f2.yaml", 12));
    assert!(
        w[0].message
            .en
            .contains("Service `web-svc` (f1.yaml, line 8)"),
        "{}",
        w[0].message.en
    );
    let d = run(&[&web(""), SVC, &other.replace("30080", "30081")]);
    assert!(with_code(&d, "node-port-taken").is_empty());
}
