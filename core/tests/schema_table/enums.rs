//! Fields whose values the API server restricts to a fixed set (its validation code enforces
//! them; k8s-openapi's schemas do not list them). (definition, field, values).

pub static ENUMS: &[(&str, &str, &[&str])] = &[
    (
        "Container",
        "imagePullPolicy",
        &["Always", "IfNotPresent", "Never"],
    ),
    (
        "Container",
        "terminationMessagePolicy",
        &["File", "FallbackToLogsOnError"],
    ),
    (
        "EphemeralContainer",
        "imagePullPolicy",
        &["Always", "IfNotPresent", "Never"],
    ),
    (
        "PodSpec",
        "restartPolicy",
        &["Always", "OnFailure", "Never"],
    ),
    (
        "PodSpec",
        "dnsPolicy",
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ),
    (
        "PodSpec",
        "preemptionPolicy",
        &["PreemptLowerPriority", "Never"],
    ),
    ("ContainerPort", "protocol", &["TCP", "UDP", "SCTP"]),
    ("ServicePort", "protocol", &["TCP", "UDP", "SCTP"]),
    ("EndpointPort", "protocol", &["TCP", "UDP", "SCTP"]),
    (
        "ServiceSpec",
        "type",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ),
    ("ServiceSpec", "sessionAffinity", &["None", "ClientIP"]),
    (
        "ServiceSpec",
        "externalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "ServiceSpec",
        "internalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "ServiceSpec",
        "ipFamilyPolicy",
        &["SingleStack", "PreferDualStack", "RequireDualStack"],
    ),
    (
        "PersistentVolumeClaimSpec",
        "volumeMode",
        &["Filesystem", "Block"],
    ),
    (
        "PersistentVolumeSpec",
        "volumeMode",
        &["Filesystem", "Block"],
    ),
    (
        "PersistentVolumeSpec",
        "persistentVolumeReclaimPolicy",
        &["Retain", "Delete", "Recycle"],
    ),
    (
        "CronJobSpec",
        "concurrencyPolicy",
        &["Allow", "Forbid", "Replace"],
    ),
    ("JobSpec", "completionMode", &["NonIndexed", "Indexed"]),
    (
        "JobSpec",
        "podReplacementPolicy",
        &["TerminatingOrFailed", "Failed"],
    ),
    ("DeploymentStrategy", "type", &["Recreate", "RollingUpdate"]),
    (
        "DaemonSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "StatefulSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "StatefulSetSpec",
        "podManagementPolicy",
        &["OrderedReady", "Parallel"],
    ),
    (
        "LabelSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist"],
    ),
    (
        "NodeSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    ),
    ("Toleration", "operator", &["Exists", "Equal"]),
    (
        "Toleration",
        "effect",
        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ),
    (
        "Taint",
        "effect",
        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ),
    ("HTTPGetAction", "scheme", &["HTTP", "HTTPS"]),
    (
        "VolumeMount",
        "mountPropagation",
        &["None", "HostToContainer", "Bidirectional"],
    ),
    (
        "HostPathVolumeSource",
        "type",
        &[
            "",
            "DirectoryOrCreate",
            "Directory",
            "FileOrCreate",
            "File",
            "Socket",
            "CharDevice",
            "BlockDevice",
        ],
    ),
    (
        "EmptyDirVolumeSource",
        "medium",
        &["", "Memory", "HugePages"],
    ),
    ("ObjectFieldSelector", "apiVersion", &["v1"]),
    ("HorizontalPodAutoscalerSpec", "minReplicas", &[]),
];
