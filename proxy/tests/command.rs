//! `POST /api/command` in-process: every refusal through HTTP (and that nothing ran), the guard,
//! the limits, and the stream's framing. kubectl is a small shell script written by each test
//! (run as `/bin/sh SCRIPT`, the script being the program's fixed first argument): these tests
//! check the proxy's plumbing; kubectl's own behaviour against a real API server is tested in
//! `tests/tests/commands.rs`.

// Shared with `http.rs`, which uses the parts this file does not.
#[allow(dead_code)]
#[path = "support/fake_cluster.rs"]
mod fake_cluster;
#[path = "support/fake_kubectl.rs"]
mod fake_kubectl;
#[path = "support/sse.rs"]
mod sse;
#[allow(dead_code)]
#[path = "support/app.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use fake_kubectl::Fake;
use kubefiche::kubectl::{Kubectl, Limits};
use kubefiche_core::wire::{CommandEvent, TOKEN_HEADER};
use serde_json::{Value, json};
use sse::{Events, exit_of, output_of};
use support::{CONTEXT, HOST, ORIGIN, TOKEN, assert_refusal, call, page_request};
use tokio_util::sync::CancellationToken;

fn client() -> kube::Client {
    fake_cluster::client(Arc::new(|_| {
        fake_cluster::invalid("metadata", "unexpected apply")
    }))
    .0
}

fn router(fake: &Fake, limits: Limits) -> Router {
    support::router_with_kubectl(
        client(),
        CONTEXT,
        fake.kubectl(limits),
        CancellationToken::new(),
    )
}

fn body(line: &str, files: &[(&str, &str)]) -> Value {
    let files: Vec<Value> = files
        .iter()
        .map(|(path, text)| json!({ "path": path, "text": text }))
        .collect();
    json!({ "line": line, "files": files })
}

fn command(line: &str, files: &[(&str, &str)]) -> Request<Body> {
    page_request("POST", "/api/command", Some(&body(line, files)))
}

const CONFIG: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata:\n  API_NAME: iris\n";

#[tokio::test]
async fn every_refusal_answers_before_anything_runs() {
    let fake = Fake::new("echo should not run");
    let app = router(&fake, Limits::default());
    let lines = [
        "kubectl get pods -n kube-system",
        "kubectl get pods --namespace=kube-system",
        "kubectl get pods -A",
        "kubectl get pods --all-namespaces",
        "kubectl get pods --kubeconfig=/root/.kube/config",
        "kubectl get pods --context other",
        "kubectl get pods --cluster other",
        "kubectl get pods --server https://example.org",
        "kubectl get pods -s https://example.org",
        "kubectl get pods --token abc",
        "kubectl get pods --as admin",
        "kubectl get pods --as-group system:masters",
        "kubectl get pods --as-uid 0",
        "kubectl get --raw /api/v1/nodes",
        "kubectl get pods --insecure-skip-tls-verify",
        "kubectl apply -f /etc/passwd",
        "kubectl apply -f https://example.org/x.yaml",
        "kubectl apply -f -",
        "kubectl apply -k overlays/dev",
        "kubectl create configmap x --from-file=/etc/passwd",
        "kubectl hello",
        "kubectl proxy",
        "kubectl port-forward pod/web 8080:80",
        "kubectl cp web:/etc/passwd passwd",
        "kubectl attach web",
        "kubectl edit deployment web",
        "kubectl config view --raw",
        "kubectl auth can-i --list",
        "kubectl certificate approve csr-1",
        "kubectl drain node-1",
        "kubectl cordon node-1",
        "kubectl taint nodes node-1 key=value:NoSchedule",
        "kubectl create namespace other",
        "kubectl delete namespace default",
        "kubectl delete node node-1",
        "kubectl label node node-1 role=x",
        "kubectl delete pod/web ns/kube-system",
        "kubectl get pods | grep web",
        "kubectl get pods ; rm -rf /",
        "kubectl get pods > out.txt",
        "kubectl get pods $(whoami)",
        "kubectl get pods `whoami`",
        "docker build -t iris .",
        "kubectl logs job/<nom-du-job>",
        "kubectl delete pod <nom-du-pod>",
        "",
        "# a comment",
    ];
    for line in lines {
        let answer = call(&app, command(line, &[])).await;
        assert_refusal(&answer, 403, "command-refused");
        assert!(!fake.ran(), "{line:?} ran");
    }
}

#[tokio::test]
async fn a_workspace_file_must_be_there_valid_and_within_the_policy() {
    let fake = Fake::new("echo should not run");
    let app = router(&fake, Limits::default());
    let missing = call(
        &app,
        command(
            "kubectl apply -f k8s/missing.yaml",
            &[("k8s/x.yaml", CONFIG)],
        ),
    )
    .await;
    assert_refusal(&missing, 403, "command-refused");
    assert!(
        missing.1["message"]["en"]
            .as_str()
            .is_some_and(|m| m.contains("no workspace file k8s/missing.yaml")),
        "{}",
        missing.1
    );
    let broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1\n";
    let invalid = call(
        &app,
        command("kubectl apply -f k8s/x.yaml", &[("k8s/x.yaml", broken)]),
    )
    .await;
    assert_refusal(&invalid, 422, "invalid-manifest");
    let message = invalid.1["message"]["en"].as_str().unwrap_or_default();
    assert!(message.starts_with("k8s/x.yaml, line "), "{message}");
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n";
    let cluster_wide = call(
        &app,
        command(
            "kubectl delete -f k8s/ns.yaml",
            &[("k8s/ns.yaml", namespace)],
        ),
    )
    .await;
    assert_refusal(&cluster_wide, 403, "cluster-scoped");
    let foreign = CONFIG.replace(
        "  name: iris-config\n",
        "  name: iris-config\n  namespace: kube-system\n",
    );
    let elsewhere = call(
        &app,
        command("kubectl apply -f k8s/x.yaml", &[("k8s/x.yaml", &foreign)]),
    )
    .await;
    assert_refusal(&elsewhere, 403, "foreign-namespace");
    assert!(!fake.ran());
}

#[tokio::test]
async fn a_workspace_file_reaches_kubectl_on_its_stdin() {
    let fake = Fake::new("echo \"$@\" >&2\ncat");
    let app = router(&fake, Limits::default());
    let events = Events::of(
        &app,
        command("kubectl apply -f k8s/x.yaml", &[("k8s/x.yaml", CONFIG)]),
    )
    .await;
    assert_eq!(
        events.all[0],
        CommandEvent::Started {
            argv: vec![
                "kubectl".into(),
                "apply".into(),
                "-f".into(),
                "k8s/x.yaml".into()
            ]
        }
    );
    assert_eq!(output_of(&events.all, false), CONFIG);
    assert!(
        output_of(&events.all, true).ends_with(" apply -f -\n"),
        "{:?}",
        events.all
    );
    assert_eq!(exit_of(&events.all), (Some(0), false, false));
}

#[tokio::test]
async fn interactive_exec_needs_the_terminal() {
    let fake = Fake::new("echo should not run");
    let app = router(&fake, Limits::default());
    let answer = call(&app, command("kubectl exec -it web -- sh", &[])).await;
    assert_refusal(&answer, 400, "needs-terminal");
    assert!(!fake.ran());
}

#[tokio::test]
async fn the_guard_comes_first() {
    let fake = Fake::new("echo should not run");
    let app = router(&fake, Limits::default());
    let request = |token: Option<&str>, origin: &str| {
        let mut builder = Request::builder()
            .method("POST")
            .uri("/api/command")
            .header("host", HOST)
            .header("origin", origin)
            .header("content-type", "application/json");
        if let Some(token) = token {
            builder = builder.header(TOKEN_HEADER, token);
        }
        builder
            .body(Body::from(body("kubectl get pods", &[]).to_string()))
            .expect("request")
    };
    assert_refusal(&call(&app, request(None, ORIGIN)).await, 401, "bad-token");
    assert_refusal(
        &call(&app, request(Some("wrong"), ORIGIN)).await,
        401,
        "bad-token",
    );
    assert_refusal(
        &call(&app, request(Some(TOKEN), "http://evil.example")).await,
        403,
        "bad-origin",
    );
    let get = page_request("GET", "/api/command", None);
    assert_refusal(&call(&app, get).await, 405, "wrong-method");
    assert!(!fake.ran());
}

#[tokio::test]
async fn a_missing_kubectl_says_how_to_install_it() {
    let kubectl = Kubectl {
        program: "/nonexistent/kubectl".into(),
        ..Kubectl::default()
    };
    let app = support::router_with_kubectl(client(), CONTEXT, kubectl, CancellationToken::new());
    let answer = call(&app, command("kubectl get pods", &[])).await;
    assert_refusal(&answer, 503, "no-kubectl");
    let message = answer.1["message"]["en"].as_str().unwrap_or_default();
    assert!(
        message.contains("apt install kubectl") && message.contains("--kubectl"),
        "{message}"
    );
}

#[tokio::test]
async fn output_streams_in_order_with_forced_flags_and_a_bare_environment() {
    let fake = Fake::new(
        "echo \"args: $*\"\necho oops >&2\nprintf '\\303'\nsleep 0.2\nprintf '\\251\\n'\n\
         echo \"CARGO_MANIFEST_DIR=${CARGO_MANIFEST_DIR-unset} KUBERC=$KUBERC\"\nexit 3",
    );
    let app = router(&fake, Limits::default());
    let events = Events::of(&app, command("kubectl get pods -l app=web", &[])).await;
    assert_eq!(
        events.all[0],
        CommandEvent::Started {
            argv: ["kubectl", "get", "pods", "-l", "app=web"]
                .map(String::from)
                .to_vec()
        }
    );
    let stdout = output_of(&events.all, false);
    assert_eq!(
        stdout,
        format!(
            "args: --context={CONTEXT} --namespace=learner get pods -l app=web\né\nCARGO_MANIFEST_DIR=unset KUBERC=off\n"
        )
    );
    assert_eq!(output_of(&events.all, true), "oops\n");
    assert_eq!(exit_of(&events.all), (Some(3), false, false));
    assert!(matches!(events.all.last(), Some(CommandEvent::Exit { .. })));
}

#[tokio::test]
async fn too_much_output_stops_kubectl() {
    let fake =
        Fake::new("i=0\nwhile [ $i -lt 100 ]; do echo 0123456789; i=$((i+1)); done\nsleep 30");
    let limits = Limits {
        output_bytes: 105,
        ..Limits::default()
    };
    let app = router(&fake, limits);
    let events = Events::of(&app, command("kubectl get pods", &[])).await;
    assert_eq!(
        output_of(&events.all, false),
        "0123456789\n".repeat(10)[..105]
    );
    assert_eq!(exit_of(&events.all), (None, true, false));
}

#[tokio::test]
async fn a_command_that_runs_too_long_is_stopped_and_a_stream_later() {
    let fake = Fake::new("echo started\nsleep 30");
    let limits = Limits {
        time: Duration::from_millis(300),
        stream_time: Duration::from_millis(900),
        ..Limits::default()
    };
    let app = router(&fake, limits);
    let started = std::time::Instant::now();
    let events = Events::of(&app, command("kubectl get pods", &[])).await;
    assert_eq!(exit_of(&events.all), (None, false, true));
    let watch = Events::of(&app, command("kubectl get pods --watch", &[])).await;
    assert_eq!(exit_of(&watch.all), (None, false, true));
    assert!(
        started.elapsed() >= Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn too_many_commands_are_refused_until_one_ends_and_dropping_the_stream_kills_kubectl() {
    let fake = Fake::new("echo $$ > \"$(dirname \"$0\")/pid\"\necho ready\nexec sleep 60");
    let limits = Limits {
        concurrent: 1,
        ..Limits::default()
    };
    let app = router(&fake, limits);
    let mut first = Events::open(&app, command("kubectl get pods -w", &[])).await;
    first.until_output("ready").await;
    let pid = fake.read("pid").trim().to_owned();
    assert!(alive(&pid), "kubectl {pid} should run");
    let refused = call(&app, command("kubectl get pods", &[])).await;
    assert_refusal(&refused, 429, "too-many-commands");
    drop(first);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while alive(&pid) {
        assert!(
            std::time::Instant::now() < deadline,
            "kubectl {pid} still runs"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut again = Events::open(&app, command("kubectl get pods", &[])).await;
    assert!(
        matches!(again.next().await, Some(CommandEvent::Started { .. })),
        "{:?}",
        again.all
    );
}

#[tokio::test]
async fn the_proxy_stopping_ends_the_stream() {
    let fake = Fake::new("echo ready\nexec sleep 60");
    let shutdown = CancellationToken::new();
    let kubectl = fake.kubectl(Limits::default());
    let app = support::router_with_kubectl(client(), CONTEXT, kubectl, shutdown.clone());
    let mut events = Events::open(&app, command("kubectl get pods -w", &[])).await;
    events.until_output("ready").await;
    shutdown.cancel();
    events.until_end().await;
    assert_eq!(exit_of(&events.all), (None, false, false));
}

#[tokio::test]
async fn logs_and_exec_on_the_bundled_cluster_say_first_that_containers_do_not_run() {
    let fake = Fake::new("echo out");
    let kubectl = fake.kubectl(Limits::default());
    let app = support::router_with_kubectl(
        client(),
        "kubefiche-local",
        kubectl,
        CancellationToken::new(),
    );
    for line in ["kubectl logs job/iris", "kubectl exec web -- env"] {
        let events = Events::of(&app, command(line, &[])).await;
        let CommandEvent::Note { message } = &events.all[1] else {
            panic!("{line}: no note first: {:?}", events.all);
        };
        assert!(
            message.en.contains("set env pod/NAME --list --resolve")
                && message.en.contains("describe pod NAME")
        );
        assert!(message.fr.contains("nœuds simulés"));
        assert_eq!(
            output_of(&events.all, false),
            "out\n",
            "{line}: it still runs"
        );
    }
    let get = Events::of(&app, command("kubectl get pods", &[])).await;
    assert!(
        !get.all
            .iter()
            .any(|e| matches!(e, CommandEvent::Note { .. }))
    );
}

/// Whether process `pid` runs (a zombie waiting to be reaped does not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}
