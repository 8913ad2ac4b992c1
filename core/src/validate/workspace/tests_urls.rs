//! The host finder on its own.

use super::urls::scan;

/// (scheme, host, host offset, port) of every host found.
fn found(text: &str) -> Vec<(Option<String>, &str, usize, Option<u32>)> {
    scan(text)
        .into_iter()
        .map(|r| (r.scheme, r.host, r.at, r.port.map(|(p, _)| p)))
        .collect()
}

#[test]
fn urls_with_scheme() {
    assert_eq!(
        found("http://mlops-server-svc:8000"),
        vec![(Some("http".into()), "mlops-server-svc", 7, Some(8000))]
    );
    assert_eq!(
        found("DATABASE_URL=postgresql://iris:pw@postgres-svc:5432/irisdb"),
        vec![(Some("postgresql".into()), "postgres-svc", 34, Some(5432))]
    );
    assert_eq!(
        found("curl -X POST http://x.ns.svc.cluster.local:8000/predict \\\n  -H 'a: b'"),
        vec![(
            Some("http".into()),
            "x.ns.svc.cluster.local",
            20,
            Some(8000)
        )]
    );
    assert_eq!(
        found("proxy_pass http://backend;"),
        vec![(Some("http".into()), "backend", 18, None)]
    );
    assert_eq!(
        found("a http://one:1 and https://two/x"),
        vec![
            (Some("http".into()), "one", 9, Some(1)),
            (Some("https".into()), "two", 27, None)
        ]
    );
}

#[test]
fn port_offsets() {
    let r = scan("go to http://web:8080/x");
    assert_eq!(r[0].port, Some((8080, 17)));
}

#[test]
fn bare_host_and_port_words() {
    assert_eq!(
        found("redis-svc:6379"),
        vec![(None, "redis-svc", 0, Some(6379))]
    );
    assert_eq!(
        found("--server=api:8000/v1"),
        vec![(None, "api", 9, Some(8000))]
    );
    for none in [
        "12:30",
        "a:b:80",
        "key: value",
        "web:",
        ":80",
        "web:99999",
        "x:80abc",
    ] {
        assert!(found(none).is_empty(), "{none}");
    }
}

#[test]
fn variables_and_templates_are_not_hosts() {
    for none in [
        "http://$(API_HOST):8000",
        "http://${API_HOST}:8000",
        "http://{{ .host }}:80",
        "http://my_svc:80",
        "http://:80",
        "://x:80",
        "http://-x:80",
    ] {
        assert!(found(none).is_empty(), "{none}: {:?}", found(none));
    }
}

#[test]
fn any_text_is_read_without_panicking() {
    let pieces = [
        "é", "://", "http", ":", "80", "web", "@", "/", " ", "\n", "𝔁", ".", "-", "$(",
    ];
    // Every sequence of four pieces: offsets must stay on character boundaries.
    let n = pieces.len();
    for i in 0..n.pow(4) {
        let text: String = (0..4).map(|k| pieces[(i / n.pow(k)) % n]).collect();
        for r in scan(&text) {
            assert_eq!(&text[r.at..r.at + r.host.len()], r.host, "{text:?}");
            if let Some((p, at)) = r.port {
                assert!(text[at..].starts_with(&p.to_string()), "{text:?}");
            }
        }
    }
}
