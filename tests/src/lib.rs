//! Test harness shared by the integration and browser tests.
pub mod browser;
pub mod cluster;
pub mod control_plane;
pub mod crowd;
pub mod cut;
pub mod exercises;
pub mod follow;
pub mod kubelet;
pub mod layout;
pub mod live;
pub mod measure;
pub mod mutants;
pub mod plumbing;
pub mod process;
pub mod proxy;
pub mod verdict;
pub mod walk;
