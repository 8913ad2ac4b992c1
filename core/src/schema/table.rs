//! The shapes of the generated schema table (see `generated.rs`).

/// A field's type, as far as a learner's manifest can get it wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int32,
    Int64,
    Num,
    Bool,
    /// A port name or number, a percentage…
    IntOrStr,
    /// A resource quantity such as `500m` or `1Gi` (a string or a number).
    Quantity,
    /// An RFC 3339 date-time string.
    Time,
    /// Base64-encoded bytes (Secret `data`).
    Bytes,
    /// Anything (free-form JSON).
    Any,
    /// An object, by index in `DEFS`.
    Obj(u16),
    Arr(&'static Ty),
    /// An object with free keys (labels, data…).
    Map(&'static Ty),
}

/// A field of an object definition.
#[derive(Debug)]
pub struct F {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// Index in `DOCS`.
    pub doc: u16,
    /// The only accepted values, when the API server restricts them.
    pub values: &'static [&'static str],
}

/// A field, in the order the generated table writes it (one short line per field).
pub(crate) const fn f(
    name: &'static str,
    ty: Ty,
    required: bool,
    doc: u16,
    values: &'static [&'static str],
) -> F {
    F {
        name,
        ty,
        required,
        doc,
        values,
    }
}

/// An object definition.
#[derive(Debug)]
pub struct Def {
    /// The OpenAPI name, e.g. `io.k8s.api.core.v1.Container`.
    pub name: &'static str,
    pub doc: u16,
    pub fields: &'static [F],
}
