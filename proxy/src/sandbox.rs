//! The policy of what may be applied (`kubefiche_core::policy`), and where the API server
//! serves what it admits.

use kube::core::{ApiResource, GroupVersionKind};
use kubefiche_core::kinds::KindInfo;
use kubefiche_core::manifest::Manifest;
pub use kubefiche_core::policy::{PodSecurity, Refusal, Settings};

/// Check an object against the policy; on success, the API resource to send it to.
pub fn admit(
    object: &Manifest,
    session: &str,
    settings: &Settings,
) -> Result<ApiResource, Refusal> {
    kubefiche_core::policy::admit(object, session, settings).map(api_resource)
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
    fn admitted_kinds_are_sent_where_the_api_server_serves_them() {
        let ar = api_resource(kubefiche_core::kinds::find("apps/v1", "Deployment").expect("known"));
        assert_eq!(
            (ar.group.as_str(), ar.plural.as_str()),
            ("apps", "deployments")
        );
        let ar = api_resource(kubefiche_core::kinds::find("batch/v1", "CronJob").expect("known"));
        assert_eq!(
            (ar.group.as_str(), ar.plural.as_str()),
            ("batch", "cronjobs")
        );
    }
}
