//! Jobs, and the Job spec of a CronJob's `jobTemplate`: counts and limits, the indexed mode,
//! the selector the API server generates, the pod template; the failure and success policies
//! are in [`policy`].

mod policy;

use super::super::pod::{Owner, pod_spec};
use super::super::shared::{metadata, non_negative};
use super::selector::{label_selector, selects, template_matches};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

/// Where a Job spec is: a Job's `spec`, or a CronJob's `spec.jobTemplate.spec` (which the API
/// server does not default: no `completions` or `parallelism` filled in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Job,
    CronJob,
}

/// The labels the API server puts on a Job's pods and selects them by (their values: the Job's
/// name, or its uid, unknown before it is created).
const NAME_LABELS: [&str; 2] = ["job-name", "batch.kubernetes.io/job-name"];
const UID_LABELS: [&str; 2] = ["controller-uid", "batch.kubernetes.io/controller-uid"];

/// Upper bounds of the indexed mode.
const MAX_INDEXED_PARALLELISM: i64 = 100_000;
const MAX_FAILED_INDEXES: i64 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i64 = 100_000;
const HIGH_COMPLETIONS_LIMIT: i64 = 10_000;

fn set<'a>(spec: &'a Node, f: &str) -> Option<&'a Node> {
    spec.get(f).filter(|n| !matches!(n.kind, NodeKind::Null))
}

fn int(spec: &Node, f: &str) -> Option<i64> {
    set(spec, f).and_then(Node::as_int)
}

/// A Job (at `spec`).
pub(in super::super) fn job(ctx: &mut Ctx<'_>, spec: &FieldPath) {
    let Some(node) = ctx.m.node(spec) else { return };
    job_spec(ctx, node, spec, Place::Job);
    generated_selector(ctx, node, spec);
    indexed_hostnames(ctx, node);
}

/// The rules a Job spec follows wherever it is.
pub(super) fn job_spec(ctx: &mut Ctx<'_>, node: &Node, spec: &FieldPath, place: Place) {
    for f in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ] {
        non_negative(ctx, &spec.field(f));
    }
    if set(node, "maxFailedIndexes").is_some() && set(node, "backoffLimitPerIndex").is_none() {
        ctx.report_key(
            crate::Severity::Error,
            Rule::IndexedOnly,
            &spec.field("maxFailedIndexes"),
            crate::Text::new(
                "`maxFailedIndexes` needs `backoffLimitPerIndex` (the retries allowed for each index): add it, or remove `maxFailedIndexes`.",
                "`maxFailedIndexes` a besoin de `backoffLimitPerIndex` (les nouvelles tentatives permises par index) : ajoutez-le, ou retirez `maxFailedIndexes`.",
            ),
        );
    }
    managed_by(ctx, node, spec);
    let indexed = set(node, "completionMode").and_then(Node::as_str) == Some("Indexed");
    if indexed {
        indexed_limits(ctx, node, spec, place);
    } else {
        for f in ["backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"] {
            if set(node, f).is_some() {
                ctx.report_key(
                    crate::Severity::Error,
                    Rule::IndexedOnly,
                    &spec.field(f),
                    crate::Text::new(
                        format!("`{f}` works only for an indexed Job: add `completionMode: Indexed` (with `completions`), or remove `{f}`."),
                        format!("`{f}` ne vaut que pour un Job indexé : ajoutez `completionMode: Indexed` (avec `completions`), ou retirez `{f}`."),
                    ),
                );
            }
        }
    }
    policy::pod_failure_policy(ctx, node, spec);
    if indexed {
        policy::success_policy(ctx, node, spec);
    }
    policy::pod_replacement_policy(ctx, node, spec);
    let template = spec.field("template");
    metadata(ctx, &template.field("metadata"), false);
    if set(node, "template").is_none() {
        if !ctx.has_error_at(&template) && !ctx.has_error_at(spec) {
            ctx.error(
                Rule::MissingField,
                spec,
                "A Job needs a pod `template` (with `spec.containers` and `restartPolicy`).",
                "Un Job a besoin d'un modèle de pod `template` (avec `spec.containers` et `restartPolicy`).",
            );
        }
        return;
    }
    pod_spec(ctx, &template.field("spec"), Owner::Job);
    let restart = template.join("spec.restartPolicy");
    if set(node, "podFailurePolicy").is_some()
        && ctx.m.node(&restart).and_then(Node::as_str) == Some("OnFailure")
    {
        ctx.error(
            Rule::PodFailurePolicy,
            &restart,
            "With a `podFailurePolicy`, the pods must not restart in place: use `restartPolicy: Never`.",
            "Avec une `podFailurePolicy`, les pods ne doivent pas redémarrer sur place : utilisez `restartPolicy: Never`.",
        );
    }
    if place == Place::CronJob {
        cron_job_selector(ctx, node, spec);
    }
}

/// `managedBy`: a domain-prefixed path (`example.com/my-controller`), at most 63 characters.
fn managed_by(ctx: &mut Ctx<'_>, node: &Node, spec: &FieldPath) {
    let Some(value) = set(node, "managedBy").and_then(Node::as_str) else {
        return;
    };
    let ok = value.len() <= 63
        && value.split_once('/').is_some_and(|(domain, path)| {
            syntax::is_dns1123_subdomain(domain)
                && !path.is_empty()
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b))
        });
    if !ok {
        ctx.error(
            Rule::InvalidValue,
            &spec.field("managedBy"),
            format!("`{value}` is not a controller name: write a domain and a path, e.g. `kubernetes.io/job-controller` (at most 63 characters), or remove `managedBy`."),
            format!("`{value}` n'est pas un nom de contrôleur : écrivez un domaine et un chemin, par exemple `kubernetes.io/job-controller` (63 caractères au plus), ou retirez `managedBy`."),
        );
    }
}

/// An indexed Job needs `completions`, and keeps its counts within the API server's bounds.
fn indexed_limits(ctx: &mut Ctx<'_>, node: &Node, spec: &FieldPath, place: Place) {
    let completions = int(node, "completions");
    let parallelism = int(node, "parallelism");
    let max_failed = int(node, "maxFailedIndexes");
    // A Job with neither `completions` nor `parallelism` gets 1 of each.
    let defaulted = place == Place::Job && set(node, "parallelism").is_none();
    if set(node, "completions").is_none() && !defaulted {
        ctx.report_key(
            crate::Severity::Error,
            Rule::IndexedOnly,
            &spec.field("completionMode"),
            crate::Text::new(
                "An indexed Job needs `completions` (the number of indexes): add e.g. `completions: 5`.",
                "Un Job indexé a besoin de `completions` (le nombre d'index) : ajoutez par exemple `completions: 5`.",
            ),
        );
    }
    let too_big = |ctx: &mut Ctx<'_>, f: &str, max: i64, why_en: &str, why_fr: &str| {
        ctx.error(
            Rule::OutOfRange,
            &spec.field(f),
            format!("`{f}` must be at most {max} {why_en}."),
            format!("`{f}` doit valoir au plus {max} {why_fr}."),
        );
    };
    if parallelism.is_some_and(|p| p > MAX_INDEXED_PARALLELISM) {
        too_big(
            ctx,
            "parallelism",
            MAX_INDEXED_PARALLELISM,
            "for an indexed Job",
            "pour un Job indexé",
        );
    }
    if let (Some(c), Some(m)) = (completions, max_failed)
        && m > c
    {
        too_big(
            ctx,
            "maxFailedIndexes",
            c,
            "(the number of `completions`)",
            "(le nombre de `completions`)",
        );
    }
    if max_failed.is_some_and(|m| m > MAX_FAILED_INDEXES) {
        too_big(ctx, "maxFailedIndexes", MAX_FAILED_INDEXES, "", "");
    }
    if completions.is_some_and(|c| c > COMPLETIONS_SOFT_LIMIT)
        && set(node, "backoffLimitPerIndex").is_some()
    {
        let (en, fr) = (
            "when `completions` is above 100000 with `backoffLimitPerIndex`",
            "quand `completions` dépasse 100000 avec `backoffLimitPerIndex`",
        );
        if max_failed.is_none() {
            ctx.error(
                Rule::IndexedOnly,
                &spec.field("completions"),
                format!("Set `maxFailedIndexes` {en}."),
                format!("Donnez `maxFailedIndexes` {fr}."),
            );
        }
        if parallelism.is_some_and(|p| p > HIGH_COMPLETIONS_LIMIT) {
            too_big(ctx, "parallelism", HIGH_COMPLETIONS_LIMIT, en, fr);
        }
        if max_failed.is_some_and(|m| m > HIGH_COMPLETIONS_LIMIT) {
            too_big(ctx, "maxFailedIndexes", HIGH_COMPLETIONS_LIMIT, en, fr);
        }
    }
}

/// Each pod of an indexed Job is named `NAME-INDEX`, which must be a DNS label (63 characters,
/// no dots).
fn indexed_hostnames(ctx: &mut Ctx<'_>, node: &Node) {
    let indexed = set(node, "completionMode").and_then(Node::as_str) == Some("Indexed");
    let Some(c) = int(node, "completions").filter(|c| *c > 0 && indexed) else {
        return;
    };
    let Some(name) = ctx.m.node("metadata.name").and_then(Node::as_str) else {
        return;
    };
    let host = format!("{name}-{}", c - 1);
    if !syntax::is_dns1123_label(&host) && syntax::is_dns1123_subdomain(name) {
        ctx.error(
            Rule::InvalidName,
            "metadata.name",
            format!("The pods of this indexed Job would be named like `{host}`, which is not a valid host name (at most 63 characters, no dots): shorten the name or remove its dots."),
            format!("Les pods de ce Job indexé s'appelleraient par exemple `{host}`, qui n'est pas un nom d'hôte valide (63 caractères au plus, sans point) : raccourcissez le nom ou retirez ses points."),
        );
    }
}

/// A Job's selector: generated by the API server unless `manualSelector: true`, in which case
/// it is required and must select the template's labels.
fn generated_selector(ctx: &mut Ctx<'_>, node: &Node, spec: &FieldPath) {
    let manual = set(node, "manualSelector").is_some_and(|n| n.kind == NodeKind::Bool(true));
    let sel_path = spec.field("selector");
    let labels_path = spec.join("template.metadata.labels");
    let labels = ctx.m.node(&labels_path);
    let selector = set(node, "selector");
    if manual {
        let Some(selector) = selector else {
            ctx.error(
                Rule::JobSelector,
                &spec.field("manualSelector"),
                "With `manualSelector: true` you must write the `selector` yourself: add `selector.matchLabels` equal to the template's labels, or remove `manualSelector`.",
                "Avec `manualSelector: true`, vous devez écrire le `selector` vous-même : ajoutez un `selector.matchLabels` identique aux labels du modèle, ou retirez `manualSelector`.",
            );
            return;
        };
        if label_selector(ctx, selector, &sel_path) {
            template_matches(ctx, selector, spec);
        }
        return;
    }
    let name = ctx
        .m
        .node("metadata.name")
        .and_then(Node::as_str)
        .unwrap_or("");
    // The template's own labels under the names the API server sets must carry its values.
    for key in NAME_LABELS.iter().chain(&UID_LABELS) {
        let Some(value) = labels.and_then(|l| l.get(key)).and_then(Node::as_str) else {
            continue;
        };
        if UID_LABELS.contains(key) || value != name {
            ctx.report_key(
                crate::Severity::Error,
                Rule::JobSelector,
                &labels_path.field(key),
                crate::Text::new(
                    format!("The label `{key}` is set by the API server on a Job's pods: remove it from the template."),
                    format!("Le label `{key}` est posé par le serveur d'API sur les pods d'un Job : retirez-le du modèle."),
                ),
            );
        }
    }
    let Some(selector) = selector else { return };
    let mentions_uid = |n: &Node| {
        UID_LABELS.iter().any(|k| {
            n.get("matchLabels").and_then(|m| m.get(k)).is_some()
                || n.get("matchExpressions")
                    .map_or(&[][..], Node::as_seq)
                    .iter()
                    .any(|e| e.get("key").and_then(Node::as_str) == Some(k))
        })
    };
    // The generated labels, but for the uid, which no manifest can know.
    let generated = |k: &str| NAME_LABELS.contains(&k).then_some(name);
    if !mentions_uid(selector) && !selects(selector, generated) {
        ctx.error(
            Rule::JobSelector,
            &sel_path,
            "A Job generates its own selector: remove `selector` (or set `manualSelector: true` if you really need it).",
            "Un Job génère son propre sélecteur : retirez `selector` (ou mettez `manualSelector: true` si vous en avez vraiment besoin).",
        );
    }
}

/// In a CronJob's `jobTemplate`, the selector is always generated.
fn cron_job_selector(ctx: &mut Ctx<'_>, node: &Node, spec: &FieldPath) {
    if set(node, "selector").is_some() {
        ctx.error(
            Rule::JobSelector,
            &spec.field("selector"),
            "The Jobs of a CronJob get a generated selector: remove `selector`.",
            "Les Jobs d'un CronJob reçoivent un sélecteur généré : retirez `selector`.",
        );
    }
    if set(node, "manualSelector").is_some_and(|n| n.kind == NodeKind::Bool(true)) {
        ctx.error(
            Rule::JobSelector,
            &spec.field("manualSelector"),
            "`manualSelector: true` is not allowed in a CronJob's `jobTemplate`: remove it.",
            "`manualSelector: true` n'est pas permis dans le `jobTemplate` d'un CronJob : retirez-le.",
        );
    }
}
