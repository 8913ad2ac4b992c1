//! Metadata rules, each case checked against kube-apiserver 1.36.1 (dry run and real create).

use crate::diagnostic::Severity;
pub(in crate::validate::rules) use crate::validate::testing::{found, run};

/// Asserts exactly these errors, as (code, line); every message has both languages.
pub(in crate::validate::rules) fn errors(text: &str, want: &[(&str, u32)]) {
    let got = found(text, Severity::Error);
    let want: Vec<(String, u32)> = want.iter().map(|(c, l)| ((*c).to_owned(), *l)).collect();
    assert_eq!(got, want, "{text}\n{:#?}", run(text));
    for d in run(text) {
        assert!(
            !d.message.en.is_empty() && !d.message.fr.is_empty() && d.message.en != d.message.fr
        );
    }
}

fn cm(meta: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n{meta}data:\n  a: b\n")
}

#[test]
fn annotation_keys_ignore_case_label_keys_do_not() {
    errors(&cm("  annotations:\n    Example.COM/Key: x\n"), &[]);
    errors(
        &cm("  labels:\n    Example.COM/Key: x\n"),
        &[("invalid-label-key", 6)],
    );
    let long = "a".repeat(64);
    errors(
        &cm(&format!("  annotations:\n    {long}: x\n")),
        &[("invalid-label-key", 6)],
    );
}

#[test]
fn finalizers() {
    errors(&cm("  finalizers: [foo]\n"), &[("invalid-finalizer", 5)]);
    errors(
        &cm("  finalizers: [kubernetes, example.com/foo, kubernetes.io/x]\n"),
        &[],
    );
    errors(
        &cm("  finalizers:\n  - orphan\n  - foregroundDeletion\n"),
        &[("invalid-finalizer", 7)],
    );
}

#[test]
fn owner_references() {
    errors(
        &cm(
            "  ownerReferences:\n  - {apiVersion: v1, kind: Pod, name: p, uid: u1, controller: true}\n  - {apiVersion: v1, kind: Pod, name: q, uid: u2, controller: true}\n",
        ),
        &[("owner-reference", 7)],
    );
    errors(
        &cm("  ownerReferences:\n  - {apiVersion: v1, kind: Event, name: p, uid: u1}\n"),
        &[("owner-reference", 6)],
    );
    errors(
        &cm("  ownerReferences:\n  - {apiVersion: v1, kind: Pod, name: p, uid: ''}\n"),
        &[("owner-reference", 6)],
    );
    // `apps` alone reads as a version: accepted.
    errors(
        &cm("  ownerReferences:\n  - {apiVersion: apps, kind: Deployment, name: p, uid: u1}\n"),
        &[],
    );
}

#[test]
fn fields_the_api_server_writes() {
    errors(
        &cm("  managedFields:\n  - manager: me\n    operation: Apply\n"),
        &[("server-field", 5)],
    );
    let t = cm(
        "  uid: 11111111-1111-1111-1111-111111111111\n  resourceVersion: '12'\n  creationTimestamp: null\n",
    );
    errors(&t, &[]);
    assert_eq!(found(&t, Severity::Warning).len(), 2);
    errors(&cm("  generation: -3\n"), &[("negative-value", 5)]);
    errors(&cm("  creationTimestamp: '2020-01-01T00:00:00Z'\n"), &[]);
}

#[test]
fn generate_name() {
    errors(&cm("  generateName: web-\n"), &[]);
    errors(&cm("  generateName: Web_\n"), &[("invalid-name", 5)]);
    let only = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: app-\n";
    errors(only, &[]);
    assert_eq!(
        found(only, Severity::Warning),
        [("missing-name".to_owned(), 4)]
    );
}

#[test]
fn names_per_kind() {
    let svc = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  ports: [{{port: 80}}]\n"
        )
    };
    errors(&svc("1web"), &[]);
    errors(&svc("a.b"), &[("invalid-name", 4)]);
    errors(&svc(&"s".repeat(64)), &[("name-too-long", 4)]);
    let job = |name: &str| {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n"
        )
    };
    errors(&job(&"j".repeat(63)), &[]);
    errors(&job(&"j".repeat(64)), &[("name-too-long", 4)]);
    // With a manual selector the name is not a label: accepted, with a warning.
    let manual = job(&"j".repeat(64)).replace(
        "spec:\n  template:\n",
        "spec:\n  manualSelector: true\n  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n",
    );
    errors(&manual, &[]);
    assert_eq!(
        found(&manual, Severity::Warning),
        [("name-not-label".to_owned(), 4)]
    );
    // Dots are fine in a Pod name, but not in its hostname: a warning, as the API server gives.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web.v1\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
    errors(pod, &[]);
    assert_eq!(
        found(pod, Severity::Warning),
        [("name-not-label".to_owned(), 4)]
    );
    let dotted = cm("").replace("name: app", "name: web.v1");
    errors(&dotted, &[]);
    assert!(found(&dotted, Severity::Warning).is_empty());
    errors(
        &cm("").replace("name: app", &format!("name: {}", "c".repeat(253))),
        &[],
    );
}

#[test]
fn selector_requirements() {
    let pvc = |expr: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n  selector:\n    matchExpressions:\n    - {expr}\n"
        )
    };
    errors(&pvc("{key: tier, operator: In, values: [a]}"), &[]);
    errors(
        &pvc("{key: tier, operator: in, values: [a]}"),
        &[("invalid-value", 10)],
    );
    errors(
        &pvc("{key: tier, operator: In}"),
        &[("invalid-selector", 10)],
    );
    errors(
        &pvc("{key: tier, operator: Exists, values: [a]}"),
        &[("invalid-selector", 10)],
    );
}
