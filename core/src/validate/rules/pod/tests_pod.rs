//! The pod's own fields: scheduling, DNS, host namespaces, security context, OS.

use super::tests_volumes::{accepted, pod, refused};

fn spec(lines: &str) -> String {
    pod("", lines)
}

#[test]
fn tolerations() {
    accepted(&spec(
        "  tolerations:\n  - key: gpu\n    operator: Exists\n    effect: NoSchedule\n",
    ));
    accepted(&spec("  tolerations:\n  - operator: Exists\n"));
    refused(
        &spec("  tolerations:\n  - effect: NoSchedule\n"),
        "toleration",
        "spec.tolerations[0]",
    );
    refused(
        &spec("  tolerations:\n  - key: gpu\n    operator: Exists\n    value: \"yes\"\n"),
        "toleration",
        "spec.tolerations[0].value",
    );
    refused(
        &spec(
            "  tolerations:\n  - key: gpu\n    value: a\n    effect: NoSchedule\n    tolerationSeconds: 30\n",
        ),
        "toleration",
        "spec.tolerations[0].effect",
    );
    refused(
        &spec("  tolerations:\n  - key: gpu\n    value: a b\n"),
        "invalid-label-value",
        "spec.tolerations[0].value",
    );
}

#[test]
fn topology_spread() {
    let c = |extra: &str| {
        spec(&format!(
            "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n{extra}"
        ))
    };
    accepted(&c(
        "    minDomains: 2\n    labelSelector:\n      matchLabels:\n        app: web\n",
    ));
    refused(
        &spec(
            "  topologySpreadConstraints:\n  - maxSkew: 0\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n",
        ),
        "topology-spread",
        "spec.topologySpreadConstraints[0].maxSkew",
    );
    refused(
        &spec(
            "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: doNotSchedule\n",
        ),
        "invalid-value",
        "spec.topologySpreadConstraints[0].whenUnsatisfiable",
    );
    refused(
        &spec(
            "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: ScheduleAnyway\n    minDomains: 2\n",
        ),
        "topology-spread",
        "spec.topologySpreadConstraints[0].minDomains",
    );
    refused(
        &c("  - maxSkew: 2\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n"),
        "topology-spread",
        "spec.topologySpreadConstraints[1].topologyKey",
    );
    refused(
        &c("    matchLabelKeys:\n    - pod-template-hash\n"),
        "missing-selector",
        "spec.topologySpreadConstraints[0].matchLabelKeys",
    );
}

#[test]
fn affinity() {
    let node = |req: &str| {
        spec(&format!(
            "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - key: disk\n{req}"
        ))
    };
    accepted(&node(
        "            operator: In\n            values: [ssd]\n",
    ));
    refused(
        &node("            operator: In\n"),
        "selector-operator",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator",
    );
    refused(
        &node("            operator: Exists\n            values: [ssd]\n"),
        "selector-operator",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
    );
    refused(
        &node("            operator: Gt\n            values: [\"1\", \"2\"]\n"),
        "selector-operator",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
    );
    let pod_aff = |term: &str| {
        spec(&format!(
            "  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: {term}"
        ))
    };
    accepted(&pod_aff(
        "100\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n          labelSelector:\n            matchLabels:\n              app: web\n",
    ));
    refused(
        &pod_aff("0\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n"),
        "out-of-range",
        "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
    );
    refused(
        &pod_aff("10\n        podAffinityTerm:\n          topologyKey: \"\"\n"),
        "missing-field",
        "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey",
    );
    refused(
        &spec(
            "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchFields:\n          - key: metadata.name\n            operator: In\n            values: [Node_1]\n",
        ),
        "invalid-name",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]",
    );
    refused(
        &spec("  nodeSelector:\n    disk: fast ssd\n"),
        "invalid-label-value",
        "spec.nodeSelector.disk",
    );
}

#[test]
fn dns_and_host() {
    refused(
        &spec("  dnsConfig:\n    nameservers: [10.0.0.010]\n"),
        "invalid-ip",
        "spec.dnsConfig.nameservers[0]",
    );
    accepted(&spec(
        "  dnsConfig:\n    nameservers: [\"2001:db8::1\"]\n    searches: [\".\"]\n",
    ));
    refused(&spec("  dnsPolicy: None\n"), "dns-config", "spec.dnsPolicy");
    accepted(&spec(
        "  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.1.1.1]\n    searches: [svc.cluster.local, my_domain.local.]\n",
    ));
    refused(
        &spec("  dnsConfig:\n    nameservers: [dns.local]\n"),
        "invalid-ip",
        "spec.dnsConfig.nameservers[0]",
    );
    refused(
        &spec("  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1]\n"),
        "dns-config",
        "spec.dnsConfig.nameservers",
    );
    refused(
        &spec("  hostAliases:\n  - ip: 10.0.0.300\n    hostnames: [db]\n"),
        "invalid-ip",
        "spec.hostAliases[0].ip",
    );
    refused(
        &spec("  hostAliases:\n  - ip: 10.0.0.3\n    hostnames: [DB]\n"),
        "invalid-name",
        "spec.hostAliases[0].hostnames[0]",
    );
    refused(
        &spec("  hostname: my.host\n"),
        "invalid-name",
        "spec.hostname",
    );
    refused(
        &spec("  serviceAccountName: My_SA\n"),
        "invalid-name",
        "spec.serviceAccountName",
    );
    refused(
        &spec("  activeDeadlineSeconds: 0\n"),
        "out-of-range",
        "spec.activeDeadlineSeconds",
    );
    refused(
        &spec("  hostPID: true\n  shareProcessNamespace: true\n"),
        "host-namespaces",
        "spec.shareProcessNamespace",
    );
    refused(
        &spec("  hostUsers: false\n  hostNetwork: true\n"),
        "host-namespaces",
        "spec.hostNetwork",
    );
    refused(
        &pod(
            "    ports:\n    - containerPort: 80\n      hostPort: 8080\n",
            "  hostNetwork: true\n",
        ),
        "host-network-port",
        "spec.containers[0].ports[0].hostPort",
    );
    accepted(&pod(
        "    ports:\n    - containerPort: 80\n",
        "  hostNetwork: true\n",
    ));
    refused(
        &spec("  schedulingGates:\n  - name: a\n  - name: a\n"),
        "duplicate-name",
        "spec.schedulingGates[1].name",
    );
}

#[test]
fn security_context_and_os() {
    accepted(&spec(
        "  securityContext:\n    runAsUser: 1000\n    fsGroup: 2000\n    sysctls:\n    - name: net.core.somaxconn\n      value: \"1024\"\n",
    ));
    refused(
        &spec("  securityContext:\n    runAsUser: -1\n"),
        "out-of-range",
        "spec.securityContext.runAsUser",
    );
    refused(
        &spec("  securityContext:\n    supplementalGroups: [-5]\n"),
        "out-of-range",
        "spec.securityContext.supplementalGroups[0]",
    );
    refused(
        &spec("  securityContext:\n    sysctls:\n    - name: Net.Core\n      value: \"1\"\n"),
        "invalid-sysctl",
        "spec.securityContext.sysctls[0].name",
    );
    refused(
        &spec(
            "  hostNetwork: true\n  securityContext:\n    sysctls:\n    - name: net.core.somaxconn\n      value: \"1\"\n",
        ),
        "invalid-sysctl",
        "spec.securityContext.sysctls[0].name",
    );
    refused(
        &spec("  securityContext:\n    fsGroupChangePolicy: always\n"),
        "invalid-value",
        "spec.securityContext.fsGroupChangePolicy",
    );
    refused(
        &spec("  securityContext:\n    seccompProfile:\n      type: Localhost\n"),
        "security-profile",
        "spec.securityContext.seccompProfile.type",
    );
    refused(
        &spec(
            "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n      localhostProfile: p.json\n",
        ),
        "security-profile",
        "spec.securityContext.seccompProfile.localhostProfile",
    );
    refused(
        &spec("  os:\n    name: Linux\n"),
        "invalid-value",
        "spec.os.name",
    );
    refused(
        &spec("  os:\n    name: windows\n  securityContext:\n    runAsUser: 1000\n"),
        "invalid-value",
        "spec.securityContext.runAsUser",
    );
}

fn annotated(annotation: &str, spec_lines: &str) -> String {
    spec(spec_lines).replace(
        "  name: p\n",
        &format!("  name: p\n  annotations:\n    {annotation}\n"),
    )
}

#[test]
fn pod_annotations_and_create() {
    let cost = "controller.kubernetes.io/pod-deletion-cost";
    accepted(&annotated(&format!("{cost}: \"-10\""), ""));
    refused(
        &annotated(&format!("{cost}: \"+10\""), ""),
        "invalid-value",
        &format!("metadata.annotations[{cost}]"),
    );
    let aa = "container.apparmor.security.beta.kubernetes.io";
    accepted(&annotated(&format!("{aa}/c: runtime/default"), ""));
    refused(
        &annotated(&format!("{aa}/web: runtime/default"), ""),
        "security-profile",
        &format!("metadata.annotations[{aa}/web]"),
    );
    refused(
        &annotated("seccomp.security.alpha.kubernetes.io/pod: default", ""),
        "security-profile",
        "metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]",
    );
    refused(
        &spec("  ephemeralContainers:\n  - name: dbg\n    image: busybox:1.36\n"),
        "ephemeral-containers",
        "spec.ephemeralContainers",
    );
    refused(
        &spec("  nodeName: n1\n  schedulingGates:\n  - name: example.com/wait\n"),
        "invalid-value",
        "spec.nodeName",
    );
}

#[test]
fn fields_each_os_forbids() {
    let win = |container: &str, spec_lines: &str| {
        pod(
            container,
            &format!("  os:\n    name: windows\n{spec_lines}"),
        )
    };
    refused(
        &win("    securityContext:\n      privileged: false\n", ""),
        "invalid-value",
        "spec.containers[0].securityContext.privileged",
    );
    accepted(&win("    securityContext:\n      privileged:\n", ""));
    accepted(&win(
        "    securityContext:\n      windowsOptions:\n        runAsUserName: ContainerUser\n",
        "",
    ));
    refused(
        &win(
            "",
            "  securityContext:\n    seLinuxChangePolicy: Recursive\n",
        ),
        "invalid-value",
        "spec.securityContext.seLinuxChangePolicy",
    );
    refused(
        &pod(
            "    securityContext:\n      windowsOptions:\n        runAsUserName: x\n",
            "  os:\n    name: linux\n",
        ),
        "invalid-value",
        "spec.containers[0].securityContext.windowsOptions",
    );
}
