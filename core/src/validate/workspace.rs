//! Layer 4: checks across the workspace and the known cluster objects, and advice. Never errors:
//! an object may come from elsewhere (another command, another file applied later).

mod advice;
mod hosts;
mod index;
mod items;
mod service;
mod urls;

use super::context::Ctx;
use crate::kinds;
use crate::manifest::Manifest;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::yaml::{Node, NodeKind};
use hosts::Source;
pub(super) use index::Index;

/// Where a workload keeps its pod template: (labels path, pod spec path).
fn pod_paths(kind: &str) -> Option<(FieldPath, FieldPath)> {
    let template = kinds::named(kind)?.pods?;
    Some((
        FieldPath::parse(template.labels),
        FieldPath::parse(template.spec),
    ))
}

fn containers<'a>(
    m: &'a Manifest,
    spec: &'a FieldPath,
) -> impl Iterator<Item = (FieldPath, &'a Node)> {
    let spec_node = m.node(spec);
    ["initContainers", "containers"]
        .into_iter()
        .flat_map(move |list| {
            spec_node
                .and_then(|s| s.get(list))
                .map_or(&[][..], Node::as_seq)
                .iter()
                .enumerate()
                .map(move |(i, c)| (spec.field(list).index(i), c))
        })
}

pub(super) fn optional(n: &Node) -> bool {
    n.get("optional")
        .is_some_and(|o| o.kind == NodeKind::Bool(true))
}

pub(super) fn check(ctx: &mut Ctx<'_>, index: &Index<'_>) {
    let m = ctx.m;
    match kinds::find(&m.api_version, &m.kind) {
        Some(k) if *k == kinds::SERVICE => service::service(ctx, index),
        Some(k) if *k == kinds::CONFIG_MAP => {
            let data = FieldPath::parse("data");
            for (k, v) in m.node(&data).map_or(&[][..], Node::as_map) {
                hosts::check(ctx, index, v, &data.field(&k.name), Source::ConfigData, &[]);
            }
        }
        _ => {}
    }
    let Some((_, spec)) = pod_paths(&m.kind) else {
        return;
    };
    let aliases: Vec<&str> = m
        .node(&spec.field("hostAliases"))
        .map_or(&[][..], Node::as_seq)
        .iter()
        .flat_map(|a| a.get("hostnames").map_or(&[][..], Node::as_seq))
        .filter_map(Node::as_str)
        .collect();
    for (cp, c) in containers(m, &spec) {
        references(ctx, index, c, &cp);
        advice::advice(ctx, index.opts, c, &cp);
        strings(ctx, index, c, &cp, &aliases);
    }
    items::volumes(ctx, index, &spec);
}

/// Where a container runs commands of its own besides `command` and `args`.
const EXEC: &[&str] = &[
    "livenessProbe.exec.command",
    "readinessProbe.exec.command",
    "startupProbe.exec.command",
    "lifecycle.postStart.exec.command",
    "lifecycle.preStop.exec.command",
];

/// The strings of a container that may name a Service: `command`, `args`, the commands of its
/// probes and hooks, and env values.
fn strings(ctx: &mut Ctx<'_>, index: &Index<'_>, c: &Node, cp: &FieldPath, aliases: &[&str]) {
    for list in ["command", "args"].into_iter().chain(EXEC.iter().copied()) {
        let items = c
            .find(&FieldPath::parse(list))
            .map_or(&[][..], Node::as_seq);
        for (i, v) in items.iter().enumerate() {
            let path = cp.join(list).index(i);
            hosts::check(ctx, index, v, &path, Source::Container, aliases);
        }
    }
    for (i, e) in c
        .get("env")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        if let Some(v) = e.get("value") {
            let path = cp.field("env").index(i).field("value");
            hosts::check(ctx, index, v, &path, Source::Container, aliases);
        }
    }
}

pub(super) fn missing(ctx: &mut Ctx<'_>, path: &FieldPath, kind: &str, name: &str) {
    let (create_en, create_fr) = match kind {
        "Secret" => (
            format!(" (e.g. `kubectl create secret generic {name} --from-literal=key=value`)"),
            format!(
                " (par exemple `kubectl create secret generic {name} --from-literal=cle=valeur`)"
            ),
        ),
        _ => (String::new(), String::new()),
    };
    ctx.warning(
        Rule::MissingReference,
        path,
        format!("No {kind} named `{name}` in the workspace or the cluster: the pod will not start until it exists. Create it first{create_en}, or fix the name."),
        format!("Aucun {kind} nommé `{name}` dans l'espace de travail ni dans le cluster : le pod ne démarrera pas tant qu'il n'existe pas. Créez-le d'abord{create_fr}, ou corrigez le nom."),
    );
}

fn references(ctx: &mut Ctx<'_>, referable: &Index<'_>, c: &Node, cp: &FieldPath) {
    for (i, e) in c
        .get("env")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        for (r, kind) in [
            ("configMapKeyRef", kinds::CONFIG_MAP.kind),
            ("secretKeyRef", kinds::SECRET.kind),
        ] {
            let Some(sel) = e.get("valueFrom").and_then(|v| v.get(r)) else {
                continue;
            };
            let (Some(name), key) = (
                sel.get("name").and_then(Node::as_str),
                sel.get("key").and_then(Node::as_str),
            ) else {
                continue;
            };
            if optional(sel) {
                continue;
            }
            let path = cp.field("env").index(i).field("valueFrom").field(r);
            match referable.find(kind, name) {
                None => missing(ctx, &path.field("name"), kind, name),
                Some(keys) => {
                    if let Some(key) = key.filter(|k| keys.lacks(k)) {
                        let list = keys.listed();
                        ctx.warning(
                            Rule::MissingKey,
                            &path.field("key"),
                            format!("The {kind} `{name}` has no key `{key}` (it has: {list}). The pod will not start: fix the key."),
                            format!("Le {kind} `{name}` n'a pas de clé `{key}` (il a : {list}). Le pod ne démarrera pas : corrigez la clé."),
                        );
                    }
                }
            }
        }
    }
    for (i, e) in c
        .get("envFrom")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        for (r, kind) in [
            ("configMapRef", kinds::CONFIG_MAP.kind),
            ("secretRef", kinds::SECRET.kind),
        ] {
            let Some(sel) = e.get(r) else { continue };
            let Some(name) = sel.get("name").and_then(Node::as_str) else {
                continue;
            };
            if !optional(sel) && referable.find(kind, name).is_none() {
                missing(
                    ctx,
                    &cp.field("envFrom").index(i).field(r).field("name"),
                    kind,
                    name,
                );
            }
        }
    }
}

/// The same object (kind, name, namespace) defined twice: the second apply overwrites the first.
pub(super) fn duplicate(ctx: &mut Ctx<'_>, index: &Index<'_>) {
    let m = ctx.m;
    if m.name.is_empty() {
        return;
    }
    if let Some(first) = index.first_of(m).filter(|f| !std::ptr::eq(*f, m)) {
        let line = first.span_of("metadata.name").line;
        ctx.warning(
            Rule::DuplicateObject,
            "metadata.name",
            format!("{} `{}` is already defined in {} (line {line}): applying both, the last one wins. Rename one of them.", m.kind, m.name, first.file),
            format!("{} `{}` est déjà défini dans {} (ligne {line}) : en appliquant les deux, le dernier l'emporte. Renommez l'un des deux.", m.kind, m.name, first.file),
        );
    }
}

#[cfg(test)]
mod tests_cross;
#[cfg(test)]
mod tests_refs;
#[cfg(test)]
mod tests_urls;
#[cfg(test)]
mod tests_worksheet;
