//! The command parser on every line of Fiche 3 and on the spellings kubectl accepts.

use kubefiche_core::command::{Kubectl, Parsed, parse};

fn kubectl(line: &str) -> Kubectl {
    match parse(line) {
        Parsed::Kubectl(k) => k,
        other => panic!("{line:?} should run, got {other:?}"),
    }
}

fn runs(line: &str) {
    kubectl(line);
}

/// The lines of the `bash` blocks of a markdown text.
fn bash_lines(markdown: &str) -> Vec<&str> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside && line.trim_start() == "```bash";
            continue;
        }
        if inside {
            out.push(line);
        }
    }
    out
}

/// What each line of the fiche's `bash` blocks is, in order: `K verb streaming terminal file`,
/// `E` (elsewhere, with the instead line when there is one) or `-` (nothing to run).
const FICHE: &[(&str, &str)] = &[
    (
        "kubectl apply -f k8s/config.yaml",
        "K apply - - k8s/config.yaml",
    ),
    ("kubectl get configmap iris-config", "K get - - -"),
    ("kubectl describe configmap iris-config", "K describe - - -"),
    (
        "kubectl apply -f k8s/server.yaml",
        "K apply - - k8s/server.yaml",
    ),
    ("kubectl exec -it <nom-du-pod> -- /bin/bash", "K exec - T -"),
    (
        "env | grep API",
        "E kubectl set env pod/<nom-du-pod> --list --resolve",
    ),
    (
        "kubectl create secret generic iris-secrets --from-literal=api-key=supersecretkey123",
        "K create - - -",
    ),
    ("kubectl get secret iris-secrets -o yaml", "K get - - -"),
    (
        "kubectl apply -f k8s/server.yaml",
        "K apply - - k8s/server.yaml",
    ),
    ("kubectl exec -it <nom-du-pod> -- /bin/bash", "K exec - T -"),
    (
        "env | grep API_KEY",
        "E kubectl set env pod/<nom-du-pod> --list --resolve",
    ),
    ("kubectl delete configmap iris-config", "K delete - - -"),
    ("kubectl delete secret iris-secrets", "K delete - - -"),
    (
        "kubectl apply -f k8s/postgres.yaml",
        "K apply - - k8s/postgres.yaml",
    ),
    ("kubectl get pods -l app=postgres --watch", "K get S - -"),
    ("# Attendez que le STATUS soit Running, puis Ctrl+C", "-"),
    ("kubectl get pvc postgres-pvc", "K get - - -"),
    (
        "kubectl exec -it <nom-du-pod-postgres> -- psql -U iris -d irisdb",
        "K exec - T -",
    ),
    ("kubectl delete pod <nom-du-pod-postgres>", "K delete - - -"),
    ("kubectl get pods -l app=postgres --watch", "K get S - -"),
    (
        "# Attendez que le nouveau pod soit Running, puis Ctrl+C",
        "-",
    ),
    (
        "kubectl exec -it <nouveau-nom-du-pod> -- psql -U iris -d irisdb",
        "K exec - T -",
    ),
    ("SELECT * FROM predictions;", "E"),
    ("\\q", "E"),
    (
        "kubectl delete -f k8s/postgres.yaml",
        "K delete - - k8s/postgres.yaml",
    ),
    (
        "kubectl apply -f k8s/cronjob.yaml",
        "K apply - - k8s/cronjob.yaml",
    ),
    ("kubectl get jobs --watch", "K get S - -"),
    (
        "# Remplacez <nom-du-job> par le nom affiché dans kubectl get jobs",
        "-",
    ),
    ("kubectl logs job/<nom-du-job>", "K logs - - -"),
    (
        "kubectl describe cronjob iris-retrainer",
        "K describe - - -",
    ),
    (
        "kubectl create job iris-retrainer-manual --from=cronjob/iris-retrainer",
        "K create - - -",
    ),
    ("kubectl logs job/iris-retrainer-manual", "K logs - - -"),
    (
        "kubectl delete -f k8s/cronjob.yaml",
        "K delete - - k8s/cronjob.yaml",
    ),
    ("docker build -t mcp-server:latest ./mcp-server", "E"),
    (
        "kubectl apply -f k8s/mcp-server.yaml",
        "K apply - - k8s/mcp-server.yaml",
    ),
    ("kubectl get pods -l app=mcp-server --watch", "K get S - -"),
    ("docker build -t pydantic-agent:latest ./agent", "E"),
    (
        "kubectl apply -f k8s/agent.yaml",
        "K apply - - k8s/agent.yaml",
    ),
    (
        "kubectl logs -l app=pydantic-agent --follow",
        "K logs S - -",
    ),
    (
        "kubectl scale deployment pydantic-agent --replicas=5",
        "K scale - - -",
    ),
    ("kubectl get pods -l app=pydantic-agent", "K get - - -"),
    ("kubectl logs -l app=mcp-server --follow", "K logs S - -"),
    (
        "kubectl scale deployment mcp-server --replicas=3",
        "K scale - - -",
    ),
    ("kubectl get pods -l app=mcp-server", "K get - - -"),
    (
        "kubectl delete -f k8s/mcp-server.yaml",
        "K delete - - k8s/mcp-server.yaml",
    ),
    (
        "kubectl delete -f k8s/agent.yaml",
        "K delete - - k8s/agent.yaml",
    ),
];

fn describe(parsed: &Parsed) -> String {
    let flag = |on: bool, c: &str| if on { c.to_owned() } else { "-".to_owned() };
    match parsed {
        Parsed::Nothing => "-".to_owned(),
        Parsed::Kubectl(k) => format!(
            "K {} {} {} {}",
            k.verb,
            flag(k.streaming, "S"),
            flag(k.terminal, "T"),
            k.file.as_deref().unwrap_or("-")
        ),
        Parsed::Elsewhere { why, instead } => {
            assert!(!why.en.is_empty() && !why.fr.is_empty());
            match instead {
                Some(line) => format!("E {line}"),
                None => "E".to_owned(),
            }
        }
        Parsed::Refused(why) => format!("REFUSED {}", why.en),
    }
}

#[test]
fn every_line_of_fiche_3_runs_or_says_where_it_belongs() {
    let markdown = include_str!("../../public/fiches/fiche-3.md");
    let lines = bash_lines(markdown);
    let expected: Vec<&str> = FICHE.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, expected, "the fiche's bash lines changed");
    for (line, want) in FICHE {
        assert_eq!(describe(&parse(line)), *want, "{line}");
    }
}

#[test]
fn instead_lines_themselves_run() {
    for (_, want) in FICHE {
        if let Some(line) = want.strip_prefix("E ") {
            runs(line);
        }
    }
}

#[test]
fn blank_lines_and_comments_are_nothing() {
    for line in ["", "   ", "\t", "# a comment", "   # indented comment"] {
        assert_eq!(parse(line), Parsed::Nothing, "{line:?}");
    }
}

#[test]
fn trailing_comments_are_dropped_but_not_inside_words_or_quotes() {
    assert_eq!(
        kubectl("kubectl get pods # all of them").args,
        ["get", "pods"]
    );
    assert_eq!(kubectl("kubectl get pods#x").args, ["get", "pods#x"]);
    let k = kubectl("kubectl get pods -l 'app=a #b'");
    assert_eq!(k.args, ["get", "pods", "-l", "app=a #b"]);
}

#[test]
fn words_are_split_as_a_shell_would() {
    let k = kubectl(r#"kubectl get pods -o 'jsonpath={.items[*].metadata.name}'"#);
    assert_eq!(k.args[3], "jsonpath={.items[*].metadata.name}");
    let k = kubectl(r#"kubectl get pods -o "jsonpath={.items[0].metadata.name}""#);
    assert_eq!(k.args[3], "jsonpath={.items[0].metadata.name}");
    let k = kubectl(r#"kubectl create configmap c --from-literal="greeting=say \"hi\" \\ bye""#);
    assert_eq!(k.args[3], r#"--from-literal=greeting=say "hi" \ bye"#);
    let k = kubectl(r"kubectl create configmap c --from-literal=a=b\ c");
    assert_eq!(k.args[3], "--from-literal=a=b c");
    let k = kubectl(r#"kubectl create configmap c --from-literal='a=it'\''s'"#);
    assert_eq!(k.args[3], "--from-literal=a=it's");
    let k = kubectl("kubectl\tget   pods\r");
    assert_eq!(k.args, ["get", "pods"]);
    let k = kubectl(r#"kubectl get pods -o jsonpath="{.a}\n""#);
    assert_eq!(k.args[3], r"jsonpath={.a}\n");
    // `{…}` without a comma or a sequence is not a brace expansion.
    let k = kubectl("kubectl get pods -o jsonpath={.items[0].metadata.name}");
    assert_eq!(k.args[3], "jsonpath={.items[0].metadata.name}");
}

#[test]
fn flags_in_every_spelling() {
    for line in [
        "kubectl get pods -l app=web",
        "kubectl get pods -lapp=web",
        "kubectl get pods -l=app=web",
        "kubectl get pods --selector=app=web",
        "kubectl get pods --selector app=web",
        "kubectl get pods -o=yaml",
        "kubectl get pods -oyaml",
        "kubectl get pods --output yaml",
        "kubectl get pods --output=wide",
        "kubectl get pods -o name",
        "kubectl get pods -o json",
        "kubectl get pods -o jsonpath={.items}",
        "kubectl get pods -o custom-columns=NAME:.metadata.name",
        "kubectl get pods --show-labels --sort-by=.metadata.name -L app",
        "kubectl get pods -Lapp,tier",
        "kubectl get pod/web-1 deploy/web",
        "kubectl get pods,services",
        "kubectl get pv",
        "kubectl get storageclass",
        "kubectl get nodes -o wide",
        "kubectl get events",
        "kubectl get all",
        "kubectl get -f k8s/app.yaml",
        "kubectl get -f ./k8s/app.yaml",
        "kubectl get pods --watch=false",
        "kubectl get pods -h",
        "kubectl describe pod web",
        "kubectl describe pods -l app=web --show-events=false",
        "kubectl logs web",
        "kubectl logs web web-container",
        "kubectl logs deploy/web",
        "kubectl logs deployment/web -c app --tail 20 --since=5m",
        "kubectl logs web -p",
        "kubectl logs web --previous --timestamps --prefix --all-containers",
        "kubectl logs -l app=web --tail=-1",
        "kubectl exec web -- ls /",
        "kubectl exec web -c app -- env",
        "kubectl exec -ti web -- sh",
        "kubectl exec -i -t web -- sh",
        "kubectl exec --stdin --tty web -- sh",
        "kubectl exec deploy/web -it -- sh",
        "kubectl create secret generic s --from-literal=a=b --from-literal c=d",
        "kubectl create secret generic s --from-literal=a=b --dry-run=client -o yaml",
        "kubectl create secret generic s --from-literal=a=b --dry-run",
        "kubectl create configmap c --from-literal=a=b",
        "kubectl create cm c --from-literal=a=b",
        "kubectl create job j --from=cronjob/c",
        "kubectl create job j --from cj/c",
        "kubectl scale deploy/web --replicas 2",
        "kubectl scale deployments web --replicas=0",
        "kubectl scale deployment.apps web --replicas=1",
        "kubectl delete pod web",
        "kubectl delete pods -l app=web",
        "kubectl delete pods --all",
        "kubectl delete pod web --grace-period=0 --force",
        "kubectl delete pod web --now --wait=false",
        "kubectl delete deploy/web svc/web",
        "kubectl delete deployments,services -l app=web",
        "kubectl rollout status deployment web",
        "kubectl rollout restart deploy/web",
        "kubectl rollout history deployment/web",
        "kubectl rollout undo deployment/web --to-revision=2",
        "kubectl apply -f k8s/app.yaml --dry-run=server",
        "kubectl apply -f=k8s/app.yaml",
        "kubectl apply --filename k8s/app.yaml",
        "kubectl explain pods.spec.containers",
        "kubectl explain deployment --recursive",
        "kubectl set env pod/web --list --resolve",
        "kubectl set env deployment/web -c app KEY=value OTHER-",
        "kubectl set env deployment/web --from=configmap/c",
        "kubectl top pod",
        "kubectl top pods -l app=web",
        "kubectl top po web --containers",
        "kubectl top nodes",
        "kubectl label pod web tier=front",
        "kubectl label pods --all tier=front --overwrite",
        "kubectl label deploy/web tier-",
        "kubectl annotate pod web note='hello world'",
        "kubectl events",
        "kubectl events --for pod/web --types=Warning",
        "kubectl wait --for=condition=Ready pod -l app=web --timeout=60s",
        "kubectl api-resources --namespaced=true",
        "kubectl version",
    ] {
        runs(line);
    }
}

#[test]
fn streaming_terminal_and_file() {
    let on = |line: &str| kubectl(line).streaming;
    assert!(on("kubectl get pods -w"));
    assert!(on("kubectl get pods -wl app=web"));
    assert!(on("kubectl get pods --watch=true"));
    assert!(on("kubectl get pods --watch-only"));
    assert!(!on("kubectl get pods --watch=false"));
    assert!(!on("kubectl get pods -w=false"));
    assert!(!on("kubectl get pods --watch --watch=false"));
    assert!(on("kubectl logs web -f"));
    assert!(on("kubectl logs -fl app=web"));
    assert!(!on("kubectl logs web"));
    assert!(on("kubectl rollout status deploy/web"));
    assert!(!on("kubectl rollout status deploy/web --watch=false"));
    assert!(on("kubectl events -w"));
    assert!(on("kubectl wait --for=delete pod/web"));
    assert!(!on("kubectl apply -f k8s/a.yaml"));

    let term = |line: &str| kubectl(line).terminal;
    assert!(term("kubectl exec -it web -- sh"));
    assert!(term("kubectl exec web -ti -- sh"));
    assert!(term("kubectl exec --stdin=true --tty web -- sh"));
    assert!(!term("kubectl exec web -- ls"));

    assert_eq!(
        kubectl("kubectl apply -f ./k8s/a.yml").file.as_deref(),
        Some("k8s/a.yml")
    );
    assert_eq!(
        kubectl("kubectl delete --filename=a.json").file.as_deref(),
        Some("a.json")
    );
    assert_eq!(kubectl("kubectl logs web -f").file, None);
    assert_eq!(kubectl("kubectl rollout status deploy/web").verb, "rollout");
}

#[test]
fn the_line_and_its_placeholder() {
    let k = kubectl("kubectl logs job/<nom-du-job>");
    assert_eq!(k.placeholder().as_deref(), Some("nom-du-job"));
    assert_eq!(k.line(), "kubectl logs job/<nom-du-job>");
    assert_eq!(kubectl("kubectl get pods").placeholder(), None);
    let k = kubectl("kubectl annotate pod web note='hello world'");
    assert_eq!(k.line(), "kubectl annotate pod web 'note=hello world'");
    assert_eq!(parse(&k.line()), Parsed::Kubectl(k));
}
