//! The containers' rules against manifests whose verdicts the real API server (1.36.1) gave:
//! each `bad-` case is refused there (we must say the code given, at the line given), each `ok-`
//! case is accepted there, on a server dry run and a real create (we must not say an error).

use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::SourceFile;
use crate::validate::{Options, validate_workspace};

fn run(text: &str) -> Vec<Diagnostic> {
    validate_workspace(
        &[SourceFile {
            path: "t.yaml".into(),
            text: text.into(),
        }],
        &Options::default(),
    )
}

/// A Pod named `name` with `spec_extra` lines at the top of its spec, and one container `app`
/// with `container_extra` lines after its image (the container starts at line 7 when
/// `spec_extra` is empty).
fn pod(name: &str, spec_extra: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec_extra}\n  containers:\n  - name: app\n    image: nginx:1.27\n{container_extra}\n"
    )
}

/// An error's code and line.
type Expected = Option<(&'static str, u32)>;

/// (name, spec lines, container lines, expected error; `None` for an accepted manifest).
const CASES: &[(&str, &str, &str, Expected)] = &[
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

fn check(name: &str, text: &str, expected: Expected) {
    let diags = run(text);
    let errors: Vec<(&str, u32)> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.as_str(), d.span.line))
        .collect();
    match expected {
        None => assert!(errors.is_empty(), "{name}: {diags:#?}"),
        Some(e) => assert!(
            errors.contains(&e),
            "{name}: expected {e:?}, got {diags:#?}"
        ),
    }
    for d in &diags {
        assert!(
            !d.message.en.is_empty() && !d.message.fr.is_empty() && d.message.en != d.message.fr,
            "{name}: {d:?}"
        );
    }
}

#[test]
fn agrees_with_the_api_server() {
    for (name, spec_extra, container_extra, expected) in CASES {
        check(name, &pod(name, spec_extra, container_extra), *expected);
    }
}

#[test]
fn spaces_around_a_pods_image_but_not_a_templates() {
    let text = pod("bad-image-trailing", "", "").replace("nginx:1.27", "\"nginx:1.27 \"");
    check("bad-image-trailing", &text, Some(("image-whitespace", 9)));
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: \" \"\n";
    check("ok-template-blank-image", deploy, None);
}

#[test]
fn run_as_root_is_a_warning_at_the_user() {
    let text = pod(
        "ok-runasroot-warn",
        "",
        "    securityContext:\n      runAsNonRoot: true\n      runAsUser: 0",
    );
    let d = run(&text);
    assert!(
        d.iter().any(|d| d.code == "run-as-root"
            && d.severity == Severity::Warning
            && d.span.line == 12),
        "{d:#?}"
    );
}

/// A Pod (or, with `template`, a Deployment) whose spec has `pod` as its `resources` and one
/// container with `container` as its own.
fn pod_level(template: bool, pod: &str, container: &str) -> String {
    let spec = format!(
        "resources:\n{pod}\ncontainers:\n- name: app\n  image: nginx\n  resources:\n{container}\n"
    );
    if template {
        let spec = spec.replace('\n', "\n    ");
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  selector:\n    matchLabels:\n      app: w\n  template:\n    metadata:\n      labels:\n        app: w\n    spec:\n      {}\n",
            spec.replace('\n', "\n  ")
        )
    } else {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  {}\n",
            spec.replace('\n', "\n  ")
        )
    }
}

#[test]
fn pod_level_resources() {
    let cpu1 = "  limits:\n    cpu: \"1\"";
    let req2 = "    requests:\n      cpu: \"2\"";
    // The pod's requests default to the containers' sum, above the pod's limit.
    check(
        "pl-a",
        &pod_level(false, cpu1, req2),
        Some(("request-above-limit", 8)),
    );
    // No such default in a template: accepted there.
    check("pl-b", &pod_level(true, cpu1, req2), None);
    let eph = "  requests:\n    ephemeral-storage: 1Gi";
    check(
        "pl-c",
        &pod_level(false, eph, "    {}"),
        Some(("invalid-resource-name", 8)),
    );
    let mem = pod_level(
        false,
        "  limits:\n    memory: 100Mi",
        "    limits:\n      memory: 200Mi",
    );
    check("pl-d", &mem, Some(("request-above-limit", 14)));
    let low = pod_level(
        false,
        "  requests:\n    cpu: 500m",
        "    requests:\n      cpu: \"1\"",
    );
    check("pl-e", &low, Some(("request-above-limit", 8)));
    let above = "  requests:\n    cpu: \"2\"\n  limits:\n    cpu: \"1\"";
    check(
        "pl-f",
        &pod_level(false, above, "    {}"),
        Some(("request-above-limit", 8)),
    );
    check(
        "pl-g",
        &pod_level(false, cpu1, "    limits:\n      cpu: \"2\""),
        Some(("request-above-limit", 14)),
    );
    check(
        "pl-ok",
        &pod_level(false, "  limits:\n    cpu: \"2\"", req2),
        None,
    );
}
