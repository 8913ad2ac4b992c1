//! A container's own policies: `restartPolicy` with its `restartPolicyRules`, and
//! `resizePolicy`.

use super::container::{Kind, Pod};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::{Node, NodeKind};

const CONTAINER_RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];

/// A container's own `restartPolicy` and `restartPolicyRules`.
pub(super) fn restart(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath) {
    let policy = c
        .get("restartPolicy")
        .filter(|n| !matches!(n.kind, NodeKind::Null));
    if let Some(v) = policy.and_then(Node::as_str)
        && !CONTAINER_RESTART_POLICIES.contains(&v)
    {
        ctx.error(
            Rule::ContainerRestartPolicy,
            &cp.field("restartPolicy"),
            format!("`{v}` is not a container restart policy: use `Always`, `OnFailure` or `Never` (with that exact case)."),
            format!("`{v}` n'est pas une politique de redémarrage de conteneur : utilisez `Always`, `OnFailure` ou `Never` (avec cette casse exacte)."),
        );
    }
    let rules = c.get("restartPolicyRules").map_or(&[][..], Node::as_seq);
    if !rules.is_empty() && policy.is_none() {
        ctx.report_key(
            crate::Severity::Error,
            Rule::ContainerRestartPolicy,
            &cp.field("restartPolicyRules"),
            crate::Text::new(
                "`restartPolicyRules` needs the container's own `restartPolicy` (`Always`, `OnFailure` or `Never`) beside it.",
                "`restartPolicyRules` a besoin de la `restartPolicy` du conteneur (`Always`, `OnFailure` ou `Never`) à côté.",
            ),
        );
    }
    for (i, r) in rules.iter().enumerate() {
        let rp = cp.field("restartPolicyRules").index(i);
        if let Some(a) = r.get("action").and_then(Node::as_str)
            && !["Restart", "RestartAllContainers"].contains(&a)
        {
            ctx.error(Rule::ContainerRestartPolicy, &rp.field("action"), format!("`{a}` is not a restart rule action: use `Restart` or `RestartAllContainers`."), format!("`{a}` n'est pas une action de règle de redémarrage : utilisez `Restart` ou `RestartAllContainers`."));
        }
        match r.get("exitCodes") {
            None if matches!(r.kind, NodeKind::Map(_)) => ctx.error(Rule::MissingField, &rp, "A restart rule needs `exitCodes` (an `operator`, `In` or `NotIn`, and `values`).", "Une règle de redémarrage a besoin de `exitCodes` (un `operator`, `In` ou `NotIn`, et des `values`)."),
            Some(e) => {
                if let Some(op) = e.get("operator").and_then(Node::as_str)
                    && !["In", "NotIn"].contains(&op)
                {
                    ctx.error(Rule::ContainerRestartPolicy, &rp.join("exitCodes.operator"), format!("`{op}` is not an exit code operator: use `In` or `NotIn`."), format!("`{op}` n'est pas un opérateur de codes de sortie : utilisez `In` ou `NotIn`."));
                }
                let n = e.get("values").map_or(0, |v| v.as_seq().len());
                if n > 255 {
                    ctx.error(Rule::ContainerRestartPolicy, &rp.join("exitCodes.values"), format!("{n} exit codes is too many: at most 255."), format!("{n} codes de sortie, c'est trop : 255 au plus."));
                }
            }
            None => {}
        }
    }
    if rules.len() > 20 {
        ctx.error(
            Rule::ContainerRestartPolicy,
            &cp.field("restartPolicyRules"),
            format!("{} restart rules is too many: at most 20.", rules.len()),
            format!(
                "{} règles de redémarrage, c'est trop : 20 au plus.",
                rules.len()
            ),
        );
    }
}

/// `resizePolicy`: one entry per resource (`cpu`, `memory`), each `NotRequired` or
/// `RestartContainer`.
pub(super) fn resize(ctx: &mut Ctx<'_>, pod: &Pod<'_>, c: &Node, cp: &FieldPath, kind: Kind) {
    let mut seen = Vec::new();
    for (i, r) in c
        .get("resizePolicy")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let rp = cp.field("resizePolicy").index(i);
        if let Some(name) = r.get("resourceName").and_then(Node::as_str) {
            if !["cpu", "memory"].contains(&name) {
                ctx.error(Rule::ResizePolicy, &rp.field("resourceName"), format!("`{name}` cannot be resized in place: use `cpu` or `memory`."), format!("`{name}` ne peut pas être redimensionné sur place : utilisez `cpu` ou `memory`."));
            } else if seen.contains(&name) {
                ctx.error(Rule::ResizePolicy, &rp.field("resourceName"), format!("`{name}` already has a resize policy in this container: keep one entry per resource."), format!("`{name}` a déjà une politique de redimensionnement dans ce conteneur : gardez une entrée par ressource."));
            }
            seen.push(name);
        }
        let Some(policy) = r.get("restartPolicy").and_then(Node::as_str) else {
            continue;
        };
        let path = rp.field("restartPolicy");
        if !["NotRequired", "RestartContainer"].contains(&policy) {
            ctx.error(Rule::ResizePolicy, &path, format!("`{policy}` is not a resize restart policy: use `NotRequired` or `RestartContainer`."), format!("`{policy}` n'est pas une politique de redémarrage au redimensionnement : utilisez `NotRequired` ou `RestartContainer`."));
        } else if policy == "RestartContainer" && pod.restart_never {
            ctx.error(Rule::ResizePolicy, &path, "The pod's `restartPolicy` is `Never`, so a resize cannot restart the container: use `NotRequired`.", "La `restartPolicy` du pod vaut `Never`, un redimensionnement ne peut donc pas redémarrer le conteneur : utilisez `NotRequired`.");
        } else if policy == "RestartContainer" && kind == Kind::Init {
            ctx.error(Rule::ResizePolicy, &path, "An init container (without `restartPolicy: Always`) cannot be restarted by a resize: use `NotRequired`.", "Un conteneur d'initialisation (sans `restartPolicy: Always`) ne peut pas être redémarré par un redimensionnement : utilisez `NotRequired`.");
        }
    }
}
