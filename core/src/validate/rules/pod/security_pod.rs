//! The pod's `securityContext` (`validatePodSpecSecurityContext`, `validateSysctls`, seccomp
//! and AppArmor profiles) and `os` (`validateOS`, and what a Windows pod may not set).

use super::fields;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::{Node, NodeKind};

const MAX_ID: i64 = 2_147_483_647;

pub(super) fn security_context(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    let Some(sc) = spec
        .get("securityContext")
        .filter(|s| matches!(s.kind, NodeKind::Map(_)))
    else {
        return;
    };
    let sp = p.field("securityContext");
    for f in ["runAsUser", "runAsGroup", "fsGroup"] {
        fields::in_range(ctx, sc, &sp, f, 0, MAX_ID);
    }
    for (i, g) in sc
        .get("supplementalGroups")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        if let Some(v) = g.as_int()
            && !(0..=MAX_ID).contains(&v)
        {
            ctx.error(
                Rule::OutOfRange,
                &sp.field("supplementalGroups").index(i),
                format!("A group ID is between 0 and {MAX_ID}, not {v}."),
                format!("Un identifiant de groupe est compris entre 0 et {MAX_ID}, pas {v}."),
            );
        }
    }
    fields::one_of(
        ctx,
        sc,
        &sp,
        "fsGroupChangePolicy",
        &["OnRootMismatch", "Always"],
    );
    fields::one_of(
        ctx,
        sc,
        &sp,
        "supplementalGroupsPolicy",
        &["Merge", "Strict"],
    );
    fields::one_of(
        ctx,
        sc,
        &sp,
        "seLinuxChangePolicy",
        &["Recursive", "MountOption"],
    );
    sysctls(ctx, spec, sc, &sp);
    if let Some(prof) = sc
        .get("seccompProfile")
        .filter(|s| matches!(s.kind, NodeKind::Map(_)))
    {
        profile(ctx, prof, &sp.field("seccompProfile"), "seccomp");
    }
    if let Some(prof) = sc
        .get("appArmorProfile")
        .filter(|s| matches!(s.kind, NodeKind::Map(_)))
    {
        profile(ctx, prof, &sp.field("appArmorProfile"), "AppArmor");
    }
}

/// A sysctl name: segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`, at most
/// 253 characters.
fn is_sysctl_name(s: &str) -> bool {
    s.len() <= 253
        && s.split(['.', '/']).all(|seg| {
            let b = seg.as_bytes();
            let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            !b.is_empty()
                && ok(&b[0])
                && ok(&b[b.len() - 1])
                && b.iter().all(|c| ok(c) || matches!(c, b'-' | b'_'))
        })
}

fn sysctls(ctx: &mut Ctx<'_>, spec: &Node, sc: &Node, sp: &FieldPath) {
    let host = |f: &str| {
        spec.get(f)
            .is_some_and(|v| matches!(v.kind, NodeKind::Bool(true)))
    };
    let mut seen = Vec::new();
    for (i, s) in sc
        .get("sysctls")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let ip = sp.field("sysctls").index(i);
        fields::required(
            ctx,
            s,
            &ip,
            "name",
            "the kernel parameter, e.g. `net.ipv4.ip_local_port_range`.",
            "le paramètre du noyau, par exemple `net.ipv4.ip_local_port_range`.",
        );
        let Some(name) = s
            .get("name")
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        let np = ip.field("name");
        if !is_sysctl_name(name) {
            ctx.error(Rule::InvalidSysctl, &np, format!("`{name}` is not a valid sysctl name: lowercase words joined by `.` (or `/`), e.g. `net.core.somaxconn`."), format!("`{name}` n'est pas un nom de sysctl valide : des mots en minuscules séparés par `.` (ou `/`), par exemple `net.core.somaxconn`."));
        } else if seen.contains(&name) {
            ctx.error(
                Rule::DuplicateName,
                &np,
                format!("The sysctl `{name}` is set twice. Keep one."),
                format!("Le sysctl `{name}` est réglé deux fois. Gardez-en un."),
            );
        }
        seen.push(name);
        let dotted = name.replace('/', ".");
        if host("hostNetwork") && dotted.starts_with("net.") {
            ctx.error(Rule::InvalidSysctl, &np, format!("`{name}` is a network sysctl: it cannot be set with `hostNetwork: true` (it would change the node). Remove one of the two."), format!("`{name}` est un sysctl réseau : il ne peut pas être réglé avec `hostNetwork: true` (il changerait le nœud). Retirez l'un des deux."));
        }
        let ipc = dotted.starts_with("kernel.shm")
            || dotted.starts_with("kernel.msg")
            || dotted == "kernel.sem"
            || dotted.starts_with("fs.mqueue.");
        if host("hostIPC") && ipc {
            ctx.error(Rule::InvalidSysctl, &np, format!("`{name}` is an IPC sysctl: it cannot be set with `hostIPC: true`. Remove one of the two."), format!("`{name}` est un sysctl IPC : il ne peut pas être réglé avec `hostIPC: true`. Retirez l'un des deux."));
        }
    }
}

/// `seccompProfile` or `appArmorProfile`: `type`, and `localhostProfile` only with `Localhost`.
fn profile(ctx: &mut Ctx<'_>, prof: &Node, pp: &FieldPath, what: &str) {
    fields::one_of(
        ctx,
        prof,
        pp,
        "type",
        &["RuntimeDefault", "Unconfined", "Localhost"],
    );
    let local = prof
        .get("localhostProfile")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    match (prof.get("type").and_then(Node::as_str), local) {
        (Some("Localhost"), None) => ctx.error(
            Rule::SecurityProfile,
            &pp.field("type"),
            format!("A `Localhost` {what} profile needs `localhostProfile`: the profile's file on the node."),
            format!("Un profil {what} `Localhost` a besoin de `localhostProfile` : le fichier du profil sur le nœud."),
        ),
        (Some("Localhost"), Some(l)) => {
            let v = l.as_str().unwrap_or("");
            if what == "seccomp" {
                fields::local_path(ctx, prof, pp, "localhostProfile", false);
            } else if v.trim().is_empty() || v.trim() != v {
                ctx.error(Rule::SecurityProfile, &pp.field("localhostProfile"), "`localhostProfile` must name the profile, without spaces around it.", "`localhostProfile` doit nommer le profil, sans espaces autour.");
            }
        }
        (Some("RuntimeDefault" | "Unconfined"), Some(_)) => ctx.error(
            Rule::SecurityProfile,
            &pp.field("localhostProfile"),
            format!("`localhostProfile` only goes with `type: Localhost`. Remove it, or change the {what} profile's type."),
            format!("`localhostProfile` ne va qu'avec `type: Localhost`. Retirez-le, ou changez le type du profil {what}."),
        ),
        _ => {}
    }
}

/// Fields of the pod's `securityContext` a Windows pod may not set.
const NOT_ON_WINDOWS: &[&str] = &[
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "fsGroup",
    "fsGroupChangePolicy",
    "sysctls",
    "runAsUser",
    "runAsGroup",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "seLinuxChangePolicy",
];

/// Fields of a container's `securityContext` a Windows pod may not set.
const NOT_ON_WINDOWS_CONTAINER: &[&str] = &[
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "capabilities",
    "readOnlyRootFilesystem",
    "privileged",
    "allowPrivilegeEscalation",
    "procMount",
    "runAsUser",
    "runAsGroup",
];

/// Each container's `securityContext` field among `names` that is set, with its path.
fn container_fields(spec: &Node, p: &FieldPath, names: &[&str]) -> Vec<(FieldPath, String)> {
    let mut found = Vec::new();
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for (i, c) in spec
            .get(list)
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            let Some(sc) = fields::set(c, "securityContext") else {
                continue;
            };
            for f in names {
                if fields::set(sc, f).is_some() {
                    found.push((
                        p.field(list).index(i).field("securityContext").field(f),
                        (*f).to_owned(),
                    ));
                }
            }
        }
    }
    found
}

/// `os.name` (`linux` or `windows`) and the fields each forbids.
pub(super) fn os(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    let Some(os) = spec
        .get("os")
        .filter(|o| matches!(o.kind, NodeKind::Map(_)))
    else {
        return;
    };
    let op = p.field("os");
    fields::required(
        ctx,
        os,
        &op,
        "name",
        "`linux` or `windows`.",
        "`linux` ou `windows`.",
    );
    fields::one_of(ctx, os, &op, "name", &["linux", "windows"]);
    let sc = spec.get("securityContext");
    match os.get("name").and_then(Node::as_str) {
        Some("linux") => {
            let mut at = container_fields(spec, p, &["windowsOptions"]);
            if sc.and_then(|s| fields::set(s, "windowsOptions")).is_some() {
                at.push((
                    p.field("securityContext").field("windowsOptions"),
                    "windowsOptions".to_owned(),
                ));
            }
            for (path, _) in at {
                ctx.error(Rule::InvalidValue, &path, "`windowsOptions` cannot be set for a Linux pod (`os.name: linux`). Remove it.", "`windowsOptions` ne peut pas être réglé pour un pod Linux (`os.name: linux`). Retirez-le.");
            }
        }
        Some("windows") => {
            for (path, f) in container_fields(spec, p, NOT_ON_WINDOWS_CONTAINER) {
                windows_forbids(ctx, &path, &f);
            }
            for f in NOT_ON_WINDOWS {
                if sc.and_then(|s| fields::set(s, f)).is_some() {
                    windows_forbids(ctx, &p.field("securityContext").field(f), f);
                }
            }
            for f in ["hostUsers", "hostPID", "hostIPC", "shareProcessNamespace"] {
                let set = spec.get(f).is_some_and(|v| match v.kind {
                    NodeKind::Bool(b) => b || matches!(f, "hostUsers" | "shareProcessNamespace"),
                    _ => false,
                });
                if set {
                    windows_forbids(ctx, &p.field(f), f);
                }
            }
        }
        _ => {}
    }
}

fn windows_forbids(ctx: &mut Ctx<'_>, path: &FieldPath, f: &str) {
    ctx.error(
        Rule::InvalidValue,
        path,
        format!("`{f}` cannot be set for a Windows pod (`os.name: windows`). Remove it, or run the pod on Linux."),
        format!("`{f}` ne peut pas être réglé pour un pod Windows (`os.name: windows`). Retirez-le, ou faites tourner le pod sous Linux."),
    );
}
