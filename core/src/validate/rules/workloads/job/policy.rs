//! A Job's `podFailurePolicy`, `successPolicy` and `podReplacementPolicy`.

use super::{int, set};
use crate::Severity;
use crate::diagnostic::Text;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::Node;

const ACTIONS: [&str; 4] = ["Count", "FailIndex", "FailJob", "Ignore"];
const MAX_RULES: usize = 20;
const MAX_EXIT_CODES: usize = 255;
const MAX_CONDITIONS: usize = 20;
const MAX_SUCCEEDED_INDEXES_LEN: usize = 64 * 1024;

fn too_many(ctx: &mut Ctx<'_>, path: &FieldPath, n: usize, max: usize) {
    ctx.error(
        Rule::OutOfRange,
        path,
        format!("This list has {n} items; the limit is {max}: remove some."),
        format!("Cette liste a {n} éléments ; la limite est {max} : retirez-en."),
    );
}

fn one_of(ctx: &mut Ctx<'_>, rule: Rule, path: &FieldPath, value: &str, allowed: &[&str]) {
    let list = allowed
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let (hint_en, hint_fr) = match allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        Some(a) => (
            format!(" Did you mean `{a}`? (case matters)"),
            format!(" Vouliez-vous dire `{a}` ? (la casse compte)"),
        ),
        None => (String::new(), String::new()),
    };
    ctx.error(
        rule,
        path,
        format!("`{value}` is not accepted here. Use one of: {list}.{hint_en}"),
        format!("`{value}` n'est pas accepté ici. Utilisez l'une de : {list}.{hint_fr}"),
    );
}

/// `podFailurePolicy.rules`: each an `action` with either `onExitCodes` or `onPodConditions`.
pub(super) fn pod_failure_policy(ctx: &mut Ctx<'_>, spec: &Node, path: &FieldPath) {
    let Some(policy) = set(spec, "podFailurePolicy") else {
        return;
    };
    let rules_path = path.join("podFailurePolicy.rules");
    let rules = policy.get("rules").map_or(&[][..], Node::as_seq);
    if rules.len() > MAX_RULES {
        too_many(ctx, &rules_path, rules.len(), MAX_RULES);
    }
    let template = spec.find("template.spec");
    let names: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .filter_map(|l| template.and_then(|t| t.get(l)))
        .flat_map(Node::as_seq)
        .filter_map(|c| c.get("name").and_then(Node::as_str))
        .collect();
    let per_index = set(spec, "backoffLimitPerIndex").is_some();
    for (i, rule) in rules.iter().enumerate() {
        let p = rules_path.index(i);
        match rule.get("action").and_then(Node::as_str) {
            Some("FailIndex") if !per_index => ctx.error(
                Rule::PodFailurePolicy,
                &p.field("action"),
                "`FailIndex` needs `backoffLimitPerIndex` in the Job's spec (and `completionMode: Indexed`): add it, or use `FailJob`, `Ignore` or `Count`.",
                "`FailIndex` a besoin de `backoffLimitPerIndex` dans la spec du Job (et de `completionMode: Indexed`) : ajoutez-le, ou utilisez `FailJob`, `Ignore` ou `Count`.",
            ),
            Some(a) if !ACTIONS.contains(&a) => {
                one_of(ctx, Rule::PodFailurePolicy, &p.field("action"), a, &ACTIONS);
            }
            _ => {}
        }
        let exit_codes = set(rule, "onExitCodes");
        let conditions = rule.get("onPodConditions").map_or(&[][..], Node::as_seq);
        if let Some(codes) = exit_codes {
            on_exit_codes(ctx, codes, &p.field("onExitCodes"), &names);
        }
        on_pod_conditions(ctx, conditions, &p.field("onPodConditions"));
        let (en, fr) = match (exit_codes.is_some(), !conditions.is_empty()) {
            (true, true) => (
                "A rule matches either `onExitCodes` or `onPodConditions`, not both: split it into two rules.",
                "Une règle porte soit sur `onExitCodes`, soit sur `onPodConditions`, pas les deux : faites-en deux règles.",
            ),
            (false, false) => (
                "A rule needs what it matches: `onExitCodes` (e.g. `{operator: In, values: [42]}`) or `onPodConditions` (e.g. `[{type: DisruptionTarget}]`).",
                "Une règle a besoin de ce qu'elle reconnaît : `onExitCodes` (par exemple `{operator: In, values: [42]}`) ou `onPodConditions` (par exemple `[{type: DisruptionTarget}]`).",
            ),
            _ => continue,
        };
        ctx.error(Rule::PodFailurePolicy, &p, en, fr);
    }
}

fn on_exit_codes(ctx: &mut Ctx<'_>, codes: &Node, p: &FieldPath, names: &[&str]) {
    let operator = codes.get("operator").and_then(Node::as_str);
    if let Some(op) = operator.filter(|o| !["In", "NotIn"].contains(o)) {
        one_of(
            ctx,
            Rule::PodFailurePolicy,
            &p.field("operator"),
            op,
            &["In", "NotIn"],
        );
    }
    if let Some(name) = codes.get("containerName").and_then(Node::as_str)
        && !names.contains(&name)
    {
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.error(
            Rule::PodFailurePolicy,
            &p.field("containerName"),
            format!("No container of the pod template is named `{name}`: use one of {list}, or remove `containerName`."),
            format!("Aucun conteneur du modèle de pod ne s'appelle `{name}` : utilisez l'un de {list}, ou retirez `containerName`."),
        );
    }
    let values_path = p.field("values");
    let Some(values_node) = codes.get("values") else {
        return; // required: the schema says so
    };
    let values: Vec<Option<i64>> = values_node.as_seq().iter().map(Node::as_int).collect();
    if values.is_empty() {
        ctx.error(
            Rule::PodFailurePolicy,
            &values_path,
            "Give at least one exit code under `values`, e.g. `[1, 42]`.",
            "Donnez au moins un code de sortie sous `values`, par exemple `[1, 42]`.",
        );
    } else if values.len() > MAX_EXIT_CODES {
        too_many(ctx, &values_path, values.len(), MAX_EXIT_CODES);
    }
    let mut ordered = true;
    for (j, v) in values.iter().enumerate() {
        let Some(v) = *v else { continue };
        let at = values_path.index(j);
        if operator == Some("In") && v == 0 {
            ctx.error(
                Rule::PodFailurePolicy,
                &at,
                "Exit code 0 means success: it cannot be listed with `operator: In`. Remove it.",
                "Le code de sortie 0 signifie un succès : il ne peut pas figurer avec `operator: In`. Retirez-le.",
            );
        }
        if values[..j].contains(&Some(v)) {
            ctx.error(
                Rule::PodFailurePolicy,
                &at,
                format!("Exit code {v} is listed twice: remove one."),
                format!("Le code de sortie {v} figure deux fois : retirez-en un."),
            );
        }
        if j > 0 && values[j - 1].is_some_and(|prev| prev > v) {
            ordered = false;
        }
    }
    if !ordered {
        ctx.error(
            Rule::PodFailurePolicy,
            &values_path,
            "List the exit codes in increasing order, e.g. `[1, 2, 42]`.",
            "Rangez les codes de sortie par ordre croissant, par exemple `[1, 2, 42]`.",
        );
    }
}

fn on_pod_conditions(ctx: &mut Ctx<'_>, conditions: &[Node], p: &FieldPath) {
    if conditions.len() > MAX_CONDITIONS {
        too_many(ctx, p, conditions.len(), MAX_CONDITIONS);
    }
    for (j, c) in conditions.iter().enumerate() {
        if let Some(t) = c.get("type").and_then(Node::as_str)
            && !syntax::is_qualified_name(t)
        {
            ctx.error(
                Rule::PodFailurePolicy,
                &p.index(j).field("type"),
                format!("`{t}` is not a condition type: letters, digits, `-`, `_`, `.`, e.g. `DisruptionTarget`."),
                format!("`{t}` n'est pas un type de condition : lettres, chiffres, `-`, `_`, `.`, par exemple `DisruptionTarget`."),
            );
        }
        // A status left out is `True`.
        if let Some(s) = c.get("status").and_then(Node::as_str)
            && !s.is_empty()
            && !["True", "False", "Unknown"].contains(&s)
        {
            one_of(
                ctx,
                Rule::PodFailurePolicy,
                &p.index(j).field("status"),
                s,
                &["False", "True", "Unknown"],
            );
        }
    }
}

/// `successPolicy` of an indexed Job: rules with `succeededIndexes` and/or `succeededCount`.
pub(super) fn success_policy(ctx: &mut Ctx<'_>, spec: &Node, path: &FieldPath) {
    let Some(policy) = set(spec, "successPolicy") else {
        return;
    };
    let rules_path = path.join("successPolicy.rules");
    let Some(rules_node) = policy.get("rules") else {
        return; // required: the schema says so
    };
    let rules = rules_node.as_seq();
    if rules.is_empty() {
        ctx.error(
            Rule::SuccessPolicy,
            &rules_path,
            "Give at least one rule, e.g. `- succeededCount: 1`.",
            "Donnez au moins une règle, par exemple `- succeededCount: 1`.",
        );
    } else if rules.len() > MAX_RULES {
        too_many(ctx, &rules_path, rules.len(), MAX_RULES);
    }
    // Without `completions` the API server fails on its own; nothing to compare with.
    let Some(completions) = int(spec, "completions") else {
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        let p = rules_path.index(i);
        let indexes = set(rule, "succeededIndexes").and_then(Node::as_str);
        let count = set(rule, "succeededCount").and_then(Node::as_int);
        if indexes.is_none() && set(rule, "succeededCount").is_none() {
            ctx.error(
                Rule::SuccessPolicy,
                &p,
                "A rule needs `succeededIndexes` (e.g. `\"0,2-4\"`) or `succeededCount`, or both.",
                "Une règle a besoin de `succeededIndexes` (par exemple `\"0,2-4\"`) ou de `succeededCount`, ou des deux.",
            );
        }
        let mut total = None;
        if let Some(text) = indexes {
            if text.len() > MAX_SUCCEEDED_INDEXES_LEN {
                too_many(
                    ctx,
                    &p.field("succeededIndexes"),
                    text.len(),
                    MAX_SUCCEEDED_INDEXES_LEN,
                );
            }
            match index_count(text, completions) {
                Ok(n) => total = Some(n),
                Err((en, fr)) => ctx.error(
                    Rule::SuccessPolicy,
                    &p.field("succeededIndexes"),
                    format!("`{text}`: {en}. Write increasing indexes and ranges below `completions` ({completions}), e.g. `\"0,2-4\"`."),
                    format!("`{text}` : {fr}. Écrivez des index et intervalles croissants, inférieurs à `completions` ({completions}), par exemple `\"0,2-4\"`."),
                ),
            }
        }
        let Some(count) = count.filter(|c| *c >= 0) else {
            continue; // a negative count: the schema and `non_negative` speak of it
        };
        let limit = if count > completions {
            Some((completions, "`completions`", "`completions`"))
        } else {
            total.filter(|t| count > *t).map(|t| {
                (
                    t,
                    "the number of indexes in `succeededIndexes`",
                    "le nombre d'index de `succeededIndexes`",
                )
            })
        };
        if let Some((max, en, fr)) = limit {
            ctx.error(
                Rule::SuccessPolicy,
                &p.field("succeededCount"),
                format!("`succeededCount` ({count}) cannot exceed {en} ({max}): lower it."),
                format!(
                    "`succeededCount` ({count}) ne peut pas dépasser {fr} ({max}) : diminuez-le."
                ),
            );
        }
    }
}

/// The number of indexes in `0,2-4` form, each below `completions`, in increasing order.
fn index_count(text: &str, completions: i64) -> Result<i64, (String, String)> {
    if text.is_empty() {
        return Ok(0);
    }
    let mut last: Option<i64> = None;
    let mut total = 0;
    for interval in text.split(',') {
        let parts: Vec<&str> = interval.split('-').collect();
        if parts.len() > 2 {
            return Err((
                format!("`{interval}` has more than one `-`"),
                format!("`{interval}` a plus d'un `-`"),
            ));
        }
        let mut bounds = [0i64; 2];
        for (k, part) in parts.iter().enumerate() {
            let n: i64 = part.parse().map_err(|_| {
                (
                    format!("`{part}` is not a number"),
                    format!("`{part}` n'est pas un nombre"),
                )
            })?;
            if n >= completions {
                return Err((
                    format!("index {n} is too large"),
                    format!("l'index {n} est trop grand"),
                ));
            }
            bounds[k] = n;
        }
        let (x, y) = if parts.len() == 2 {
            (bounds[0], bounds[1])
        } else {
            (bounds[0], bounds[0])
        };
        if (parts.len() == 2 && x >= y) || last.is_some_and(|l| l >= x) {
            return Err((
                format!("`{interval}` is not in increasing order"),
                format!("`{interval}` n'est pas dans l'ordre croissant"),
            ));
        }
        total += y - x + 1;
        last = Some(y);
    }
    Ok(total)
}

/// `podReplacementPolicy`: only `Failed` with a `podFailurePolicy`.
pub(super) fn pod_replacement_policy(ctx: &mut Ctx<'_>, spec: &Node, path: &FieldPath) {
    let value = set(spec, "podReplacementPolicy").and_then(Node::as_str);
    if set(spec, "podFailurePolicy").is_some()
        && let Some(v @ "TerminatingOrFailed") = value
    {
        ctx.report(
            Severity::Error,
            Rule::PodReplacementPolicy,
            &path.field("podReplacementPolicy"),
            Text::new(
                format!("With a `podFailurePolicy`, `podReplacementPolicy` must be `Failed`, not `{v}`: change it, or remove it (it then defaults to `Failed`)."),
                format!("Avec une `podFailurePolicy`, `podReplacementPolicy` doit valoir `Failed`, pas `{v}` : changez-le, ou retirez-le (il vaut alors `Failed` par défaut)."),
            ),
        );
    }
}
