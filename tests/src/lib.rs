//! Test harness shared by the integration and browser tests.
pub mod cluster;
pub mod proxy;
pub mod browser;
