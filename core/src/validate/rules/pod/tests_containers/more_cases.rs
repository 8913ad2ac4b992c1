//! More cases, in the same form as `cases.rs`: handler ports and grace periods, downward API
//! versions and keys, divisors, resize and restart policies, security profiles, resources.

use super::cases::Expected;

pub(super) const MORE_CASES: &[(&str, &str, &str, Expected)] = &[
    (
        "bad-liveness-tgps0",
        "",
        "    livenessProbe:\n      tcpSocket:\n        port: 80\n      terminationGracePeriodSeconds: 0",
        Some(("probe-grace-period", 13)),
    ),
    (
        "bad-grpc-port0",
        "",
        "    livenessProbe:\n      grpc:\n        port: 0",
        Some(("invalid-port", 12)),
    ),
    (
        "bad-fieldref-v2",
        "",
        "    env:\n    - name: NAME\n      valueFrom:\n        fieldRef:\n          apiVersion: v2\n          fieldPath: metadata.name",
        Some(("invalid-value", 14)),
    ),
    (
        "bad-envfrom-noname",
        "",
        "    envFrom:\n    - configMapRef: {}",
        Some(("missing-field", 11)),
    ),
    (
        "bad-divisor-cpu2",
        "",
        "    env:\n    - name: C\n      valueFrom:\n        resourceFieldRef:\n          resource: requests.cpu\n          divisor: \"2\"",
        Some(("invalid-field-ref", 15)),
    ),
    (
        "bad-resize-dup",
        "",
        "    resizePolicy:\n    - resourceName: cpu\n      restartPolicy: NotRequired\n    - resourceName: cpu\n      restartPolicy: NotRequired",
        Some(("resize-policy", 13)),
    ),
    (
        "bad-resize-gpu",
        "",
        "    resizePolicy:\n    - resourceName: gpu\n      restartPolicy: NotRequired",
        Some(("resize-policy", 11)),
    ),
    (
        "bad-init-resize-restart",
        "  initContainers:\n  - name: setup\n    image: busybox:1.36\n    resizePolicy:\n    - resourceName: cpu\n      restartPolicy: RestartContainer",
        "",
        Some(("resize-policy", 11)),
    ),
    (
        "bad-rules-no-policy",
        "",
        "    restartPolicyRules:\n    - action: Restart\n      exitCodes:\n        operator: In\n        values: [1]",
        Some(("container-restart-policy", 10)),
    ),
    (
        "bad-seccomp-local-missing",
        "",
        "    securityContext:\n      seccompProfile:\n        type: Localhost",
        Some(("security-profile", 11)),
    ),
    (
        "bad-seccomp-default-local",
        "",
        "    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n        localhostProfile: x.json",
        Some(("security-profile", 13)),
    ),
    (
        "bad-seccomp-abs",
        "",
        "    securityContext:\n      seccompProfile:\n        type: Localhost\n        localhostProfile: /etc/x.json",
        Some(("security-profile", 13)),
    ),
    (
        "bad-apparmor-local-missing",
        "",
        "    securityContext:\n      appArmorProfile:\n        type: Localhost",
        Some(("security-profile", 11)),
    ),
    (
        "bad-runasgroup-big",
        "",
        "    securityContext:\n      runAsGroup: 3000000000",
        Some(("invalid-user-id", 11)),
    ),
    (
        "bad-hugepages-req-only",
        "",
        "    resources:\n      requests:\n        memory: 10Mi\n        hugepages-2Mi: 4Mi",
        Some(("request-above-limit", 13)),
    ),
    (
        "bad-gpu-unequal",
        "",
        "    resources:\n      requests:\n        example.com/gpu: 1\n      limits:\n        example.com/gpu: 2",
        Some(("request-above-limit", 12)),
    ),
    (
        "bad-resource-pods",
        "",
        "    resources:\n      limits:\n        pods: 1",
        Some(("invalid-resource-name", 12)),
    ),
    (
        "ok-httpget-empty-path",
        "",
        "    readinessProbe:\n      httpGet:\n        path: \"\"\n        port: 80",
        None,
    ),
    (
        "ok-sleep-long-grace",
        "  terminationGracePeriodSeconds: 60",
        "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 45",
        None,
    ),
    (
        "bad-valuefrom-empty",
        "",
        "    env:\n    - name: E\n      valueFrom: {}",
        Some(("env-value-from-sources", 12)),
    ),
    (
        "bad-probe-none",
        "",
        "    livenessProbe:\n      periodSeconds: 5",
        Some(("probe-handler", 10)),
    ),
    (
        "ok-annotation-upper",
        "",
        "    env:\n    - name: A\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.annotations['Example.com/Key']",
        None,
    ),
    (
        "bad-fieldref-label-bad",
        "",
        "    env:\n    - name: A\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.labels['a b']",
        Some(("invalid-field-ref", 14)),
    ),
    (
        "ok-valuefrom-empty-value",
        "",
        "    env:\n    - name: E\n      value: \"\"\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.name",
        None,
    ),
];
