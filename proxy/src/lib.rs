//! The kubefiche proxy: serves the app and applies its manifests, guarded, to one namespace.

pub mod apply;
pub mod assets;
pub mod bounds;
pub mod classroom;
pub mod command;
pub mod config;
pub mod error;
pub mod guard;
pub mod kubectl;
pub mod routes;
pub mod sandbox;
pub mod scope;
pub mod serve;
pub mod terminal;
pub mod tls;
pub mod watch;

pub use routes::{AppState, app};
