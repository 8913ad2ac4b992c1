//! Reading checks files: a good one, and every author error at its line.

use super::*;

pub(super) fn outline() -> Outline {
    let heading = |text: &str, steps: &[u32]| OutlineHeading {
        text: text.into(),
        steps: steps.to_vec(),
    };
    Outline {
        headings: vec![
            heading("Kubernetes — Fiche 3 : Pratiques avancées", &[]),
            heading("a. ConfigMap", &[]),
            heading(
                "📋 Exercice — Externaliser la configuration du backend Iris",
                &[1, 2, 3, 4],
            ),
            heading("c. Challenge — Scaler les agents", &[]),
            heading("🏆 Challenge", &[1, 2, 3, 4, 5]),
            heading("📋 Exercice — Déployer le serveur MCP", &[1, 2, 3]),
            heading("a. Déployer le serveur MCP", &[]),
        ],
    }
}

pub(super) fn files() -> Vec<String> {
    ["k8s/config.yaml", "k8s/server.yaml"]
        .map(String::from)
        .to_vec()
}

pub(super) const GOOD: &str = r#"# Checks of a worksheet
exercises:
  - id: configmap
    heading: "Exercice — Externaliser la configuration du backend Iris"
    cleanup: [configmap/iris-config, cm/other]
    requires:
      - ready: deploy/mlops-server
        hint: {fr: "Déployez d'abord", en: "Deploy first"}
    steps:
      - step: 1
        checks:
          - valid: k8s/config.yaml
            hint:
              fr: "Corrigez"
              en: "Fix it"
          - exists: configmap/iris-config
            hint: {fr: "Appliquez", en: "Apply"}
        solution:
          file: k8s/config.yaml
      - step: 2
        checks:
          - field: deployment/mlops-server
            path: spec.template.spec.containers[name=mlops-server].env[*].name
            contains: MODEL_VERSION
            hint: {fr: "a", en: "a"}
          - reads: deployments/mlops-server
            key: cm/iris-config/MODEL_VERSION
            hint: {fr: "b", en: "b"}
          - manifest: k8s/server.yaml
            object: deployment/mlops-server
            path: .spec.replicas
            equals: 2
            hint: {fr: "c", en: "c"}
        solution: {insert: k8s/server.yaml}
      - step: 3
        checks:
          - ran: "kubectl apply -f <fichier>"
            hint: {fr: "d", en: "d"}
          - applied: k8s/server.yaml
            hint: {fr: "e", en: "e"}
          - field: pod/p
            path: metadata.name
            matches: "^p-[a-z]+$"
            hint: {fr: "f", en: "f"}
        solution: {run: ["kubectl apply -f k8s/server.yaml"]}
      - step: 4
        not-checkable: {fr: "Pas ici", en: "Not here"}
  - id: challenge
    heading: Challenge
    steps:
      - step: 1
        checks:
          - ready: deployment/agent
            replicas: 5
            hint: {fr: "g", en: "g"}
          - bound: pvc/postgres-pvc
            hint: {fr: "h", en: "h"}
          - completed: cj/retrain
            hint: {fr: "i", en: "i"}
          - replaced: deployment/postgres
            hint: {fr: "j", en: "j"}
          - gone: secret/iris-secrets
            hint: {fr: "k", en: "k"}
"#;

#[test]
fn a_good_file_reads_whole() {
    let checks = parse(GOOD, &outline(), &files()).expect("no author error");
    assert_eq!(checks.exercises.len(), 2);
    let e = &checks.exercises[0];
    assert_eq!(
        (e.id.as_str(), e.heading_index, e.line),
        ("configmap", 2, 3)
    );
    assert_eq!(
        e.cleanup,
        [
            ObjectRef {
                kind: "ConfigMap".into(),
                name: "iris-config".into()
            },
            ObjectRef {
                kind: "ConfigMap".into(),
                name: "other".into()
            }
        ]
    );
    assert_eq!(
        e.requires[0].hint,
        Text::new("Deploy first", "Déployez d'abord")
    );
    assert_eq!(e.steps.len(), 4);
    assert_eq!(e.steps[0].checks[1].line, 16);
    assert_eq!(
        e.steps[0].solution,
        Some(Solution::File("k8s/config.yaml".into()))
    );
    assert!(matches!(
        &e.steps[1].checks[1].test,
        Test::Reads { object, key } if object.kind == "Deployment" && key.kind == "ConfigMap" && key.key == "MODEL_VERSION"
    ));
    assert!(matches!(
        &e.steps[1].checks[2].test,
        Test::Manifest { expect: Expect::Equals(v), object: Some(_), path: Some(_), .. } if v == &serde_json::json!(2)
    ));
    assert_eq!(
        e.steps[2].checks[0].test,
        Test::Ran(
            ["kubectl", "apply", "-f", "<fichier>"]
                .map(String::from)
                .to_vec()
        )
    );
    assert!(e.steps[3].checks.is_empty() && e.steps[3].not_checkable.is_some());
    let challenge = &checks.exercises[1];
    assert_eq!(
        challenge.heading_index, 4,
        "the heading equal to the text wins over one that only contains it"
    );
    assert!(matches!(
        challenge.steps[0].checks[0].test,
        Test::Ready {
            replicas: Some(5),
            ..
        }
    ));
}

/// The (line, English message) of every error of `text`.
fn errors(text: &str) -> Vec<(usize, String)> {
    match parse(text, &outline(), &files()) {
        Ok(_) => panic!("expected author errors in:\n{text}"),
        Err(errors) => errors.into_iter().map(|e| (e.line, e.message.en)).collect(),
    }
}

/// One step's checks, around `conditions` (indented as list items under `checks:`).
fn one(conditions: &str) -> String {
    format!(
        "exercises:\n  - id: x\n    heading: Externaliser la configuration\n    steps:\n      - step: 1\n        checks:\n{conditions}"
    )
}

fn assert_one(text: &str, line: usize, part: &str) {
    let found = errors(text);
    assert!(
        found.iter().any(|(l, m)| *l == line && m.contains(part)),
        "expected line {line} with «{part}», got {found:?}"
    );
}

const HINT: &str = "            hint: {fr: a, en: a}\n";

#[test]
fn yaml_syntax_and_shape() {
    assert_one("exercises:\n  - id: [x\n", 3, "");
    assert_one("", 1, "empty");
    assert_one("exercises: 3\n", 1, "should be a list");
    assert_one("exercises:\n  - id: x\n    id: y\n", 3, "");
    assert_one("exercices: []\n", 1, "did you mean `exercises`");
    assert_one(
        "exercises: []\n---\nexercises: []\n",
        3,
        "second YAML document",
    );
}

#[test]
fn unknown_keys_and_test_counts() {
    assert_one(
        &one(&format!("          - exist: configmap/a\n{HINT}")),
        7,
        "did you mean `exists`",
    );
    assert_one(&one("          - hint: {fr: a, en: a}\n"), 7, "no test");
    assert_one(
        &one(&format!(
            "          - exists: configmap/a\n            gone: configmap/a\n{HINT}"
        )),
        7,
        "two tests",
    );
    assert_one(
        &one(&format!(
            "          - exists: configmap/a\n            replicas: 2\n{HINT}"
        )),
        8,
        "does not go with `exists`",
    );
    let text = "exercises:\n  - id: x\n    heading: Externaliser la configuration\n    step:\n      - step: 1\n";
    assert_one(text, 4, "did you mean `steps`");
    assert_one(text, 2, "`steps:` is missing");
}

#[test]
fn hints_are_required_in_both_languages() {
    assert_one(&one("          - exists: configmap/a\n"), 7, "no `hint:`");
    assert_one(
        &one("          - exists: configmap/a\n            hint: {fr: a}\n"),
        8,
        "`en:`",
    );
    assert_one(
        &one("          - exists: configmap/a\n            hint: {fr: '', en: a}\n"),
        8,
        "`fr:`",
    );
    assert_one(
        &one("          - exists: configmap/a\n            hint: do it\n"),
        8,
        "mapping",
    );
    assert_one(
        &one("          - exists: configmap/a\n            hint: {fr: a, en: a, de: b}\n"),
        8,
        "unknown key `de`",
    );
}

#[test]
fn object_references() {
    assert_one(
        &one(&format!("          - exists: configmap\n{HINT}")),
        7,
        "KIND/NAME",
    );
    assert_one(
        &one(&format!("          - exists: configmap/Iris\n{HINT}")),
        7,
        "KIND/NAME",
    );
    assert_one(
        &one(&format!("          - exists: deploymnt/a\n{HINT}")),
        7,
        "did you mean `deployment`",
    );
    assert_one(
        &one(&format!("          - exists: statefulset/a\n{HINT}")),
        7,
        "does not see",
    );
    assert_one(
        &one(&format!("          - ready: service/a\n{HINT}")),
        7,
        "Deployment or ReplicaSet",
    );
    assert_one(
        &one(&format!("          - bound: deployment/a\n{HINT}")),
        7,
        "PersistentVolumeClaim",
    );
    assert_one(
        &one(&format!("          - completed: pod/a\n{HINT}")),
        7,
        "Job or CronJob",
    );
    assert_one(
        &one(&format!("          - replaced: service/a\n{HINT}")),
        7,
        "takes a Deployment",
    );
}

#[test]
fn headings_and_steps() {
    let with = |heading: &str, step: &str| {
        format!(
            "exercises:\n  - id: x\n    heading: {heading}\n    steps:\n      - step: {step}\n        not-checkable: {{fr: a, en: a}}\n"
        )
    };
    assert_one(
        &with("Externaliser la config du backend", "1"),
        3,
        "the closest is «Exercice — Externaliser",
    );
    assert_one(&with("Déployer le serveur MCP", "1"), 3, "several headings");
    assert_one(&with("Externaliser", "7"), 5, "no item 7");
    assert_one(&with("Externaliser", "zero"), 5, "`step` should be");
    let twice = "exercises:\n  - id: x\n    heading: Externaliser\n    steps:\n      - step: 1\n        not-checkable: {fr: a, en: a}\n      - step: 1\n        not-checkable: {fr: a, en: a}\n";
    assert_one(twice, 7, "already checked");
    let bare = "exercises:\n  - id: x\n    heading: Externaliser\n    steps:\n      - step: 1\n";
    assert_one(bare, 5, "neither `checks:` nor `not-checkable:`");
    let half = "exercises:\n  - id: x\n    heading: Externaliser\n    steps:\n      - step: 1\n        not-checkable: {fr: a}\n";
    assert_one(half, 6, "`en:`");
}

#[test]
fn exercise_ids() {
    let text = "exercises:\n  - id: x\n    heading: Externaliser\n    steps:\n      - step: 1\n        not-checkable: {fr: a, en: a}\n  - id: x\n    heading: Challenge\n    steps:\n      - step: 1\n        not-checkable: {fr: a, en: a}\n  - id: Bad_Id\n    heading: Challenge\n    steps:\n      - step: 2\n        not-checkable: {fr: a, en: a}\n";
    assert_one(text, 7, "already the id");
    assert_one(text, 12, "lowercase letters");
}

#[test]
fn files_paths_patterns_and_values() {
    assert_one(
        &one(&format!("          - valid: k8s/confg.yaml\n{HINT}")),
        7,
        "did you mean `k8s/config.yaml`",
    );
    assert_one(
        &one(&format!("          - applied: nope.yaml\n{HINT}")),
        7,
        "no file `nope.yaml`",
    );
    assert_one(
        &one(&format!(
            "          - field: deployment/a\n            path: spec..replicas\n{HINT}"
        )),
        8,
        "empty field",
    );
    assert_one(
        &one(&format!(
            "          - field: deployment/a\n            path: env[name=\n{HINT}"
        )),
        8,
        "without its `]`",
    );
    assert_one(
        &one(&format!("          - field: deployment/a\n{HINT}")),
        7,
        "needs `path:`",
    );
    assert_one(
        &one(&format!(
            "          - field: deployment/a\n            path: a\n            matches: '(unclosed'\n{HINT}"
        )),
        9,
        "not a valid regular expression",
    );
    assert_one(
        &one(&format!(
            "          - field: deployment/a\n            path: a\n            equals: 1\n            contains: 1\n{HINT}"
        )),
        10,
        "keep one",
    );
    assert_one(
        &one(&format!("          - ran: ''\n{HINT}")),
        7,
        "non-empty",
    );
    assert_one(
        &one(&format!("          - ran: describe cronjob\n{HINT}")),
        7,
        "start with `kubectl`",
    );
    for bad in ["-1", "'5'", "2.5", "five"] {
        assert_one(
            &one(&format!(
                "          - ready: deployment/a\n            replicas: {bad}\n{HINT}"
            )),
            8,
            "whole number",
        );
    }
    for bad in [
        "iris-config/KEY",
        "service/a/KEY",
        "configmap/a/",
        "configmap/a",
    ] {
        assert_one(
            &one(&format!(
                "          - reads: deployment/a\n            key: {bad}\n{HINT}"
            )),
            8,
            "configmap/NAME/KEY",
        );
    }
    assert_one(
        &one(&format!("          - reads: deployment/a\n{HINT}")),
        7,
        "needs `key:`",
    );
}

#[test]
fn solutions() {
    let with = |solution: &str| {
        format!(
            "exercises:\n  - id: x\n    heading: Externaliser\n    steps:\n      - step: 1\n        not-checkable: {{fr: a, en: a}}\n        solution: {solution}\n"
        )
    };
    assert_one(
        &with("{file: k8s/config.yaml, run: [kubectl get pods]}"),
        7,
        "both `file` and `run`",
    );
    assert_one(&with("{}"), 7, "needs one of");
    assert_one(&with("{show: k8s/config.yaml}"), 7, "unknown key `show`");
    assert_one(
        &with("{insert: k8s/agent.yaml}"),
        7,
        "no file `k8s/agent.yaml`",
    );
    let ok = parse(&with("{run: kubectl get pods}"), &outline(), &files()).expect("ok");
    assert_eq!(
        ok.exercises[0].steps[0].solution,
        Some(Solution::Run(vec!["kubectl get pods".into()]))
    );
}

#[test]
fn every_error_is_collected_in_line_order() {
    let text = one(&format!(
        "          - exists: nope/a\n{HINT}          - gone: configmap/a\n          - valid: missing.yaml\n{HINT}"
    ));
    let lines: Vec<usize> = errors(&text).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, [7, 9, 10]);
}
