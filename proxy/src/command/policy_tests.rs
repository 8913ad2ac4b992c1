use super::*;

fn kubectl(line: &str) -> Kubectl {
    let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let verb = args[0].clone();
    let file = args
        .iter()
        .position(|w| w == "-f" && verb != "logs")
        .and_then(|i| args.get(i + 1).cloned());
    Kubectl {
        args,
        verb,
        streaming: false,
        terminal: false,
        file,
    }
}

fn plan(line: &str) -> Plan {
    check(&kubectl(line)).unwrap_or_else(|why| panic!("{line}: {}", why.en))
}

#[test]
fn the_worksheet_commands_pass_unchanged() {
    for line in [
        "get pods -l app=mcp-server --watch",
        "get secret iris-secrets -o yaml",
        "get pods -lapp=nas -ojsonpath={.items[*].metadata.name}",
        "describe cronjob iris-retrainer",
        "logs -l app=mcp-server -f",
        "logs job/iris-retrainer-manual",
        "create secret generic iris-secrets --from-literal=api-key=supersecretkey123",
        "create job iris-retrainer-manual --from=cronjob/iris-retrainer",
        "scale deployment mcp-server --replicas=3",
        "scale deployment/mcp-server --replicas=3",
        "delete configmap iris-config",
        "delete pod postgres-0",
        "delete pods,svc -l app=web",
        "set env pod/web --list --resolve",
        "set env deployment/web -eMODE=nas",
        "exec web -- env",
        "rollout status deployment/web",
        "explain deployment.spec.replicas",
    ] {
        assert_eq!(plan(line).args, kubectl(line).args, "{line}");
        assert_eq!(plan(line).file, None, "{line}");
    }
}

#[test]
fn a_workspace_file_goes_to_stdin_whatever_the_spelling() {
    for (line, args) in [
        ("apply -f k8s/a.yaml", "apply -f -"),
        ("delete -f k8s/a.yaml", "delete -f -"),
        ("apply --filename k8s/a.yaml", "apply --filename -"),
        ("apply --filename=k8s/a.yaml", "apply --filename=-"),
        ("apply -f=k8s/a.yaml", "apply -f=-"),
        ("apply -fk8s/a.yaml", "apply -f-"),
        ("delete -Rfk8s/a.yaml", "delete -Rf-"),
    ] {
        let mut command = kubectl(line);
        command.file = None;
        let plan = check(&command).unwrap_or_else(|why| panic!("{line}: {}", why.en));
        assert_eq!(plan.args.join(" "), args, "{line}");
        assert_eq!(plan.file.as_deref(), Some("k8s/a.yaml"), "{line}");
    }
}

#[test]
fn refuses_what_would_undo_the_forced_flags_or_reach_the_disk() {
    for line in [
        "get pods -n kube-system",
        "get pods -nkube-system",
        "get pods --namespace=kube-system",
        "get pods -A",
        "get pods -wA",
        "get pods --all-namespaces",
        "get pods --kubeconfig /etc/k",
        "get pods --context other",
        "get pods --cluster other",
        "get pods -s https://evil",
        "get pods --server=https://evil",
        "get pods --token abc",
        "get pods --as admin",
        "get pods --as-group system:masters",
        "get --raw /api",
        "get pods --insecure-skip-tls-verify",
        "get pods -v 9",
        "get pods -o go-template-file=/etc/passwd",
        "get pods -ojsonpath-file=/etc/passwd",
        "apply -k dir",
        "create configmap x --from-file=/etc/passwd",
        "create secret tls x --cert=/c --key=/k",
        "apply -f k8s/a.yaml -f k8s/b.yaml",
        "apply -f k8s/a.yaml --prune --all",
        "proxy",
        "port-forward pod/x 80",
        "cp x:/a /b",
        "attach x",
        "edit deploy x",
        "config view",
        "auth can-i '*' '*'",
        "certificate approve x",
        "drain node-1",
        "cordon node-1",
        "taint nodes node-1 a=b:NoSchedule",
        "hello-plugin",
        "create namespace x",
        "create clusterrole x --verb=get --resource=pods",
        "delete namespace kube-system",
        "delete ns/kube-system",
        "delete pod/a node/b",
        "label node node-1 a=b",
        "annotate pv/x a=b",
        "scale --replicas=3 deployment x",
        "set subject clusterrolebinding/x --user=me",
        "apply view-last-applied deploy/x",
        "get pods | grep web",
        "get pods ; rm -rf /",
        "get pods $(whoami)",
        "exec web -- sh -c `id`",
    ] {
        let refusal = check(&kubectl(line)).expect_err(line);
        assert!(
            refusal.en.starts_with("This command does not run"),
            "{line}"
        );
        assert!(refusal.fr.starts_with("Cette commande"), "{line}");
    }
}

#[test]
fn words_after_the_double_dash_are_the_container_s() {
    let plan = plan("exec web -- psql -U iris -n -f x");
    assert_eq!(plan.file, None);
}

#[test]
fn patch_only_suspends_or_resumes_one_cron_job() {
    for line in [
        r#"patch cronjob nightly -p {"spec":{"suspend":true}}"#,
        r#"patch cronjob/nightly --patch {"spec":{"suspend":false}}"#,
        r#"patch cj nightly --type=merge -p {"spec":{"suspend":true}}"#,
    ] {
        plan(line);
    }
    for line in [
        r#"patch deployment web -p {"spec":{"suspend":true}}"#,
        r#"patch cronjob nightly -p {"spec":{"suspend":true},"metadata":{}}"#,
        r#"patch cronjob nightly -p {"spec":{"schedule":"*"}}"#,
        r#"patch cronjob nightly --type=json -p {"spec":{"suspend":true}}"#,
        r#"patch cronjob nightly -p {"spec":{"suspend":true}} --patch-file=/etc/x"#,
        r#"patch cronjob a b -p {"spec":{"suspend":true}}"#,
        "patch cronjob nightly",
    ] {
        let why = check(&kubectl(line)).expect_err(line);
        assert!(why.en.contains("suspend or resume"), "{line}: {}", why.en);
    }
}

#[test]
fn replicas_stay_within_the_cap() {
    let within = |line: &str| replicas_within(&plan(line).args, 20);
    for line in [
        "scale deployment pydantic-agent --replicas=5",
        "scale deployment mcp-server --replicas 3",
        "scale deploy/web --replicas=20",
        "scale deployment web --current-replicas=50 --replicas=0",
        "create deployment web --image=nginx --replicas=2",
        "create deployment web --image=nginx -r 20",
        "create deployment web --image=busybox -- sleep --replicas=99",
        "get deployments",
    ] {
        within(line).unwrap_or_else(|why| panic!("{line}: {}", why.en));
    }
    for line in [
        "scale deployment web --replicas=21",
        "scale deployment web --replicas 100000",
        "scale deployment web --replicas=2 --replicas=50",
        "scale -f k8s/web.yaml --replicas=1000",
        "create deployment web --image=nginx --replicas=500",
        "create deployment web --image=nginx -r 500",
        "create deployment web --image=nginx -r500",
        "scale deployment web --replicas=99999999999999999999999",
    ] {
        let why = within(line).expect_err(line);
        assert!(why.en.contains("at most 20"), "{line}: {}", why.en);
        assert!(why.fr.contains("au plus 20"), "{line}: {}", why.fr);
    }
    for line in [
        "scale deployment web --replicas=0x186A0",
        "scale deployment web --replicas=1_000",
        "scale deployment web --replicas=+5",
        "scale deployment web --replicas=",
        "scale deployment web --replicas",
    ] {
        let why = within(line).expect_err(line);
        assert!(why.en.contains("in digits"), "{line}: {}", why.en);
    }
}
