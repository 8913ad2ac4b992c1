//! The deployment of classroom mode (`deploy/`) against the real API server: the manifests are
//! accepted by server-side apply; the proxy's RBAC gives it everything classroom mode needs and
//! nothing like cluster-admin (asked of the API server's authorizer); the kubeconfig recipe of
//! `deploy/README.md` works; a learner bound to `kubefiche-learner` acts in their namespace only,
//! through the proxy's own credentials; and the admission policy keeps the proxy's writes inside
//! a class's namespaces. The pod cannot run on simulated nodes: only its admission is checked.
//!
//! The manifests name cluster-wide objects (`kubefiche`, `kubefiche-classroom`,
//! `kubefiche-learner`): this file holds one test so that nothing here applies or deletes them
//! twice at once, and everything it made is deleted when it ends, failed or not.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod};
use kube::api::{Api, ListParams};
use kube::config::Kubeconfig;
use kubefiche_tests::cluster::{
    TestCluster, client_for, cluster, eventually, namespace, workspace_root,
};
use kubefiche_tests::fiche3;
use kubefiche_tests::proxy::class_router_as;
use serde_json::json;

#[path = "deploy/kubectl.rs"]
mod kubectl;
#[path = "deploy/permissions.rs"]
mod permissions;

use kubectl::{Cleanup, checked, kubectl, ok, run, server_side_apply};
use permissions::{allowed, can, learner_must_not, learner_needs, proxy_must_not, proxy_needs};

/// The manifests, in the order they are applied (and deleted in reverse).
const FILES: [&str; 3] = [
    "deploy/rbac.yaml",
    "deploy/in-cluster.yaml",
    "deploy/ingress.example.yaml",
];
const HOME: &str = "kubefiche";
const PROXY: &str = "system:serviceaccount:kubefiche:kubefiche";
const FIELD_MANAGER: &str = "kubefiche-tests";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn the_deployment_is_accepted_and_its_rbac_is_enough_and_no_more() -> Result<()> {
    let cluster = cluster().await;
    let admin = cluster.kubeconfig_path().to_path_buf();
    // A namespace outside every class, and a seat's namespace named after it.
    let other = namespace("deploy-other").await;
    let seat = format!("kf-{}-1", other.name());
    let mut cleanup = Cleanup {
        admin: admin.clone(),
        seat: seat.clone(),
        proxy_kubeconfig: std::env::temp_dir().join(format!("{}.kubeconfig", other.name())),
    };
    home_is_free(cluster).await?;
    for file in FILES {
        let path = workspace_root().join(file);
        let out = kubectl(&admin, &server_side_apply(&path.to_string_lossy()), None).await?;
        ensure!(
            out.code == Some(0),
            "applying {file}: {}",
            out.stderr.trim()
        );
    }
    the_deployment_is_admitted(cluster).await?;

    let client = cluster.client().await?;
    let proxy_needs = proxy_needs(&seat);
    for line in &proxy_needs {
        ensure!(
            allowed(&client, PROXY, line).await?,
            "{PROXY} cannot {line}"
        );
    }
    for line in proxy_must_not(&seat) {
        ensure!(!can(&client, PROXY, &line).await?, "{PROXY} can {line}");
    }

    make_proxy_kubeconfig(&admin, &cleanup.proxy_kubeconfig).await?;
    let proxy = cleanup.proxy_kubeconfig.clone();
    a_seat_is_made_by_the_proxy(&proxy, &seat).await?;
    let learner = format!("system:serviceaccount:{seat}:learner");
    for line in learner_needs(&seat) {
        ensure!(
            allowed(&client, &learner, &line).await?,
            "{learner} cannot {line}"
        );
        let elsewhere = line.replace(&seat, other.name());
        ensure!(
            !can(&client, &learner, &elsewhere).await?,
            "{learner} can {elsewhere}"
        );
    }
    for line in learner_must_not(&seat) {
        ensure!(
            !can(&client, &learner, &line).await?,
            "{learner} can {line}"
        );
    }
    the_learner_acts_in_their_namespace_only(&proxy, &learner, &seat, other.name()).await?;
    the_policy_keeps_the_proxy_inside_the_class(&proxy, &seat, other.name()).await?;

    // Ending the class: the proxy deletes the seat's namespace.
    let out = kubectl(
        &proxy,
        &["delete", "namespace", &seat, "--wait=false"],
        None,
    )
    .await?;
    ensure!(
        out.code == Some(0),
        "the proxy ends the class: {}",
        out.stderr.trim()
    );
    cleanup.seat.clear();
    a_class_runs_on_these_rights(&proxy).await?;
    Ok(())
}

/// The proxy's own code, with the deployed ServiceAccount's credentials: a class created, a
/// learner joined, the worksheet applied and scaled from the console, the learner's stream and
/// the board fed, a seat revoked and the class ended — nothing refused for want of a right.
async fn a_class_runs_on_these_rights(proxy: &Path) -> Result<()> {
    let class = class_router_as(proxy, HOME, Duration::from_secs(600)).await?;
    let (status, info) = class
        .instructor(
            "POST",
            "/api/class",
            Some(json!({"name": "deployed", "seats": 2, "worksheets": ["fiche-3"], "minutes": 10})),
        )
        .await;
    ensure!(
        status == 200,
        "creating a class as the deployed proxy: {info}"
    );
    let (token, seat) = class.join("Deployed").await;
    let body = fiche3::apply_body()?;
    let (status, applied) = class
        .learner(&token, "POST", "/api/apply", Some(body))
        .await;
    ensure!(
        status == 200 && !applied.to_string().contains("\"failed\""),
        "the worksheet applied through the deployed proxy: {applied}"
    );
    class
        .command(
            &token,
            "kubectl scale deployment pydantic-agent --replicas=5",
        )
        .await;
    eventually(
        "the learner's objects on the board",
        Duration::from_secs(30),
        || async {
            let (_, detail) = class.instructor("GET", "/api/class/seat?id=1", None).await;
            let kinds: Vec<&str> = detail["objects"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o["kind"].as_str())
                .collect();
            Ok(["Deployment", "Pod", "ConfigMap", "CronJob", "Service"]
                .iter()
                .all(|k| kinds.contains(k))
                .then_some(()))
        },
    )
    .await?;
    let (status, _) = class
        .instructor("POST", "/api/class/revoke", Some(json!({"seat": 1})))
        .await;
    ensure!(status == 200, "revoking as the deployed proxy");
    let (status, ended) = class.instructor("POST", "/api/class/end", None).await;
    ensure!(
        status == 200,
        "ending the class as the deployed proxy: {ended}"
    );
    let namespaces: Api<Namespace> = Api::all(client_for(proxy).await?);
    let gone = namespaces.get_opt(&seat).await?;
    ensure!(
        gone.is_none_or(|n| n.metadata.deletion_timestamp.is_some()),
        "the seat {seat} is still there"
    );
    class.shutdown.cancel();
    Ok(())
}

/// The home namespace must not be on its way out from an earlier run (nothing can be created in
/// a namespace being deleted).
async fn home_is_free(cluster: &TestCluster) -> Result<()> {
    let namespaces: Api<Namespace> = Api::all(cluster.client().await?);
    eventually(
        "the namespace kubefiche of an earlier run to be deleted",
        Duration::from_secs(90),
        || async {
            let terminating = namespaces
                .get_opt(HOME)
                .await?
                .is_some_and(|ns| ns.metadata.deletion_timestamp.is_some());
            Ok((!terminating).then_some(()))
        },
    )
    .await
}

/// The Deployment as written (classroom mode, its ServiceAccount, locked down), its pod admitted
/// under the home namespace's `restricted` Pod Security, and the kubeconfig it mounts readable.
async fn the_deployment_is_admitted(cluster: &TestCluster) -> Result<()> {
    let client = cluster.client().await?;
    let deployment = Api::<Deployment>::namespaced(client.clone(), HOME)
        .get("kubefiche")
        .await
        .context("the Deployment kubefiche")?;
    let pod = deployment
        .spec
        .and_then(|s| s.template.spec)
        .context("the Deployment has a pod template")?;
    ensure!(pod.service_account_name.as_deref() == Some("kubefiche"));
    let container = pod.containers.first().context("a container")?;
    let args = container.args.clone().unwrap_or_default().join(" ");
    ensure!(
        args.starts_with("classroom --home-namespace kubefiche"),
        "{args}"
    );
    let security = container.security_context.clone().unwrap_or_default();
    ensure!(security.read_only_root_filesystem == Some(true));
    ensure!(security.allow_privilege_escalation == Some(false));
    let pods: Api<Pod> = Api::namespaced(client.clone(), HOME);
    let selector = ListParams::default().labels("app.kubernetes.io/name=kubefiche");
    eventually(
        "a pod of the Deployment, admitted",
        Duration::from_secs(60),
        || async { Ok(pods.list(&selector).await?.items.first().map(|_| ())) },
    )
    .await?;
    let text = Api::<ConfigMap>::namespaced(client, HOME)
        .get("kubefiche-kubeconfig")
        .await?
        .data
        .unwrap_or_default()
        .remove("config")
        .context("the in-cluster kubeconfig")?;
    let kubeconfig = Kubeconfig::from_yaml(&text).context("the in-cluster kubeconfig parses")?;
    let user = kubeconfig
        .auth_infos
        .first()
        .and_then(|a| a.auth_info.clone());
    ensure!(
        user.and_then(|u| u.token_file).as_deref()
            == Some("/var/run/secrets/kubernetes.io/serviceaccount/token")
    );
    Ok(())
}

/// `deploy/README.md`'s recipe: a token for the ServiceAccount and a kubeconfig around it.
async fn make_proxy_kubeconfig(admin: &Path, file: &Path) -> Result<()> {
    let view = |path: &str| {
        let jsonpath = format!("jsonpath={{.clusters[0].cluster.{path}}}");
        async move {
            let args = [
                "config",
                "view",
                "--raw",
                "--minify",
                "--flatten",
                "-o",
                &jsonpath,
            ];
            checked(admin, &args, None).await
        }
    };
    let server = view("server").await?;
    let ca = view("certificate-authority-data").await?;
    let token = checked(
        admin,
        &["-n", HOME, "create", "token", "kubefiche", "--duration=1h"],
        None,
    )
    .await?;
    let kc = format!("--kubeconfig={}", file.display());
    for args in [
        vec![
            kc.as_str(),
            "config",
            "set-cluster",
            "classroom",
            "--server",
            server.trim(),
        ],
        vec![
            &kc,
            "config",
            "set",
            "clusters.classroom.certificate-authority-data",
            ca.trim(),
        ],
        vec![
            &kc,
            "config",
            "set-credentials",
            "kubefiche",
            "--token",
            token.trim(),
        ],
        vec![
            &kc,
            "config",
            "set-context",
            "kubefiche",
            "--cluster=classroom",
            "--user=kubefiche",
            "--namespace=kubefiche",
        ],
        vec![&kc, "config", "use-context", "kubefiche"],
    ] {
        // The file is named in the arguments: no other kubeconfig is read.
        run(&args, None).await.and_then(ok)?;
    }
    let me = checked(
        file,
        &[
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
        None,
    )
    .await?;
    ensure!(me.trim() == PROXY, "the recipe's kubeconfig is {me}");
    Ok(())
}

/// As the proxy would: the seat's namespace (labelled, Pod Security), its quota, limits, network
/// policy, the learner's ServiceAccount, and the binding to `kubefiche-learner`.
async fn a_seat_is_made_by_the_proxy(proxy: &Path, seat: &str) -> Result<()> {
    let labels = json!({
        "kubefiche.dev/class": "deploytest",
        "kubefiche.dev/seat": "1",
        "pod-security.kubernetes.io/enforce": "baseline",
    });
    let meta = |name: &str| json!({ "name": name, "namespace": seat });
    let objects = [
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": seat, "labels": labels}}),
        json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": meta("kubefiche-seat"),
               "spec": {"hard": {"pods": "30", "requests.memory": "4Gi"}}}),
        json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": meta("kubefiche-seat"),
               "spec": {"limits": [{"type": "Container", "defaultRequest": {"memory": "64Mi"}}]}}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": meta("kubefiche-isolate"),
               "spec": {"podSelector": {}, "policyTypes": ["Ingress"],
                        "ingress": [{"from": [{"podSelector": {}}]}]}}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("learner")}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
               "metadata": meta("kubefiche-learner"),
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                           "name": "kubefiche-learner"},
               "subjects": [{"kind": "ServiceAccount", "name": "learner", "namespace": seat}]}),
    ];
    for object in objects {
        let out = kubectl(proxy, &server_side_apply("-"), Some(&object.to_string())).await?;
        ensure!(
            out.code == Some(0),
            "the proxy applies {object}: {}",
            out.stderr.trim()
        );
    }
    Ok(())
}

/// Through the proxy's credentials, impersonating the learner: their namespace yes, another no,
/// the class's state no.
async fn the_learner_acts_in_their_namespace_only(
    proxy: &Path,
    learner: &str,
    seat: &str,
    other: &str,
) -> Result<()> {
    let as_learner = format!("--as={learner}");
    let create = |ns: &str| {
        let args = [
            "create",
            "configmap",
            "hello",
            "--from-literal=a=b",
            "-n",
            ns,
        ];
        let args: Vec<String> = args
            .into_iter()
            .chain([as_learner.as_str()])
            .map(str::to_owned)
            .collect();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            kubectl(proxy, &args, None).await
        }
    };
    let mine = create(seat).await?;
    ensure!(
        mine.code == Some(0),
        "the learner in their namespace: {}",
        mine.stderr.trim()
    );
    for (what, out) in [
        ("a ConfigMap in another namespace", create(other).await?),
        (
            "the class's Secrets",
            kubectl(proxy, &["get", "secrets", "-n", HOME, &as_learner], None).await?,
        ),
        (
            "a namespace",
            kubectl(
                proxy,
                &["create", "namespace", "kf-learner-made", &as_learner],
                None,
            )
            .await?,
        ),
    ] {
        ensure!(
            out.code != Some(0) && out.stderr.to_lowercase().contains("forbidden"),
            "the learner got {what}: {out:?}"
        );
    }
    Ok(())
}

/// What RBAC would let the proxy do outside a class, the admission policy refuses.
async fn the_policy_keeps_the_proxy_inside_the_class(
    proxy: &Path,
    seat: &str,
    other: &str,
) -> Result<()> {
    let refusals: [(&str, Vec<&str>); 4] = [
        (
            "labelled kubefiche.dev/class",
            vec!["delete", "namespace", other, "--wait=false"],
        ),
        (
            "labelled kubefiche.dev/class",
            vec!["label", "namespace", other, "kubefiche.dev/class=x"],
        ),
        (
            "labelled kubefiche.dev/class",
            vec!["create", "serviceaccount", "learner", "-n", other],
        ),
        (
            "only binds learners to the ClusterRole kubefiche-learner",
            vec![
                "create",
                "rolebinding",
                "wider",
                "-n",
                seat,
                "--clusterrole=kubefiche-classroom",
                "--serviceaccount=x:learner",
            ],
        ),
    ];
    for (reason, args) in refusals {
        let out = kubectl(proxy, &args, None).await?;
        ensure!(
            out.code != Some(0) && out.stderr.contains(reason),
            "kubectl {} as the proxy: {out:?}",
            args.join(" ")
        );
    }
    Ok(())
}
