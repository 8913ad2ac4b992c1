//! apiVersion/kind: is this pair served by the pinned Kubernetes version? Removed and misspelt
//! ones get advice.

use super::context::Ctx;
use super::syntax::closest;
use crate::rule::Rule;
use crate::schema::{self, Ty};

/// Pairs removed from Kubernetes: (apiVersion, kind, removed in, replacement apiVersion).
const REMOVED: &[(&str, &str, &str, &str)] = &[
    ("extensions/v1beta1", "Deployment", "1.16", "apps/v1"),
    ("extensions/v1beta1", "ReplicaSet", "1.16", "apps/v1"),
    ("extensions/v1beta1", "DaemonSet", "1.16", "apps/v1"),
    (
        "extensions/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        "NetworkPolicy",
        "1.16",
        "networking.k8s.io/v1",
    ),
    ("apps/v1beta1", "Deployment", "1.16", "apps/v1"),
    ("apps/v1beta2", "Deployment", "1.16", "apps/v1"),
    ("apps/v1beta1", "StatefulSet", "1.16", "apps/v1"),
    ("apps/v1beta2", "StatefulSet", "1.16", "apps/v1"),
    ("apps/v1beta2", "ReplicaSet", "1.16", "apps/v1"),
    ("apps/v1beta2", "DaemonSet", "1.16", "apps/v1"),
    ("batch/v1beta1", "CronJob", "1.25", "batch/v1"),
    ("batch/v2alpha1", "CronJob", "1.21", "batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        "1.25",
        "autoscaling/v2",
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        "1.26",
        "autoscaling/v2",
    ),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1",
    ),
    (
        "networking.k8s.io/v1beta1",
        "IngressClass",
        "1.22",
        "networking.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        "1.27",
        "storage.k8s.io/v1",
    ),
    (
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        "1.25",
        "discovery.k8s.io/v1",
    ),
    ("events.k8s.io/v1beta1", "Event", "1.25", "events.k8s.io/v1"),
];

fn group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// The schema type of the object, or `None` when it cannot be checked (reported here).
pub(super) fn check(ctx: &mut Ctx<'_>) -> Option<Ty> {
    let (av, kind) = (ctx.m.api_version.clone(), ctx.m.kind.clone());
    if let Some(ty) = schema::root(&av, &kind) {
        if av.contains("alpha") || av.contains("beta") {
            ctx.warning(
                Rule::ApiVersionNotGa,
                "apiVersion",
                format!("`{av}` is a pre-release API: clusters do not serve it unless it is enabled. Prefer a stable version if one exists."),
                format!("`{av}` est une API en préversion : les clusters ne la servent que si elle est activée. Préférez une version stable si elle existe."),
            );
        }
        return Some(ty);
    }
    if let Some((_, _, removed, new)) = REMOVED.iter().find(|(a, k, _, _)| *a == av && *k == kind) {
        ctx.error(
            Rule::ApiVersionRemoved,
            "apiVersion",
            format!("`{av}` {kind} was removed in Kubernetes {removed}. Use `apiVersion: {new}`."),
            format!("`{av}` {kind} a été supprimé dans Kubernetes {removed}. Utilisez `apiVersion: {new}`."),
        );
        return None;
    }
    let served: Vec<&str> = schema::kinds()
        .filter(|(_, k)| *k == kind)
        .map(|(a, _)| a)
        .collect();
    if let Some(best) = served
        .iter()
        .find(|a| !a.contains("alpha") && !a.contains("beta"))
        .or(served.first())
    {
        ctx.error(
            Rule::ApiVersionUnknown,
            "apiVersion",
            format!("{kind} is not served at `{av}`. Use `apiVersion: {best}`."),
            format!("{kind} n'est pas servi en `{av}`. Utilisez `apiVersion: {best}`."),
        );
        return None;
    }
    let builtin_group = schema::kinds().any(|(a, _)| group(a) == group(&av));
    let suggestion = closest(&kind, schema::kinds().map(|(_, k)| k));
    match (suggestion, builtin_group) {
        (Some(s), _) => {
            let av_hint = schema::kinds()
                .find(|(_, k)| *k == s)
                .map_or("", |(a, _)| a);
            ctx.error(
                Rule::UnknownKind,
                "kind",
                format!("Unknown kind `{kind}`. Did you mean `{s}` (apiVersion `{av_hint}`)? Kinds are case-sensitive."),
                format!("Type d'objet `{kind}` inconnu. Vouliez-vous dire `{s}` (apiVersion `{av_hint}`) ? La casse compte."),
            );
        }
        (None, true) => {
            ctx.error(
                Rule::UnknownKind,
                "kind",
                format!("`{av}` has no kind `{kind}`. Check the spelling of `kind`."),
                format!("`{av}` n'a pas de type `{kind}`. Vérifiez l'orthographe de `kind`."),
            );
        }
        (None, false) => {
            ctx.warning(
                Rule::CustomResource,
                "kind",
                format!("`{av}` {kind} is not a built-in Kubernetes kind (a custom resource?): it is not checked here."),
                format!("`{av}` {kind} n'est pas un type intégré de Kubernetes (une ressource personnalisée ?) : il n'est pas vérifié ici."),
            );
        }
    }
    None
}
