//! Where a pod may run: `nodeSelector`, `affinity` (`validateAffinity`), `tolerations`
//! (`ValidateTolerations`) and `topologySpreadConstraints` (`validateTopologySpreadConstraints`).

use super::fields;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::rules::shared::label_map;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};

pub(super) fn scheduling(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    if let Some(ns) = spec.get("nodeSelector") {
        label_map(ctx, ns, &p.field("nodeSelector"));
    }
    if let Some(a) = spec.get("affinity") {
        affinity(ctx, a, &p.field("affinity"));
    }
    for (i, t) in seq(spec, "tolerations").iter().enumerate() {
        toleration(ctx, t, &p.field("tolerations").index(i));
    }
    spread(
        ctx,
        seq(spec, "topologySpreadConstraints"),
        &p.field("topologySpreadConstraints"),
    );
}

fn seq<'n>(n: &'n Node, field: &str) -> &'n [Node] {
    n.get(field).map_or(&[][..], Node::as_seq)
}

fn strs<'n>(n: &'n Node, field: &str) -> Vec<&'n str> {
    seq(n, field).iter().filter_map(Node::as_str).collect()
}

/// A label key (`ValidateLabelName`) written as a value (`key:`, `topologyKey:`…).
fn label_key(ctx: &mut Ctx<'_>, key: &str, path: &FieldPath) {
    if !syntax::is_qualified_name(key) {
        ctx.error(
            Rule::InvalidLabelKey,
            path,
            format!("`{key}` is not a valid label key: letters, digits, `-`, `_`, `.`, at most 63 characters, optionally after a `domain.example/` prefix (e.g. `kubernetes.io/hostname`)."),
            format!("`{key}` n'est pas une clé d'étiquette valide : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, éventuellement après un préfixe `domaine.exemple/` (par exemple `kubernetes.io/hostname`)."),
        );
    }
}

fn label_values(ctx: &mut Ctx<'_>, req: &Node, rp: &FieldPath) {
    for (i, v) in seq(req, "values").iter().enumerate() {
        if let Some(s) = v.as_str()
            && !syntax::is_label_value(s)
        {
            ctx.error(
                Rule::InvalidLabelValue,
                &rp.field("values").index(i),
                format!("`{s}` is not a valid label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit."),
                format!("`{s}` n'est pas une valeur d'étiquette valide : 63 lettres, chiffres, `-`, `_` ou `.` au plus, commençant et finissant par une lettre ou un chiffre."),
            );
        }
    }
}

/// How many `values` an operator takes; reports a mismatch.
fn operator_values(ctx: &mut Ctx<'_>, req: &Node, rp: &FieldPath) {
    let Some(op) = req.get("operator").and_then(Node::as_str) else {
        return;
    };
    let n = seq(req, "values").len();
    let (en, fr) = match op {
        "In" | "NotIn" if n == 0 => (
            format!("`operator: {op}` needs a non-empty `values` list."),
            format!("`operator: {op}` demande une liste `values` non vide."),
        ),
        "Exists" | "DoesNotExist" if n > 0 => (
            format!("`operator: {op}` takes no `values`: remove them, or use `In`."),
            format!("`operator: {op}` ne prend pas de `values` : retirez-les, ou utilisez `In`."),
        ),
        "Gt" | "Lt" if n != 1 => (
            format!("`operator: {op}` takes exactly one value (a number), e.g. `values: [\"4\"]`."),
            format!(
                "`operator: {op}` prend exactement une valeur (un nombre), par exemple `values: [\"4\"]`."
            ),
        ),
        _ => return,
    };
    let at = if req.get("values").is_some() {
        rp.field("values")
    } else {
        rp.field("operator")
    };
    ctx.error(Rule::SelectorOperator, &at, en, fr);
}

/// A label selector (`ValidateLabelSelector`): `matchLabels` and `matchExpressions`.
pub(super) fn label_selector(ctx: &mut Ctx<'_>, sel: &Node, sp: &FieldPath) {
    if let Some(ml) = sel.get("matchLabels") {
        label_map(ctx, ml, &sp.field("matchLabels"));
    }
    for (i, e) in seq(sel, "matchExpressions").iter().enumerate() {
        let ep = sp.field("matchExpressions").index(i);
        if let Some(k) = e.get("key").and_then(Node::as_str) {
            label_key(ctx, k, &ep.field("key"));
        }
        operator_values(ctx, e, &ep);
        label_values(ctx, e, &ep);
    }
}

fn affinity(ctx: &mut Ctx<'_>, a: &Node, ap: &FieldPath) {
    if let Some(na) = a.get("nodeAffinity") {
        let nap = ap.field("nodeAffinity");
        let req = "requiredDuringSchedulingIgnoredDuringExecution";
        if let Some(r) = na.get(req).filter(|r| matches!(r.kind, NodeKind::Map(_))) {
            let tp = nap.field(req).field("nodeSelectorTerms");
            let terms = seq(r, "nodeSelectorTerms");
            if terms.is_empty() && !ctx.has_error_at(&tp) {
                ctx.error(
                    Rule::MissingField,
                    &nap.field(req),
                    "`nodeSelectorTerms` needs at least one term (with `matchExpressions`).",
                    "`nodeSelectorTerms` a besoin d'au moins un terme (avec `matchExpressions`).",
                );
            }
            for (i, t) in terms.iter().enumerate() {
                node_term(ctx, t, &tp.index(i), true);
            }
        }
        let pref = "preferredDuringSchedulingIgnoredDuringExecution";
        for (i, t) in seq(na, pref).iter().enumerate() {
            let tp = nap.field(pref).index(i);
            fields::in_range(ctx, t, &tp, "weight", 1, 100);
            if let Some(term) = t.get("preference") {
                node_term(ctx, term, &tp.field("preference"), false);
            }
        }
    }
    for kind in ["podAffinity", "podAntiAffinity"] {
        let Some(pa) = a.get(kind) else { continue };
        let pap = ap.field(kind);
        let req = "requiredDuringSchedulingIgnoredDuringExecution";
        for (i, t) in seq(pa, req).iter().enumerate() {
            pod_term(ctx, t, &pap.field(req).index(i));
        }
        let pref = "preferredDuringSchedulingIgnoredDuringExecution";
        for (i, t) in seq(pa, pref).iter().enumerate() {
            let tp = pap.field(pref).index(i);
            fields::in_range(ctx, t, &tp, "weight", 1, 100);
            if let Some(term) = t.get("podAffinityTerm") {
                pod_term(ctx, term, &tp.field("podAffinityTerm"));
            }
        }
    }
}

/// A node selector term; `check_values` for required terms (preferred ones may hold any value).
fn node_term(ctx: &mut Ctx<'_>, t: &Node, tp: &FieldPath, check_values: bool) {
    for (i, e) in seq(t, "matchExpressions").iter().enumerate() {
        let ep = tp.field("matchExpressions").index(i);
        operator_values(ctx, e, &ep);
        if let Some(k) = e.get("key").and_then(Node::as_str) {
            label_key(ctx, k, &ep.field("key"));
        }
        if check_values {
            label_values(ctx, e, &ep);
        }
    }
    for (i, f) in seq(t, "matchFields").iter().enumerate() {
        let fp = tp.field("matchFields").index(i);
        match f.get("operator").and_then(Node::as_str) {
            Some("In" | "NotIn") if seq(f, "values").len() != 1 => ctx.error(Rule::SelectorOperator, &fp.field("values"), "In `matchFields`, `In` and `NotIn` take exactly one value: a node name.", "Dans `matchFields`, `In` et `NotIn` prennent exactement une valeur : un nom de nœud."),
            Some(op @ ("Exists" | "DoesNotExist" | "Gt" | "Lt")) => ctx.error(Rule::SelectorOperator, &fp.field("operator"), format!("`matchFields` only takes `In` or `NotIn`, not `{op}`."), format!("`matchFields` ne prend que `In` ou `NotIn`, pas `{op}`.")),
            _ => {}
        }
        for (j, v) in seq(f, "values").iter().enumerate() {
            if let Some(v) = v.as_str()
                && !syntax::is_dns1123_subdomain(v)
            {
                ctx.error(
                    Rule::InvalidName,
                    &fp.field("values").index(j),
                    format!(
                        "`{v}` is not a valid node name: lowercase letters, digits, `-` and `.`."
                    ),
                    format!(
                        "`{v}` n'est pas un nom de nœud valide : minuscules, chiffres, `-` et `.`."
                    ),
                );
            }
        }
        if let Some(k) = f.get("key").and_then(Node::as_str)
            && k != "metadata.name"
        {
            ctx.error(Rule::InvalidValue, &fp.field("key"), format!("`matchFields` can only select on `metadata.name` (the node's name), not `{k}`. For node labels, use `matchExpressions`."), format!("`matchFields` ne peut sélectionner que sur `metadata.name` (le nom du nœud), pas `{k}`. Pour les étiquettes de nœud, utilisez `matchExpressions`."));
        }
    }
}

fn pod_term(ctx: &mut Ctx<'_>, t: &Node, tp: &FieldPath) {
    for sel in ["labelSelector", "namespaceSelector"] {
        if let Some(s) = t.get(sel) {
            label_selector(ctx, s, &tp.field(sel));
        }
    }
    for (i, ns) in seq(t, "namespaces").iter().enumerate() {
        if let Some(n) = ns.as_str()
            && !syntax::is_dns1123_label(n)
        {
            ctx.error(Rule::InvalidName, &tp.field("namespaces").index(i), format!("`{n}` is not a valid namespace name: lowercase letters, digits and `-`, at most 63 characters."), format!("`{n}` n'est pas un nom de namespace valide : minuscules, chiffres et `-`, 63 caractères au plus."));
        }
    }
    fields::required(
        ctx,
        t,
        tp,
        "topologyKey",
        "the node label that defines a domain, e.g. `kubernetes.io/hostname`.",
        "l'étiquette de nœud qui définit un domaine, par exemple `kubernetes.io/hostname`.",
    );
    if let Some(k) = t
        .get("topologyKey")
        .and_then(Node::as_str)
        .filter(|k| !k.is_empty())
    {
        label_key(ctx, k, &tp.field("topologyKey"));
    }
    label_keys(ctx, t, tp, "matchLabelKeys");
    label_keys(ctx, t, tp, "mismatchLabelKeys");
    let mismatch = strs(t, "mismatchLabelKeys");
    for (i, k) in strs(t, "matchLabelKeys").iter().enumerate() {
        if mismatch.contains(k) {
            ctx.error(Rule::DuplicateKey, &tp.field("matchLabelKeys").index(i), format!("`{k}` is in both `matchLabelKeys` and `mismatchLabelKeys`. Keep it in one."), format!("`{k}` est à la fois dans `matchLabelKeys` et `mismatchLabelKeys`. Gardez-le dans une seule."));
        }
    }
}

/// `matchLabelKeys` / `mismatchLabelKeys`: label keys, only with a `labelSelector`.
fn label_keys(ctx: &mut Ctx<'_>, t: &Node, tp: &FieldPath, field: &str) {
    let keys = seq(t, field);
    if keys.is_empty() {
        return;
    }
    if t.get("labelSelector")
        .is_none_or(|s| matches!(s.kind, NodeKind::Null))
    {
        ctx.error(Rule::MissingSelector, &tp.field(field), format!("`{field}` only works with a `labelSelector`: add one, or remove `{field}`."), format!("`{field}` ne fonctionne qu'avec un `labelSelector` : ajoutez-en un, ou retirez `{field}`."));
        return;
    }
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k.as_str() {
            label_key(ctx, k, &tp.field(field).index(i));
        }
    }
}

fn toleration(ctx: &mut Ctx<'_>, t: &Node, tp: &FieldPath) {
    let key = t.get("key").and_then(Node::as_str).unwrap_or("");
    let op = t.get("operator").and_then(Node::as_str).unwrap_or("");
    let value = t.get("value").and_then(Node::as_str).unwrap_or("");
    if !key.is_empty() {
        label_key(ctx, key, &tp.field("key"));
    } else if op != "Exists" && matches!(op, "" | "Equal") {
        let at = if t.get("operator").is_some() {
            tp.field("operator")
        } else {
            tp.clone()
        };
        ctx.error(Rule::Toleration, &at, "A toleration without `key` matches every taint and needs `operator: Exists`. Add a `key`, or set `operator: Exists`.", "Une tolérance sans `key` accepte toutes les teintes (taints) et demande `operator: Exists`. Ajoutez une `key`, ou mettez `operator: Exists`.");
    }
    if t.get("tolerationSeconds")
        .is_some_and(|s| !matches!(s.kind, NodeKind::Null))
        && t.get("effect").and_then(Node::as_str) != Some("NoExecute")
    {
        let at = if t.get("effect").is_some() {
            tp.field("effect")
        } else {
            tp.field("tolerationSeconds")
        };
        ctx.error(Rule::Toleration, &at, "`tolerationSeconds` only applies to `effect: NoExecute`. Set that effect, or remove `tolerationSeconds`.", "`tolerationSeconds` ne s'applique qu'à `effect: NoExecute`. Mettez cet effet, ou retirez `tolerationSeconds`.");
    }
    match op {
        "" | "Equal" if !syntax::is_label_value(value) => ctx.error(Rule::InvalidLabelValue, &tp.field("value"), format!("`{value}` is not a valid taint value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit."), format!("`{value}` n'est pas une valeur de teinte valide : 63 lettres, chiffres, `-`, `_` ou `.` au plus, commençant et finissant par une lettre ou un chiffre.")),
        "Exists" if !value.is_empty() => ctx.error(Rule::Toleration, &tp.field("value"), "With `operator: Exists`, leave `value` out (any value matches). Remove it, or use `operator: Equal`.", "Avec `operator: Exists`, omettez `value` (toute valeur convient). Retirez-la, ou utilisez `operator: Equal`."),
        _ => {}
    }
}

fn spread(ctx: &mut Ctx<'_>, list: &[Node], lp: &FieldPath) {
    for (i, c) in list.iter().enumerate() {
        let cp = lp.index(i);
        if let Some(s) = c.get("maxSkew").and_then(Node::as_int)
            && s < 1
        {
            ctx.error(Rule::TopologySpread, &cp.field("maxSkew"), format!("`maxSkew` is the largest allowed difference in pod count between domains: 1 or more, not {s}."), format!("`maxSkew` est l'écart maximal de nombre de pods entre domaines : 1 ou plus, pas {s}."));
        }
        fields::required(
            ctx,
            c,
            &cp,
            "topologyKey",
            "the node label that defines a domain, e.g. `topology.kubernetes.io/zone`.",
            "l'étiquette de nœud qui définit un domaine, par exemple `topology.kubernetes.io/zone`.",
        );
        fields::one_of(
            ctx,
            c,
            &cp,
            "whenUnsatisfiable",
            &["DoNotSchedule", "ScheduleAnyway"],
        );
        let key = c.get("topologyKey").and_then(Node::as_str);
        let when = c.get("whenUnsatisfiable").and_then(Node::as_str);
        if key.is_some()
            && list[..i].iter().any(|o| {
                o.get("topologyKey").and_then(Node::as_str) == key
                    && o.get("whenUnsatisfiable").and_then(Node::as_str) == when
            })
        {
            ctx.error(Rule::TopologySpread, &cp.field("topologyKey"), "Another constraint already uses this `topologyKey` with the same `whenUnsatisfiable`. Merge the two.", "Une autre contrainte utilise déjà cette `topologyKey` avec le même `whenUnsatisfiable`. Fusionnez les deux.");
        }
        if let Some(m) = c.get("minDomains").and_then(Node::as_int) {
            if m < 1 {
                ctx.error(
                    Rule::TopologySpread,
                    &cp.field("minDomains"),
                    format!("`minDomains` must be 1 or more, not {m}."),
                    format!("`minDomains` doit valoir 1 ou plus, pas {m}."),
                );
            } else if when.is_some_and(|w| w != "DoNotSchedule") {
                ctx.error(Rule::TopologySpread, &cp.field("minDomains"), "`minDomains` only works with `whenUnsatisfiable: DoNotSchedule`. Change one of the two.", "`minDomains` ne fonctionne qu'avec `whenUnsatisfiable: DoNotSchedule`. Changez l'un des deux.");
            }
        }
        for f in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            fields::one_of(ctx, c, &cp, f, &["Honor", "Ignore"]);
        }
        if let Some(s) = c.get("labelSelector") {
            label_selector(ctx, s, &cp.field("labelSelector"));
        }
        label_keys(ctx, c, &cp, "matchLabelKeys");
    }
}
