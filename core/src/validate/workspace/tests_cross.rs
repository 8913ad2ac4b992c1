//! Hosts naming Services, in every place a container or a ConfigMap may write them.

use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::SourceFile;
use crate::validate::{ClusterFacts, KnownObject, Options, validate_workspace};

/// A Deployment `web` (pods `app: web`, port 8080) whose container gets `extra`.
pub(super) fn web(extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
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
        - containerPort: 8080
{extra}"
    )
}

pub(super) const SVC: &str = "apiVersion: v1
kind: Service
metadata:
  name: web-svc
spec:
  selector:
    app: web
  ports:
  - port: 8000
    name: http
    targetPort: 8080
    nodePort: 30080
  type: NodePort
";

fn files(texts: &[&str]) -> Vec<SourceFile> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| SourceFile {
            path: format!("f{i}.yaml"),
            text: (*t).to_owned(),
        })
        .collect()
}

pub(super) fn run_with(texts: &[&str], opts: &Options) -> Vec<Diagnostic> {
    validate_workspace(&files(texts), opts)
}

pub(super) fn run(texts: &[&str]) -> Vec<Diagnostic> {
    run_with(texts, &Options::default())
}

pub(super) fn with_code<'a>(d: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    d.iter().filter(|d| d.code == code).collect()
}

fn env(value: &str) -> String {
    web(&format!(
        "        env:\n        - name: URL\n          value: \"{value}\"\n"
    ))
}

#[test]
fn a_url_naming_the_service_is_fine() {
    for v in [
        "http://web-svc:8000",
        "http://web-svc:8000/predict",
        "http://WEB-SVC:8000",
        "http://web-svc.ns.svc.cluster.local:8000/x",
        "web-svc:8000",
        "http://web-svc.ns:8000",
    ] {
        let d = run(&[&env(v), SVC]);
        assert!(
            d.iter().all(|d| d.severity == Severity::Info),
            "{v}: {d:#?}"
        );
    }
}

#[test]
fn a_workload_name_instead_of_its_service() {
    let d = run(&[&env("http://web:8000/predict"), SVC]);
    let w = with_code(&d, "unknown-service");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(w[0].path, "spec.template.spec.containers[0].env[0].value");
    assert!(
        w[0].message.en.contains("Did you mean `web-svc`?"),
        "{}",
        w[0].message.en
    );
    assert!(w[0].message.en.contains("`web` is a Deployment"));
    assert!(w[0].message.fr.contains("Vouliez-vous dire `web-svc` ?"));
    // The host inside `"http://web:8000/predict"` on line 21, after `value: "http://`.
    let s = w[0].span;
    assert_eq!(
        (s.line, s.column, s.end_line, s.end_column),
        (21, 26, 21, 29)
    );
}

#[test]
fn a_typo_in_a_service_name() {
    let d = run(&[&env("http://wbe-svc:8000"), SVC]);
    let w = with_code(&d, "unknown-service");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert!(w[0].message.en.contains("Did you mean `web-svc`?"));
    let d = run(&[&env("http://cache:6379"), SVC]);
    let w = with_code(&d, "unknown-service");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert!(
        w[0].message
            .en
            .contains("Create the Service, or fix the name (Services known: `web-svc`).")
    );
}

#[test]
fn a_port_the_service_does_not_expose() {
    let d = run(&[&env("http://web-svc:8080"), SVC]);
    let w = with_code(&d, "service-port-unknown");
    assert_eq!(w.len(), 1, "{d:#?}");
    let m = &w[0].message;
    assert!(
        m.en.contains("exposes 8000 (name `http`), not 8080"),
        "{}",
        m.en
    );
    assert!(m.en.contains("`targetPort`"));
    assert!(
        m.fr.contains("expose 8000 (nom `http`), pas 8080"),
        "{}",
        m.fr
    );
    let s = w[0].span;
    assert_eq!((s.line, s.column, s.end_column), (21, 34, 38));
    let d = run(&[&env("http://web-svc:30080"), SVC]);
    assert!(
        with_code(&d, "service-port-unknown")[0]
            .message
            .en
            .contains("node port")
    );
    // No port: http's own, 80.
    let d = run(&[&env("http://web-svc/predict"), SVC]);
    let w = with_code(&d, "service-port-unknown");
    assert!(
        w[0].message
            .en
            .contains("not 80 (the default port of `http://`)"),
        "{d:#?}"
    );
}

#[test]
fn hosts_that_are_not_services() {
    for v in [
        "https://api.openai.com/v1",
        "http://localhost:8080",
        "http://127.0.0.1:8080",
        "https://kubernetes.default.svc",
        "http://example.org:80",
        "http://other.elsewhere.svc.cluster.local:80",
        "http://$(WEB_HOST):8000",
        "postgres:15",
        "12:30",
        "a.b.c:8000",
    ] {
        let d = run(&[&env(v), SVC]);
        assert!(
            with_code(&d, "unknown-service").is_empty()
                && with_code(&d, "service-port-unknown").is_empty(),
            "{v}: {d:#?}"
        );
    }
}

#[test]
fn nothing_said_when_no_service_is_known() {
    let d = run(&[&env("http://backend:8000")]);
    assert!(with_code(&d, "unknown-service").is_empty(), "{d:#?}");
}

#[test]
fn bare_words_need_a_near_service_exposing_the_port() {
    let d = run(&[&env("web:8000"), SVC]);
    assert_eq!(with_code(&d, "unknown-service").len(), 1, "{d:#?}");
    let d = run(&[&env("web:9000"), SVC]);
    assert!(with_code(&d, "unknown-service").is_empty(), "{d:#?}");
    let d = run(&[&env("redis:6379"), SVC]);
    assert!(with_code(&d, "unknown-service").is_empty(), "{d:#?}");
    // Another namespace: only a near name of ours is worth a word.
    let d = run(&[&env("http://web-sv.shop.svc.cluster.local:8000"), SVC]);
    assert_eq!(with_code(&d, "unknown-service").len(), 1, "{d:#?}");
}

#[test]
fn services_known_from_the_cluster() {
    let opts = Options {
        cluster: ClusterFacts {
            objects: vec![KnownObject {
                kind: "Service".into(),
                name: "api".into(),
                ..KnownObject::default()
            }],
        },
        ..Options::default()
    };
    let d = run_with(&[&env("http://api:1234")], &opts);
    assert!(d.iter().all(|d| d.severity == Severity::Info), "{d:#?}");
    let d = run_with(&[&env("http://apii:1234")], &opts);
    assert!(
        with_code(&d, "unknown-service")[0]
            .message
            .en
            .contains("`api`"),
        "{d:#?}"
    );
}

#[test]
fn command_args_and_literal_blocks() {
    let t = web(
        "        args:\n        - /bin/sh\n        - -c\n        - |\n          sleep 1\n          curl -X POST http://web-svcc:8000/predict \\\n            -H 'Content-Type: application/json'\n",
    );
    let d = run(&[&t, SVC]);
    let w = with_code(&d, "unknown-service");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(w[0].path, "spec.template.spec.containers[0].args[2]");
    let s = w[0].span;
    assert_eq!((s.line, s.column, s.end_column), (24, 31, 39), "{d:#?}");
    let t = web("        command: [\"sh\", \"-c\", \"wget -qO- http://wbe-svc:8000\"]\n");
    assert_eq!(with_code(&run(&[&t, SVC]), "unknown-service").len(), 1);
}

#[test]
fn host_aliases_resolve() {
    let t = env("http://backend:8000")
        + "      hostAliases:\n      - ip: 10.0.0.5\n        hostnames: [backend]\n";
    let d = run(&[&t, SVC]);
    assert!(with_code(&d, "unknown-service").is_empty(), "{d:#?}");
}

#[test]
fn config_map_data() {
    let cm = |v: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  URL: \"{v}\"\n")
    };
    let d = run(&[&cm("http://web-svs:8000"), SVC, &web("")]);
    let w = with_code(&d, "unknown-service");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(
        (w[0].file.as_str(), w[0].path.as_str()),
        ("f0.yaml", "data.URL")
    );
    // An nginx upstream is a bare name too: not a Service.
    let d = run(&[&cm("proxy_pass http://backend;"), SVC, &web("")]);
    assert!(with_code(&d, "unknown-service").is_empty(), "{d:#?}");
    let d = run(&[&cm("http://web-svc:9999"), SVC, &web("")]);
    assert_eq!(with_code(&d, "service-port-unknown").len(), 1, "{d:#?}");
}

#[test]
fn probe_and_hook_commands() {
    let t = web(
        "        readinessProbe:\n          exec:\n            command: [sh, -c, \"wget -qO- http://wbe-svc:8000/health\"]\n        lifecycle:\n          preStop:\n            exec:\n              command: [sh, -c, \"curl http://localhost:8080/drain\"]\n",
    );
    let d = run(&[&t, SVC]);
    let w = with_code(&d, "unknown-service");
    assert_eq!(w.len(), 1, "{d:#?}");
    assert_eq!(
        w[0].path,
        "spec.template.spec.containers[0].readinessProbe.exec.command[2]"
    );
    assert_eq!((w[0].span.line, w[0].span.column), (21, 49), "{d:#?}");
}
