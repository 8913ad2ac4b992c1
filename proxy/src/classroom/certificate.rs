//! A class's self-signed certificate is kept in the cluster (the Secret [`TLS_SECRET`] of the home
//! namespace), so that a proxy that starts again, or another proxy of the class, serves the same
//! one: learners who checked its fingerprint once are not asked to trust a new one.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use kube::{Api, Client};

use super::store::{self, StoreError};
use crate::tls::{Generated, Tls};

/// The Secret that keeps the class's generated certificate.
pub const TLS_SECRET: &str = "kubefiche-tls";
/// A kept certificate closer than this to its end is replaced (seconds).
const RENEW_BEFORE: i64 = 24 * 3600;

/// The certificate kept for `names`, or a new one (then kept).
pub async fn self_signed(admin: &Client, home: &str, names: &[String]) -> Result<Tls, StoreError> {
    let api: Api<Secret> = Api::namespaced(admin.clone(), home);
    let wanted = names.join(",");
    if let Some(kept) = api
        .get_opt(TLS_SECRET)
        .await?
        .and_then(|s| read(s, &wanted))
    {
        return Ok(Tls::from_generated(&kept)?);
    }
    let (tls, generated) = Tls::generate(names)?;
    let mut data = BTreeMap::new();
    data.insert(
        "certificate.der".to_owned(),
        ByteString(generated.certificate),
    );
    data.insert("key.der".to_owned(), ByteString(generated.key));
    data.insert("names".to_owned(), ByteString(wanted.into_bytes()));
    let expires_at = generated.expires_at.to_string().into_bytes();
    data.insert("expires-at".to_owned(), ByteString(expires_at));
    store::apply_secret(admin, home, TLS_SECRET, data).await?;
    Ok(tls)
}

/// The kept certificate, when it names `names` and has more than a day left.
fn read(secret: Secret, names: &str) -> Option<Generated> {
    let data = secret.data?;
    let text = |key: &str| String::from_utf8(data.get(key)?.0.clone()).ok();
    let expires_at: i64 = text("expires-at")?.parse().ok()?;
    let now = i64::try_from(super::now_millis() / 1000).ok()?;
    if text("names")? != names || expires_at - now < RENEW_BEFORE {
        return None;
    }
    Some(Generated {
        certificate: data.get("certificate.der")?.0.clone(),
        key: data.get("key.der")?.0.clone(),
        expires_at,
    })
}
