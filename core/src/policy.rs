//! The playground's policy on what may be applied: the worksheet's kinds, in one namespace,
//! nothing cluster-scoped or made by the cluster, pods that meet the Pod Security baseline
//! level, a bounded number of them. The proxy refuses by it before anything is sent; the
//! editor shows the same refusals as the learner types.

pub mod baseline;
mod workload;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::kinds::{self, KindInfo};
use crate::manifest::Manifest;
use crate::{Diagnostic, Severity, Text};

/// The Pod Security level pods must meet, unless loosened.
pub const DEFAULT_POD_SECURITY: PodSecurity = PodSecurity::Baseline;
/// Whether Services may list `spec.externalIPs`, unless loosened.
pub const DEFAULT_ALLOW_EXTERNAL_IPS: bool = false;
/// Most pods one workload may ask for (`replicas`; a Job's `parallelism`, `completions`).
pub const DEFAULT_MAX_REPLICAS: u32 = 20;

/// The Pod Security level the pods of applied objects must meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PodSecurity {
    /// No host namespaces, privileged containers, hostPath volumes, hostPorts, extra
    /// capabilities…: the Pod Security Standards' baseline level.
    Baseline,
    /// No check at all: for a cluster of your own where pods may have power over the node.
    Privileged,
}

impl PodSecurity {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Baseline => "baseline",
            Self::Privileged => "privileged",
        }
    }
}

impl fmt::Display for PodSecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PodSecurity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Baseline, Self::Privileged]
            .into_iter()
            .find(|level| level.name() == s)
            .ok_or_else(|| format!("{s:?} is not a level kubefiche checks: baseline or privileged"))
    }
}

/// The settings of the policy that can be loosened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub pod_security: PodSecurity,
    /// Services may list `spec.externalIPs`.
    pub allow_external_ips: bool,
    /// Most pods one workload may ask for (`replicas`, `parallelism`, `completions`).
    pub max_replicas: u32,
    /// Services may name their own node port (`spec.ports[].nodePort`). Not in a class: every
    /// learner shares the cluster's node ports, so a fixed one would clash.
    #[serde(default = "yes")]
    pub fixed_node_ports: bool,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            pod_security: DEFAULT_POD_SECURITY,
            allow_external_ips: DEFAULT_ALLOW_EXTERNAL_IPS,
            max_replicas: DEFAULT_MAX_REPLICAS,
            fixed_node_ports: true,
        }
    }
}

/// Where the proxy applies and how its policy is set: what the editor checks besides the
/// cluster's own rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub namespace: String,
    pub settings: Settings,
}

impl Policy {
    /// The policy's refusal of `object` as a finding at the line to change. Objects of kinds the
    /// API server does not serve are left to the validator's own findings.
    pub fn finding(&self, object: &Manifest) -> Option<Diagnostic> {
        kinds::find(&object.api_version, &object.kind)?;
        let refusal = admit(object, &self.namespace, &self.settings).err()?;
        Some(refusal.diagnostic(object))
    }
}

/// Why an object is refused before it reaches the cluster.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The kind is cluster-scoped; the playground stays inside one namespace.
    #[error("{kind} is cluster-scoped")]
    ClusterScoped { kind: String },
    /// The kind (or its apiVersion) is not one the worksheets use.
    #[error("{api_version}/{kind} is not allowed")]
    KindNotAllowed { api_version: String, kind: String },
    /// The object names another namespace than the session's.
    #[error("namespace {given} is not {session}")]
    ForeignNamespace { given: String, session: String },
    /// The cluster makes and keeps this object itself (`kube-root-ca.crt`, a ServiceAccount's
    /// token Secret): writing it over would fight the controller that owns it.
    #[error("{kind} {name} is managed by the cluster")]
    ClusterManaged { kind: String, name: String },
    /// A pod (or a workload's pod template) that the Pod Security baseline level forbids.
    #[error("Pod Security baseline: {}", .0.path)]
    PodSecurity(baseline::Violation),
    /// A Service with `spec.externalIPs`.
    #[error("Service {name} lists externalIPs")]
    ExternalIps { name: String },
    /// A Service that names its node port on a cluster shared by a class.
    #[error("Service {name} asks for node port {port}")]
    SharedNodePort {
        name: String,
        port: String,
        field: String,
    },
    /// More pods at once than the playground runs for one workload.
    #[error("{field} is {asked}, over {max}")]
    TooManyReplicas {
        field: &'static str,
        asked: String,
        max: u32,
    },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::ClusterScoped { .. } => "cluster-scoped",
            Self::KindNotAllowed { .. } => "kind-not-allowed",
            Self::ForeignNamespace { .. } => "foreign-namespace",
            Self::ClusterManaged { .. } => "cluster-managed",
            Self::PodSecurity(_) => "pod-security",
            Self::ExternalIps { .. } => "external-ips",
            Self::TooManyReplicas { .. } => "too-many-replicas",
            Self::SharedNodePort { .. } => "shared-node-port",
        }
    }

    /// The refusal as a finding on `object`, at the field it is about.
    pub fn diagnostic(&self, object: &Manifest) -> Diagnostic {
        Diagnostic {
            file: object.file.clone(),
            span: object.span_of(self.field()),
            severity: Severity::Error,
            code: self.code().to_owned(),
            message: self.message(),
            path: self.field().to_owned(),
        }
    }

    /// The field of the object the refusal is about, as an object path with indices.
    pub fn field(&self) -> &str {
        match self {
            Self::PodSecurity(violation) => &violation.path,
            Self::ExternalIps { .. } => "spec.externalIPs",
            Self::TooManyReplicas { field, .. } => field,
            Self::SharedNodePort { field, .. } => field,
            Self::ForeignNamespace { .. } => "metadata.namespace",
            Self::ClusterManaged { kind, .. } if kind == "Secret" => "type",
            Self::ClusterManaged { .. } => "metadata.name",
            Self::ClusterScoped { .. } | Self::KindNotAllowed { .. } => "kind",
        }
    }

    pub fn message(&self) -> Text {
        match self {
            Self::ClusterScoped { kind } => Text::new(
                format!(
                    "{kind} is a cluster-wide object; this playground only creates objects inside your namespace. Remove this document."
                ),
                format!(
                    "{kind} est un objet global au cluster ; ce bac à sable ne crée que des objets dans votre namespace. Retirez ce document."
                ),
            ),
            Self::KindNotAllowed { api_version, kind } => {
                let list = kinds::applied()
                    .map(|k| k.kind)
                    .collect::<Vec<_>>()
                    .join(", ");
                Text::new(
                    format!(
                        "{api_version} {kind} is not among the kinds this playground applies ({list})."
                    ),
                    format!(
                        "{api_version} {kind} ne fait pas partie des types que ce bac à sable applique ({list})."
                    ),
                )
            }
            Self::ForeignNamespace { given, session } => Text::new(
                format!(
                    "This object asks for namespace {given:?}, but the playground works in {session:?}. Remove metadata.namespace or set it to {session:?}."
                ),
                format!(
                    "Cet objet demande le namespace {given:?}, mais le bac à sable travaille dans {session:?}. Retirez metadata.namespace ou mettez {session:?}."
                ),
            ),
            Self::ClusterManaged { kind, name } if kind == "Secret" => Text::new(
                format!(
                    "The Secret {name:?} is of type `{SERVICE_ACCOUNT_TOKEN}`: the cluster fills such Secrets with a ServiceAccount's credentials, which this playground does not hand out. Use another type (`Opaque`)."
                ),
                format!(
                    "Le Secret {name:?} est de type `{SERVICE_ACCOUNT_TOKEN}` : le cluster remplit ces Secrets avec les identifiants d'un ServiceAccount, que ce bac à sable ne distribue pas. Prenez un autre type (`Opaque`)."
                ),
            ),
            Self::ClusterManaged { kind, name } => Text::new(
                format!(
                    "The {kind} {name:?} is made and kept by the cluster in every namespace; writing over it would break what relies on it. Give yours another name."
                ),
                format!(
                    "Le {kind} {name:?} est créé et entretenu par le cluster dans chaque namespace ; l'écraser casserait ce qui s'en sert. Donnez un autre nom au vôtre."
                ),
            ),
            Self::PodSecurity(violation) => violation.message(),
            Self::ExternalIps { name } => Text::new(
                format!(
                    "The Service {name:?} lists spec.externalIPs: every node would take the traffic of those addresses for it, even when they belong to someone else. Remove externalIPs; reach the Service by its name, a NodePort, or kubectl port-forward."
                ),
                format!(
                    "Le Service {name:?} donne spec.externalIPs : chaque nœud prendrait pour lui le trafic de ces adresses, même si elles appartiennent à d'autres. Retirez externalIPs ; joignez le Service par son nom, un NodePort, ou kubectl port-forward."
                ),
            ),
            Self::SharedNodePort { name, port, .. } => Text::new(
                format!(
                    "The Service {name:?} asks for node port {port}, but this class shares one cluster: every learner's Service would want the same port, and only one can have it. Remove the nodePort line; the cluster then picks a free port, which the cluster view shows (PORT(S), e.g. 80:31234/TCP)."
                ),
                format!(
                    "Le Service {name:?} demande le port de nœud {port}, mais cette classe partage un seul cluster : le Service de chaque apprenant·e voudrait le même port, et un seul peut l'avoir. Retirez la ligne nodePort ; le cluster choisit alors un port libre, que la vue du cluster affiche (PORT(S), par ex. 80:31234/TCP)."
                ),
            ),
            Self::TooManyReplicas { field, asked, max } => Text::new(
                format!(
                    "{field} asks for {asked} pods at once; this playground runs at most {max} per workload. Set {field} to {max} or less."
                ),
                format!(
                    "{field} demande {asked} pods à la fois ; ce bac à sable en fait tourner au plus {max} par charge de travail. Mettez {field} à {max} ou moins."
                ),
            ),
        }
    }
}

/// The type of the Secrets that hold a ServiceAccount's token.
const SERVICE_ACCOUNT_TOKEN: &str = "kubernetes.io/service-account-token";

/// Objects the cluster makes in every namespace, by kind and name.
const CLUSTER_MANAGED: &[(&str, &str)] = &[("ConfigMap", "kube-root-ca.crt")];

/// Check an object against the policy for namespace `session`; on success, its kind.
pub fn admit(
    object: &Manifest,
    session: &str,
    settings: &Settings,
) -> Result<&'static KindInfo, Refusal> {
    let kind = admit_kind(
        &object.api_version,
        &object.kind,
        object.namespace.as_deref(),
        session,
    )?;
    let token =
        object.kind == "Secret" && object.value["type"].as_str() == Some(SERVICE_ACCOUNT_TOKEN);
    if token || CLUSTER_MANAGED.contains(&(object.kind.as_str(), object.name.as_str())) {
        return Err(Refusal::ClusterManaged {
            kind: object.kind.clone(),
            name: object.name.clone(),
        });
    }
    if !settings.allow_external_ips && workload::has_external_ips(object) {
        return Err(Refusal::ExternalIps {
            name: object.name.clone(),
        });
    }
    if !settings.fixed_node_ports
        && let Some((index, port)) = workload::fixed_node_port(object)
    {
        return Err(Refusal::SharedNodePort {
            name: object.name.clone(),
            port,
            field: format!("spec.ports[{index}].nodePort"),
        });
    }
    if let Some((field, asked)) = workload::over_cap(object, settings.max_replicas) {
        return Err(Refusal::TooManyReplicas {
            field,
            asked: asked.to_string(),
            max: settings.max_replicas,
        });
    }
    let template = kinds::named(&object.kind).and_then(|k| k.pods);
    if let (PodSecurity::Baseline, Some(template)) = (settings.pod_security, template)
        && let Some(first) = baseline::check(&object.value, &template).into_iter().next()
    {
        return Err(Refusal::PodSecurity(first));
    }
    Ok(kind)
}

/// The kind and namespace part of the policy.
fn admit_kind(
    api_version: &str,
    kind: &str,
    namespace: Option<&str>,
    session: &str,
) -> Result<&'static KindInfo, Refusal> {
    if kinds::named(kind).is_some_and(|k| !k.namespaced) {
        return Err(Refusal::ClusterScoped {
            kind: kind.to_owned(),
        });
    }
    let Some(info) = kinds::find(api_version, kind).filter(|k| k.applied) else {
        return Err(Refusal::KindNotAllowed {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
        });
    };
    if let Some(given) = namespace.filter(|ns| *ns != session) {
        return Err(Refusal::ForeignNamespace {
            given: given.to_owned(),
            session: session.to_owned(),
        });
    }
    Ok(info)
}

#[cfg(test)]
mod tests;
