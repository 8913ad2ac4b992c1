//! Services.

use super::pod::int_or_port_name;
use super::shared::label_map;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::Node;

pub(super) fn service(ctx: &mut Ctx<'_>) {
    let Some(spec) = ctx.m.node("spec") else {
        return;
    };
    let ty = spec
        .get("type")
        .and_then(Node::as_str)
        .unwrap_or("ClusterIP");
    let headless = spec.get("clusterIP").and_then(Node::as_str) == Some("None");
    if let Some(sel) = spec.get("selector") {
        label_map(ctx, sel, &FieldPath::parse("spec.selector"));
    }
    if ty == "ExternalName" {
        match spec.get("externalName").and_then(Node::as_str) {
            Some(n) if syntax::is_dns1123_subdomain(n.trim_end_matches('.')) => {}
            _ => ctx.error(
                Rule::ExternalName,
                "spec",
                "A Service of type ExternalName needs `externalName`: a DNS name such as `db.example.com`.",
                "Un Service de type ExternalName a besoin de `externalName` : un nom DNS comme `db.example.com`.",
            ),
        }
    }
    if headless && matches!(ty, "NodePort" | "LoadBalancer") {
        ctx.error(
            Rule::HeadlessNodePort,
            "spec.clusterIP",
            format!("`clusterIP: None` (headless) is not allowed for a {ty} Service."),
            format!("`clusterIP: None` (headless) n'est pas permis pour un Service {ty}."),
        );
    }
    let ports = spec.get("ports").map_or(&[][..], Node::as_seq);
    if ports.is_empty() && ty != "ExternalName" && !headless && !ctx.has_error_at("spec.ports") {
        ctx.error(
            Rule::MissingPorts,
            "spec",
            "A Service needs `ports:`, e.g. `- port: 80` and `targetPort: 8000` (the container's port).",
            "Un Service a besoin de `ports:`, par exemple `- port: 80` et `targetPort: 8000` (le port du conteneur).",
        );
    }
    let mut names: Vec<&str> = Vec::new();
    let mut seen: Vec<(i64, &str)> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let pp = FieldPath::parse("spec.ports").index(i);
        match port.get("name").and_then(Node::as_str) {
            None if ports.len() > 1 => ctx.error(
                Rule::MissingPortName,
                &pp,
                "When a Service has several ports, each needs a `name` (e.g. `name: http`).",
                "Quand un Service a plusieurs ports, chacun a besoin d'un `name` (par exemple `name: http`).",
            ),
            Some(n) if !syntax::is_dns1123_label(n) => ctx.error(
                Rule::InvalidPortName,
                &pp.field("name"),
                format!("`{n}` is not a valid port name: lowercase letters, digits and `-`."),
                format!("`{n}` n'est pas un nom de port valide : minuscules, chiffres et `-`."),
            ),
            Some(n) if names.contains(&n) => ctx.error(
                Rule::DuplicateName,
                &pp.field("name"),
                format!("Two ports of this Service are named `{n}`."),
                format!("Deux ports de ce Service s'appellent `{n}`."),
            ),
            Some(n) => names.push(n),
            None => {}
        }
        let number = port.get("port").and_then(Node::as_int);
        match number {
            Some(v) if !(1..=65535).contains(&v) => ctx.error(
                Rule::InvalidPort,
                &pp.field("port"),
                format!("{v} is not a valid port number: use 1 to 65535."),
                format!("{v} n'est pas un numéro de port valide : utilisez 1 à 65535."),
            ),
            Some(v) => {
                let proto = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
                if seen.contains(&(v, proto)) {
                    ctx.error(
                        Rule::DuplicatePort,
                        &pp.field("port"),
                        format!("Port {v}/{proto} is listed twice in this Service."),
                        format!("Le port {v}/{proto} figure deux fois dans ce Service."),
                    );
                }
                seen.push((v, proto));
            }
            None => {}
        }
        if let Some(tp) = port.get("targetPort") {
            int_or_port_name(ctx, tp, &pp.field("targetPort"));
        }
        if let Some(np) = port.get("nodePort").and_then(Node::as_int) {
            if !matches!(ty, "NodePort" | "LoadBalancer") && np != 0 {
                ctx.error(
                    Rule::NodePortType,
                    &pp.field("nodePort"),
                    format!("`nodePort` only works with `type: NodePort` or `LoadBalancer`; this Service is {ty}. Add `type: NodePort` under `spec`, or remove `nodePort`."),
                    format!("`nodePort` ne fonctionne qu'avec `type: NodePort` ou `LoadBalancer` ; ce Service est {ty}. Ajoutez `type: NodePort` sous `spec`, ou retirez `nodePort`."),
                );
            } else if !(30000..=32767).contains(&np) && np != 0 {
                // A warning: the range is a setting of each cluster (and a dry-run does not check it).
                ctx.warning(
                    Rule::NodePortRange,
                    &pp.field("nodePort"),
                    format!("{np} is outside the usual NodePort range 30000–32767: the cluster will most likely refuse it. Pick a number in that range, or leave `nodePort` out to get one."),
                    format!("{np} est hors de la plage NodePort habituelle 30000–32767 : le cluster le refusera très probablement. Choisissez un nombre dans cette plage, ou omettez `nodePort` pour en obtenir un."),
                );
            }
        }
    }
}
