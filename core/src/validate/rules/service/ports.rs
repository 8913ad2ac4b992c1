//! A Service's ports: names, numbers, protocols, target ports, node ports.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::rules::pod::int_or_port_name;
use crate::validate::syntax;
use crate::yaml::Node;

/// The node ports every common cluster hands out (`--service-node-port-range`'s default).
const NODE_PORTS: std::ops::RangeInclusive<i64> = 30000..=32767;

pub(super) fn ports(ctx: &mut Ctx<'_>, spec: &Node, ty: &str, headless: bool) {
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
    let mut node_ports: Vec<(i64, &str)> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let pp = FieldPath::parse("spec.ports").index(i);
        let proto = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
        name(ctx, port, &pp, ports.len() > 1, &mut names);
        if let Some(v) = port.get("port").and_then(Node::as_int) {
            if !(1..=65535).contains(&v) {
                ctx.error(
                    Rule::InvalidPort,
                    &pp.field("port"),
                    format!("{v} is not a valid port number: use 1 to 65535."),
                    format!("{v} n'est pas un numéro de port valide : utilisez 1 à 65535."),
                );
            } else if seen.contains(&(v, proto)) {
                ctx.error(
                    Rule::DuplicatePort,
                    &pp.field("port"),
                    format!("Port {v}/{proto} is listed twice in this Service."),
                    format!("Le port {v}/{proto} figure deux fois dans ce Service."),
                );
            }
            seen.push((v, proto));
        }
        if let Some(tp) = port.get("targetPort")
            && tp.as_int() != Some(0)
            && tp.as_str() != Some("")
        {
            int_or_port_name(ctx, tp, &pp.field("targetPort"));
        }
        if let Some(ap) = port.get("appProtocol").and_then(Node::as_str)
            && !syntax::is_qualified_name(ap)
        {
            ctx.error(
                Rule::InvalidValue,
                &pp.field("appProtocol"),
                format!("`{ap}` is not a valid appProtocol: a name such as `http`, `h2c` or `kubernetes.io/ws` (letters, digits, `-`, `_`, `.`)."),
                format!("`{ap}` n'est pas un appProtocol valide : un nom comme `http`, `h2c` ou `kubernetes.io/ws` (lettres, chiffres, `-`, `_`, `.`)."),
            );
        }
        if let Some(np) = port.get("nodePort").and_then(Node::as_int)
            && np != 0
        {
            node_port(ctx, np, proto, ty, &pp.field("nodePort"), &mut node_ports);
        }
    }
}

fn name<'a>(
    ctx: &mut Ctx<'_>,
    port: &'a Node,
    pp: &FieldPath,
    required: bool,
    names: &mut Vec<&'a str>,
) {
    match port.get("name").and_then(Node::as_str) {
        None | Some("") if required => ctx.error(
            Rule::MissingPortName,
            pp,
            "When a Service has several ports, each needs a `name` (e.g. `name: http`).",
            "Quand un Service a plusieurs ports, chacun a besoin d'un `name` (par exemple `name: http`).",
        ),
        None | Some("") => {}
        Some(n) if !syntax::is_dns1123_label(n) => ctx.error(
            Rule::InvalidPortName,
            &pp.field("name"),
            format!("`{n}` is not a valid port name: lowercase letters, digits and `-`, starting and ending with a letter or digit. Try `{}`.", n.to_lowercase().replace(['_', ' ', '.'], "-")),
            format!("`{n}` n'est pas un nom de port valide : minuscules, chiffres et `-`, commençant et finissant par une lettre ou un chiffre. Essayez `{}`.", n.to_lowercase().replace(['_', ' ', '.'], "-")),
        ),
        Some(n) if names.contains(&n) => ctx.error(
            Rule::DuplicateName,
            &pp.field("name"),
            format!("Two ports of this Service are named `{n}`."),
            format!("Deux ports de ce Service s'appellent `{n}`."),
        ),
        Some(n) => names.push(n),
    }
}

fn node_port<'a>(
    ctx: &mut Ctx<'_>,
    np: i64,
    proto: &'a str,
    ty: &str,
    p: &FieldPath,
    seen: &mut Vec<(i64, &'a str)>,
) {
    if ty == "ClusterIP" {
        ctx.error(
            Rule::NodePortType,
            p,
            "`nodePort` only works with `type: NodePort` or `LoadBalancer`; this Service is ClusterIP. Add `type: NodePort` under `spec`, or remove `nodePort`.",
            "`nodePort` ne fonctionne qu'avec `type: NodePort` ou `LoadBalancer` ; ce Service est ClusterIP. Ajoutez `type: NodePort` sous `spec`, ou retirez `nodePort`.",
        );
        return;
    }
    if ty == "ExternalName" {
        return; // accepted and unused
    }
    if !NODE_PORTS.contains(&np) {
        // A server dry run lets it pass; the real create refuses it.
        ctx.error(
            Rule::NodePortRange,
            p,
            format!("{np} is outside the NodePort range 30000–32767: the cluster refuses it when the Service is created. Pick a number in that range, or leave `nodePort` out to get one."),
            format!("{np} est hors de la plage NodePort 30000–32767 : le cluster le refuse à la création du Service. Choisissez un nombre dans cette plage, ou omettez `nodePort` pour en obtenir un."),
        );
    } else if seen.contains(&(np, proto)) {
        ctx.error(
            Rule::DuplicatePort,
            p,
            format!("Node port {np}/{proto} is used twice in this Service: give each port its own `nodePort`, or leave them out."),
            format!("Le port de nœud {np}/{proto} sert deux fois dans ce Service : donnez à chaque port son propre `nodePort`, ou omettez-les."),
        );
    }
    seen.push((np, proto));
}
