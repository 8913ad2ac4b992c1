//! Deployment, ReplicaSet, Job and CronJob.

use super::pod::{Owner, pod_spec};
use super::shared::{label_map, metadata, non_negative};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::cron;
use crate::yaml::{Node, NodeKind};

pub(super) fn deployment(ctx: &mut Ctx<'_>) {
    let kind = ctx.m.kind.clone();
    let spec = FieldPath::parse("spec");
    for f in [
        "replicas",
        "revisionHistoryLimit",
        "minReadySeconds",
        "progressDeadlineSeconds",
    ] {
        non_negative(ctx, &spec.field(f));
    }
    selector_matches_template(ctx, &spec, &kind);
    metadata(ctx, &spec.join("template.metadata"), false);
    pod_spec(ctx, &spec.join("template.spec"), Owner::Controller);
    let strategy_path = spec.field("strategy");
    if let Some(strategy) = ctx.m.node(&strategy_path) {
        if strategy.get("type").and_then(Node::as_str) == Some("Recreate")
            && strategy.get("rollingUpdate").is_some()
        {
            ctx.error(
                Rule::Strategy,
                "spec.strategy.rollingUpdate",
                "`rollingUpdate` may not be set when the strategy `type` is `Recreate`. Remove it, or use `type: RollingUpdate`.",
                "`rollingUpdate` ne peut pas être défini quand la stratégie est `type: Recreate`. Retirez-le, ou utilisez `type: RollingUpdate`.",
            );
        }
        for f in ["maxSurge", "maxUnavailable"] {
            let path = strategy_path.field("rollingUpdate").field(f);
            if let Some(v) = ctx.m.node(&path).and_then(Node::as_str).map(str::to_owned) {
                let ok = v
                    .strip_suffix('%')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    ctx.error(
                        Rule::InvalidPercent,
                        &path,
                        format!("`{v}` is neither a number nor a percentage: write e.g. `1` (without quotes) or `25%`."),
                        format!("`{v}` n'est ni un nombre ni un pourcentage : écrivez par exemple `1` (sans guillemets) ou `25%`."),
                    );
                }
            }
        }
        let zero =
            |n: Option<&Node>| n.is_some_and(|n| n.as_int() == Some(0) || n.as_str() == Some("0%"));
        let ru = strategy.get("rollingUpdate");
        if ru.is_some()
            && zero(ru.and_then(|r| r.get("maxSurge")))
            && zero(ru.and_then(|r| r.get("maxUnavailable")))
        {
            ctx.error(
                Rule::Strategy,
                "spec.strategy.rollingUpdate.maxUnavailable",
                "`maxSurge` and `maxUnavailable` cannot both be 0: the rollout could never progress.",
                "`maxSurge` et `maxUnavailable` ne peuvent pas valoir 0 tous les deux : le déploiement ne pourrait jamais avancer.",
            );
        }
    }
}

/// `spec.selector` is required, not empty, and must match the template's labels.
fn selector_matches_template(ctx: &mut Ctx<'_>, spec: &FieldPath, kind: &str) {
    let sel_path = spec.field("selector");
    let labels_path = spec.join("template.metadata.labels");
    let Some(selector) = ctx
        .m
        .node(&sel_path)
        .filter(|n| !matches!(n.kind, NodeKind::Null))
    else {
        if !ctx.has_error_at(&sel_path) && ctx.m.node(spec).is_some() {
            ctx.error(
                Rule::MissingSelector,
                spec,
                format!("A {kind} in apps/v1 needs `selector.matchLabels`, matching the labels of `template.metadata.labels`."),
                format!("Un {kind} en apps/v1 a besoin de `selector.matchLabels`, identique aux labels de `template.metadata.labels`."),
            );
        }
        return;
    };
    if let Some(ml) = selector.get("matchLabels") {
        label_map(ctx, ml, &sel_path.field("matchLabels"));
    }
    let match_labels = selector.get("matchLabels").map_or(&[][..], Node::as_map);
    let exprs = selector
        .get("matchExpressions")
        .map_or(&[][..], Node::as_seq);
    if match_labels.is_empty() && exprs.is_empty() {
        ctx.error(
            Rule::EmptySelector,
            &sel_path,
            "An empty selector would select every pod: give `matchLabels` the labels of the pod template.",
            "Un sélecteur vide sélectionnerait tous les pods : mettez dans `matchLabels` les labels du modèle de pod.",
        );
        return;
    }
    let Some(labels) = ctx.m.node(&labels_path) else {
        if ctx.m.node(&spec.field("template")).is_none() {
            return;
        }
        ctx.error(
            Rule::SelectorMismatch,
            &spec.field("template"),
            "The pod template has no labels, so the selector cannot match it. Add `metadata.labels` to the template, equal to `selector.matchLabels`.",
            "Le modèle de pod n'a pas de labels, donc le sélecteur ne peut pas le sélectionner. Ajoutez à `template` des `metadata.labels` identiques à `selector.matchLabels`.",
        );
        return;
    };
    if !selects(selector, labels) {
        mismatch(ctx, &sel_path, &labels_path, selector, labels);
    }
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

/// Whether a label selector (matchLabels and matchExpressions) selects these labels.
fn selects(selector: &Node, labels: &Node) -> bool {
    let label = |k: &str| labels.get(k).and_then(Node::as_str);
    let ml_ok = selector
        .get("matchLabels")
        .map_or(&[][..], Node::as_map)
        .iter()
        .all(|(k, v)| label(&k.name) == v.as_str());
    let ex_ok = selector
        .get("matchExpressions")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .all(|e| {
            let key = e.get("key").and_then(Node::as_str).unwrap_or("");
            let values: Vec<&str> = e
                .get("values")
                .map_or(&[][..], Node::as_seq)
                .iter()
                .filter_map(Node::as_str)
                .collect();
            match e.get("operator").and_then(Node::as_str) {
                Some("In") => label(key).is_some_and(|v| values.contains(&v)),
                Some("NotIn") => label(key).is_none_or(|v| !values.contains(&v)),
                Some("Exists") => label(key).is_some(),
                Some("DoesNotExist") => label(key).is_none(),
                _ => true,
            }
        });
    ml_ok && ex_ok
}

/// A Job spec at `spec` (`spec` for a Job, `spec.jobTemplate.spec` for a CronJob).
pub(super) fn job(ctx: &mut Ctx<'_>, spec: &FieldPath) {
    for f in [
        "parallelism",
        "completions",
        "backoffLimit",
        "activeDeadlineSeconds",
        "ttlSecondsAfterFinished",
    ] {
        non_negative(ctx, &spec.field(f));
    }
    let manual = ctx
        .m
        .node(&spec.field("manualSelector"))
        .is_some_and(|n| n.kind == NodeKind::Bool(true));
    if ctx.m.node(&spec.field("selector")).is_some() && !manual {
        ctx.error(
            Rule::JobSelector,
            &spec.field("selector"),
            "A Job generates its own selector: remove `selector` (or set `manualSelector: true` if you really need it).",
            "Un Job génère son propre sélecteur : retirez `selector` (ou mettez `manualSelector: true` si vous en avez vraiment besoin).",
        );
    }
    if manual && let Some(sel) = ctx.m.node(&spec.field("selector")) {
        let empty = Node {
            kind: NodeKind::Map(Vec::new()),
            span: sel.span,
            quoted: false,
        };
        let labels = ctx
            .m
            .node(&spec.join("template.metadata.labels"))
            .unwrap_or(&empty);
        if !selects(sel, labels) {
            let labels_path = spec.join("template.metadata.labels");
            mismatch(ctx, &spec.field("selector"), &labels_path, sel, labels);
        }
    }
    metadata(ctx, &spec.join("template.metadata"), false);
    if ctx.m.node(&spec.field("template")).is_none() {
        if !ctx.has_error_at(spec) {
            ctx.error(Rule::MissingField, spec, "A Job needs a pod `template` (with `spec.containers` and `restartPolicy`).", "Un Job a besoin d'un modèle de pod `template` (avec `spec.containers` et `restartPolicy`).");
        }
        return;
    }
    pod_spec(ctx, &spec.join("template.spec"), Owner::Job);
}

pub(super) fn cron_job(ctx: &mut Ctx<'_>) {
    let spec = FieldPath::parse("spec");
    for f in [
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
        "startingDeadlineSeconds",
    ] {
        non_negative(ctx, &spec.field(f));
    }
    let schedule = spec.field("schedule");
    if let Some(text) = ctx.m.node(&schedule).and_then(Node::as_str) {
        cron::check_schedule(ctx, text, &schedule);
    }
    let time_zone = spec.field("timeZone");
    if let Some(tz) = ctx.m.node(&time_zone).and_then(Node::as_str) {
        cron::check_time_zone(ctx, tz, &time_zone);
    }
    metadata(ctx, &spec.join("jobTemplate.metadata"), false);
    let job_spec = spec.join("jobTemplate.spec");
    if ctx.m.node(&job_spec).is_some() {
        job(ctx, &job_spec);
    }
}
