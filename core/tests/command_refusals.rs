//! Every refusal of the command parser, in every spelling, and the lines for elsewhere.

use kubefiche_core::Text;
use kubefiche_core::command::{Parsed, parse};

/// The reason a line is refused; each must be given in both languages.
fn refused(line: &str) -> Text {
    match parse(line) {
        Parsed::Refused(why) => {
            assert!(!why.en.is_empty() && !why.fr.is_empty(), "{line}");
            assert_ne!(why.en, why.fr, "{line}: the French reason is not written");
            why
        }
        other => panic!("{line:?} should be refused, got {other:?}"),
    }
}

/// Refused, with a reason that contains `needle` (in English).
fn refused_with(line: &str, needle: &str) {
    let why = refused(line);
    assert!(
        why.en.contains(needle),
        "{line}: {:?} lacks {needle:?}",
        why.en
    );
}

#[test]
fn shell_syntax_on_a_kubectl_line_is_refused() {
    for (line, what) in [
        ("kubectl get pods; kubectl get svc", "separator"),
        ("kubectl get pods && kubectl get svc", "separator"),
        ("kubectl get pods || true", "separator"),
        ("kubectl get pods &", "separator"),
        ("kubectl logs web > out.txt", "redirection"),
        ("kubectl logs web >> out.txt", "redirection"),
        ("kubectl apply -f - < k8s/a.yaml", "redirection"),
        ("kubectl get pods 2>/dev/null", "redirection"),
        ("kubectl get pods -l app=$APP", "substitution"),
        ("kubectl get pods -l \"app=$APP\"", "substitution"),
        ("kubectl get pods -l app=`whoami`", "substitution"),
        ("kubectl get pods -l \"app=`whoami`\"", "substitution"),
        ("kubectl get $(echo pods)", "substitution"),
        ("kubectl get pods (x)", "parentheses"),
        ("kubectl delete pod web-*", "wildcard"),
        ("kubectl delete pod web-?", "wildcard"),
        ("kubectl delete pod {a,b}", "brace"),
        ("kubectl delete pod web-{1..3}", "brace"),
        ("kubectl apply -f ~/a.yaml", "home"),
        ("kubectl apply --filename=~/a.yaml", "home"),
        ("KUBECONFIG=/tmp/x kubectl get pods", "assignment"),
        ("A=1 B=2 kubectl get pods", "assignment"),
        ("kubectl get pods \\", "continuation"),
        ("kubectl get pods -l 'app=web", "unclosed"),
        ("kubectl get pods -l \"app=web", "unclosed"),
        ("kubectl get pods\nkubectl get svc", "separator"),
        ("kubectl get pods <input", "redirection"),
        ("kubectl get pods < <nom>", "redirection"),
    ] {
        let why = refused(line);
        assert!(why.en.contains(what), "{line}: {}", why.en);
        assert!(why.en.contains("never a shell"), "{line}");
    }
}

#[test]
fn other_namespaces_are_refused() {
    for line in [
        "kubectl get pods -n kube-system",
        "kubectl get pods -nkube-system",
        "kubectl get pods -n=kube-system",
        "kubectl get pods --namespace kube-system",
        "kubectl get pods --namespace=kube-system",
        "kubectl get pods -A",
        "kubectl get pods --all-namespaces",
        "kubectl get pods --all-namespaces=true",
        "kubectl get pods -wA",
        "kubectl -n kube-system get pods",
        "kubectl --namespace=x get pods",
        "kubectl exec -itn x web -- sh",
        "kubectl delete pods --all -A",
        "kubectl logs -n x web",
        "kubectl top pods -A",
        "kubectl events -A",
    ] {
        refused_with(line, "namespace");
    }
}

#[test]
fn connection_flags_are_refused() {
    for flag in [
        "--kubeconfig=/tmp/k",
        "--context=prod",
        "--cluster prod",
        "--server=https://10.0.0.1",
        "-s https://10.0.0.1",
        "--token=abc",
        "--user=admin",
        "--as=admin",
        "--as-group=system:masters",
        "--as-uid=0",
        "--insecure-skip-tls-verify",
        "--certificate-authority=/ca",
        "--client-certificate=/c",
        "--client-key=/k",
        "--kuberc=/tmp/r",
    ] {
        refused_with(&format!("kubectl get pods {flag}"), "another cluster");
        refused_with(&format!("kubectl {flag} get pods"), "another cluster");
    }
    refused_with("kubectl get --raw /api", "any shape");
    refused_with(
        "kubectl logs web --insecure-skip-tls-verify-backend",
        "another",
    );
}

#[test]
fn files_other_than_workspace_manifests_are_refused() {
    for (line, needle) in [
        ("kubectl apply -f /etc/passwd", "a path on the machine"),
        ("kubectl apply -f=/tmp/a.yaml", "a path on the machine"),
        ("kubectl apply -f C:/a.yaml", "a path on the machine"),
        ("kubectl apply -f ../secret.yaml", "without `..`"),
        ("kubectl apply -f k8s/../../x.yaml", "without `..`"),
        ("kubectl apply -f k8s//x.yaml", "without `..`"),
        ("kubectl apply -f https://example.com/a.yaml", "network"),
        ("kubectl apply -f http://example.com/a.yaml", "network"),
        ("kubectl apply -f -", "standard input"),
        ("kubectl apply -f k8s/", "a folder"),
        ("kubectl apply -f k8s", "a folder"),
        (
            "kubectl apply -f k8s/a.yaml,k8s/b.yaml",
            "one file at a time",
        ),
        ("kubectl apply -f k8s/a.yaml -f k8s/b.yaml", "one -f"),
        ("kubectl apply -f k8s/a.yaml -R", "files or folders"),
        ("kubectl apply -k k8s/", "files or folders"),
        ("kubectl apply --kustomize=k8s", "files or folders"),
        ("kubectl delete -f /etc/a.yaml", "a path on the machine"),
        ("kubectl get -f ../a.yaml", "without `..`"),
        (
            "kubectl create secret generic s --from-file=/etc/shadow",
            "files or folders",
        ),
        (
            "kubectl create configmap c --from-env-file=.env",
            "files or folders",
        ),
        (
            "kubectl get pods -o jsonpath-file=/etc/passwd",
            "reads a file",
        ),
        ("kubectl get pods -o go-template-file=/x", "reads a file"),
        ("kubectl get pods -o custom-columns-file=/x", "reads a file"),
        (
            "kubectl apply -f k8s/a.yaml --prune -l app=x",
            "deletes every object",
        ),
    ] {
        refused_with(line, needle);
    }
}

#[test]
fn verbs_refused_with_their_reason() {
    for (verb, needle) in [
        ("proxy", "tunnel"),
        ("port-forward web 8080:80", "tunnel"),
        ("cp web:/etc/passwd ./x", "copies files"),
        ("attach web", "logs -f"),
        ("edit deploy/web", "editor"),
        ("replace -f k8s/a.yaml", "without the checks"),
        ("patch deploy web -p {}", "without the checks"),
        ("run web --image=nginx", "outside the workspace"),
        ("config view", "kubeconfig"),
        ("config use-context prod", "kubeconfig"),
        ("auth can-i '*' '*'", "permissions"),
        ("certificate approve x", "certificates"),
        ("drain node-1", "nodes"),
        ("cordon node-1", "nodes"),
        ("uncordon node-1", "nodes"),
        ("taint nodes node-1 a=b:NoSchedule", "nodes"),
        ("debug web -it --image=busybox", "debugging"),
        ("plugin list", "plugins"),
        ("krew install x", "plugins are not run"),
        ("neat get pods", "plugins are not run"),
        ("expose deploy web --port=80", "It runs: get"),
        ("diff -f k8s/a.yaml", "It runs: get"),
    ] {
        refused_with(&format!("kubectl {verb}"), needle);
    }
    refused_with("kubectl", "Type a command");
    refused_with("kubectl --help", "Type a command");
    refused_with("kubectl -v=9 get pods", "before the command");
}

#[test]
fn unknown_flags_and_sub_verbs_say_what_is_offered() {
    refused_with("kubectl get pods --bogus", "-l/--selector");
    refused_with(
        "kubectl get pods -Z",
        "`-Z` is not offered with `kubectl get`",
    );
    refused_with("kubectl logs web -x", "--tail");
    refused_with("kubectl delete pod web -i", "keyboard");
    refused_with("kubectl delete pod web --interactive", "keyboard");
    refused_with("kubectl rollout pause deploy/web", "status");
    refused_with("kubectl rollout", "needs one of");
    refused_with(
        "kubectl create deployment web --image=x",
        "secret, configmap, job",
    );
    refused_with("kubectl create secret tls x --cert=a --key=b", "generic");
    refused_with("kubectl create -o yaml secret generic s", "right after it");
    refused_with("kubectl set image deploy/web app=x", "env");
    refused_with("kubectl top", "pod, node");
    refused_with(
        "kubectl get pods -o go-template={{.x}}",
        "output formats offered",
    );
    refused_with("kubectl get pods -o", "needs a value");
    refused_with("kubectl get pods -l", "needs a value");
    refused_with("kubectl get pods -l -n", "needs a value");
    refused_with("kubectl get pods -l --", "needs a value");
    refused_with("kubectl get pods --watch=maybe", "true or false");
    refused_with("kubectl explain pods -o yaml", "plaintext");
}

#[test]
fn writes_to_cluster_scoped_kinds_are_refused_in_every_spelling() {
    for kind in [
        "node",
        "nodes",
        "no",
        "Nodes",
        "node/node-1",
        "nodes.v1",
        "namespace",
        "ns",
        "pv",
        "persistentvolumes",
        "sc",
        "storageclass.storage.k8s.io",
        "clusterrole",
        "clusterrolebindings",
        "crd",
        "customresourcedefinitions.apiextensions.k8s.io",
        "priorityclasses",
        "pc",
        "pods,nodes",
    ] {
        for verb in ["delete", "label", "annotate"] {
            let target = if kind.contains('/') {
                kind.to_owned()
            } else {
                format!("{kind} x")
            };
            let change = if verb == "delete" { "" } else { " a=b" };
            refused_with(&format!("kubectl {verb} {target}{change}"), "cluster-wide");
        }
    }
    refused_with("kubectl scale node x --replicas=1", "cluster-wide");
    refused_with("kubectl create namespace x", "cluster-wide");
    refused_with("kubectl create ns x", "cluster-wide");
    refused_with("kubectl create clusterrole x --verb=get", "cluster-wide");
    refused_with("kubectl set env nodes/x A=b", "cluster-wide");
    refused_with("kubectl rollout restart ns/x", "cluster-wide");
    refused_with("kubectl delete ns --all", "cluster-wide");
    // Reading them is fine.
    for line in [
        "kubectl get nodes",
        "kubectl get no",
        "kubectl get pv",
        "kubectl get sc",
        "kubectl describe node node-1",
        "kubectl get namespaces",
        "kubectl set env nodes/x --list",
    ] {
        assert!(matches!(parse(line), Parsed::Kubectl(_)), "{line}");
    }
}

#[test]
fn writes_to_kinds_the_playground_does_not_apply_are_refused() {
    for line in [
        "kubectl delete replicaset web-123",
        "kubectl delete rs web-123",
        "kubectl delete statefulset db",
        "kubectl scale sts db --replicas=2",
        "kubectl scale rs/web --replicas=2",
        "kubectl delete events --all",
        "kubectl delete serviceaccount default",
        "kubectl label rolebinding x a=b",
        "kubectl rollout restart daemonset/x",
        "kubectl delete deployments.example.com x",
        "kubectl delete pods.v2.example.com x",
    ] {
        refused_with(line, "only the kinds of the worksheets");
    }
    refused_with("kubectl delete all --all", "Name the kinds");
    refused_with("kubectl delete all -l app=web", "Name the kinds");
    assert!(matches!(
        parse("kubectl rollout status sts/db"),
        Parsed::Kubectl(_)
    ));
    assert!(matches!(parse("kubectl get rs"), Parsed::Kubectl(_)));
}

#[test]
fn create_exec_and_set_env_rules() {
    refused_with("kubectl create job j --image=busybox", "--image");
    refused_with("kubectl create job j", "from a CronJob");
    refused_with("kubectl create job j --from=deploy/web", "from a CronJob");
    refused_with("kubectl create job j --from=cronjob/", "from a CronJob");
    refused_with(
        "kubectl create secret generic --from-literal=a=b",
        "exactly one name",
    );
    refused_with(
        "kubectl create configmap a b --from-literal=a=b",
        "exactly one name",
    );
    refused_with("kubectl exec web ls", "`--`");
    refused_with("kubectl exec web --", "`--`");
    refused_with("kubectl exec -- ls", "`--`");
    refused_with("kubectl exec -it web", "`--`");
    refused_with("kubectl exec -i web -- cat", "only one of -i and -t");
    refused_with("kubectl exec -t web -- sh", "only one of -i and -t");
    refused_with("kubectl exec -it=false web -- sh", "only one of -i and -t");
    refused_with("kubectl exec --stdin web -- cat", "only one of -i and -t");
    refused_with("kubectl set env deploy/web -", "standard input");
    refused_with("kubectl set env deploy/web -e -", "standard input");
}

#[test]
fn no_allowed_command_lists_a_refused_flag() {
    use kubefiche_core::command::policy::{is_refused, refused_short};
    use kubefiche_core::command::verbs::VERBS;
    for verb in VERBS {
        for flag in verb.flags {
            let own = matches!(
                (verb.path, flag.long),
                (["explain"], "recursive") | (["exec"], "stdin")
            );
            assert!(
                own || !is_refused(flag.long),
                "{} --{}",
                verb.name(),
                flag.long
            );
            if let Some(c) = flag.short {
                assert!(own || refused_short(c).is_none(), "{} -{c}", verb.name());
            }
        }
    }
}

#[test]
fn patch_only_suspends_or_resumes_a_cron_job() {
    for line in [
        r#"kubectl patch cronjob cleanup -p '{"spec":{"suspend":true}}'"#,
        r#"kubectl patch cronjob/cleanup --patch '{"spec":{"suspend":false}}'"#,
        r#"kubectl patch cj cleanup --type=merge -p '{"spec": {"suspend": true}}'"#,
    ] {
        assert!(
            matches!(kubefiche_core::command::parse(line), Parsed::Kubectl(_)),
            "{line} should run"
        );
    }
    for line in [
        r#"kubectl patch deploy web -p '{"spec":{"suspend":true}}'"#,
        r#"kubectl patch cronjob cleanup -p '{"spec":{"suspend":true,"schedule":"* * * * *"}}'"#,
        r#"kubectl patch cronjob cleanup -p '{"spec":{"suspend":"yes"}}'"#,
        r#"kubectl patch cronjob cleanup -p '{"metadata":{"labels":{"a":"b"}},"spec":{"suspend":true}}'"#,
        r#"kubectl patch cronjob cleanup --type=json -p '{"spec":{"suspend":true}}'"#,
        r#"kubectl patch cronjob a b -p '{"spec":{"suspend":true}}'"#,
        "kubectl patch cronjob cleanup",
    ] {
        refused_with(line, "suspend or resume one CronJob");
    }
}
