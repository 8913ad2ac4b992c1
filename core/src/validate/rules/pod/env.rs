//! A container's environment: `env` (names, `value` or one `valueFrom` source, downward API
//! paths, key references) and `envFrom` (one source, its name, the prefix).

use super::container::Pod;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use crate::{Severity, Text};

const SOURCES: &[&str] = &[
    "configMapKeyRef",
    "secretKeyRef",
    "fieldRef",
    "resourceFieldRef",
    "fileKeyRef",
];

/// Pod fields a variable can read through `fieldRef` (besides labels and annotations by key).
const FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
    // An old spelling of spec.nodeName, still converted.
    "spec.host",
];

/// Resources a `resourceFieldRef` can expose, to env and to volumes (plus
/// `requests.hugepages-…`, `limits.hugepages-…`).
pub(super) const RESOURCE_PATHS: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

/// Printable ASCII without `=`: what a variable name (or an `envFrom` prefix) may hold.
fn is_env_name(s: &str) -> bool {
    !s.is_empty() && !s.contains('=') && s.bytes().all(|b| (32..127).contains(&b))
}

pub(super) fn env(ctx: &mut Ctx<'_>, pod: &Pod<'_>, c: &Node, cp: &FieldPath) {
    for (i, e) in c
        .get("env")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let ep = cp.field("env").index(i);
        if let Some(name) = e.get("name").and_then(Node::as_str)
            && !is_env_name(name)
        {
            ctx.error(Rule::InvalidEnvName, &ep.field("name"), format!("`{name}` is not a valid variable name: printable characters without `=`, e.g. `API_URL`."), format!("`{name}` n'est pas un nom de variable valide : caractères imprimables sans `=`, par exemple `API_URL`."));
        }
        if let Some(from) = e
            .get("valueFrom")
            .filter(|v| matches!(v.kind, NodeKind::Map(_)))
        {
            value_from(ctx, pod, e, from, &ep);
        }
    }
    for (i, e) in c
        .get("envFrom")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        env_from(ctx, e, &cp.field("envFrom").index(i));
    }
}

fn value_from(ctx: &mut Ctx<'_>, pod: &Pod<'_>, e: &Node, from: &Node, ep: &FieldPath) {
    let fp = ep.field("valueFrom");
    let has_value = e
        .get("value")
        .is_some_and(|v| !matches!(&v.kind, NodeKind::Null) && v.as_str() != Some(""));
    if has_value {
        ctx.error(
            Rule::EnvValueAndValueFrom,
            &fp,
            "A variable takes either `value` or `valueFrom`, not both. Remove one of them.",
            "Une variable prend soit `value`, soit `valueFrom`, pas les deux. Retirez l'un des deux.",
        );
    }
    let sources: Vec<&str> = from
        .as_map()
        .iter()
        .filter(|(k, v)| SOURCES.contains(&k.name.as_str()) && !matches!(v.kind, NodeKind::Null))
        .map(|(k, _)| k.name.as_str())
        .collect();
    if sources.is_empty() && !ctx.has_error_at(&fp) {
        ctx.error(
            Rule::EnvValueFromSources,
            &fp,
            "`valueFrom` needs exactly one source: `configMapKeyRef`, `secretKeyRef`, `fieldRef` or `resourceFieldRef`.",
            "`valueFrom` doit avoir exactement une source : `configMapKeyRef`, `secretKeyRef`, `fieldRef` ou `resourceFieldRef`.",
        );
    } else if sources.len() > 1 && !has_value {
        ctx.report_key(
            Severity::Error,
            Rule::EnvValueFromSources,
            &fp.field(sources[1]),
            Text::new(
                format!("`valueFrom` takes one source, and this one already has `{}`. Remove `{}` (or use a second variable).", sources[0], sources[1]),
                format!("`valueFrom` prend une seule source, et celle-ci a déjà `{}`. Retirez `{}` (ou utilisez une deuxième variable).", sources[0], sources[1]),
            ),
        );
    }
    for (k, sel) in from.as_map() {
        let sp = fp.field(&k.name);
        match k.name.as_str() {
            "configMapKeyRef" | "secretKeyRef" => key_ref(ctx, sel, &sp),
            "fieldRef" => field_ref(ctx, sel, &sp),
            "resourceFieldRef" => resource_field_ref(ctx, sel, &sp),
            "fileKeyRef" => file_key_ref(ctx, pod, sel, &sp),
            _ => {}
        }
    }
}

fn key_ref(ctx: &mut Ctx<'_>, sel: &Node, path: &FieldPath) {
    match sel.get("name").and_then(Node::as_str) {
        None | Some("") if !ctx.has_error_at(path) => ctx.error(
            Rule::MissingField,
            path,
            "This reference needs a `name` (the ConfigMap or Secret to read).",
            "Cette référence a besoin d'un `name` (le ConfigMap ou le Secret à lire).",
        ),
        Some(name) if !name.is_empty() && !syntax::is_dns1123_subdomain(name) => ctx.error(
            Rule::InvalidName,
            &path.field("name"),
            format!("`{name}` cannot be the name of a ConfigMap or Secret: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit."),
            format!("`{name}` ne peut pas être le nom d'un ConfigMap ou d'un Secret : minuscules, chiffres, `-` et `.`, en commençant et finissant par une lettre ou un chiffre."),
        ),
        _ => {}
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

fn field_ref(ctx: &mut Ctx<'_>, sel: &Node, path: &FieldPath) {
    if let Some(v) = sel.get("apiVersion").and_then(Node::as_str)
        && !v.is_empty()
        && v != "v1"
    {
        if ctx.has_error_at(&path.field("apiVersion")) {
            return;
        }
        ctx.error(
            Rule::InvalidFieldRef,
            &path.field("apiVersion"),
            format!("`fieldRef` reads the pod in version `v1`, not `{v}`. Write `apiVersion: v1` or remove it."),
            format!("`fieldRef` lit le pod en version `v1`, pas `{v}`. Écrivez `apiVersion: v1` ou retirez-le."),
        );
        return;
    }
    let Some(fp) = sel.get("fieldPath").and_then(Node::as_str) else {
        return;
    };
    let valid = match subscript(fp) {
        Some((what @ ("metadata.labels" | "metadata.annotations"), key)) => {
            let ok = if what == "metadata.labels" {
                syntax::is_qualified_name(key)
            } else {
                syntax::is_qualified_name(&key.to_lowercase())
            };
            if !ok {
                ctx.error(
                    Rule::InvalidFieldRef,
                    &path.field("fieldPath"),
                    format!("`{key}` is not a valid key: letters, digits, `-`, `_`, `.`, at most 63 characters, optionally after a `domain.example/` prefix."),
                    format!("`{key}` n'est pas une clé valide : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, éventuellement après un préfixe `domaine.exemple/`."),
                );
            }
            return;
        }
        Some(_) => false,
        None => FIELD_PATHS.contains(&fp),
    };
    if !valid {
        let near = syntax::closest(fp, FIELD_PATHS.iter().copied())
            .map(|s| {
                (
                    format!(" Did you mean `{s}`?"),
                    format!(" Vouliez-vous dire `{s}` ?"),
                )
            })
            .unwrap_or_default();
        ctx.error(
            Rule::InvalidFieldRef,
            &path.field("fieldPath"),
            format!("A variable cannot read `{fp}` from the pod. Use one of `metadata.name`, `metadata.namespace`, `metadata.uid`, `spec.nodeName`, `spec.serviceAccountName`, `status.podIP`, `status.hostIP`, or `metadata.labels['KEY']`, `metadata.annotations['KEY']`.{}", near.0),
            format!("Une variable ne peut pas lire `{fp}` dans le pod. Utilisez `metadata.name`, `metadata.namespace`, `metadata.uid`, `spec.nodeName`, `spec.serviceAccountName`, `status.podIP`, `status.hostIP`, ou `metadata.labels['CLÉ']`, `metadata.annotations['CLÉ']`.{}", near.1),
        );
    }
}

/// `path['key']` split into the path and the key.
fn subscript(s: &str) -> Option<(&str, &str)> {
    let (path, key) = s.strip_suffix("']")?.split_once("['")?;
    (!path.is_empty()).then_some((path, key))
}

fn resource_field_ref(ctx: &mut Ctx<'_>, sel: &Node, path: &FieldPath) {
    let Some(res) = sel.get("resource").and_then(Node::as_str) else {
        return;
    };
    let hugepages = res.starts_with("limits.hugepages-") || res.starts_with("requests.hugepages-");
    if !RESOURCE_PATHS.contains(&res) && !hugepages {
        ctx.error(
            Rule::InvalidFieldRef,
            &path.field("resource"),
            format!("A variable cannot read the resource `{res}`. Use `requests.cpu`, `limits.cpu`, `requests.memory`, `limits.memory`, `requests.ephemeral-storage` or `limits.ephemeral-storage`."),
            format!("Une variable ne peut pas lire la ressource `{res}`. Utilisez `requests.cpu`, `limits.cpu`, `requests.memory`, `limits.memory`, `requests.ephemeral-storage` ou `limits.ephemeral-storage`."),
        );
        return;
    }
    let Some(d) = sel.get("divisor") else { return };
    let text = match &d.kind {
        NodeKind::Str(s) => s.clone(),
        NodeKind::Int(i) => i.to_string(),
        _ => return,
    };
    if !syntax::is_quantity(&text) || syntax::quantity_value(&text) == Some(0.0) {
        return; // a bad quantity is the schema's; zero is "not set"
    }
    let Some(value) = syntax::quantity_value(&text) else {
        return;
    };
    // The API server compares the divisor's canonical form: `1000m` is `1`, `1024Ki` is `1Mi`.
    let near = |x: f64| (value - x).abs() <= x * 1e-9;
    let (ok, allowed) = if res.ends_with(".cpu") {
        (near(1.0) || near(1e-3), "`1` or `1m`")
    } else {
        (
            (0..=6).any(|k| near(1000f64.powi(k)) || near(1024f64.powi(k))),
            "`1`, `1k`, `1M`, `1G`, `1Ki`, `1Mi`, `1Gi` (or `1T`, `1P`, `1E`, `1Ti`, `1Pi`, `1Ei`)",
        )
    };
    if !ok {
        ctx.error(
            Rule::InvalidFieldRef,
            &path.field("divisor"),
            format!("`{text}` is not a divisor for `{res}`: use {allowed}."),
            format!(
                "`{text}` n'est pas un diviseur pour `{res}` : utilisez {}.",
                allowed.replace(" or ", " ou ")
            ),
        );
    }
}

fn file_key_ref(ctx: &mut Ctx<'_>, pod: &Pod<'_>, sel: &Node, path: &FieldPath) {
    if let Some(key) = sel.get("key").and_then(Node::as_str)
        && !is_env_name(key)
    {
        ctx.error(Rule::InvalidKey, &path.field("key"), format!("`{key}` is not a valid key for a variable file: printable characters without `=`."), format!("`{key}` n'est pas une clé valide pour un fichier de variables : caractères imprimables sans `=`."));
    }
    if let Some(p) = sel.get("path").and_then(Node::as_str)
        && p.split('/').any(|s| s == "..")
    {
        ctx.error(
            Rule::InvalidFieldRef,
            &path.field("path"),
            format!("`{p}` may not contain `..`: give a path inside the volume."),
            format!("`{p}` ne peut pas contenir `..` : donnez un chemin à l'intérieur du volume."),
        );
    }
    let Some(vol) = sel.get("volumeName").and_then(Node::as_str) else {
        return;
    };
    let source = pod
        .spec
        .get("volumes")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .find(|v| v.get("name").and_then(Node::as_str) == Some(vol));
    match source {
        None => ctx.error(Rule::MountUnknownVolume, &path.field("volumeName"), format!("No volume named `{vol}` in this pod: declare an `emptyDir` volume of that name under `volumes:`."), format!("Aucun volume nommé `{vol}` dans ce pod : déclarez un volume `emptyDir` de ce nom sous `volumes:`.")),
        Some(v) if v.get("emptyDir").is_none() => ctx.error(Rule::InvalidFieldRef, &path.field("volumeName"), format!("`fileKeyRef` reads from an `emptyDir` volume, and `{vol}` is not one. Use an `emptyDir` volume."), format!("`fileKeyRef` lit dans un volume `emptyDir`, et `{vol}` n'en est pas un. Utilisez un volume `emptyDir`.")),
        _ => {}
    }
}

fn env_from(ctx: &mut Ctx<'_>, e: &Node, ep: &FieldPath) {
    if let Some(prefix) = e.get("prefix").and_then(Node::as_str)
        && !prefix.is_empty()
        && !is_env_name(prefix)
    {
        ctx.error(Rule::InvalidEnvName, &ep.field("prefix"), format!("`{prefix}` is not a valid prefix for variable names: printable characters without `=`, e.g. `APP_`."), format!("`{prefix}` n'est pas un préfixe valide pour des noms de variables : caractères imprimables sans `=`, par exemple `APP_`."));
    }
    let sources: Vec<&str> = ["configMapRef", "secretRef"]
        .into_iter()
        .filter(|k| e.get(k).is_some_and(|n| !matches!(n.kind, NodeKind::Null)))
        .collect();
    if sources.len() != 1 {
        ctx.error(
            Rule::EnvFromSources,
            ep,
            "Each `envFrom` item needs exactly one of `configMapRef` or `secretRef`.",
            "Chaque élément de `envFrom` doit avoir exactement un `configMapRef` ou un `secretRef`.",
        );
    }
    for s in sources {
        let sp = ep.field(s);
        match e.get(s).and_then(|r| r.get("name")).and_then(Node::as_str) {
            None | Some("") if !ctx.has_error_at(&sp) => ctx.error(
                Rule::MissingField,
                &sp,
                format!("`{s}` needs a `name`: the {} to read.", if s == "secretRef" { "Secret" } else { "ConfigMap" }),
                format!("`{s}` a besoin d'un `name` : le {} à lire.", if s == "secretRef" { "Secret" } else { "ConfigMap" }),
            ),
            // Checked as a name prefix, as the API server does here: a trailing `-` passes.
            Some(name)
                if !name.is_empty()
                    && !syntax::is_dns1123_subdomain(&name.strip_suffix('-').map_or_else(|| name.to_owned(), |n| format!("{n}a"))) =>
            ctx.error(
                Rule::InvalidName,
                &sp.field("name"),
                format!("`{name}` cannot be the name of a ConfigMap or Secret: lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit."),
                format!("`{name}` ne peut pas être le nom d'un ConfigMap ou d'un Secret : minuscules, chiffres, `-` et `.`, en commençant et finissant par une lettre ou un chiffre."),
            ),
            _ => {}
        }
    }
}
