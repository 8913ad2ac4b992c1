//! Layer 3: the API server's own validation rules for the kinds of the course (ConfigMap,
//! Secret, PVC, Pod, Deployment, ReplicaSet, Service, Job, CronJob) and their pod templates.
//! The aim is to refuse what the API server refuses, no more: doubtful cases are warnings.

mod config;
mod pod;
mod service;
pub(crate) mod workloads;

use super::context::Ctx;
use super::schema_check::child;
use super::syntax;
use crate::kinds;
use crate::yaml::{Node, NodeKind};

pub(crate) const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// An integer value (a whole float counts, as the API server reads JSON numbers).
pub(crate) fn int(n: &Node) -> Option<i64> {
    match n.kind {
        NodeKind::Int(i) => Some(i),
        #[allow(clippy::cast_possible_truncation)]
        NodeKind::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(f as i64),
        _ => None,
    }
}

/// Runs the rules for the object's kind.
pub(super) fn check(ctx: &mut Ctx<'_>) {
    metadata(ctx, "metadata", true);
    match kinds::find(&ctx.m.api_version, &ctx.m.kind) {
        Some(&kinds::CONFIG_MAP) => config::config_map(ctx),
        Some(&kinds::SECRET) => config::secret(ctx),
        Some(&kinds::PERSISTENT_VOLUME_CLAIM) => config::pvc(ctx),
        Some(&kinds::SERVICE) => service::service(ctx),
        Some(&kinds::POD) => pod::pod_spec(ctx, "spec", pod::Owner::Pod),
        Some(&(kinds::DEPLOYMENT | kinds::REPLICA_SET)) => workloads::deployment(ctx),
        Some(&kinds::JOB) => workloads::job(ctx, "spec"),
        Some(&kinds::CRON_JOB) => workloads::cron_job(ctx),
        _ => {}
    }
}

/// The longest name per kind (the API server's limits; CronJob leaves room for the Job suffix).
fn max_name(kind: &str) -> usize {
    match kind {
        "CronJob" => 52,
        "Service" | "Namespace" => 63,
        _ => 253,
    }
}

/// `metadata` of an object (`top`) or of a pod template.
pub(crate) fn metadata(ctx: &mut Ctx<'_>, path: &str, top: bool) {
    let root = ctx.m.root();
    if top {
        name(ctx, root);
        if let Some(ns) = root.find("metadata.namespace").and_then(Node::as_str)
            && !syntax::is_dns1123_label(ns)
        {
            ctx.error(
                    "invalid-name",
                    "metadata.namespace",
                    format!("`{ns}` is not a valid namespace name: lowercase letters, digits and `-`, at most 63 characters."),
                    format!("`{ns}` n'est pas un nom de namespace valide : minuscules, chiffres et `-`, 63 caractères au plus."),
                );
        }
    }
    let labels = format!("{path}.labels");
    if let Some(node) = root.find(&labels) {
        label_map(ctx, node, &labels);
    }
    let annotations = format!("{path}.annotations");
    if let Some(node) = root.find(&annotations) {
        let mut total = 0;
        for (k, v) in node.as_map() {
            total += k.name.len() + v.as_str().map_or(0, str::len);
            key_syntax(ctx, &k.name, &child(&annotations, &k.name), "annotation");
        }
        if total > 256 * 1024 {
            ctx.error(
                "annotations-too-large",
                &annotations,
                format!("Annotations total {total} bytes; the limit is 262144 (256 KiB). Move large data to a ConfigMap."),
                format!("Les annotations font {total} octets ; la limite est 262144 (256 Kio). Placez les grosses données dans un ConfigMap."),
            );
        }
    }
}

fn name(ctx: &mut Ctx<'_>, root: &Node) {
    let kind = ctx.m.kind.clone();
    let Some(name) = root.find("metadata.name").and_then(Node::as_str) else {
        if root.find("metadata.generateName").is_none() && !ctx.has_error_at("metadata") {
            ctx.error(
                "missing-name",
                "metadata",
                "This object has no `metadata.name`. Give it a name, e.g. `name: my-app`.",
                "Cet objet n'a pas de `metadata.name`. Donnez-lui un nom, par exemple `name: mon-app`.",
            );
        }
        return;
    };
    let max = max_name(&kind);
    let valid = match kind.as_str() {
        // Kubernetes 1.36 relaxed Service names from DNS-1035 to DNS-1123 labels (may start
        // with a digit; still no dots).
        "Service" | "Namespace" => syntax::is_dns1123_label(name),
        _ => syntax::is_dns1123_subdomain(name),
    };
    if !valid {
        let (rule_en, rule_fr) = if kind == "Service" {
            (
                "a Service name uses lowercase letters, digits and `-` (no dots), starts and ends with a letter or digit, at most 63 characters",
                "un nom de Service s'écrit en minuscules, chiffres et `-` (sans point), commence et finit par une lettre ou un chiffre, 63 caractères au plus",
            )
        } else {
            (
                "names use lowercase letters, digits, `-` and `.`, and start and end with a letter or digit",
                "les noms s'écrivent en minuscules, chiffres, `-` et `.`, et commencent et finissent par une lettre ou un chiffre",
            )
        };
        let lower = name.to_lowercase().replace(['_', ' '], "-");
        ctx.error(
            "invalid-name",
            "metadata.name",
            format!("`{name}` is not a valid {kind} name: {rule_en}. Try `{lower}`."),
            format!("`{name}` n'est pas un nom de {kind} valide : {rule_fr}. Essayez `{lower}`."),
        );
    } else if name.len() > max && kind != "Service" {
        ctx.error(
            "name-too-long",
            "metadata.name",
            format!(
                "This {kind} name has {} characters; the limit is {max}.",
                name.len()
            ),
            format!(
                "Ce nom de {kind} fait {} caractères ; la limite est {max}.",
                name.len()
            ),
        );
    }
}

/// Label or annotation key syntax.
fn key_syntax(ctx: &mut Ctx<'_>, key: &str, path: &str, what: &str) {
    if !syntax::is_qualified_name(key) {
        let quoi = if what == "label" {
            "d'étiquette (label)"
        } else {
            "d'annotation"
        };
        ctx.report_key(
            crate::Severity::Error,
            "invalid-label-key",
            path,
            crate::Text::new(
                format!("`{key}` is not a valid {what} key: letters, digits, `-`, `_`, `.`, at most 63 characters, optionally after a `domain.example/` prefix."),
                format!("`{key}` n'est pas une clé {quoi} valide : lettres, chiffres, `-`, `_`, `.`, 63 caractères au plus, éventuellement après un préfixe `domaine.exemple/`."),
            ),
        );
    }
}

/// A map of labels (or a label selector's `matchLabels`, or a Service selector).
pub(crate) fn label_map(ctx: &mut Ctx<'_>, node: &Node, path: &str) {
    for (k, v) in node.as_map() {
        let p = child(path, &k.name);
        key_syntax(ctx, &k.name, &p, "label");
        if let Some(value) = v.as_str()
            && !syntax::is_label_value(value)
        {
            ctx.error(
                    "invalid-label-value",
                    &p,
                    format!("`{value}` is not a valid label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit (no spaces, no `/` or `:`)."),
                    format!("`{value}` n'est pas une valeur d'étiquette valide : 63 lettres, chiffres, `-`, `_` ou `.` au plus, commençant et finissant par une lettre ou un chiffre (ni espace, ni `/` ou `:`)."),
                );
        }
    }
}

/// A field that must not be negative.
pub(crate) fn non_negative(ctx: &mut Ctx<'_>, path: &str) {
    if let Some(v) = ctx.m.node(path).and_then(int)
        && v < 0
    {
        ctx.error(
            "negative-value",
            path,
            format!("This value must be 0 or more, not {v}."),
            format!("Cette valeur doit être supérieure ou égale à 0, pas {v}."),
        );
    }
}
