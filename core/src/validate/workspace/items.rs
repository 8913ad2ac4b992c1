//! The volumes that read ConfigMaps and Secrets: each one must exist (unless `optional`), and
//! each key its `items` pick must be in it. A missing key leaves the pod unable to mount the
//! volume; with `optional: true` the file is simply missing.

use super::index::Index;
use super::{missing, optional};
use crate::kinds;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::Node;

/// The volumes of the pod spec at `spec`.
pub(super) fn volumes(ctx: &mut Ctx<'_>, index: &Index<'_>, spec: &FieldPath) {
    let m = ctx.m;
    let list = spec.field("volumes");
    for (i, v) in m
        .node(&list)
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let vp = list.index(i);
        for r in kinds::VOLUME_REFS {
            let (src, field, kind) = (r.source, r.name_field, r.kind.kind);
            let Some(s) = v.get(src) else { continue };
            source(ctx, index, s, &vp.field(src), field, kind);
        }
        let sources = vp.field("projected").field("sources");
        for (j, s) in v
            .get("projected")
            .and_then(|p| p.get("sources"))
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            for (src, kind) in [
                ("configMap", kinds::CONFIG_MAP.kind),
                ("secret", kinds::SECRET.kind),
            ] {
                if let Some(x) = s.get(src) {
                    source(ctx, index, x, &sources.index(j).field(src), "name", kind);
                }
            }
        }
    }
}

/// One volume source at `path` naming an object by `field`, and the keys its items pick.
fn source(
    ctx: &mut Ctx<'_>,
    index: &Index<'_>,
    s: &Node,
    path: &FieldPath,
    field: &str,
    kind: &str,
) {
    let Some(name) = s.get(field).and_then(Node::as_str) else {
        return;
    };
    let Some(keys) = index.find(kind, name) else {
        if !optional(s) {
            missing(ctx, &path.field(field), kind, name);
        }
        return;
    };
    for (k, item) in s
        .get("items")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let Some(key) = item.get("key").and_then(Node::as_str) else {
            continue;
        };
        if !keys.lacks(key) {
            continue;
        }
        let list = keys.listed();
        let at = path.field("items").index(k).field("key");
        if optional(s) {
            ctx.info(
                Rule::MissingKey,
                &at,
                format!("The {kind} `{name}` has no key `{key}` (it has: {list}). The volume is optional, so the file for `{key}` will simply be missing: fix the key if you expect it."),
                format!("Le {kind} `{name}` n'a pas de clé `{key}` (il a : {list}). Le volume est optionnel : le fichier de `{key}` sera simplement absent. Corrigez la clé si vous l'attendez."),
            );
        } else {
            ctx.warning(
                Rule::MissingKey,
                &at,
                format!("The {kind} `{name}` has no key `{key}` (it has: {list}). The volume cannot be mounted and the pod will not start: fix the key."),
                format!("Le {kind} `{name}` n'a pas de clé `{key}` (il a : {list}). Le volume ne pourra pas être monté et le pod ne démarrera pas : corrigez la clé."),
            );
        }
    }
}
