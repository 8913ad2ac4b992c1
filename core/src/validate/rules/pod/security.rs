//! A container's `securityContext`: user and group ids, privilege escalation against
//! `privileged` and `CAP_SYS_ADMIN`, `procMount`, seccomp and AppArmor profiles; and a warning
//! for `runAsNonRoot` with user 0, which the kubelet refuses when it starts the container.

use super::container::Pod;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::{Node, NodeKind};

fn is_true(n: Option<&Node>) -> bool {
    matches!(n.map(|n| &n.kind), Some(NodeKind::Bool(true)))
}

fn is_false(n: Option<&Node>) -> bool {
    matches!(n.map(|n| &n.kind), Some(NodeKind::Bool(false)))
}

pub(super) fn container(ctx: &mut Ctx<'_>, pod: &Pod<'_>, c: &Node, cp: &FieldPath) {
    let sp = cp.field("securityContext");
    let sc = c
        .get("securityContext")
        .filter(|n| matches!(n.kind, NodeKind::Map(_)));
    if let Some(sc) = sc {
        ids(ctx, sc, &sp);
        escalation(ctx, sc, &sp);
        proc_mount(ctx, pod, sc, &sp);
        profile(
            ctx,
            sc.get("seccompProfile"),
            &sp.field("seccompProfile"),
            "seccomp",
        );
        profile(
            ctx,
            sc.get("appArmorProfile"),
            &sp.field("appArmorProfile"),
            "AppArmor",
        );
    }
    run_as_root(ctx, pod, sc, &sp);
}

fn ids(ctx: &mut Ctx<'_>, sc: &Node, sp: &FieldPath) {
    for (field, what, quoi) in [
        ("runAsUser", "user", "utilisateur"),
        ("runAsGroup", "group", "groupe"),
    ] {
        if let Some(v) = sc.get(field).and_then(Node::as_int)
            && !(0..=2_147_483_647).contains(&v)
        {
            ctx.error(
                Rule::InvalidUserId,
                &sp.field(field),
                format!("{v} is not a valid {what} id: use 0 to 2147483647 (e.g. 1000)."),
                format!("{v} n'est pas un identifiant de {quoi} valide : utilisez 0 à 2147483647 (par exemple 1000)."),
            );
        }
    }
}

fn escalation(ctx: &mut Ctx<'_>, sc: &Node, sp: &FieldPath) {
    if !is_false(sc.get("allowPrivilegeEscalation")) {
        return;
    }
    if is_true(sc.get("privileged")) {
        ctx.error(
            Rule::PrivilegeEscalation,
            &sp.field("allowPrivilegeEscalation"),
            "A privileged container always has every privilege: `allowPrivilegeEscalation: false` contradicts `privileged: true`. Remove one of the two.",
            "Un conteneur privilégié a toujours tous les privilèges : `allowPrivilegeEscalation: false` contredit `privileged: true`. Retirez l'un des deux.",
        );
    }
    let added = sc
        .get("capabilities")
        .and_then(|c| c.get("add"))
        .map_or(&[][..], Node::as_seq);
    for (i, cap) in added.iter().enumerate() {
        if cap.as_str() == Some("CAP_SYS_ADMIN") {
            ctx.error(
                Rule::PrivilegeEscalation,
                &sp.join("capabilities.add").index(i),
                "`CAP_SYS_ADMIN` gives away almost every privilege, which contradicts `allowPrivilegeEscalation: false`. Remove the capability or that setting.",
                "`CAP_SYS_ADMIN` donne presque tous les privilèges, ce qui contredit `allowPrivilegeEscalation: false`. Retirez la capacité ou ce réglage.",
            );
        }
    }
}

fn proc_mount(ctx: &mut Ctx<'_>, pod: &Pod<'_>, sc: &Node, sp: &FieldPath) {
    let path = sp.field("procMount");
    match sc.get("procMount").and_then(Node::as_str) {
        None | Some("Default") => {}
        Some("Unmasked") if pod.host_users => ctx.error(
            Rule::ProcMount,
            &path,
            "`procMount: Unmasked` needs the pod in its own user namespace: set `hostUsers: false` in the pod spec, or remove `procMount`.",
            "`procMount: Unmasked` demande que le pod ait son propre espace de noms utilisateur : mettez `hostUsers: false` dans la spec du pod, ou retirez `procMount`.",
        ),
        Some("Unmasked") => {}
        Some(v) => ctx.error(
            Rule::ProcMount,
            &path,
            format!("`{v}` is not a procMount type: use `Default` or `Unmasked`."),
            format!("`{v}` n'est pas un type de procMount : utilisez `Default` ou `Unmasked`."),
        ),
    }
}

/// `seccompProfile` or `appArmorProfile`: a known type, and `localhostProfile` exactly when
/// the type is `Localhost`.
pub(super) fn profile(ctx: &mut Ctx<'_>, n: Option<&Node>, path: &FieldPath, what: &str) {
    let Some(n) = n.filter(|n| matches!(n.kind, NodeKind::Map(_))) else {
        return;
    };
    let local = n
        .get("localhostProfile")
        .filter(|l| !matches!(l.kind, NodeKind::Null));
    match n.get("type").and_then(Node::as_str) {
        Some("Localhost") => {
            let value = local.and_then(Node::as_str).unwrap_or("");
            let article = if what == "seccomp" { "A" } else { "An" };
            if what == "AppArmor" && value.trim() != value {
                ctx.error(
                    Rule::SecurityProfile,
                    &path.field("localhostProfile"),
                    format!("`{value}` has spaces around it: remove them."),
                    format!("`{value}` est entouré d'espaces : retirez-les."),
                );
            // An empty seccomp file name is let through; an empty AppArmor one is not.
            } else if local.is_none() || (what == "AppArmor" && value.is_empty()) {
                ctx.error(
                    Rule::SecurityProfile,
                    path,
                    format!("{article} {what} profile of type `Localhost` needs `localhostProfile`: the profile's file name on the node."),
                    format!("Un profil {what} de type `Localhost` a besoin de `localhostProfile` : le nom du fichier du profil sur le nœud."),
                );
            } else if what == "seccomp"
                && (value.starts_with('/') || value.split('/').any(|s| s == ".."))
            {
                ctx.error(
                    Rule::SecurityProfile,
                    &path.field("localhostProfile"),
                    format!("`{value}` must be a path relative to the kubelet's seccomp folder, without `..` and not starting with `/`."),
                    format!("`{value}` doit être un chemin relatif au dossier seccomp du kubelet, sans `..` et sans `/` au début."),
                );
            }
        }
        Some("RuntimeDefault" | "Unconfined") if local.is_some() => ctx.report_key(
            crate::Severity::Error,
            Rule::SecurityProfile,
            &path.field("localhostProfile"),
            crate::Text::new(
                format!("`localhostProfile` goes only with `type: Localhost`. Remove it, or change the {what} type to `Localhost`."),
                format!("`localhostProfile` ne va qu'avec `type: Localhost`. Retirez-le, ou passez le type {what} à `Localhost`."),
            ),
        ),
        Some("RuntimeDefault" | "Unconfined") => {}
        Some(t) => ctx.error(
            Rule::SecurityProfile,
            &path.field("type"),
            format!("`{t}` is not a {what} profile type: use `RuntimeDefault`, `Localhost` or `Unconfined` (with that exact case)."),
            format!("`{t}` n'est pas un type de profil {what} : utilisez `RuntimeDefault`, `Localhost` ou `Unconfined` (avec cette casse exacte)."),
        ),
        None => {}
    }
}

/// `runAsNonRoot: true` with user 0, the container's settings over the pod's: the API server
/// accepts it, the kubelet will not start the container. Said once, where the container sets
/// one of the two.
fn run_as_root(ctx: &mut Ctx<'_>, pod: &Pod<'_>, sc: Option<&Node>, sp: &FieldPath) {
    let pod_sc = pod.spec.get("securityContext");
    let own = |f: &str| {
        sc.and_then(|s| s.get(f))
            .filter(|n| !matches!(n.kind, NodeKind::Null))
    };
    let inherited = |f: &str| {
        pod_sc
            .and_then(|s| s.get(f))
            .filter(|n| !matches!(n.kind, NodeKind::Null))
    };
    let (own_user, own_non_root) = (own("runAsUser"), own("runAsNonRoot"));
    if own_user.is_none() && own_non_root.is_none() {
        return;
    }
    let user = own_user.or_else(|| inherited("runAsUser"));
    let non_root = own_non_root.or_else(|| inherited("runAsNonRoot"));
    if is_true(non_root) && user.and_then(Node::as_int) == Some(0) {
        let path = if own_user.is_some() {
            sp.field("runAsUser")
        } else {
            sp.field("runAsNonRoot")
        };
        ctx.warning(
            Rule::RunAsRoot,
            &path,
            "`runAsNonRoot: true` with `runAsUser: 0` (root): the cluster accepts it, but the container will never start (CreateContainerConfigError). Use another user, e.g. `runAsUser: 1000`.",
            "`runAsNonRoot: true` avec `runAsUser: 0` (root) : le cluster l'accepte, mais le conteneur ne démarrera jamais (CreateContainerConfigError). Utilisez un autre utilisateur, par exemple `runAsUser: 1000`.",
        );
    }
}
