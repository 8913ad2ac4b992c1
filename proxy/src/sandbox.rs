//! The policy of what may be applied: the worksheet's kinds, in one namespace, nothing cluster-scoped.

use kube::core::{ApiResource, GroupVersionKind};
use kubefiche_core::Text;
use kubefiche_core::kinds::{self, KindInfo};

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
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::ClusterScoped { .. } => "cluster-scoped",
            Self::KindNotAllowed { .. } => "kind-not-allowed",
            Self::ForeignNamespace { .. } => "foreign-namespace",
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
        }
    }
}

/// Check an object against the policy; on success, the API resource to send it to.
pub fn admit(
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
        let ar = admit("apps/v1", "Deployment", None, "ns").expect("allowed");
        assert_eq!(ar.plural, "deployments");
        assert_eq!(ar.group, "apps");
        assert!(admit("v1", "ConfigMap", Some("ns"), "ns").is_ok());
        assert!(admit("batch/v1", "CronJob", None, "ns").is_ok());
    }

    #[test]
    fn refuses_the_rest_with_a_reason() {
        assert_eq!(
            admit("v1", "Namespace", None, "ns")
                .expect_err("refused")
                .code(),
            "cluster-scoped"
        );
        assert_eq!(
            admit("rbac.authorization.k8s.io/v1", "Role", None, "ns")
                .expect_err("refused")
                .code(),
            "kind-not-allowed"
        );
        assert_eq!(
            admit("extensions/v1beta1", "Deployment", None, "ns")
                .expect_err("refused")
                .code(),
            "kind-not-allowed"
        );
        let foreign = admit("v1", "Secret", Some("kube-system"), "ns").expect_err("refused");
        assert_eq!(foreign.code(), "foreign-namespace");
        assert!(foreign.message().fr.contains("kube-system"));
    }
}
