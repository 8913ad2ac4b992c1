//! The pod's own fields: names it refers to, deadlines, gates (`ValidatePodSpec`), DNS
//! (`validatePodDNSConfig`, `ValidateHostAliases`) and host namespaces (`validateHostUsers`,
//! `validatePodHostNetworkDeps`).

use super::fields;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

fn is_true(n: &Node, field: &str) -> bool {
    n.get(field)
        .is_some_and(|v| matches!(v.kind, NodeKind::Bool(true)))
}

/// Names, deadlines, readiness and scheduling gates.
pub(super) fn pod_fields(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    for (field, what, quoi) in [
        ("hostname", "host name", "nom d'hôte"),
        ("subdomain", "subdomain", "sous-domaine"),
    ] {
        if let Some(v) = spec.get(field).and_then(Node::as_str)
            && !v.is_empty()
            && !syntax::is_dns1123_label(v)
        {
            ctx.error(Rule::InvalidName, &p.field(field), format!("`{v}` is not a valid {what}: lowercase letters, digits and `-`, no dots, at most 63 characters."), format!("`{v}` n'est pas un {quoi} valide : minuscules, chiffres et `-`, sans point, 63 caractères au plus."));
        }
    }
    for (field, kind) in [
        ("serviceAccountName", "ServiceAccount"),
        ("nodeName", "node"),
        ("priorityClassName", "PriorityClass"),
        ("runtimeClassName", "RuntimeClass"),
    ] {
        if let Some(v) = spec.get(field).and_then(Node::as_str)
            && !v.is_empty()
            && !syntax::is_dns1123_subdomain(v)
        {
            ctx.error(Rule::InvalidName, &p.field(field), format!("`{v}` is not a valid {kind} name: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit."), format!("`{v}` n'est pas un nom de {kind} valide : minuscules, chiffres, `-` et `.`, commençant et finissant par une lettre ou un chiffre."));
        }
    }
    if let Some(v) = spec.get("activeDeadlineSeconds").and_then(Node::as_int)
        && !(1..=i64::from(i32::MAX)).contains(&v)
    {
        ctx.error(Rule::OutOfRange, &p.field("activeDeadlineSeconds"), format!("`activeDeadlineSeconds` is a duration in seconds: 1 or more, not {v}. Leave it out for no deadline."), format!("`activeDeadlineSeconds` est une durée en secondes : 1 ou plus, pas {v}. Omettez-le pour ne fixer aucune limite."));
    }
    for (i, g) in spec
        .get("readinessGates")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        if let Some(c) = g.get("conditionType").and_then(Node::as_str) {
            qualified(
                ctx,
                c,
                &p.field("readinessGates").index(i).field("conditionType"),
            );
        }
    }
    let mut seen = Vec::new();
    for (i, g) in spec
        .get("schedulingGates")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let Some(name) = g.get("name").and_then(Node::as_str) else {
            continue;
        };
        let gp = p.field("schedulingGates").index(i).field("name");
        qualified(ctx, name, &gp);
        if seen.contains(&name) {
            ctx.error(
                Rule::DuplicateName,
                &gp,
                format!("The scheduling gate `{name}` is listed twice. Keep one."),
                format!("La barrière de planification `{name}` figure deux fois. Gardez-en une."),
            );
        }
        seen.push(name);
    }
}

fn qualified(ctx: &mut Ctx<'_>, v: &str, path: &FieldPath) {
    if !syntax::is_qualified_name(v) {
        ctx.error(Rule::InvalidName, path, format!("`{v}` is not a valid name here: letters, digits, `-`, `_`, `.`, at most 63 characters, optionally after a `domain.example/` prefix."), format!("`{v}` n'est pas un nom valide ici : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, éventuellement après un préfixe `domaine.exemple/`."));
    }
}

/// `dnsConfig` (with `dnsPolicy: None`) and `hostAliases`.
pub(super) fn dns(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    let cp = p.field("dnsConfig");
    let config = spec
        .get("dnsConfig")
        .filter(|c| matches!(c.kind, NodeKind::Map(_)));
    let servers = config.map_or(&[][..], |c| {
        c.get("nameservers").map_or(&[][..], Node::as_seq)
    });
    if spec.get("dnsPolicy").and_then(Node::as_str) == Some("None") && servers.is_empty() {
        let at = if config.is_some() {
            cp.clone()
        } else {
            p.field("dnsPolicy")
        };
        ctx.error(Rule::DnsConfig, &at, "With `dnsPolicy: None` the pod gets no DNS settings from the cluster: give at least one server under `dnsConfig.nameservers`.", "Avec `dnsPolicy: None` le pod ne reçoit aucun réglage DNS du cluster : donnez au moins un serveur sous `dnsConfig.nameservers`.");
    }
    if let Some(c) = config {
        if servers.len() > 3 {
            ctx.error(
                Rule::DnsConfig,
                &cp.field("nameservers"),
                format!("At most 3 nameservers, not {}. Keep three.", servers.len()),
                format!(
                    "3 serveurs de noms au plus, pas {}. Gardez-en trois.",
                    servers.len()
                ),
            );
        }
        for (i, s) in servers.iter().enumerate() {
            ip(ctx, s, &cp.field("nameservers").index(i));
        }
        let searches = c.get("searches").map_or(&[][..], Node::as_seq);
        let total: usize = searches
            .iter()
            .filter_map(Node::as_str)
            .map(|s| s.len() + 1)
            .sum();
        if searches.len() > 32 || total > 2049 {
            ctx.error(
                Rule::DnsConfig,
                &cp.field("searches"),
                "Too many search domains: at most 32, and 2048 characters in all.",
                "Trop de domaines de recherche : 32 au plus, et 2048 caractères en tout.",
            );
        }
        for (i, s) in searches.iter().enumerate() {
            let Some(s) = s.as_str() else { continue };
            let trimmed = s.strip_suffix('.').unwrap_or(s);
            if s != "." && !is_subdomain_with_underscore(trimmed) {
                ctx.error(Rule::DnsConfig, &cp.field("searches").index(i), format!("`{s}` is not a valid search domain: lowercase letters, digits, `-`, `_` and `.`, e.g. `svc.cluster.local`."), format!("`{s}` n'est pas un domaine de recherche valide : minuscules, chiffres, `-`, `_` et `.`, par exemple `svc.cluster.local`."));
            }
        }
        for (i, o) in c
            .get("options")
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            fields::required(
                ctx,
                o,
                &cp.field("options").index(i),
                "name",
                "the resolver option, e.g. `ndots`.",
                "l'option du résolveur, par exemple `ndots`.",
            );
        }
    }
    for (i, a) in spec
        .get("hostAliases")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let ap = p.field("hostAliases").index(i);
        if let Some(n) = a.get("ip") {
            ip(ctx, n, &ap.field("ip"));
        }
        for (j, h) in a
            .get("hostnames")
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            if let Some(h) = h.as_str()
                && !syntax::is_dns1123_subdomain(h)
            {
                ctx.error(
                    Rule::InvalidName,
                    &ap.field("hostnames").index(j),
                    format!(
                        "`{h}` is not a valid host name: lowercase letters, digits, `-` and `.`."
                    ),
                    format!(
                        "`{h}` n'est pas un nom d'hôte valide : minuscules, chiffres, `-` et `.`."
                    ),
                );
            }
        }
    }
}

fn ip(ctx: &mut Ctx<'_>, n: &Node, path: &FieldPath) {
    if let Some(s) = n.as_str()
        && !fields::is_ip(s)
    {
        ctx.error(Rule::InvalidIp, path, format!("`{s}` is not an IP address. Write one such as `10.0.0.10` (a name is not accepted here)."), format!("`{s}` n'est pas une adresse IP. Écrivez-en une comme `10.0.0.10` (un nom n'est pas accepté ici)."));
    }
}

/// A DNS subdomain whose labels may also hold `_` (not at their end).
fn is_subdomain_with_underscore(s: &str) -> bool {
    s.len() <= 253
        && !s.is_empty()
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            !b.is_empty()
                && b.iter().all(|c| ok(c) || matches!(c, b'-' | b'_'))
                && (ok(&b[0]) || b[0] == b'_')
                && ok(&b[b.len() - 1])
        })
}

/// `hostUsers: false` against host namespaces, `shareProcessNamespace` with `hostPID`, and
/// host ports with `hostNetwork`.
pub(super) fn host_namespaces(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    if spec
        .get("hostUsers")
        .is_some_and(|v| matches!(v.kind, NodeKind::Bool(false)))
    {
        for f in ["hostNetwork", "hostPID", "hostIPC"] {
            if is_true(spec, f) {
                ctx.error(Rule::HostNamespaces, &p.field(f), format!("`{f}: true` is refused with `hostUsers: false` (a pod in its own user namespace cannot share the node's). Remove one of the two."), format!("`{f}: true` est refusé avec `hostUsers: false` (un pod dans son propre espace de noms utilisateur ne peut pas partager ceux du nœud). Retirez l'un des deux."));
            }
        }
        for list in ["initContainers", "containers"] {
            for (i, c) in spec
                .get(list)
                .map_or(&[][..], Node::as_seq)
                .iter()
                .enumerate()
            {
                if c.get("volumeDevices")
                    .is_some_and(|d| !d.as_seq().is_empty())
                {
                    ctx.error(Rule::HostNamespaces, &p.field(list).index(i).field("volumeDevices"), "`volumeDevices` is refused with `hostUsers: false`. Remove one of the two.", "`volumeDevices` est refusé avec `hostUsers: false`. Retirez l'un des deux.");
                }
            }
        }
    }
    if is_true(spec, "shareProcessNamespace") && is_true(spec, "hostPID") {
        ctx.error(Rule::HostNamespaces, &p.field("shareProcessNamespace"), "`shareProcessNamespace` and `hostPID` cannot both be true. Keep one.", "`shareProcessNamespace` et `hostPID` ne peuvent pas valoir `true` tous les deux. Gardez-en un.");
    }
    // `hostPort` with `hostNetwork`: checked with the containers' ports (`container.rs`).
    if let Some(h) = spec.get("hostnameOverride").and_then(Node::as_str) {
        let hp = p.field("hostnameOverride");
        if is_true(spec, "setHostnameAsFQDN") {
            ctx.error(Rule::HostNamespaces, &hp, "`hostnameOverride` cannot be used with `setHostnameAsFQDN: true`. Remove one of the two.", "`hostnameOverride` ne peut pas servir avec `setHostnameAsFQDN: true`. Retirez l'un des deux.");
        }
        if is_true(spec, "hostNetwork") {
            ctx.error(Rule::HostNamespaces, &hp, "`hostnameOverride` cannot be used with `hostNetwork: true` (the pod has the node's name). Remove one of the two.", "`hostnameOverride` ne peut pas servir avec `hostNetwork: true` (le pod porte le nom du nœud). Retirez l'un des deux.");
        }
        if h.len() > 64 || !syntax::is_dns1123_subdomain(h) {
            ctx.error(Rule::InvalidName, &hp, format!("`{h}` is not a valid host name: lowercase letters, digits, `-` and `.`, at most 64 characters."), format!("`{h}` n'est pas un nom d'hôte valide : minuscules, chiffres, `-` et `.`, 64 caractères au plus."));
        }
    }
}
