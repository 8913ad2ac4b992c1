//! A pod's volumes (`ValidateVolumes`) and each container's `volumeMounts` and `volumeDevices`
//! (`ValidateVolumeMounts`, `ValidateVolumeDevices`).

use super::fields;
use super::volume_sources;
use crate::kinds;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use std::collections::{HashMap, HashSet};

/// Every volume source a pod may use, in the API server's order.
pub(super) const VOLUME_SOURCES: &[&str] = &[
    "emptyDir",
    "hostPath",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "cinder",
    "cephfs",
    "quobyte",
    "downwardAPI",
    "fc",
    "flexVolume",
    "configMap",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "storageos",
    "projected",
    "scaleIO",
    "csi",
    "ephemeral",
    "image",
];

/// The pod's volumes by name, with their source (`emptyDir` when none is written: the API
/// server fills it in).
pub(super) type Volumes = HashMap<String, &'static str>;

/// Checks the volumes; returns them by name.
pub(super) fn volumes(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath, is_pod: bool) -> Volumes {
    let mut found = Volumes::new();
    for (i, v) in spec
        .get("volumes")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let vp = p.field("volumes").index(i);
        let sources: Vec<&'static str> = VOLUME_SOURCES
            .iter()
            .copied()
            .filter(|s| fields::set(v, s).is_some())
            .collect();
        if let Some(name) = v.get("name").and_then(Node::as_str) {
            if !syntax::is_dns1123_label(name) {
                ctx.error(Rule::InvalidName, &vp.field("name"), format!("`{name}` is not a valid volume name: lowercase letters, digits and `-`, at most 63 characters."), format!("`{name}` n'est pas un nom de volume valide : minuscules, chiffres et `-`, 63 caractères au plus."));
            } else if found.contains_key(name) {
                ctx.error(Rule::DuplicateName, &vp.field("name"), format!("Two volumes are named `{name}`. Volume names must be unique in a pod."), format!("Deux volumes s'appellent `{name}`. Les noms de volumes doivent être uniques dans un pod."));
            } else {
                found.insert(
                    name.to_owned(),
                    sources.first().copied().unwrap_or("emptyDir"),
                );
            }
        }
        if sources.len() > 1 {
            // Point at the second source in the text: the one to move into a volume of its own.
            let second = v
                .as_map()
                .iter()
                .filter(|(k, n)| {
                    sources.contains(&k.name.as_str()) && !matches!(n.kind, NodeKind::Null)
                })
                .map(|(k, _)| k.name.as_str())
                .nth(1)
                .unwrap_or(sources[1]);
            ctx.error(
                Rule::VolumeSources,
                &vp.field(second),
                format!("A volume has exactly one source, but this one has {}: {}. Split it into separate volumes.", sources.len(), sources.join(", ")),
                format!("Un volume a exactement une source, celui-ci en a {} : {}. Séparez-les en plusieurs volumes.", sources.len(), sources.join(", ")),
            );
        }
        referenced_names(ctx, v, &vp);
        if is_pod {
            claim_of_ephemeral(ctx, spec, v, &vp);
        }
        for s in &sources {
            if let Some(src) = v.get(s).filter(|n| matches!(n.kind, NodeKind::Map(_))) {
                volume_sources::source(ctx, s, src, &vp.field(s), is_pod);
            }
        }
    }
    found
}

/// A Pod's `ephemeral` volume `v` creates the claim `<pod>-v`: another volume may not name it.
fn claim_of_ephemeral(ctx: &mut Ctx<'_>, spec: &Node, v: &Node, vp: &FieldPath) {
    let Some(claim) = fields::set(v, "persistentVolumeClaim")
        .and_then(|c| c.get("claimName"))
        .and_then(Node::as_str)
    else {
        return;
    };
    let Some(pod) = ctx.m.root().find("metadata.name").and_then(Node::as_str) else {
        return;
    };
    let created = spec
        .get("volumes")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .filter(|o| fields::set(o, "ephemeral").is_some())
        .filter_map(|o| o.get("name").and_then(Node::as_str))
        .any(|name| claim.strip_prefix(pod).and_then(|r| r.strip_prefix('-')) == Some(name));
    if created {
        ctx.error(
            Rule::InvalidValue,
            &vp.field("persistentVolumeClaim").field("claimName"),
            format!("`{claim}` is the claim an `ephemeral` volume of this pod creates: it cannot also be mounted by name. Mount the ephemeral volume instead."),
            format!("`{claim}` est la demande qu'un volume `ephemeral` de ce pod crée : on ne peut pas aussi la monter par son nom. Montez plutôt le volume éphémère."),
        );
    }
}

/// The name of the ConfigMap, Secret or claim a volume mounts.
fn referenced_names(ctx: &mut Ctx<'_>, v: &Node, vp: &FieldPath) {
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

/// A container's `volumeMounts` and `volumeDevices`.
pub(super) fn mounts(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath, volumes: &Volumes) {
    let list = c.get("volumeMounts").map_or(&[][..], Node::as_seq);
    let devices = c.get("volumeDevices").map_or(&[][..], Node::as_seq);
    let privileged = c
        .get("securityContext")
        .and_then(|s| s.get("privileged"))
        .is_some_and(|p| matches!(p.kind, NodeKind::Bool(true)));
    let mut paths = HashSet::new();
    for (i, m) in list.iter().enumerate() {
        let mp = cp.field("volumeMounts").index(i);
        if let Some(name) = m.get("name").and_then(Node::as_str)
            && !volumes.contains_key(name)
        {
            unknown_volume(ctx, name, &mp.field("name"), volumes);
        }
        fields::required(
            ctx,
            m,
            &mp,
            "mountPath",
            "the folder in the container where the volume appears, e.g. `/data`.",
            "le dossier du conteneur où le volume apparaît, par exemple `/data`.",
        );
        if let Some(path) = m.get("mountPath").and_then(Node::as_str)
            && !path.is_empty()
            && !paths.insert(path.to_owned())
        {
            ctx.error(Rule::DuplicateMountPath, &mp.field("mountPath"), format!("`{path}` is mounted twice in this container. Each mountPath must be unique."), format!("`{path}` est monté deux fois dans ce conteneur. Chaque mountPath doit être unique."));
        }
        sub_paths(ctx, m, &mp);
        propagation(ctx, m, &mp, privileged);
    }
    let mount_names: Vec<&str> = list
        .iter()
        .filter_map(|m| m.get("name").and_then(Node::as_str))
        .collect();
    let mut seen_names = HashSet::new();
    let mut seen_paths = HashSet::new();
    for (i, d) in devices.iter().enumerate() {
        let dp = cp.field("volumeDevices").index(i);
        if let Some(name) = d.get("name").and_then(Node::as_str) {
            match volumes.get(name) {
                None => unknown_volume(ctx, name, &dp.field("name"), volumes),
                Some(&("persistentVolumeClaim" | "ephemeral")) => {}
                Some(src) => ctx.error(
                    Rule::MountAndDevice,
                    &dp.field("name"),
                    format!("The volume `{name}` is a `{src}` volume: only a `persistentVolumeClaim` or `ephemeral` volume in block mode can be a device. Use `volumeMounts` instead."),
                    format!("Le volume `{name}` est de type `{src}` : seul un volume `persistentVolumeClaim` ou `ephemeral` en mode bloc peut être un périphérique. Utilisez plutôt `volumeMounts`."),
                ),
            }
            if !seen_names.insert(name) {
                ctx.error(Rule::DuplicateName, &dp.field("name"), format!("The volume `{name}` is a device twice in this container. Keep one."), format!("Le volume `{name}` est deux fois un périphérique de ce conteneur. Gardez-en un."));
            } else if mount_names.contains(&name) {
                ctx.error(Rule::MountAndDevice, &dp.field("name"), format!("The volume `{name}` is both mounted (`volumeMounts`) and a device (`volumeDevices`) in this container. Use one or the other."), format!("Le volume `{name}` est à la fois monté (`volumeMounts`) et périphérique (`volumeDevices`) dans ce conteneur. Choisissez l'un ou l'autre."));
            }
        }
        fields::required(
            ctx,
            d,
            &dp,
            "devicePath",
            "the device's path in the container, e.g. `/dev/xvda`.",
            "le chemin du périphérique dans le conteneur, par exemple `/dev/xvda`.",
        );
        if let Some(path) = d
            .get("devicePath")
            .and_then(Node::as_str)
            .filter(|p| !p.is_empty())
        {
            let dpp = dp.field("devicePath");
            if fields::has_backsteps(path) {
                ctx.error(
                    Rule::InvalidPath,
                    &dpp,
                    "`devicePath` must not contain `..`.",
                    "`devicePath` ne doit pas contenir `..`.",
                );
            } else if !seen_paths.insert(path) {
                ctx.error(Rule::DuplicateMountPath, &dpp, format!("`{path}` is used by two devices of this container. Each devicePath must be unique."), format!("`{path}` sert à deux périphériques de ce conteneur. Chaque devicePath doit être unique."));
            } else if paths.contains(path) {
                ctx.error(Rule::MountAndDevice, &dpp, format!("`{path}` is already a mountPath of this container. Pick another path for the device."), format!("`{path}` est déjà un mountPath de ce conteneur. Choisissez un autre chemin pour le périphérique."));
            }
        }
    }
}

fn unknown_volume(ctx: &mut Ctx<'_>, name: &str, path: &FieldPath, volumes: &Volumes) {
    let near = syntax::closest(name, volumes.keys().map(String::as_str));
    let hint = near
        .map(|s| format!(" Did you mean `{s}`?"))
        .unwrap_or_default();
    let indice = near
        .map(|s| format!(" Vouliez-vous dire `{s}` ?"))
        .unwrap_or_default();
    ctx.error(
        Rule::MountUnknownVolume,
        path,
        format!("No volume named `{name}` in this pod: declare it under `volumes:` (at the level of `containers:`).{hint}"),
        format!("Aucun volume nommé `{name}` dans ce pod : déclarez-le sous `volumes:` (au niveau de `containers:`).{indice}"),
    );
}

/// `subPath` and `subPathExpr`: relative paths inside the volume, one or the other.
fn sub_paths(ctx: &mut Ctx<'_>, m: &Node, mp: &FieldPath) {
    let set = |f: &str| {
        m.get(f)
            .and_then(Node::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    if set("subPath") {
        fields::local_path(ctx, m, mp, "subPath", false);
    }
    if set("subPathExpr") {
        if set("subPath") {
            ctx.error(
                Rule::InvalidPath,
                &mp.field("subPathExpr"),
                "`subPath` and `subPathExpr` exclude each other: keep only one.",
                "`subPath` et `subPathExpr` s'excluent : n'en gardez qu'un.",
            );
        }
        fields::local_path(ctx, m, mp, "subPathExpr", false);
    }
}

/// `mountPropagation` (Bidirectional needs a privileged container) and `recursiveReadOnly`.
fn propagation(ctx: &mut Ctx<'_>, m: &Node, mp: &FieldPath, privileged: bool) {
    let prop = m.get("mountPropagation").and_then(Node::as_str);
    if prop == Some("Bidirectional") && !privileged {
        ctx.error(
            Rule::MountPropagation,
            &mp.field("mountPropagation"),
            "`Bidirectional` mount propagation is only for privileged containers: add `securityContext: {privileged: true}` to the container, or use `HostToContainer`.",
            "La propagation `Bidirectional` est réservée aux conteneurs privilégiés : ajoutez `securityContext: {privileged: true}` au conteneur, ou utilisez `HostToContainer`.",
        );
    }
    let rro = m.get("recursiveReadOnly").and_then(Node::as_str);
    fields::one_of(
        ctx,
        m,
        mp,
        "recursiveReadOnly",
        &["Disabled", "Enabled", "IfPossible"],
    );
    if matches!(rro, Some("Enabled" | "IfPossible")) {
        let path = mp.field("recursiveReadOnly");
        if !m
            .get("readOnly")
            .is_some_and(|r| matches!(r.kind, NodeKind::Bool(true)))
        {
            ctx.error(
                Rule::RecursiveReadOnly,
                &path,
                "`recursiveReadOnly` needs `readOnly: true` on the same mount. Add it, or remove `recursiveReadOnly`.",
                "`recursiveReadOnly` demande `readOnly: true` sur le même montage. Ajoutez-le, ou retirez `recursiveReadOnly`.",
            );
        }
        if prop.is_some_and(|p| p != "None") {
            ctx.error(
                Rule::RecursiveReadOnly,
                &path,
                "`recursiveReadOnly` only works with `mountPropagation: None` (or none written). Remove one of the two.",
                "`recursiveReadOnly` ne fonctionne qu'avec `mountPropagation: None` (ou sans propagation). Retirez l'un des deux.",
            );
        }
    }
}
