//! The kubefiche app: a worksheet beside its manifests, validated as you type, applied to a
//! cluster whose pods are shown live.

pub mod api;
pub mod app;
pub mod class;
pub mod cluster;
pub mod command;
pub mod course;
pub mod editor;
pub mod fiche;
pub mod i18n;
pub mod sse;
pub mod workspace;

pub use app::App;
