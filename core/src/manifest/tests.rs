use super::*;

const SERVER: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        env:
        - name: A
          value: 8000
        - name: B
          value: \"x\"
---
# nothing here
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
    nodePort: 30001
";

fn file(text: &str) -> SourceFile {
    SourceFile {
        path: "k8s/server.yaml".into(),
        text: text.into(),
    }
}

#[test]
fn parses_objects_and_skips_empty_documents() {
    let (ms, diags) = parse_file(&file(SERVER));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(ms.len(), 2);
    assert_eq!(
        (ms[0].kind.as_str(), ms[0].name.as_str(), ms[0].index),
        ("Deployment", "web", 0)
    );
    assert_eq!((ms[1].kind.as_str(), ms[1].index), ("Service", 2));
    assert_eq!(
        ms[0].value["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"],
        8000
    );
}

#[test]
fn span_of_values_keys_and_ancestors() {
    let (ms, _) = parse_file(&file(SERVER));
    let d = &ms[0];
    let v = d.span_of("spec.template.spec.containers[0].env[0].value");
    assert_eq!((v.line, v.column, v.end_column), (13, 18, 22));
    let img = d.span_of("spec.template.spec.containers[0].image");
    assert_eq!((img.line, img.column), (10, 16));
    // A missing field falls back to its nearest ancestor's key.
    let missing = d.span_of("spec.template.spec.containers[0].resources.limits");
    assert_eq!(missing.line, 9);
    let svc = &ms[1];
    assert_eq!(svc.span_of("spec.ports[0].nodePort").line, 26);
    assert_eq!(svc.span_of("metadata.name").line, 22);
    assert_eq!(svc.span_of("").line, 20);
}

#[test]
fn syntax_errors_have_positions() {
    let (ms, diags) = parse_file(&file(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n b: 2\n",
    ));
    assert!(ms.is_empty());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].span.line, 5);
    assert_eq!(diags[0].severity, Severity::Error);
}

#[test]
fn missing_kind_is_reported() {
    let (ms, diags) = parse_file(&file("apiVersion: v1\nmetadata:\n  name: x\n"));
    assert!(ms.is_empty());
    assert_eq!(diags[0].code, "missing-kind");
    let (_, diags) = parse_file(&file("- a\n- b\n"));
    assert_eq!(diags[0].code, "not-an-object");
}

#[test]
fn objects_are_counted_as_the_parser_finds_them() {
    let texts = [
        SERVER,
        "",
        "# only a comment\n",
        "---\n---\n",
        "a: 1\n",
        "--- {a: 1}\n--- [b]\n",
        "%YAML 1.2\n---\na: 1\n...\n# after\n",
        "a: |\n  ---\n  text\nb: 2\n---\n# c\n---\nc: 3\n",
        "a: 1\r\n---\r\nb: 2\r\n",
        "----\n",
    ];
    for text in texts {
        let docs = yaml::parse_documents(text, &Limits::default()).expect("valid YAML");
        let found = docs.iter().filter(|d| d.root.is_some()).count();
        assert_eq!(count_objects(text), found, "{text:?}");
    }
}
