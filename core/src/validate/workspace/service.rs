//! A Service against the workloads of the workspace (pods it selects, ports it targets) and the
//! other Services (node ports).

use super::containers;
use super::index::Index;
use crate::manifest::Manifest;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax::closest;
use crate::yaml::Node;

pub(super) fn service(ctx: &mut Ctx<'_>, index: &Index<'_>) {
    let m = ctx.m;
    node_ports(ctx, index);
    let Some(selector) = m.node("spec.selector").filter(|s| !s.as_map().is_empty()) else {
        return;
    };
    let matched: Vec<(&Manifest, &FieldPath)> = index
        .selected(selector.as_map())
        .into_iter()
        .map(|w| (w.m, &w.spec))
        .collect();
    if matched.is_empty() {
        if !near_miss(ctx, index, selector) {
            let want = pairs(selector);
            ctx.warning(
                Rule::ServiceNoPods,
                "spec.selector",
                format!("No workload in the workspace has pods labelled {{{want}}}: this Service will have no endpoints. Check the selector against the pod template's labels."),
                format!("Aucune charge de travail de l'espace n'a de pods étiquetés {{{want}}} : ce Service n'aura aucun point de terminaison. Comparez le sélecteur aux labels du modèle de pod."),
            );
        }
        return;
    }
    let mut numbers = Vec::new();
    let mut names = Vec::new();
    for (w, spec) in &matched {
        for (_, c) in containers(w, spec) {
            for p in c.get("ports").map_or(&[][..], Node::as_seq) {
                numbers.extend(p.get("containerPort").and_then(Node::as_int));
                names.extend(p.get("name").and_then(Node::as_str).map(str::to_owned));
            }
        }
    }
    let ports = FieldPath::parse("spec.ports");
    for (i, port) in m
        .node(&ports)
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let (path, target) = match port.get("targetPort") {
            Some(t) => (ports.index(i).field("targetPort"), t),
            None => match port.get("port") {
                Some(p) => (ports.index(i).field("port"), p),
                None => continue,
            },
        };
        let label = matched
            .iter()
            .map(|(w, _)| w.label())
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(n) = target.as_int() {
            if !numbers.is_empty() && !numbers.contains(&n) {
                let list = numbers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                ctx.warning(
                    Rule::TargetPortUnknown,
                    &path,
                    format!("No container of {label} declares port {n} (they declare {list}). Traffic will go to a port nobody listens on: set `targetPort` to the container's port."),
                    format!("Aucun conteneur de {label} ne déclare le port {n} (ils déclarent {list}). Le trafic ira vers un port où personne n'écoute : mettez dans `targetPort` le port du conteneur."),
                );
            }
        } else if let Some(name) = target.as_str()
            && !names.iter().any(|x| x == name)
        {
            ctx.warning(
                    Rule::TargetPortUnknown,
                    &path,
                    format!("No container of {label} has a port named `{name}`. Name the container port, or use its number."),
                    format!("Aucun conteneur de {label} n'a de port nommé `{name}`. Nommez le port du conteneur, ou utilisez son numéro."),
                );
        }
    }
}

fn pairs(labels: &Node) -> String {
    labels
        .as_map()
        .iter()
        .map(|(k, v)| format!("{}: {}", k.name, v.as_str().unwrap_or("?")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether two label keys or values differ only by case or a slip of one or two letters.
fn near(a: &str, b: &str) -> bool {
    a != b && (a.eq_ignore_ascii_case(b) || closest(a, std::iter::once(b)).is_some())
}

/// A selector that no workload matches, but one workload's labels match all of it except one
/// label spelt slightly differently: the warning says which, at that line of the selector.
fn near_miss(ctx: &mut Ctx<'_>, index: &Index<'_>, selector: &Node) -> bool {
    let wanted = selector.as_map();
    for w in &index.workloads {
        let Some(labels) = w.labels else { continue };
        let mut off = None;
        let mut others_match = true;
        for (k, v) in wanted {
            if labels.get(&k.name).and_then(Node::as_str) == v.as_str() {
                continue;
            }
            let v = v.as_str().unwrap_or("");
            let found = labels.as_map().iter().find(|(lk, lv)| {
                let lv = lv.as_str().unwrap_or("");
                (lk.name == k.name && near(lv, v))
                    || (near(&lk.name, &k.name) && (lv == v || near(lv, v)))
            });
            match (found, off) {
                (Some(f), None) => off = Some((&k.name, v, f)),
                _ => {
                    others_match = false;
                    break;
                }
            }
        }
        let (Some((key, value, (lk, lv))), true) = (off, others_match) else {
            continue;
        };
        let (got, label) = (
            format!("{}: {}", lk.name, lv.as_str().unwrap_or("?")),
            w.m.label(),
        );
        let case = lk.name.eq_ignore_ascii_case(key)
            && lv.as_str().is_some_and(|x| x.eq_ignore_ascii_case(value));
        let (how_en, how_fr) = if case {
            (
                "only by case (labels are case-sensitive)",
                "seulement par la casse (les labels y sont sensibles)",
            )
        } else {
            ("by a few letters", "de quelques lettres")
        };
        let (file, line) = (&w.m.file, lv.span.line);
        ctx.warning(
            Rule::ServiceNoPods,
            &FieldPath::parse("spec.selector").field(key),
            format!("No workload has pods labelled `{key}: {value}`: the pods of {label} ({file}, line {line}) have `{got}`, which differs {how_en}. This Service will have no endpoints: make the selector and the pods' labels equal."),
            format!("Aucune charge de travail n'a de pods étiquetés `{key}: {value}` : les pods de {label} ({file}, ligne {line}) ont `{got}`, qui diffère {how_fr}. Ce Service n'aura aucun point de terminaison : rendez identiques le sélecteur et les labels des pods."),
        );
        return true;
    }
    false
}

/// A node port another Service of the workspace asks for first: node ports are shared by the
/// whole cluster, so the second Service is refused when it is created.
fn node_ports(ctx: &mut Ctx<'_>, index: &Index<'_>) {
    let m = ctx.m;
    let ports = FieldPath::parse("spec.ports");
    for (i, p) in m
        .node(&ports)
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let Some(n) = p.get("nodePort").and_then(Node::as_int) else {
            continue;
        };
        let Some(first) = index.node_port_owner(n).filter(|f| f.name != m.name) else {
            continue;
        };
        let (name, file) = (&first.name, &first.file);
        let line = first.span_of("spec.ports").line;
        ctx.warning(
            Rule::NodePortTaken,
            &ports.index(i).field("nodePort"),
            format!("Service `{name}` ({file}, line {line}) already asks for node port {n}: node ports are shared by the whole cluster, so the second Service to be created is refused (\"provided port is already allocated\"). Pick another port in 30000–32767, or remove `nodePort` to get a free one."),
            format!("Le Service `{name}` ({file}, ligne {line}) demande déjà le port de nœud {n} : les ports de nœud sont partagés par tout le cluster, donc le second Service créé est refusé (« provided port is already allocated »). Choisissez un autre port entre 30000 et 32767, ou retirez `nodePort` pour en obtenir un libre."),
        );
    }
}
