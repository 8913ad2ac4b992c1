//! What the API server checks in a pod's (or pod template's) annotations
//! (`ValidatePodSpecificAnnotations`) and on create (`ValidatePodCreate`,
//! `ValidatePodTemplateSpec`): deletion cost, mirror pods, the old seccomp and AppArmor
//! annotations, ephemeral containers, a node name with scheduling gates.

use super::Owner;
use super::fields;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::Node;

const DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";
const MIRROR: &str = "kubernetes.io/config.mirror";
const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER: &str = "container.apparmor.security.beta.kubernetes.io/";

/// `p` is the pod spec's path; its annotations are in the sibling `metadata`.
pub(super) fn pod_annotations(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    let mut meta = p.clone();
    meta.pop();
    let ap = meta.field("metadata").field("annotations");
    let Some(annotations) = ctx.m.node(&ap) else {
        return;
    };
    let names: Vec<&str> = ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|l| spec.get(l).map_or(&[][..], Node::as_seq))
        .filter_map(|c| c.get("name").and_then(Node::as_str))
        .collect();
    for (k, v) in annotations.as_map() {
        let key = k.name.as_str();
        let Some(value) = v.as_str() else { continue };
        let path = ap.field(key);
        if key == DELETION_COST && !is_int32(value) {
            ctx.error(Rule::InvalidValue, &path, format!("`{DELETION_COST}` must be a whole number (32 bits), without `+` or leading zeros, e.g. `\"100\"`, not `{value}`."), format!("`{DELETION_COST}` doit être un nombre entier (32 bits), sans `+` ni zéros en tête, par exemple `\"100\"`, pas `{value}`."));
        } else if key == MIRROR
            && spec
                .get("nodeName")
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
        {
            ctx.error(Rule::InvalidValue, &path, format!("`{MIRROR}` marks a static pod and needs `spec.nodeName`. Remove the annotation."), format!("`{MIRROR}` désigne un pod statique et demande `spec.nodeName`. Retirez l'annotation."));
        } else if (key == SECCOMP_POD || key.starts_with(SECCOMP_CONTAINER)) && !is_seccomp(value) {
            ctx.error(Rule::SecurityProfile, &path, format!("`{value}` is not a seccomp profile: use `runtime/default`, `unconfined` or `localhost/<file>`. Better, use `securityContext.seccompProfile`."), format!("`{value}` n'est pas un profil seccomp : utilisez `runtime/default`, `unconfined` ou `localhost/<fichier>`. Mieux : utilisez `securityContext.seccompProfile`."));
        } else if let Some(container) = key.strip_prefix(APPARMOR_CONTAINER) {
            if !names.contains(&container) {
                ctx.report_key(crate::Severity::Error, Rule::SecurityProfile, &path, crate::Text::new(
                    format!("This AppArmor annotation names the container `{container}`, which this pod does not have. Write a container's name after the `/`."),
                    format!("Cette annotation AppArmor nomme le conteneur `{container}`, que ce pod n'a pas. Écrivez le nom d'un conteneur après le `/`."),
                ));
            }
            if !matches!(value, "" | "runtime/default" | "unconfined")
                && !value.starts_with("localhost/")
            {
                ctx.error(Rule::SecurityProfile, &path, format!("`{value}` is not an AppArmor profile: use `runtime/default`, `unconfined` or `localhost/<name>`. Better, use `securityContext.appArmorProfile`."), format!("`{value}` n'est pas un profil AppArmor : utilisez `runtime/default`, `unconfined` ou `localhost/<nom>`. Mieux : utilisez `securityContext.appArmorProfile`."));
            }
        }
    }
}

fn is_int32(s: &str) -> bool {
    let b = s.as_bytes();
    let first_ok = match b.first() {
        Some(b'-') => true,
        Some(b'0') => s == "0",
        Some(c) => (b'1'..=b'9').contains(c),
        None => false,
    };
    first_ok && s.parse::<i32>().is_ok()
}

fn is_seccomp(v: &str) -> bool {
    matches!(v, "runtime/default" | "docker/default" | "unconfined")
        || v.strip_prefix("localhost/")
            .is_some_and(|p| !p.starts_with('/') && !fields::has_backsteps(p))
}

/// What only a create refuses: a Pod bound to a node while still gated (ephemeral containers
/// are refused with the containers, `container.rs`).
pub(super) fn on_create(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath, owner: Owner) {
    if owner == Owner::Pod
        && spec
            .get("nodeName")
            .and_then(Node::as_str)
            .is_some_and(|n| !n.is_empty())
        && spec
            .get("schedulingGates")
            .is_some_and(|g| !g.as_seq().is_empty())
    {
        ctx.error(Rule::InvalidValue, &p.field("nodeName"), "A pod with `schedulingGates` cannot have a `nodeName` yet: remove one of the two.", "Un pod avec des `schedulingGates` ne peut pas encore avoir de `nodeName` : retirez l'un des deux.");
    }
}
