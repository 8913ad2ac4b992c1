//! The files a volume writes: `items` of secret and configMap sources (`validateKeyToPath`),
//! downwardAPI files (`validateDownwardAPIVolumeFile`) and projected volumes
//! (`validateProjectionSources`).

use super::env::RESOURCE_PATHS;
use super::fields::{file_mode, local_path, required, set};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use std::collections::HashSet;

/// `items` of a secret or configMap source (`validateKeyToPath`); with `paths`, the paths
/// already written by a projected volume's other sources.
pub(super) fn items(
    ctx: &mut Ctx<'_>,
    s: &Node,
    sp: &FieldPath,
    mut paths: Option<&mut HashSet<String>>,
) {
    for (i, it) in s
        .get("items")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let ip = sp.field("items").index(i);
        required(
            ctx,
            it,
            &ip,
            "key",
            "the key to read from the ConfigMap or Secret.",
            "la clé à lire dans le ConfigMap ou le Secret.",
        );
        required(
            ctx,
            it,
            &ip,
            "path",
            "the file name to write the key to, e.g. `app.conf`.",
            "le nom du fichier où écrire la clé, par exemple `app.conf`.",
        );
        local_path(ctx, it, &ip, "path", true);
        file_mode(ctx, it, &ip, "mode");
        if let (Some(seen), Some(p)) = (paths.as_deref_mut(), it.get("path").and_then(Node::as_str))
        {
            duplicate_path(ctx, seen, p, &ip.field("path"));
        }
    }
}

fn duplicate_path(ctx: &mut Ctx<'_>, seen: &mut HashSet<String>, p: &str, path: &FieldPath) {
    if !p.is_empty() && !seen.insert(p.to_owned()) {
        ctx.error(
            Rule::InvalidPath,
            path,
            format!("Two sources of this projected volume write the file `{p}`. Give each file its own path."),
            format!("Deux sources de ce volume projeté écrivent le fichier `{p}`. Donnez à chaque fichier son propre chemin."),
        );
    }
}

/// Field paths a downwardAPI volume can write (without a subscript).
const VOLUME_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.labels",
    "metadata.annotations",
    "metadata.uid",
];

/// One item of a downwardAPI volume or projection (`validateDownwardAPIVolumeFile`).
pub(super) fn downward_file(ctx: &mut Ctx<'_>, f: &Node, fp: &FieldPath) {
    required(
        ctx,
        f,
        fp,
        "path",
        "the file name to write, e.g. `labels`.",
        "le nom du fichier à écrire, par exemple `labels`.",
    );
    local_path(ctx, f, fp, "path", true);
    file_mode(ctx, f, fp, "mode");
    match (set(f, "fieldRef"), set(f, "resourceFieldRef")) {
        (Some(_), Some(_)) => ctx.error(
            Rule::VolumeSources,
            &fp.field("resourceFieldRef"),
            "A downwardAPI item takes `fieldRef` or `resourceFieldRef`, not both. Remove one.",
            "Un élément downwardAPI prend `fieldRef` ou `resourceFieldRef`, pas les deux. Retirez-en un.",
        ),
        (None, None) if matches!(f.kind, NodeKind::Map(_)) => ctx.error(
            Rule::MissingField,
            fp,
            "A downwardAPI item needs `fieldRef` (e.g. `fieldPath: metadata.labels`) or `resourceFieldRef`.",
            "Un élément downwardAPI a besoin de `fieldRef` (par exemple `fieldPath: metadata.labels`) ou de `resourceFieldRef`.",
        ),
        (Some(r), None) => field_ref(ctx, r, &fp.field("fieldRef")),
        (None, Some(r)) => {
            let rp = fp.field("resourceFieldRef");
            required(ctx, r, &rp, "containerName", "in a volume, name the container whose resources to read.", "dans un volume, nommez le conteneur dont lire les ressources.");
            if let Some(res) = r.get("resource").and_then(Node::as_str)
                && !res.is_empty()
                && !RESOURCE_PATHS.contains(&res)
                && !res.starts_with("requests.hugepages-")
                && !res.starts_with("limits.hugepages-")
            {
                let list = RESOURCE_PATHS.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
                ctx.error(Rule::InvalidValue, &rp.field("resource"), format!("`{res}` is not a resource a volume can show. Use one of: {list}."), format!("`{res}` n'est pas une ressource qu'un volume peut montrer. Utilisez l'une de : {list}."));
            }
        }
        _ => {}
    }
}

/// A `fieldRef` in a downwardAPI volume: the pod's name, namespace, uid, labels or annotations
/// (a single one as `metadata.labels['key']`).
fn field_ref(ctx: &mut Ctx<'_>, r: &Node, rp: &FieldPath) {
    let Some(fpath) = r.get("fieldPath").and_then(Node::as_str) else {
        return;
    };
    if fpath.is_empty() {
        ctx.error(
            Rule::MissingField,
            &rp.field("fieldPath"),
            "`fieldPath` is empty: name the pod's field to write, e.g. `metadata.labels`.",
            "`fieldPath` est vide : indiquez le champ du pod à écrire, par exemple `metadata.labels`.",
        );
        return;
    }
    let ok = VOLUME_FIELD_PATHS.contains(&fpath)
        || ["metadata.labels['", "metadata.annotations['"]
            .iter()
            .any(|pre| {
                fpath
                    .strip_prefix(pre)
                    .and_then(|k| k.strip_suffix("']"))
                    .is_some_and(|k| {
                        let k = if pre.contains("annotations") {
                            k.to_ascii_lowercase()
                        } else {
                            k.to_owned()
                        };
                        syntax::is_qualified_name(&k)
                    })
            });
    if !ok {
        let list = VOLUME_FIELD_PATHS
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.error(
            Rule::InvalidValue,
            &rp.field("fieldPath"),
            format!("`{fpath}` cannot be written to a volume. Use one of: {list}, or one label as `metadata.labels['app']`. (Other fields such as `status.podIP` are for environment variables.)"),
            format!("`{fpath}` ne peut pas être écrit dans un volume. Utilisez l'un de : {list}, ou une étiquette comme `metadata.labels['app']`. (Les autres champs comme `status.podIP` sont pour les variables d'environnement.)"),
        );
    }
}

/// The sources of a projected volume (`validateProjectionSources`). `clusterTrustBundle` and
/// `podCertificate` are behind feature gates that are off by default: the API server drops them
/// before checking, so they are not checked here.
pub(super) fn projected(ctx: &mut Ctx<'_>, s: &Node, sp: &FieldPath) {
    let mut paths = HashSet::new();
    for (i, src) in s
        .get("sources")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let srcp = sp.field("sources").index(i);
        let kinds: Vec<&str> = src
            .as_map()
            .iter()
            .filter(|(_, n)| !matches!(n.kind, NodeKind::Null))
            .map(|(k, _)| k.name.as_str())
            .filter(|k| ["secret", "configMap", "downwardAPI", "serviceAccountToken"].contains(k))
            .collect();
        if kinds.len() > 1 {
            ctx.error(
                Rule::VolumeSources,
                &srcp.field(kinds[1]),
                format!("Each item of `sources` has one source, this one has {}: {}. Start a new item (`- `) for each.", kinds.len(), kinds.join(", ")),
                format!("Chaque élément de `sources` a une seule source, celui-ci en a {} : {}. Commencez un nouvel élément (`- `) pour chacune.", kinds.len(), kinds.join(", ")),
            );
        }
        for k in ["secret", "configMap"] {
            if let Some(n) = src.get(k).filter(|n| matches!(n.kind, NodeKind::Map(_))) {
                let np = srcp.field(k);
                required(
                    ctx,
                    n,
                    &np,
                    "name",
                    "the name of the object to project.",
                    "le nom de l'objet à projeter.",
                );
                items(ctx, n, &np, Some(&mut paths));
            }
        }
        if let Some(d) = src.get("downwardAPI") {
            for (j, f) in d
                .get("items")
                .map_or(&[][..], Node::as_seq)
                .iter()
                .enumerate()
            {
                let fp = srcp.field("downwardAPI").field("items").index(j);
                downward_file(ctx, f, &fp);
                if let Some(p) = f.get("path").and_then(Node::as_str) {
                    duplicate_path(ctx, &mut paths, p, &fp.field("path"));
                }
            }
        }
        if let Some(t) = src
            .get("serviceAccountToken")
            .filter(|n| matches!(n.kind, NodeKind::Map(_)))
        {
            let tp = srcp.field("serviceAccountToken");
            if let Some(e) = t.get("expirationSeconds").and_then(Node::as_int)
                && !(600..=1 << 32).contains(&e)
            {
                ctx.error(Rule::OutOfRange, &tp.field("expirationSeconds"), format!("A token lives at least 10 minutes: `expirationSeconds` must be 600 or more (and at most 2^32), not {e}. The default is 3600."), format!("Un jeton vit au moins 10 minutes : `expirationSeconds` doit valoir 600 ou plus (et au plus 2^32), pas {e}. La valeur par défaut est 3600."));
            }
            required(
                ctx,
                t,
                &tp,
                "path",
                "the file name of the token, e.g. `token`.",
                "le nom du fichier du jeton, par exemple `token`.",
            );
            // The API server does not count a token's path among the projected files'
            // paths: two sources writing the same file are not refused for it.
            local_path(ctx, t, &tp, "path", true);
        }
    }
}
