use crate::kinds;
use serde_json::{Value, json};

use super::*;

/// The violations of a Pod with this spec (and these annotations).
fn pod_with(spec: Value, annotations: Value) -> Vec<Violation> {
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": { "name": "p", "annotations": annotations },
        "spec": spec,
    });
    let template = kinds::POD.pods.expect("pods have a template");
    check(&pod, &template)
}

fn pod(spec: Value) -> Vec<Violation> {
    pod_with(spec, json!({}))
}

/// A Pod whose one container has this security context.
fn container_context(context: Value) -> Vec<Violation> {
    pod(json!({ "containers": [{ "name": "c", "image": "x", "securityContext": context }] }))
}

/// `(rule, path)` of each violation.
fn found(violations: &[Violation]) -> Vec<(Rule, &str)> {
    violations
        .iter()
        .map(|v| (v.rule, v.path.as_str()))
        .collect()
}

#[test]
fn a_plain_pod_passes() {
    let spec = json!({
        "containers": [{
            "name": "web", "image": "nginx",
            "ports": [{ "containerPort": 80, "hostPort": 0 }],
            "securityContext": {
                "privileged": false, "allowPrivilegeEscalation": false, "runAsNonRoot": true,
                "capabilities": { "add": ["NET_BIND_SERVICE", "CHOWN"], "drop": ["ALL"] },
                "seccompProfile": { "type": "RuntimeDefault" },
                "appArmorProfile": { "type": "Localhost", "localhostProfile": "k8s" },
                "seLinuxOptions": { "type": "container_t", "level": "s0:c1" },
                "procMount": "Default",
                "windowsOptions": { "hostProcess": false },
            },
            "livenessProbe": { "httpGet": { "path": "/", "port": 80, "host": "" } },
        }],
        "hostNetwork": false, "hostPID": false, "hostIPC": false,
        "volumes": [{ "name": "data", "emptyDir": {} }, { "name": "hp", "hostPath": null }],
        "securityContext": {
            "seccompProfile": { "type": "Localhost", "localhostProfile": "p.json" },
            "sysctls": [{ "name": "net.ipv4.tcp_keepalive_time", "value": "60" }],
            "seLinuxOptions": null,
        },
    });
    let annotations = json!({
        "container.apparmor.security.beta.kubernetes.io/web": "runtime/default",
        "container.apparmor.security.beta.kubernetes.io/side": "localhost/k8s",
        "note": "unconfined",
    });
    assert_eq!(found(&pod_with(spec, annotations)), vec![]);
}

#[test]
fn host_namespaces() {
    let bad =
        pod(json!({ "hostNetwork": true, "hostPID": true, "hostIPC": true, "containers": [] }));
    assert_eq!(
        found(&bad),
        vec![
            (Rule::HostNamespaces, "spec.hostNetwork"),
            (Rule::HostNamespaces, "spec.hostPID"),
            (Rule::HostNamespaces, "spec.hostIPC"),
        ]
    );
}

#[test]
fn host_process() {
    let bad = pod(json!({
        "securityContext": { "windowsOptions": { "hostProcess": true } },
        "containers": [{ "name": "c", "securityContext": { "windowsOptions": { "hostProcess": true } } }],
    }));
    assert_eq!(
        found(&bad),
        vec![
            (
                Rule::HostProcess,
                "spec.securityContext.windowsOptions.hostProcess"
            ),
            (
                Rule::HostProcess,
                "spec.containers[0].securityContext.windowsOptions.hostProcess"
            ),
        ]
    );
}

#[test]
fn privileged_in_every_kind_of_container() {
    let bad = pod(json!({
        "initContainers": [{ "name": "i", "securityContext": { "privileged": true } }],
        "containers": [
            { "name": "ok", "securityContext": { "privileged": false } },
            { "name": "c", "securityContext": { "privileged": true } },
        ],
        "ephemeralContainers": [{ "name": "e", "securityContext": { "privileged": true } }],
    }));
    assert_eq!(
        found(&bad),
        vec![
            (
                Rule::Privileged,
                "spec.initContainers[0].securityContext.privileged"
            ),
            (
                Rule::Privileged,
                "spec.containers[1].securityContext.privileged"
            ),
            (
                Rule::Privileged,
                "spec.ephemeralContainers[0].securityContext.privileged"
            ),
        ]
    );
}

#[test]
fn capabilities_beyond_the_default_set() {
    for allowed in CAPABILITIES {
        assert!(container_context(json!({ "capabilities": { "add": [allowed] } })).is_empty());
    }
    let bad =
        container_context(json!({ "capabilities": { "add": ["CHOWN", "NET_RAW", "SYS_ADMIN"] } }));
    assert_eq!(
        found(&bad),
        vec![
            (
                Rule::Capabilities,
                "spec.containers[0].securityContext.capabilities.add[1]"
            ),
            (
                Rule::Capabilities,
                "spec.containers[0].securityContext.capabilities.add[2]"
            ),
        ]
    );
    assert_eq!(bad[1].value, "SYS_ADMIN");
    // Dropping is always allowed, and names are exact (no `CAP_` prefix, no lower case).
    assert!(container_context(json!({ "capabilities": { "drop": ["ALL"] } })).is_empty());
    assert_eq!(
        container_context(json!({ "capabilities": { "add": ["chown"] } })).len(),
        1
    );
}

#[test]
fn host_path_volumes() {
    let bad = pod(json!({ "volumes": [
        { "name": "a", "emptyDir": {} },
        { "name": "root", "hostPath": { "path": "/" } },
    ]}));
    assert_eq!(
        found(&bad),
        vec![(Rule::HostPathVolumes, "spec.volumes[1].hostPath")]
    );
    assert_eq!(bad[0].value, "/");
}

#[test]
fn host_ports() {
    let bad = pod(json!({ "containers": [{ "name": "c", "ports": [
        { "containerPort": 80 },
        { "containerPort": 443, "hostPort": 443 },
    ]}]}));
    assert_eq!(
        found(&bad),
        vec![(Rule::HostPorts, "spec.containers[0].ports[1].hostPort")]
    );
    assert_eq!(bad[0].value, "443");
}

#[test]
fn probe_and_lifecycle_hosts() {
    let bad = pod(json!({ "containers": [{
        "name": "c",
        "livenessProbe": { "httpGet": { "port": 80, "host": "10.0.0.1" } },
        "readinessProbe": { "tcpSocket": { "port": 80, "host": "" } },
        "startupProbe": { "tcpSocket": { "port": 80, "host": "metadata" } },
        "lifecycle": { "preStop": { "httpGet": { "port": 80, "host": "example.com" } } },
    }]}));
    assert_eq!(
        found(&bad),
        vec![
            (
                Rule::ProbeHost,
                "spec.containers[0].livenessProbe.httpGet.host"
            ),
            (
                Rule::ProbeHost,
                "spec.containers[0].startupProbe.tcpSocket.host"
            ),
            (
                Rule::ProbeHost,
                "spec.containers[0].lifecycle.preStop.httpGet.host"
            ),
        ]
    );
}

#[test]
fn apparmor_fields_and_annotations() {
    for allowed in ["RuntimeDefault", "Localhost"] {
        assert!(container_context(json!({ "appArmorProfile": { "type": allowed } })).is_empty());
    }
    let bad = container_context(json!({ "appArmorProfile": { "type": "Unconfined" } }));
    assert_eq!(
        found(&bad),
        vec![(
            Rule::AppArmor,
            "spec.containers[0].securityContext.appArmorProfile.type"
        )]
    );
    // A profile without a type is no profile the API server allows either.
    assert_eq!(container_context(json!({ "appArmorProfile": {} })).len(), 1);
    let pod_level =
        pod(json!({ "securityContext": { "appArmorProfile": { "type": "Unconfined" } } }));
    assert_eq!(
        pod_level[0].path,
        "spec.securityContext.appArmorProfile.type"
    );
    let annotated = pod_with(
        json!({ "containers": [{ "name": "web" }] }),
        json!({ "container.apparmor.security.beta.kubernetes.io/web": "unconfined" }),
    );
    assert_eq!(
        found(&annotated),
        vec![(
            Rule::AppArmor,
            "metadata.annotations[container.apparmor.security.beta.kubernetes.io/web]"
        )]
    );
}

#[test]
fn selinux_options() {
    for allowed in SELINUX_TYPES {
        assert!(container_context(json!({ "seLinuxOptions": { "type": allowed } })).is_empty());
    }
    assert!(container_context(json!({ "seLinuxOptions": { "level": "s0:c1,c2" } })).is_empty());
    let bad = container_context(
        json!({ "seLinuxOptions": { "type": "spc_t", "user": "system_u", "role": "" } }),
    );
    assert_eq!(
        found(&bad),
        vec![
            (
                Rule::SeLinux,
                "spec.containers[0].securityContext.seLinuxOptions.type"
            ),
            (
                Rule::SeLinux,
                "spec.containers[0].securityContext.seLinuxOptions.user"
            ),
        ]
    );
    let role = pod(json!({ "securityContext": { "seLinuxOptions": { "role": "sysadm_r" } } }));
    assert_eq!(
        found(&role),
        vec![(Rule::SeLinux, "spec.securityContext.seLinuxOptions.role")]
    );
}

#[test]
fn proc_mount_unless_in_a_user_namespace() {
    assert!(container_context(json!({ "procMount": "Default" })).is_empty());
    let bad = container_context(json!({ "procMount": "Unmasked" }));
    assert_eq!(
        found(&bad),
        vec![(
            Rule::ProcMount,
            "spec.containers[0].securityContext.procMount"
        )]
    );
    let user_namespace = pod(json!({
        "hostUsers": false,
        "containers": [{ "name": "c", "securityContext": { "procMount": "Unmasked" } }],
    }));
    assert!(user_namespace.is_empty());
}

#[test]
fn seccomp_profiles() {
    for allowed in ["RuntimeDefault", "Localhost"] {
        assert!(container_context(json!({ "seccompProfile": { "type": allowed } })).is_empty());
    }
    let bad = pod(json!({
        "securityContext": { "seccompProfile": { "type": "Unconfined" } },
        "containers": [{ "name": "c", "securityContext": { "seccompProfile": { "type": "Unconfined" } } }],
    }));
    assert_eq!(
        found(&bad),
        vec![
            (Rule::Seccomp, "spec.securityContext.seccompProfile.type"),
            (
                Rule::Seccomp,
                "spec.containers[0].securityContext.seccompProfile.type"
            ),
        ]
    );
}

#[test]
fn sysctls_outside_the_safe_list() {
    for allowed in SYSCTLS {
        let spec = json!({ "securityContext": { "sysctls": [{ "name": allowed, "value": "1" }] } });
        assert!(pod(spec).is_empty(), "{allowed}");
    }
    let bad = pod(json!({ "securityContext": { "sysctls": [
        { "name": "kernel.shm_rmid_forced", "value": "1" },
        { "name": "kernel.msgmax", "value": "1" },
    ]}}));
    assert_eq!(
        found(&bad),
        vec![(Rule::Sysctls, "spec.securityContext.sysctls[1].name")]
    );
}

#[test]
fn workload_templates_are_checked_where_they_are() {
    let spec =
        json!({ "containers": [{ "name": "c", "securityContext": { "privileged": true } }] });
    let deployment = json!({ "spec": { "template": { "spec": spec } } });
    let template = kinds::DEPLOYMENT.pods.expect("template");
    assert_eq!(
        check(&deployment, &template)[0].path,
        "spec.template.spec.containers[0].securityContext.privileged"
    );
    let cron_job = json!({ "spec": { "jobTemplate": { "spec": { "template": {
        "metadata": { "annotations": { "container.apparmor.security.beta.kubernetes.io/c": "unconfined" } },
        "spec": { "hostPID": true },
    }}}}});
    let template = kinds::CRON_JOB.pods.expect("template");
    assert_eq!(
        found(&check(&cron_job, &template)),
        vec![
            (
                Rule::HostNamespaces,
                "spec.jobTemplate.spec.template.spec.hostPID"
            ),
            (
                Rule::AppArmor,
                "spec.jobTemplate.spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]"
            ),
        ]
    );
}

#[test]
fn messages_say_what_and_how_in_both_languages() {
    let bad = pod(json!({ "volumes": [{ "name": "root", "hostPath": { "path": "/" } }] }));
    let text = bad[0].message();
    assert!(text.en.contains("baseline") && text.en.contains("spec.volumes[0].hostPath"));
    assert!(text.en.contains("emptyDir"), "{}", text.en);
    assert!(
        text.fr.contains("interdit") && text.fr.contains("emptyDir"),
        "{}",
        text.fr
    );
}
