//! Classroom mode against the real API server: a class created, learners joined to namespaces
//! of their own, each learner's calls impersonated (the API server itself refuses another
//! namespace), tokens revoked with their streams, join codes bounded, seats read back by a
//! restarted proxy, the board free of Secret values, and the end of the class deleting its
//! namespaces and nothing else.

use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::Api;
use kube::api::PostParams;
use kubefiche::classroom::certificate;
use kubefiche::scope::Caller;
use kubefiche_tests::cluster::{TestCluster, cluster, eventually, namespace, test_kubectl};
use kubefiche_tests::fiche3;
use kubefiche_tests::proxy::{
    ClassUnderTest, call, class_request, class_router, class_router_with,
};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Create a class with `body` as the instructor; its info, and what deletes its namespaces.
async fn create<'a>(
    class: &ClassUnderTest,
    cluster: &'a TestCluster,
    body: Value,
) -> (Value, Cleanup<'a>) {
    let (status, info) = class.instructor("POST", "/api/class", Some(body)).await;
    assert_eq!(status, 200, "{info}");
    let cleanup = Cleanup {
        cluster,
        class: info["id"].as_str().expect("id").to_owned(),
    };
    (info, cleanup)
}

/// Deletes the class's namespaces when the test ends, even when it fails.
struct Cleanup<'a> {
    cluster: &'a TestCluster,
    class: String,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new(test_kubectl())
            .arg("--kubeconfig")
            .arg(self.cluster.kubeconfig_path())
            .args([
                "delete",
                "namespace",
                "-l",
                &format!("kubefiche.dev/class={}", self.class),
                "--wait=false",
            ])
            .output();
    }
}

fn config_map(name: &str, value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: \"{value}\"\n"
    )
}

async fn apply(class: &ClassUnderTest, token: &str, text: &str) -> (u16, Value) {
    let body = json!({"files": [{"path": "k8s/file.yaml", "text": text}], "dry_run": false});
    class.learner(token, "POST", "/api/apply", Some(body)).await
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_class_keeps_each_learner_in_their_namespace() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let class = class_router(cluster, home.name()).await.expect("class");
    let (info, _cleanup) = create(
        &class,
        cluster,
        json!({"name": "Fiche 3, group A", "seats": 3, "worksheets": ["fiche-3"], "minutes": 60}),
    )
    .await;
    let (ada, ada_ns) = class.join("Ada").await;
    let (bob, bob_ns) = class.join("Bob").await;
    assert_ne!(ada_ns, bob_ns);

    // The seat's namespace comes labelled, with its quota, limits, isolation and identity.
    let admin = cluster.client().await.expect("client");
    let made = Api::<Namespace>::all(admin.clone())
        .get(&ada_ns)
        .await
        .expect("namespace");
    let labels = made.metadata.labels.unwrap_or_default();
    assert_eq!(
        labels.get("kubefiche.dev/class"),
        info["id"].as_str().map(str::to_owned).as_ref()
    );
    assert_eq!(
        labels
            .get("pod-security.kubernetes.io/enforce")
            .map(String::as_str),
        Some("baseline")
    );
    let notes = made.metadata.annotations.unwrap_or_default();
    assert_eq!(
        notes.get("kubefiche.dev/learner").map(String::as_str),
        Some("Ada")
    );
    assert!(
        !notes.values().any(|v| v.contains(&ada)),
        "the token itself is never stored"
    );
    for kind in [
        "resourcequota/kubefiche-seat",
        "limitrange/kubefiche-seat",
        "networkpolicy/kubefiche-isolate",
        "serviceaccount/learner",
        "rolebinding/kubefiche-learner",
    ] {
        cluster
            .kubectl(&["get", kind, "-n", &ada_ns], None)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e:#}"));
    }

    // Each learner's session and apply land in their own namespace.
    let (_, session) = class.learner(&ada, "GET", "/api/session", None).await;
    assert_eq!(session["namespace"], ada_ns.as_str());
    assert_eq!(session["role"]["role"], "learner");
    assert_eq!(session["role"]["name"], "Ada");
    assert_eq!(session["policy"]["fixed_node_ports"], false);
    let (status, answer) = apply(&class, &ada, &config_map("iris-config", "ada")).await;
    assert_eq!(status, 200, "{answer}");
    let maps: Api<ConfigMap> = Api::namespaced(admin.clone(), &ada_ns);
    assert!(maps.get_opt("iris-config").await.expect("get").is_some());

    // Our own policy refuses another namespace…
    let foreign = config_map("x", "y").replace(
        "  name: x\n",
        &format!("  name: x\n  namespace: {bob_ns}\n"),
    );
    let (_, answer) = apply(&class, &ada, &foreign).await;
    assert!(answer.to_string().contains("foreign-namespace"), "{answer}");
    let (status, answer) = class
        .learner(
            &ada,
            "POST",
            "/api/command",
            Some(json!({"line": format!("kubectl get pods -n {bob_ns}"), "files": []})),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (403, Some("command-refused"))
    );
    // …and so does the API server, for a request that skips every check of ours: Ada's
    // impersonating client, asked straight for Bob's namespace.
    let Some(Caller::Learner(seat)) = class.classroom.caller(ada.as_bytes()) else {
        panic!("Ada's seat")
    };
    let into_bob: Api<ConfigMap> = Api::namespaced(seat.client.clone(), &bob_ns);
    let sneaked: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "from-ada"}})).expect("map");
    match into_bob.create(&PostParams::default(), &sneaked).await {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 403, "{status:?}"),
        other => panic!("the API server let Ada write into Bob's namespace: {other:?}"),
    }
    match into_bob.list(&Default::default()).await {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 403),
        other => panic!("the API server let Ada read Bob's namespace: {other:?}"),
    }
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(seat.client.clone(), home.name());
    assert!(
        secrets.get("kubefiche-class").await.is_err(),
        "a learner cannot read the class's state"
    );
    // kubectl runs as the learner too: the server refuses what the parser would not even allow.
    let denied = cluster
        .kubectl(
            &[
                "get",
                "configmaps",
                "-n",
                &bob_ns,
                &format!("--as=system:serviceaccount:{ada_ns}:learner"),
            ],
            None,
        )
        .await;
    assert!(denied.is_err(), "kubectl as Ada read Bob's namespace");

    // A learner cannot do what only the instructor does.
    for (method, path) in [
        ("GET", "/api/class"),
        ("POST", "/api/class/end"),
        ("POST", "/api/board"),
    ] {
        let (status, answer) = class.learner(&ada, method, path, None).await;
        assert_eq!(status, 403, "{path}: {answer}");
    }
    // The NodePort of the worksheet is refused with its reason.
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: mcp-server-svc\nspec:\n  selector:\n    app: mcp-server\n  ports:\n    - port: 8000\n      nodePort: 30900\n  type: NodePort\n";
    let (_, answer) = apply(&class, &bob, service).await;
    assert!(answer.to_string().contains("shared-node-port"), "{answer}");

    // The board shows both learners and never a Secret value.
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: iris-secrets\nstringData:\n  api-key: board-must-not-show-this\n";
    let (status, answer) = apply(&class, &bob, secret).await;
    assert_eq!(status, 200, "{answer}");
    let report = json!({"fiche": "fiche-3", "exercises": [{"title": "Exercice 1", "done": 2, "total": 5}], "failing": null, "workspace": [{"path": "k8s/secret.yaml", "text": "kind: Secret"}]});
    let reported = class
        .router
        .clone()
        .oneshot(class_request(
            "POST",
            "/api/report",
            Some(&bob),
            Some(&report),
        ))
        .await
        .expect("report");
    assert_eq!(reported.status(), 204);
    // Bob's pods reach the board by state.
    let web = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";
    let (status, answer) = apply(&class, &bob, web).await;
    assert_eq!(status, 200, "{answer}");
    eventually(
        "Bob's 2 pods Running on the board",
        Duration::from_secs(30),
        || async {
            let board = first_board_event(&class).await;
            let running = board["seats"].as_array().into_iter().flatten().any(|s| {
                s["name"] == "Bob"
                    && s["pods"].as_array().is_some_and(|p| {
                        p.iter()
                            .any(|c| c["status"] == "Running" && c["count"] == 2)
                    })
            });
            Ok(running.then_some(()))
        },
    )
    .await
    .expect("pods on the board");
    let board = first_board_event(&class).await;
    assert_eq!(board["type"], "snapshot");
    let seats = board["seats"].as_array().expect("seats");
    assert_eq!(seats.len(), 2);
    let bob_seat = seats
        .iter()
        .find(|s| s["name"] == "Bob")
        .expect("Bob on the board");
    assert_eq!(bob_seat["exercises"][0]["done"], 2);
    let bob_number = bob_seat["seat"].as_u64().expect("seat");
    let detail = eventually(
        "Bob's Secret on the board",
        Duration::from_secs(10),
        || async {
            let (_, detail) = class
                .instructor("GET", &format!("/api/class/seat?id={bob_number}"), None)
                .await;
            let has = detail["objects"].as_array().is_some_and(|o| {
                o.iter()
                    .any(|o| o["kind"] == "Secret" && o["name"] == "iris-secrets")
            });
            Ok(has.then_some(detail))
        },
    )
    .await
    .expect("detail");
    assert!(!detail.to_string().contains("board-must-not-show-this"));
    assert!(!board.to_string().contains("board-must-not-show-this"));

    // Revoked: the token stops working and the open stream ends, within a second.
    let stream = class
        .router
        .clone()
        .oneshot(class_request(
            "POST",
            "/api/stream",
            Some(&ada),
            Some(&json!({})),
        ))
        .await
        .expect("stream");
    assert_eq!(stream.status(), 200);
    let mut body = stream.into_body().into_data_stream();
    // Ada's stream (fed by the class's shared watches) holds her objects and none of Bob's.
    let snapshot = first_event(&mut body).await;
    let names: Vec<String> = snapshot["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap_or("?"),
                o["name"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert!(
        names.contains(&"ConfigMap/iris-config".to_owned()),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("Secret/iris-secrets") || n.starts_with("Deployment/")),
        "{names:?}"
    );
    let ada_number = class
        .classroom
        .caller(ada.as_bytes())
        .and_then(|c| match c {
            Caller::Learner(s) => Some(s.number),
            _ => None,
        })
        .expect("seat");
    let revoked_at = Instant::now();
    let (status, _) = class
        .instructor(
            "POST",
            "/api/class/revoke",
            Some(json!({"seat": ada_number})),
        )
        .await;
    assert_eq!(status, 200);
    let ended = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = body.next().await {}
    })
    .await;
    assert!(
        ended.is_ok(),
        "the revoked learner's stream still runs after 1 s"
    );
    let (status, answer) = class.learner(&ada, "GET", "/api/session", None).await;
    assert_eq!(status, 401, "{answer}");
    eprintln!(
        "revoked → stream closed and token refused in {:?}",
        revoked_at.elapsed()
    );

    // A restarted proxy reads the class back: Bob's link still works, Ada's does not.
    class.shutdown.cancel();
    let again = class_router(cluster, home.name())
        .await
        .expect("class again");
    assert_eq!(
        again.classroom.instructor_token(),
        class.classroom.instructor_token()
    );
    let (status, session) = again.learner(&bob, "GET", "/api/session", None).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["namespace"], bob_ns.as_str());
    let (status, _) = again.learner(&ada, "GET", "/api/session", None).await;
    assert_eq!(status, 401);

    // Ending the class deletes its namespaces and nothing else.
    let (status, answer) = again.instructor("POST", "/api/class/end", None).await;
    assert_eq!(status, 200, "{answer}");
    let namespaces = Api::<Namespace>::all(admin.clone());
    for ns in [&ada_ns, &bob_ns] {
        let gone = namespaces.get_opt(ns).await.expect("get");
        assert!(
            gone.is_none_or(|n| n.metadata.deletion_timestamp.is_some()),
            "{ns} is still there"
        );
    }
    assert!(
        namespaces
            .get_opt(home.name())
            .await
            .expect("get")
            .is_some_and(|n| n.metadata.deletion_timestamp.is_none())
    );
    let (status, _) = again.learner(&bob, "GET", "/api/session", None).await;
    assert_eq!(status, 401);
    let (status, answer) = again.instructor("GET", "/api/class", None).await;
    assert_eq!(status, 404, "{answer}");
}

/// The first server-sent event of a stream, as JSON.
async fn first_event<S, E>(body: &mut S) -> Value
where
    S: futures::Stream<Item = Result<axum::body::Bytes, E>> + Unpin,
    E: std::fmt::Debug,
{
    let mut text = String::new();
    while !text.contains("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), body.next())
            .await
            .expect("an event in time")
            .expect("the stream open")
            .expect("bytes");
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("data");
    serde_json::from_str(data).expect("JSON")
}

/// The first event of the board's stream.
async fn first_board_event(class: &ClassUnderTest) -> Value {
    let token = class.classroom.instructor_token().to_owned();
    let response = class
        .router
        .clone()
        .oneshot(class_request(
            "POST",
            "/api/board",
            Some(&token),
            Some(&json!({})),
        ))
        .await
        .expect("board");
    assert_eq!(response.status(), 200);
    first_event(&mut response.into_body().into_data_stream()).await
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn join_codes_expire_are_replaced_and_guessing_is_bounded() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let class = class_router(cluster, home.name()).await.expect("class");
    let (info, _cleanup) = create(
        &class,
        cluster,
        json!({"name": "B", "seats": 1, "worksheets": [], "minutes": 30}),
    )
    .await;
    let old = info["join"]
        .as_str()
        .expect("join")
        .trim_start_matches("/#join=")
        .to_owned();
    let (_, fresh) = class.instructor("POST", "/api/class/join-link", None).await;
    let new = fresh["join"]
        .as_str()
        .expect("join")
        .trim_start_matches("/#join=")
        .to_owned();
    assert_ne!(old, new);
    let attempt = |code: String| {
        let router = class.router.clone();
        async move {
            let mut request = class_request(
                "POST",
                "/api/join",
                None,
                Some(&json!({"code": code, "name": "Eve"})),
            );
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from(([10, 1, 2, 3], 5555)),
            ));
            call(&router, request).await.expect("join")
        }
    };
    let (status, answer) = attempt(old.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (403, Some("bad-join-code"))
    );
    let (status, answer) = attempt(new.clone()).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = attempt(new.clone()).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("class-full"))
    );
    // Wrong codes and tokens from one address are bounded; past the bound even a right one waits.
    for _ in 0..40 {
        let _ = attempt("0".repeat(32)).await;
    }
    let (status, answer) = attempt(new).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (429, Some("too-many-attempts")),
        "{answer}"
    );
    let _ = class.instructor("POST", "/api/class/end", None).await;
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_join_link_stops_working_when_it_expires() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let class = class_router_with(cluster, home.name(), Duration::from_secs(2))
        .await
        .expect("class");
    let (info, _cleanup) = create(
        &class,
        cluster,
        json!({"name": "C", "seats": 5, "worksheets": [], "minutes": 30}),
    )
    .await;
    let (learner, _) = class.join("Early").await;
    let code = info["join"]
        .as_str()
        .expect("join")
        .trim_start_matches("/#join=")
        .to_owned();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let (status, answer) = call(
        &class.router,
        class_request(
            "POST",
            "/api/join",
            None,
            Some(&json!({"code": code, "name": "Late"})),
        ),
    )
    .await
    .expect("join");
    assert_eq!(
        (status, answer["error"].as_str()),
        (410, Some("join-link-expired")),
        "{answer}"
    );
    let (_, info) = class.instructor("GET", "/api/class", None).await;
    assert!(
        info["join"].is_null(),
        "an expired link is not shown: {info}"
    );
    // A learner who joined in time keeps their seat.
    let (status, _) = class.learner(&learner, "GET", "/api/session", None).await;
    assert_eq!(status, 200);
    let (_, fresh) = class.instructor("POST", "/api/class/join-link", None).await;
    assert!(fresh["join"].is_string(), "{fresh}");
    let _ = class.instructor("POST", "/api/class/end", None).await;
}

/// The seat's quota and default sizes fit the whole worksheet with the agent at 5 and the MCP
/// server at 3, done as a learner does it: Apply, then the worksheet's commands from the console.
#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_seat_fits_fiche_3_at_its_largest() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let class = class_router(cluster, home.name()).await.expect("class");
    let (_, _cleanup) = create(
        &class,
        cluster,
        json!({"name": "D", "seats": 1, "worksheets": ["fiche-3"], "minutes": 30}),
    )
    .await;
    let (learner, ns) = class.join("Full").await;
    let body = fiche3::apply_body().expect("workspace");
    let (status, answer) = class
        .learner(&learner, "POST", "/api/apply", Some(body))
        .await;
    assert_eq!(status, 200, "{answer}");
    let outcomes: Vec<&str> = answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["outcome"]["type"].as_str().unwrap_or("?"))
        .collect();
    assert!(
        outcomes.len() == 10 && outcomes.iter().all(|o| *o == "created"),
        "{answer}"
    );
    for line in [
        "kubectl create secret generic iris-secrets --from-literal=api-key=supersecretkey123",
        "kubectl scale deployment pydantic-agent --replicas=5",
        "kubectl scale deployment mcp-server --replicas=3",
    ] {
        class.command(&learner, line).await;
    }
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(cluster.client().await.expect("client"), &ns);
    eventually(
        "every Deployment ready at full scale",
        Duration::from_secs(90),
        || async {
            let mut all = Vec::new();
            for (name, want) in [("pydantic-agent", 5), ("mcp-server", 3), ("postgres-db", 1)] {
                let ready = deployments
                    .get(name)
                    .await?
                    .status
                    .and_then(|s| s.ready_replicas)
                    .unwrap_or(0);
                all.push(ready == want);
            }
            Ok(all.iter().all(|r| *r).then_some(()))
        },
    )
    .await
    .expect("the worksheet at full scale within the seat's quota");
    let quota = cluster
        .kubectl(
            &[
                "get",
                "resourcequota",
                "kubefiche-seat",
                "-n",
                &ns,
                "-o",
                "jsonpath={.status.used.pods}",
            ],
            None,
        )
        .await
        .expect("quota");
    eprintln!("pods counted by the seat's quota at full scale: {quota}");
    let _ = class.instructor("POST", "/api/class/end", None).await;
}

/// Two proxies of one class, as behind a load balancer: the cluster is all they share.
#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn two_proxies_serve_one_class() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let a = class_router(cluster, home.name()).await.expect("proxy A");
    let b = class_router(cluster, home.name()).await.expect("proxy B");
    assert_eq!(
        a.classroom.instructor_token(),
        b.classroom.instructor_token()
    );
    let (info, _cleanup) = create(
        &a,
        cluster,
        json!({"name": "Two", "seats": 10, "worksheets": [], "minutes": 30}),
    )
    .await;
    let started = Instant::now();
    eventually(
        "the class known to proxy B",
        Duration::from_secs(5),
        || async {
            let (status, seen) = b.instructor("GET", "/api/class", None).await;
            Ok((status == 200 && seen["id"] == info["id"]).then_some(()))
        },
    )
    .await
    .expect("class on B");
    eprintln!(
        "class created on A, known to B after {:?}",
        started.elapsed()
    );
    // Learners join through either proxy at the same time: every seat is different.
    let joins = futures::future::join_all((0..6).map(|i| {
        let class = if i % 2 == 0 { &a } else { &b };
        async move { class.join(&format!("L{i}")).await }
    }))
    .await;
    let mut namespaces: Vec<&String> = joins.iter().map(|(_, ns)| ns).collect();
    namespaces.sort();
    namespaces.dedup();
    assert_eq!(
        namespaces.len(),
        6,
        "two learners were given one seat: {joins:?}"
    );
    // Each learner's link works through both proxies.
    for (token, ns) in &joins {
        for proxy in [&a, &b] {
            let session = eventually(
                "the seat known to both proxies",
                Duration::from_secs(5),
                || async {
                    let (status, session) = proxy.learner(token, "GET", "/api/session", None).await;
                    Ok((status == 200).then_some(session))
                },
            )
            .await
            .expect("session");
            assert_eq!(session["namespace"], ns.as_str());
        }
    }
    // A seat revoked through A stops working through B, open streams included.
    let (token, _) = &joins[1];
    let response = b
        .router
        .clone()
        .oneshot(class_request(
            "POST",
            "/api/stream",
            Some(token),
            Some(&json!({})),
        ))
        .await
        .expect("stream");
    let mut body = response.into_body().into_data_stream();
    let _ = first_event(&mut body).await;
    let seat = match a.classroom.caller(token.as_bytes()) {
        Some(Caller::Learner(seat)) => seat.number,
        other => panic!("no seat on A: {other:?}"),
    };
    let revoked_at = Instant::now();
    let (status, _) = a
        .instructor("POST", "/api/class/revoke", Some(json!({"seat": seat})))
        .await;
    assert_eq!(status, 200);
    tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = body.next().await {}
    })
    .await
    .expect("the stream through B still runs a second after the seat was revoked through A");
    let (status, _) = b.learner(token, "GET", "/api/session", None).await;
    assert_eq!(status, 401);
    eprintln!(
        "revoked on A, refused by B after {:?}",
        revoked_at.elapsed()
    );
    // Ended through B: the seats close on A too.
    let (status, _) = b.instructor("POST", "/api/class/end", None).await;
    assert_eq!(status, 200);
    let (token, _) = &joins[0];
    eventually("the class ended on A", Duration::from_secs(5), || async {
        let (status, _) = a.learner(token, "GET", "/api/session", None).await;
        Ok((status == 401).then_some(()))
    })
    .await
    .expect("seat closed on A");
}

/// A class's generated certificate is kept with it: a proxy that starts again serves the same one
/// (learners checked its fingerprint once), unless the names it must carry changed.
#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_generated_certificate_is_kept_with_the_class() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let admin = cluster.client().await.expect("client");
    let names = vec!["class.lan".to_owned(), "127.0.0.1".to_owned()];
    let first = certificate::self_signed(&admin, home.name(), &names)
        .await
        .expect("generated");
    let again = certificate::self_signed(&admin, home.name(), &names)
        .await
        .expect("kept");
    assert!(first.is_generated() && again.is_generated());
    assert_eq!(first.fingerprint(), again.fingerprint());
    let renamed = certificate::self_signed(&admin, home.name(), &["other.lan".to_owned()])
        .await
        .expect("new names");
    assert_ne!(renamed.fingerprint(), first.fingerprint());
}

/// A class ends by itself when its time is up: its learners' links stop working and its
/// namespaces go.
#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn a_class_ends_when_its_time_is_up() {
    let cluster = cluster().await;
    let home = namespace("kf-home").await;
    let class = class_router(cluster, home.name()).await.expect("class");
    let (info, _cleanup) = create(
        &class,
        cluster,
        json!({"name": "short", "seats": 2, "worksheets": [], "minutes": 1}),
    )
    .await;
    let (token, ns) = class.join("Brief").await;
    let expires_at = info["expires_at"].as_u64().expect("expiry");
    let namespaces: Api<Namespace> = Api::all(cluster.client().await.expect("client"));
    eventually(
        "the class ended at its time",
        Duration::from_secs(90),
        || async {
            let (status, _) = class.learner(&token, "GET", "/api/session", None).await;
            let gone = namespaces
                .get_opt(&ns)
                .await?
                .is_none_or(|n| n.metadata.deletion_timestamp.is_some());
            Ok((status == 401 && gone).then_some(()))
        },
    )
    .await
    .expect("ended");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis();
    assert!(now >= u128::from(expires_at), "ended before its time");
    let (status, _) = class.instructor("GET", "/api/class", None).await;
    assert_eq!(status, 404);
}
