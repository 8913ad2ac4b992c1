//! One test per rule: a small manifest, the code expected (or not), and where.

use super::testing::{error_lines as errors, run};
use super::*;

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8000
";

fn has(text: &str, code: &str, line: u32) {
    let d = run(text);
    assert!(
        d.iter().any(|d| d.code == code && d.span.line == line),
        "expected {code} at line {line}, got {d:#?}"
    );
    let x = d.iter().find(|d| d.code == code).expect("found");
    assert!(!x.message.en.is_empty() && !x.message.fr.is_empty() && x.message.en != x.message.fr);
}

fn deploy_with(extra_container_lines: &str) -> String {
    format!("{DEPLOY}{extra_container_lines}")
}

#[test]
fn valid_deployment_has_no_errors() {
    assert!(errors(DEPLOY).is_empty(), "{:?}", run(DEPLOY));
}

#[test]
fn unknown_field_with_suggestion() {
    let t = DEPLOY.replace("      containers:", "      contianers:");
    has(&t, "unknown-field", 14);
    let d = run(&t);
    assert!(
        d.iter()
            .any(|d| d.message.en.contains("Did you mean `containers`"))
    );
}

#[test]
fn number_where_a_string_is_due() {
    let t = deploy_with("        env:\n        - name: PORT\n          value: 8000\n");
    has(&t, "wrong-type", 21);
    let d = run(&t);
    let x = d.iter().find(|d| d.code == "wrong-type").expect("type");
    assert_eq!(x.path, "spec.template.spec.containers[0].env[0].value");
    assert_eq!((x.span.column, x.span.end_column), (18, 22));
    assert!(x.message.fr.contains("\"8000\""));
}

#[test]
fn yaml_1_1_booleans_are_not_strings() {
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DEBUG: yes\n",
        "wrong-type",
        6,
    );
    assert!(
        errors("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DEBUG: \"yes\"\n")
            .is_empty()
    );
}

#[test]
fn label_values_must_be_strings_and_valid() {
    has(
        &DEPLOY.replace(
            "      labels:\n        app: web",
            "      labels:\n        app: web\n        version: 1.0",
        ),
        "wrong-type",
        13,
    );
    has(
        &DEPLOY.replace(
            "  name: web\n",
            "  name: web\n  labels:\n    team: \"a b\"\n",
        ),
        "invalid-label-value",
        6,
    );
    has(
        &DEPLOY.replace(
            "  name: web\n",
            "  name: web\n  labels:\n    \"bad key!\": x\n",
        ),
        "invalid-label-key",
        6,
    );
}

#[test]
fn enumerations() {
    has(
        &deploy_with("        imagePullPolicy: always\n"),
        "invalid-value",
        19,
    );
    has(
        &DEPLOY.replace(
            "    spec:\n      containers",
            "    spec:\n      restartPolicy: Never\n      containers",
        ),
        "invalid-restart-policy",
        14,
    );
}

#[test]
fn quantities() {
    has(
        &deploy_with("        resources:\n          limits:\n            memory: 1GB\n"),
        "invalid-quantity",
        21,
    );
    has(
        &deploy_with(
            "        resources:\n          requests:\n            cpu: 2\n          limits:\n            cpu: 500m\n",
        ),
        "request-above-limit",
        21,
    );
}

#[test]
fn missing_required_and_selector_rules() {
    has(
        &DEPLOY.replace("        image: nginx:1.27\n", ""),
        "missing-image",
        15,
    );
    has(
        &DEPLOY.replace(
            "        app: web\n    spec:",
            "        app: other\n    spec:",
        ),
        "selector-mismatch",
        6,
    );
    let no_sel = DEPLOY.replace("  selector:\n    matchLabels:\n      app: web\n", "");
    assert!(
        errors(&no_sel)
            .iter()
            .any(|(c, _)| c == "missing-field" || c == "missing-selector")
    );
    has(
        &DEPLOY.replace("      - name: web\n", "      - name: Web_1\n"),
        "invalid-name",
        15,
    );
}

#[test]
fn removed_and_misspelt_api_versions() {
    has(
        &DEPLOY.replace("apps/v1", "extensions/v1beta1"),
        "api-version-removed",
        1,
    );
    has(
        &DEPLOY.replace("apiVersion: apps/v1", "apiVersion: v1"),
        "api-version-unknown",
        1,
    );
    has(
        &DEPLOY.replace("kind: Deployment", "kind: Deploymnet"),
        "unknown-kind",
        2,
    );
    let d = run(&DEPLOY.replace("kind: Deployment", "kind: Deploymnet"));
    assert!(d[0].message.en.contains("`Deployment`"));
}

#[test]
fn names_per_kind() {
    has(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc.a\nspec:\n  ports:\n  - port: 80\n",
        "invalid-name",
        4,
    );
    assert!(errors("apiVersion: v1\nkind: Service\nmetadata:\n  name: 1svc\nspec:\n  ports:\n  - port: 80\n").is_empty());
    assert!(errors("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 1cfg.a\n").is_empty());
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: My_Config\n",
        "invalid-name",
        4,
    );
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n",
        "missing-name",
        3,
    );
}

#[test]
fn service_rules() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: web\n  ports:\n";
    has(
        &format!("{svc}  - port: 80\n    nodePort: 30080\n"),
        "node-port-type",
        10,
    );
    has(
        &format!("{svc}  - port: 80\n    nodePort: 80\n  type: NodePort\n"),
        "node-port-range",
        10,
    );
    has(&format!("{svc}  - port: 70000\n"), "invalid-port", 9);
    has(
        &format!("{svc}  - port: 80\n  - port: 81\n"),
        "missing-port-name",
        9,
    );
    has(
        &format!("{svc}  - port: 80\n    targetPort: http_port\n"),
        "invalid-port-name",
        10,
    );
    has(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: web\n",
        "missing-ports",
        5,
    );
    assert!(
        errors("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: None\n")
            .is_empty()
    );
}

#[test]
fn config_map_and_secret_rules() {
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  PORT: 8000\n",
        "wrong-type",
        6,
    );
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  bad key: x\n",
        "invalid-key",
        6,
    );
    has(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: not base64!\n",
        "invalid-base64",
        6,
    );
    assert!(
        errors("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: c2VjcmV0\n")
            .is_empty()
    );
    has(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: x\n",
        "secret-type-keys",
        5,
    );
}

#[test]
fn pvc_rules() {
    let pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n";
    has(
        &format!("{pvc}  resources:\n    requests:\n      storage: 1Gi\n"),
        "missing-access-modes",
        5,
    );
    has(
        &format!(
            "{pvc}  accessModes: [ReadWriteOnly]\n  resources:\n    requests:\n      storage: 1Gi\n"
        ),
        "invalid-value",
        6,
    );
    has(
        &format!("{pvc}  accessModes: [ReadWriteOnce]\n"),
        "missing-storage",
        5,
    );
    has(
        &format!(
            "{pvc}  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 0\n"
        ),
        "invalid-storage",
        9,
    );
}

#[test]
fn job_and_cron_job_rules() {
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.36\n";
    has(job, "invalid-restart-policy", 7);
    assert!(
        errors(&job.replace(
            "    spec:\n      containers",
            "    spec:\n      restartPolicy: Never\n      containers"
        ))
        .is_empty()
    );
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"61 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox:1.36\n";
    has(cron, "invalid-schedule", 6);
    has(
        &cron.replace("61 * * * *", "*/5 * * * *").replace(
            "  jobTemplate:",
            "  successfulJobsHistoryLimit: -1\n  jobTemplate:",
        ),
        "negative-value",
        7,
    );
    has(
        &cron.replace("61 * * * *", "TZ=UTC 0 * * * *"),
        "invalid-schedule",
        6,
    );
    has(
        &cron
            .replace("61 * * * *", "@hourly")
            .replace("name: c\nspec", &format!("name: {}\nspec", "a".repeat(53))),
        "name-too-long",
        4,
    );
}

#[test]
fn env_and_volume_rules() {
    has(
        &deploy_with(
            "        env:\n        - name: A\n          value: x\n          valueFrom:\n            configMapKeyRef: {name: c, key: k}\n",
        ),
        "env-value-and-value-from",
        22,
    );
    has(
        &deploy_with("        volumeMounts:\n        - name: data\n          mountPath: /data\n"),
        "mount-unknown-volume",
        20,
    );
    has(
        &deploy_with("        readinessProbe:\n          httpGet:\n            port: http\n"),
        "probe-port-unknown",
        21,
    );
    has(
        &deploy_with(
            "      volumes:\n      - name: v\n        emptyDir: {}\n        configMap: {name: c}\n",
        ),
        "volume-sources",
        22,
    );
}

#[test]
fn duplicates() {
    has(
        &deploy_with("      - name: web\n        image: nginx:1.27\n"),
        "duplicate-name",
        19,
    );
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\n",
        "yaml-duplicate-key",
        5,
    );
}

#[test]
fn workspace_references() {
    let svc = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: nope\n  ports:\n  - port: 80\n";
    has(&format!("{DEPLOY}{svc}"), "service-no-pods", 25);
    let svc2 = svc.replace("app: nope", "app: web") + "    targetPort: 9000\n";
    has(&format!("{DEPLOY}{svc2}"), "target-port-unknown", 29);
    let cm = deploy_with(
        "        env:\n        - name: A\n          valueFrom:\n            configMapKeyRef: {name: c, key: k}\n",
    ) + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  other: x\n";
    has(&cm, "missing-key", 22);
    let d = run(&cm);
    assert!(d.iter().all(|d| d.severity != Severity::Error), "{d:#?}");
}

#[test]
fn diagnostics_are_sorted() {
    let files = [
        SourceFile {
            path: "b.yaml".into(),
            text: "a: [\n".into(),
        },
        SourceFile {
            path: "a.yaml".into(),
            text: DEPLOY
                .replace("image: nginx:1.27", "image: 5")
                .replace("contain", "contian"),
        },
    ];
    let d = validate_workspace(&files, &Options::default());
    assert!(
        d.windows(2)
            .all(|w| (w[0].file.as_str(), w[0].span.line) <= (w[1].file.as_str(), w[1].span.line))
    );
    assert_eq!(d.last().map(|d| d.file.as_str()), Some("b.yaml"));
}

#[test]
fn duplicate_objects_across_files() {
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
    let files = [
        SourceFile {
            path: "a.yaml".into(),
            text: cm.into(),
        },
        SourceFile {
            path: "b.yaml".into(),
            text: cm.into(),
        },
    ];
    let d = validate_workspace(&files, &Options::default());
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].file.as_str(), d[0].code.as_str(), d[0].severity),
        ("b.yaml", "duplicate-object", Severity::Warning)
    );
}

/// More rules, one manifest each: (manifest, code, severity).
#[test]
fn rule_table() {
    let pod = |extra: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n{extra}"
        )
    };
    let svc =
        |spec: &str| format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n{spec}");
    let big = "x".repeat(300 * 1024);
    let cases: Vec<(String, &str, Severity)> = vec![
        (format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: {big}\n"), "annotations-too-large", Severity::Error),
        (pod("    envFrom:\n    - prefix: A_\n"), "env-from-sources", Severity::Error),
        (pod("    env:\n    - name: A\n      valueFrom:\n        configMapKeyRef: {key: k}\n"), "missing-field", Severity::Error),
        (pod("    livenessProbe:\n      periodSeconds: 3\n"), "probe-handler", Severity::Error),
        (pod("    env:\n    - name: DB_PASSWORD\n      value: hunter2\n"), "plain-secret", Severity::Warning),
        (pod("").replace("busybox:1.36", "busybox"), "latest-tag", Severity::Info),
        (svc("  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n"), "headless-node-port", Severity::Error),
        (svc("  type: ExternalName\n"), "external-name", Severity::Error),
        (svc("  ports:\n  - port: 80\n    name: a\n  - port: 80\n    name: b\n"), "duplicate-port", Severity::Error),
        ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/basic-auth\nstringData:\n  x: y\n".into(), "secret-type-keys", Severity::Error),
        ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/service-account-token\n".into(), "secret-type-keys", Severity::Error),
        ("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\nspec:\n  accessModes: [ReadWriteOncePod, ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n".into(), "access-modes", Severity::Error),
        ("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox:1.36}]\n".into(), "job-selector", Severity::Error),
        (DEPLOY.replace("spec:\n  selector", "spec:\n  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n  selector"), "strategy", Severity::Error),
        ("apiVersion: resource.k8s.io/v1beta2\nkind: DeviceClass\nmetadata:\n  name: d\nspec: {}\n".into(), "api-version-not-ga", Severity::Warning),
        ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n".into(), "custom-resource", Severity::Warning),
        ("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"0 * * * *\"\n  timeZone: Local\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox:1.36}]\n".into(), "invalid-time-zone", Severity::Error),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  A: \"pr√©diction\"\n".into(), "garbled-text", Severity::Info),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  y: a\n  on: b\n".into(), "yaml-duplicate-key", Severity::Error),
    ];
    for (text, code, severity) in cases {
        let d = run(&text);
        assert!(
            d.iter().any(|d| d.code == code && d.severity == severity),
            "expected {code} ({severity:?}) in {text}\n{d:#?}"
        );
    }
}

#[test]
fn local_cluster_image_advice() {
    let t = deploy_with("        imagePullPolicy: IfNotPresent\n")
        .replace("nginx:1.27", "my-app:latest");
    let opts = Options {
        local_cluster_flavor: Some(ClusterFlavor::Minikube),
        ..Options::default()
    };
    let d = validate_workspace(
        &[SourceFile {
            path: "t.yaml".into(),
            text: t,
        }],
        &opts,
    );
    let x = d.iter().find(|d| d.code == "local-image").expect("advice");
    assert_eq!(x.severity, Severity::Info);
    assert!(x.message.en.contains("minikube image load my-app:latest"));
}
