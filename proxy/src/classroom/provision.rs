//! A seat's namespace and what comes with it: quota and default sizes for the worksheet,
//! Pod Security, isolation from the other learners' pods, and the learner's identity and rights.
//! Every object is applied server-side by the proxy's own identity, under one field manager.

use kube::api::{Patch, PatchParams};
use kube::{Api, Client};
use serde_json::{Value, json};

use super::{CLASS_LABEL, SEAT_LABEL};

/// The field manager of everything the class makes.
pub const MANAGER: &str = "kubefiche";
/// The ClusterRole a learner holds in their own namespace (through a RoleBinding there).
pub const LEARNER_ROLE: &str = "kubefiche-learner";
/// The ServiceAccount of each seat, which the proxy impersonates for the learner's calls.
pub const LEARNER: &str = "learner";

/// What a learner may do in their namespace: the worksheet's kinds, logs and exec.
pub fn learner_role() -> Value {
    let all = [
        "get", "list", "watch", "create", "update", "patch", "delete",
    ];
    let read = ["get", "list", "watch"];
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": LEARNER_ROLE, "labels": {"app.kubernetes.io/managed-by": MANAGER}},
        "rules": [
            {"apiGroups": [""], "resources": ["configmaps", "secrets", "services", "persistentvolumeclaims", "pods"], "verbs": all},
            {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["pods/exec", "pods/attach"], "verbs": ["create", "get"]},
            {"apiGroups": [""], "resources": ["events"], "verbs": read},
            {"apiGroups": ["events.k8s.io"], "resources": ["events"], "verbs": read},
            {"apiGroups": ["apps"], "resources": ["deployments", "replicasets"], "verbs": all},
            {"apiGroups": ["apps"], "resources": ["deployments/scale", "replicasets/scale"], "verbs": ["get", "update", "patch"]},
            {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": all},
        ],
    })
}

/// The objects of seat `seat` of class `class` in namespace `namespace`, in the order they are
/// made (the namespace first).
pub fn seat_objects(class: &str, seat: u32, namespace: &str, annotations: &Value) -> Vec<Value> {
    let labels = json!({
        CLASS_LABEL: class,
        SEAT_LABEL: seat.to_string(),
        "app.kubernetes.io/managed-by": MANAGER,
    });
    let meta = |name: &str| json!({"name": name, "namespace": namespace, "labels": labels});
    let mut namespace_labels = labels.clone();
    for (key, value) in [
        ("pod-security.kubernetes.io/enforce", "baseline"),
        ("pod-security.kubernetes.io/warn", "baseline"),
    ] {
        namespace_labels[key] = json!(value);
    }
    vec![
        json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": namespace, "labels": namespace_labels, "annotations": annotations},
        }),
        // Sized for the whole of Fiche 3 with the agent at 5 and the MCP server at 3 (about 15
        // pods, Jobs of the CronJob included), with room for mistakes.
        json!({
            "apiVersion": "v1", "kind": "ResourceQuota", "metadata": meta("kubefiche-seat"),
            "spec": {"hard": {
                "pods": "30", "requests.cpu": "4", "requests.memory": "4Gi",
                "limits.cpu": "16", "limits.memory": "16Gi",
                "persistentvolumeclaims": "4", "requests.storage": "10Gi",
                "services": "10", "services.nodeports": "3", "services.loadbalancers": "0",
                "configmaps": "30", "secrets": "30", "count/jobs.batch": "30",
                "count/cronjobs.batch": "5", "count/deployments.apps": "10",
            }},
        }),
        // The worksheet's pods name no resources: these fill them in, so the quota can count.
        json!({
            "apiVersion": "v1", "kind": "LimitRange", "metadata": meta("kubefiche-seat"),
            "spec": {"limits": [{
                "type": "Container",
                "defaultRequest": {"cpu": "50m", "memory": "64Mi"},
                "default": {"cpu": "500m", "memory": "256Mi"},
                "max": {"cpu": "2", "memory": "2Gi"},
            }]},
        }),
        // Pods take traffic from their own namespace only: no learner reaches another's pods.
        json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": meta("kubefiche-isolate"),
            "spec": {
                "podSelector": {},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"podSelector": {}}]}],
            },
        }),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(LEARNER)}),
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": meta(LEARNER_ROLE),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": LEARNER_ROLE},
            "subjects": [{"kind": "ServiceAccount", "name": LEARNER, "namespace": namespace}],
        }),
    ]
}

/// Apply one object of [`seat_objects`] or [`learner_role`] server-side.
pub async fn apply(client: &Client, object: &Value) -> Result<(), kube::Error> {
    let (api_version, kind) = (
        object["apiVersion"].as_str().unwrap_or_default(),
        object["kind"].as_str().unwrap_or_default(),
    );
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, kind);
    let plural = match kind {
        "Namespace" => "namespaces",
        "ResourceQuota" => "resourcequotas",
        "LimitRange" => "limitranges",
        "NetworkPolicy" => "networkpolicies",
        "ServiceAccount" => "serviceaccounts",
        "RoleBinding" => "rolebindings",
        "ClusterRole" => "clusterroles",
        // The class makes no other kind.
        _ => "secrets",
    };
    let resource = kube::api::ApiResource::from_gvk_with_plural(&gvk, plural);
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    let api: Api<kube::api::DynamicObject> = match object["metadata"]["namespace"].as_str() {
        Some(namespace) => Api::namespaced_with(client.clone(), namespace, &resource),
        None => Api::all_with(client.clone(), &resource),
    };
    api.patch(
        name,
        &PatchParams::apply(MANAGER).force(),
        &Patch::Apply(object),
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_of_a_seat_is_labelled_with_its_class_and_seat() {
        let objects = seat_objects("abc", 7, "kf-abc-7", &json!({}));
        assert_eq!(objects[0]["kind"], "Namespace");
        for object in &objects {
            assert_eq!(object["metadata"]["labels"][CLASS_LABEL], "abc");
            assert_eq!(object["metadata"]["labels"][SEAT_LABEL], "7");
        }
        assert_eq!(
            objects[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
            "baseline"
        );
        let binding = objects.last().expect("a binding");
        assert_eq!(binding["subjects"][0]["namespace"], "kf-abc-7");
        assert_eq!(binding["roleRef"]["name"], LEARNER_ROLE);
    }
}
