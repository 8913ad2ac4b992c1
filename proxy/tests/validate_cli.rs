//! `kubefiche validate`: the browser's validator on the command line.

use std::process::Command;

fn workdir(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kubefiche-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("k8s")).expect("dir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
    dir
}

fn validate(args: &[&str], dir: &std::path::Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubefiche"))
        .arg("validate")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const GOOD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata:\n  API_NAME: \"Iris Predictor\"\n";
const BAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      contianers:\n      - name: web\n        image: nginx:1.27\n";

#[test]
fn text_output_and_exit_status() {
    let dir = workdir("good", &[("k8s/config.yaml", GOOD)]);
    assert_eq!(validate(&["k8s"], &dir), (0, String::new()));
    let dir = workdir("mixed", &[("k8s/config.yaml", GOOD), ("k8s/web.yaml", BAD)]);
    let (code, out) = validate(&["k8s"], &dir);
    assert_eq!(code, 1, "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("contianers"))
        .expect("the unknown field");
    assert!(line.starts_with("k8s/web.yaml:14:7: error: "), "{line}");
    assert!(line.contains("containers"), "a suggestion: {line}");
    assert!(line.contains("Unknown field `contianers`"), "{line}");
    let (_, french) = validate(&["--lang", "fr", "k8s/web.yaml"], &dir);
    let line = french
        .lines()
        .find(|l| l.starts_with("k8s/web.yaml:14:7: error: "))
        .expect("the unknown field, in French");
    assert!(
        line.contains("Champ inconnu `contianers`") && !line.contains("Unknown field"),
        "{line}"
    );
}

#[test]
fn json_output_has_every_field() {
    let dir = workdir("json", &[("k8s/web.yaml", BAD)]);
    let (code, out) = validate(&["--format", "json", "k8s/web.yaml"], &dir);
    assert_eq!(code, 1);
    let list: serde_json::Value = serde_json::from_str(&out).expect("json");
    let first = list
        .as_array()
        .and_then(|l| l.iter().find(|d| d["code"] == "unknown-field"))
        .expect("the unknown field");
    for field in [
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "code",
        "message",
        "path",
    ] {
        assert!(first.get(field).is_some(), "{field} missing in {first}");
    }
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(14), Some(7))
    );
    assert_eq!(first["path"], "spec.template.spec.contianers");
}

#[test]
fn an_unknown_kubernetes_version_is_refused_not_ignored() {
    let dir = workdir("version", &[("k8s/config.yaml", GOOD)]);
    assert_eq!(
        validate(&["--kubernetes-version", "1.36", "k8s"], &dir).0,
        0
    );
    let out = Command::new(env!("CARGO_BIN_EXE_kubefiche"))
        .args(["validate", "--kubernetes-version", "1.29", "k8s"])
        .current_dir(&dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Kubernetes 1.36 only"));
}
