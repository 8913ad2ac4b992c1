use super::tests::{STARTER, TWO_CONTAINERS, env};
use super::*;

fn error(target: &str, fragment: &str, place: &Place) -> FragmentError {
    let e = insert(target, fragment, place).expect_err("an error");
    let m = e.message();
    assert!(!m.en.is_empty() && !m.fr.is_empty() && m.en != m.fr);
    assert_eq!(e.to_string(), m.en);
    e
}

#[test]
fn errors_say_what_is_wrong() {
    let item = "- name: A\n  value: b\n";
    let e = error("kind: Deployment\nspec: [\n", item, &env());
    assert!(matches!(e, FragmentError::TargetInvalid { .. }));
    let service = &STARTER[STARTER.find("---").expect("a Service") + 4..];
    let e = error(service, item, &env());
    assert_eq!(
        e,
        FragmentError::NoObject {
            kind: Some("Deployment".into())
        }
    );
    let e = error(
        service,
        item,
        &Place {
            kind: None,
            ..env()
        },
    );
    assert_eq!(e, FragmentError::NoObject { kind: None });
    let as_service = Place {
        kind: Some("Service".into()),
        ..env()
    };
    let e = error(STARTER, item, &as_service);
    assert_eq!(
        e,
        FragmentError::NoPodSpec {
            kind: "Service".into()
        }
    );
    let empty = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers: []\n";
    let e = error(empty, item, &env());
    assert_eq!(
        e,
        FragmentError::NoContainer {
            kind: "Deployment".into()
        }
    );
    let named = Place {
        container: Some("db".into()),
        ..env()
    };
    let e = error(TWO_CONTAINERS, item, &named);
    assert_eq!(
        e,
        FragmentError::ContainerNotFound {
            name: "db".into(),
            available: vec!["app".into(), "proxy".into()]
        }
    );
    assert!(e.message().fr.contains("app, proxy"));
    for not_a_list in [
        "# juste un commentaire\n",
        "name: A\nvalue: b\n",
        "env:\n  A: b\n",
        "env: []\n",
    ] {
        assert_eq!(
            error(STARTER, not_a_list, &env()),
            FragmentError::NotAList,
            "{not_a_list}"
        );
    }
    let e = error(STARTER, "- name: A\n  value: [\n", &env());
    assert!(matches!(e, FragmentError::FragmentInvalid { .. }));
    let e = error(STARTER, "volumes:\n- name: v\n  emptyDir: {}\n", &env());
    assert_eq!(
        e,
        FragmentError::KeyMismatch {
            key: "env".into(),
            other: "volumes".into()
        }
    );
    let map = STARTER.replace(
        "        ports:\n",
        "        env:\n          A: b\n        ports:\n",
    );
    assert_eq!(
        error(&map, item, &env()),
        FragmentError::ExistingNotAList {
            key: "env".into(),
            line: 21
        }
    );
    let inline = STARTER.replace(
        "        ports:\n",
        "        env: [{name: X, value: y}]\n        ports:\n",
    );
    assert_eq!(
        error(&inline, item, &env()),
        FragmentError::Inline {
            key: "env".into(),
            line: 21
        }
    );
    let flow_container = "kind: Pod\nspec:\n  containers:\n  - {name: c, image: busybox}\n";
    let any = Place {
        kind: None,
        ..env()
    };
    let e = error(flow_container, item, &any);
    assert!(matches!(e, FragmentError::Inline { line: 4, .. }), "{e:?}");
}
