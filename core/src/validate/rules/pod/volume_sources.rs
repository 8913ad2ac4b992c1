//! The inside of each volume source (`validateVolumeSource` and the validators it calls).

use super::fields::{self, file_mode, local_path, required};
use super::volume_files::{downward_file, items, projected};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

/// Checks one source `name` of a volume; `is_pod` for a Pod (not a pod template).
pub(super) fn source(ctx: &mut Ctx<'_>, name: &str, s: &Node, sp: &FieldPath, is_pod: bool) {
    match name {
        "emptyDir" => {
            if let Some(q) = s.get("sizeLimit").and_then(Node::as_str)
                && q.starts_with('-')
                && syntax::quantity_value(q).is_some_and(|v| v < 0.0)
            {
                ctx.error(
                    Rule::InvalidQuantity,
                    &sp.field("sizeLimit"),
                    "`sizeLimit` must not be negative. Write a size such as `1Gi`.",
                    "`sizeLimit` ne doit pas être négatif. Écrivez une taille comme `1Gi`.",
                );
            }
        }
        "hostPath" => {
            required(
                ctx,
                s,
                sp,
                "path",
                "the folder or file on the node, e.g. `/var/log`.",
                "le dossier ou le fichier sur le nœud, par exemple `/var/log`.",
            );
            if s.get("path")
                .and_then(Node::as_str)
                .is_some_and(fields::has_backsteps)
            {
                ctx.error(
                    Rule::InvalidPath,
                    &sp.field("path"),
                    "A hostPath must not contain `..`. Write the path without it.",
                    "Un hostPath ne doit pas contenir `..`. Écrivez le chemin sans.",
                );
            }
        }
        "secret" | "configMap" => {
            file_mode(ctx, s, sp, "defaultMode");
            items(ctx, s, sp, None);
        }
        "downwardAPI" => {
            file_mode(ctx, s, sp, "defaultMode");
            for (i, f) in s
                .get("items")
                .map_or(&[][..], Node::as_seq)
                .iter()
                .enumerate()
            {
                downward_file(ctx, f, &sp.field("items").index(i));
            }
        }
        "projected" => {
            file_mode(ctx, s, sp, "defaultMode");
            projected(ctx, s, sp);
        }
        "nfs" => {
            required(
                ctx,
                s,
                sp,
                "server",
                "the NFS server's name or address.",
                "le nom ou l'adresse du serveur NFS.",
            );
            required(
                ctx,
                s,
                sp,
                "path",
                "the exported path on the server, e.g. `/exports`.",
                "le chemin exporté par le serveur, par exemple `/exports`.",
            );
            if let Some(p) = s.get("path").and_then(Node::as_str)
                && !p.is_empty()
                && !p.starts_with('/')
            {
                ctx.error(
                    Rule::InvalidPath,
                    &sp.field("path"),
                    format!("An NFS path must be absolute: write `/{p}`."),
                    format!("Un chemin NFS doit être absolu : écrivez `/{p}`."),
                );
            }
        }
        "iscsi" => {
            required(
                ctx,
                s,
                sp,
                "targetPortal",
                "the iSCSI target's address and port.",
                "l'adresse et le port de la cible iSCSI.",
            );
            required(
                ctx,
                s,
                sp,
                "iqn",
                "the target's iSCSI qualified name.",
                "le nom qualifié iSCSI de la cible.",
            );
            if let Some(iqn) = s.get("iqn").and_then(Node::as_str)
                && !iqn.is_empty()
                && !["iqn", "eui", "naa"].iter().any(|p| iqn.starts_with(p))
            {
                ctx.error(
                    Rule::InvalidValue,
                    &sp.field("iqn"),
                    "An iSCSI name starts with `iqn`, `eui` or `naa`.",
                    "Un nom iSCSI commence par `iqn`, `eui` ou `naa`.",
                );
            }
            fields::in_range(ctx, s, sp, "lun", 0, 255);
        }
        "csi" => {
            required(
                ctx,
                s,
                sp,
                "driver",
                "the CSI driver's name, e.g. `csi.example.com`.",
                "le nom du pilote CSI, par exemple `csi.example.com`.",
            );
            if let Some(d) = s.get("driver").and_then(Node::as_str)
                && !d.is_empty()
                && (d.len() > 63 || !syntax::is_dns1123_subdomain(&d.to_ascii_lowercase()))
            {
                ctx.error(Rule::InvalidName, &sp.field("driver"), format!("`{d}` is not a valid CSI driver name: at most 63 letters, digits, `-` and `.`, starting and ending with a letter or digit."), format!("`{d}` n'est pas un nom de pilote CSI valide : 63 lettres, chiffres, `-` et `.` au plus, commençant et finissant par une lettre ou un chiffre."));
            }
            if let Some(r) = s
                .get("nodePublishSecretRef")
                .filter(|r| matches!(r.kind, NodeKind::Map(_)))
            {
                required(
                    ctx,
                    r,
                    &sp.field("nodePublishSecretRef"),
                    "name",
                    "the Secret's name.",
                    "le nom du Secret.",
                );
                if let Some(n) = r.get("name").and_then(Node::as_str)
                    && !n.is_empty()
                    && !syntax::is_dns1123_subdomain(n)
                {
                    ctx.error(Rule::InvalidName, &sp.field("nodePublishSecretRef").field("name"), format!("`{n}` is not a valid Secret name: lowercase letters, digits, `-` and `.`."), format!("`{n}` n'est pas un nom de Secret valide : minuscules, chiffres, `-` et `.`."));
                }
            }
        }
        "ephemeral" => ephemeral(ctx, s, sp),
        "image" => {
            if is_pod {
                required(
                    ctx,
                    s,
                    sp,
                    "reference",
                    "the image to mount, e.g. `registry.example/data:1.0`.",
                    "l'image à monter, par exemple `registry.example/data:1.0`.",
                );
            }
            fields::one_of(
                ctx,
                s,
                sp,
                "pullPolicy",
                &["Always", "IfNotPresent", "Never"],
            );
        }
        "gitRepo" => {
            required(
                ctx,
                s,
                sp,
                "repository",
                "the Git repository's URL.",
                "l'URL du dépôt Git.",
            );
            local_path(ctx, s, sp, "directory", false);
        }
        "gcePersistentDisk" => {
            required(
                ctx,
                s,
                sp,
                "pdName",
                "the disk's name.",
                "le nom du disque.",
            );
            fields::in_range(ctx, s, sp, "partition", 0, 255);
        }
        "awsElasticBlockStore" => {
            required(
                ctx,
                s,
                sp,
                "volumeID",
                "the volume's ID.",
                "l'identifiant du volume.",
            );
            fields::in_range(ctx, s, sp, "partition", 0, 255);
        }
        "glusterfs" => {
            required(
                ctx,
                s,
                sp,
                "endpoints",
                "the Endpoints' name.",
                "le nom des Endpoints.",
            );
            required(
                ctx,
                s,
                sp,
                "path",
                "the Gluster volume's path.",
                "le chemin du volume Gluster.",
            );
        }
        "rbd" => required(
            ctx,
            s,
            sp,
            "image",
            "the RADOS image's name.",
            "le nom de l'image RADOS.",
        ),
        "cinder" | "portworxVolume" => required(
            ctx,
            s,
            sp,
            "volumeID",
            "the volume's ID.",
            "l'identifiant du volume.",
        ),
        "flexVolume" => required(
            ctx,
            s,
            sp,
            "driver",
            "the driver's name.",
            "le nom du pilote.",
        ),
        "azureFile" => {
            required(
                ctx,
                s,
                sp,
                "secretName",
                "the Secret with the account's name and key.",
                "le Secret avec le nom et la clé du compte.",
            );
            required(
                ctx,
                s,
                sp,
                "shareName",
                "the share's name.",
                "le nom du partage.",
            );
        }
        "vsphereVolume" => required(
            ctx,
            s,
            sp,
            "volumePath",
            "the disk's path.",
            "le chemin du disque.",
        ),
        "photonPersistentDisk" => required(
            ctx,
            s,
            sp,
            "pdID",
            "the disk's ID.",
            "l'identifiant du disque.",
        ),
        _ => {}
    }
}

/// A generic ephemeral volume: a claim template with access modes and a storage request.
fn ephemeral(ctx: &mut Ctx<'_>, s: &Node, sp: &FieldPath) {
    let tp = sp.field("volumeClaimTemplate");
    let Some(t) = s
        .get("volumeClaimTemplate")
        .filter(|n| matches!(n.kind, NodeKind::Map(_)))
    else {
        if !ctx.has_error_at(&tp) {
            ctx.error(Rule::MissingField, sp, "An `ephemeral` volume needs a `volumeClaimTemplate` (with `spec.accessModes` and `spec.resources.requests.storage`).", "Un volume `ephemeral` a besoin d'un `volumeClaimTemplate` (avec `spec.accessModes` et `spec.resources.requests.storage`).");
        }
        return;
    };
    let Some(spec) = t.get("spec").filter(|n| matches!(n.kind, NodeKind::Map(_))) else {
        return; // the schema reports a missing `spec`
    };
    let specp = tp.field("spec");
    if spec
        .get("accessModes")
        .map_or(&[][..], Node::as_seq)
        .is_empty()
        && !ctx.has_error_at(&specp.field("accessModes"))
    {
        ctx.error(Rule::MissingAccessModes, &specp, "The claim template needs `accessModes`, e.g. `accessModes: [ReadWriteOnce]`.", "Le modèle de demande a besoin de `accessModes`, par exemple `accessModes: [ReadWriteOnce]`.");
    }
    let storage = spec
        .get("resources")
        .and_then(|r| r.get("requests"))
        .and_then(|r| r.get("storage"));
    if storage.is_none() && !ctx.has_error_at(&specp.field("resources")) {
        ctx.error(Rule::MissingStorage, &specp, "The claim template needs a size: `resources.requests.storage`, e.g. `1Gi`.", "Le modèle de demande a besoin d'une taille : `resources.requests.storage`, par exemple `1Gi`.");
    }
}
