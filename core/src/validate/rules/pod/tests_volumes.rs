//! Volumes, their sources and the containers' mounts, against what the API server refuses.

pub(super) use crate::validate::testing::errors;

/// A Pod whose container gets `mount` lines and whose spec gets `spec` lines.
pub(super) fn pod(container: &str, spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n{container}{spec}"
    )
}

/// Exactly one error, with this code, at this path (and a message in both languages).
#[track_caller]
pub(super) fn refused(text: &str, code: &str, path: &str) {
    let e = errors(text);
    assert!(
        e.len() == 1 && e[0].code == code && e[0].path == path,
        "expected one {code} at {path}, got {e:#?}\n{text}"
    );
    assert!(!e[0].message.en.is_empty() && e[0].message.en != e[0].message.fr);
}

#[track_caller]
pub(super) fn accepted(text: &str) {
    let e = errors(text);
    assert!(e.is_empty(), "expected no error, got {e:#?}\n{text}");
}

const MOUNT: &str = "    volumeMounts:\n    - name: v\n      mountPath: /data\n";

fn vol(source: &str) -> String {
    format!("  volumes:\n  - name: v\n{source}")
}

#[test]
fn sub_paths() {
    accepted(&pod(
        &format!("{MOUNT}      subPath: conf/app\n"),
        &vol("    emptyDir: {}\n"),
    ));
    let bad = |line: &str| pod(&format!("{MOUNT}{line}"), &vol("    emptyDir: {}\n"));
    refused(
        &bad("      subPath: /etc\n"),
        "invalid-path",
        "spec.containers[0].volumeMounts[0].subPath",
    );
    refused(
        &bad("      subPath: a/../../b\n"),
        "invalid-path",
        "spec.containers[0].volumeMounts[0].subPath",
    );
    refused(
        &bad("      subPathExpr: /$(POD)\n"),
        "invalid-path",
        "spec.containers[0].volumeMounts[0].subPathExpr",
    );
    refused(
        &bad("      subPath: a\n      subPathExpr: $(POD)\n"),
        "invalid-path",
        "spec.containers[0].volumeMounts[0].subPathExpr",
    );
    // `..` inside a name is not a step up.
    accepted(&bad("      subPath: a..b\n"));
}

#[test]
fn mount_options() {
    let m = |line: &str| pod(&format!("{MOUNT}{line}"), &vol("    emptyDir: {}\n"));
    refused(
        &m("      mountPropagation: Bidirectional\n"),
        "mount-propagation",
        "spec.containers[0].volumeMounts[0].mountPropagation",
    );
    accepted(&m("      mountPropagation: HostToContainer\n"));
    accepted(&m(
        "      readOnly: true\n      recursiveReadOnly: Enabled\n",
    ));
    refused(
        &m("      recursiveReadOnly: IfPossible\n"),
        "recursive-read-only",
        "spec.containers[0].volumeMounts[0].recursiveReadOnly",
    );
    refused(
        &m("      readOnly: true\n      recursiveReadOnly: enabled\n"),
        "invalid-value",
        "spec.containers[0].volumeMounts[0].recursiveReadOnly",
    );
    refused(
        &pod(
            "    volumeMounts:\n    - name: v\n      mountPath: \"\"\n",
            &vol("    emptyDir: {}\n"),
        ),
        "missing-field",
        "spec.containers[0].volumeMounts[0].mountPath",
    );
}

#[test]
fn devices() {
    let claim = vol("    persistentVolumeClaim:\n      claimName: data\n");
    accepted(&pod(
        "    volumeDevices:\n    - name: v\n      devicePath: /dev/xvda\n",
        &claim,
    ));
    refused(
        &pod(
            "    volumeDevices:\n    - name: v\n      devicePath: /dev/xvda\n",
            &vol("    emptyDir: {}\n"),
        ),
        "mount-and-device",
        "spec.containers[0].volumeDevices[0].name",
    );
    refused(
        &pod(
            &format!("{MOUNT}    volumeDevices:\n    - name: v\n      devicePath: /dev/xvda\n"),
            &claim,
        ),
        "mount-and-device",
        "spec.containers[0].volumeDevices[0].name",
    );
}

#[test]
fn items_and_modes() {
    let cm = |item: &str| {
        pod(
            MOUNT,
            &vol(&format!(
                "    configMap:\n      name: conf\n      items:\n      - key: app.conf\n{item}"
            )),
        )
    };
    accepted(&cm("        path: app.conf\n        mode: 0644\n"));
    refused(
        &cm("        path: /etc/app.conf\n"),
        "invalid-path",
        "spec.volumes[0].configMap.items[0].path",
    );
    refused(
        &cm("        path: ../app.conf\n"),
        "invalid-path",
        "spec.volumes[0].configMap.items[0].path",
    );
    refused(
        &cm("        path: ..data\n"),
        "invalid-path",
        "spec.volumes[0].configMap.items[0].path",
    );
    refused(
        &cm("        path: app.conf\n        mode: 0999\n"),
        "invalid-file-mode",
        "spec.volumes[0].configMap.items[0].mode",
    );
    refused(
        &cm("        path: app.conf\n        mode: 644\n"),
        "invalid-file-mode",
        "spec.volumes[0].configMap.items[0].mode",
    );
    refused(
        &cm("        path: \"\"\n"),
        "missing-field",
        "spec.volumes[0].configMap.items[0].path",
    );
    accepted(&pod(
        MOUNT,
        &vol("    secret:\n      secretName: s\n      defaultMode: 0400\n"),
    ));
    refused(
        &pod(
            MOUNT,
            &vol("    secret:\n      secretName: s\n      defaultMode: 1000\n"),
        ),
        "invalid-file-mode",
        "spec.volumes[0].secret.defaultMode",
    );
}

#[test]
fn sources() {
    refused(
        &pod(MOUNT, &vol("    hostPath:\n      path: /var/../etc\n")),
        "invalid-path",
        "spec.volumes[0].hostPath.path",
    );
    accepted(&pod(
        MOUNT,
        &vol("    hostPath:\n      path: /var/log\n      type: Directory\n"),
    ));
    refused(
        &pod(MOUNT, &vol("    emptyDir:\n      sizeLimit: -1Gi\n")),
        "invalid-quantity",
        "spec.volumes[0].emptyDir.sizeLimit",
    );
    refused(
        &pod(
            MOUNT,
            &vol("    nfs:\n      server: nfs.local\n      path: exports\n"),
        ),
        "invalid-path",
        "spec.volumes[0].nfs.path",
    );
    refused(
        &pod(MOUNT, &vol("    csi:\n      driver: csi_driver\n")),
        "invalid-name",
        "spec.volumes[0].csi.driver",
    );
    accepted(&pod(
        MOUNT,
        &vol("    csi:\n      driver: Hostpath.CSI.k8s.io\n"),
    ));
    refused(
        &pod(
            MOUNT,
            &vol("    persistentVolumeClaim:\n      claimName: \"\"\n"),
        ),
        "missing-field",
        "spec.volumes[0].persistentVolumeClaim",
    );
    refused(
        &pod(MOUNT, &vol("    image:\n      pullPolicy: Always\n")),
        "missing-field",
        "spec.volumes[0].image",
    );
    refused(
        &pod(
            MOUNT,
            &vol(
                "    ephemeral:\n      volumeClaimTemplate:\n        spec:\n          resources:\n            requests:\n              storage: 1Gi\n",
            ),
        ),
        "missing-access-modes",
        "spec.volumes[0].ephemeral.volumeClaimTemplate.spec",
    );
    // No source at all: the API server makes it an emptyDir; a null source is no source.
    accepted(&pod(
        MOUNT,
        &vol("    emptyDir:\n    configMap:\n      name: conf\n"),
    ));
    accepted(&pod(MOUNT, "  volumes:\n  - name: v\n"));
}

#[test]
fn downward_and_projected() {
    let dw = |item: &str| {
        pod(
            MOUNT,
            &vol(&format!(
                "    downwardAPI:\n      items:\n      - path: info\n{item}"
            )),
        )
    };
    accepted(&dw(
        "        fieldRef:\n          fieldPath: metadata.labels\n",
    ));
    accepted(&dw(
        "        fieldRef:\n          fieldPath: metadata.labels['app']\n",
    ));
    refused(
        &dw("        fieldRef:\n          fieldPath: status.podIP\n"),
        "invalid-value",
        "spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath",
    );
    refused(
        &dw("        resourceFieldRef:\n          resource: limits.cpu\n"),
        "missing-field",
        "spec.volumes[0].downwardAPI.items[0].resourceFieldRef",
    );
    accepted(&dw(
        "        resourceFieldRef:\n          containerName: c\n          resource: limits.memory\n",
    ));
    let pj = |sources: &str| {
        pod(
            MOUNT,
            &vol(&format!("    projected:\n      sources:\n{sources}")),
        )
    };
    accepted(&pj(
        "      - serviceAccountToken:\n          path: token\n          expirationSeconds: 3600\n",
    ));
    refused(
        &pj(
            "      - serviceAccountToken:\n          path: token\n          expirationSeconds: 60\n",
        ),
        "out-of-range",
        "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds",
    );
    refused(
        &pj(
            "      - configMap:\n          name: a\n          items:\n          - key: k\n            path: f\n      - secret:\n          name: b\n          items:\n          - key: k\n            path: f\n",
        ),
        "invalid-path",
        "spec.volumes[0].projected.sources[1].secret.items[0].path",
    );
    refused(
        &pj("      - configMap:\n          name: a\n        secret:\n          name: b\n"),
        "volume-sources",
        "spec.volumes[0].projected.sources[0].secret",
    );
}

#[test]
fn names_inside_sources() {
    refused(
        &pod(
            MOUNT,
            &vol(
                "    csi:\n      driver: csi.example.com\n      nodePublishSecretRef:\n        name: My_Secret\n",
            ),
        ),
        "invalid-name",
        "spec.volumes[0].csi.nodePublishSecretRef.name",
    );
    let eph = "  - name: e\n    ephemeral:\n      volumeClaimTemplate:\n        spec:\n          accessModes: [ReadWriteOnce]\n          resources:\n            requests:\n              storage: 1Gi\n";
    refused(
        &pod(
            MOUNT,
            &format!(
                "{}{eph}",
                vol("    persistentVolumeClaim:\n      claimName: p-e\n")
            ),
        ),
        "invalid-value",
        "spec.volumes[0].persistentVolumeClaim.claimName",
    );
    accepted(&pod(
        MOUNT,
        &format!(
            "{}{eph}",
            vol("    persistentVolumeClaim:\n      claimName: data\n")
        ),
    ));
}
