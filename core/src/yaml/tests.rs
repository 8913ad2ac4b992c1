use super::*;

fn parse(text: &str) -> Vec<Document> {
    match parse_documents(text, &Limits::default()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn multi_documents_and_empty_ones() {
    let docs = parse("a: 1\n---\n# only a comment\n---\nb: [x, y]\n");
    assert_eq!(docs.len(), 3);
    assert!(docs[1].root.is_none());
    let b = docs[2]
        .root
        .as_ref()
        .and_then(|r| r.find("b[1]"))
        .map(|n| n.span);
    assert_eq!(
        b,
        Some(Span {
            line: 5,
            column: 8,
            end_line: 5,
            end_column: 9
        })
    );
}

#[test]
fn spans_of_keys_and_values() {
    let docs = parse("metadata:\n  name: web\n  labels:\n    app: \"x\"\n");
    let root = docs[0].root.as_ref().expect("root");
    let name = root.find("metadata.name").expect("name");
    assert_eq!(
        name.span,
        Span {
            line: 2,
            column: 9,
            end_line: 2,
            end_column: 12
        }
    );
    let app = root.find("metadata.labels.app").expect("app");
    assert_eq!(app.span.line, 4);
    assert_eq!(app.span.column, 10);
    assert!(app.quoted);
    let labels = root.find("metadata.labels").expect("labels");
    assert_eq!((labels.span.line, labels.span.end_line), (4, 4));
}

#[test]
fn to_json_follows_kubernetes_scalars() {
    let docs = parse("a: yes\nb: '8000'\nc: 8000\nd: ~\non: 1\ne: 1.5\n");
    let json = docs[0].root.as_ref().map(Node::to_json).expect("root");
    assert_eq!(
        json,
        serde_json::json!({"a": true, "b": "8000", "c": 8000, "d": null, "true": 1, "e": 1.5})
    );
}

#[test]
fn duplicate_keys_are_reported() {
    let docs = parse("a: 1\nb: 2\na: 3\n");
    assert_eq!(docs[0].issues.len(), 1);
    assert_eq!(docs[0].issues[0].code, "yaml-duplicate-key");
    assert_eq!(docs[0].issues[0].span.line, 3);
}

#[test]
fn tabs_are_reported_with_position() {
    let err = parse_documents("a:\n\tb: 1\n", &Limits::default()).expect_err("tab");
    assert_eq!(err.code, "yaml-tab");
    assert_eq!(err.span.line, 2);
}

#[test]
fn bad_indentation_is_a_syntax_error() {
    let err = parse_documents("a:\n  b: 1\n c: 2\n", &Limits::default()).expect_err("indent");
    assert_eq!(err.span.line, 3);
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let docs = parse("base: &b {x: 1, z: 2}\nother:\n  <<: *b\n  z: 3\nlist: [*b]\n");
    let json = docs[0].root.as_ref().map(Node::to_json).expect("root");
    assert_eq!(json["other"], serde_json::json!({"z": 3, "x": 1}));
    assert_eq!(json["list"][0]["x"], 1);
}

#[test]
fn alias_bombs_are_refused_fast() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        text.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    let started = std::time::Instant::now();
    let err = parse_documents(&text, &Limits::default()).expect_err("bomb");
    assert_eq!(err.code, "yaml-limit");
    // Generous bound (loaded CI machines): expanding it would mean 10^11 nodes, i.e. never.
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn limits_on_size_depth_and_documents() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    assert!(parse_documents("a: 123456789012", &limits).is_err());
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert_eq!(
        parse_documents(&deep, &Limits::default()).map_err(|e| e.code.code()),
        Err("yaml-limit")
    );
    // Deep enough for the parser's own recursion guard to stop first: still the nesting message.
    for deeper in [
        format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
        format!("a: {}{}\n", "{b: ".repeat(3000), "}".repeat(3000)),
    ] {
        let error = parse_documents(&deeper, &Limits::default()).expect_err("too deep");
        assert_eq!(error.code.code(), "yaml-limit");
        assert!(
            error.message.en.starts_with("Nesting is too deep"),
            "{}",
            error.message.en
        );
        assert!(
            !error.message.en.contains("recursion"),
            "{}",
            error.message.en
        );
    }
    let many = "a: 1\n---\n".repeat(200);
    assert_eq!(
        parse_documents(&many, &Limits::default()).map_err(|e| e.code.code()),
        Err("yaml-limit")
    );
}

#[test]
fn find_handles_dotted_label_keys() {
    let docs = parse("labels:\n  app.kubernetes.io/name: web\n");
    let root = docs[0].root.as_ref().expect("root");
    assert_eq!(
        root.find("labels.app.kubernetes.io/name")
            .and_then(Node::as_str),
        Some("web")
    );
    assert_eq!(
        root.find("labels[app.kubernetes.io/name]")
            .and_then(Node::as_str),
        Some("web")
    );
    assert!(root.find("labels.nope").is_none());
}

#[test]
fn block_scalars_are_strings() {
    let docs = parse("args:\n- |\n  echo 1\n  echo 2\n- >\n  folded\n");
    let json = docs[0].root.as_ref().map(Node::to_json).expect("root");
    assert_eq!(json["args"][0], "echo 1\necho 2\n");
    assert_eq!(json["args"][1], "folded\n");
}
