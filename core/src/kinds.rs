//! The kinds kubefiche knows by name, in one table read by the validator (which rules, where the
//! pods of a workload are), the proxy's policy (what it applies, what is cluster-scoped, the
//! resource path) and its watch hub (what it mirrors for the page).
//!
//! Kinds that are not in the table are still validated against their schema; they are simply
//! never applied.

/// Whether the proxy's watch hub mirrors a kind for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirror {
    /// Not watched.
    Nothing,
    /// Watched and streamed, digested into the facts of [`crate::live::Facts`] (for ConfigMaps and
    /// Secrets the keys of their data, never the values).
    Live,
}

/// Where a kind keeps the template of the pods it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodTemplate {
    /// The object path of the pods' labels, e.g. `spec.template.metadata.labels`.
    pub labels: &'static str,
    /// The object path of the pods' spec, e.g. `spec.template.spec`.
    pub spec: &'static str,
}

/// One kind of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The resource's name in API paths, e.g. `deployments`.
    pub plural: &'static str,
    /// Its objects live in a namespace (the proxy refuses the others by name).
    pub namespaced: bool,
    /// The proxy applies it: the kinds the worksheets use.
    pub applied: bool,
    pub mirror: Mirror,
    /// Where its pods come from, when it makes pods.
    pub pods: Option<PodTemplate>,
}

const TEMPLATE: Option<PodTemplate> = Some(PodTemplate {
    labels: "spec.template.metadata.labels",
    spec: "spec.template.spec",
});

/// A namespaced kind that is neither applied nor watched (it only has pods, or nothing).
const fn other(
    api_version: &'static str,
    kind: &'static str,
    plural: &'static str,
    pods: Option<PodTemplate>,
) -> KindInfo {
    KindInfo {
        api_version,
        kind,
        plural,
        namespaced: true,
        applied: false,
        mirror: Mirror::Nothing,
        pods,
    }
}

/// A kind that lives outside namespaces.
const fn cluster_scoped(
    api_version: &'static str,
    kind: &'static str,
    plural: &'static str,
) -> KindInfo {
    KindInfo {
        namespaced: false,
        ..other(api_version, kind, plural, None)
    }
}

pub const CONFIG_MAP: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other("v1", "ConfigMap", "configmaps", None)
};
pub const SECRET: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other("v1", "Secret", "secrets", None)
};
pub const PERSISTENT_VOLUME_CLAIM: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other(
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        None,
    )
};
pub const SERVICE: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other("v1", "Service", "services", None)
};
pub const POD: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other(
        "v1",
        "Pod",
        "pods",
        Some(PodTemplate {
            labels: "metadata.labels",
            spec: "spec",
        }),
    )
};
pub const DEPLOYMENT: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other("apps/v1", "Deployment", "deployments", TEMPLATE)
};
pub const JOB: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other("batch/v1", "Job", "jobs", TEMPLATE)
};
pub const CRON_JOB: KindInfo = KindInfo {
    applied: true,
    mirror: Mirror::Live,
    ..other(
        "batch/v1",
        "CronJob",
        "cronjobs",
        Some(PodTemplate {
            labels: "spec.jobTemplate.spec.template.metadata.labels",
            spec: "spec.jobTemplate.spec.template.spec",
        }),
    )
};
pub const REPLICA_SET: KindInfo = KindInfo {
    mirror: Mirror::Live,
    ..other("apps/v1", "ReplicaSet", "replicasets", TEMPLATE)
};

/// Every kind of the table; the applied ones first, in the order the proxy lists them.
pub static KINDS: &[KindInfo] = &[
    CONFIG_MAP,
    SECRET,
    PERSISTENT_VOLUME_CLAIM,
    SERVICE,
    POD,
    DEPLOYMENT,
    JOB,
    CRON_JOB,
    REPLICA_SET,
    other("apps/v1", "StatefulSet", "statefulsets", TEMPLATE),
    other("apps/v1", "DaemonSet", "daemonsets", TEMPLATE),
    other(
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        TEMPLATE,
    ),
    cluster_scoped("v1", "Namespace", "namespaces"),
    cluster_scoped("v1", "Node", "nodes"),
    cluster_scoped("v1", "PersistentVolume", "persistentvolumes"),
    cluster_scoped("storage.k8s.io/v1", "StorageClass", "storageclasses"),
    cluster_scoped("storage.k8s.io/v1", "CSIDriver", "csidrivers"),
    cluster_scoped("storage.k8s.io/v1", "VolumeAttachment", "volumeattachments"),
    cluster_scoped(
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        "clusterroles",
    ),
    cluster_scoped(
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
    ),
    cluster_scoped(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
    ),
    cluster_scoped("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses"),
    cluster_scoped("networking.k8s.io/v1", "IngressClass", "ingressclasses"),
    cluster_scoped("node.k8s.io/v1", "RuntimeClass", "runtimeclasses"),
    cluster_scoped(
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
    ),
    cluster_scoped(
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
    ),
    cluster_scoped("apiregistration.k8s.io/v1", "APIService", "apiservices"),
];

/// The kind with this `apiVersion` and `kind`.
pub fn find(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
}

/// The kind of this name, whatever its `apiVersion`.
pub fn named(kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The kinds the proxy applies.
pub fn applied() -> impl Iterator<Item = &'static KindInfo> {
    KINDS.iter().filter(|k| k.applied)
}

/// The kinds the proxy watches and streams to the page.
pub fn watched() -> impl Iterator<Item = &'static KindInfo> {
    KINDS.iter().filter(|k| k.mirror == Mirror::Live)
}

/// A volume source that mounts an object of the namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VolumeRef {
    /// The source's field in a volume, e.g. `configMap`.
    pub source: &'static str,
    /// The source's field that names the object, e.g. `name`.
    pub name_field: &'static str,
    pub kind: &'static KindInfo,
}

/// The volume sources that mount a ConfigMap, a Secret or a PersistentVolumeClaim.
pub static VOLUME_REFS: &[VolumeRef] = &[
    VolumeRef {
        source: "configMap",
        name_field: "name",
        kind: &CONFIG_MAP,
    },
    VolumeRef {
        source: "secret",
        name_field: "secretName",
        kind: &SECRET,
    },
    VolumeRef {
        source: "persistentVolumeClaim",
        name_field: "claimName",
        kind: &PERSISTENT_VOLUME_CLAIM,
    },
];

/// The short names `kubectl` accepts for the kinds of the table (`kubectl api-resources`).
pub static SHORT_NAMES: &[(&str, &str)] = &[
    ("cm", "ConfigMap"),
    ("pvc", "PersistentVolumeClaim"),
    ("svc", "Service"),
    ("po", "Pod"),
    ("deploy", "Deployment"),
    ("cj", "CronJob"),
    ("rs", "ReplicaSet"),
    ("sts", "StatefulSet"),
    ("ds", "DaemonSet"),
    ("rc", "ReplicationController"),
    ("ns", "Namespace"),
    ("no", "Node"),
    ("pv", "PersistentVolume"),
    ("sc", "StorageClass"),
    ("crd", "CustomResourceDefinition"),
    ("crds", "CustomResourceDefinition"),
    ("pc", "PriorityClass"),
];

impl KindInfo {
    /// The API group, empty for the core group (`apps` for `apps/v1`).
    pub fn group(&self) -> &'static str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// Every name `kubectl` takes for this kind: plural, singular, short names.
    pub fn resource_names(&self) -> impl Iterator<Item = String> + '_ {
        let kind = self.kind;
        [self.plural.to_owned(), kind.to_lowercase()]
            .into_iter()
            .chain(
                SHORT_NAMES
                    .iter()
                    .filter(move |(_, k)| *k == kind)
                    .map(|(short, _)| (*short).to_owned()),
            )
    }
}

/// The kind of the table a `kubectl` resource argument names: `pods`, `pod`, `po`, `Pods`,
/// `deployments.apps`, `deploy.v1.apps`, `nodes.v1`. A suffix must be the kind's group (with an
/// optional version before it), or a version alone for the core group; another group is
/// another resource, not this kind.
pub fn resource(word: &str) -> Option<&'static KindInfo> {
    let word = word.to_lowercase();
    let (head, suffix) = word.split_once('.').unwrap_or((word.as_str(), ""));
    let info = KINDS
        .iter()
        .find(|k| k.resource_names().any(|name| name == head))?;
    let group = info.group();
    let is_version = |v: &str| {
        v.strip_prefix('v')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            && v.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let fits = suffix.is_empty()
        || (group.is_empty() && is_version(suffix))
        || (!group.is_empty()
            && (suffix == group
                || suffix
                    .strip_suffix(group)
                    .and_then(|v| v.strip_suffix('.'))
                    .is_some_and(is_version)));
    fits.then_some(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    #[test]
    fn every_kind_has_a_schema_and_one_row() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(
                schema::root(k.api_version, k.kind).is_some(),
                "{} {}",
                k.api_version,
                k.kind
            );
            let lower = k.kind.to_lowercase();
            assert!(
                k.plural == format!("{lower}s") || k.plural == format!("{lower}es"),
                "{} {}",
                k.kind,
                k.plural
            );
            assert!(
                !KINDS[..i].iter().any(|o| o.kind == k.kind),
                "{} twice",
                k.kind
            );
        }
    }

    #[test]
    fn applied_kinds_are_namespaced_and_cluster_scoped_ones_are_not_applied() {
        let applied: Vec<&str> = applied().map(|k| k.kind).collect();
        assert_eq!(
            applied,
            [
                "ConfigMap",
                "Secret",
                "PersistentVolumeClaim",
                "Service",
                "Pod",
                "Deployment",
                "Job",
                "CronJob"
            ]
        );
        assert!(
            KINDS
                .iter()
                .all(|k| k.namespaced || (!k.applied && k.mirror == Mirror::Nothing))
        );
        assert_eq!(find("apps/v1", "Deployment"), Some(&DEPLOYMENT));
        assert_eq!(named("Namespace").map(|k| k.namespaced), Some(false));
        assert_eq!(find("extensions/v1beta1", "Deployment"), None);
    }
    #[test]
    fn resource_names_as_kubectl_takes_them() {
        let kind = |word: &str| resource(word).map(|k| k.kind);
        assert_eq!(kind("pods"), Some("Pod"));
        assert_eq!(kind("Pod"), Some("Pod"));
        assert_eq!(kind("po"), Some("Pod"));
        assert_eq!(kind("deploy"), Some("Deployment"));
        assert_eq!(kind("deployments.apps"), Some("Deployment"));
        assert_eq!(kind("deployment.v1.apps"), Some("Deployment"));
        assert_eq!(kind("deployments.example.com"), None);
        assert_eq!(kind("nodes.v1"), Some("Node"));
        assert_eq!(kind("no"), Some("Node"));
        assert_eq!(kind("sc"), Some("StorageClass"));
        assert_eq!(kind("storageclasses.storage.k8s.io"), Some("StorageClass"));
        assert_eq!(kind("storageclass.v1.storage.k8s.io"), Some("StorageClass"));
        assert_eq!(kind("pods.v1.apps"), None);
        assert_eq!(kind("events"), None);
        assert_eq!(kind(""), None);
        for (short, k) in SHORT_NAMES {
            assert_eq!(named(k).map(|i| i.kind), Some(*k), "{short}");
        }
    }
}
