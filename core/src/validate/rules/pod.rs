//! Pod specs, for Pods and every pod template.

use super::shared::non_negative;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use std::collections::HashSet;
use volumes::Volumes;

mod annotations;
mod fields;
mod host;
mod scheduling;
mod security_pod;
#[cfg(test)]
mod tests_pod;
#[cfg(test)]
mod tests_volumes;
mod volume_files;
mod volume_sources;
mod volumes;

/// Who owns the pod spec: it decides which `restartPolicy` values are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    Pod,
    /// Deployment, ReplicaSet: only `Always`.
    Controller,
    /// Job, CronJob: `OnFailure` or `Never`.
    Job,
}

pub(super) fn pod_spec(ctx: &mut Ctx<'_>, p: &FieldPath, owner: Owner) {
    let Some(spec) = ctx.m.node(p) else { return };
    restart_policy(ctx, spec, p, owner);
    let volumes = volumes::volumes(ctx, spec, p, owner == Owner::Pod);
    let containers = spec.get("containers").map_or(&[][..], Node::as_seq);
    if containers.is_empty() && !ctx.has_error_at(&p.field("containers")) {
        ctx.error(
            Rule::MissingContainers,
            &p.field("containers"),
            "A pod needs at least one container under `containers:` (with a `name` and an `image`).",
            "Un pod a besoin d'au moins un conteneur sous `containers:` (avec un `name` et une `image`).",
        );
    }
    let mut names = HashSet::new();
    for list in ["initContainers", "containers"] {
        for (i, c) in spec
            .get(list)
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            container(ctx, c, &p.field(list).index(i), &volumes, &mut names);
        }
    }
    // A negative terminationGracePeriodSeconds is accepted (the API server turns it into 1).
    host::pod_fields(ctx, spec, p);
    host::dns(ctx, spec, p);
    host::host_namespaces(ctx, spec, p);
    scheduling::scheduling(ctx, spec, p);
    security_pod::security_context(ctx, spec, p);
    security_pod::os(ctx, spec, p);
    annotations::pod_annotations(ctx, spec, p);
    annotations::on_create(ctx, spec, p, owner);
}

fn restart_policy(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath, owner: Owner) {
    let path = p.field("restartPolicy");
    let value = spec.get("restartPolicy").and_then(Node::as_str);
    match (owner, value) {
        (Owner::Controller, Some(v)) if v != "Always" && ["OnFailure", "Never"].contains(&v) => ctx.error(
            Rule::InvalidRestartPolicy,
            &path,
            format!("A Deployment or ReplicaSet keeps its pods running: `restartPolicy` must be `Always` (or left out), not `{v}`. For a task that ends, use a Job."),
            format!("Un Deployment ou un ReplicaSet garde ses pods en marche : `restartPolicy` doit valoir `Always` (ou être omis), pas `{v}`. Pour une tâche qui se termine, utilisez un Job."),
        ),
        (Owner::Job, None) => ctx.error(
            Rule::InvalidRestartPolicy,
            p,
            "A Job's pod template needs `restartPolicy: OnFailure` or `restartPolicy: Never` (the default `Always` is refused for Jobs).",
            "Le modèle de pod d'un Job doit avoir `restartPolicy: OnFailure` ou `restartPolicy: Never` (la valeur par défaut `Always` est refusée pour les Jobs).",
        ),
        (Owner::Job, Some("Always")) => ctx.error(
            Rule::InvalidRestartPolicy,
            &path,
            "A Job's pods must end: `restartPolicy` must be `OnFailure` or `Never`, not `Always`.",
            "Les pods d'un Job doivent se terminer : `restartPolicy` doit valoir `OnFailure` ou `Never`, pas `Always`.",
        ),
        _ => {}
    }
}

fn container(
    ctx: &mut Ctx<'_>,
    c: &Node,
    cp: &FieldPath,
    volumes: &Volumes,
    names: &mut HashSet<String>,
) {
    match c.get("name").and_then(Node::as_str) {
        Some(name) if !syntax::is_dns1123_label(name) => ctx.error(
            Rule::InvalidName,
            &cp.field("name"),
            format!("`{name}` is not a valid container name: lowercase letters, digits and `-`, at most 63 characters."),
            format!("`{name}` n'est pas un nom de conteneur valide : minuscules, chiffres et `-`, 63 caractères au plus."),
        ),
        Some(name) if !names.insert(name.to_owned()) => ctx.error(
            Rule::DuplicateName,
            &cp.field("name"),
            format!("Two containers are named `{name}`. Container names must be unique in a pod."),
            format!("Deux conteneurs s'appellent `{name}`. Les noms de conteneurs doivent être uniques dans un pod."),
        ),
        _ => {}
    }
    if c.get("image")
        .and_then(Node::as_str)
        .is_none_or(|s| s.trim().is_empty())
        && !ctx.has_error_at(&cp.field("image"))
    {
        ctx.error(
            Rule::MissingImage,
            cp,
            "This container has no `image`. Add one, e.g. `image: nginx:1.27`.",
            "Ce conteneur n'a pas d'`image`. Ajoutez-en une, par exemple `image: nginx:1.27`.",
        );
    }
    let port_names = ports(ctx, c, cp);
    env(ctx, c, cp);
    volumes::mounts(ctx, c, cp, volumes);
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(pr) = c.get(probe) {
            self::probe(ctx, pr, &cp.field(probe), &port_names);
        }
    }
    resources(ctx, c, cp);
}

fn port_number(ctx: &mut Ctx<'_>, n: &Node, path: &FieldPath, allow_zero: bool) {
    if let Some(v) = n.as_int()
        && !(1..=65535).contains(&v)
        && !(allow_zero && v == 0)
    {
        ctx.error(
            Rule::InvalidPort,
            path,
            format!("{v} is not a valid port number: use 1 to 65535."),
            format!("{v} n'est pas un numéro de port valide : utilisez 1 à 65535."),
        );
    }
}

/// A port given by number or by name (`targetPort`, probe ports).
pub(super) fn int_or_port_name(ctx: &mut Ctx<'_>, n: &Node, path: &FieldPath) {
    match &n.kind {
        NodeKind::Str(s) => {
            if !syntax::is_port_name(s) {
                ctx.error(
                    Rule::InvalidPortName,
                    path,
                    format!("`{s}` is neither a port number nor a valid port name (1–15 lowercase letters, digits or `-`, with at least one letter). Write a number without quotes, or a port name."),
                    format!("`{s}` n'est ni un numéro de port ni un nom de port valide (1 à 15 minuscules, chiffres ou `-`, dont au moins une lettre). Écrivez un nombre sans guillemets, ou un nom de port."),
                );
            }
        }
        _ => port_number(ctx, n, path, false),
    }
}

fn ports(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath) -> Vec<String> {
    let mut names = Vec::new();
    for (i, port) in c
        .get("ports")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let pp = cp.field("ports").index(i);
        if let Some(n) = port.get("containerPort") {
            port_number(ctx, n, &pp.field("containerPort"), false);
        }
        if let Some(n) = port.get("hostPort") {
            port_number(ctx, n, &pp.field("hostPort"), true);
        }
        if let Some(name) = port.get("name").and_then(Node::as_str) {
            if !syntax::is_port_name(name) {
                ctx.error(Rule::InvalidPortName, &pp.field("name"), format!("`{name}` is not a valid port name: 1–15 lowercase letters, digits or `-`, with at least one letter."), format!("`{name}` n'est pas un nom de port valide : 1 à 15 minuscules, chiffres ou `-`, dont au moins une lettre."));
            } else if names.iter().any(|n| n == name) {
                ctx.error(Rule::DuplicateName, &pp.field("name"), format!("Two ports of this container are named `{name}`. Port names must be unique."), format!("Deux ports de ce conteneur s'appellent `{name}`. Les noms de ports doivent être uniques."));
            }
            names.push(name.to_owned());
        }
    }
    names
}

fn env(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath) {
    for (i, e) in c
        .get("env")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let ep = cp.field("env").index(i);
        if let Some(name) = e.get("name").and_then(Node::as_str)
            && (name.is_empty()
                || name.contains('=')
                || !name.bytes().all(|b| (32..127).contains(&b)))
        {
            ctx.error(Rule::InvalidEnvName, &ep.field("name"), format!("`{name}` is not a valid variable name: printable characters without `=`, e.g. `API_URL`."), format!("`{name}` n'est pas un nom de variable valide : caractères imprimables sans `=`, par exemple `API_URL`."));
        }
        let has_value = e
            .get("value")
            .is_some_and(|v| !matches!(&v.kind, NodeKind::Null) && v.as_str() != Some(""));
        if let Some(from) = e
            .get("valueFrom")
            .filter(|v| matches!(v.kind, NodeKind::Map(_)))
        {
            if has_value {
                ctx.error(
                    Rule::EnvValueAndValueFrom,
                    &ep.field("valueFrom"),
                    "A variable takes either `value` or `valueFrom`, not both. Remove one of them.",
                    "Une variable prend soit `value`, soit `valueFrom`, pas les deux. Retirez l'un des deux.",
                );
            }
            let sources: Vec<&str> = from.as_map().iter().map(|(k, _)| k.name.as_str()).collect();
            if sources.len() != 1 {
                ctx.error(
                    Rule::EnvValueFromSources,
                    &ep.field("valueFrom"),
                    "`valueFrom` needs exactly one source: `configMapKeyRef`, `secretKeyRef`, `fieldRef` or `resourceFieldRef`.",
                    "`valueFrom` doit avoir exactement une source : `configMapKeyRef`, `secretKeyRef`, `fieldRef` ou `resourceFieldRef`.",
                );
            }
            for r in ["configMapKeyRef", "secretKeyRef"] {
                if let Some(sel) = from.get(r) {
                    key_ref(ctx, sel, &ep.field("valueFrom").field(r));
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
        let n = ["configMapRef", "secretRef"]
            .iter()
            .filter(|k| e.get(k).is_some())
            .count();
        if n != 1 {
            ctx.error(
                Rule::EnvFromSources,
                &cp.field("envFrom").index(i),
                "Each `envFrom` item needs exactly one of `configMapRef` or `secretRef`.",
                "Chaque élément de `envFrom` doit avoir exactement un `configMapRef` ou un `secretRef`.",
            );
        }
    }
}

fn key_ref(ctx: &mut Ctx<'_>, sel: &Node, path: &FieldPath) {
    if sel
        .get("name")
        .and_then(Node::as_str)
        .is_none_or(str::is_empty)
        && !ctx.has_error_at(path)
    {
        ctx.error(
            Rule::MissingField,
            path,
            "This reference needs a `name` (the ConfigMap or Secret to read).",
            "Cette référence a besoin d'un `name` (le ConfigMap ou le Secret à lire).",
        );
    }
    if let Some(key) = sel.get("key").and_then(Node::as_str)
        && !syntax::is_config_key(key)
    {
        ctx.error(
            Rule::InvalidKey,
            &path.field("key"),
            format!("`{key}` is not a valid key: letters, digits, `-`, `_` and `.` only."),
            format!(
                "`{key}` n'est pas une clé valide : lettres, chiffres, `-`, `_` et `.` seulement."
            ),
        );
    }
}

fn probe(ctx: &mut Ctx<'_>, pr: &Node, pp: &FieldPath, port_names: &[String]) {
    let handlers: Vec<&str> = ["exec", "httpGet", "tcpSocket", "grpc"]
        .into_iter()
        .filter(|h| pr.get(h).is_some())
        .collect();
    if handlers.len() != 1 && matches!(pr.kind, NodeKind::Map(_)) {
        ctx.error(
            Rule::ProbeHandler,
            pp,
            "A probe needs exactly one check: `httpGet`, `tcpSocket`, `exec` or `grpc`.",
            "Une sonde a besoin d'exactement une vérification : `httpGet`, `tcpSocket`, `exec` ou `grpc`.",
        );
    }
    for h in ["httpGet", "tcpSocket"] {
        let path = pp.field(h).field("port");
        if let Some(port) = ctx.m.node(&path) {
            int_or_port_name(ctx, port, &path);
            if let Some(name) = port.as_str()
                && syntax::is_port_name(name)
                && !port_names.iter().any(|n| n == name)
            {
                ctx.warning(
                        Rule::ProbePortUnknown,
                        &path,
                        format!("No port of this container is named `{name}`: the probe will fail. Name a port `{name}` under `ports:` or use the number."),
                        format!("Aucun port de ce conteneur ne s'appelle `{name}` : la sonde échouera. Nommez un port `{name}` sous `ports:` ou utilisez le numéro."),
                    );
            }
        }
    }
    for f in [
        "initialDelaySeconds",
        "periodSeconds",
        "timeoutSeconds",
        "successThreshold",
        "failureThreshold",
    ] {
        non_negative(ctx, &pp.field(f));
    }
}

/// Resource names a container may request: the standard ones, huge pages, or an extended
/// resource with a domain prefix (`example.com/gpu`).
fn is_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage")
        || name.starts_with("hugepages-")
        || (name.contains('/')
            && syntax::is_qualified_name(name)
            && !name.starts_with("kubernetes.io/")
            && !name.starts_with("requests."))
}

fn resources(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath) {
    let Some(res) = c.get("resources") else {
        return;
    };
    for part in ["requests", "limits"] {
        for (k, _) in res.get(part).map_or(&[][..], Node::as_map) {
            if !is_container_resource(&k.name) {
                let near =
                    syntax::closest(&k.name, ["cpu", "memory", "ephemeral-storage"].into_iter());
                let (en, fr) = near.map_or((String::new(), String::new()), |n| {
                    (
                        format!(" Did you mean `{n}`?"),
                        format!(" Vouliez-vous dire `{n}` ?"),
                    )
                });
                ctx.report_key(
                    crate::Severity::Error,
                    Rule::InvalidResourceName,
                    &cp.field("resources").field(part).field(&k.name),
                    crate::Text::new(
                        format!("`{}` is not a resource a container can use: `cpu`, `memory`, `ephemeral-storage` (or `hugepages-…`, or `domain/name` for extended resources).{en}", k.name),
                        format!("`{}` n'est pas une ressource utilisable par un conteneur : `cpu`, `memory`, `ephemeral-storage` (ou `hugepages-…`, ou `domaine/nom` pour les ressources étendues).{fr}", k.name),
                    ),
                );
            }
        }
    }
    for (k, req) in res.get("requests").map_or(&[][..], Node::as_map) {
        let limit = res.get("limits").and_then(|l| l.get(&k.name));
        let (Some(r), Some(l)) = (quantity(req), limit.and_then(quantity)) else {
            continue;
        };
        if r > l {
            ctx.error(
                Rule::RequestAboveLimit,
                &cp.join("resources.requests").field(&k.name),
                format!("The request for `{}` is above its limit. A request must be less than or equal to the limit.", k.name),
                format!("La demande (request) de `{}` dépasse sa limite. Une demande doit être inférieure ou égale à la limite.", k.name),
            );
        }
    }
}

fn quantity(n: &Node) -> Option<f64> {
    match &n.kind {
        NodeKind::Str(s) if syntax::is_quantity(s) => syntax::quantity_value(s),
        #[allow(clippy::cast_precision_loss)]
        NodeKind::Int(i) => Some(*i as f64),
        NodeKind::Float(f) => Some(*f),
        _ => None,
    }
}
