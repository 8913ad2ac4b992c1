//! Who may do what: the permissions classroom mode needs and those it must not have, asked of
//! the API server's authorizer.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use k8s_openapi::api::authorization::v1::SubjectAccessReview;
use kube::api::{Api, PostParams};
use serde_json::json;

use super::HOME;

/// Everything classroom mode does with the proxy's identity, as `VERB RESOURCE[.GROUP][/SUB]
/// NAMESPACE NAME` (`-` for none; a namespace of `-` means every namespace).
pub fn proxy_needs(seat: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for verb in ["get", "list", "watch", "create", "patch", "delete"] {
        lines.push(format!("{verb} namespaces - -"));
    }
    for resource in [
        "resourcequotas",
        "limitranges",
        "serviceaccounts",
        "networkpolicies.networking.k8s.io",
        "rolebindings.rbac.authorization.k8s.io",
    ] {
        for verb in ["create", "get", "patch", "delete"] {
            lines.push(format!("{verb} {resource} {seat} -"));
        }
    }
    lines.push("bind clusterroles.rbac.authorization.k8s.io - kubefiche-learner".into());
    lines.push(format!("impersonate serviceaccounts {seat} learner"));
    for resource in [
        "pods",
        "services",
        "configmaps",
        "persistentvolumeclaims",
        "events",
        "events.events.k8s.io",
        "deployments.apps",
        "replicasets.apps",
        "jobs.batch",
        "cronjobs.batch",
    ] {
        for verb in ["get", "list", "watch"] {
            lines.push(format!("{verb} {resource} - -"));
        }
    }
    for resource in ["secrets", "configmaps"] {
        for verb in [
            "get", "list", "watch", "create", "update", "patch", "delete",
        ] {
            lines.push(format!("{verb} {resource} {HOME} kubefiche-class"));
        }
    }
    lines
}

/// What would make the proxy's credentials a cluster administrator's, or let them read secrets.
pub fn proxy_must_not(seat: &str) -> Vec<String> {
    let mut lines: Vec<String> = [
        "* * - -",
        "* pods - -",
        "create clusterrolebindings.rbac.authorization.k8s.io - -",
        "create clusterroles.rbac.authorization.k8s.io - -",
        "escalate clusterroles.rbac.authorization.k8s.io - kubefiche-learner",
        "bind clusterroles.rbac.authorization.k8s.io - cluster-admin",
        "bind clusterroles.rbac.authorization.k8s.io - admin",
        "get secrets kube-system -",
        "list secrets - -",
        "delete nodes - -",
        "update namespaces - -",
        "deletecollection namespaces - -",
        "impersonate users - -",
        "impersonate groups - -",
        "impersonate serviceaccounts kube-system default",
        "create serviceaccounts/token kubefiche kubefiche",
        "update configmaps kube-system -",
        "create validatingadmissionpolicybindings.admissionregistration.k8s.io - -",
        "delete validatingadmissionpolicies.admissionregistration.k8s.io - kubefiche-classroom",
    ]
    .map(str::to_owned)
    .to_vec();
    for line in [
        "get secrets",
        "create pods",
        "create pods/exec",
        "create deployments.apps",
        "create roles.rbac.authorization.k8s.io",
        "create serviceaccounts/token",
    ] {
        lines.push(format!("{line} {seat} -"));
    }
    lines.push(format!("impersonate serviceaccounts {seat} default"));
    lines
}

/// What Fiche 3 and the console's commands need of a learner, in their namespace.
pub fn learner_needs(seat: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for resource in [
        "configmaps",
        "secrets",
        "services",
        "persistentvolumeclaims",
        "pods",
        "deployments.apps",
        "replicasets.apps",
        "jobs.batch",
        "cronjobs.batch",
    ] {
        for verb in [
            "get", "list", "watch", "create", "update", "patch", "delete",
        ] {
            lines.push(format!("{verb} {resource} {seat} -"));
        }
    }
    for line in [
        "get pods/log",
        "create pods/exec",
        "get deployments.apps/scale",
        "patch deployments.apps/scale",
        "update deployments.apps/scale",
        "get events",
        "list events",
        "watch events",
        "list events.events.k8s.io",
        "get endpointslices.discovery.k8s.io",
        "get resourcequotas",
        // `kubectl get all`.
        "list replicationcontrollers",
        "list daemonsets.apps",
        "list statefulsets.apps",
        "list horizontalpodautoscalers.autoscaling",
    ] {
        lines.push(format!("{line} {seat} -"));
    }
    lines
}

/// What a learner may not do even in their own namespace, and nothing cluster-wide.
pub fn learner_must_not(seat: &str) -> Vec<String> {
    let mut lines: Vec<String> = ["create namespaces - -", "list pods - -", "get nodes - -"]
        .map(str::to_owned)
        .to_vec();
    for line in [
        "create rolebindings.rbac.authorization.k8s.io",
        "create roles.rbac.authorization.k8s.io",
        "patch resourcequotas",
        "delete limitranges",
        "delete networkpolicies.networking.k8s.io",
        "create statefulsets.apps",
        "create pods/portforward",
        "create pods/attach",
        "create serviceaccounts/token",
        "impersonate serviceaccounts",
    ] {
        lines.push(format!("{line} {seat} -"));
    }
    lines
}

/// Whether `user` may do `line`, asked again for a few seconds while the answer is no: the
/// authorizer reads roles and bindings from a cache that follows the API server a moment behind.
pub async fn allowed(client: &kube::Client, user: &str, line: &str) -> Result<bool> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if can(client, user, line).await? {
            return Ok(true);
        }
        if std::time::Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Whether the API server's authorizer lets the ServiceAccount `user` do `line` (a
/// SubjectAccessReview, as `kubectl auth can-i --as` asks it).
pub async fn can(client: &kube::Client, user: &str, line: &str) -> Result<bool> {
    let words: Vec<&str> = line.split(' ').collect();
    let [verb, resource, namespace, name] = words[..] else {
        bail!("not VERB RESOURCE NAMESPACE NAME: {line}");
    };
    let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
    let (resource, group) = resource.split_once('.').unwrap_or((resource, ""));
    let some = |s: &str| (s != "-").then(|| s.to_owned());
    let sa_namespace = user.split(':').nth(2).unwrap_or_default();
    let review: SubjectAccessReview = serde_json::from_value(json!({
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": user,
            "groups": ["system:serviceaccounts", format!("system:serviceaccounts:{sa_namespace}"),
                       "system:authenticated"],
            "resourceAttributes": {
                "verb": verb, "group": group, "resource": resource, "subresource": subresource,
                "namespace": some(namespace), "name": some(name),
            },
        },
    }))?;
    let answer = Api::<SubjectAccessReview>::all(client.clone())
        .create(&PostParams::default(), &review)
        .await
        .with_context(|| format!("asking whether {user} can {line}"))?;
    Ok(answer.status.is_some_and(|s| s.allowed))
}
