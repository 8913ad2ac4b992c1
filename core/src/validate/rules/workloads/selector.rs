//! Label selectors of Deployments, ReplicaSets and Jobs: their form (the shared
//! `label_selector`) and what they select.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::{Node, NodeKind};

pub(super) use super::super::shared::label_selector;

/// Whether the selector has no requirement at all (`{}`, or empty `matchLabels` and
/// `matchExpressions`).
pub(super) fn is_empty(selector: &Node) -> bool {
    selector
        .get("matchLabels")
        .map_or(&[][..], Node::as_map)
        .is_empty()
        && selector
            .get("matchExpressions")
            .map_or(&[][..], Node::as_seq)
            .is_empty()
}

/// Whether a label selector (`matchLabels` and `matchExpressions`) selects the labels `label`
/// gives for each key.
pub(super) fn selects<'a>(selector: &Node, label: impl Fn(&str) -> Option<&'a str>) -> bool {
    let ml_ok = selector
        .get("matchLabels")
        .map_or(&[][..], Node::as_map)
        .iter()
        .all(|(k, v)| match &v.kind {
            // `~` is the empty value, which a label must have (and be there).
            NodeKind::Null => label(&k.name) == Some(""),
            _ => v.as_str().is_none() || label(&k.name) == v.as_str(),
        });
    let ex_ok = selector
        .get("matchExpressions")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .all(|e| {
            let key = e.get("key").and_then(Node::as_str).unwrap_or("");
            let mut values = e
                .get("values")
                .map_or(&[][..], Node::as_seq)
                .iter()
                .filter_map(Node::as_str);
            match e.get("operator").and_then(Node::as_str) {
                Some("In") => label(key).is_some_and(|v| values.any(|x| x == v)),
                Some("NotIn") => label(key).is_none_or(|v| !values.any(|x| x == v)),
                Some("Exists") => label(key).is_some(),
                Some("DoesNotExist") => label(key).is_none(),
                _ => true,
            }
        });
    ml_ok && ex_ok
}

/// The labels of a `labels:` mapping, as a lookup for [`selects`].
pub(super) fn labels_of<'a>(labels: Option<&'a Node>) -> impl Fn(&str) -> Option<&'a str> {
    move |k: &str| labels.and_then(|l| l.get(k)).and_then(Node::as_str)
}

/// A selector that does not select its template's labels: the error where the API server points
/// (the template's labels, or the one label that differs), and a note at the selector.
fn mismatch(
    ctx: &mut Ctx<'_>,
    sel_path: &FieldPath,
    labels_path: &FieldPath,
    selector: &Node,
    labels: &Node,
) {
    let pairs = |n: &Node| -> String {
        n.as_map()
            .iter()
            .map(|(k, v)| format!("{}: {}", k.name, v.as_str().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let have = pairs(labels);
    let kind = &ctx.m.kind;
    let differing = selector
        .get("matchLabels")
        .map_or(&[][..], Node::as_map)
        .iter()
        .find(|(k, v)| labels.get(&k.name).and_then(Node::as_str) != v.as_str());
    let (at, en, fr) = match differing {
        Some((k, v)) => {
            let (key, want) = (&k.name, v.as_str().unwrap_or("?"));
            match labels.get(key) {
                Some(got) => {
                    let got = got.as_str().unwrap_or("?");
                    (
                        labels_path.field(key),
                        format!(
                            "The template's label `{key}: {got}` differs from the selector's `{key}: {want}`: the {kind} would not own its pods. Make them equal (here or in `selector.matchLabels`)."
                        ),
                        format!(
                            "Le label du modèle `{key}: {got}` diffère de celui du sélecteur `{key}: {want}` : le {kind} ne posséderait pas ses pods. Rendez-les identiques (ici ou dans `selector.matchLabels`)."
                        ),
                    )
                }
                None => (
                    labels_path.clone(),
                    format!(
                        "The selector asks for `{key}: {want}` but the template's labels {{{have}}} lack it: the {kind} would not own its pods. Add `{key}: {want}` here."
                    ),
                    format!(
                        "Le sélecteur demande `{key}: {want}` mais les labels du modèle {{{have}}} ne l'ont pas : le {kind} ne posséderait pas ses pods. Ajoutez `{key}: {want}` ici."
                    ),
                ),
            }
        }
        None => (
            labels_path.clone(),
            format!(
                "`selector` does not match the template's labels {{{have}}}: the {kind} would not own its pods. Make the selector and `template.metadata.labels` agree."
            ),
            format!(
                "`selector` ne correspond pas aux labels du modèle {{{have}}} : le {kind} ne posséderait pas ses pods. Accordez le sélecteur et `template.metadata.labels`."
            ),
        ),
    };
    ctx.error(Rule::SelectorMismatch, &at, en, fr);
    ctx.info(
        Rule::SelectorMismatch,
        sel_path,
        format!("This selector must match the pod template's labels {{{have}}} (see the error at `template.metadata.labels`)."),
        format!("Ce sélecteur doit correspondre aux labels du modèle de pod {{{have}}} (voir l'erreur sur `template.metadata.labels`)."),
    );
}

/// The template's labels must be selected by the selector: the error where the API server
/// points (the template's labels), a note at the selector.
pub(super) fn template_matches(ctx: &mut Ctx<'_>, selector: &Node, spec: &FieldPath) {
    let labels_path = spec.join("template.metadata.labels");
    let labels = ctx.m.node(&labels_path);
    if selects(selector, labels_of(labels)) {
        return;
    }
    match labels {
        Some(labels) => mismatch(ctx, &spec.field("selector"), &labels_path, selector, labels),
        None => ctx.error(
            Rule::SelectorMismatch,
            &spec.field("template"),
            "The pod template has no labels, so the selector cannot match it. Add `metadata.labels` to the template, equal to `selector.matchLabels`.",
            "Le modèle de pod n'a pas de labels, donc le sélecteur ne peut pas le sélectionner. Ajoutez à `template` des `metadata.labels` identiques à `selector.matchLabels`.",
        ),
    }
}
