//! Rules shared by the kinds: an object's (or a pod template's) metadata, labels and
//! annotations, label selectors, and fields that must not be negative.

mod meta;
#[cfg(test)]
pub(super) mod tests;

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::Node;

/// The API server's limit on the total size of an object's annotations (keys and values).
const MAX_ANNOTATIONS: usize = 256 * 1024;

/// `metadata` of an object (`top`) or of a pod template: the object's own metadata is checked
/// as on a create (name, namespace, finalizers, owners, fields the API server writes), a
/// template's only for its labels and annotations, as the API server does.
pub(super) fn metadata(ctx: &mut Ctx<'_>, path: &FieldPath, top: bool) {
    if top {
        meta::object_meta(ctx, path);
    }
    let root = ctx.m.root();
    let labels = path.field("labels");
    if let Some(node) = root.find(&labels) {
        label_map(ctx, node, &labels);
    }
    let annotations = path.field("annotations");
    if let Some(node) = root.find(&annotations) {
        annotation_map(ctx, node, &annotations);
    }
}

/// Annotation keys (their case does not matter) and the total size.
fn annotation_map(ctx: &mut Ctx<'_>, node: &Node, path: &FieldPath) {
    let mut total = 0;
    for (k, v) in node.as_map() {
        total += k.name.len() + v.as_str().map_or(0, str::len);
        if !syntax::is_qualified_name(&k.name.to_ascii_lowercase()) {
            key_error(ctx, &k.name, &path.field(&k.name), "annotation");
        }
    }
    if total > MAX_ANNOTATIONS {
        ctx.error(
            Rule::AnnotationsTooLarge,
            path,
            format!("Annotations total {total} bytes; the limit is 262144 (256 KiB). Move large data to a ConfigMap."),
            format!("Les annotations font {total} octets ; la limite est 262144 (256 Kio). Placez les grosses données dans un ConfigMap."),
        );
    }
}

/// A label or annotation key that is not a qualified name, reported at the key.
fn key_error(ctx: &mut Ctx<'_>, key: &str, path: &FieldPath, what: &str) {
    let quoi = if what == "label" {
        "d'étiquette (label)"
    } else {
        "d'annotation"
    };
    let (en, fr) = match key.split_once('/') {
        Some((prefix, _)) if !syntax::is_dns1123_subdomain(prefix) => (
            format!(
                "`{key}` is not a valid {what} key: the prefix before `/` must be a lowercase DNS name such as `example.com`."
            ),
            format!(
                "`{key}` n'est pas une clé {quoi} valide : le préfixe avant `/` doit être un nom DNS en minuscules comme `example.com`."
            ),
        ),
        _ => (
            format!(
                "`{key}` is not a valid {what} key: letters, digits, `-`, `_`, `.`, at most 63 characters, starting and ending with a letter or digit, optionally after a `domain.example/` prefix."
            ),
            format!(
                "`{key}` n'est pas une clé {quoi} valide : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, commençant et finissant par une lettre ou un chiffre, éventuellement après un préfixe `domaine.exemple/`."
            ),
        ),
    };
    ctx.report_key(
        crate::Severity::Error,
        Rule::InvalidLabelKey,
        path,
        crate::Text::new(en, fr),
    );
}

/// A map of labels (or a label selector's `matchLabels`, or a Service selector).
pub(super) fn label_map(ctx: &mut Ctx<'_>, node: &Node, path: &FieldPath) {
    for (k, v) in node.as_map() {
        let p = path.field(&k.name);
        if !syntax::is_qualified_name(&k.name) {
            key_error(ctx, &k.name, &p, "label");
        }
        if let Some(value) = v.as_str() {
            label_value(ctx, value, &p);
        }
    }
}

fn label_value(ctx: &mut Ctx<'_>, value: &str, path: &FieldPath) {
    if !syntax::is_label_value(value) {
        ctx.error(
            Rule::InvalidLabelValue,
            path,
            format!("`{value}` is not a valid label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit (no spaces, no `/` or `:`)."),
            format!("`{value}` n'est pas une valeur d'étiquette valide : 63 lettres, chiffres, `-`, `_` ou `.` au plus, commençant et finissant par une lettre ou un chiffre (ni espace, ni `/` ou `:`)."),
        );
    }
}

/// A label selector (`matchLabels` and `matchExpressions`), as the API server checks its form.
/// Whether it matches anything is the caller's business; the answer says whether its
/// requirements are well formed enough to ask (no error in them, every operator known).
pub(super) fn label_selector(ctx: &mut Ctx<'_>, node: &Node, path: &FieldPath) -> bool {
    if let Some(ml) = node.get("matchLabels") {
        label_map(ctx, ml, &path.field("matchLabels"));
    }
    let exprs = node.get("matchExpressions").map_or(&[][..], Node::as_seq);
    let mut usable = true;
    for (i, e) in exprs.iter().enumerate() {
        let p = path.field("matchExpressions").index(i);
        requirement(ctx, e, &p);
        let known = matches!(
            e.get("operator").and_then(Node::as_str),
            Some("In" | "NotIn" | "Exists" | "DoesNotExist")
        );
        usable &= known && !ctx.has_error_at(&p);
    }
    usable
}

/// One `matchExpressions` item: a known operator, values exactly when it needs them.
fn requirement(ctx: &mut Ctx<'_>, e: &Node, p: &FieldPath) {
    if let Some(key) = e.get("key").and_then(Node::as_str)
        && !syntax::is_qualified_name(key)
    {
        ctx.error(
            Rule::InvalidLabelKey,
            &p.field("key"),
            format!("`{key}` is not a valid label key: letters, digits, `-`, `_`, `.`, at most 63 characters, optionally after a `domain.example/` prefix."),
            format!("`{key}` n'est pas une clé d'étiquette (label) valide : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, éventuellement après un préfixe `domaine.exemple/`."),
        );
    }
    let values = e.get("values").map_or(&[][..], Node::as_seq);
    for (j, v) in values.iter().enumerate() {
        if let Some(v) = v.as_str() {
            label_value(ctx, v, &p.field("values").index(j));
        }
    }
    let Some(op) = e.get("operator").and_then(Node::as_str) else {
        return;
    };
    match op {
        "In" | "NotIn" if values.is_empty() => ctx.error(
            Rule::InvalidSelector,
            &p.field("operator"),
            format!("With `operator: {op}`, give the label values to compare with: `values: [a, b]`."),
            format!("Avec `operator: {op}`, donnez les valeurs d'étiquette à comparer : `values: [a, b]`."),
        ),
        "Exists" | "DoesNotExist" if !values.is_empty() => ctx.error(
            Rule::InvalidSelector,
            &p.field("values"),
            format!("With `operator: {op}`, `values` must be left out: the operator only looks at the key."),
            format!("Avec `operator: {op}`, retirez `values` : l'opérateur ne regarde que la clé."),
        ),
        "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
        _ if ctx.has_error_at(&p.field("operator")) => {} // the schema said it
        _ => ctx.error(
            Rule::InvalidSelector,
            &p.field("operator"),
            format!("`{op}` is not a selector operator: use `In`, `NotIn`, `Exists` or `DoesNotExist` (this exact case)."),
            format!("`{op}` n'est pas un opérateur de sélecteur : utilisez `In`, `NotIn`, `Exists` ou `DoesNotExist` (avec cette casse)."),
        ),
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
