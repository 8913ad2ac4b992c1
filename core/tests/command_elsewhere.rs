//! Lines that are not one kubectl command: where they belong, and what runs instead.

use kubefiche_core::Text;
use kubefiche_core::command::{Parsed, parse};

fn elsewhere(line: &str) -> (Text, Option<String>) {
    match parse(line) {
        Parsed::Elsewhere { why, instead } => {
            assert!(!why.en.is_empty() && !why.fr.is_empty(), "{line}");
            (why, instead)
        }
        other => panic!("{line:?} should be for elsewhere, got {other:?}"),
    }
}

fn refused_with(line: &str, needle: &str) {
    match parse(line) {
        Parsed::Refused(why) => assert!(why.en.contains(needle), "{line}: {}", why.en),
        other => panic!("{line:?} should be refused, got {other:?}"),
    }
}

#[test]
fn a_pipeline_around_kubectl_offers_the_kubectl_part() {
    let (why, instead) = elsewhere("kubectl get pods | grep web");
    assert!(why.en.contains("pipeline"));
    assert_eq!(instead.as_deref(), Some("kubectl get pods"));
    let (_, instead) = elsewhere("kubectl get pods -o 'jsonpath={.items[*].x}' | sort | uniq");
    assert_eq!(
        instead.as_deref(),
        Some("kubectl get pods -o 'jsonpath={.items[*].x}'")
    );
    // The kubectl part refused on its own says why.
    refused_with("kubectl get pods -A | grep web", "namespace");
    refused_with("kubectl get pods && x | y", "separator");
}

#[test]
fn lines_for_elsewhere_say_why_and_what_instead() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("docker build -t web:1 .", "kind load docker-image", None),
        ("docker push web:1", "own machine", None),
        (
            "kind load docker-image web:1",
            "into your local cluster",
            None,
        ),
        ("minikube image load web:1", "into your local cluster", None),
        ("minikube start", "local cluster itself", None),
        (
            "env",
            "container’s shell",
            Some("kubectl set env pod/<nom-du-pod> --list --resolve"),
        ),
        (
            "printenv API_KEY",
            "container’s shell",
            Some("kubectl set env pod/<nom-du-pod> --list --resolve"),
        ),
        (
            "env | grep APP_",
            "container’s shell",
            Some("kubectl set env pod/<nom-du-pod> --list --resolve"),
        ),
        ("SELECT * FROM predictions;", "psql", None),
        ("select id from t;", "psql", None),
        ("INSERT INTO t VALUES (1);", "psql", None),
        ("\\dt", "psql", None),
        ("\\d predictions", "psql", None),
        ("\\q", "psql", None),
        ("cd k8s", "own terminal", None),
        ("ls -la", "own terminal", None),
        ("cat k8s/a.yaml", "own terminal", None),
        ("curl http://localhost:8080/health", "own terminal", None),
        ("python train.py", "own terminal", None),
        ("psql -U iris -d irisdb", "own terminal", None),
        ("echo $HOME > x", "own terminal", None),
        (
            "watch kubectl get pods",
            "--watch",
            Some("kubectl get pods --watch"),
        ),
        (
            "watch -n 1 kubectl get pods -l app=web",
            "--watch",
            Some("kubectl get pods -l app=web --watch"),
        ),
        ("k get pods", "without aliases", Some("kubectl get pods")),
        (
            "sudo kubectl get pods",
            "without aliases",
            Some("kubectl get pods"),
        ),
        ("sudo kubectl get pods -A", "without aliases", None),
    ];
    for (line, needle, instead) in cases {
        let (why, got) = elsewhere(line);
        assert!(why.en.contains(needle), "{line}: {}", why.en);
        assert_eq!(got.as_deref(), *instead, "{line}");
    }
}
