use super::*;

#[test]
fn admits_worksheet_kinds_in_the_session_namespace() {
    let info = admit_kind("apps/v1", "Deployment", None, "ns").expect("allowed");
    assert_eq!(info.plural, "deployments");
    assert!(admit_kind("v1", "ConfigMap", Some("ns"), "ns").is_ok());
    assert!(admit_kind("batch/v1", "CronJob", None, "ns").is_ok());
}

#[test]
fn refuses_the_rest_with_a_reason() {
    assert_eq!(
        admit_kind("v1", "Namespace", None, "ns")
            .expect_err("refused")
            .code(),
        "cluster-scoped"
    );
    assert_eq!(
        admit_kind("rbac.authorization.k8s.io/v1", "Role", None, "ns")
            .expect_err("refused")
            .code(),
        "kind-not-allowed"
    );
    assert_eq!(
        admit_kind("extensions/v1beta1", "Deployment", None, "ns")
            .expect_err("refused")
            .code(),
        "kind-not-allowed"
    );
    let foreign = admit_kind("v1", "Secret", Some("kube-system"), "ns").expect_err("refused");
    assert_eq!(foreign.code(), "foreign-namespace");
    assert!(foreign.message().fr.contains("kube-system"));
}

fn object(text: &str) -> Manifest {
    let file = crate::manifest::SourceFile {
        path: "k8s/x.yaml".into(),
        text: text.into(),
    };
    crate::manifest::parse_file(&file).0.remove(0)
}

#[test]
fn refuses_what_the_cluster_makes_itself() {
    let ca = object(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-root-ca.crt\ndata: {ca.crt: x}\n",
    );
    let refusal = admit(&ca, "ns", &Settings::default()).expect_err("refused");
    assert_eq!(
        (refusal.code(), refusal.field()),
        ("cluster-managed", "metadata.name")
    );
    let token = object(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  annotations: {kubernetes.io/service-account.name: default}\ntype: kubernetes.io/service-account-token\n",
    );
    let refusal = admit(&token, "ns", &Settings::default()).expect_err("refused");
    assert_eq!(
        (refusal.code(), refusal.field()),
        ("cluster-managed", "type")
    );
    assert!(refusal.message().en.contains("Opaque"));
    let mine =
        object("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata: {a: b}\n");
    assert!(admit(&mine, "ns", &Settings::default()).is_ok());
}

const PRIVILEGED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          securityContext:\n            privileged: true\n";

#[test]
fn pods_meet_the_baseline_level_unless_loosened() {
    let refusal = admit(&object(PRIVILEGED), "ns", &Settings::default()).expect_err("refused");
    assert_eq!(
        (refusal.code(), refusal.field()),
        (
            "pod-security",
            "spec.template.spec.containers[0].securityContext.privileged"
        )
    );
    assert_eq!(object(PRIVILEGED).span_of(refusal.field()).line, 15);
    let loose = Settings {
        pod_security: PodSecurity::Privileged,
        ..Settings::default()
    };
    assert!(admit(&object(PRIVILEGED), "ns", &loose).is_ok());
}

#[test]
fn services_list_no_external_ips_unless_allowed() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n  externalIPs: [1.2.3.4]\n";
    let refusal = admit(&object(text), "ns", &Settings::default()).expect_err("refused");
    assert_eq!(
        (refusal.code(), refusal.field()),
        ("external-ips", "spec.externalIPs")
    );
    let allowed = Settings {
        allow_external_ips: true,
        ..Settings::default()
    };
    assert!(admit(&object(text), "ns", &allowed).is_ok());
    let none = text.replace("  externalIPs: [1.2.3.4]\n", "  externalIPs: []\n");
    assert!(admit(&object(&none), "ns", &Settings::default()).is_ok());
}

#[test]
fn workloads_ask_for_a_bounded_number_of_pods() {
    let cap = Settings {
        pod_security: PodSecurity::Privileged,
        max_replicas: 5,
        ..Settings::default()
    };
    let refuse = |text: &str| {
        admit(&object(text), "ns", &cap)
            .map(|_| ())
            .map_err(|r| (r.code(), r.field().to_owned()))
    };
    let many = PRIVILEGED.replace("replicas: 2", "replicas: 100000");
    assert_eq!(
        refuse(&many),
        Err(("too-many-replicas", "spec.replicas".into()))
    );
    let refusal = admit(&object(&many), "ns", &cap).expect_err("refused");
    assert!(refusal.message().en.contains("100000") && refusal.message().fr.contains("au plus 5"));
    assert_eq!(
        refuse(&PRIVILEGED.replace("replicas: 2", "replicas: 5")),
        Ok(())
    );
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  parallelism: 2\n  completions: 50\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: j, image: busybox}]\n";
    assert_eq!(
        refuse(job),
        Err(("too-many-replicas", "spec.completions".into()))
    );
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      parallelism: 6\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox}]\n";
    assert_eq!(
        refuse(cron),
        Err((
            "too-many-replicas",
            "spec.jobTemplate.spec.parallelism".into()
        ))
    );
}

#[test]
fn the_editor_shows_the_refusals_where_they_are_written() {
    use crate::validate::{Options, validate_workspace};
    let files = [crate::manifest::SourceFile {
        path: "k8s/web.yaml".into(),
        text: PRIVILEGED.into(),
    }];
    let policy = Policy {
        namespace: "ns".into(),
        settings: Settings::default(),
    };
    let with = Options {
        policy: Some(policy.clone()),
        ..Options::default()
    };
    let found: Vec<_> = validate_workspace(&files, &with)
        .into_iter()
        .filter(|d| d.code == "pod-security")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].span.line, found[0].severity),
        (15, crate::Severity::Error)
    );
    assert!(
        found[0].message.fr.contains("privileged"),
        "{:?}",
        found[0].message
    );
    // Without the proxy's policy, only the cluster's own rules: the API server accepts it.
    let errors = |options: &Options| {
        let all = validate_workspace(&files, options);
        all.into_iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .collect::<Vec<_>>()
    };
    assert_eq!(errors(&Options::default()), []);
    let loose = Options {
        policy: Some(Policy {
            settings: Settings {
                pod_security: PodSecurity::Privileged,
                ..Settings::default()
            },
            ..policy
        }),
        ..Options::default()
    };
    assert_eq!(errors(&loose), []);
}

#[test]
fn a_class_refuses_fixed_node_ports_at_their_line() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n    - port: 80\n    - port: 81\n      nodePort: 30900\n";
    let class = Settings {
        fixed_node_ports: false,
        ..Settings::default()
    };
    let refusal = admit(&object(text), "ns", &class).expect_err("refused in a class");
    assert_eq!(
        (refusal.code(), refusal.field()),
        ("shared-node-port", "spec.ports[1].nodePort")
    );
    assert!(refusal.message().en.contains("30900"));
    assert!(refusal.message().fr.contains("30900"));
    let finding = refusal.diagnostic(&object(text));
    assert_eq!(finding.span.line, 11);
    // Alone on a cluster, the port is the learner's to choose; in a class a port the cluster
    // picks is fine.
    assert!(admit(&object(text), "ns", &Settings::default()).is_ok());
    let picked = text.replace("      nodePort: 30900\n", "");
    assert!(admit(&object(&picked), "ns", &class).is_ok());
}
