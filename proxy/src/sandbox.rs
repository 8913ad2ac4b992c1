//! The policy of what may be applied: the worksheet's kinds, in one namespace, nothing cluster-scoped.

use kube::core::{ApiResource, GroupVersionKind};
use kubefiche_core::Text;
use kubefiche_core::kinds::{self, KindInfo};
use kubefiche_core::manifest::Manifest;

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
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::ClusterScoped { .. } => "cluster-scoped",
            Self::KindNotAllowed { .. } => "kind-not-allowed",
            Self::ForeignNamespace { .. } => "foreign-namespace",
            Self::ClusterManaged { .. } => "cluster-managed",
        }
    }

    /// The field of the object the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
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
        }
    }
}

/// The type of the Secrets that hold a ServiceAccount's token.
const SERVICE_ACCOUNT_TOKEN: &str = "kubernetes.io/service-account-token";

/// Objects the cluster makes in every namespace, by kind and name.
const CLUSTER_MANAGED: &[(&str, &str)] = &[("ConfigMap", "kube-root-ca.crt")];

/// Check an object against the policy; on success, the API resource to send it to.
pub fn admit(object: &Manifest, session: &str) -> Result<ApiResource, Refusal> {
    let resource = admit_kind(
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
    Ok(resource)
}

/// The kind and namespace part of the policy.
fn admit_kind(
    api_version: &str,
    kind: &str,
    namespace: Option<&str>,
    session: &str,
) -> Result<ApiResource, Refusal> {
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
    Ok(api_resource(info))
}

/// Where the API server serves a kind of the table.
pub fn api_resource(info: &KindInfo) -> ApiResource {
    let (group, version) = info
        .api_version
        .split_once('/')
        .unwrap_or(("", info.api_version));
    let gvk = GroupVersionKind::gvk(group, version, info.kind);
    ApiResource::from_gvk_with_plural(&gvk, info.plural)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_worksheet_kinds_in_the_session_namespace() {
        let ar = admit_kind("apps/v1", "Deployment", None, "ns").expect("allowed");
        assert_eq!(ar.plural, "deployments");
        assert_eq!(ar.group, "apps");
        assert!(admit_kind("v1", "ConfigMap", Some("ns"), "ns").is_ok());
        assert!(admit_kind("batch/v1", "CronJob", None, "ns").is_ok());
    }

    #[test]
    fn refuses_the_rest_with_a_reason() {
        assert_eq!(
            admit_kind("v1", "Namespace", None, "ns")
                .expect_err("refused")
                .code(),
            "cluster-scoped"
        );
        assert_eq!(
            admit_kind("rbac.authorization.k8s.io/v1", "Role", None, "ns")
                .expect_err("refused")
                .code(),
            "kind-not-allowed"
        );
        assert_eq!(
            admit_kind("extensions/v1beta1", "Deployment", None, "ns")
                .expect_err("refused")
                .code(),
            "kind-not-allowed"
        );
        let foreign = admit_kind("v1", "Secret", Some("kube-system"), "ns").expect_err("refused");
        assert_eq!(foreign.code(), "foreign-namespace");
        assert!(foreign.message().fr.contains("kube-system"));
    }

    fn object(text: &str) -> Manifest {
        let file = kubefiche_core::manifest::SourceFile {
            path: "k8s/x.yaml".into(),
            text: text.into(),
        };
        kubefiche_core::manifest::parse_file(&file).0.remove(0)
    }

    #[test]
    fn refuses_what_the_cluster_makes_itself() {
        let ca = object(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-root-ca.crt\ndata: {ca.crt: x}\n",
        );
        let refusal = admit(&ca, "ns").expect_err("refused");
        assert_eq!(
            (refusal.code(), refusal.field()),
            ("cluster-managed", "metadata.name")
        );
        let token = object(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  annotations: {kubernetes.io/service-account.name: default}\ntype: kubernetes.io/service-account-token\n",
        );
        let refusal = admit(&token, "ns").expect_err("refused");
        assert_eq!(
            (refusal.code(), refusal.field()),
            ("cluster-managed", "type")
        );
        assert!(refusal.message().en.contains("Opaque"));
        let mine = object(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: iris-config\ndata: {a: b}\n",
        );
        assert!(admit(&mine, "ns").is_ok());
    }
}
