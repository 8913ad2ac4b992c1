//! Mutations of names: apiVersions, object names, labels and keys, and references across the
//! files of a workspace.

use super::super::edit::Lines;
use super::super::outline::{Entry, Shape};
use super::super::rng::Rng;
use super::{pick, values::typo};

/// Wrong or retired apiVersions, and a removed one.
pub fn api_version(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    let e = pick(rng, entries, |e| e.path == "apiVersion" && e.inline)?;
    let Shape::Str(old) = &e.shape else {
        return None;
    };
    if rng.chance(1, 5) {
        lines.remove(e);
        return Some("apiVersion removed".to_owned());
    }
    let choices: &[&str] = match old.as_str() {
        "apps/v1" => &[
            "extensions/v1beta1",
            "apps/v1beta2",
            "apps/v1beta1",
            "v1",
            "app/v1",
            "apps/V1",
            "apps",
        ],
        "batch/v1" => &["batch/v1beta1", "batch/v2alpha1", "v1", "apps/v1", "batch"],
        _ => &["apps/v1", "v2", "core/v1", "V1", "batch/v1", "v1beta1"],
    };
    let new = *rng.pick(choices)?;
    lines.set_value(e, new);
    Some(format!("apiVersion: {old} → {new}"))
}

/// Names that break the API's rules (DNS labels and subdomains, lengths, label syntax).
const BAD_NAMES: &[&str] = &[
    "Web_App",
    "web_app",
    "web.app",
    "-web",
    "web-",
    "1web",
    "web app",
    "WEB",
    "web@app",
    "web/app",
    "café",
    "\"\"",
    "a-name-that-is-just-a-little-bit-too-long-for-a-dns-label-really",
];

const BAD_LABEL_KEYS: &[&str] = &[
    "app/",
    "Example.com/app",
    "example.com/a/b",
    "-app",
    "app_",
    "my app",
    "a-label-key-that-is-far-too-long-to-be-a-valid-name-part-of-a-key",
];

const BAD_LABEL_VALUES: &[&str] = &[
    "-web",
    "web-",
    "web app",
    "web/app",
    "a-label-value-that-is-far-too-long-to-be-accepted-by-the-api-server",
];

/// Where a name lives, for the description and the choice of bad names.
fn name_like(e: &Entry) -> bool {
    let Some(key) = e.key.as_deref() else {
        return false;
    };
    matches!(
        key,
        "name" | "secretName" | "claimName" | "serviceName" | "containerName" | "externalName"
    ) && matches!(e.shape, Shape::Str(_))
}

fn labelled(e: &Entry) -> bool {
    ["labels", "matchLabels", "selector", "nodeSelector"]
        .iter()
        .any(|p| e.parent == *p || e.parent.ends_with(&format!(".{p}")))
        && e.key.is_some()
        && e.is_scalar()
}

fn data_key(e: &Entry) -> bool {
    matches!(
        e.parent.as_str(),
        "data" | "stringData" | "annotations" | "metadata.annotations"
    ) && e.key.is_some()
}

/// An invalid object, container, port or volume name, label key or value, or data key.
pub fn invalid_name(rng: &mut Rng, lines: &mut Lines, entries: &[Entry]) -> Option<String> {
    match rng.below(4) {
        0 | 1 => {
            let e = pick(rng, entries, |e| e.inline && name_like(e))?;
            let old = match &e.shape {
                Shape::Str(s) => s.clone(),
                _ => return None,
            };
            let new = if rng.chance(1, 4) {
                // Just too long: 64 characters for a label, 254 for a subdomain.
                let n = *rng.pick(&[64usize, 254])?;
                let mut s = old.repeat(n / old.len().max(1) + 1);
                s.truncate(n - 1);
                s.push('x');
                s
            } else {
                (*rng.pick(BAD_NAMES)?).to_owned()
            };
            lines.set_value(e, &new);
            Some(format!("{}: {old} → {new}", e.path))
        }
        2 => {
            let e = pick(rng, entries, labelled)?;
            let key = e.key.as_deref()?;
            if rng.chance(1, 2) {
                let new = *rng.pick(BAD_LABEL_KEYS)?;
                lines.rename_key(e, new);
                Some(format!("label key {}: {key} → {new}", e.path))
            } else {
                let new = *rng.pick(BAD_LABEL_VALUES)?;
                lines.set_value(e, new);
                Some(format!("label value {}: → {new}", e.path))
            }
        }
        _ => {
            let e = pick(rng, entries, data_key)?;
            let key = e.key.as_deref()?;
            let new = *rng.pick(&["my key", "key/with/slash", "..", "clé", "-", "key:colon"])?;
            let quoted = serde_json::to_string(new).ok()?;
            lines.rename_key(e, &quoted);
            Some(format!("key {}: {key} → {quoted}", e.path))
        }
    }
}

/// Fields that name an object defined elsewhere in the workspace.
const REFERENCES: &[&str] = &[
    "configMapKeyRef.name",
    "secretKeyRef.name",
    "configMapRef.name",
    "secretRef.name",
    "configMap.name",
    "secret.secretName",
    "persistentVolumeClaim.claimName",
];

/// In a workspace of files, a referenced ConfigMap, Secret or claim renamed in one place only
/// (the API server accepts it: the object may be created later), a Service's selector that no
/// longer matches the pods, or a volume mount that names no volume. `files` are (path, text).
pub fn cross_file(rng: &mut Rng, files: &mut [(String, String)]) -> Option<String> {
    let mut all: Vec<(usize, Entry)> = Vec::new();
    for (i, (_, text)) in files.iter().enumerate() {
        all.extend(
            super::super::outline::entries(text)
                .into_iter()
                .map(|e| (i, e)),
        );
    }
    let refs: Vec<&(usize, Entry)> = all
        .iter()
        .filter(|(_, e)| REFERENCES.iter().any(|r| e.path.ends_with(r)) && e.inline)
        .collect();
    let defs: Vec<&(usize, Entry)> = all
        .iter()
        .filter(|(_, e)| e.path == "metadata.name" && e.inline)
        .filter(|(_, e)| {
            refs.iter().any(
                |(_, r)| matches!((&r.shape, &e.shape), (Shape::Str(a), Shape::Str(b)) if a == b),
            )
        })
        .collect();
    let mounts: Vec<&(usize, Entry)> = all
        .iter()
        .filter(|(_, e)| e.path.contains("volumeMounts[") && e.key.as_deref() == Some("name"))
        .collect();
    let selectors: Vec<&(usize, Entry)> = all
        .iter()
        .filter(|(_, e)| e.parent == "spec.selector" && e.key.is_some() && e.is_scalar())
        .filter(|(i, _)| files[*i].1.contains("kind: Service"))
        .collect();
    let choice = rng.below(4);
    let (file, e, what) = match choice {
        0 if !defs.is_empty() => {
            let (f, e) = rng.pick(&defs)?;
            (*f, e, "the object")
        }
        1 if !mounts.is_empty() => {
            let (f, e) = rng.pick(&mounts)?;
            (*f, e, "the volume mount")
        }
        2 if !selectors.is_empty() => {
            let (f, e) = rng.pick(&selectors)?;
            (*f, e, "the Service's selector")
        }
        _ => {
            let (f, e) = rng.pick(&refs)?;
            (*f, e, "the reference")
        }
    };
    let Shape::Str(old) = &e.shape else {
        return None;
    };
    let new = if rng.chance(1, 2) {
        format!("{old}-v2")
    } else {
        let t = typo(rng, old);
        if t.ends_with('-') || t.starts_with('-') {
            format!("{old}x")
        } else {
            t
        }
    };
    let (path, text) = files.get_mut(file)?;
    let mut lines = Lines::new(text);
    lines.set_value(e, &new);
    *text = lines.text();
    Some(format!(
        "{what} {} in {path}: {old} → {new}, not renamed elsewhere",
        e.path
    ))
}
