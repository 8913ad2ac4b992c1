//! Placeholders, completion and the audit line of commands.

use kubefiche_core::command::{Parsed, complete, parse, placeholders};

fn one(line: &str, context: &[&str]) -> (String, Vec<(String, String)>) {
    let found = placeholders(line, context);
    let p = found.last().expect("a placeholder");
    assert_eq!(&line[p.start..p.end], format!("<{}>", p.name));
    (p.kind.clone(), p.labels.clone())
}

fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn placeholders_take_the_kind_of_their_place() {
    for (line, kind) in [
        ("kubectl exec -it <nom-du-pod> -- /bin/bash", "Pod"),
        ("kubectl logs <pod>", "Pod"),
        ("kubectl logs <pod> <conteneur>", "Container"),
        ("kubectl logs web -c <conteneur>", "Container"),
        ("kubectl describe pod <nom-du-pod>", "Pod"),
        ("kubectl delete pod <nom-du-pod-postgres>", "Pod"),
        ("kubectl logs job/<nom-du-job>", "Job"),
        ("kubectl logs deploy/<nom>", "Deployment"),
        ("kubectl logs deployment/<nom>", "Deployment"),
        ("kubectl describe cronjob/<nom>", "CronJob"),
        (
            "kubectl create job manual --from=cronjob/<nom-du-cronjob>",
            "CronJob",
        ),
        ("kubectl get pvc <nom-du-pvc>", "PersistentVolumeClaim"),
        ("kubectl describe svc <service>", "Service"),
        ("kubectl scale deployment <nom> --replicas=2", "Deployment"),
        ("kubectl rollout status deployment <nom>", "Deployment"),
        ("kubectl get -o yaml secret <nom>", "Secret"),
        (
            "kubectl create secret generic <nom> --from-literal=a=b",
            "Secret",
        ),
        ("kubectl top pod <nom>", "Pod"),
        ("kubectl top node <nom>", "Node"),
        ("kubectl set env pod/<nom-du-pod> --list --resolve", "Pod"),
        ("env | grep <x>", "Pod"),
    ] {
        assert_eq!(one(line, &[]).0, kind, "{line}");
    }
}

#[test]
fn placeholders_in_a_line_in_order_with_byte_ranges() {
    let line = "kubectl logs <pod-é> -c <conteneur>";
    let found = placeholders(line, &[]);
    let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["pod-é", "conteneur"]);
    assert_eq!(&line[found[0].start..found[0].end], "<pod-é>");
    assert!(placeholders("kubectl get pods", &[]).is_empty());
    assert!(placeholders("a < b > c <> <->", &[]).is_empty());
}

#[test]
fn labels_come_from_the_line_then_the_nearest_context_line_then_the_name() {
    // On the line itself.
    let (_, l) = one("kubectl logs -l app=web,tier==db,env!=x <pod>", &[]);
    assert_eq!(l, labels(&[("app", "web"), ("tier", "db")]));
    let (_, l) = one("kubectl logs --selector=app=web <pod>", &[]);
    assert_eq!(l, labels(&[("app", "web")]));
    let (_, l) = one("kubectl logs -lapp=web <pod>", &[]);
    assert_eq!(l, labels(&[("app", "web")]));
    // In the section, before the line, nearest first.
    let section = [
        "kubectl apply -f k8s/postgres.yaml",
        "kubectl get pods -l app=other",
        "kubectl get pods -l app=postgres --watch",
        "kubectl get pvc postgres-pvc",
        "kubectl exec -it <nom-du-pod-postgres> -- psql -U iris -d irisdb",
        "kubectl delete pod <nom-du-pod-postgres>",
        "kubectl get pods -l app=after --watch",
    ];
    let (kind, l) = one(section[5], &section);
    assert_eq!(kind, "Pod");
    assert_eq!(l, labels(&[("app", "postgres")]));
    // A line not in the context: every context line counts as before it.
    let (_, l) = one("kubectl delete pod <nom>", &section[..3]);
    assert_eq!(l, labels(&[("app", "postgres")]));
    // Nothing before: the nearest line after.
    let (_, l) = one(
        "kubectl logs <x>",
        &["kubectl logs <x>", "kubectl get pods -l app=later"],
    );
    assert_eq!(l, labels(&[("app", "later")]));
    // No -l around: the name's own hint.
    let (_, l) = one("kubectl delete pod <nom-du-pod-postgres>", &[]);
    assert_eq!(l, labels(&[("app", "postgres")]));
    let (_, l) = one(
        "kubectl exec -it <nom-du-pod-mcp-server> -- sh",
        &["kubectl get svc"],
    );
    assert_eq!(l, labels(&[("app", "mcp-server")]));
    assert!(one("kubectl exec -it <nom-du-pod> -- sh", &[]).1.is_empty());
    assert!(
        one("kubectl exec -it <nouveau-nom-du-pod> -- sh", &[])
            .1
            .is_empty()
    );
    // A placeholder inside the selector has no labels of its own.
    assert!(
        one("kubectl get pods -l app=<nom-de-l-app>", &[])
            .1
            .is_empty()
    );
}

fn options(before: &str, live: &[(&str, &str)]) -> (usize, Vec<String>) {
    let live: Vec<(String, String)> = live
        .iter()
        .map(|(k, n)| ((*k).to_owned(), (*n).to_owned()))
        .collect();
    let c = complete(before, &live);
    let mut sorted = c.options.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(c.options, sorted, "{before}: sorted, without duplicates");
    (c.from, c.options)
}

const LIVE: &[(&str, &str)] = &[
    ("Pod", "web-1"),
    ("Pod", "web-2"),
    ("Pod", "db-0"),
    ("Job", "retrain-1"),
    ("Deployment", "web"),
    ("CronJob", "retrain"),
    ("File", "k8s/app.yaml"),
    ("Pod", "web-1"),
];

#[test]
fn completes_verbs_and_sub_verbs() {
    assert_eq!(options("kub", LIVE), (0, vec!["kubectl".to_owned()]));
    let (from, o) = options("kubectl ", LIVE);
    assert_eq!(from, 8);
    assert!(o.contains(&"get".to_owned()) && o.contains(&"rollout".to_owned()));
    assert!(!o.contains(&"edit".to_owned()) && !o.contains(&"proxy".to_owned()));
    assert_eq!(options("kubectl ro", LIVE), (8, vec!["rollout".to_owned()]));
    let (_, o) = options("kubectl rollout ", LIVE);
    assert_eq!(o, ["history", "restart", "status", "undo"]);
    assert_eq!(options("kubectl create secret ", LIVE).1, ["generic"]);
    assert_eq!(options("kubectl create s", LIVE).1, ["secret"]);
    assert!(options("kubectl frobnicate ", LIVE).1.is_empty());
    assert!(options("ls ", LIVE).1.is_empty());
    assert!(options("kubectl get pods | ", LIVE).1.is_empty());
}

#[test]
fn completes_kinds_by_every_name() {
    let (from, o) = options("kubectl get p", LIVE);
    assert_eq!(from, 12);
    for name in [
        "pods",
        "pod",
        "po",
        "pvc",
        "pv",
        "persistentvolumeclaims",
        "pc",
    ] {
        assert!(o.contains(&name.to_owned()), "{name}: {o:?}");
    }
    // Writes offer only the kinds the playground changes.
    let (_, o) = options("kubectl delete ", LIVE);
    assert!(o.contains(&"deploy".to_owned()) && o.contains(&"cm".to_owned()));
    assert!(!o.contains(&"nodes".to_owned()) && !o.contains(&"rs".to_owned()));
    let (_, o) = options("kubectl explain dep", LIVE);
    assert_eq!(o, ["deploy", "deployment", "deployments"]);
}

#[test]
fn completes_flags_and_their_values() {
    let (_, o) = options("kubectl get pods --wa", LIVE);
    assert_eq!(o, ["--watch", "--watch-only"]);
    let (_, o) = options("kubectl logs web -", LIVE);
    assert!(o.contains(&"-f".to_owned()) && o.contains(&"--follow".to_owned()));
    assert!(!o.iter().any(|f| f == "--namespace" || f == "-n"));
    let (from, o) = options("kubectl get pods -o ", LIVE);
    assert_eq!(from, 20);
    assert_eq!(
        o,
        [
            "custom-columns=",
            "json",
            "jsonpath-as-json=",
            "jsonpath=",
            "kyaml",
            "name",
            "wide",
            "yaml"
        ]
    );
    assert_eq!(options("kubectl get pods -o y", LIVE).1, ["yaml"]);
    let (from, o) = options("kubectl get pods --output=j", LIVE);
    assert_eq!(from, 17);
    assert_eq!(
        o,
        [
            "--output=json",
            "--output=jsonpath-as-json=",
            "--output=jsonpath="
        ]
    );
    assert_eq!(options("kubectl apply -f ", LIVE).1, ["k8s/app.yaml"]);
    assert_eq!(
        options("kubectl create job j --from ", LIVE).1,
        ["cronjob/retrain"]
    );
    assert_eq!(
        options("kubectl get pods --watch=", LIVE).1,
        ["--watch=false", "--watch=true"]
    );
}

#[test]
fn completes_names_of_live_objects_of_the_kind_asked() {
    assert_eq!(
        options("kubectl get pods ", LIVE).1,
        ["db-0", "web-1", "web-2"]
    );
    assert_eq!(options("kubectl get pods w", LIVE).1, ["web-1", "web-2"]);
    assert_eq!(options("kubectl delete deploy ", LIVE).1, ["web"]);
    assert_eq!(options("kubectl scale deployment ", LIVE).1, ["web"]);
    let (_, o) = options("kubectl logs ", LIVE);
    assert_eq!(o, ["db-0", "deploy/", "job/", "pod/", "web-1", "web-2"]);
    let (from, o) = options("kubectl logs job/", LIVE);
    assert_eq!((from, o), (13, vec!["job/retrain-1".to_owned()]));
    assert_eq!(options("kubectl logs deploy/w", LIVE).1, ["deploy/web"]);
    assert_eq!(options("kubectl exec -it w", LIVE).1, ["web-1", "web-2"]);
    assert!(options("kubectl exec -it web-1 -- ", LIVE).1.is_empty());
    assert_eq!(
        options("kubectl get pods -l app=web ", LIVE).1,
        ["db-0", "web-1", "web-2"]
    );
}

#[test]
fn audit_hides_secret_values() {
    let audit = |line: &str| match parse(line) {
        Parsed::Kubectl(k) => k.audit(),
        other => panic!("{line}: {other:?}"),
    };
    assert_eq!(
        audit(
            "kubectl create secret generic s --from-literal=api-key=supersecretkey123 --from-literal token=abc"
        ),
        "kubectl create secret generic s '--from-literal=api-key=***' --from-literal 'token=***'"
    );
    assert_eq!(
        audit("kubectl create configmap c --from-literal=mode=fast"),
        "kubectl create configmap c --from-literal=mode=fast"
    );
    assert_eq!(
        audit(
            "kubectl set env deploy/web -c app API_KEY=abc MODE=x OLD- -e B=c --env=D=e -l app=web"
        ),
        "kubectl set env deploy/web -c app 'API_KEY=***' 'MODE=***' OLD- -e 'B=***' '--env=D=***' -l app=web"
    );
    assert_eq!(
        audit("kubectl exec -it db -- psql postgres://iris:hunter2@db/irisdb PGPASSWORD=x -U iris"),
        "kubectl exec -it db -- psql 'postgres://iris:***@db/irisdb' 'PGPASSWORD=***' -U iris"
    );
    assert_eq!(
        audit("kubectl get pods -o 'jsonpath={.x}'"),
        "kubectl get pods -o 'jsonpath={.x}'"
    );
    let line = audit("kubectl create secret generic s --from-literal=a=b");
    assert!(!line.contains("=b"), "{line}");
}
