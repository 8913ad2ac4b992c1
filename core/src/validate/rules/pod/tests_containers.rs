//! The containers' rules against manifests whose verdicts the real API server (1.36.1) gave:
//! each `bad-` case is refused there (we must say the code given, at the line given), each `ok-`
//! case is accepted there, on a server dry run and a real create (we must not say an error).

use crate::diagnostic::Severity;
use crate::validate::testing::run;

mod cases;
mod more_cases;

use cases::{CASES, Expected};
use more_cases::MORE_CASES;

/// A Pod named `name` with `spec_extra` lines at the top of its spec, and one container `app`
/// with `container_extra` lines after its image (the container starts at line 7 when
/// `spec_extra` is empty).
fn pod(name: &str, spec_extra: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec_extra}\n  containers:\n  - name: app\n    image: nginx:1.27\n{container_extra}\n"
    )
}

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
    for (name, spec_extra, container_extra, expected) in CASES.iter().chain(MORE_CASES) {
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
