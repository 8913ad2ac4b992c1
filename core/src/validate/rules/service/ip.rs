//! IP addresses and CIDRs as the API server reads them in 1.36 (strict: no leading zeros, no
//! IPv4-mapped IPv6, no bits beyond a prefix), and the Service fields that hold them:
//! `clusterIP`/`clusterIPs`, `ipFamilies`, `externalIPs`, `loadBalancerSourceRanges`.

use std::net::{IpAddr, Ipv4Addr};

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::Node;

/// The bundled cluster's `--service-cluster-ip-range` (kind's default too).
const SERVICE_CIDR: (Ipv4Addr, u8) = (Ipv4Addr::new(10, 96, 0, 0), 16);

/// An address written the strict way; IPv6 zones and IPv4-mapped IPv6 are refused.
pub(super) fn parse_ip(s: &str) -> Option<IpAddr> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => None,
        ip => Some(ip),
    }
}

/// Why a CIDR is refused, in English and French; `None` when it is valid.
fn cidr_problem(s: &str) -> Option<(&'static str, &'static str)> {
    const SHAPE: (&str, &str) = (
        "write an address, `/` and a prefix length, such as `10.0.0.0/8` or `2001:db8::/64`",
        "écrivez une adresse, `/` et une longueur de préfixe, comme `10.0.0.0/8` ou `2001:db8::/64`",
    );
    let Some((addr, len)) = s.split_once('/') else {
        return Some(SHAPE);
    };
    let Some(ip) = parse_ip(addr) else {
        return Some(SHAPE);
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let leading_zero = len.len() > 1 && len.starts_with('0');
    let Some(len) = len
        .parse::<u32>()
        .ok()
        .filter(|l| *l <= max && !leading_zero && !len.starts_with('+'))
    else {
        return Some(SHAPE);
    };
    let host_bits = match ip {
        IpAddr::V4(v4) => u32::from(v4) & u32::MAX.checked_shr(len).unwrap_or(0) != 0,
        IpAddr::V6(v6) => u128::from(v6) & u128::MAX.checked_shr(len).unwrap_or(0) != 0,
    };
    if host_bits {
        return Some((
            "the address has bits set beyond the prefix length: write the network address (e.g. `10.0.0.0/8`, not `10.0.0.1/8`)",
            "l'adresse a des bits au-delà de la longueur du préfixe : écrivez l'adresse du réseau (par exemple `10.0.0.0/8`, pas `10.0.0.1/8`)",
        ));
    }
    None
}

fn bad_ip(ctx: &mut Ctx<'_>, p: &FieldPath, v: &str) {
    ctx.error(
        Rule::InvalidIp,
        p,
        format!("`{v}` is not a valid IP address: write it like `10.96.0.20` or `2001:db8::1`, without leading zeros."),
        format!("`{v}` n'est pas une adresse IP valide : écrivez-la comme `10.96.0.20` ou `2001:db8::1`, sans zéros en tête."),
    );
}

/// An IPv6 address not in its canonical form (RFC 5952): accepted with a warning.
fn canonical(ctx: &mut Ctx<'_>, p: &FieldPath, v: &str, ip: IpAddr) {
    let text = ip.to_string();
    if ip.is_ipv6() && text != v {
        ctx.warning(
            Rule::InvalidIp,
            p,
            format!("Write this IPv6 address in its canonical form, `{text}` (lowercase, zeros shortened): the API server warns about `{v}`."),
            format!("Écrivez cette adresse IPv6 sous sa forme canonique, `{text}` (minuscules, zéros abrégés) : l'API server signale `{v}`."),
        );
    }
}

/// `clusterIP`, `clusterIPs` and `ipFamilies` (the API server copies `clusterIP` into an empty
/// `clusterIPs` first). Skipped for ExternalName, whose own rules are in the parent module.
pub(super) fn cluster_ips(ctx: &mut Ctx<'_>, spec: &Node) {
    let single = spec
        .get("clusterIP")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let list: Vec<&str> = spec
        .get("clusterIPs")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let base = FieldPath::parse("spec");
    if single.is_empty() && !list.is_empty() {
        ctx.error(
            Rule::ClusterIps,
            &base.field("clusterIPs"),
            "`clusterIPs` needs `clusterIP` too, equal to its first item. Set `clusterIP`, or remove both to get an address.",
            "`clusterIPs` demande aussi `clusterIP`, égal à son premier élément. Ajoutez `clusterIP`, ou retirez les deux pour obtenir une adresse.",
        );
        return;
    }
    if !list.is_empty() && list[0] != single {
        ctx.error(
            Rule::ClusterIps,
            &base.field("clusterIPs").index(0),
            format!("The first item of `clusterIPs` must be `clusterIP` ({single}). Make them equal, or remove `clusterIPs`."),
            format!("Le premier élément de `clusterIPs` doit être `clusterIP` ({single}). Rendez-les égaux, ou retirez `clusterIPs`."),
        );
        return;
    }
    let (ips, from_list): (Vec<&str>, bool) = if list.is_empty() {
        (
            if single.is_empty() {
                vec![]
            } else {
                vec![single]
            },
            false,
        )
    } else {
        (list, true)
    };
    let at = |i: usize| {
        if from_list {
            base.field("clusterIPs").index(i)
        } else {
            base.field("clusterIP")
        }
    };
    if ips.first() == Some(&"None") {
        if ips.len() > 1 {
            ctx.error(
                Rule::ClusterIps,
                &at(1),
                "With `None` (a headless Service), `clusterIPs` holds nothing else. Remove the other addresses.",
                "Avec `None` (Service headless), `clusterIPs` ne contient rien d'autre. Retirez les autres adresses.",
            );
        }
        return;
    }
    let mut parsed = Vec::new();
    for (i, v) in ips.iter().enumerate() {
        match parse_ip(v) {
            Some(ip) => {
                canonical(ctx, &at(i), v, ip);
                parsed.push(ip);
            }
            None => bad_ip(ctx, &at(i), v),
        }
    }
    if ips.len() > 2 {
        ctx.error(
            Rule::ClusterIps,
            &at(2),
            "`clusterIPs` holds at most two addresses, one IPv4 and one IPv6.",
            "`clusterIPs` contient au plus deux adresses, une IPv4 et une IPv6.",
        );
    }
    if parsed.len() != ips.len() {
        return;
    }
    if parsed.len() == 2 && parsed[0].is_ipv4() == parsed[1].is_ipv4() {
        ctx.error(
            Rule::ClusterIps,
            &at(1),
            "`clusterIPs` holds one address per IP family: one IPv4 and one IPv6, not two of the same.",
            "`clusterIPs` contient une adresse par famille : une IPv4 et une IPv6, pas deux de la même.",
        );
    }
    let families = spec.get("ipFamilies").map_or(&[][..], Node::as_seq);
    for (i, ip) in parsed.iter().enumerate() {
        let fam = families.get(i).and_then(Node::as_str);
        let want_v6 = match fam {
            Some("IPv4") => false,
            Some("IPv6") => true,
            _ => continue,
        };
        if ip.is_ipv6() != want_v6 {
            ctx.error(
                Rule::IpFamily,
                &at(i),
                format!("`ipFamilies[{i}]` is {}, but this address is not: make them agree.", fam.unwrap_or_default()),
                format!("`ipFamilies[{i}]` vaut {}, mais cette adresse n'en est pas une : accordez-les.", fam.unwrap_or_default()),
            );
        }
    }
    match parsed.first() {
        Some(IpAddr::V4(v4)) => in_service_range(ctx, &at(0), *v4),
        Some(IpAddr::V6(_)) => single_stack(ctx, &at(0)),
        None => {}
    }
}

/// An address the bundled cluster (and kind) would refuse to allocate: a warning, since the
/// learner's own cluster may use another range.
fn in_service_range(ctx: &mut Ctx<'_>, p: &FieldPath, ip: Ipv4Addr) {
    let (net, len) = SERVICE_CIDR;
    let mask = u32::MAX << (32 - u32::from(len));
    let (a, n) = (u32::from(ip), u32::from(net));
    let inside = a & mask == n && a != n && a != n | !mask;
    if a == n + 1 {
        // Every cluster gives the first address of its range to the `kubernetes` Service.
        ctx.warning(
            Rule::ClusterIpRange,
            p,
            format!("{ip} is the first address of the Service range: the cluster's own `kubernetes` Service already has it, so the create is refused. Pick another address such as 10.96.0.50, or leave `clusterIP` out."),
            format!("{ip} est la première adresse de la plage de Services : le Service `kubernetes` du cluster l'a déjà, la création est donc refusée. Choisissez une autre adresse comme 10.96.0.50, ou omettez `clusterIP`."),
        );
    } else if !inside {
        ctx.warning(
            Rule::ClusterIpRange,
            p,
            format!("{ip} is outside 10.96.0.0/16 (or its first or last address), the Service range of the bundled cluster and of kind: they refuse it when the Service is created. Pick an address such as 10.96.0.50, or leave `clusterIP` out to get one (your cluster's range is its `--service-cluster-ip-range`)."),
            format!("{ip} est hors de 10.96.0.0/16 (ou en est la première ou la dernière adresse), la plage de Services du cluster fourni et de kind : ils la refusent à la création du Service. Choisissez une adresse comme 10.96.0.50, ou omettez `clusterIP` pour en obtenir une (la plage de votre cluster est son `--service-cluster-ip-range`)."),
        );
    }
}

/// `ipFamilies`: known values, no repeat; IPv6 or two families need a dual-stack cluster.
pub(super) fn ip_families(ctx: &mut Ctx<'_>, spec: &Node) {
    let p = FieldPath::parse("spec.ipFamilies");
    let families = spec.get("ipFamilies").map_or(&[][..], Node::as_seq);
    let mut seen: Vec<&str> = Vec::new();
    for (i, f) in families.iter().enumerate() {
        let Some(f) = f.as_str() else { continue };
        if !matches!(f, "IPv4" | "IPv6") {
            ctx.error(
                Rule::IpFamily,
                &p.index(i),
                format!("`{f}` is not an IP family: write `IPv4` or `IPv6` (this exact case)."),
                format!("`{f}` n'est pas une famille d'IP : écrivez `IPv4` ou `IPv6` (avec cette casse)."),
            );
        } else if seen.contains(&f) {
            ctx.error(
                Rule::IpFamily,
                &p.index(i),
                format!("`{f}` is listed twice: `ipFamilies` names each family once."),
                format!(
                    "`{f}` figure deux fois : `ipFamilies` nomme chaque famille une seule fois."
                ),
            );
        } else if f == "IPv6" {
            single_stack(ctx, &p.index(i));
        }
        seen.push(f);
    }
    if spec.get("ipFamilyPolicy").and_then(Node::as_str) == Some("RequireDualStack") {
        single_stack(ctx, &FieldPath::parse("spec.ipFamilyPolicy"));
    }
}

fn single_stack(ctx: &mut Ctx<'_>, p: &FieldPath) {
    ctx.warning(
        Rule::IpFamily,
        p,
        "The bundled cluster and kind's default are IPv4 only: they refuse IPv6 or dual-stack Services. Leave `ipFamilies` and `ipFamilyPolicy` out unless your cluster is dual-stack.",
        "Le cluster fourni et kind par défaut sont en IPv4 seulement : ils refusent les Services IPv6 ou double pile. Omettez `ipFamilies` et `ipFamilyPolicy`, sauf si votre cluster est double pile.",
    );
}

/// `externalIPs`: valid addresses a node could own (not 0.0.0.0, loopback or link-local).
pub(super) fn external_ips(ctx: &mut Ctx<'_>, spec: &Node) {
    let p = FieldPath::parse("spec.externalIPs");
    for (i, v) in spec
        .get("externalIPs")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let Some(v) = v.as_str() else { continue };
        let Some(ip) = parse_ip(v) else {
            bad_ip(ctx, &p.index(i), v);
            continue;
        };
        canonical(ctx, &p.index(i), v, ip);
        let reserved = match ip {
            IpAddr::V4(a) => {
                a.is_unspecified()
                    || a.is_loopback()
                    || a.is_link_local()
                    || (a.octets()[..3] == [224, 0, 0])
            }
            IpAddr::V6(a) => {
                let s = a.segments();
                a.is_unspecified()
                    || a.is_loopback()
                    || (s[0] & 0xffc0) == 0xfe80
                    || (s[0] & 0xff0f) == 0xff02
            }
        };
        if reserved {
            ctx.error(
                Rule::InvalidIp,
                &p.index(i),
                format!("`{v}` cannot be an external IP: not 0.0.0.0, a loopback (127.x) or link-local (169.254.x, 224.0.0.x, fe80::) address. Use an address of a node."),
                format!("`{v}` ne peut pas être une IP externe : ni 0.0.0.0, ni une adresse de boucle locale (127.x) ou de lien local (169.254.x, 224.0.0.x, fe80::). Utilisez une adresse d'un nœud."),
            );
        }
    }
}

/// `loadBalancerSourceRanges`: CIDRs (spaces around them are ignored).
pub(super) fn source_ranges(ctx: &mut Ctx<'_>, spec: &Node) {
    let p = FieldPath::parse("spec.loadBalancerSourceRanges");
    for (i, v) in spec
        .get("loadBalancerSourceRanges")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let Some(v) = v.as_str() else { continue };
        if let Some((en, fr)) = cidr_problem(v.trim()) {
            ctx.error(
                Rule::InvalidCidr,
                &p.index(i),
                format!("`{v}` is not a valid CIDR: {en}."),
                format!("`{v}` n'est pas un CIDR valide : {fr}."),
            );
        }
    }
}

/// Whether `s` is a valid CIDR.
pub(super) fn is_cidr(s: &str) -> bool {
    cidr_problem(s).is_none()
}

#[cfg(test)]
pub(super) fn cidr_ok(s: &str) -> bool {
    is_cidr(s)
}
