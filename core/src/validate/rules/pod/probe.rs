//! A container's probes (liveness, readiness, startup) and lifecycle hooks (postStart,
//! preStop): one handler each, and what each handler holds.

use super::{int_or_port_name, port_number};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::rules::shared::non_negative;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use crate::{Severity, Text};

const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];
const HOOK_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "sleep"];

fn is_set(n: &Node) -> bool {
    !matches!(n.kind, NodeKind::Null)
}

pub(super) fn probes(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath, port_names: &[String]) {
    for which in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(pr) = c.get(which).filter(|n| is_set(n)) {
            probe(ctx, pr, &cp.field(which), which, port_names);
        }
    }
}

fn probe(ctx: &mut Ctx<'_>, pr: &Node, pp: &FieldPath, which: &str, port_names: &[String]) {
    if !matches!(pr.kind, NodeKind::Map(_)) {
        return;
    }
    if handler(ctx, pr, pp, PROBE_HANDLERS, None) == 0 {
        ctx.error(
            Rule::ProbeHandler,
            pp,
            "A probe needs exactly one check: `httpGet`, `tcpSocket`, `exec` or `grpc`.",
            "Une sonde a besoin d'exactement une vérification : `httpGet`, `tcpSocket`, `exec` ou `grpc`.",
        );
    }
    for h in ["httpGet", "tcpSocket"] {
        let path = pp.field(h).field("port");
        if let Some(name) = pr.get(h).and_then(|n| n.get("port")).and_then(Node::as_str)
            && syntax::is_port_name(name)
            && !port_names.iter().any(|n| n == name)
        {
            ctx.warning(
                Rule::ProbePortUnknown,
                &path,
                format!("No port of this container is named `{name}`: the probe will fail. Name a port `{name}` under `ports:` or use the number."),
                format!("Aucun port de ce conteneur ne s'appelle `{name}` : la sonde échouera. Nommez un port `{name}` sous `ports:` ou utilisez le numéro."),
            );
        }
    }
    for f in [
        "initialDelaySeconds",
        "periodSeconds",
        "timeoutSeconds",
        "successThreshold",
        "failureThreshold",
    ] {
        non_negative(ctx, &pp.field(f));
    }
    // 0 is defaulted to 1; a negative value is reported above.
    if which != "readinessProbe"
        && let Some(v) = pr.get("successThreshold").and_then(Node::as_int)
        && v > 1
    {
        ctx.error(
            Rule::ProbeSuccessThreshold,
            &pp.field("successThreshold"),
            format!("A {which} succeeds on its first success: `successThreshold` must be 1, not {v}. Remove it or write `successThreshold: 1` (only a readinessProbe may ask for more)."),
            format!("Une {which} réussit dès le premier succès : `successThreshold` doit valoir 1, pas {v}. Retirez-le ou écrivez `successThreshold: 1` (seule une readinessProbe peut en demander plus)."),
        );
    }
    if let Some((_, g)) = pr
        .entry("terminationGracePeriodSeconds")
        .filter(|(_, g)| is_set(g))
    {
        let path = pp.field("terminationGracePeriodSeconds");
        if which == "readinessProbe" {
            ctx.report_key(
                Severity::Error,
                Rule::ProbeGracePeriod,
                &path,
                Text::new(
                    "A readinessProbe never stops the container, so it may not have `terminationGracePeriodSeconds`. Remove it.",
                    "Une readinessProbe n'arrête jamais le conteneur, elle ne peut donc pas avoir de `terminationGracePeriodSeconds`. Retirez-le.",
                ),
            );
        } else if let Some(v) = g.as_int()
            && v <= 0
        {
            ctx.error(
                Rule::ProbeGracePeriod,
                &path,
                format!("`terminationGracePeriodSeconds` must be more than 0, not {v}. Remove it to use the pod's, or give a number of seconds."),
                format!("`terminationGracePeriodSeconds` doit être supérieur à 0, pas {v}. Retirez-le pour utiliser celui du pod, ou donnez un nombre de secondes."),
            );
        }
    }
}

pub(super) fn lifecycle(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath, grace: Option<i64>) {
    let Some(l) = c.get("lifecycle") else { return };
    for hook in ["postStart", "preStop"] {
        let hp = cp.field("lifecycle").field(hook);
        if let Some(h) = l.get(hook).filter(|n| matches!(n.kind, NodeKind::Map(_)))
            && handler(ctx, h, &hp, HOOK_HANDLERS, grace) == 0
        {
            ctx.error(
                Rule::LifecycleHandler,
                &hp,
                format!("`{hook}` needs exactly one action: `exec`, `httpGet`, `tcpSocket` or `sleep`."),
                format!("`{hook}` a besoin d'exactement une action : `exec`, `httpGet`, `tcpSocket` ou `sleep`."),
            );
        }
    }
}

/// Checks the handlers of a probe or hook `h`; returns how many there are. Every handler after
/// the first (in the text) is reported at its own key.
fn handler(
    ctx: &mut Ctx<'_>,
    h: &Node,
    hp: &FieldPath,
    allowed: &[&str],
    grace: Option<i64>,
) -> usize {
    let mut first: Option<&str> = None;
    let mut count = 0;
    for (k, v) in h.as_map() {
        let name = k.name.as_str();
        if !allowed.contains(&name) || !is_set(v) {
            continue;
        }
        count += 1;
        let path = hp.field(name);
        if let Some(first) = first {
            let (rule, en, fr) = if allowed == PROBE_HANDLERS {
                (
                    Rule::ProbeHandler,
                    format!(
                        "A probe has exactly one check, and this one already has `{first}`. Remove `{name}` (or `{first}`)."
                    ),
                    format!(
                        "Une sonde a exactement une vérification, et celle-ci a déjà `{first}`. Retirez `{name}` (ou `{first}`)."
                    ),
                )
            } else {
                (
                    Rule::LifecycleHandler,
                    format!(
                        "A hook has exactly one action, and this one already has `{first}`. Remove `{name}` (or `{first}`)."
                    ),
                    format!(
                        "Un hook a exactement une action, et celui-ci a déjà `{first}`. Retirez `{name}` (ou `{first}`)."
                    ),
                )
            };
            ctx.report_key(Severity::Error, rule, &path, Text::new(en, fr));
            continue;
        }
        first = Some(name);
        match name {
            "exec" => exec(ctx, v, &path),
            "httpGet" => http_get(ctx, v, &path),
            "tcpSocket" => {
                if let Some(port) = v.get("port") {
                    int_or_port_name(ctx, port, &path.field("port"));
                }
            }
            "grpc" => {
                if let Some(port) = v.get("port") {
                    port_number(ctx, port, &path.field("port"), false);
                }
            }
            _ => sleep(ctx, v, &path, grace),
        }
    }
    count
}

fn exec(ctx: &mut Ctx<'_>, v: &Node, path: &FieldPath) {
    let empty = v
        .get("command")
        .is_none_or(|c| matches!(c.kind, NodeKind::Null) || c.as_seq().is_empty());
    if empty && matches!(v.kind, NodeKind::Map(_)) && !ctx.has_error_at(&path.field("command")) {
        ctx.error(
            Rule::MissingField,
            path,
            "`exec` needs a `command` to run, as a list, e.g. `command: [\"cat\", \"/tmp/healthy\"]`.",
            "`exec` a besoin d'une `command` à lancer, sous forme de liste, par exemple `command: [\"cat\", \"/tmp/healthy\"]`.",
        );
    }
}

/// An HTTP header name: one or more letters, digits or `-`.
fn is_header_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn http_get(ctx: &mut Ctx<'_>, v: &Node, path: &FieldPath) {
    if let Some(port) = v.get("port") {
        int_or_port_name(ctx, port, &path.field("port"));
    }
    for (i, h) in v
        .get("httpHeaders")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        if let Some(name) = h.get("name").and_then(Node::as_str)
            && !is_header_name(name)
        {
            ctx.error(
                Rule::InvalidHeaderName,
                &path.field("httpHeaders").index(i).field("name"),
                format!("`{name}` is not a valid HTTP header name: letters, digits and `-` only, e.g. `X-Custom-Header`."),
                format!("`{name}` n'est pas un nom d'en-tête HTTP valide : lettres, chiffres et `-` seulement, par exemple `X-Custom-Header`."),
            );
        }
    }
}

fn sleep(ctx: &mut Ctx<'_>, v: &Node, path: &FieldPath, grace: Option<i64>) {
    let (Some(s), Some(g)) = (v.get("seconds").and_then(Node::as_int), grace) else {
        return;
    };
    if s < 0 || s > g {
        ctx.error(
            Rule::SleepSeconds,
            &path.field("seconds"),
            format!("`sleep.seconds` must be between 0 and the pod's `terminationGracePeriodSeconds` ({g}), not {s}. Sleep less, or give the pod a longer grace period."),
            format!("`sleep.seconds` doit être entre 0 et le `terminationGracePeriodSeconds` du pod ({g}), pas {s}. Dormez moins, ou donnez au pod un délai de grâce plus long."),
        );
    }
}
