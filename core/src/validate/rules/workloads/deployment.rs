//! Deployments and ReplicaSets: the spec's numbers, the selector and its pod template, and a
//! Deployment's rollout strategy.

use super::super::pod::{Owner, pod_spec};
use super::super::shared::{metadata, non_negative};
use super::selector::{is_empty, label_selector, template_matches};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::{Node, NodeKind};

/// What the API server puts in `progressDeadlineSeconds` when it is left out.
const DEFAULT_PROGRESS_DEADLINE: i64 = 600;

/// A Deployment or a ReplicaSet.
pub(in super::super) fn deployment(ctx: &mut Ctx<'_>) {
    let kind = ctx.m.kind.clone();
    let spec = FieldPath::parse("spec");
    for f in ["replicas", "minReadySeconds"] {
        non_negative(ctx, &spec.field(f));
    }
    controller_template(ctx, &spec, &kind);
    if kind == "Deployment" {
        for f in ["revisionHistoryLimit", "progressDeadlineSeconds"] {
            non_negative(ctx, &spec.field(f));
        }
        progress_deadline(ctx, &spec);
        strategy(ctx, &spec.field("strategy"));
    }
}

fn is_set(n: Option<&Node>) -> Option<&Node> {
    n.filter(|n| !matches!(n.kind, NodeKind::Null))
}

/// The selector (required, not empty, selecting the template's labels) and the pod template of
/// a Deployment or ReplicaSet, whose pods run until replaced.
fn controller_template(ctx: &mut Ctx<'_>, spec: &FieldPath, kind: &str) {
    let Some(spec_node) = ctx.m.node(spec) else {
        return;
    };
    let sel_path = spec.field("selector");
    let template = spec.field("template");
    let has_template = is_set(spec_node.get("template")).is_some();
    if !has_template && !ctx.has_error_at(&template) {
        ctx.error(
            Rule::MissingField,
            spec,
            format!("A {kind} needs a pod `template:` (with `metadata.labels` matching `selector` and `spec.containers`)."),
            format!("Un {kind} a besoin d'un modèle de pod `template:` (avec des `metadata.labels` correspondant au `selector` et des `spec.containers`)."),
        );
    }
    match is_set(spec_node.get("selector")) {
        None if !ctx.has_error_at(&sel_path) => ctx.error(
            Rule::MissingSelector,
            spec,
            format!("A {kind} in apps/v1 needs `selector.matchLabels`, matching the labels of `template.metadata.labels`."),
            format!("Un {kind} en apps/v1 a besoin de `selector.matchLabels`, identique aux labels de `template.metadata.labels`."),
        ),
        None => {}
        Some(selector) => {
            let usable = label_selector(ctx, selector, &sel_path);
            if is_empty(selector) {
                ctx.error(
                    Rule::EmptySelector,
                    &sel_path,
                    "An empty selector would select every pod: give `matchLabels` the labels of the pod template.",
                    "Un sélecteur vide sélectionnerait tous les pods : mettez dans `matchLabels` les labels du modèle de pod.",
                );
            } else if usable && has_template {
                template_matches(ctx, selector, spec);
            }
        }
    }
    metadata(ctx, &template.field("metadata"), false);
    pod_spec(ctx, &template.field("spec"), Owner::Controller);
    let deadline = template.join("spec.activeDeadlineSeconds");
    if is_set(ctx.m.node(&deadline)).is_some() {
        ctx.report_key(
            crate::Severity::Error,
            Rule::TemplateActiveDeadline,
            &deadline,
            crate::Text::new(
                format!("A {kind} keeps its pods running: `activeDeadlineSeconds` is not allowed in its pod template. Remove it (to stop a task after a delay, use a Job)."),
                format!("Un {kind} garde ses pods en marche : `activeDeadlineSeconds` n'est pas permis dans son modèle de pod. Retirez-le (pour arrêter une tâche après un délai, utilisez un Job)."),
            ),
        );
    }
}

/// `progressDeadlineSeconds` (600 when left out) must exceed `minReadySeconds`.
fn progress_deadline(ctx: &mut Ctx<'_>, spec: &FieldPath) {
    let deadline_path = spec.field("progressDeadlineSeconds");
    let min_path = spec.field("minReadySeconds");
    let min_ready = ctx.m.node(&min_path).and_then(Node::as_int).unwrap_or(0);
    let deadline = is_set(ctx.m.node(&deadline_path)).map(Node::as_int);
    match deadline {
        Some(Some(d)) if d <= min_ready => ctx.error(
            Rule::ProgressDeadline,
            &deadline_path,
            format!("`progressDeadlineSeconds` ({d}) must be greater than `minReadySeconds` ({min_ready}): raise it, or lower `minReadySeconds`."),
            format!("`progressDeadlineSeconds` ({d}) doit être supérieur à `minReadySeconds` ({min_ready}) : augmentez-le, ou diminuez `minReadySeconds`."),
        ),
        None if DEFAULT_PROGRESS_DEADLINE <= min_ready => ctx.error(
            Rule::ProgressDeadline,
            &min_path,
            format!("`minReadySeconds` ({min_ready}) must be below `progressDeadlineSeconds`, which is {DEFAULT_PROGRESS_DEADLINE} when left out: lower it, or set a larger `progressDeadlineSeconds`."),
            format!("`minReadySeconds` ({min_ready}) doit être inférieur à `progressDeadlineSeconds`, qui vaut {DEFAULT_PROGRESS_DEADLINE} quand il est omis : diminuez-le, ou donnez un `progressDeadlineSeconds` plus grand."),
        ),
        _ => {}
    }
}

/// An int-or-percent value as the API server reads it: `Some(Ok(n))` for a whole number,
/// `Some(Err(p))` for a percentage `p%`, `None` for a string that is neither.
fn int_or_percent(n: &Node) -> Option<Result<i64, i64>> {
    if let Some(i) = n.as_int() {
        return Some(Ok(i));
    }
    let digits = n.as_str()?.strip_suffix('%')?;
    // Too many digits reads as the largest number, as Go's `strconv.Atoi` does.
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Err(digits.parse().unwrap_or(i64::MAX)))
}

fn strategy(ctx: &mut Ctx<'_>, path: &FieldPath) {
    let Some(strategy) = ctx.m.node(path) else {
        return;
    };
    let rolling = is_set(strategy.get("rollingUpdate"));
    match strategy.get("type").and_then(Node::as_str) {
        Some("Recreate") if rolling.is_some() => ctx.error(
            Rule::Strategy,
            &path.field("rollingUpdate"),
            "`rollingUpdate` may not be set when the strategy `type` is `Recreate`. Remove it, or use `type: RollingUpdate`.",
            "`rollingUpdate` ne peut pas être défini quand la stratégie est `type: Recreate`. Retirez-le, ou utilisez `type: RollingUpdate`.",
        ),
        None | Some("" | "RollingUpdate") => {
            if let Some(rolling) = rolling {
                rolling_update(ctx, rolling, &path.field("rollingUpdate"));
            }
        }
        _ => {}
    }
}

/// `maxSurge` and `maxUnavailable`: each a number ≥ 0 or a percentage (25 % when left out),
/// `maxUnavailable` at most 100 %, and not both zero.
fn rolling_update(ctx: &mut Ctx<'_>, rolling: &Node, path: &FieldPath) {
    let mut zero = [false, false];
    for (i, f) in ["maxSurge", "maxUnavailable"].into_iter().enumerate() {
        let p = path.field(f);
        let Some(v) = is_set(rolling.get(f)) else {
            continue; // 25 %
        };
        match int_or_percent(v) {
            Some(Ok(n)) if n < 0 => ctx.error(
                Rule::NegativeValue,
                &p,
                format!("`{f}` must be 0 or more, not {n}."),
                format!("`{f}` doit être supérieur ou égal à 0, pas {n}."),
            ),
            Some(Err(pc)) if pc > 100 && f == "maxUnavailable" => ctx.error(
                Rule::InvalidPercent,
                &p,
                format!("`maxUnavailable` cannot exceed 100% (it is {pc}%): write e.g. `25%`."),
                format!("`maxUnavailable` ne peut pas dépasser 100 % (il vaut {pc} %) : écrivez par exemple `25%`."),
            ),
            Some(n) => zero[i] = matches!(n, Ok(0) | Err(0)),
            // Neither a number nor a string: the schema reports its type.
            None if v.as_str().is_none() => {}
            None => {
                let text = v.as_str().unwrap_or_default();
                zero[i] = text.parse::<i64>().unwrap_or(0) == 0;
                ctx.error(
                    Rule::InvalidPercent,
                    &p,
                    format!("`{text}` is neither a number nor a percentage: write e.g. `1` (without quotes) or `25%`."),
                    format!("`{text}` n'est ni un nombre ni un pourcentage : écrivez par exemple `1` (sans guillemets) ou `25%`."),
                );
            }
        }
    }
    if zero == [true, true] {
        ctx.error(
            Rule::Strategy,
            &path.field("maxUnavailable"),
            "`maxSurge` and `maxUnavailable` cannot both be 0: the rollout could never progress. Set one of them to at least 1.",
            "`maxSurge` et `maxUnavailable` ne peuvent pas valoir 0 tous les deux : le déploiement ne pourrait jamais avancer. Mettez l'un des deux à 1 au moins.",
        );
    }
}
