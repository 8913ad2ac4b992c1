//! The Pod Security Standards' `baseline` level, as the API server's PodSecurity admission
//! checks it for Kubernetes 1.36, applied to the pods an object makes: a Pod's own spec, or the
//! pod template of a Deployment, ReplicaSet, Job or CronJob. Init and ephemeral containers are
//! checked as the others.
//!
//! Each check reads the manifest as written (JSON from the YAML): a field that is absent or
//! `null` is allowed, as the API server sees an unset pointer.

use crate::kinds::PodTemplate;
use serde_json::Value;

mod explain;

/// Capabilities a container may add: the container runtime's default set.
pub const CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Sysctls isolated from the node and the other pods.
pub const SYSCTLS: [&str; 12] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// SELinux types a pod or container may ask for (`""`: the runtime's own).
const SELINUX_TYPES: [&str; 5] = [
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// The annotation prefix of the older, per-container way to choose an AppArmor profile.
const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

/// The containers of a pod spec, in the order the API server visits them.
const CONTAINER_LISTS: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

/// One rule of the baseline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    HostProcess,
    HostNamespaces,
    Privileged,
    Capabilities,
    HostPathVolumes,
    HostPorts,
    ProbeHost,
    AppArmor,
    SeLinux,
    ProcMount,
    Seccomp,
    Sysctls,
}

/// A field of the manifest that the baseline level forbids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    /// The object path, with indices (`spec.template.spec.containers[0].securityContext.privileged`).
    pub path: String,
    /// The value written there, as text.
    pub value: String,
}

/// Every field of the pods `object` makes that the baseline level forbids, pod-level first.
pub fn check(object: &Value, template: &PodTemplate) -> Vec<Violation> {
    let spec_path = template.spec;
    let meta_path = template
        .labels
        .strip_suffix(".labels")
        .unwrap_or(template.labels);
    let spec = at(object, spec_path);
    let mut found = Found::default();
    pod(spec, spec_path, &mut found);
    annotations(at(object, meta_path), meta_path, &mut found);
    let user_namespace = spec["hostUsers"] == Value::Bool(false);
    for list in CONTAINER_LISTS {
        let items = spec[list].as_array().map(Vec::as_slice).unwrap_or_default();
        for (i, one) in items.iter().enumerate() {
            container(
                one,
                &format!("{spec_path}.{list}[{i}]"),
                user_namespace,
                &mut found,
            );
        }
    }
    found.0
}

#[derive(Default)]
struct Found(Vec<Violation>);

impl Found {
    fn add(&mut self, rule: Rule, path: String, value: &Value) {
        let value = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        self.0.push(Violation { rule, path, value });
    }

    /// `value` at `path` is set to `true`.
    fn if_true(&mut self, rule: Rule, path: String, value: &Value) {
        if value == &Value::Bool(true) {
            self.add(rule, path, value);
        }
    }
}

/// The pod-level fields: host namespaces, volumes, the pod's security context.
fn pod(spec: &Value, path: &str, found: &mut Found) {
    for namespace in ["hostNetwork", "hostPID", "hostIPC"] {
        let field = &spec[namespace];
        found.if_true(Rule::HostNamespaces, format!("{path}.{namespace}"), field);
    }
    let volumes = spec["volumes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, volume) in volumes.iter().enumerate() {
        if set(&volume["hostPath"]) {
            let at = format!("{path}.volumes[{i}].hostPath");
            found.add(Rule::HostPathVolumes, at, &volume["hostPath"]["path"]);
        }
    }
    let context = &spec["securityContext"];
    let context_path = format!("{path}.securityContext");
    security_context(context, &context_path, found);
    let sysctls = context["sysctls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, sysctl) in sysctls.iter().enumerate() {
        let name = &sysctl["name"];
        if !name.as_str().is_some_and(|n| SYSCTLS.contains(&n)) {
            found.add(
                Rule::Sysctls,
                format!("{context_path}.sysctls[{i}].name"),
                name,
            );
        }
    }
}

/// The AppArmor annotations of the pod's metadata.
fn annotations(metadata: &Value, path: &str, found: &mut Found) {
    let Some(annotations) = metadata["annotations"].as_object() else {
        return;
    };
    for (key, value) in annotations {
        let allowed = value
            .as_str()
            .is_some_and(|v| v.is_empty() || v == "runtime/default" || v.starts_with("localhost/"));
        if key.starts_with(APPARMOR_ANNOTATION) && !allowed {
            found.add(Rule::AppArmor, format!("{path}.annotations[{key}]"), value);
        }
    }
}

/// One container's fields.
fn container(one: &Value, path: &str, user_namespace: bool, found: &mut Found) {
    let context = &one["securityContext"];
    let context_path = format!("{path}.securityContext");
    security_context(context, &context_path, found);
    let privileged = &context["privileged"];
    found.if_true(
        Rule::Privileged,
        format!("{context_path}.privileged"),
        privileged,
    );
    let added = context["capabilities"]["add"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, capability) in added.iter().enumerate() {
        if !capability
            .as_str()
            .is_some_and(|c| CAPABILITIES.contains(&c))
        {
            let at = format!("{context_path}.capabilities.add[{i}]");
            found.add(Rule::Capabilities, at, capability);
        }
    }
    let proc_mount = &context["procMount"];
    if !user_namespace && set(proc_mount) && proc_mount.as_str() != Some("Default") {
        found.add(
            Rule::ProcMount,
            format!("{context_path}.procMount"),
            proc_mount,
        );
    }
    let ports = one["ports"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, port) in ports.iter().enumerate() {
        let host_port = &port["hostPort"];
        if set(host_port) && host_port.as_f64() != Some(0.0) {
            found.add(
                Rule::HostPorts,
                format!("{path}.ports[{i}].hostPort"),
                host_port,
            );
        }
    }
    let handlers = [
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "lifecycle.postStart",
        "lifecycle.preStop",
    ];
    for handler in handlers {
        for action in ["httpGet", "tcpSocket"] {
            let host = &at(one, handler)[action]["host"];
            if set(host) && host.as_str() != Some("") {
                found.add(
                    Rule::ProbeHost,
                    format!("{path}.{handler}.{action}.host"),
                    host,
                );
            }
        }
    }
}

/// What pods and containers share: Windows HostProcess, AppArmor, SELinux, seccomp.
fn security_context(context: &Value, path: &str, found: &mut Found) {
    let host_process = &context["windowsOptions"]["hostProcess"];
    let at = format!("{path}.windowsOptions.hostProcess");
    found.if_true(Rule::HostProcess, at, host_process);
    for (field, rule) in [
        ("appArmorProfile", Rule::AppArmor),
        ("seccompProfile", Rule::Seccomp),
    ] {
        let kind = &context[field]["type"];
        let allowed = matches!(kind.as_str(), Some("RuntimeDefault" | "Localhost"));
        if set(&context[field]) && !allowed {
            found.add(rule, format!("{path}.{field}.type"), kind);
        }
    }
    let selinux = &context["seLinuxOptions"];
    if set(selinux) {
        let kind = &selinux["type"];
        let type_allowed = !set(kind) || kind.as_str().is_some_and(|t| SELINUX_TYPES.contains(&t));
        if !type_allowed {
            found.add(Rule::SeLinux, format!("{path}.seLinuxOptions.type"), kind);
        }
        for field in ["user", "role"] {
            let value = &selinux[field];
            if set(value) && value.as_str() != Some("") {
                found.add(
                    Rule::SeLinux,
                    format!("{path}.seLinuxOptions.{field}"),
                    value,
                );
            }
        }
    }
}

/// The value at a dotted path (no indices), `Null` when absent.
fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |here, field| &here[field])
}

fn set(value: &Value) -> bool {
    !value.is_null()
}

#[cfg(test)]
#[path = "baseline_tests.rs"]
mod tests;
