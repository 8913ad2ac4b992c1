//! ConfigMaps, Secrets (in `secret`) and PersistentVolumeClaims (in `pvc`): keys, sizes, the
//! keys each Secret type needs, a claim's modes, size and classes.

mod pvc;
mod secret;

pub(super) use pvc::pvc;
pub(super) use secret::secret;

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use crate::{Severity, Text};

/// The most a ConfigMap's or Secret's values may hold together (keys do not count).
const MAX_DATA: usize = 1024 * 1024;

/// A ConfigMap or Secret key: `[-._a-zA-Z0-9]+`, at most 253, not `.` and not starting with `..`.
fn is_key(k: &str) -> bool {
    syntax::is_config_key(k) && !k.starts_with("..")
}

/// Checks the keys of the map `field` (reported at each key).
fn keys(ctx: &mut Ctx<'_>, field: &str, what: &str) {
    let Some(node) = ctx.m.node(field) else {
        return;
    };
    for (k, _) in node.as_map() {
        if is_key(&k.name) {
            continue;
        }
        let (en, fr) = if k.name.len() > 253 {
            (
                format!(
                    "This {what} key has {} characters; the limit is 253.",
                    k.name.len()
                ),
                format!(
                    "Cette clé de {what} fait {} caractères ; la limite est 253.",
                    k.name.len()
                ),
            )
        } else if k.name.starts_with("..") || k.name == "." {
            (
                format!(
                    "`{}` is not a valid {what} key: it may not be `.` or start with `..`.",
                    k.name
                ),
                format!(
                    "`{}` n'est pas une clé de {what} valide : elle ne peut pas être `.` ni commencer par `..`.",
                    k.name
                ),
            )
        } else {
            (
                format!(
                    "`{}` is not a valid {what} key: letters, digits, `-`, `_` and `.` only (no spaces or `/`).",
                    k.name
                ),
                format!(
                    "`{}` n'est pas une clé de {what} valide : lettres, chiffres, `-`, `_` et `.` seulement (ni espace ni `/`).",
                    k.name
                ),
            )
        };
        ctx.report_key(
            Severity::Error,
            Rule::InvalidKey,
            &FieldPath::root().field(field).field(&k.name),
            Text::new(en, fr),
        );
    }
}

/// The bytes a value stands for: base64 is decoded where the field holds base64.
fn value_len(v: &Node, base64: bool) -> usize {
    match &v.kind {
        NodeKind::Str(s) if base64 && syntax::is_base64(s) => syntax::base64_len(s),
        NodeKind::Str(s) => s.len(),
        _ => 0,
    }
}

fn too_large(ctx: &mut Ctx<'_>, size: usize, what: &str, at: &str) {
    if size > MAX_DATA {
        ctx.error(
            Rule::DataTooLarge,
            at,
            format!("This {what} holds {size} bytes; the limit is 1 MiB (1048576). Split it or mount a volume instead."),
            format!("Ce {what} contient {size} octets ; la limite est 1 Mio (1048576). Découpez-le ou utilisez un volume."),
        );
    }
}

pub(super) fn config_map(ctx: &mut Ctx<'_>) {
    keys(ctx, "data", "ConfigMap");
    keys(ctx, "binaryData", "ConfigMap");
    let data = ctx.m.node("data").map_or(&[][..], Node::as_map);
    let binary = ctx.m.node("binaryData");
    let mut size = 0;
    for (k, v) in data {
        size += value_len(v, false);
        if binary.and_then(|b| b.get(&k.name)).is_some() {
            ctx.report_key(
                Severity::Error,
                Rule::DuplicateKey,
                &FieldPath::root().field("data").field(&k.name),
                Text::new(
                    format!("The key `{}` is in both `data` and `binaryData`. A key may appear in only one of them.", k.name),
                    format!("La clé `{}` est à la fois dans `data` et dans `binaryData`. Une clé ne peut figurer que dans l'un des deux.", k.name),
                ),
            );
        }
    }
    for (_, v) in binary.map_or(&[][..], Node::as_map) {
        size += value_len(v, true);
    }
    let at = if ctx.m.node("data").is_some() {
        "data"
    } else {
        "binaryData"
    };
    too_large(ctx, size, "ConfigMap", at);
}

#[cfg(test)]
mod tests;
