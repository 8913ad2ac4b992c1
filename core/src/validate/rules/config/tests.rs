//! ConfigMap, Secret and PVC rules, each case checked against kube-apiserver 1.36.1.

use super::secret::decode_for_tests;
use crate::diagnostic::Severity;
use crate::validate::rules::shared::tests::{errors, found};

fn secret(body: &str) -> String {
    format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n{body}")
}

fn pvc(spec: &str) -> String {
    format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n{spec}")
}

#[test]
fn config_map_keys_and_duplicates() {
    let cm = |body: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{body}");
    errors(
        &cm("data:\n  a: x\nbinaryData:\n  a: eA==\n"),
        &[("duplicate-key", 6)],
    );
    errors(&cm("data:\n  ..a: x\n"), &[("invalid-key", 6)]);
    errors(&cm("data:\n  .a..b: x\n"), &[]);
    errors(&cm("immutable: true\ndata:\n  a: x\n"), &[]);
}

#[test]
fn secret_types_and_their_keys() {
    // stringData is merged into data: the same key in both is fine.
    errors(&secret("data:\n  a: Yg==\nstringData:\n  a: c\n"), &[]);
    errors(&secret("stringData:\n  ..a: c\n"), &[("invalid-key", 6)]);
    errors(&secret("type: 'my type'\nstringData: {a: b}\n"), &[]);
    errors(
        &secret("type: bootstrap.kubernetes.io/token\nstringData: {a: b}\n"),
        &[],
    );
    errors(
        &secret("type: kubernetes.io/service-account-token\n"),
        &[("secret-type-keys", 5)],
    );
    errors(
        &secret("type: kubernetes.io/ssh-auth\nstringData:\n  ssh-privatekey: ''\n"),
        &[("secret-type-keys", 7)],
    );
    errors(
        &secret("type: kubernetes.io/basic-auth\nstringData: {password: x}\n"),
        &[],
    );
    errors(
        &secret("type: kubernetes.io/basic-auth\nstringData: {user: x}\n"),
        &[("secret-type-keys", 5)],
    );
}

#[test]
fn docker_config_must_be_a_json_object() {
    let dcj = |v: &str| {
        secret(&format!(
            "type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{v}'\n"
        ))
    };
    errors(&dcj("{auths"), &[("secret-type-keys", 7)]);
    errors(&dcj("[]"), &[("secret-type-keys", 7)]);
    errors(&dcj("null"), &[]);
    errors(&dcj("{\"auths\": {}}"), &[]);
    // In data, the value is base64 of the JSON: `{}` is e30=, `[]` is W10=.
    let data = |v: &str| {
        secret(&format!(
            "type: kubernetes.io/dockercfg\ndata:\n  .dockercfg: {v}\n"
        ))
    };
    errors(&data("e30="), &[]);
    errors(&data("W10="), &[("secret-type-keys", 7)]);
    errors(
        &secret("type: kubernetes.io/dockercfg\n"),
        &[("secret-type-keys", 5)],
    );
    assert_eq!(decode_for_tests("aGVsbG8="), Some(b"hello".to_vec()));
}

#[test]
fn tls_without_pem_is_a_warning() {
    let t = secret("type: kubernetes.io/tls\nstringData:\n  tls.crt: ''\n  tls.key: ''\n");
    errors(&t, &[]);
    assert_eq!(found(&t, Severity::Warning).len(), 2);
    errors(
        &secret("type: kubernetes.io/tls\nstringData:\n  tls.crt: x\n"),
        &[("secret-type-keys", 5)],
    );
}

#[test]
fn pvc_storage_and_classes() {
    let base = "  accessModes: [ReadWriteOnce]\n";
    errors(
        &pvc(&format!(
            "{base}  dataSource:\n    kind: PersistentVolumeClaim\n    name: other\n"
        )),
        &[("missing-storage", 5)],
    );
    errors(
        &pvc(&format!(
            "{base}  storageClassName: Fast_SSD\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        )),
        &[("invalid-name", 7)],
    );
    errors(
        &pvc(&format!(
            "{base}  storageClassName: ''\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        )),
        &[],
    );
    errors(
        &pvc(&format!(
            "{base}  volumeAttributesClassName: Gold_1\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        )),
        &[("invalid-name", 7)],
    );
    errors(
        &pvc(&format!(
            "{base}  volumeName: Bad_Name\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        )),
        &[],
    );
    errors(
        &pvc(&format!(
            "{base}  resources: {{requests: {{storage: -1Gi}}}}\n"
        )),
        &[("invalid-storage", 7)],
    );
    let milli = pvc(&format!(
        "{base}  resources: {{requests: {{storage: 500m}}}}\n"
    ));
    errors(&milli, &[]);
    assert_eq!(
        found(&milli, Severity::Warning),
        [("invalid-storage".to_owned(), 7)]
    );
    errors(
        &pvc(&format!(
            "{base}  resources: {{requests: {{storage: 1Gi, cpu: 1}}, limits: {{storage: 500Mi}}}}\n"
        )),
        &[],
    );
    errors(
        &pvc(
            "  accessModes: [ReadWriteOncePod, ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n",
        ),
        &[("access-modes", 6)],
    );
}

#[test]
fn pvc_data_sources() {
    let base = "  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n";
    // An unknown kind in dataSource alone is dropped by the API server: a warning.
    let dropped = pvc(&format!(
        "{base}  dataSource: {{kind: VolumeSnapshot, name: snap}}\n"
    ));
    errors(&dropped, &[]);
    assert_eq!(
        found(&dropped, Severity::Warning),
        [("data-source".to_owned(), 8)]
    );
    errors(
        &pvc(&format!(
            "{base}  dataSource: {{kind: PersistentVolumeClaim, name: a}}\n  dataSourceRef: {{kind: PersistentVolumeClaim, name: b}}\n"
        )),
        &[("data-source", 9)],
    );
    errors(
        &pvc(&format!(
            "{base}  dataSourceRef: {{kind: Populator, name: a}}\n"
        )),
        &[("data-source", 8)],
    );
    errors(
        &pvc(&format!(
            "{base}  dataSourceRef: {{apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: a}}\n"
        )),
        &[],
    );
}

#[test]
fn pvc_warnings() {
    let t = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\n  annotations:\n    volume.beta.kubernetes.io/storage-class: fast\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}, limits: {storage: 1.5k5}}\n";
    errors(t, &[("invalid-quantity", 9)]);
    let t = t.replace("1.5k5", "0.5");
    errors(&t, &[]);
    assert_eq!(
        found(&t, Severity::Warning),
        [
            ("invalid-name".to_owned(), 6),
            ("invalid-storage".to_owned(), 9)
        ]
    );
}
