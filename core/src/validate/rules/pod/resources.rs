//! A container's `resources`: names a container may ask for, quantities, requests against
//! limits, huge pages.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use crate::{Severity, Text};

/// Named by Kubernetes itself: no domain, or a `kubernetes.io/` one.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// Requests may be below limits only for native resources other than huge pages.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !name.starts_with("hugepages-")
}

/// An extended resource (`example.com/gpu`): counted in whole units.
fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && syntax::is_qualified_name(&format!("requests.{name}"))
}

/// Resource names a container may request: the standard ones, huge pages, a native name with
/// a domain, or an extended resource.
fn is_container_resource(name: &str) -> bool {
    if !syntax::is_qualified_name(name) {
        return false;
    }
    if name.contains('/') {
        is_native(name) || is_extended(name)
    } else {
        matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
    }
}

pub(super) fn container(ctx: &mut Ctx<'_>, spec: &Node, c: &Node, cp: &FieldPath) {
    let Some(res) = c.get("resources") else {
        return;
    };
    let rp = cp.field("resources");
    claims(ctx, spec, res, &rp);
    let mut cpu_or_memory = false;
    let mut hugepages = false;
    for part in ["requests", "limits"] {
        for (k, v) in res.get(part).map_or(&[][..], Node::as_map) {
            let name = k.name.as_str();
            let path = rp.field(part).field(name);
            cpu_or_memory |= matches!(name, "cpu" | "memory");
            hugepages |= name.starts_with("hugepages-");
            if !is_container_resource(name) {
                unknown(ctx, name, &path);
                continue;
            }
            value(ctx, name, v, &path);
        }
    }
    if hugepages && !cpu_or_memory {
        ctx.report_key(
            Severity::Error,
            Rule::HugePages,
            &rp,
            Text::new(
                "A container asking for huge pages must also ask for `cpu` or `memory`. Add a `memory` request or limit.",
                "Un conteneur qui demande des huge pages doit aussi demander du `cpu` ou de la `memory`. Ajoutez une demande ou une limite de `memory`.",
            ),
        );
    }
    for (k, req) in res.get("requests").map_or(&[][..], Node::as_map) {
        let name = k.name.as_str();
        if !is_container_resource(name) {
            continue;
        }
        let path = rp.field("requests").field(name);
        let limit = res.get("limits").and_then(|l| l.get(name));
        if limit.is_none() {
            if !overcommit_allowed(name) {
                ctx.report_key(
                    Severity::Error,
                    Rule::RequestAboveLimit,
                    &path,
                    Text::new(
                        format!("`{name}` cannot be shared, so it needs a limit equal to its request. Add it under `limits:` with the same value (or give only the limit)."),
                        format!("`{name}` ne se partage pas : il lui faut une limite égale à sa demande. Ajoutez-le sous `limits:` avec la même valeur (ou donnez seulement la limite)."),
                    ),
                );
            }
            continue;
        }
        let (Some(r), Some(l)) = (
            syntax::node_quantity(req),
            limit.and_then(syntax::node_quantity),
        ) else {
            continue;
        };
        if !overcommit_allowed(name) && (r - l).abs() > l.abs() * 1e-9 {
            ctx.error(
                Rule::RequestAboveLimit,
                &path,
                format!("`{name}` cannot be shared: its request must equal its limit. Write the same value in both (or give only the limit)."),
                format!("`{name}` ne se partage pas : sa demande doit être égale à sa limite. Écrivez la même valeur dans les deux (ou donnez seulement la limite)."),
            );
        } else if r > l * (1.0 + 1e-9) {
            ctx.error(
                Rule::RequestAboveLimit,
                &path,
                format!("The request for `{name}` is above its limit. A request must be less than or equal to the limit."),
                format!("La demande (request) de `{name}` dépasse sa limite. Une demande doit être inférieure ou égale à la limite."),
            );
        }
    }
}

/// `resources.claims`: each names one of the pod's `resourceClaims`, once.
fn claims(ctx: &mut Ctx<'_>, spec: &Node, res: &Node, rp: &FieldPath) {
    let pod_claims: Vec<&str> = spec
        .get("resourceClaims")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .filter_map(|c| c.get("name").and_then(Node::as_str))
        .collect();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, c) in res
        .get("claims")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let path = rp.field("claims").index(i);
        let Some(name) = c
            .get("name")
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        let request = c.get("request").and_then(Node::as_str).unwrap_or("");
        if !request.is_empty() && !syntax::is_dns1123_label(request) {
            ctx.error(
                Rule::InvalidName,
                &path.field("request"),
                format!("`{request}` is not a valid request name: lowercase letters, digits and `-`, at most 63 characters."),
                format!("`{request}` n'est pas un nom de demande valide : minuscules, chiffres et `-`, 63 caractères au plus."),
            );
        }
        // The same claim twice, or a whole claim beside one of its requests.
        if seen
            .iter()
            .any(|(n, r)| *n == name && (r.is_empty() || request.is_empty() || *r == request))
        {
            ctx.error(
                Rule::DuplicateName,
                &path.field("name"),
                format!("The claim `{name}` is already used by this container. List each claim (or each of its requests) once."),
                format!("La réservation `{name}` est déjà utilisée par ce conteneur. Citez chaque réservation (ou chacune de ses demandes) une seule fois."),
            );
        } else if !pod_claims.contains(&name) {
            ctx.error(
                Rule::UnknownClaim,
                &path.field("name"),
                format!("The pod has no resource claim named `{name}`. Declare it under the pod's `resourceClaims:`, or fix the name."),
                format!("Le pod n'a aucune réservation de ressources nommée `{name}`. Déclarez-la sous `resourceClaims:` du pod, ou corrigez le nom."),
            );
        }
        seen.push((name, request));
    }
}

fn unknown(ctx: &mut Ctx<'_>, name: &str, path: &FieldPath) {
    let near = syntax::closest(name, ["cpu", "memory", "ephemeral-storage"].into_iter());
    let (en, fr) = near.map_or((String::new(), String::new()), |n| {
        (
            format!(" Did you mean `{n}`?"),
            format!(" Vouliez-vous dire `{n}` ?"),
        )
    });
    ctx.report_key(
        Severity::Error,
        Rule::InvalidResourceName,
        path,
        Text::new(
            format!("`{name}` is not a resource a container can use: `cpu`, `memory`, `ephemeral-storage` (or `hugepages-…`, or `domain/name` for extended resources).{en}"),
            format!("`{name}` n'est pas une ressource utilisable par un conteneur : `cpu`, `memory`, `ephemeral-storage` (ou `hugepages-…`, ou `domaine/nom` pour les ressources étendues).{fr}"),
        ),
    );
}

/// The quantity itself: not negative, whole for extended resources, a whole number of pages
/// for huge pages.
fn value(ctx: &mut Ctx<'_>, name: &str, v: &Node, path: &FieldPath) {
    let Some(q) = syntax::node_quantity(v) else {
        return;
    };
    if q < 0.0 {
        ctx.error(
            Rule::InvalidResourceValue,
            path,
            format!("A quantity of `{name}` cannot be negative. Give 0 or more."),
            format!("Une quantité de `{name}` ne peut pas être négative. Donnez 0 ou plus."),
        );
    } else if is_extended(name) && (q - q.round()).abs() > 1e-9 {
        ctx.error(
            Rule::InvalidResourceValue,
            path,
            format!("`{name}` is counted in whole units: give a whole number, not a fraction."),
            format!(
                "`{name}` se compte en unités entières : donnez un nombre entier, pas une fraction."
            ),
        );
    } else if let Some(size) = name.strip_prefix("hugepages-") {
        let page = syntax::is_quantity(size)
            .then(|| syntax::quantity_value(size))
            .flatten()
            .filter(|p| *p >= 1.0 && p.fract() == 0.0);
        let whole = page.is_some_and(|p| {
            let n = q.trunc() / p;
            (n - n.round()).abs() < 1e-9
        });
        if !whole {
            ctx.error(
                Rule::HugePages,
                path,
                format!("`{name}` is counted in pages of {size}: give a whole number of pages (a multiple of {size})."),
                format!("`{name}` se compte en pages de {size} : donnez un nombre entier de pages (un multiple de {size})."),
            );
        }
    }
}

/// The sum of the requests for `name` of the containers that run together (app containers and
/// sidecars); a container's limit stands for its missing request when `limits_count` (in a
/// Pod, where that default is applied before the check). A lower bound of what the API server
/// adds up, so a pod-level value below it is surely refused.
fn running_requests(spec: &Node, name: &str, limits_count: bool) -> f64 {
    let app = spec.get("containers").map_or(&[][..], Node::as_seq).iter();
    let sidecars = spec
        .get("initContainers")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .filter(|c| c.get("restartPolicy").and_then(Node::as_str) == Some("Always"));
    app.chain(sidecars)
        .filter_map(|c| {
            let res = c.get("resources")?;
            let req = res.get("requests").and_then(|r| r.get(name));
            let lim = res.get("limits").and_then(|l| l.get(name));
            req.or(if limits_count { lim } else { None })
                .and_then(syntax::node_quantity)
        })
        .sum()
}

/// Pod-level `resources` (spec.resources): cpu, memory and huge pages only; requests within
/// limits; each container's limit within the pod's; the pod's requests at least what its
/// containers ask for together.
pub(super) fn pod_level(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath, is_pod: bool) {
    let Some(res) = spec
        .get("resources")
        .filter(|r| matches!(r.kind, NodeKind::Map(_)))
    else {
        return;
    };
    let rp = p.field("resources");
    if res.get("claims").is_some_and(|c| !c.as_seq().is_empty()) {
        ctx.report_key(
            Severity::Error,
            Rule::UnknownClaim,
            &rp.field("claims"),
            Text::new(
                "Resource claims are given to containers, not to the pod as a whole. Move `claims` to the container's `resources`.",
                "Les réservations de ressources se donnent aux conteneurs, pas au pod dans son ensemble. Déplacez `claims` dans les `resources` du conteneur.",
            ),
        );
    }
    let supported = |n: &str| matches!(n, "cpu" | "memory") || n.starts_with("hugepages-");
    for part in ["requests", "limits"] {
        for (k, _) in res.get(part).map_or(&[][..], Node::as_map) {
            if !supported(&k.name) {
                ctx.report_key(
                    Severity::Error,
                    Rule::InvalidResourceName,
                    &rp.field(part).field(&k.name),
                    Text::new(
                        format!("A pod as a whole can only be given `cpu`, `memory` or `hugepages-…`, not `{}`. Set it on a container instead.", k.name),
                        format!("Un pod dans son ensemble ne peut recevoir que `cpu`, `memory` ou `hugepages-…`, pas `{}`. Mettez-le plutôt sur un conteneur.", k.name),
                    ),
                );
            }
        }
    }
    let limit = |n: &str| {
        res.get("limits")
            .and_then(|l| l.get(n))
            .and_then(syntax::node_quantity)
    };
    for (k, req) in res.get("requests").map_or(&[][..], Node::as_map) {
        let name = k.name.as_str();
        let Some(r) = syntax::node_quantity(req).filter(|_| supported(name)) else {
            continue;
        };
        let path = rp.field("requests").field(name);
        let together = running_requests(spec, name, is_pod);
        if limit(name).is_some_and(|l| r > l * (1.0 + 1e-9)) {
            ctx.error(
                Rule::RequestAboveLimit,
                &path,
                format!("The pod's request for `{name}` is above the pod's limit. A request must be less than or equal to the limit."),
                format!("La demande (request) du pod pour `{name}` dépasse la limite du pod. Une demande doit être inférieure ou égale à la limite."),
            );
        } else if together > r * (1.0 + 1e-9) {
            ctx.error(
                Rule::RequestAboveLimit,
                &path,
                format!("The pod's request for `{name}` is less than what its containers ask for together. Raise it to at least their sum, or lower theirs."),
                format!("La demande (request) du pod pour `{name}` est inférieure à ce que ses conteneurs demandent ensemble. Montez-la au moins à leur somme, ou baissez les leurs."),
            );
        }
    }
    for (k, lim) in res.get("limits").map_or(&[][..], Node::as_map) {
        let name = k.name.as_str();
        let Some(l) = syntax::node_quantity(lim).filter(|_| supported(name)) else {
            continue;
        };
        let defaulted = res.get("requests").and_then(|r| r.get(name)).is_none();
        if is_pod && defaulted && matches!(name, "cpu" | "memory") {
            let together = running_requests(spec, name, true);
            if together > l * (1.0 + 1e-9) {
                ctx.error(
                    Rule::RequestAboveLimit,
                    &rp.field("limits").field(name),
                    format!("The containers of this pod ask for more `{name}` together than the pod's limit. Raise the pod's limit to at least their sum, or lower their requests."),
                    format!("Les conteneurs de ce pod demandent ensemble plus de `{name}` que la limite du pod. Montez la limite du pod au moins à leur somme, ou baissez leurs demandes."),
                );
            }
        }
        for (i, c) in spec
            .get("containers")
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            let cl = c
                .get("resources")
                .and_then(|r| r.get("limits"))
                .and_then(|l| l.get(name))
                .and_then(syntax::node_quantity);
            if cl.is_some_and(|cl| cl > l * (1.0 + 1e-9)) {
                ctx.error(
                    Rule::RequestAboveLimit,
                    &p.field("containers").index(i).join("resources.limits").field(name),
                    format!("This container's limit for `{name}` is above the pod's limit. Lower it to the pod's limit at most."),
                    format!("La limite de ce conteneur pour `{name}` dépasse celle du pod. Baissez-la au plus à la limite du pod."),
                );
            }
        }
    }
}
