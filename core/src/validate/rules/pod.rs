//! Pod specs, for Pods and every pod template.

use super::shared::non_negative;
use crate::kinds;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use std::collections::HashSet;

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

const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

pub(super) fn pod_spec(ctx: &mut Ctx<'_>, p: &FieldPath, owner: Owner) {
    let Some(spec) = ctx.m.node(p) else { return };
    restart_policy(ctx, spec, p, owner);
    let volumes = volumes(ctx, spec, p);
    container::containers(ctx, spec, p, owner, &volumes);
    // A negative terminationGracePeriodSeconds is accepted (the API server turns it into 1).
    non_negative(ctx, &p.field("activeDeadlineSeconds"));
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

/// Checks the volumes; returns their names.
fn volumes(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) -> HashSet<String> {
    let mut names = HashSet::new();
    for (i, v) in spec
        .get("volumes")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let vp = p.field("volumes").index(i);
        if let Some(name) = v.get("name").and_then(Node::as_str) {
            if !syntax::is_dns1123_label(name) {
                ctx.error(Rule::InvalidName, &vp.field("name"), format!("`{name}` is not a valid volume name: lowercase letters, digits and `-`, at most 63 characters."), format!("`{name}` n'est pas un nom de volume valide : minuscules, chiffres et `-`, 63 caractères au plus."));
            } else if !names.insert(name.to_owned()) {
                ctx.error(Rule::DuplicateName, &vp.field("name"), format!("Two volumes are named `{name}`. Volume names must be unique in a pod."), format!("Deux volumes s'appellent `{name}`. Les noms de volumes doivent être uniques dans un pod."));
            }
        }
        let sources: Vec<&str> = v
            .as_map()
            .iter()
            .map(|(k, _)| k.name.as_str())
            .filter(|k| VOLUME_SOURCES.contains(k))
            .collect();
        if sources.len() > 1 {
            ctx.error(
                Rule::VolumeSources,
                &vp.field(sources[1]),
                format!("A volume has exactly one source, but this one has {}: {}. Split it into separate volumes.", sources.len(), sources.join(", ")),
                format!("Un volume a exactement une source, celui-ci en a {} : {}. Séparez-les en plusieurs volumes.", sources.len(), sources.join(", ")),
            );
        }
        for r in kinds::VOLUME_REFS {
            let (src, field, kind) = (r.source, r.name_field, r.kind.kind);
            if let Some(s) = v.get(src) {
                let missing = s
                    .get(field)
                    .and_then(Node::as_str)
                    .is_none_or(str::is_empty);
                if matches!(s.kind, NodeKind::Map(_))
                    && missing
                    && !ctx.has_error_at(&vp.field(src).field(field))
                {
                    ctx.error(
                        Rule::MissingField,
                        &vp.field(src),
                        format!("`{src}` needs `{field}`: the name of the {kind} to mount."),
                        format!("`{src}` a besoin de `{field}` : le nom du {kind} à monter."),
                    );
                }
            }
        }
    }
    names
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

pub(super) fn mounts(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath, volumes: &HashSet<String>) {
    let mut paths = HashSet::new();
    for (i, m) in c
        .get("volumeMounts")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let mp = cp.field("volumeMounts").index(i);
        if let Some(name) = m.get("name").and_then(Node::as_str)
            && !volumes.contains(name)
        {
            let known: Vec<&str> = volumes.iter().map(String::as_str).collect();
            let hint = syntax::closest(name, known.iter().copied())
                .map(|s| format!(" Did you mean `{s}`?"))
                .unwrap_or_default();
            let indice = syntax::closest(name, known.iter().copied())
                .map(|s| format!(" Vouliez-vous dire `{s}` ?"))
                .unwrap_or_default();
            ctx.error(
                    Rule::MountUnknownVolume,
                    &mp.field("name"),
                    format!("No volume named `{name}` in this pod: declare it under `volumes:` (at the level of `containers:`).{hint}"),
                    format!("Aucun volume nommé `{name}` dans ce pod : déclarez-le sous `volumes:` (au niveau de `containers:`).{indice}"),
                );
        }
        if let Some(path) = m.get("mountPath").and_then(Node::as_str)
            && !paths.insert(path.to_owned())
        {
            ctx.error(Rule::DuplicateMountPath, &mp.field("mountPath"), format!("`{path}` is mounted twice in this container. Each mountPath must be unique."), format!("`{path}` est monté deux fois dans ce conteneur. Chaque mountPath doit être unique."));
        }
    }
}
