//! The schema of every built-in kind of the pinned Kubernetes version
//! ([`crate::KUBERNETES_VERSION`]): field types, descriptions, required fields and accepted
//! values, for validation, hover docs and completion.
//!
//! The table (`generated.rs`) is generated from k8s-openapi's JSON Schemas by
//! `core/tests/schema_table.rs`, which also checks that it is up to date. Regenerate it with:
//!
//! ```sh
//! KUBEFICHE_UPDATE_SCHEMA=1 cargo test -p kubefiche-core --test schema_table
//! ```
//!
//! Descriptions are cut to their first sentences to keep the WebAssembly small. The file is
//! marked generated (`@generated`, and `linguist-generated` in `.gitattributes` so that reviews
//! fold it) and skipped by rustfmt: the generator writes one field per line within 100 columns,
//! so a schema change shows as the lines it touches, and the bytes the test compares do not
//! depend on rustfmt's version or width heuristics.

pub mod fr;
#[rustfmt::skip]
mod generated;
mod table;

pub use table::{Def, F, Ty};

use crate::path::{FieldPath, Segment, ToFieldPath};

/// The accepted items of an `accessModes` list (the table's `values` are for single values).
pub const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

/// What the editor shows about a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field's name (empty for the object itself).
    pub name: String,
    /// A readable type: `string`, `integer`, `list of Container`, `map of string`…
    pub type_name: String,
    pub description: String,
    /// The language of `description`, `"en"` or `"fr"`: French was asked for but the field has
    /// no French description yet when this is `"en"` and `description` is not empty.
    pub description_lang: &'static str,
    /// The accepted values, when the API server restricts them.
    pub enum_values: Vec<String>,
    pub required: bool,
}

/// Every (apiVersion, kind) pair with a schema, sorted by kind.
pub fn kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    generated::KINDS.iter().map(|(a, k, _)| (*a, *k))
}

/// The type of a kind's top-level object.
pub fn root(api_version: &str, kind: &str) -> Option<Ty> {
    generated::KINDS
        .iter()
        .find(|(a, k, _)| *a == api_version && *k == kind)
        .map(|(_, _, d)| Ty::Obj(*d))
}

/// The definition at `index` of the table.
pub fn def(index: u16) -> Option<&'static Def> {
    generated::DEFS.get(usize::from(index))
}

/// A description from the table.
pub fn doc(index: u16) -> &'static str {
    generated::DOCS
        .get(usize::from(index))
        .copied()
        .unwrap_or("")
}

/// The definition with this OpenAPI name (e.g. `io.k8s.api.core.v1.PodSpec`).
pub fn def_by_name(name: &str) -> Option<(u16, &'static Def)> {
    let i = generated::DEFS
        .binary_search_by(|d| d.name.cmp(name))
        .ok()?;
    Some((u16::try_from(i).ok()?, &generated::DEFS[i]))
}

/// A field of an object type.
pub fn field(ty: Ty, name: &str) -> Option<&'static F> {
    match ty {
        Ty::Obj(i) => def(i)?.fields.iter().find(|f| f.name == name),
        _ => None,
    }
}

/// A readable name of a type, in English.
pub fn type_name(ty: Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Int32 | Ty::Int64 => "integer".into(),
        Ty::Num => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::IntOrStr => "integer or string".into(),
        Ty::Quantity => "quantity (e.g. 500m, 1Gi)".into(),
        Ty::Time => "date-time (RFC 3339)".into(),
        Ty::Bytes => "base64 string".into(),
        Ty::Any => "any".into(),
        Ty::Obj(i) => object_name(i).into(),
        Ty::Arr(inner) => format!("list of {}", type_name(*inner)),
        Ty::Map(inner) => format!("map of {}", type_name(*inner)),
    }
}

/// A readable name of a type in `lang` (`"fr…"` gives French, anything else English).
pub fn type_name_in(ty: Ty, lang: &str) -> String {
    if !lang.starts_with("fr") {
        return type_name(ty);
    }
    match ty {
        Ty::Arr(inner) => format!("liste {}", of_fr(*inner)),
        Ty::Map(inner) => format!("table {}", of_fr(*inner)),
        Ty::Obj(i) => object_name(i).into(),
        _ => fr_names(ty).0.into(),
    }
}

/// French names of a scalar type: (one, several).
fn fr_names(ty: Ty) -> (&'static str, &'static str) {
    match ty {
        Ty::Str => ("chaîne", "chaînes"),
        Ty::Int32 | Ty::Int64 => ("entier", "entiers"),
        Ty::Num => ("nombre", "nombres"),
        Ty::Bool => ("booléen", "booléens"),
        Ty::IntOrStr => ("entier ou chaîne", "entiers ou chaînes"),
        Ty::Quantity => (
            "quantité (p. ex. 500m, 1Gi)",
            "quantités (p. ex. 500m, 1Gi)",
        ),
        Ty::Time => ("date-heure (RFC 3339)", "dates-heures (RFC 3339)"),
        Ty::Bytes => ("chaîne base64", "chaînes base64"),
        _ => ("valeur quelconque", "valeurs quelconques"),
    }
}

/// `de chaînes`, `d'entiers`, `de listes de chaînes`, `d'EnvVar`: what a list or map holds.
fn of_fr(ty: Ty) -> String {
    let items = match ty {
        Ty::Arr(inner) => format!("listes {}", of_fr(*inner)),
        Ty::Map(inner) => format!("tables {}", of_fr(*inner)),
        Ty::Obj(i) => object_name(i).to_owned(),
        _ => fr_names(ty).1.to_owned(),
    };
    let vowel = items
        .chars()
        .next()
        .is_some_and(|c| "aeiouyéAEIOUYÉ".contains(c));
    if vowel {
        format!("d'{items}")
    } else {
        format!("de {items}")
    }
}

/// The short name of a definition (`Container` for `io.k8s.api.core.v1.Container`).
fn object_name(index: u16) -> &'static str {
    def(index).map_or("object", |d| d.name.rsplit('.').next().unwrap_or("object"))
}

/// A field and the definition it belongs to.
type Owned = (&'static Def, &'static F);

/// Where a path leads in the schema: the type and, if the last step was a field, that field
/// with its definition.
fn walk(api_version: &str, kind: &str, path: &FieldPath) -> Option<(Ty, Option<Owned>)> {
    let mut ty = root(api_version, kind)?;
    let mut last = None;
    for seg in path.segments() {
        match seg {
            Segment::Index(_) => match ty {
                Ty::Arr(inner) => ty = *inner,
                _ => return None,
            },
            Segment::Field(name) => {
                if let Ty::Arr(inner) = ty {
                    ty = *inner;
                }
                match ty {
                    Ty::Map(inner) => {
                        ty = *inner;
                        last = None;
                    }
                    Ty::Obj(i) => {
                        let d = def(i)?;
                        let f = d.fields.iter().find(|f| f.name == name)?;
                        ty = f.ty;
                        last = Some((d, f));
                    }
                    _ => return None,
                }
            }
        }
    }
    Some((ty, last))
}

fn info(lang: &str, ty: Ty, owned: Option<Owned>) -> FieldInfo {
    let (description, description_lang) = description(lang.starts_with("fr"), ty, owned);
    let f = owned.map(|(_, f)| f);
    FieldInfo {
        name: f.map_or("", |f| f.name).to_owned(),
        type_name: type_name_in(ty, lang),
        description: description.to_owned(),
        description_lang,
        enum_values: f
            .map(|f| f.values.iter().map(|v| (*v).to_owned()).collect())
            .unwrap_or_default(),
        required: f.is_some_and(|f| f.required),
    }
}

/// The words of the field first, then those of its type; French, when asked for, wherever
/// there are some. With its language; nothing at all counts as said in the language asked.
fn description(french: bool, ty: Ty, owned: Option<Owned>) -> (&'static str, &'static str) {
    let asked = if french { "fr" } else { "en" };
    let type_def = match ty {
        Ty::Obj(i) => def(i),
        _ => None,
    };
    let field_fr = owned
        .filter(|_| french)
        .and_then(|(d, f)| fr::doc(d.name, f.name));
    let field_en = owned.map(|(_, f)| doc(f.doc)).filter(|t| !t.is_empty());
    let type_fr = type_def
        .filter(|_| french)
        .and_then(|d| fr::doc(d.name, ""));
    let type_en = type_def.map(|d| doc(d.doc)).filter(|t| !t.is_empty());
    match (field_fr, field_en, type_fr, type_en) {
        (Some(t), ..) => (t, "fr"),
        (None, Some(t), ..) => (t, "en"),
        (None, None, Some(t), _) => (t, "fr"),
        (None, None, None, Some(t)) => (t, "en"),
        _ => ("", asked),
    }
}

/// The type, description, accepted values and requiredness of the field at `path` (e.g.
/// `spec.template.spec.containers[0].imagePullPolicy`; list indices may be left out), in English.
pub fn field_info(
    api_version: &str,
    kind: &str,
    path: &(impl ToFieldPath + ?Sized),
) -> Option<FieldInfo> {
    field_info_in("en", api_version, kind, path)
}

/// [`field_info`] in `lang` (`"fr…"`: French type names, and the French description where there
/// is one, else the English one with `description_lang` saying so).
pub fn field_info_in(
    lang: &str,
    api_version: &str,
    kind: &str,
    path: &(impl ToFieldPath + ?Sized),
) -> Option<FieldInfo> {
    let (ty, owned) = walk(api_version, kind, &path.to_field_path())?;
    Some(info(lang, ty, owned))
}

/// The fields that may appear in the object at `path` (empty path: the top level), for
/// completion, in English. Empty when `path` is not an object.
pub fn child_fields(
    api_version: &str,
    kind: &str,
    path: &(impl ToFieldPath + ?Sized),
) -> Vec<FieldInfo> {
    child_fields_in("en", api_version, kind, path)
}

/// [`child_fields`] in `lang`, as [`field_info_in`].
pub fn child_fields_in(
    lang: &str,
    api_version: &str,
    kind: &str,
    path: &(impl ToFieldPath + ?Sized),
) -> Vec<FieldInfo> {
    let Some((mut ty, _)) = walk(api_version, kind, &path.to_field_path()) else {
        return Vec::new();
    };
    if let Ty::Arr(inner) = ty {
        ty = *inner;
    }
    match ty {
        Ty::Obj(i) => def(i).map_or_else(Vec::new, |d| {
            d.fields
                .iter()
                .map(|f| info(lang, f.ty, Some((d, f))))
                .collect()
        }),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fr;
