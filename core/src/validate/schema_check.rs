//! Layer 2: the object against the schema of its kind — unknown fields (with a suggestion),
//! required fields, types, accepted values, quantities and base64.

use super::context::Ctx;
use super::syntax;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::schema::{self, Ty};
use crate::yaml::{Key, Node, NodeKind};

/// Checks `root` against the schema `ty` of its kind.
pub(super) fn check(ctx: &mut Ctx<'_>, root: &Node, ty: Ty) {
    node(ctx, root, ty, &mut FieldPath::root(), None);
}

/// Checks `n` at `path` (the walk pushes and pops its steps on `path`).
fn node(ctx: &mut Ctx<'_>, n: &Node, ty: Ty, path: &mut FieldPath, key: Option<&Key>) {
    if matches!(n.kind, NodeKind::Null) {
        return; // null is "not set" for the API server
    }
    match ty {
        Ty::Obj(i) => object(ctx, n, i, path),
        Ty::Arr(inner) => match &n.kind {
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push_index(i);
                    node(ctx, item, *inner, path, None);
                    path.pop();
                }
            }
            _ => wrong_type(ctx, n, ty, path, key),
        },
        Ty::Map(inner) => match &n.kind {
            NodeKind::Map(entries) => {
                for (k, v) in entries {
                    path.push_field(&k.name);
                    node(ctx, v, *inner, path, Some(k));
                    path.pop();
                }
            }
            _ => wrong_type(ctx, n, ty, path, key),
        },
        Ty::Any => {}
        _ => scalar(ctx, n, ty, path, key),
    }
}

fn object(ctx: &mut Ctx<'_>, n: &Node, def_index: u16, path: &mut FieldPath) {
    let Some(def) = schema::def(def_index) else {
        return;
    };
    let NodeKind::Map(entries) = &n.kind else {
        wrong_type(ctx, n, Ty::Obj(def_index), path, None);
        return;
    };
    for (k, v) in entries {
        let Some(f) = def.fields.iter().find(|f| f.name == k.name) else {
            unknown_field(ctx, k, def.fields.iter().map(|f| f.name), path);
            continue;
        };
        path.push_field(&k.name);
        node(ctx, v, f.ty, path, Some(k));
        // `~` leaves the field out (a required one is reported below); an empty string is
        // refused unless the API server takes it for the default.
        let left_out = matches!(v.kind, NodeKind::Null)
            || (v.as_str() == Some("") && empty_is_default(def.name, f.name));
        if !f.values.is_empty() && !left_out {
            enum_value(ctx, v, f.values, path);
        }
        if let (Ty::Arr(Ty::Str), true) = (f.ty, f.name == "accessModes") {
            for (i, item) in v.as_seq().iter().enumerate() {
                enum_value(ctx, item, schema::ACCESS_MODES, &path.index(i));
            }
        }
        path.pop();
    }
    for f in def
        .fields
        .iter()
        .filter(|f| f.required && !unchecked_required(def.name, f.name))
    {
        // A field set to `~` is the field left out: the API server reads it as its zero value.
        if !entries
            .iter()
            .any(|(k, v)| k.name == f.name && !matches!(v.kind, NodeKind::Null))
        {
            let what = if path.is_root() {
                "the top level".to_owned()
            } else {
                format!("`{path}`")
            };
            let quoi = if path.is_root() {
                "la racine".to_owned()
            } else {
                format!("`{path}`")
            };
            ctx.error(
                Rule::MissingField,
                &path.field(f.name),
                format!(
                    "The required field `{}` is missing in {what}. Add it ({}).",
                    f.name,
                    schema::type_name(f.ty)
                ),
                format!(
                    "Le champ obligatoire `{}` manque dans {quoi}. Ajoutez-le ({}).",
                    f.name,
                    schema::type_name(f.ty)
                ),
            );
        }
    }
}

fn unknown_field<'a>(
    ctx: &mut Ctx<'_>,
    k: &Key,
    names: impl Iterator<Item = &'a str> + Clone,
    parent: &FieldPath,
) {
    let suggestion = syntax::closest(&k.name, names);
    let (hint_en, hint_fr) = match suggestion {
        Some(s) => (format!(" Did you mean `{s}`?"), format!(" Vouliez-vous dire `{s}` ?")),
        None => (
            " Check its spelling and its indentation (it may belong one level up or down).".to_owned(),
            " Vérifiez son orthographe et son indentation (il est peut-être un niveau trop haut ou trop bas).".to_owned(),
        ),
    };
    let (place, lieu) = if parent.is_root() {
        ("at the top level".to_owned(), "à la racine".to_owned())
    } else {
        (format!("in `{parent}`"), format!("dans `{parent}`"))
    };
    ctx.report_key(
        crate::Severity::Error,
        Rule::UnknownField,
        &parent.field(&k.name),
        crate::Text::new(
            format!(
                "Unknown field `{}` {place}: the API server rejects it.{hint_en}",
                k.name
            ),
            format!(
                "Champ inconnu `{}` {lieu} : le serveur d'API le refuse.{hint_fr}",
                k.name
            ),
        ),
    );
}

fn enum_value(ctx: &mut Ctx<'_>, v: &Node, values: &[&str], path: &FieldPath) {
    let s = match &v.kind {
        NodeKind::Null => "",
        _ => match v.as_str() {
            Some(s) => s,
            None => return,
        },
    };
    if values.contains(&s) {
        return;
    }
    let list = values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let near = values
        .iter()
        .find(|v| v.eq_ignore_ascii_case(s))
        .copied()
        .or_else(|| syntax::closest(s, values.iter().copied()));
    let (en, fr) = match near {
        Some(n) => (
            format!(" Did you mean `{n}`? (case matters)"),
            format!(" Vouliez-vous dire `{n}` ? (la casse compte)"),
        ),
        None => (String::new(), String::new()),
    };
    ctx.error(
        Rule::InvalidValue,
        path,
        format!("`{s}` is not an accepted value here. Use one of: {list}.{en}"),
        format!("`{s}` n'est pas une valeur acceptée ici. Utilisez l'une de : {list}.{fr}"),
    );
}

fn scalar(ctx: &mut Ctx<'_>, n: &Node, ty: Ty, path: &FieldPath, key: Option<&Key>) {
    let ok = match (&n.kind, ty) {
        (NodeKind::Str(_), Ty::Str | Ty::IntOrStr | Ty::Time) => true,
        (NodeKind::Str(s), Ty::Quantity) => {
            if !syntax::is_quantity(s) {
                ctx.error(
                    Rule::InvalidQuantity,
                    path,
                    format!(
                        "`{s}` is not a valid quantity. Write a number with an optional unit: `500m` (CPU), `128Mi`, `1Gi` (memory, storage). Units are case-sensitive: `Mi`, not `MB` or `mi`."
                    ),
                    format!(
                        "`{s}` n'est pas une quantité valide. Écrivez un nombre avec une unité facultative : `500m` (CPU), `128Mi`, `1Gi` (mémoire, stockage). La casse compte : `Mi`, pas `MB` ni `mi`."
                    ),
                );
            }
            true
        }
        (NodeKind::Str(s), Ty::Bytes) => {
            if !syntax::is_base64(s) {
                ctx.error(
                    Rule::InvalidBase64,
                    path,
                    "This value must be base64-encoded (e.g. `echo -n 'secret' | base64`). To write it in clear text, move it under `stringData` instead of `data`.",
                    "Cette valeur doit être encodée en base64 (par exemple `echo -n 'secret' | base64`). Pour l'écrire en clair, mettez-la sous `stringData` au lieu de `data`.",
                );
            }
            true
        }
        (NodeKind::Int(i), Ty::Int32) => {
            if i32::try_from(*i).is_err() {
                ctx.error(
                    Rule::OutOfRange,
                    path,
                    format!("{i} is too large for this field (32-bit integer)."),
                    format!("{i} est trop grand pour ce champ (entier 32 bits)."),
                );
            }
            true
        }
        (NodeKind::Int(i), Ty::IntOrStr) => i32::try_from(*i).is_ok(),
        (NodeKind::Int(_), Ty::Int64 | Ty::Num | Ty::Quantity) => true,
        // The API server reads YAML into JSON first: a whole float (`3.0`, `1e1`, `0999`, which
        // is not octal) becomes an integer there.
        (NodeKind::Float(f), Ty::Int32 | Ty::Int64) => f.fract() == 0.0 && f.is_finite(),
        (NodeKind::Float(f), Ty::IntOrStr) => {
            f.fract() == 0.0 && f.is_finite() && f.abs() <= f64::from(i32::MAX)
        }
        (NodeKind::Float(f), Ty::Num | Ty::Quantity) => f.is_finite(),
        (NodeKind::Bool(_), Ty::Bool) => true,
        _ => false,
    };
    if !ok {
        wrong_type(ctx, n, ty, path, key);
    }
}

fn wrong_type(ctx: &mut Ctx<'_>, n: &Node, ty: Ty, path: &FieldPath, key: Option<&Key>) {
    let found = n.type_name();
    let raw = match &n.kind {
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.to_string(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Str(s) => s.clone(),
        _ => String::new(),
    };
    let field = key.map_or_else(|| path.to_string(), |k| k.name.clone());
    let (want_en, want_fr, fix_en, fix_fr) = match (ty, &n.kind) {
        (Ty::Str | Ty::Time | Ty::Bytes, NodeKind::Bool(_)) => (
            "a string".to_owned(),
            "une chaîne".to_owned(),
            " Without quotes, `yes`, `no`, `on`, `off`, `y`, `n`, `true` and `false` are booleans for Kubernetes (YAML 1.1): put the value in quotes, e.g. `\"yes\"`.".to_owned(),
            " Sans guillemets, `yes`, `no`, `on`, `off`, `y`, `n`, `true` et `false` sont des booléens pour Kubernetes (YAML 1.1) : mettez la valeur entre guillemets, par exemple `\"yes\"`.".to_owned(),
        ),
        (Ty::Str | Ty::Time | Ty::Bytes, NodeKind::Int(_) | NodeKind::Float(_)) => {
            let src = &raw;
            (
                "a string".to_owned(),
                "une chaîne".to_owned(),
                format!(" Put the value in quotes: `\"{src}\"`."),
                format!(" Mettez la valeur entre guillemets : `\"{src}\"`."),
            )
        }
        (Ty::Int32 | Ty::Int64 | Ty::Num, NodeKind::Str(_)) => (
            "a number".to_owned(),
            "un nombre".to_owned(),
            " Write the number without quotes.".to_owned(),
            " Écrivez le nombre sans guillemets.".to_owned(),
        ),
        (Ty::Bool, NodeKind::Str(_)) => (
            "a boolean".to_owned(),
            "un booléen".to_owned(),
            " Write `true` or `false` without quotes.".to_owned(),
            " Écrivez `true` ou `false` sans guillemets.".to_owned(),
        ),
        (Ty::Arr(_), NodeKind::Map(_)) => (
            "a list".to_owned(),
            "une liste".to_owned(),
            " Start each item with `- `.".to_owned(),
            " Commencez chaque élément par `- `.".to_owned(),
        ),
        (Ty::Obj(_) | Ty::Map(_), NodeKind::Seq(_)) => (
            "an object".to_owned(),
            "un objet".to_owned(),
            " Remove the `- ` in front of its fields.".to_owned(),
            " Retirez le `- ` devant ses champs.".to_owned(),
        ),
        (Ty::Map(Ty::Str), _) => (
            "a map of strings (`key: \"value\"` lines)".to_owned(),
            "une table de chaînes (lignes `clé: \"valeur\"`)".to_owned(),
            String::new(),
            String::new(),
        ),
        _ => (schema::type_name(ty), schema::type_name(ty), String::new(), String::new()),
    };
    ctx.error(
        Rule::WrongType,
        path,
        format!(
            "`{field}` must be {want_en}, but this is {}.{fix_en}",
            found.en
        ),
        format!(
            "`{field}` doit être {want_fr}, or c'est {}.{fix_fr}",
            found.fr
        ),
    );
}

/// Enumerated fields where the API server takes an empty string for the field left out (its
/// defaulting fills the value in, or its validation allows the empty value). Each was asked of
/// kube-apiserver 1.36.1; the other enumerated fields refuse `""` (`mountPropagation`,
/// `whenUnsatisfiable`, `seccompProfile.type`…).
const EMPTY_IS_DEFAULT: &[(&str, &str)] = &[
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"),
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"),
    ("io.k8s.api.core.v1.Container", "imagePullPolicy"),
    ("io.k8s.api.core.v1.Container", "terminationMessagePolicy"),
    ("io.k8s.api.core.v1.ContainerPort", "protocol"),
    ("io.k8s.api.core.v1.HTTPGetAction", "scheme"),
    ("io.k8s.api.core.v1.ObjectFieldSelector", "apiVersion"),
    ("io.k8s.api.core.v1.PodSpec", "dnsPolicy"),
    ("io.k8s.api.core.v1.PodSpec", "restartPolicy"),
    ("io.k8s.api.core.v1.ServicePort", "protocol"),
    ("io.k8s.api.core.v1.ServiceSpec", "externalTrafficPolicy"),
    ("io.k8s.api.core.v1.ServiceSpec", "sessionAffinity"),
    ("io.k8s.api.core.v1.ServiceSpec", "type"),
    ("io.k8s.api.core.v1.Toleration", "effect"),
    ("io.k8s.api.core.v1.Toleration", "operator"),
];

fn empty_is_default(def: &str, field: &str) -> bool {
    EMPTY_IS_DEFAULT.contains(&(def, field))
}

/// Fields the published schema marks required that the API server's validation does not
/// require on create (asked of kube-apiserver 1.36.1): left out, they are the empty value.
const UNCHECKED_REQUIRED: &[(&str, &str)] = &[
    ("io.k8s.api.batch.v1.PodFailurePolicy", "rules"),
    ("io.k8s.api.core.v1.HTTPHeader", "value"),
    ("io.k8s.api.core.v1.Sysctl", "value"),
];

fn unchecked_required(def: &str, field: &str) -> bool {
    UNCHECKED_REQUIRED.contains(&(def, field))
}
