//! URLs and `NAME:PORT` words that name a Service: in a container's `command`, `args`, probe and
//! hook commands and env values, and in a ConfigMap's data (which env may read). A host that no
//! Service of the workspace or the cluster defines, or a port the Service does not expose, is a
//! warning at the host (or port) within the string: the API server accepts it, and the pod then
//! fails to connect.

use super::index::{Index, Svc};
use super::urls::{HostRef, scan};
use crate::diagnostic::{Severity, Span, Text};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax::distance;
use crate::yaml::Node;

/// Top-level domains a learner's URLs use: a two-label host ending with one is not `NAME.NS`.
const TLDS: &[&str] = &[
    "com",
    "org",
    "net",
    "io",
    "dev",
    "ai",
    "co",
    "app",
    "edu",
    "gov",
    "eu",
    "fr",
    "uk",
    "de",
    "be",
    "ch",
    "ca",
    "us",
    "info",
    "local",
    "internal",
    "lan",
    "test",
    "example",
    "localhost",
    "cloud",
    "tech",
];

/// Names that resolve without a Service of the namespace.
const ALWAYS_RESOLVE: &[&str] = &["localhost", "kubernetes"];

/// The well-known port of a URL scheme, for a URL that writes none.
fn default_port(scheme: &str) -> Option<u32> {
    Some(match scheme {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        "redis" => 6379,
        "postgres" | "postgresql" => 5432,
        "mysql" => 3306,
        "mongodb" => 27017,
        "amqp" => 5672,
        _ => return None,
    })
}

/// What a host says about the Service it names.
struct Named<'a> {
    /// The Service name part, lower-case.
    name: String,
    /// `NAME` alone (the pod's own namespace), rather than `NAME.NS…`.
    bare: bool,
    host: &'a str,
}

fn named(host: &str) -> Option<Named<'_>> {
    let lower = host.trim_end_matches('.').to_ascii_lowercase();
    let rest = lower
        .strip_suffix(".svc.cluster.local")
        .or_else(|| lower.strip_suffix(".svc"));
    let labels: Vec<&str> = rest.unwrap_or(&lower).split('.').collect();
    let (name, bare) = match (rest.is_some(), labels.as_slice()) {
        (false, [name]) => (*name, true),
        (true, [name, _ns]) => (*name, false),
        (false, [name, tld]) if !TLDS.contains(tld) => (*name, false),
        _ => return None,
    };
    (!ALWAYS_RESOLVE.contains(&name)).then(|| Named {
        name: name.to_owned(),
        bare,
        host,
    })
}

/// Where the strings are, and how sure a missing name is a mistake.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// A container's command, args or env value.
    Container,
    /// A ConfigMap's data: configuration files name other hosts too (an nginx `upstream`…).
    ConfigData,
}

/// Checks every host named in the string at `path`.
pub(super) fn check(
    ctx: &mut Ctx<'_>,
    index: &Index<'_>,
    node: &Node,
    path: &FieldPath,
    source: Source,
    aliases: &[&str],
) {
    let Some(text) = node.as_str() else { return };
    if index.service_names().is_empty() || !text.contains(':') {
        return;
    }
    for r in scan(text) {
        let Some(n) = named(r.host) else { continue };
        if aliases.iter().any(|a| a.eq_ignore_ascii_case(r.host)) {
            continue;
        }
        // A bare word without a scheme may be an image (`postgres:15`) or a time: only
        // ports from 80 up are taken for one.
        if r.scheme.is_none() && r.port.is_some_and(|(p, _)| p < 80) {
            continue;
        }
        let port = r
            .port
            .map(|(p, _)| p)
            .or_else(|| r.scheme.as_deref().and_then(default_port));
        match index.service(&n.name) {
            Some(svc) => wrong_port(ctx, svc, &r, port, node, path),
            None => unknown(ctx, index, &n, &r, port, node, path, source),
        }
    }
}

/// The Service exists: does it expose the port?
fn wrong_port(
    ctx: &mut Ctx<'_>,
    svc: &Svc<'_>,
    r: &HostRef<'_>,
    port: Option<u32>,
    node: &Node,
    path: &FieldPath,
) {
    let (Some(ports), Some(port)) = (&svc.ports, port) else {
        return;
    };
    if svc.any_port || ports.is_empty() || ports.iter().any(|p| p.port == i64::from(port)) {
        return;
    }
    let name = svc.name;
    let list = ports
        .iter()
        .map(|p| match p.name {
            Some(n) => format!("{} (name `{n}`)", p.port),
            None => p.port.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let liste = list.replace("(name ", "(nom ");
    let first = ports[0].port;
    let p = i64::from(port);
    let (why_en, why_fr) = if ports.iter().any(|x| x.target == Some(p)) {
        (
            format!(
                " {port} is the pods' port (`targetPort`); inside the cluster, connect to the Service's `port`."
            ),
            format!(
                " {port} est le port des pods (`targetPort`) ; dans le cluster, on se connecte au `port` du Service."
            ),
        )
    } else if ports.iter().any(|x| x.node_port == Some(p)) {
        (
            format!(
                " {port} is the node port, for reaching the Service from outside the cluster; inside it, use the Service's `port`."
            ),
            format!(
                " {port} est le port de nœud, pour joindre le Service depuis l'extérieur du cluster ; à l'intérieur, utilisez le `port` du Service."
            ),
        )
    } else {
        (String::new(), String::new())
    };
    let (what_en, what_fr) = match r.port {
        Some(_) => (format!("not {port}"), format!("pas {port}")),
        None => (
            format!(
                "not {port} (the default port of `{}://`)",
                r.scheme.as_deref().unwrap_or("")
            ),
            format!(
                "pas {port} (le port par défaut de `{}://`)",
                r.scheme.as_deref().unwrap_or("")
            ),
        ),
    };
    let span = match r.port {
        Some((_, at)) => span_in(node, at, at + port.to_string().len()),
        None => span_in(node, r.at, r.at + r.host.len()),
    };
    report(
        ctx,
        Rule::ServicePortUnknown,
        path,
        span,
        Text::new(
            format!(
                "Service `{name}` exposes {list}, {what_en}: nothing answers there.{why_en} Write `{}:{first}`.",
                r.host
            ),
            format!(
                "Le Service `{name}` expose {liste}, {what_fr} : personne ne répond là.{why_fr} Écrivez `{}:{first}`.",
                r.host
            ),
        ),
    );
}

/// No Service has this name: a typo, a workload's name instead of its Service's, or a Service
/// not written yet.
#[allow(clippy::too_many_arguments)]
fn unknown(
    ctx: &mut Ctx<'_>,
    index: &Index<'_>,
    n: &Named<'_>,
    r: &HostRef<'_>,
    port: Option<u32>,
    node: &Node,
    path: &FieldPath,
    source: Source,
) {
    let suggestion = suggest(index, &n.name);
    let exposes = |s: &str| {
        let svc = index.service(s);
        port.is_none()
            || svc.is_none_or(|svc| {
                svc.any_port
                    || svc.ports.as_ref().is_none_or(|ps| {
                        ps.is_empty() || ps.iter().any(|p| Some(p.port) == port.map(i64::from))
                    })
            })
    };
    // Only a URL of a container with a bare name is surely meant for a Service of the
    // namespace; elsewhere, say so only with a near name that exposes the port.
    let sure = source == Source::Container && n.bare && r.scheme.is_some();
    if !sure && !suggestion.is_some_and(exposes) {
        return;
    }
    let name = &n.name;
    let workload = [
        "Deployment",
        "Pod",
        "ReplicaSet",
        "Job",
        "CronJob",
        "StatefulSet",
    ]
    .into_iter()
    .find(|k| index.defines(k, name));
    let (mut en, mut fr) = (
        format!(
            "No Service named `{name}` in the workspace or the cluster: `{}` will not resolve in the cluster.",
            n.host
        ),
        format!(
            "Aucun Service nommé `{name}` dans l'espace de travail ni dans le cluster : `{}` ne sera pas résolu dans le cluster.",
            n.host
        ),
    );
    if let Some(kind) = workload {
        en.push_str(&format!(" `{name}` is a {kind}: pods are reached through the name of a Service that selects them."));
        fr.push_str(&format!(" `{name}` est un {kind} : on joint des pods par le nom d'un Service qui les sélectionne."));
    }
    match suggestion {
        Some(s) => {
            en.push_str(&format!(" Did you mean `{s}`?"));
            fr.push_str(&format!(" Vouliez-vous dire `{s}` ?"));
        }
        None => {
            let known = index.service_names();
            let list = known
                .iter()
                .take(5)
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let more = if known.len() > 5 { ", …" } else { "" };
            en.push_str(&format!(
                " Create the Service, or fix the name (Services known: {list}{more})."
            ));
            fr.push_str(&format!(
                " Créez le Service, ou corrigez le nom (Services connus : {list}{more})."
            ));
        }
    }
    let span = span_in(node, r.at, r.at + r.host.len());
    report(ctx, Rule::UnknownService, path, span, Text::new(en, fr));
}

/// The Service a mistyped name most likely meant: a near spelling, or the name with a suffix
/// (`web` for `web-svc`) or without one.
fn suggest<'a>(index: &Index<'a>, name: &str) -> Option<&'a str> {
    let names = index.service_names();
    let by_suffix = names.iter().copied().find(|s| {
        let s = s.to_ascii_lowercase();
        s.strip_prefix(name).is_some_and(|r| r.starts_with('-'))
            || name
                .strip_prefix(s.as_str())
                .is_some_and(|r| r.starts_with('-'))
    });
    let max = if name.len() <= 4 { 1 } else { 2 };
    by_suffix.or_else(|| {
        names
            .iter()
            .copied()
            .map(|s| (distance(name, &s.to_ascii_lowercase()), s))
            .filter(|(d, _)| *d <= max)
            .min_by_key(|(d, _)| *d)
            .map(|(_, s)| s)
    })
}

fn report(ctx: &mut Ctx<'_>, rule: Rule, path: &FieldPath, span: Option<Span>, message: Text) {
    match span {
        Some(span) => ctx.report_span(Severity::Warning, rule, path, span, message),
        None => ctx.report(Severity::Warning, rule, path, message),
    }
}

/// The span of `text[from..to]` of a string value, when the source can be mapped back: a
/// scalar on one line (plain, or quoted without escapes), or a literal block (`|`).
fn span_in(node: &Node, from: usize, to: usize) -> Option<Span> {
    let text = node.as_str()?;
    let s = node.span;
    let chars = |t: &str| u32::try_from(t.chars().count()).ok();
    if s.line == s.end_line {
        let width = s.end_column.checked_sub(s.column)?;
        let offset = match width.checked_sub(chars(text)?)? {
            0 if !node.quoted => 0,
            2 if node.quoted => 1,
            _ => return None,
        };
        let column = s.column + offset + chars(&text[..from])?;
        let end_column = column + chars(&text[from..to])?;
        return Some(Span {
            line: s.line,
            column,
            end_line: s.line,
            end_column,
        });
    }
    // A literal block: one line of the value per line of the file, from the block's first line.
    let newlines = u32::try_from(text.matches('\n').count()).ok()?;
    if !node.quoted || text.starts_with('\n') || newlines != s.end_line - s.line {
        return None;
    }
    let before = &text[..from];
    let line = s.line + u32::try_from(before.matches('\n').count()).ok()?;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = s.column + chars(&text[line_start..from])?;
    Some(Span {
        line,
        column,
        end_line: line,
        end_column: column + chars(&text[from..to])?,
    })
}
