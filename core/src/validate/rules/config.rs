//! ConfigMaps, Secrets and PersistentVolumeClaims.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::schema::ACCESS_MODES;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

const MAX_DATA: usize = 1024 * 1024;

fn keys(ctx: &mut Ctx<'_>, field: &str, what: &str) -> usize {
    let mut size = 0;
    let Some(node) = ctx.m.node(field) else {
        return 0;
    };
    for (k, v) in node.as_map() {
        size += k.name.len();
        size += match (&v.kind, field) {
            (NodeKind::Str(s), "data" | "binaryData")
                if what == "Secret" || field == "binaryData" =>
            {
                if syntax::is_base64(s) {
                    syntax::base64_len(s)
                } else {
                    s.len()
                }
            }
            (NodeKind::Str(s), _) => s.len(),
            _ => 0,
        };
        if !syntax::is_config_key(&k.name) {
            ctx.report_key(
                crate::Severity::Error,
                Rule::InvalidKey,
                &FieldPath::root().field(field).field(&k.name),
                crate::Text::new(
                    format!("`{}` is not a valid {what} key: letters, digits, `-`, `_` and `.` only (no spaces or `/`).", k.name),
                    format!("`{}` n'est pas une clé de {what} valide : lettres, chiffres, `-`, `_` et `.` seulement (ni espace ni `/`).", k.name),
                ),
            );
        }
    }
    size
}

fn too_large(ctx: &mut Ctx<'_>, size: usize, what: &str) {
    if size > MAX_DATA {
        ctx.error(
            Rule::DataTooLarge,
            "data",
            format!("This {what} holds {size} bytes; the limit is 1 MiB (1048576). Split it or mount a volume instead."),
            format!("Ce {what} contient {size} octets ; la limite est 1 Mio (1048576). Découpez-le ou utilisez un volume."),
        );
    }
}

fn overlap(ctx: &mut Ctx<'_>, a: &str, b: &str, what: &str) {
    let (Some(na), Some(nb)) = (ctx.m.node(a), ctx.m.node(b)) else {
        return;
    };
    let dup: Vec<String> = na
        .as_map()
        .iter()
        .filter(|(k, _)| nb.get(&k.name).is_some())
        .map(|(k, _)| k.name.clone())
        .collect();
    if what == "ConfigMap" {
        for k in dup {
            ctx.error(
                Rule::DuplicateKey,
                &FieldPath::root().field(b).field(&k),
                format!("The key `{k}` is in both `{a}` and `{b}`. A key may appear in only one of them."),
                format!("La clé `{k}` est à la fois dans `{a}` et dans `{b}`. Une clé ne peut figurer que dans l'un des deux."),
            );
        }
    }
}

pub(super) fn config_map(ctx: &mut Ctx<'_>) {
    let size = keys(ctx, "data", "ConfigMap") + keys(ctx, "binaryData", "ConfigMap");
    overlap(ctx, "data", "binaryData", "ConfigMap");
    too_large(ctx, size, "ConfigMap");
}

/// Keys each Secret type requires: (type, any of these keys, where).
const SECRET_TYPES: &[(&str, &[&str])] = &[
    ("kubernetes.io/tls", &["tls.crt", "tls.key"]),
    ("kubernetes.io/dockerconfigjson", &[".dockerconfigjson"]),
    ("kubernetes.io/dockercfg", &[".dockercfg"]),
    ("kubernetes.io/ssh-auth", &["ssh-privatekey"]),
];

pub(super) fn secret(ctx: &mut Ctx<'_>) {
    let size = keys(ctx, "data", "Secret") + keys(ctx, "stringData", "Secret");
    too_large(ctx, size, "Secret");
    let Some(ty) = ctx.m.node("type").and_then(Node::as_str).map(str::to_owned) else {
        return;
    };
    let has = |ctx: &Ctx<'_>, key: &str| {
        ["data", "stringData"]
            .iter()
            .any(|f| ctx.m.node(f).and_then(|n| n.get(key)).is_some())
    };
    for (t, required) in SECRET_TYPES {
        if ty == *t {
            let absent: Vec<&str> = required.iter().copied().filter(|k| !has(ctx, k)).collect();
            for key in absent {
                ctx.error(
                    Rule::SecretTypeKeys,
                    "type",
                    format!("A Secret of type `{ty}` must have the key `{key}` in `data` or `stringData`."),
                    format!("Un Secret de type `{ty}` doit avoir la clé `{key}` dans `data` ou `stringData`."),
                );
            }
        }
    }
    if ty == "kubernetes.io/basic-auth" && !has(ctx, "username") && !has(ctx, "password") {
        ctx.error(
            Rule::SecretTypeKeys,
            "type",
            "A Secret of type `kubernetes.io/basic-auth` needs `username` or `password`.",
            "Un Secret de type `kubernetes.io/basic-auth` a besoin de `username` ou de `password`.",
        );
    }
    if ty == "kubernetes.io/service-account-token"
        && ctx
            .m
            .node("metadata.annotations")
            .and_then(|a| a.get("kubernetes.io/service-account.name"))
            .is_none()
    {
        ctx.error(
            Rule::SecretTypeKeys,
            "type",
            "A service-account-token Secret needs the annotation `kubernetes.io/service-account.name`.",
            "Un Secret service-account-token a besoin de l'annotation `kubernetes.io/service-account.name`.",
        );
    }
}

pub(super) fn pvc(ctx: &mut Ctx<'_>) {
    if ctx.m.node("spec").is_none() {
        if !ctx.has_error_at("spec") {
            ctx.error(Rule::MissingField, "", "A PersistentVolumeClaim needs a `spec` with `accessModes` and `resources.requests.storage`.", "Un PersistentVolumeClaim a besoin d'un `spec` avec `accessModes` et `resources.requests.storage`.");
        }
        return;
    }
    let modes = ctx.m.node("spec.accessModes").map_or(&[][..], Node::as_seq);
    if modes.is_empty() && !ctx.has_error_at("spec.accessModes") {
        ctx.error(
            Rule::MissingAccessModes,
            "spec",
            format!("A PersistentVolumeClaim needs `accessModes`, e.g. `- ReadWriteOnce`. Accepted: {}.", ACCESS_MODES.join(", ")),
            format!("Un PersistentVolumeClaim a besoin d'`accessModes`, par exemple `- ReadWriteOnce`. Valeurs acceptées : {}.", ACCESS_MODES.join(", ")),
        );
    }
    let once_pod = modes.iter().any(|m| m.as_str() == Some("ReadWriteOncePod"));
    if once_pod && modes.len() > 1 {
        ctx.error(
            Rule::AccessModes,
            "spec.accessModes",
            "`ReadWriteOncePod` cannot be combined with other access modes.",
            "`ReadWriteOncePod` ne peut pas être combiné avec d'autres modes d'accès.",
        );
    }
    let storage = ctx.m.node("spec.resources.requests.storage");
    match storage {
        None if ctx.m.node("spec.dataSource").is_none() && ctx.m.node("spec.dataSourceRef").is_none() && !ctx.has_error_at("spec.resources") => ctx.error(
            Rule::MissingStorage,
            "spec.resources.requests",
            "A PersistentVolumeClaim must request a size: `resources: {requests: {storage: 1Gi}}`.",
            "Un PersistentVolumeClaim doit demander une taille : `resources: {requests: {storage: 1Gi}}`.",
        ),
        Some(n) => {
            let v = match &n.kind {
                NodeKind::Str(s) => syntax::quantity_value(s),
                #[allow(clippy::cast_precision_loss)]
                NodeKind::Int(i) => Some(*i as f64),
                NodeKind::Float(f) => Some(*f),
                _ => None,
            };
            if v.is_some_and(|v| v <= 0.0) {
                ctx.error(Rule::InvalidStorage, "spec.resources.requests.storage", "The storage request must be greater than zero, e.g. `1Gi`.", "La taille demandée doit être supérieure à zéro, par exemple `1Gi`.");
            }
        }
        None => {}
    }
}
