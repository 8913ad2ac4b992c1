//! Services, as the API server checks them on a create (after its defaults: `type: ClusterIP`,
//! `protocol: TCP`, `sessionAffinity: None`…): ports (in `ports`), addresses (in `ip`), and the
//! fields that only make sense for some types.

mod ip;
mod ports;

use super::shared::label_map;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

/// The accepted `trafficDistribution` values in 1.36.
const TRAFFIC_DISTRIBUTION: &[&str] = &["PreferClose", "PreferSameZone", "PreferSameNode"];

pub(super) fn service(ctx: &mut Ctx<'_>) {
    let Some(spec) = ctx.m.node("spec") else {
        if !ctx.has_error_at("spec") {
            ctx.error(
                Rule::MissingPorts,
                "",
                "A Service needs a `spec` with `ports:`, e.g. `- port: 80` and `targetPort: 8000` (the container's port), and a `selector`.",
                "Un Service a besoin d'un `spec` avec `ports:`, par exemple `- port: 80` et `targetPort: 8000` (le port du conteneur), et d'un `selector`.",
            );
        }
        return;
    };
    // Left out or empty, the API server makes it ClusterIP.
    let ty = spec
        .get("type")
        .and_then(Node::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("ClusterIP");
    let headless = spec.get("clusterIP").and_then(Node::as_str) == Some("None");
    if let Some(sel) = spec.get("selector") {
        label_map(ctx, sel, &FieldPath::parse("spec.selector"));
    }
    if ty == "ExternalName" {
        external_name(ctx, spec);
    } else {
        ip::cluster_ips(ctx, spec);
        ip::ip_families(ctx, spec);
        if spec
            .get("externalName")
            .and_then(Node::as_str)
            .is_some_and(|s| !s.is_empty())
        {
            ctx.warning(
                Rule::ExternalName,
                "spec.externalName",
                format!("`externalName` is ignored by a {ty} Service. Add `type: ExternalName` under `spec` to make this Service a DNS alias, or remove `externalName`."),
                format!("`externalName` est ignoré par un Service {ty}. Ajoutez `type: ExternalName` sous `spec` pour faire de ce Service un alias DNS, ou retirez `externalName`."),
            );
        }
    }
    if headless && matches!(ty, "NodePort" | "LoadBalancer") {
        ctx.error(
            Rule::HeadlessNodePort,
            "spec.clusterIP",
            format!("`clusterIP: None` (headless) is not allowed for a {ty} Service. Remove it, or use `type: ClusterIP`."),
            format!("`clusterIP: None` (headless) n'est pas permis pour un Service {ty}. Retirez-le, ou utilisez `type: ClusterIP`."),
        );
    }
    annotations(ctx, ty);
    ports::ports(ctx, spec, ty, headless);
    ip::external_ips(ctx, spec);
    ignored(ctx, spec, ty, headless);
    affinity(ctx, spec, headless);
    by_type(ctx, spec, ty);
    traffic(ctx, spec);
}

/// The Service annotations the API server checks: the two topology annotations must agree,
/// and the source-ranges annotation is for load balancers and holds CIDRs.
fn annotations(ctx: &mut Ctx<'_>, ty: &str) {
    let Some(a) = ctx.m.node("metadata.annotations") else {
        return;
    };
    let path = FieldPath::parse("metadata.annotations");
    let mode = a
        .get("service.kubernetes.io/topology-mode")
        .and_then(Node::as_str);
    let hints = a
        .get("service.kubernetes.io/topology-aware-hints")
        .and_then(Node::as_str);
    if let (Some(m), Some(h)) = (mode, hints)
        && m != h
    {
        ctx.error(
            Rule::InvalidValue,
            &path.field("service.kubernetes.io/topology-mode"),
            format!("`topology-mode` ({m}) and the deprecated `topology-aware-hints` ({h}) disagree: remove `topology-aware-hints`."),
            format!("`topology-mode` ({m}) et l'ancienne `topology-aware-hints` ({h}) se contredisent : retirez `topology-aware-hints`."),
        );
    }
    let key = "service.beta.kubernetes.io/load-balancer-source-ranges";
    let ranges_field = ctx
        .m
        .node("spec.loadBalancerSourceRanges")
        .is_some_and(|n| !n.as_seq().is_empty());
    let Some(ranges) = a.get(key).and_then(Node::as_str) else {
        return;
    };
    if ranges_field {
        return; // the field wins and the annotation is not read
    }
    if ty != "LoadBalancer" {
        only_for_at(ctx, &path.field(key), key, "`type: LoadBalancer`", ty);
        return;
    }
    for r in ranges
        .trim()
        .split(',')
        .filter(|_| !ranges.trim().is_empty())
    {
        if !ip::is_cidr(r.trim()) {
            ctx.error(
                Rule::InvalidCidr,
                &path.field(key),
                format!("`{}` is not a valid CIDR: write comma-separated ranges such as `10.0.0.0/8,192.168.0.0/16`.", r.trim()),
                format!("`{}` n'est pas un CIDR valide : écrivez des plages séparées par des virgules comme `10.0.0.0/8,192.168.0.0/16`.", r.trim()),
            );
        }
    }
}

/// An ExternalName Service: a DNS name, and no addresses of its own.
fn external_name(ctx: &mut Ctx<'_>, spec: &Node) {
    match spec.get("externalName").and_then(Node::as_str) {
        Some(n) if syntax::is_dns1123_subdomain(n.trim_end_matches('.')) => {}
        Some(n) if !n.trim_end_matches('.').is_empty() => ctx.error(
            Rule::ExternalName,
            "spec.externalName",
            format!("`{n}` is not a valid DNS name: lowercase letters, digits, `-` and `.`, such as `db.example.com` (no `http://`, port or path)."),
            format!("`{n}` n'est pas un nom DNS valide : minuscules, chiffres, `-` et `.`, comme `db.example.com` (sans `http://`, port ni chemin)."),
        ),
        _ if ctx.has_error_at("spec.externalName") => {}
        _ => ctx.error(
            Rule::ExternalName,
            "spec",
            "A Service of type ExternalName needs `externalName`: a DNS name such as `db.example.com`.",
            "Un Service de type ExternalName a besoin de `externalName` : un nom DNS comme `db.example.com`.",
        ),
    }
    for f in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
        let set = spec.get(f).is_some_and(|n| match &n.kind {
            NodeKind::Null => false,
            NodeKind::Str(s) => !s.is_empty(),
            NodeKind::Seq(items) => !items.is_empty(),
            _ => true,
        });
        if set {
            ctx.error(
                Rule::ServiceTypeField,
                &FieldPath::parse("spec").field(f),
                format!("An ExternalName Service has no address of its own: remove `{f}`."),
                format!("Un Service ExternalName n'a pas d'adresse propre : retirez `{f}`."),
            );
        }
    }
}

/// Addresses the API server accepts but warns about: external IPs (deprecated, or ignored on
/// a headless or ExternalName Service) and a headless Service's `loadBalancerIP`.
fn ignored(ctx: &mut Ctx<'_>, spec: &Node, ty: &str, headless: bool) {
    let headless = headless && ty == "ClusterIP";
    if !spec
        .get("externalIPs")
        .map_or(&[][..], Node::as_seq)
        .is_empty()
    {
        let (en, fr) = if ty == "ExternalName" {
            (
                "An ExternalName Service ignores `externalIPs`: remove them.",
                "Un Service ExternalName ignore `externalIPs` : retirez-les.",
            )
        } else if headless {
            (
                "A headless Service (`clusterIP: None`) ignores `externalIPs`: remove them.",
                "Un Service headless (`clusterIP: None`) ignore `externalIPs` : retirez-les.",
            )
        } else {
            (
                "`externalIPs` is deprecated and some clusters no longer route it. Prefer `type: NodePort` or `LoadBalancer`.",
                "`externalIPs` est obsolète et certains clusters ne l'acheminent plus. Préférez `type: NodePort` ou `LoadBalancer`.",
            )
        };
        ctx.report_key(
            crate::Severity::Warning,
            Rule::InvalidIp,
            "spec.externalIPs",
            crate::Text::new(en, fr),
        );
    }
    if headless
        && spec
            .get("loadBalancerIP")
            .and_then(Node::as_str)
            .is_some_and(|s| !s.is_empty())
    {
        ctx.report_key(
            crate::Severity::Warning,
            Rule::InvalidIp,
            "spec.loadBalancerIP",
            crate::Text::new(
                "A headless Service (`clusterIP: None`) ignores `loadBalancerIP`: remove it.",
                "Un Service headless (`clusterIP: None`) ignore `loadBalancerIP` : retirez-le.",
            ),
        );
    }
}

/// `sessionAffinity: ClientIP` and its timeout (1 to 86400 seconds).
fn affinity(ctx: &mut Ctx<'_>, spec: &Node, headless: bool) {
    if spec.get("sessionAffinity").and_then(Node::as_str) != Some("ClientIP") {
        return; // with None, the API server drops sessionAffinityConfig
    }
    let p = "spec.sessionAffinityConfig.clientIP.timeoutSeconds";
    if let Some(t) = ctx.m.node(p).and_then(Node::as_int)
        && !(1..=86400).contains(&t)
    {
        ctx.error(
            Rule::SessionAffinity,
            p,
            format!("{t} is not a valid affinity timeout: use 1 to 86400 seconds (one day), or leave it out for 10800 (3 hours)."),
            format!("{t} n'est pas une durée d'affinité valide : utilisez 1 à 86400 secondes (un jour), ou omettez-la pour 10800 (3 heures)."),
        );
    }
    if headless {
        ctx.warning(
            Rule::SessionAffinity,
            "spec.sessionAffinity",
            "A headless Service (`clusterIP: None`) has no address to keep clients on: `sessionAffinity` is ignored. Remove it, or give the Service a cluster IP.",
            "Un Service headless (`clusterIP: None`) n'a pas d'adresse où fixer les clients : `sessionAffinity` est ignoré. Retirez-le, ou donnez une IP au Service.",
        );
    }
}

/// Fields allowed only for some types of Service.
fn by_type(ctx: &mut Ctx<'_>, spec: &Node, ty: &str) {
    let lb = ty == "LoadBalancer";
    // An empty string is no value: the API server treats it as the field left out.
    let set = |f: &str| {
        spec.get(f)
            .is_some_and(|n| !matches!(&n.kind, NodeKind::Null) && n.as_str() != Some(""))
    };
    let has_ranges = !spec
        .get("loadBalancerSourceRanges")
        .map_or(&[][..], Node::as_seq)
        .is_empty();
    for (f, on) in [
        ("loadBalancerSourceRanges", has_ranges),
        (
            "allocateLoadBalancerNodePorts",
            set("allocateLoadBalancerNodePorts"),
        ),
        ("loadBalancerClass", set("loadBalancerClass")),
    ] {
        if on && !lb {
            only_for(ctx, f, "`type: LoadBalancer`", ty);
        }
    }
    if lb {
        ip::source_ranges(ctx, spec);
        if let Some(c) = spec.get("loadBalancerClass").and_then(Node::as_str)
            && !syntax::is_qualified_name(c)
        {
            ctx.error(
                Rule::InvalidValue,
                "spec.loadBalancerClass",
                format!("`{c}` is not a valid load balancer class: a name such as `example.com/internal-lb` (letters, digits, `-`, `_`, `.`, one optional `domain/` prefix)."),
                format!("`{c}` n'est pas une classe de load balancer valide : un nom comme `example.com/lb-interne` (lettres, chiffres, `-`, `_`, `.`, un préfixe `domaine/` facultatif)."),
            );
        }
    }
    let external = matches!(ty, "NodePort" | "LoadBalancer")
        || (ty == "ClusterIP"
            && !spec
                .get("externalIPs")
                .map_or(&[][..], Node::as_seq)
                .is_empty());
    if set("externalTrafficPolicy") && !external {
        only_for(
            ctx,
            "externalTrafficPolicy",
            "`type: NodePort` or `LoadBalancer`",
            ty,
        );
    }
    let local = spec.get("externalTrafficPolicy").and_then(Node::as_str) == Some("Local");
    if let Some(hc) = spec.get("healthCheckNodePort").and_then(Node::as_int)
        && hc != 0
    {
        if !(lb && local) {
            only_for(
                ctx,
                "healthCheckNodePort",
                "`type: LoadBalancer` with `externalTrafficPolicy: Local`",
                ty,
            );
        } else if !(30000..=32767).contains(&hc) {
            // Allocated from the node port range: refused by the real create.
            ctx.error(
                Rule::NodePortRange,
                "spec.healthCheckNodePort",
                format!("{hc} is outside the NodePort range 30000–32767: the cluster refuses it when the Service is created. Pick a number in that range, or leave `healthCheckNodePort` out to get one."),
                format!("{hc} est hors de la plage NodePort 30000–32767 : le cluster le refuse à la création du Service. Choisissez un nombre dans cette plage, ou omettez `healthCheckNodePort` pour en obtenir un."),
            );
        }
    }
}

fn only_for(ctx: &mut Ctx<'_>, field: &str, what: &str, ty: &str) {
    only_for_at(ctx, &FieldPath::parse("spec").field(field), field, what, ty);
}

/// `field` (at `path`) only applies to some types of Service.
fn only_for_at(ctx: &mut Ctx<'_>, path: &FieldPath, field: &str, what: &str, ty: &str) {
    let quoi = what.replace(" or ", " ou ").replace(" with ", " avec ");
    ctx.report_key(
        crate::Severity::Error,
        Rule::ServiceTypeField,
        path,
        crate::Text::new(
            format!("`{field}` only applies to a Service with {what}; this one is {ty}. Remove `{field}`, or change the type."),
            format!("`{field}` ne s'applique qu'à un Service avec {quoi} ; celui-ci est {ty}. Retirez `{field}`, ou changez le type."),
        ),
    );
}

/// `trafficDistribution`: a known value (`PreferClose` is deprecated).
fn traffic(ctx: &mut Ctx<'_>, spec: &Node) {
    let Some(v) = spec.get("trafficDistribution").and_then(Node::as_str) else {
        return;
    };
    if !TRAFFIC_DISTRIBUTION.contains(&v) {
        ctx.error(
            Rule::InvalidValue,
            "spec.trafficDistribution",
            format!("`{v}` is not a traffic distribution: use `PreferSameZone` or `PreferSameNode` (this exact case)."),
            format!("`{v}` n'est pas une distribution de trafic : utilisez `PreferSameZone` ou `PreferSameNode` (avec cette casse)."),
        );
    } else if v == "PreferClose" {
        ctx.warning(
            Rule::InvalidValue,
            "spec.trafficDistribution",
            "`PreferClose` is deprecated: write `PreferSameZone`, which means the same.",
            "`PreferClose` est obsolète : écrivez `PreferSameZone`, qui veut dire la même chose.",
        );
    }
}

#[cfg(test)]
mod tests;
