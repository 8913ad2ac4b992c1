//! Where the class is kept: the Secret of its state in the home namespace, and its seats'
//! namespaces (labels and annotations).

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use serde_json::json;

use super::provision::MANAGER;
use super::{
    CLASS_LABEL, Class, JOINED_ANNOTATION, NAME_ANNOTATION, REVOKED_ANNOTATION, SEAT_LABEL, STATE,
    TOKEN_ANNOTATION, tokens,
};

/// What [`STATE`] holds.
pub struct Stored {
    pub instructor: String,
    pub class: Option<Class>,
}

/// A seat as its namespace tells it.
pub struct StoredSeat {
    pub number: u32,
    pub namespace: String,
    pub name: String,
    pub token: [u8; 32],
    pub joined_at: u64,
    pub revoked: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the cluster refused or did not answer: {0}")]
    Cluster(#[from] kube::Error),
    #[error("the class state in Secret {STATE} is unreadable: {0}")]
    Unreadable(String),
    #[error("{0}")]
    Tls(#[from] crate::tls::TlsError),
}

/// Read the state, or `None` when there is none yet.
pub async fn read(admin: &Client, home: &str) -> Result<Option<Stored>, StoreError> {
    let api: Api<Secret> = Api::namespaced(admin.clone(), home);
    api.get_opt(STATE).await?.map(stored).transpose()
}

/// The state a Secret [`STATE`] holds.
pub fn stored(secret: Secret) -> Result<Stored, StoreError> {
    let data = secret.data.unwrap_or_default();
    let text = |key: &str| {
        data.get(key)
            .map(|bytes| String::from_utf8_lossy(&bytes.0).into_owned())
    };
    let instructor = text("instructor-token")
        .filter(|t| t.len() >= 32)
        .ok_or_else(|| StoreError::Unreadable("no instructor-token".into()))?;
    let class = match text("class.json") {
        Some(json) => {
            Some(serde_json::from_str(&json).map_err(|e| StoreError::Unreadable(e.to_string()))?)
        }
        None => None,
    };
    Ok(Stored { instructor, class })
}

/// Write the whole state (created if absent).
pub async fn write(admin: &Client, home: &str, stored: &Stored) -> Result<(), StoreError> {
    let mut data = BTreeMap::new();
    data.insert(
        "instructor-token".to_owned(),
        ByteString(stored.instructor.clone().into_bytes()),
    );
    if let Some(class) = &stored.class {
        let json = serde_json::to_vec(class).map_err(|e| StoreError::Unreadable(e.to_string()))?;
        data.insert("class.json".to_owned(), ByteString(json));
    }
    apply_secret(admin, home, STATE, data).await?;
    Ok(())
}

/// Apply Secret `name` of the home namespace with `data`, whole: a key this manager applied
/// before and no longer lists goes away.
pub async fn apply_secret(
    admin: &Client,
    home: &str,
    name: &str,
    data: BTreeMap<String, ByteString>,
) -> Result<(), kube::Error> {
    let secret = json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": home, "labels": {"app.kubernetes.io/managed-by": MANAGER}},
        "type": "Opaque",
        "data": data,
    });
    let api: Api<Secret> = Api::namespaced(admin.clone(), home);
    api.patch(
        name,
        &PatchParams::apply(MANAGER).force(),
        &Patch::Apply(&secret),
    )
    .await
    .map(|_| ())
}

/// Make the home namespace when it is not there (a proxy run by an administrator; deployed, it
/// comes with the manifests).
pub async fn ensure_home(admin: &Client, home: &str) -> Result<(), StoreError> {
    let api: Api<Namespace> = Api::all(admin.clone());
    if api.get_opt(home).await?.is_some() {
        return Ok(());
    }
    let namespace: Namespace = serde_json::from_value(json!({
        "metadata": {"name": home, "labels": {"app.kubernetes.io/managed-by": MANAGER}}
    }))
    .map_err(|e| StoreError::Unreadable(e.to_string()))?;
    match api.create(&PostParams::default(), &namespace).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// The seats of class `class`, from its namespaces.
pub async fn seats(admin: &Client, class: &str) -> Result<Vec<StoredSeat>, StoreError> {
    let api: Api<Namespace> = Api::all(admin.clone());
    let listed = api
        .list(&ListParams::default().labels(&format!("{CLASS_LABEL}={class}")))
        .await?;
    let mut seats: Vec<StoredSeat> = listed
        .iter()
        .filter_map(|namespace| stored_seat(namespace, class))
        .collect();
    seats.sort_by_key(|s| s.number);
    Ok(seats)
}

/// The seat a namespace of class `class` holds (none while it is being deleted).
pub fn stored_seat(namespace: &Namespace, class: &str) -> Option<StoredSeat> {
    let meta = &namespace.metadata;
    if meta.deletion_timestamp.is_some() {
        return None;
    }
    let labels = meta.labels.as_ref()?;
    if labels.get(CLASS_LABEL)? != class {
        return None;
    }
    let notes = meta.annotations.as_ref()?;
    Some(StoredSeat {
        number: labels.get(SEAT_LABEL)?.parse().ok()?,
        namespace: meta.name.clone()?,
        name: notes.get(NAME_ANNOTATION).cloned().unwrap_or_default(),
        token: tokens::parse_digest(notes.get(TOKEN_ANNOTATION)?)?,
        joined_at: notes
            .get(JOINED_ANNOTATION)
            .and_then(|t| t.parse().ok())
            .unwrap_or_default(),
        revoked: notes.get(REVOKED_ANNOTATION).is_some_and(|r| r == "true"),
    })
}

/// Create a seat's namespace; `false` when it exists already (another proxy of the same class
/// gave that seat meanwhile).
pub async fn create_namespace(
    admin: &Client,
    object: &serde_json::Value,
) -> Result<bool, StoreError> {
    let namespace: Namespace = serde_json::from_value(object.clone())
        .map_err(|e| StoreError::Unreadable(e.to_string()))?;
    match Api::<Namespace>::all(admin.clone())
        .create(
            &PostParams {
                field_manager: Some(MANAGER.to_owned()),
                ..PostParams::default()
            },
            &namespace,
        )
        .await
    {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(status)) if status.code == 409 => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// The annotations a seat's namespace is made with.
pub fn seat_annotations(name: &str, token: &[u8; 32], joined_at: u64) -> serde_json::Value {
    json!({
        NAME_ANNOTATION: name,
        TOKEN_ANNOTATION: tokens::hex(token),
        JOINED_ANNOTATION: joined_at.to_string(),
    })
}

/// Mark a seat's namespace revoked.
pub async fn revoke(admin: &Client, namespace: &str) -> Result<(), StoreError> {
    let api: Api<Namespace> = Api::all(admin.clone());
    let patch = json!({"metadata": {"annotations": {REVOKED_ANNOTATION: "true"}}});
    api.patch(namespace, &PatchParams::default(), &Patch::Merge(&patch))
        .await?;
    Ok(())
}

/// Delete every namespace of class `class`, and nothing else: the label selector names the
/// class, and each namespace is checked for its label before it is deleted.
pub async fn delete_seats(admin: &Client, class: &str) -> Result<usize, StoreError> {
    let api: Api<Namespace> = Api::all(admin.clone());
    let listed = api
        .list(&ListParams::default().labels(&format!("{CLASS_LABEL}={class}")))
        .await?;
    let mut deleted = 0;
    for namespace in listed {
        let labelled = namespace
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(CLASS_LABEL))
            .is_some_and(|c| c == class);
        let Some(name) = namespace.metadata.name.filter(|_| labelled) else {
            continue;
        };
        match api.delete(&name, &DeleteParams::default()).await {
            Ok(_) => deleted += 1,
            Err(kube::Error::Api(status)) if status.code == 404 => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(deleted)
}
