use super::*;
use crate::yaml::{Limits, parse_documents};

pub(super) const STARTER: &str = include_str!("../../../public/fiches/fiche-3/server.starter.yaml");
const FICHE: &str = include_str!("../../../public/fiches/fiche-3.md");

/// The YAML blocks of the fiche with the paragraph just before each.
pub(super) fn yaml_blocks(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let mut block: Option<String> = None;
    for line in md.lines() {
        match &mut block {
            Some(code) if line.starts_with("```") => {
                out.push((paragraph.clone(), std::mem::take(code)));
                block = None;
            }
            Some(code) => {
                code.push_str(line);
                code.push('\n');
            }
            None if line.starts_with("```yaml") => block = Some(String::new()),
            None if !line.trim().is_empty() => paragraph = line.to_string(),
            None => {}
        }
    }
    out
}

/// The two fragments of the fiche that go under `env`, with their paragraphs.
pub(super) fn env_fragments() -> [(String, String); 2] {
    let found: Vec<_> = yaml_blocks(FICHE)
        .into_iter()
        .filter(|(_, code)| code.to_lowercase().contains("ajoutez sous env"))
        .collect();
    assert_eq!(found.len(), 2, "the fiche's two env fragments");
    [found[0].clone(), found[1].clone()]
}

pub(super) fn env() -> Place {
    Place {
        kind: Some("Deployment".into()),
        key: "env".into(),
        level: Level::Container,
        container: None,
    }
}

fn inserted(target: &str, fragment: &str, place: &Place) -> Insertion {
    match insert(target, fragment, place) {
        Ok(Outcome::Inserted(i)) => i,
        other => panic!("expected an insertion, got {other:?}"),
    }
}

/// The edit and the new text agree, the text parses, and only the edited range changed.
fn check(old: &str, i: &Insertion) {
    let mut rebuilt = old[..i.from].to_string();
    rebuilt.push_str(&i.replacement);
    rebuilt.push_str(&old[i.to..]);
    assert_eq!(rebuilt, i.text);
    assert!(parse_documents(&i.text, &Limits::default()).is_ok());
    assert!(i.first_line <= i.last_line);
}

fn lines_of(i: &Insertion) -> Vec<&str> {
    i.text.lines().collect::<Vec<_>>()[i.first_line - 1..i.last_line].to_vec()
}

fn env_json(text: &str, path: &str) -> serde_json::Value {
    let docs = parse_documents(text, &Limits::default()).expect("parses");
    let root = docs[0].root.as_ref().expect("a document");
    root.find(path)
        .map(crate::yaml::Node::to_json)
        .expect("the path")
}

#[test]
fn the_first_fiche_fragment_goes_under_env_of_the_starter() {
    let [(paragraph, fragment), _] = env_fragments();
    let place = place(&paragraph, &fragment).expect("a place");
    assert_eq!(place, env());
    let i = inserted(STARTER, &fragment, &place);
    check(STARTER, &i);
    assert_eq!(i.added, ["API_URL", "API_NAME", "API_DESCRIPTION"]);
    assert!(i.differing.is_empty());
    // `env:` is created after `ports`, at the container's key column; items at the key's
    // column like `containers:` and `ports:` in the starter; comments kept, instruction not.
    let expected =
        "        ports:\n        - containerPort: 8000\n        env:\n        - name: API_URL\n";
    assert!(i.text.contains(expected), "{}", i.text);
    assert!(
        i.text
            .contains("name: iris-config          # Nom du ConfigMap")
    );
    assert!(!i.text.contains("ajoutez sous env"));
    assert_eq!(lines_of(&i)[0], "        - name: API_URL");
    assert_eq!(
        lines_of(&i).last(),
        Some(&"              key: API_DESCRIPTION")
    );
    assert_eq!(i.first_line, 24);
    // A pure insertion before the Service.
    let service = STARTER.find("---").expect("two documents");
    assert_eq!((i.from, i.to), (service, service));
    assert!(i.replacement.starts_with("        env:\n"));
    let list = env_json(&i.text, "spec.template.spec.containers[0].env");
    assert_eq!(list[1]["valueFrom"]["configMapKeyRef"]["key"], "API_NAME");
    // Twice: nothing to do.
    assert_eq!(
        insert(&i.text, &fragment, &place),
        Ok(Outcome::AlreadyThere)
    );
}

#[test]
fn the_second_fiche_fragment_goes_after_the_first() {
    let [(p1, f1), (p2, f2)] = env_fragments();
    let first = inserted(STARTER, &f1, &place(&p1, &f1).expect("a place"));
    let place2 = place(&p2, &f2).expect("a place");
    assert_eq!(place2, env());
    let i = inserted(&first.text, &f2, &place2);
    check(&first.text, &i);
    assert_eq!(i.added, ["API_KEY"]);
    assert_eq!(
        lines_of(&i),
        [
            "        - name: API_KEY",
            "          valueFrom:",
            "            secretKeyRef:",
            "              name: iris-secrets         # Nom du Secret",
            "              key: api-key               # Clé à injecter",
        ]
    );
    let list = env_json(&i.text, "spec.template.spec.containers[0].env");
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    assert_eq!(insert(&i.text, &f2, &place2), Ok(Outcome::AlreadyThere));
    assert_eq!(insert(&i.text, &f1, &env()), Ok(Outcome::AlreadyThere));
    // The second alone creates `env` too.
    let alone = inserted(STARTER, &f2, &place2);
    check(STARTER, &alone);
    assert!(
        alone
            .text
            .contains("        env:\n        - name: API_KEY\n")
    );
    assert_eq!(insert(&alone.text, &f2, &place2), Ok(Outcome::AlreadyThere));
}

const INDENTED_ENV: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          env:
            - name: API_URL
              value: \"http://elsewhere:8000\" # mine
            - name: MODE
              value: dev
          ports:
            - containerPort: 80
";

#[test]
fn existing_entries_are_kept_and_new_ones_follow_an_indented_list() {
    let [(_, f1), _] = env_fragments();
    let i = inserted(INDENTED_ENV, &f1, &env());
    check(INDENTED_ENV, &i);
    assert_eq!(i.added, ["API_NAME", "API_DESCRIPTION"]);
    assert_eq!(i.differing, ["API_URL"]);
    assert!(i.text.contains("value: \"http://elsewhere:8000\" # mine"));
    assert_eq!(lines_of(&i)[0], "            - name: API_NAME");
    assert_eq!(lines_of(&i)[1], "              valueFrom:");
    // After MODE, before `ports`.
    let after = &i.text[i.from + i.replacement.len()..];
    assert!(after.starts_with("          ports:"));
    assert_eq!(i.first_line, 16);
    // Nothing new the second time, but API_URL still differs.
    assert_eq!(
        insert(&i.text, &f1, &env()),
        Ok(Outcome::Differs(vec!["API_URL".into()]))
    );
}

#[test]
fn existing_entries_of_a_compact_list() {
    let [(_, f1), (_, f2)] = env_fragments();
    let target = STARTER.replace(
        "        ports:\n",
        "        env:\n        - name: API_KEY\n          value: plain # not a secret yet\n        ports:\n",
    );
    let i = inserted(&target, &f1, &env());
    check(&target, &i);
    assert_eq!(i.added, ["API_URL", "API_NAME", "API_DESCRIPTION"]);
    assert!(
        i.text
            .contains("value: plain # not a secret yet\n        - name: API_URL\n")
    );
    assert_eq!(
        insert(&i.text, &f2, &env()),
        Ok(Outcome::Differs(vec!["API_KEY".into()]))
    );
}

#[test]
fn crlf_line_endings_are_kept() {
    let [(_, f1), (_, f2)] = env_fragments();
    let target = STARTER.replace('\n', "\r\n");
    let i = inserted(&target, &f1.replace('\n', "\r\n"), &env());
    check(&target, &i);
    assert_eq!(i.text.matches('\n').count(), i.text.matches("\r\n").count());
    let lf = inserted(STARTER, &f1, &env());
    assert_eq!(i.text, lf.text.replace('\n', "\r\n"));
    assert_eq!((i.first_line, i.last_line), (lf.first_line, lf.last_line));
    let j = inserted(&i.text, &f2, &env());
    assert_eq!(j.text.matches('\n').count(), j.text.matches("\r\n").count());
    assert_eq!(insert(&j.text, &f2, &env()), Ok(Outcome::AlreadyThere));
}

const FOUR_SPACES: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
    name: web
spec:
    template:
        spec:
            containers:
                -   name: web
                    image: nginx
";

#[test]
fn a_file_indented_by_four_spaces() {
    let [(_, f1), (_, f2)] = env_fragments();
    let i = inserted(FOUR_SPACES, &f1, &env());
    check(FOUR_SPACES, &i);
    let text: Vec<&str> = i.text.lines().collect();
    assert_eq!(text[10], "                    env:");
    assert_eq!(text[11], "                        - name: API_URL");
    assert_eq!(text[14], "                          valueFrom:");
    assert_eq!(text[15], "                              configMapKeyRef:");
    assert_eq!(
        text[16],
        "                                  name: iris-config          # Nom du ConfigMap"
    );
    let j = inserted(&i.text, &f2, &env());
    check(&i.text, &j);
    assert_eq!(lines_of(&j)[0], "                        - name: API_KEY");
    let list = env_json(&j.text, "spec.template.spec.containers[0].env");
    assert_eq!(list[3]["valueFrom"]["secretKeyRef"]["key"], "api-key");
}

#[test]
fn into_a_pod_without_a_final_line_break() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox";
    let [(_, f1), _] = env_fragments();
    let place = Place {
        kind: None,
        ..env()
    };
    let i = inserted(pod, &f1, &place);
    check(pod, &i);
    assert!(i.text.starts_with(pod));
    assert!(
        i.text
            .contains("    image: busybox\n    env:\n    - name: API_URL\n")
    );
    assert!(!i.text.ends_with('\n'));
    assert_eq!(i.first_line, 10);
    assert_eq!(i.last_line, i.text.lines().count());
    let pod_place = Place {
        kind: Some("Pod".into()),
        ..env()
    };
    assert_eq!(insert(&i.text, &f1, &pod_place), Ok(Outcome::AlreadyThere));
}

#[test]
fn into_a_cronjob() {
    let cron = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: retrain
spec:
  schedule: \"*/5 * * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: retrain
            image: busybox
            args: [\"retrain\"]
";
    let [(_, _), (_, f2)] = env_fragments();
    let place = Place {
        kind: Some("CronJob".into()),
        ..env()
    };
    let i = inserted(cron, &f2, &place);
    check(cron, &i);
    assert!(i.text.contains(
        "            args: [\"retrain\"]\n            env:\n            - name: API_KEY\n"
    ));
    let list = env_json(
        &i.text,
        "spec.jobTemplate.spec.template.spec.containers[0].env[0].name",
    );
    assert_eq!(list, "API_KEY");
}

pub(super) const TWO_CONTAINERS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: app
      - name: proxy
        image: envoy
        env:
        - name: LEVEL
          value: info
      volumes:
      - name: cache
        emptyDir: {}
";

#[test]
fn into_the_named_container_of_two() {
    let fragment = "- name: MODE\n  value: prod\n";
    let first = Place {
        container: Some("app".into()),
        ..env()
    };
    let i = inserted(TWO_CONTAINERS, fragment, &first);
    check(TWO_CONTAINERS, &i);
    assert!(i.text.contains("        image: app\n        env:\n        - name: MODE\n          value: prod\n      - name: proxy\n"));
    let second = Place {
        container: Some("proxy".into()),
        ..env()
    };
    let j = inserted(TWO_CONTAINERS, fragment, &second);
    check(TWO_CONTAINERS, &j);
    assert!(j.text.contains(
        "          value: info\n        - name: MODE\n          value: prod\n      volumes:\n"
    ));
    let unnamed = inserted(TWO_CONTAINERS, fragment, &env());
    assert_eq!(unnamed.text, i.text);
}

#[test]
fn volumes_at_pod_level() {
    let fragment = "# Ajoutez dans la section volumes du Deployment :\nvolumes:\n- name: models\n  persistentVolumeClaim:\n    claimName: models-pvc   # le PVC\n";
    let place = place("Montez le volume :", fragment).expect("a place");
    assert_eq!(place.level, Level::PodSpec);
    assert_eq!(place.kind.as_deref(), Some("Deployment"));
    let i = inserted(TWO_CONTAINERS, fragment, &place);
    check(TWO_CONTAINERS, &i);
    assert!(i.text.ends_with("        emptyDir: {}\n      - name: models\n        persistentVolumeClaim:\n          claimName: models-pvc   # le PVC\n"));
    // Created when absent, after the pod spec's last key.
    let i = inserted(STARTER, fragment, &place);
    check(STARTER, &i);
    assert!(
        i.text
            .contains("        - containerPort: 8000\n      volumes:\n      - name: models\n")
    );
    assert_eq!(insert(&i.text, fragment, &place), Ok(Outcome::AlreadyThere));
}

#[test]
fn an_empty_key_is_filled() {
    let [(_, f1), _] = env_fragments();
    for empty in ["env:", "env: []", "env: # to do", "env: ~"] {
        let target = STARTER.replace(
            "        ports:\n",
            &format!("        {empty}\n        ports:\n"),
        );
        let i = inserted(&target, &f1, &env());
        check(&target, &i);
        assert!(i.text.contains("        env:"), "{empty}");
        assert!(i.text.contains("\n        - name: API_URL\n"), "{empty}");
        assert!(!i.text.contains("[]") && !i.text.contains('~'));
        assert_eq!(i.text.contains("# to do"), empty.contains('#'));
        assert_eq!(i.added.len(), 3);
    }
}

#[test]
fn entries_without_names_are_compared_whole() {
    let fragment = "ports:\n- containerPort: 8000\n- containerPort: 9090\n  name: metrics\n";
    let place = Place {
        key: "ports".into(),
        ..env()
    };
    let i = inserted(STARTER, fragment, &place);
    check(STARTER, &i);
    assert_eq!(i.added, ["metrics"]);
    assert_eq!(i.first_line, i.last_line - 1);
    assert_eq!(insert(&i.text, fragment, &place), Ok(Outcome::AlreadyThere));
}

#[test]
fn after_a_block_scalar() {
    let target = "kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: a
        image: x
        args:
        - |
          multi
          line

      - name: b
        image: y
";
    let i = inserted(target, "- name: A\n  value: b\n", &env());
    check(target, &i);
    let list = env_json(&i.text, "spec.template.spec.containers[0]");
    assert_eq!(list["env"][0]["name"], "A");
    assert_eq!(list["args"][0], "multi\nline\n");
}

#[test]
fn the_deployment_in_a_later_document() {
    let split = STARTER.find("---\n").expect("two documents");
    let (deployment, service) = (&STARTER[..split], &STARTER[split + 4..]);
    let target = format!("{service}\n---\n{deployment}");
    let [(_, f1), _] = env_fragments();
    let i = inserted(&target, &f1, &env());
    check(&target, &i);
    assert!(i.text.starts_with(service));
    assert!(i.text.ends_with("              key: API_DESCRIPTION\n"));
    assert_eq!(i.last_line, i.text.lines().count());
}
