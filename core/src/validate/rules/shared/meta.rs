//! An object's own metadata, as the API server checks it on a create: the name (each kind has
//! its name rule), `generateName`, the namespace, finalizers, owner references, and the fields
//! the API server writes itself (copied from `kubectl get -o yaml`).

use crate::kinds;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use crate::{Severity, Text};

/// The kinds whose name the API server would rather see as a DNS label (pods' hostnames).
const HOSTNAME_KINDS: &[&str] = &["Pod", "Deployment", "ReplicaSet", "Job", "CronJob"];

/// How a kind's names are checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameRule {
    /// A DNS label: lowercase letters, digits and `-`, at most 63 (Services since 1.36, Namespaces).
    Label,
    /// A DNS subdomain (dots allowed), at most 253, or fewer when the kind needs room (`max`).
    Subdomain { max: usize },
}

/// The name rule of a kind: a Job's name becomes a label of its pods (at most 63 characters),
/// a CronJob's name gets an 11-character suffix for its Jobs (at most 52).
fn name_rule(ctx: &Ctx<'_>) -> NameRule {
    match kinds::find(&ctx.m.api_version, &ctx.m.kind) {
        Some(&kinds::SERVICE) => NameRule::Label,
        Some(&kinds::CRON_JOB) => NameRule::Subdomain { max: 52 },
        Some(&kinds::JOB) if job_name_is_a_label(ctx) => NameRule::Subdomain { max: 63 },
        _ if ctx.m.kind == "Namespace" => NameRule::Label,
        _ => NameRule::Subdomain { max: 253 },
    }
}

/// Whether the API server copies the Job's name into its pod template's labels (it does unless
/// the selector is manual or the template already has both job-name labels).
fn job_name_is_a_label(ctx: &Ctx<'_>) -> bool {
    let root = ctx.m.root();
    if root.find("spec.manualSelector").map(|n| &n.kind) == Some(&NodeKind::Bool(true)) {
        return false;
    }
    let labels = root.find("spec.template.metadata.labels");
    let has = |k: &str| labels.and_then(|l| l.get(k)).is_some();
    !(has("job-name") && has("batch.kubernetes.io/job-name"))
}

fn valid(rule: NameRule, name: &str) -> bool {
    match rule {
        NameRule::Label => syntax::is_dns1123_label(name),
        NameRule::Subdomain { .. } => syntax::is_dns1123_subdomain(name),
    }
}

/// The name's characters are right, whatever its length.
fn shape(rule: NameRule, name: &str) -> bool {
    match rule {
        NameRule::Label => syntax::is_label_shape(name),
        NameRule::Subdomain { .. } => name.split('.').all(syntax::is_label_shape),
    }
}

fn max_len(rule: NameRule) -> usize {
    match rule {
        NameRule::Label => 63,
        NameRule::Subdomain { max } => max,
    }
}

/// The top-level `metadata` of an object.
pub(super) fn object_meta(ctx: &mut Ctx<'_>, path: &FieldPath) {
    let rule = name_rule(ctx);
    name(ctx, path, rule);
    generate_name(ctx, path, rule);
    namespace(ctx, path);
    finalizers(ctx, path);
    owner_references(ctx, path);
    super::non_negative(ctx, &path.field("generation"));
    server_fields(ctx, path);
}

fn name(ctx: &mut Ctx<'_>, path: &FieldPath, rule: NameRule) {
    let kind = ctx.m.kind.clone();
    let p = path.field("name");
    let Some(name) = ctx.m.node(&p).and_then(Node::as_str).map(str::to_owned) else {
        missing_name(ctx, path);
        return;
    };
    if name.is_empty() {
        missing_name(ctx, path);
        return;
    }
    let max = max_len(rule);
    if shape(rule, &name) && name.len() > max {
        let why_en = match (kind.as_str(), max) {
            ("CronJob", _) => {
                " (its Jobs get an 11-character suffix and a Job's name has at most 63)"
            }
            ("Job", 63) => " (the Job's name becomes a label of its pods, at most 63 characters)",
            _ => "",
        };
        let why_fr = match (kind.as_str(), max) {
            ("CronJob", _) => {
                " (ses Jobs reçoivent un suffixe de 11 caractères et un nom de Job en a 63 au plus)"
            }
            ("Job", 63) => {
                " (le nom du Job devient une étiquette de ses pods, 63 caractères au plus)"
            }
            _ => "",
        };
        ctx.error(
            Rule::NameTooLong,
            &p,
            format!("This {kind} name has {} characters; the limit is {max}{why_en}. Shorten it.", name.len()),
            format!("Ce nom de {kind} fait {} caractères ; la limite est {max}{why_fr}. Raccourcissez-le.", name.len()),
        );
        return;
    }
    if HOSTNAME_KINDS.contains(&kind.as_str())
        && valid(rule, &name)
        && !syntax::is_dns1123_label(&name)
    {
        // The API server accepts it with a warning: pods take their hostname from it.
        ctx.warning(
            Rule::NameNotLabel,
            &p,
            format!("`{name}` works as a {kind} name, but its pods take their hostname from it, and a hostname has no dots and at most 63 characters. Prefer `{}`.", suggestion(&name, NameRule::Label).chars().take(63).collect::<String>()),
            format!("`{name}` convient comme nom de {kind}, mais ses pods en tirent leur nom d'hôte, qui n'a pas de point et 63 caractères au plus. Préférez `{}`.", suggestion(&name, NameRule::Label).chars().take(63).collect::<String>()),
        );
    }
    if !valid(rule, &name) {
        let (en, fr) = name_shape(&kind, rule);
        let lower = suggestion(&name, rule);
        ctx.error(
            Rule::InvalidName,
            &p,
            format!("`{name}` is not a valid {kind} name: {en}. Try `{lower}`."),
            format!("`{name}` n'est pas un nom de {kind} valide : {fr}. Essayez `{lower}`."),
        );
    }
}

fn name_shape(kind: &str, rule: NameRule) -> (String, String) {
    match rule {
        NameRule::Label => (
            format!("a {kind} name uses lowercase letters, digits and `-` (no dots), starts and ends with a letter or digit, at most 63 characters"),
            format!("un nom de {kind} s'écrit en minuscules, chiffres et `-` (sans point), commence et finit par une lettre ou un chiffre, 63 caractères au plus"),
        ),
        NameRule::Subdomain { .. } => (
            "names use lowercase letters, digits, `-` and `.`, and start and end with a letter or digit".to_owned(),
            "les noms s'écrivent en minuscules, chiffres, `-` et `.`, et commencent et finissent par une lettre ou un chiffre".to_owned(),
        ),
    }
}

/// A likely valid spelling of a refused name.
fn suggestion(name: &str, rule: NameRule) -> String {
    let mut s: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => c,
            '.' if rule != NameRule::Label => c,
            _ => '-',
        })
        .collect();
    s = s.trim_matches(['-', '.']).to_owned();
    if s.is_empty() { "my-app".to_owned() } else { s }
}

/// No name: an apply needs one (`generateName` only works with `kubectl create`).
fn missing_name(ctx: &mut Ctx<'_>, path: &FieldPath) {
    if ctx.has_error_at(path) {
        return;
    }
    if ctx.m.node(&path.field("generateName")).is_some() {
        // `kubectl create` accepts it; the apply of this app does not: a warning.
        ctx.warning(
            Rule::MissingName,
            &path.field("generateName"),
            "`generateName` lets the API server make up a name when an object is created (`kubectl create`); apply updates an object by its name, so it needs `metadata.name`. Replace `generateName` by a `name`.",
            "`generateName` laisse l'API server inventer un nom à la création d'un objet (`kubectl create`) ; apply met à jour un objet par son nom, il lui faut donc `metadata.name`. Remplacez `generateName` par un `name`.",
        );
    } else {
        // At `name:` when it is there but empty, else at `metadata`.
        let name = path.field("name");
        ctx.error(
            Rule::MissingName,
            if ctx.m.node(&name).is_some() {
                &name
            } else {
                path
            },
            "This object has no `metadata.name`. Give it a name, e.g. `name: my-app`.",
            "Cet objet n'a pas de `metadata.name`. Donnez-lui un nom, par exemple `name: mon-app`.",
        );
    }
}

/// `generateName` is checked as a name whose end will be completed: a trailing `-` is fine.
fn generate_name(ctx: &mut Ctx<'_>, path: &FieldPath, rule: NameRule) {
    let p = path.field("generateName");
    let Some(prefix) = ctx.m.node(&p).and_then(Node::as_str) else {
        return;
    };
    if prefix.is_empty() {
        return;
    }
    let masked = match prefix.strip_suffix('-') {
        Some(head) if !head.is_empty() => format!("{head}a"),
        _ => prefix.to_owned(),
    };
    if !valid(rule, &masked) {
        let kind = ctx.m.kind.clone();
        let (en, fr) = name_shape(&kind, rule);
        ctx.error(
            Rule::InvalidName,
            &p,
            format!("`{prefix}` is not a valid name prefix: {en} (a trailing `-` is allowed here)."),
            format!("`{prefix}` n'est pas un préfixe de nom valide : {fr} (un `-` final est permis ici)."),
        );
    }
}

fn namespace(ctx: &mut Ctx<'_>, path: &FieldPath) {
    let p = path.field("namespace");
    if let Some(ns) = ctx.m.node(&p).and_then(Node::as_str)
        && !ns.is_empty()
        && !syntax::is_dns1123_label(ns)
    {
        ctx.error(
            Rule::InvalidName,
            &p,
            format!("`{ns}` is not a valid namespace name: lowercase letters, digits and `-`, at most 63 characters."),
            format!("`{ns}` n'est pas un nom de namespace valide : minuscules, chiffres et `-`, 63 caractères au plus."),
        );
    }
}

/// The finalizers the API server knows without a domain prefix.
const STANDARD_FINALIZERS: &[&str] = &["kubernetes", "orphan", "foregroundDeletion"];

fn finalizers(ctx: &mut Ctx<'_>, path: &FieldPath) {
    let p = path.field("finalizers");
    let Some(list) = ctx.m.node(&p) else { return };
    let items = list.as_seq();
    for (i, item) in items.iter().enumerate() {
        let Some(f) = item.as_str() else { continue };
        let ok = if f.contains('/') {
            syntax::is_qualified_name(f)
        } else {
            STANDARD_FINALIZERS.contains(&f)
        };
        if !ok {
            ctx.error(
                Rule::InvalidFinalizer,
                &p.index(i),
                format!("`{f}` is not a valid finalizer: use a name with a domain prefix such as `example.com/cleanup`, or one of `kubernetes`, `orphan`, `foregroundDeletion`."),
                format!("`{f}` n'est pas un finaliseur valide : utilisez un nom avec un préfixe de domaine comme `example.com/nettoyage`, ou l'un de `kubernetes`, `orphan`, `foregroundDeletion`."),
            );
        }
    }
    let has = |name: &str| items.iter().position(|n| n.as_str() == Some(name));
    if let (Some(_), Some(j)) = (has("orphan"), has("foregroundDeletion")) {
        ctx.error(
            Rule::InvalidFinalizer,
            &p.index(j),
            "The finalizers `orphan` and `foregroundDeletion` contradict each other: keep one.",
            "Les finaliseurs `orphan` et `foregroundDeletion` se contredisent : gardez-en un.",
        );
    }
}

fn owner_references(ctx: &mut Ctx<'_>, path: &FieldPath) {
    let p = path.field("ownerReferences");
    let Some(list) = ctx.m.node(&p) else { return };
    let mut controller: Option<String> = None;
    for (i, r) in list.as_seq().iter().enumerate() {
        let rp = p.index(i);
        let field = |f: &str| r.get(f).and_then(Node::as_str).unwrap_or_default();
        let (api_version, kind) = (field("apiVersion"), field("kind"));
        for f in ["apiVersion", "kind", "name", "uid"] {
            if r.get(f).and_then(Node::as_str) == Some("") {
                empty_owner_field(ctx, &rp.field(f), f);
            }
        }
        let slashes = api_version.matches('/').count();
        if !api_version.is_empty() && (api_version.ends_with('/') || slashes > 1) {
            ctx.error(
                Rule::OwnerReference,
                &rp.field("apiVersion"),
                format!("`{api_version}` is not an apiVersion: write `group/version` such as `apps/v1`, or `v1` for the core group."),
                format!("`{api_version}` n'est pas un apiVersion : écrivez `groupe/version` comme `apps/v1`, ou `v1` pour le groupe de base."),
            );
        }
        if api_version == "v1" && kind == "Event" {
            ctx.error(
                Rule::OwnerReference,
                &rp.field("kind"),
                "An Event cannot own other objects. Point the reference at the object that should own this one.",
                "Un Event ne peut pas posséder d'autres objets. Faites pointer la référence vers l'objet qui doit posséder celui-ci.",
            );
        }
        if r.get("controller").map(|n| &n.kind) == Some(&NodeKind::Bool(true)) {
            let this = format!("{kind}/{}", field("name"));
            match &controller {
                Some(first) => ctx.error(
                    Rule::OwnerReference,
                    &rp.field("controller"),
                    format!("Only one owner may be the controller; {first} already is. Remove `controller: true` here."),
                    format!("Un seul propriétaire peut être le contrôleur ; {first} l'est déjà. Retirez `controller: true` ici."),
                ),
                None => controller = Some(this),
            }
        }
    }
}

fn empty_owner_field(ctx: &mut Ctx<'_>, p: &FieldPath, f: &str) {
    ctx.error(
        Rule::OwnerReference,
        p,
        format!("An owner reference needs a non-empty `{f}`: the owner's apiVersion, kind, name and uid (from `kubectl get … -o yaml`)."),
        format!("Une référence de propriétaire a besoin d'un `{f}` non vide : apiVersion, kind, nom et uid du propriétaire (voir `kubectl get … -o yaml`)."),
    );
}

/// Fields the API server writes: refused (`managedFields` in an apply), risky (`uid` and
/// `resourceVersion` make the apply fail once the object is gone or has changed), or ignored.
fn server_fields(ctx: &mut Ctx<'_>, path: &FieldPath) {
    let set = |ctx: &Ctx<'_>, f: &str| {
        ctx.m
            .node(&path.field(f))
            .is_some_and(|n| !matches!(n.kind, NodeKind::Null) && n.as_str() != Some(""))
    };
    if ctx.m.node(&path.field("managedFields")).is_some_and(|n| {
        !n.as_seq().is_empty() || !matches!(n.kind, NodeKind::Seq(_) | NodeKind::Null)
    }) {
        ctx.report_key(
            Severity::Error,
            Rule::ServerField,
            &path.field("managedFields"),
            Text::new(
                "`managedFields` is written by the API server; an apply that sends it is refused. Remove it (it came with `kubectl get -o yaml`).",
                "`managedFields` est écrit par l'API server ; un apply qui l'envoie est refusé. Retirez-le (il vient de `kubectl get -o yaml`).",
            ),
        );
    }
    for f in ["uid", "resourceVersion"] {
        if set(ctx, f) {
            ctx.report_key(
                Severity::Warning,
                Rule::ServerField,
                &path.field(f),
                Text::new(
                    format!("`{f}` is written by the API server: with it, the apply fails as soon as that very object is gone or has changed. Remove it."),
                    format!("`{f}` est écrit par l'API server : avec lui, l'apply échoue dès que cet objet précis n'existe plus ou a changé. Retirez-le."),
                ),
            );
        }
    }
    for f in [
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "selfLink",
        "generation",
    ] {
        if set(ctx, f) && !ctx.has_error_at(&path.field(f)) {
            ctx.report_key(
                Severity::Info,
                Rule::ServerField,
                &path.field(f),
                Text::new(
                    format!("`{f}` is written by the API server, which ignores this value. You can remove it."),
                    format!("`{f}` est écrit par l'API server, qui ignore cette valeur. Vous pouvez le retirer."),
                ),
            );
        }
    }
}
