//! PersistentVolumeClaims, checked as on a create: access modes, the storage request, class
//! names, the selector and the data source.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::schema::ACCESS_MODES;
use crate::validate::context::Ctx;
use crate::validate::rules::shared::label_selector;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

pub(in crate::validate::rules) fn pvc(ctx: &mut Ctx<'_>) {
    let Some(spec) = ctx.m.node("spec") else {
        if !ctx.has_error_at("spec") {
            ctx.error(Rule::MissingField, "", "A PersistentVolumeClaim needs a `spec` with `accessModes` and `resources.requests.storage`.", "Un PersistentVolumeClaim a besoin d'un `spec` avec `accessModes` et `resources.requests.storage`.");
        }
        return;
    };
    access_modes(ctx, spec);
    storage(ctx);
    for field in ["storageClassName", "volumeAttributesClassName"] {
        class_name(ctx, spec, field);
    }
    if ctx
        .m
        .node("metadata.annotations")
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class"))
        .is_some()
    {
        ctx.report_key(
            crate::Severity::Warning,
            Rule::InvalidName,
            &FieldPath::parse("metadata.annotations").field("volume.beta.kubernetes.io/storage-class"),
            crate::Text::new(
                "This annotation is deprecated and may stop working: write `storageClassName` under `spec` instead.",
                "Cette annotation est obsolète et peut cesser de fonctionner : écrivez plutôt `storageClassName` sous `spec`.",
            ),
        );
    }
    fractional(ctx, "spec.resources.limits.storage");
    if let Some(sel) = spec.get("selector") {
        label_selector(ctx, sel, &FieldPath::parse("spec.selector"));
    }
    data_source(ctx, spec);
}

fn access_modes(ctx: &mut Ctx<'_>, spec: &Node) {
    let modes = spec.get("accessModes").map_or(&[][..], Node::as_seq);
    if modes.is_empty() && !ctx.has_error_at("spec.accessModes") {
        ctx.error(
            Rule::MissingAccessModes,
            "spec",
            format!("A PersistentVolumeClaim needs `accessModes`, e.g. `- ReadWriteOnce`. Accepted: {}.", ACCESS_MODES.join(", ")),
            format!("Un PersistentVolumeClaim a besoin d'`accessModes`, par exemple `- ReadWriteOnce`. Valeurs acceptées : {}.", ACCESS_MODES.join(", ")),
        );
    }
    let known = |m: &&Node| m.as_str().is_some_and(|s| ACCESS_MODES.contains(&s));
    let once_pod = modes.iter().any(|m| m.as_str() == Some("ReadWriteOncePod"));
    let others = modes
        .iter()
        .filter(known)
        .any(|m| m.as_str() != Some("ReadWriteOncePod"));
    if once_pod && others {
        ctx.error(
            Rule::AccessModes,
            "spec.accessModes",
            "`ReadWriteOncePod` cannot be combined with other access modes: keep it alone, or remove it.",
            "`ReadWriteOncePod` ne peut pas être combiné avec d'autres modes d'accès : gardez-le seul, ou retirez-le.",
        );
    }
}

/// `resources.requests.storage`: required (even with a data source), above zero, whole bytes.
fn storage(ctx: &mut Ctx<'_>) {
    let p = "spec.resources.requests.storage";
    let Some(n) = ctx.m.node(p) else {
        if !ctx.has_error_at("spec.resources") {
            let at = if ctx.m.node("spec.resources.requests").is_some() {
                "spec.resources.requests"
            } else if ctx.m.node("spec.resources").is_some() {
                "spec.resources"
            } else {
                "spec"
            };
            ctx.error(
                Rule::MissingStorage,
                at,
                "A PersistentVolumeClaim must request a size, even when it starts from a data source: `resources: {requests: {storage: 1Gi}}`.",
                "Un PersistentVolumeClaim doit demander une taille, même s'il part d'une source de données : `resources: {requests: {storage: 1Gi}}`.",
            );
        }
        return;
    };
    if ctx.has_error_at(p) {
        return;
    }
    match syntax::node_quantity(n) {
        Some(v) if v <= 0.0 => ctx.error(
            Rule::InvalidStorage,
            p,
            "The storage request must be greater than zero, e.g. `1Gi`.",
            "La taille demandée doit être supérieure à zéro, par exemple `1Gi`.",
        ),
        Some(_) => fractional(ctx, p),
        None => {}
    }
}

/// A size that is not a whole number of bytes: accepted with a warning.
fn fractional(ctx: &mut Ctx<'_>, p: &str) {
    let Some(v) = ctx.m.node(p).and_then(syntax::node_quantity) else {
        return;
    };
    if v > 0.0 && (v - v.round()).abs() > 1e-6 * v.max(1.0) && !ctx.has_error_at(p) {
        ctx.warning(
            Rule::InvalidStorage,
            p,
            "This size is not a whole number of bytes (`m` means thousandths, not megabytes): the API server accepts it with a warning. Write `500Mi` or `1Gi`.",
            "Cette taille n'est pas un nombre entier d'octets (`m` veut dire millièmes, pas mégaoctets) : l'API server l'accepte avec un avertissement. Écrivez `500Mi` ou `1Gi`.",
        );
    }
}

/// A StorageClass or VolumeAttributesClass name: a DNS subdomain; empty means "none".
fn class_name(ctx: &mut Ctx<'_>, spec: &Node, field: &str) {
    let Some(name) = spec.get(field).and_then(Node::as_str) else {
        return;
    };
    if name.is_empty() || syntax::is_dns1123_subdomain(name) {
        return;
    }
    let lower: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let lower = lower.trim_matches(['-', '.']);
    ctx.error(
        Rule::InvalidName,
        &FieldPath::parse("spec").field(field),
        format!("`{name}` is not a valid class name: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit. Try `{lower}` (see `kubectl get storageclass`)."),
        format!("`{name}` n'est pas un nom de classe valide : minuscules, chiffres, `-` et `.`, commençant et finissant par une lettre ou un chiffre. Essayez `{lower}` (voir `kubectl get storageclass`)."),
    );
}

/// (apiGroup, kind, name) of a data source reference.
fn reference(n: &Node) -> (&str, &str, &str) {
    let s = |f: &str| n.get(f).and_then(Node::as_str).unwrap_or_default();
    (s("apiGroup"), s("kind"), s("name"))
}

/// `dataSource` and `dataSourceRef`, after the API server drops what it ignores.
fn data_source(ctx: &mut Ctx<'_>, spec: &Node) {
    let source = spec
        .get("dataSource")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    let mut source_ref = spec
        .get("dataSourceRef")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    if let Some(r) = source_ref
        && r.get("namespace")
            .and_then(Node::as_str)
            .is_some_and(|s| !s.is_empty())
    {
        ctx.warning(
            Rule::DataSource,
            "spec.dataSourceRef.namespace",
            "A data source in another namespace needs a feature this cluster does not turn on: the API server drops this `dataSourceRef` and the volume starts empty. Copy the data into this namespace first.",
            "Une source de données d'un autre namespace demande une fonctionnalité que ce cluster n'active pas : l'API server ignore ce `dataSourceRef` et le volume démarre vide. Copiez d'abord les données dans ce namespace.",
        );
        source_ref = None;
    }
    let mut source = source;
    if let (Some(s), None) = (source, source_ref) {
        let (group, kind, _) = reference(s);
        let known = (group.is_empty() && kind == "PersistentVolumeClaim")
            || (group == "snapshot.storage.k8s.io" && kind == "VolumeSnapshot");
        if !known && !ctx.has_error_at("spec.dataSource") {
            ctx.warning(
                Rule::DataSource,
                "spec.dataSource",
                "`dataSource` only takes a PersistentVolumeClaim or a VolumeSnapshot (`apiGroup: snapshot.storage.k8s.io`); the API server drops anything else and the volume starts empty. Use `dataSourceRef` for other populators.",
                "`dataSource` n'accepte qu'un PersistentVolumeClaim ou un VolumeSnapshot (`apiGroup: snapshot.storage.k8s.io`) ; l'API server ignore le reste et le volume démarre vide. Utilisez `dataSourceRef` pour les autres sources.",
            );
            source = None;
        }
    }
    for (field, node) in [("dataSource", source), ("dataSourceRef", source_ref)] {
        if let Some(n) = node {
            one_source(ctx, n, &FieldPath::parse("spec").field(field));
        }
    }
    if let (Some(s), Some(r)) = (source, source_ref)
        && reference(s) != reference(r)
    {
        ctx.error(
            Rule::DataSource,
            "spec.dataSourceRef",
            "`dataSource` and `dataSourceRef` name different sources: keep only one of them (the API server fills in the other).",
            "`dataSource` et `dataSourceRef` désignent des sources différentes : n'en gardez qu'un (l'API server remplit l'autre).",
        );
    }
}

fn one_source(ctx: &mut Ctx<'_>, n: &Node, p: &FieldPath) {
    let (group, kind, _) = reference(n);
    if group.is_empty() && !kind.is_empty() && kind != "PersistentVolumeClaim" {
        ctx.error(
            Rule::DataSource,
            &p.field("kind"),
            format!("Without `apiGroup`, the source can only be a `PersistentVolumeClaim`, not `{kind}`. Add the kind's `apiGroup` (e.g. `snapshot.storage.k8s.io` for a VolumeSnapshot)."),
            format!("Sans `apiGroup`, la source ne peut être qu'un `PersistentVolumeClaim`, pas `{kind}`. Ajoutez l'`apiGroup` du type (par exemple `snapshot.storage.k8s.io` pour un VolumeSnapshot)."),
        );
    }
    if !group.is_empty() && !syntax::is_dns1123_subdomain(group) {
        ctx.error(
            Rule::DataSource,
            &p.field("apiGroup"),
            format!("`{group}` is not an API group: a lowercase DNS name such as `snapshot.storage.k8s.io`, without the version."),
            format!("`{group}` n'est pas un groupe d'API : un nom DNS en minuscules comme `snapshot.storage.k8s.io`, sans la version."),
        );
    }
    for f in ["kind", "name"] {
        if n.get(f).and_then(Node::as_str) == Some("") {
            ctx.error(
                Rule::DataSource,
                &p.field(f),
                format!("The data source needs a non-empty `{f}`."),
                format!("La source de données a besoin d'un `{f}` non vide."),
            );
        }
    }
}
