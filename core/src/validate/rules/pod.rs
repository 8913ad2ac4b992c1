//! Pod specs, for Pods and every pod template.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

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

mod container;
mod env;
mod policies;
mod probe;
mod resources;
mod security;
#[cfg(test)]
mod tests_containers;

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
    let Some(spec) = ctx.m.node(p).filter(|n| !matches!(n.kind, NodeKind::Null)) else {
        // A template without its pod spec (the top-level `spec` of a Pod is checked before).
        if owner != Owner::Pod && !ctx.has_error_at("") {
            ctx.error(
                Rule::MissingContainers,
                p,
                "This pod template has no `spec`: add one with the pods' `containers` (each with a `name` and an `image`), under `template:` beside `metadata:`.",
                "Ce modèle de pod n'a pas de `spec` : ajoutez-en un avec les `containers` des pods (chacun avec un `name` et une `image`), sous `template:` à côté de `metadata:`.",
            );
        }
        return;
    };
    restart_policy(ctx, spec, p, owner);
    let volumes = volumes::volumes(ctx, spec, p, owner == Owner::Pod);
    container::containers(ctx, spec, p, owner, &volumes);
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
    // An empty value is the field left out (the default is `Always`).
    let value = spec
        .get("restartPolicy")
        .and_then(Node::as_str)
        .filter(|v| !v.is_empty());
    match (owner, value) {
        (Owner::Controller, Some(v)) if v != "Always" && ["OnFailure", "Never"].contains(&v) => ctx.error(
            Rule::InvalidRestartPolicy,
            &path,
            format!("A Deployment or ReplicaSet keeps its pods running: `restartPolicy` must be `Always` (or left out), not `{v}`. For a task that ends, use a Job."),
            format!("Un Deployment ou un ReplicaSet garde ses pods en marche : `restartPolicy` doit valoir `Always` (ou être omis), pas `{v}`. Pour une tâche qui se termine, utilisez un Job."),
        ),
        (Owner::Job, None) => ctx.error(
            Rule::InvalidRestartPolicy,
            if spec.get("restartPolicy").is_some() { &path } else { p },
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

pub(super) fn port_number(ctx: &mut Ctx<'_>, n: &Node, path: &FieldPath, allow_zero: bool) {
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
