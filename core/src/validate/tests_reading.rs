//! What the API server makes of a value before it validates it, asked of kube-apiserver 1.36.1:
//! `~` is the field left out, an empty string is the default for some enumerated fields, a whole
//! float is an integer; and a misspelt key is reported where it is, not as a field missing above.

use super::testing::error_lines as errors;

fn pod(spec: &str, container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}  containers:\n  - name: c\n    image: nginx:1.27\n{container}"
    )
}

#[test]
fn an_empty_string_is_the_default_where_the_api_server_fills_it_in() {
    for (spec, container) in [
        ("  dnsPolicy: \"\"\n", ""),
        ("  restartPolicy: \"\"\n", ""),
        ("", "    imagePullPolicy: \"\"\n"),
        (
            "",
            "    ports: [{containerPort: 80, protocol: \"\", name: \"\"}]\n",
        ),
        (
            "  tolerations: [{key: a, operator: \"\", value: b, effect: \"\"}]\n",
            "",
        ),
        (
            "",
            "    readinessProbe: {httpGet: {port: 80, scheme: \"\"}}\n",
        ),
    ] {
        assert_eq!(errors(&pod(spec, container)), [], "{spec}{container}");
    }
    // Where it is a pointer or has no default, the empty string is refused.
    assert_eq!(
        errors(
            &pod(
                "",
                "    volumeMounts: [{name: v, mountPath: /x, mountPropagation: \"\"}]\n"
            )
            .replace("spec:\n", "spec:\n  volumes: [{name: v, emptyDir: {}}]\n")
        ),
        [("invalid-value".to_owned(), 10)]
    );
    assert_eq!(
        errors(&pod("  securityContext: {fsGroupChangePolicy: \"\"}\n", "")),
        [("invalid-value".to_owned(), 6)]
    );
}

#[test]
fn a_tilde_leaves_the_field_out() {
    // A pointer field: left out, defaulted.
    let pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  accessModes: [ReadWriteOnce]\n  volumeMode: ~\n  resources: {requests: {storage: 1Gi}}\n";
    assert_eq!(errors(pvc), []);
    // A required field: missing, at its own line.
    assert_eq!(
        errors(&pod("", "").replace("  - name: c\n", "  - name: ~\n")),
        [("missing-field".to_owned(), 7)]
    );
    // A quantity: zero.
    assert_eq!(
        errors(&pvc.replace("storage: 1Gi", "storage: ~")),
        [("invalid-storage".to_owned(), 8)]
    );
    // A selector's label value: the empty value, which the template's label is not.
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: ~\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers: [{name: c, image: nginx:1.27}]\n";
    assert_eq!(errors(deploy), [("selector-mismatch".to_owned(), 12)]);
}

#[test]
fn a_whole_float_is_an_integer() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: a}\n  ports:\n  - port: 80\n    targetPort: 08000\n";
    assert_eq!(errors(svc), []);
    assert_eq!(
        errors(&svc.replace("08000", "80.5")),
        [("wrong-type".to_owned(), 9)]
    );
}

#[test]
fn a_workload_without_its_spec_is_refused_once() {
    assert_eq!(
        errors("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"),
        [("missing-field".to_owned(), 2)]
    );
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n";
    assert_eq!(errors(deploy), [("missing-containers".to_owned(), 7)]);
}

#[test]
fn a_misspelt_key_is_the_error_not_the_field_it_was_meant_to_be() {
    let text = pod("", "").replace("  - name: c\n", "  - Name: c\n");
    assert_eq!(errors(&text), [("unknown-field".to_owned(), 7)]);
    let text = pod("", "").replace("metadata:\n  name: p\n", "meta:\n  name: p\n");
    assert_eq!(errors(&text), [("unknown-field".to_owned(), 3)]);
    // What is missing in the same object waits for the misspelt key to be mended; what is
    // missing elsewhere is still said.
    let text = pod("", "")
        .replace("  - name: c\n", "  - Name: c\n")
        .replace("    image: nginx:1.27\n", "");
    assert_eq!(errors(&text), [("unknown-field".to_owned(), 7)]);
    let text = pod("", "")
        .replace("metadata:\n  name: p\n", "meta:\n  name: p\n")
        .replace("    image: nginx:1.27\n", "");
    assert_eq!(
        errors(&text),
        [
            ("unknown-field".to_owned(), 3),
            ("missing-image".to_owned(), 7)
        ]
    );
}
