//! Evaluating every test key on live objects, workspace files and actions.

use serde_json::{Value, json};

use super::tests_parse::{files, outline};
use super::*;
use crate::diagnostic::{Severity, Span};
use crate::live::digest;
use crate::live::explain::Sources;
use crate::wire::StreamEvent;

fn live(objects: &[(&str, Value)]) -> Live {
    let mut live = Live::default();
    live.apply(StreamEvent::Snapshot {
        objects: objects
            .iter()
            .map(|(kind, v)| digest::object(kind, v).expect("object"))
            .collect(),
        events: vec![],
        health: Default::default(),
    });
    live
}

fn owned(name: &str, kind: &str, owner: &str) -> Value {
    json!({"name": name, "uid": format!("u-{name}"),
        "ownerReferences": [{"kind": kind, "name": owner, "controller": true}]})
}

fn deployment(ready: u32) -> Value {
    json!({"metadata": {"name": "mlops-server", "uid": "u-d"},
        "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "mlops"}}, "spec": {"containers": [{
            "name": "mlops-server", "image": "mlops-server:latest",
            "env": [{"name": "MODEL_VERSION", "valueFrom": {"configMapKeyRef": {"name": "iris-config", "key": "MODEL_VERSION"}}},
                    {"name": "PORT", "value": "8000"}],
            "envFrom": [{"secretRef": {"name": "iris-secrets"}}]}]}}},
        "status": {"readyReplicas": ready}})
}

pub(super) fn pod(name: &str, phase: &str) -> Value {
    json!({"metadata": owned(name, "ReplicaSet", "mlops-server-abc"),
        "spec": {"containers": [{"name": "mlops-server"}]}, "status": {"phase": phase}})
}

fn namespace() -> Live {
    live(&[
        ("Deployment", deployment(2)),
        (
            "ReplicaSet",
            json!({"metadata": owned("mlops-server-abc", "Deployment", "mlops-server"),
            "spec": {"replicas": 2}, "status": {"readyReplicas": 2}}),
        ),
        ("Pod", pod("mlops-server-abc-1", "Running")),
        (
            "ConfigMap",
            json!({"metadata": {"name": "iris-config"}, "data": {"MODEL_VERSION": "v2", "N": "5"}}),
        ),
        (
            "ConfigMap",
            json!({"metadata": {"name": "leaving", "deletionTimestamp": "2026-01-01T00:00:00Z"}}),
        ),
        (
            "PersistentVolumeClaim",
            json!({"metadata": {"name": "pg"}, "status": {"phase": "Bound"}}),
        ),
        (
            "PersistentVolumeClaim",
            json!({"metadata": {"name": "waiting"}, "status": {"phase": "Pending"}}),
        ),
        (
            "CronJob",
            json!({"metadata": {"name": "retrain"}, "spec": {"schedule": "* * * * *"}}),
        ),
        (
            "CronJob",
            json!({"metadata": {"name": "idle"}, "spec": {"schedule": "* * * * *"}}),
        ),
        (
            "Job",
            json!({"metadata": owned("retrain-1", "CronJob", "retrain"),
            "spec": {"completions": 1}, "status": {"succeeded": 1}}),
        ),
        (
            "Job",
            json!({"metadata": {"name": "manual"},
            "status": {"conditions": [{"type": "Complete", "status": "True"}]}}),
        ),
        (
            "Job",
            json!({"metadata": {"name": "running"}, "status": {"active": 1}}),
        ),
    ])
}

/// The test of one condition, written as in a checks file (indented as a list item).
fn test(condition: &str) -> Test {
    let text = format!(
        "exercises:\n  - id: x\n    heading: Externaliser\n    steps:\n      - step: 1\n        checks:\n          - {condition}\n            hint: {{fr: a, en: a}}\n"
    );
    let checks = parse(&text, &outline(), &files()).unwrap_or_else(|e| panic!("{e:?}"));
    checks.exercises[0].steps[0].checks[0].test.clone()
}

pub(super) struct Setup {
    pub(super) live: Live,
    pub(super) sources: Vec<SourceFile>,
    pub(super) given: Vec<SourceFile>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) actions: Actions,
    pub(super) memory: Memory,
}

impl Setup {
    pub(super) fn new() -> Self {
        let live = namespace();
        let mut memory = Memory::default();
        memory.observe(&live);
        Self {
            live,
            sources: vec![
                SourceFile {
                    path: "k8s/server.yaml".into(),
                    text: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mlops-server\nspec:\n  replicas: 2\n".into(),
                },
                SourceFile {
                    path: "k8s/config.yaml".into(),
                    text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata:\n  MODEL_VERSION: [v2\n".into(),
                },
            ],
            given: Vec::new(),
            diagnostics: vec![],
            actions: Actions::default(),
            memory,
        }
    }

    /// The world of this setup, with its workspace read into `workspace`.
    pub(super) fn world<'s>(&'s self, workspace: &'s Sources) -> World<'s> {
        World {
            workspace,
            live: &self.live,
            sources: &self.sources,
            given: &self.given,
            diagnostics: &self.diagnostics,
            actions: &self.actions,
            memory: &self.memory,
        }
    }

    pub(super) fn holds(&self, condition: &str) -> bool {
        let workspace = Sources::new(&self.sources);
        eval::holds(&test(condition), &self.world(&workspace))
    }

    pub(super) fn evaluate(&self, checks: &Checks) -> Vec<ExerciseState> {
        let workspace = Sources::new(&self.sources);
        evaluate(checks, &self.world(&workspace))
    }
}

#[test]
fn cluster_tests_hold_and_fail() {
    let s = Setup::new();
    let cases = [
        ("exists: configmap/iris-config", true),
        ("exists: configmap/nope", false),
        ("exists: configmap/leaving", false),
        ("gone: cm/leaving", true),
        ("gone: cm/iris-config", false),
        // Never seen: not "gone" (a clean-up step is not done before anything was made).
        ("gone: cm/never-there", false),
        ("ready: deployment/mlops-server", true),
        ("ready: rs/mlops-server-abc", true),
        ("ready: deploy/mlops-server\n            replicas: 2", true),
        ("ready: deploy/mlops-server\n            replicas: 5", false),
        ("ready: deploy/nope", false),
        ("bound: pvc/pg", true),
        ("bound: pvc/waiting", false),
        ("completed: cronjob/retrain", true),
        ("completed: cj/idle", false),
        ("completed: job/manual", true),
        ("completed: job/retrain-1", true),
        ("completed: job/running", false),
        (
            "reads: deployment/mlops-server\n            key: configmap/iris-config/MODEL_VERSION",
            true,
        ),
        (
            "reads: deployment/mlops-server\n            key: configmap/iris-config/OTHER",
            false,
        ),
        (
            "reads: deployment/mlops-server\n            key: secret/iris-secrets/API_KEY",
            true,
        ),
        (
            "reads: pod/mlops-server-abc-1\n            key: secret/iris-secrets/API_KEY",
            false,
        ),
    ];
    for (condition, expected) in cases {
        assert_eq!(s.holds(condition), expected, "{condition}");
    }
    let mut idle = Setup::new();
    idle.live = live(&[(
        "Deployment",
        json!({"metadata": {"name": "d"}, "spec": {"replicas": 0}}),
    )]);
    assert!(!idle.holds("ready: deployment/d"), "0 of 0 is not ready");
    assert!(idle.holds("ready: deployment/d\n            replicas: 0"));
}

#[test]
fn fields_of_live_objects() {
    let s = Setup::new();
    let field = |path: &str, expect: &str| {
        format!("field: deployment/mlops-server\n            path: {path}\n            {expect}")
    };
    let cases = [
        (field("spec.replicas", "equals: 2"), true),
        (field("spec.replicas", "equals: '2'"), true),
        (field("spec.replicas", "equals: 3"), false),
        (field("spec.paused", ""), false),
        (field("spec.replicas", ""), true),
        (
            field("spec.template.spec.containers[0].image", "contains: mlops"),
            true,
        ),
        (
            field(
                "spec.template.spec.containers[name=mlops-server].env[*].name",
                "equals: PORT",
            ),
            true,
        ),
        (
            field(
                "spec.template.spec.containers[0].env",
                "contains: {name: PORT}",
            ),
            true,
        ),
        (
            field(
                "spec.template.spec.containers[0].env",
                "contains: {name: PORT, value: '9'}",
            ),
            false,
        ),
        (
            field(
                "spec.template.spec.containers[0].env",
                "contains: {valueFrom: {configMapKeyRef: {key: MODEL_VERSION}}}",
            ),
            true,
        ),
        (
            field("spec.template.metadata.labels", "contains: {app: mlops}"),
            true,
        ),
        (
            field(
                "spec.template.spec.containers[0].image",
                "matches: '^mlops-[a-z]+:latest$'",
            ),
            true,
        ),
        (
            field(
                "spec.template.spec.containers[0].image",
                "matches: '^nginx'",
            ),
            false,
        ),
        (
            field("spec.template.spec.containers", "matches: 'mlops'"),
            false,
        ),
    ];
    for (condition, expected) in cases {
        assert_eq!(s.holds(&condition), expected, "{condition}");
    }
    assert!(
        s.holds("field: configmap/iris-config\n            path: data.N\n            equals: 5")
    );
}

#[test]
fn equals_and_contains_semantics() {
    assert!(eval::equals(&json!(5), &json!("5")));
    assert!(eval::equals(&json!(true), &json!("true")));
    assert!(!eval::equals(&json!([5]), &json!("5")));
    assert!(eval::contains(&json!("hello world"), &json!("lo w")));
    assert!(eval::contains(&json!(["a", 5]), &json!("5")));
    assert!(
        !eval::contains(&json!(["ab"]), &json!("a")),
        "an element, not a substring of one"
    );
    assert!(eval::contains(
        &json!({"a": 1, "b": {"c": 2, "d": 3}}),
        &json!({"b": {"c": 2}})
    ));
    assert!(!eval::contains(&json!({"a": 1}), &json!({"a": 2})));
    assert!(eval::contains(
        &json!({"l": [1, 2, 3]}),
        &json!({"l": [3, 1]})
    ));
    assert!(!eval::contains(&json!(5), &json!({"a": 1})));
    assert!(
        !eval::contains(&json!({"a": 1}), &json!("a")),
        "a mapping contains mappings"
    );
}

#[test]
fn workspace_tests() {
    let mut s = Setup::new();
    assert!(s.holds("valid: k8s/server.yaml"));
    assert!(!s.holds("valid: k8s/config.yaml"), "a syntax error");
    s.diagnostics.push(Diagnostic {
        file: "k8s/server.yaml".into(),
        span: Span::point(1, 1),
        severity: Severity::Warning,
        code: "w".into(),
        message: Text::default(),
        path: String::new(),
    });
    assert!(
        s.holds("valid: k8s/server.yaml"),
        "a warning is not an error"
    );
    s.diagnostics[0].severity = Severity::Error;
    assert!(!s.holds("valid: k8s/server.yaml"));
    s.sources.retain(|f| f.path != "k8s/server.yaml");
    assert!(!s.holds("manifest: k8s/server.yaml"), "the file is gone");

    let s = Setup::new();
    assert!(s.holds("manifest: k8s/server.yaml"));
    assert!(s.holds("manifest: k8s/server.yaml\n            object: deploy/mlops-server\n            path: spec.replicas\n            equals: 2"));
    assert!(!s.holds("manifest: k8s/server.yaml\n            object: deploy/other\n            path: spec.replicas\n            equals: 2"));
    assert!(!s.holds(
        "manifest: k8s/server.yaml\n            path: spec.replicas\n            equals: 3"
    ));
    assert!(s.holds("manifest: k8s/server.yaml\n            contains: {kind: Deployment}"));
}

#[test]
fn steps_and_exercises_take_their_status() {
    let text = r#"exercises:
  - id: x
    heading: Externaliser
    requires:
      - exists: deployment/mlops-server
        hint: {fr: a, en: a}
      - exists: deployment/agent
        hint: {fr: "Déployez l'agent", en: "Deploy the agent"}
    steps:
      - step: 1
        checks:
          - exists: configmap/iris-config
            hint: {fr: a, en: a}
          - bound: pvc/pg
            hint: {fr: a, en: a}
      - step: 2
        checks:
          - exists: configmap/iris-config
            hint: {fr: a, en: a}
          - exists: configmap/nope
            hint: {fr: "Créez nope", en: "Create nope"}
      - step: 3
        checks:
          - gone: configmap/iris-config
            hint: {fr: a, en: a}
      - step: 4
        not-checkable: {fr: a, en: a}
        checks:
          - exists: configmap/nope
            hint: {fr: a, en: a}
"#;
    let checks = parse(text, &outline(), &files()).expect("ok");
    let s = Setup::new();
    let states = s.evaluate(&checks);
    let e = &states[0];
    assert_eq!(e.id, "x");
    let requires = e.requires.as_ref().expect("the agent is missing");
    assert_eq!((requires.index, requires.line), (1, 7));
    assert_eq!(requires.hint.en, "Deploy the agent");
    let summary: Vec<(u32, Status, usize, usize)> = e
        .steps
        .iter()
        .map(|s| (s.number, s.status, s.held, s.total))
        .collect();
    assert_eq!(
        summary,
        [
            (1, Status::Done, 2, 2),
            (2, Status::InProgress, 1, 2),
            (3, Status::Todo, 0, 1),
            (4, Status::NotCheckable, 0, 1),
        ]
    );
    let failing = e.steps[1].failing.as_ref().expect("one fails");
    assert_eq!(
        (failing.index, failing.line, failing.hint.fr.as_str()),
        (1, 20, "Créez nope")
    );
    assert!(e.steps[0].failing.is_none());
}

#[test]
fn the_worksheets_own_valid_files_do_not_start_a_step() {
    let text = r#"exercises:
  - id: x
    heading: Externaliser
    steps:
      - step: 1
        checks:
          - valid: k8s/server.yaml
            hint: {fr: a, en: a}
          - ran: kubectl describe configmap
            hint: {fr: a, en: a}
"#;
    let checks = parse(text, &outline(), &files()).expect("ok");
    let mut s = Setup::new();
    s.given = s.sources.clone();
    let status = |s: &Setup| s.evaluate(&checks)[0].steps[0].status;
    assert_eq!(
        status(&s),
        Status::Todo,
        "a valid file as given is not an action"
    );
    s.sources[0].text.push_str("# changed\n");
    assert_eq!(
        status(&s),
        Status::InProgress,
        "a valid file the learner changed is"
    );
    s.actions
        .record_command("kubectl describe configmap iris-config");
    assert_eq!(status(&s), Status::Done);
    s.sources[0].text.push_str("  replicas: [\n");
    assert_eq!(
        status(&s),
        Status::InProgress,
        "the command ran, the file broke"
    );
}
