//! What the browser app and the proxy must agree on: manifest parsing with positions,
//! validation, diagnostics and the wire types. WASM-safe: no tokio, hyper or leptos here.

pub mod assist;
pub mod checks;
pub mod command;
pub mod diagnostic;
pub mod diff;
pub mod fragment;
pub mod kinds;
pub mod live;
pub mod manifest;
pub mod path;
pub mod policy;
pub mod rule;
pub mod schema;
pub mod validate;
mod version;
pub mod wire;
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity, Span, Text};
pub use path::FieldPath;
pub use rule::Rule;
pub use version::{KUBERNETES_VERSION, KubernetesVersion};
