//! The cases: small Pods built by `pod()` (see there), each with the API server's verdict.

/// An error's code and line.
pub(super) type Expected = Option<(&'static str, u32)>;

/// (name, spec lines, container lines, expected error; `None` for an accepted manifest).
pub(super) const CASES: &[(&str, &str, &str, Expected)] = &[
    (
        "bad-claim-unknown",
        "",
        "    resources:\n      claims:\n      - name: gpu",
        Some(("unknown-claim", 12)),
    ),
    (
        "ok-claim-requests",
        "  resourceClaims:\n  - name: gpu\n    resourceClaimTemplateName: gpu-template",
        "    resources:\n      claims:\n      - name: gpu\n        request: a\n      - name: gpu\n        request: b",
        None,
    ),
    (
        "bad-hostnet-dup",
        "  hostNetwork: true",
        "    ports:\n    - containerPort: 80\n  - name: two\n    image: nginx:1.27\n    ports:\n    - containerPort: 80",
        Some(("host-port-conflict", 15)),
    ),
    (
        "ok-hostnet-init",
        "  hostNetwork: true\n  initContainers:\n  - name: setup\n    image: busybox:1.36\n    ports:\n    - containerPort: 80\n      hostPort: 81",
        "",
        None,
    ),
    (
        "bad-app-restart-lower",
        "",
        "    restartPolicy: always",
        Some(("container-restart-policy", 10)),
    ),
    (
        "bad-apparmor-local-empty",
        "",
        "    securityContext:\n      appArmorProfile:\n        type: Localhost\n        localhostProfile: ' '",
        Some(("security-profile", 13)),
    ),
    (
        "bad-divisor-2",
        "",
        "    env:\n    - name: C\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.memory\n          divisor: 2Mi",
        Some(("invalid-field-ref", 15)),
    ),
    (
        "bad-dup-init-app",
        "  initContainers:\n  - name: app\n    image: busybox:1.36",
        "",
        Some(("duplicate-name", 10)),
    ),
    (
        "bad-envfrom-prefix",
        "",
        "    envFrom:\n    - prefix: A=B\n      configMapRef:\n        name: cfg",
        Some(("invalid-env-name", 11)),
    ),
    (
        "bad-ephemeral",
        "  ephemeralContainers:\n  - name: dbg\n    image: busybox:1.36",
        "",
        Some(("ephemeral-containers", 6)),
    ),
    (
        "bad-exec-empty",
        "",
        "    livenessProbe:\n      exec:\n        command: []",
        Some(("missing-field", 11)),
    ),
    (
        "bad-fieldref-phase",
        "",
        "    env:\n    - name: P\n      valueFrom:\n        fieldRef:\n          fieldPath: status.phase",
        Some(("invalid-field-ref", 14)),
    ),
    (
        "bad-filekeyref",
        "  volumes:\n  - name: cfg\n    configMap:\n      name: cfg",
        "    env:\n    - name: F\n      valueFrom:\n        fileKeyRef:\n          volumeName: cfg\n          path: a.env\n          key: F",
        Some(("invalid-field-ref", 17)),
    ),
    (
        "bad-gpu-fraction",
        "",
        "    resources:\n      limits:\n        example.com/gpu: 500m",
        Some(("invalid-resource-value", 12)),
    ),
    (
        "bad-gpu-nolimit",
        "",
        "    resources:\n      requests:\n        example.com/gpu: 1",
        Some(("request-above-limit", 12)),
    ),
    (
        "bad-header",
        "",
        "    livenessProbe:\n      httpGet:\n        port: 80\n        httpHeaders:\n        - name: X Bad\n          value: v",
        Some(("invalid-header-name", 14)),
    ),
    (
        "bad-hook-two",
        "",
        r#"    lifecycle:
      postStart:
        exec:
          command: ["true"]
        httpGet:
          port: 80"#,
        Some(("lifecycle-handler", 14)),
    ),
    (
        "bad-hostnet-port",
        "  hostNetwork: true",
        "    ports:\n    - containerPort: 80\n      hostPort: 8080",
        Some(("host-network-port", 12)),
    ),
    (
        "bad-hostport-dup",
        "",
        "    ports:\n    - containerPort: 80\n      hostPort: 8080\n  - name: two\n    image: nginx:1.27\n    ports:\n    - containerPort: 81\n      hostPort: 8080",
        Some(("host-port-conflict", 17)),
    ),
    (
        "bad-hugepages-3mi",
        "",
        "    resources:\n      limits:\n        memory: 100Mi\n        hugepages-2Mi: 3Mi",
        Some(("huge-pages", 13)),
    ),
    (
        "bad-hugepages-alone",
        "",
        "    resources:\n      limits:\n        hugepages-2Mi: 4Mi",
        Some(("huge-pages", 10)),
    ),
    (
        "bad-init-probe",
        r#"  initContainers:
  - name: side
    image: busybox:1.36
    readinessProbe:
      exec:
        command: ["true"]"#,
        "",
        Some(("init-container-field", 9)),
    ),
    (
        "bad-keyref-name",
        "",
        "    env:\n    - name: V\n      valueFrom:\n        configMapKeyRef:\n          name: My_Config\n          key: b",
        Some(("invalid-name", 14)),
    ),
    (
        "bad-liveness-st2",
        "",
        "    livenessProbe:\n      tcpSocket:\n        port: 80\n      successThreshold: 2",
        Some(("probe-success-threshold", 13)),
    ),
    (
        "bad-negative-cpu",
        "",
        "    resources:\n      requests:\n        cpu: -1",
        Some(("invalid-resource-value", 12)),
    ),
    (
        "bad-priv-ape",
        "",
        "    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: false",
        Some(("privilege-escalation", 12)),
    ),
    (
        "bad-procmount",
        "",
        "    securityContext:\n      procMount: Unmasked",
        Some(("proc-mount", 11)),
    ),
    (
        "bad-readiness-tgps",
        "",
        "    readinessProbe:\n      tcpSocket:\n        port: 80\n      terminationGracePeriodSeconds: 5",
        Some(("probe-grace-period", 13)),
    ),
    (
        "bad-resize-never",
        "  restartPolicy: Never",
        "    resizePolicy:\n    - resourceName: cpu\n      restartPolicy: RestartContainer",
        Some(("resize-policy", 12)),
    ),
    (
        "bad-restart-rule-action",
        "",
        "    restartPolicy: Never\n    restartPolicyRules:\n    - action: Stop\n      exitCodes:\n        operator: In\n        values: [42]",
        Some(("container-restart-policy", 12)),
    ),
    (
        "bad-runasuser-neg",
        "",
        "    securityContext:\n      runAsUser: -1",
        Some(("invalid-user-id", 11)),
    ),
    (
        "bad-seccomp-type",
        "",
        "    securityContext:\n      seccompProfile:\n        type: runtimedefault",
        Some(("security-profile", 12)),
    ),
    (
        "bad-sleep31",
        "",
        "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 31",
        Some(("sleep-seconds", 13)),
    ),
    (
        "bad-sysadmin-ape",
        "",
        "    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        add: [CAP_SYS_ADMIN]",
        Some(("privilege-escalation", 13)),
    ),
    (
        "bad-valuefrom-two",
        "",
        "    env:\n    - name: V\n      valueFrom:\n        configMapKeyRef:\n          name: a\n          key: b\n        secretKeyRef:\n          name: a\n          key: b",
        Some(("env-value-from-sources", 16)),
    ),
    ("ok-app-onfailure", "", "    restartPolicy: OnFailure", None),
    (
        "ok-divisor-1000m",
        "",
        "    env:\n    - name: C\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.cpu\n          divisor: 1000m",
        None,
    ),
    (
        "ok-fieldref-label",
        "",
        "    env:\n    - name: P\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.labels['app']\n    - name: H\n      valueFrom:\n        fieldRef:\n          fieldPath: spec.host",
        None,
    ),
    (
        "ok-gpu-equal",
        "",
        "    resources:\n      requests:\n        example.com/gpu: 2\n      limits:\n        example.com/gpu: 2",
        None,
    ),
    (
        "ok-hostnet-noport",
        "  hostNetwork: true",
        "    ports:\n    - containerPort: 80",
        None,
    ),
    (
        "ok-hostport-udp",
        "",
        "    ports:\n    - containerPort: 80\n      hostPort: 8080\n    - containerPort: 81\n      hostPort: 8080\n      protocol: UDP",
        None,
    ),
    (
        "ok-init-never",
        "  initContainers:\n  - name: setup\n    image: busybox:1.36\n    restartPolicy: Never",
        "",
        None,
    ),
    (
        "ok-liveness-st0",
        "",
        "    livenessProbe:\n      tcpSocket:\n        port: 80\n      successThreshold: 0",
        None,
    ),
    (
        "ok-native-domain",
        "",
        "    resources:\n      limits:\n        kubernetes.io/foo: 1",
        None,
    ),
    (
        "ok-runasroot-warn",
        "",
        "    securityContext:\n      runAsNonRoot: true\n      runAsUser: 0",
        None,
    ),
    (
        "ok-seccomp-empty",
        "",
        "    securityContext:\n      seccompProfile:\n        type: Localhost\n        localhostProfile: ''",
        None,
    ),
    (
        "ok-sidecar-probe",
        r#"  initContainers:
  - name: side
    image: busybox:1.36
    restartPolicy: Always
    readinessProbe:
      exec:
        command: ["true"]"#,
        "",
        None,
    ),
    (
        "ok-sleep0",
        "",
        "    lifecycle:\n      preStop:\n        sleep:\n          seconds: 0",
        None,
    ),
];
