//! The one Kubernetes version kubefiche is built for. The schema table, the validator's rules,
//! the proxy's API types and the bundled control plane all follow it.
//!
//! The places that cannot read this constant — the `k8s-openapi` feature in the workspace
//! `Cargo.toml`, `k8s.io/kubernetes` and its staging modules in `xtask/cluster/go.mod`, the
//! README's example — are read by the tests below, which fail when one names another version.

use std::fmt;

/// A Kubernetes minor version, e.g. 1.36.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubernetesVersion {
    pub major: u32,
    pub minor: u32,
}

/// The Kubernetes version this build validates against, applies with and is tested on.
pub const KUBERNETES_VERSION: KubernetesVersion = KubernetesVersion {
    major: 1,
    minor: 36,
};

impl KubernetesVersion {
    /// Reads `1.36`, `v1.36` or `1.36.1` (the patch level is ignored).
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim_start_matches('v').split('.');
        let mut number = || parts.next().and_then(|p| p.parse::<u32>().ok());
        Some(Self {
            major: number()?,
            minor: number()?,
        })
    }

    /// The name of k8s-openapi's Cargo feature for this version, e.g. `v1_36`.
    pub fn k8s_openapi_feature(self) -> String {
        format!("v{}_{}", self.major, self.minor)
    }
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(relative: &str) -> String {
        let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    #[test]
    fn parses_the_usual_spellings() {
        let v = KubernetesVersion {
            major: 1,
            minor: 36,
        };
        for text in ["1.36", "v1.36", "1.36.1"] {
            assert_eq!(KubernetesVersion::parse(text), Some(v), "{text}");
        }
        assert_eq!(KubernetesVersion::parse("1"), None);
        assert_eq!(KubernetesVersion::parse("one.36"), None);
        assert_eq!(v.to_string(), "1.36");
        assert_eq!(v.k8s_openapi_feature(), "v1_36");
    }

    #[test]
    fn the_k8s_openapi_feature_is_the_pinned_version() {
        let manifest = read("Cargo.toml");
        let line = manifest
            .lines()
            .find(|l| l.trim_start().starts_with("k8s-openapi"))
            .expect("the workspace Cargo.toml declares k8s-openapi");
        let features: Vec<&str> = line
            .split('"')
            .filter(|part| part.starts_with("v1_"))
            .collect();
        assert_eq!(
            features,
            [KUBERNETES_VERSION.k8s_openapi_feature()],
            "Cargo.toml: {line}\nPick the feature of KUBERNETES_VERSION in core/src/version.rs, or change both."
        );
    }

    #[test]
    fn the_bundled_control_plane_is_the_pinned_version() {
        let go_mod = read("xtask/cluster/go.mod");
        let KubernetesVersion { major, minor } = KUBERNETES_VERSION;
        let kubernetes = format!("k8s.io/kubernetes v{major}.{minor}.");
        assert!(
            go_mod
                .lines()
                .any(|l| l.trim_start().starts_with(&kubernetes)),
            "xtask/cluster/go.mod must require {kubernetes}x: the cluster and KUBERNETES_VERSION in core/src/version.rs disagree"
        );
        let staging = format!(" v0.{minor}.");
        let stray: Vec<&str> = go_mod
            .lines()
            .filter(|l| l.trim_start().starts_with("k8s.io/") && l.contains("=> k8s.io/"))
            .filter(|l| !l.contains(&staging))
            .collect();
        assert!(
            stray.is_empty(),
            "xtask/cluster/go.mod replaces staging modules with another version than v0.{minor}.x: {stray:?}"
        );
    }

    #[test]
    fn the_readme_names_the_pinned_version() {
        let readme = read("README.md");
        let named: Vec<&str> = readme
            .split("--kubernetes-version ")
            .skip(1)
            .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit() && c != '.').next())
            .collect();
        assert!(
            !named.is_empty(),
            "README.md no longer shows --kubernetes-version"
        );
        for version in named {
            assert_eq!(
                KubernetesVersion::parse(version),
                Some(KUBERNETES_VERSION),
                "README.md shows --kubernetes-version {version}"
            );
        }
    }
}
