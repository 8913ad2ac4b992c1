//! Rules shared by the kinds: an object's (or a pod template's) metadata, labels and
//! annotations, and fields that must not be negative.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::Node;

/// The longest name per kind (the API server's limits; CronJob leaves room for the Job suffix).
fn max_name(kind: &str) -> usize {
    match kind {
        "CronJob" => 52,
        "Service" | "Namespace" => 63,
        _ => 253,
    }
}

/// `metadata` of an object (`top`) or of a pod template.
pub(super) fn metadata(ctx: &mut Ctx<'_>, path: &FieldPath, top: bool) {
    let root = ctx.m.root();
    if top {
        name(ctx, root);
        if let Some(ns) = root.find("metadata.namespace").and_then(Node::as_str)
            && !syntax::is_dns1123_label(ns)
        {
            ctx.error(
                    Rule::InvalidName,
                    "metadata.namespace",
                    format!("`{ns}` is not a valid namespace name: lowercase letters, digits and `-`, at most 63 characters."),
                    format!("`{ns}` n'est pas un nom de namespace valide : minuscules, chiffres et `-`, 63 caractères au plus."),
                );
        }
    }
    let labels = path.field("labels");
    if let Some(node) = root.find(&labels) {
        label_map(ctx, node, &labels);
    }
    let annotations = path.field("annotations");
    if let Some(node) = root.find(&annotations) {
        let mut total = 0;
        for (k, v) in node.as_map() {
            total += k.name.len() + v.as_str().map_or(0, str::len);
            key_syntax(ctx, &k.name, &annotations.field(&k.name), "annotation");
        }
        if total > 256 * 1024 {
            ctx.error(
                Rule::AnnotationsTooLarge,
                &annotations,
                format!("Annotations total {total} bytes; the limit is 262144 (256 KiB). Move large data to a ConfigMap."),
                format!("Les annotations font {total} octets ; la limite est 262144 (256 Kio). Placez les grosses données dans un ConfigMap."),
            );
        }
    }
}

fn name(ctx: &mut Ctx<'_>, root: &Node) {
    let kind = ctx.m.kind.clone();
    let Some(name) = root.find("metadata.name").and_then(Node::as_str) else {
        if root.find("metadata.generateName").is_none() && !ctx.has_error_at("metadata") {
            ctx.error(
                Rule::MissingName,
                "metadata",
                "This object has no `metadata.name`. Give it a name, e.g. `name: my-app`.",
                "Cet objet n'a pas de `metadata.name`. Donnez-lui un nom, par exemple `name: mon-app`.",
            );
        }
        return;
    };
    let max = max_name(&kind);
    let valid = match kind.as_str() {
        // Kubernetes 1.36 relaxed Service names from DNS-1035 to DNS-1123 labels (may start
        // with a digit; still no dots).
        "Service" | "Namespace" => syntax::is_dns1123_label(name),
        _ => syntax::is_dns1123_subdomain(name),
    };
    if !valid {
        let (rule_en, rule_fr) = if kind == "Service" {
            (
                "a Service name uses lowercase letters, digits and `-` (no dots), starts and ends with a letter or digit, at most 63 characters",
                "un nom de Service s'écrit en minuscules, chiffres et `-` (sans point), commence et finit par une lettre ou un chiffre, 63 caractères au plus",
            )
        } else {
            (
                "names use lowercase letters, digits, `-` and `.`, and start and end with a letter or digit",
                "les noms s'écrivent en minuscules, chiffres, `-` et `.`, et commencent et finissent par une lettre ou un chiffre",
            )
        };
        let lower = name.to_lowercase().replace(['_', ' '], "-");
        ctx.error(
            Rule::InvalidName,
            "metadata.name",
            format!("`{name}` is not a valid {kind} name: {rule_en}. Try `{lower}`."),
            format!("`{name}` n'est pas un nom de {kind} valide : {rule_fr}. Essayez `{lower}`."),
        );
    } else if name.len() > max && kind != "Service" {
        ctx.error(
            Rule::NameTooLong,
            "metadata.name",
            format!(
                "This {kind} name has {} characters; the limit is {max}.",
                name.len()
            ),
            format!(
                "Ce nom de {kind} fait {} caractères ; la limite est {max}.",
                name.len()
            ),
        );
    }
}

/// Label or annotation key syntax.
fn key_syntax(ctx: &mut Ctx<'_>, key: &str, path: &FieldPath, what: &str) {
    if !syntax::is_qualified_name(key) {
        let quoi = if what == "label" {
            "d'étiquette (label)"
        } else {
            "d'annotation"
        };
        ctx.report_key(
            crate::Severity::Error,
            Rule::InvalidLabelKey,
            path,
            crate::Text::new(
                format!("`{key}` is not a valid {what} key: letters, digits, `-`, `_`, `.`, at most 63 characters, optionally after a `domain.example/` prefix."),
                format!("`{key}` n'est pas une clé {quoi} valide : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, éventuellement après un préfixe `domaine.exemple/`."),
            ),
        );
    }
}

/// A map of labels (or a label selector's `matchLabels`, or a Service selector).
pub(super) fn label_map(ctx: &mut Ctx<'_>, node: &Node, path: &FieldPath) {
    for (k, v) in node.as_map() {
        let p = path.field(&k.name);
        key_syntax(ctx, &k.name, &p, "label");
        if let Some(value) = v.as_str()
            && !syntax::is_label_value(value)
        {
            ctx.error(
                    Rule::InvalidLabelValue,
                    &p,
                    format!("`{value}` is not a valid label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit (no spaces, no `/` or `:`)."),
                    format!("`{value}` n'est pas une valeur d'étiquette valide : 63 lettres, chiffres, `-`, `_` ou `.` au plus, commençant et finissant par une lettre ou un chiffre (ni espace, ni `/` ou `:`)."),
                );
        }
    }
}

/// A field that must not be negative.
pub(super) fn non_negative(ctx: &mut Ctx<'_>, path: &FieldPath) {
    if let Some(v) = ctx.m.node(path).and_then(Node::as_int)
        && v < 0
    {
        ctx.error(
            Rule::NegativeValue,
            path,
            format!("This value must be 0 or more, not {v}."),
            format!("Cette valeur doit être supérieure ou égale à 0, pas {v}."),
        );
    }
}
