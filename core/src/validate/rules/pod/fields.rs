//! Small checks the pod spec's rules share: required strings, accepted values, ranges, paths
//! inside a volume, file modes, IP addresses.

use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::{Node, NodeKind};

/// The entry `field` of `parent` unless it is null (`emptyDir:` with nothing after it): the
/// API server reads null as "not set".
pub(super) fn set<'n>(parent: &'n Node, field: &str) -> Option<&'n Node> {
    parent
        .get(field)
        .filter(|n| !matches!(n.kind, NodeKind::Null))
}

/// `field` of `parent` must be a non-empty string. An absent field is reported here unless the
/// schema already did (it knows the fields it marks required).
pub(super) fn required(
    ctx: &mut Ctx<'_>,
    parent: &Node,
    pp: &FieldPath,
    field: &str,
    en: &str,
    fr: &str,
) {
    let path = pp.field(field);
    let missing = match parent.get(field).map(|n| &n.kind) {
        None | Some(NodeKind::Null) => true,
        Some(NodeKind::Str(s)) => s.is_empty(),
        Some(_) => false,
    };
    if missing && !ctx.has_error_at(&path) && matches!(parent.kind, NodeKind::Map(_)) {
        let at = if parent.get(field).is_some() {
            path
        } else {
            pp.clone()
        };
        ctx.error(
            Rule::MissingField,
            &at,
            format!("`{field}` must not be empty: {en}"),
            format!("`{field}` ne doit pas être vide : {fr}"),
        );
    }
}

/// A string field restricted to `values` (for fields the schema does not restrict).
pub(super) fn one_of(
    ctx: &mut Ctx<'_>,
    parent: &Node,
    pp: &FieldPath,
    field: &str,
    values: &[&str],
) {
    let Some(v) = parent.get(field).and_then(Node::as_str) else {
        return;
    };
    let path = pp.field(field);
    if values.contains(&v) || ctx.has_error_at(&path) {
        return;
    }
    let list = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let near = values.iter().find(|x| x.eq_ignore_ascii_case(v));
    let (en, fr) = near.map_or((String::new(), String::new()), |n| {
        (
            format!(" Did you mean `{n}`? (case matters)"),
            format!(" Vouliez-vous dire `{n}` ? (la casse compte)"),
        )
    });
    ctx.error(
        Rule::InvalidValue,
        &path,
        format!("`{v}` is not an accepted value for `{field}`. Use one of: {list}.{en}"),
        format!(
            "`{v}` n'est pas une valeur acceptée pour `{field}`. Utilisez l'une de : {list}.{fr}"
        ),
    );
}

/// An integer field that must lie in `lo..=hi`.
pub(super) fn in_range(
    ctx: &mut Ctx<'_>,
    parent: &Node,
    pp: &FieldPath,
    field: &str,
    lo: i64,
    hi: i64,
) {
    if let Some(v) = parent.get(field).and_then(Node::as_int)
        && !(lo..=hi).contains(&v)
    {
        ctx.error(
            Rule::OutOfRange,
            &pp.field(field),
            format!("`{field}` must be between {lo} and {hi}, not {v}."),
            format!("`{field}` doit être compris entre {lo} et {hi}, pas {v}."),
        );
    }
}

/// A file mode (`defaultMode`, `mode`): 0 to 0777 (511 in decimal).
pub(super) fn file_mode(ctx: &mut Ctx<'_>, parent: &Node, pp: &FieldPath, field: &str) {
    if let Some(v) = parent.get(field).and_then(Node::as_int)
        && !(0..=0o777).contains(&v)
    {
        ctx.error(
            Rule::InvalidFileMode,
            &pp.field(field),
            format!("{v} is not a file mode: use 0 to 0777 in octal with a leading 0 (e.g. `0644`), or 0 to 511 in decimal (`420` is `0644`)."),
            format!("{v} n'est pas un mode de fichier : utilisez 0 à 0777 en octal avec un 0 devant (par exemple `0644`), ou 0 à 511 en décimal (`420` vaut `0644`)."),
        );
    }
}

/// Whether a path has a `..` element.
pub(super) fn has_backsteps(path: &str) -> bool {
    path.split('/').any(|part| part == "..")
}

/// A path below a directory: relative, without `..` (`subPath`, `items[].path`…). `reserved`
/// also refuses names starting with `..` (the kubelet's own `..data` files in a volume).
pub(super) fn local_path(
    ctx: &mut Ctx<'_>,
    parent: &Node,
    pp: &FieldPath,
    field: &str,
    reserved: bool,
) {
    let Some(p) = parent.get(field).and_then(Node::as_str) else {
        return;
    };
    let path = pp.field(field);
    if p.starts_with('/') {
        let rel = p.trim_start_matches('/');
        ctx.error(
            Rule::InvalidPath,
            &path,
            format!("`{field}` is a path inside the volume: it must be relative, without a leading `/`. Write `{rel}`."),
            format!("`{field}` est un chemin dans le volume : il doit être relatif, sans `/` au début. Écrivez `{rel}`."),
        );
    } else if has_backsteps(p) {
        ctx.error(
            Rule::InvalidPath,
            &path,
            format!("`{field}` must not contain `..`: it may not leave the volume. Name a file or folder inside it."),
            format!("`{field}` ne doit pas contenir `..` : il ne peut pas sortir du volume. Nommez un fichier ou un dossier qui s'y trouve."),
        );
    } else if reserved && p.starts_with("..") {
        ctx.error(
            Rule::InvalidPath,
            &path,
            format!("`{field}` must not start with `..` (names such as `..data` are kept for Kubernetes' own files). Rename it."),
            format!("`{field}` ne doit pas commencer par `..` (les noms comme `..data` sont réservés aux fichiers de Kubernetes). Renommez-le."),
        );
    }
}

/// An IP address as the API server reads it: IPv4 (without leading zeros, which it refuses)
/// or IPv6.
pub(super) fn is_ip(s: &str) -> bool {
    if s.contains(':') {
        return s.parse::<std::net::Ipv6Addr>().is_ok();
    }
    s.parse::<std::net::Ipv4Addr>().is_ok()
}
