//! A seat's namespace and what comes with it: quota and default sizes for the worksheet,
//! Pod Security, isolation from the other learners' pods, and the learner's identity and rights.
//! Every object is applied server-side by the proxy's own identity, under one field manager.

use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use kube::api::{Patch, PatchParams};
use kube::{Api, Client};
use kubefiche_core::manifest::{self, SourceFile};
use serde_json::{Value, json};

use super::{CLASS_LABEL, SEAT_LABEL};

/// The field manager of everything the class makes.
pub const MANAGER: &str = "kubefiche";
/// The ClusterRole a learner holds in their own namespace (through a RoleBinding there).
pub const LEARNER_ROLE: &str = "kubefiche-learner";
/// The ServiceAccount of each seat, which the proxy impersonates for the learner's calls.
pub const LEARNER: &str = "learner";

/// The deployment's RBAC (`deploy/rbac.yaml`): the learners' ClusterRole is written from it, so
/// that a proxy run by an administrator and a deployed one give learners the same rights.
const RBAC: &str = include_str!("../../../deploy/rbac.yaml");

/// What a learner may do in their namespace (the ClusterRole [`LEARNER_ROLE`] of
/// `deploy/rbac.yaml`); `Null` if the file lost it (a unit test keeps it there).
pub fn learner_role() -> Value {
    let file = SourceFile {
        path: "deploy/rbac.yaml".into(),
        text: RBAC.into(),
    };
    manifest::parse_file(&file)
        .0
        .into_iter()
        .find(|m| m.kind == "ClusterRole" && m.name == LEARNER_ROLE)
        .map(|m| m.value)
        .unwrap_or(Value::Null)
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

/// Wait (at most 5 s) until the API server lets the learner's identity, through `client`, create
/// a ConfigMap in `namespace`: its RoleBinding has reached the authorizer.
pub async fn authorized(client: &Client, namespace: &str) {
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let review: SelfSubjectAccessReview = match serde_json::from_value(json!({
        "spec": {"resourceAttributes": {"namespace": namespace, "verb": "create", "resource": "configmaps"}}
    })) {
        Ok(review) => review,
        Err(_) => return,
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while tokio::time::Instant::now() < deadline {
        let answer = api.create(&Default::default(), &review).await;
        if answer.is_ok_and(|r| r.status.is_some_and(|s| s.allowed)) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tracing::warn!(
        namespace,
        "the learner's rights were not in force after 5 s"
    );
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
    fn the_learners_role_lets_a_seat_watch_every_kind_of_its_stream() {
        let role = learner_role();
        assert_eq!(role["metadata"]["name"], LEARNER_ROLE);
        let rules = role["rules"].as_array().expect("rules");
        let grants = |group: &str, plural: &str, verb: &str| {
            rules.iter().any(|rule| {
                let has = |key: &str, value: &str| {
                    rule[key]
                        .as_array()
                        .is_some_and(|l| l.iter().any(|v| v == value))
                };
                has("apiGroups", group) && has("resources", plural) && has("verbs", verb)
            })
        };
        for kind in kubefiche_core::kinds::watched() {
            let group = kind.api_version.rsplit_once('/').map_or("", |(g, _)| g);
            for verb in ["list", "watch", "create", "patch"] {
                assert!(grants(group, kind.plural, verb), "{verb} {}", kind.plural);
            }
        }
        assert!(grants("events.k8s.io", "events", "watch"));
        assert!(grants("", "pods/exec", "create") && grants("", "pods/log", "get"));
    }

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
