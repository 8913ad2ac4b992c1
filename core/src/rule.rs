//! The validator's rules, each with its stable code: the `code` of a diagnostic on the wire,
//! the source the editor shows, what tests and tools match on. A code never changes meaning;
//! a rule that goes away leaves its code unused.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares [`Rule`] with each variant's code, written once.
macro_rules! rules {
    ($($variant:ident = $code:literal,)*) => {
        /// One rule of the validator (see the module's documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in the order of the table.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The stable code, e.g. `unknown-field`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Rule::$variant => $code,)*
                }
            }
        }
    };
}

rules! {
    // The YAML text (layer 1).
    YamlSyntax = "yaml-syntax",
    YamlTab = "yaml-tab",
    YamlIndent = "yaml-indent",
    YamlDuplicateKey = "yaml-duplicate-key",
    YamlLimit = "yaml-limit",
    NotAnObject = "not-an-object",
    MissingApiVersion = "missing-api-version",
    MissingKind = "missing-kind",
    GarbledText = "garbled-text",
    // apiVersion and kind.
    ApiVersionNotGa = "api-version-not-ga",
    ApiVersionRemoved = "api-version-removed",
    ApiVersionUnknown = "api-version-unknown",
    UnknownKind = "unknown-kind",
    CustomResource = "custom-resource",
    // The schema (layer 2).
    UnknownField = "unknown-field",
    MissingField = "missing-field",
    WrongType = "wrong-type",
    InvalidValue = "invalid-value",
    InvalidQuantity = "invalid-quantity",
    InvalidBase64 = "invalid-base64",
    OutOfRange = "out-of-range",
    // The API server's rules (layer 3): metadata and numbers.
    MissingName = "missing-name",
    InvalidName = "invalid-name",
    NameTooLong = "name-too-long",
    InvalidLabelKey = "invalid-label-key",
    InvalidLabelValue = "invalid-label-value",
    AnnotationsTooLarge = "annotations-too-large",
    NegativeValue = "negative-value",
    InvalidSelector = "invalid-selector",
    InvalidFinalizer = "invalid-finalizer",
    OwnerReference = "owner-reference",
    ServerField = "server-field",
    NameNotLabel = "name-not-label",
    // ConfigMaps, Secrets, PersistentVolumeClaims.
    InvalidKey = "invalid-key",
    DuplicateKey = "duplicate-key",
    DataTooLarge = "data-too-large",
    SecretTypeKeys = "secret-type-keys",
    MissingAccessModes = "missing-access-modes",
    AccessModes = "access-modes",
    MissingStorage = "missing-storage",
    InvalidStorage = "invalid-storage",
    DataSource = "data-source",
    // Pod specs.
    MissingContainers = "missing-containers",
    MissingImage = "missing-image",
    InvalidRestartPolicy = "invalid-restart-policy",
    DuplicateName = "duplicate-name",
    VolumeSources = "volume-sources",
    InvalidPort = "invalid-port",
    InvalidPortName = "invalid-port-name",
    InvalidEnvName = "invalid-env-name",
    EnvValueAndValueFrom = "env-value-and-value-from",
    EnvValueFromSources = "env-value-from-sources",
    EnvFromSources = "env-from-sources",
    MountUnknownVolume = "mount-unknown-volume",
    DuplicateMountPath = "duplicate-mount-path",
    ProbeHandler = "probe-handler",
    ProbePortUnknown = "probe-port-unknown",
    InvalidResourceName = "invalid-resource-name",
    RequestAboveLimit = "request-above-limit",
    // Pod specs: volumes and mounts, scheduling, DNS and host, the pod's security context.
    InvalidPath = "invalid-path",
    InvalidFileMode = "invalid-file-mode",
    MountPropagation = "mount-propagation",
    RecursiveReadOnly = "recursive-read-only",
    MountAndDevice = "mount-and-device",
    SelectorOperator = "selector-operator",
    Toleration = "toleration",
    TopologySpread = "topology-spread",
    DnsConfig = "dns-config",
    HostNamespaces = "host-namespaces",
    InvalidSysctl = "invalid-sysctl",
    SecurityProfile = "security-profile",
    // Pod specs: containers, probes, lifecycle, env, resources, security context.
    ProbeSuccessThreshold = "probe-success-threshold",
    ProbeGracePeriod = "probe-grace-period",
    LifecycleHandler = "lifecycle-handler",
    SleepSeconds = "sleep-seconds",
    InvalidHeaderName = "invalid-header-name",
    InitContainerField = "init-container-field",
    EphemeralContainers = "ephemeral-containers",
    ImageWhitespace = "image-whitespace",
    HostNetworkPort = "host-network-port",
    HostPortConflict = "host-port-conflict",
    ContainerRestartPolicy = "container-restart-policy",
    ResizePolicy = "resize-policy",
    InvalidFieldRef = "invalid-field-ref",
    InvalidResourceValue = "invalid-resource-value",
    HugePages = "huge-pages",
    InvalidUserId = "invalid-user-id",
    PrivilegeEscalation = "privilege-escalation",
    ProcMount = "proc-mount",
    RunAsRoot = "run-as-root",
    UnknownClaim = "unknown-claim",
    // Services.
    ExternalName = "external-name",
    HeadlessNodePort = "headless-node-port",
    MissingPorts = "missing-ports",
    MissingPortName = "missing-port-name",
    DuplicatePort = "duplicate-port",
    NodePortType = "node-port-type",
    NodePortRange = "node-port-range",
    InvalidIp = "invalid-ip",
    InvalidCidr = "invalid-cidr",
    ClusterIps = "cluster-ips",
    ClusterIpRange = "cluster-ip-range",
    IpFamily = "ip-family",
    SessionAffinity = "session-affinity",
    ServiceTypeField = "service-type-field",
    // Deployments, ReplicaSets, Jobs, CronJobs.
    Strategy = "strategy",
    InvalidPercent = "invalid-percent",
    MissingSelector = "missing-selector",
    EmptySelector = "empty-selector",
    SelectorMismatch = "selector-mismatch",
    JobSelector = "job-selector",
    InvalidSchedule = "invalid-schedule",
    InvalidTimeZone = "invalid-time-zone",
    Schedule = "schedule",
    ProgressDeadline = "progress-deadline",
    TemplateActiveDeadline = "template-active-deadline",
    IndexedOnly = "indexed-only",
    PodFailurePolicy = "pod-failure-policy",
    SuccessPolicy = "success-policy",
    PodReplacementPolicy = "pod-replacement-policy",
    // Across the workspace and the cluster (layer 4), and advice.
    MissingReference = "missing-reference",
    MissingKey = "missing-key",
    ServiceNoPods = "service-no-pods",
    TargetPortUnknown = "target-port-unknown",
    DuplicateObject = "duplicate-object",
    PlainSecret = "plain-secret",
    LatestTag = "latest-tag",
    LocalImage = "local-image",
    UnknownService = "unknown-service",
    ServicePortUnknown = "service-port-unknown",
    NodePortTaken = "node-port-taken",
    // The validator's own bound.
    TooManyFindings = "too-many-findings",
}

impl Rule {
    /// The rule with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.code() == other
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Self::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule code `{code}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_lowercase_words_joined_by_dashes() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            let code = rule.code();
            assert!(
                code.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{code}"
            );
            assert!(
                !Rule::ALL[..i].iter().any(|r| r.code() == code),
                "{code} twice"
            );
            assert_eq!(Rule::from_code(code), Some(*rule));
        }
        assert_eq!(Rule::UnknownField.to_string(), "unknown-field");
        assert_eq!(
            serde_json::to_value(Rule::WrongType).ok(),
            Some(serde_json::json!("wrong-type"))
        );
        assert!(serde_json::from_value::<Rule>(serde_json::json!("nope")).is_err());
    }
}
