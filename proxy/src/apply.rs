//! Apply a workspace: re-validate, check the policy, then server-side apply object by object.

use kube::Client;
use kube::api::{Api, DynamicObject, Patch, PatchParams, ValidationDirective};
use kube::core::{ApiResource, Status};
use kubefiche_core::manifest::{self, Manifest, SourceFile};
use kubefiche_core::validate::{self, Options};
use kubefiche_core::wire::{ApplyResponse, ObjectResult, Outcome};
use kubefiche_core::{Diagnostic, Severity, Text};
use serde_json::Value;

use crate::config::FIELD_MANAGER;
use crate::sandbox;

mod lost;

/// The workspace of an apply, read and validated: plain CPU work, for the blocking pool.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// Every object, in file order; empty when the workspace has validation errors.
    pub objects: Vec<Manifest>,
}

/// Reads and validates the files of an apply.
pub fn check(files: &[SourceFile]) -> Checked {
    let diagnostics = validate::validate_workspace(files, &Options::default());
    let objects = if validate::has_errors(&diagnostics) {
        Vec::new()
    } else {
        files
            .iter()
            .flat_map(|file| manifest::parse_file(file).0)
            .collect()
    };
    Checked {
        diagnostics,
        objects,
    }
}

/// Apply (or dry-run) every object of the checked workspace into `namespace`, in file order.
/// Nothing is sent when the workspace has validation errors, nor when the policy refuses one
/// of its objects: the whole batch is checked first, so that an apply is never half done by
/// our own refusal.
pub async fn apply(
    client: &Client,
    namespace: &str,
    settings: &sandbox::Settings,
    dry_run: bool,
    checked: Checked,
) -> ApplyResponse {
    let Checked {
        diagnostics,
        objects,
    } = checked;
    let mut results = Vec::new();
    if !validate::has_errors(&diagnostics) {
        let admitted: Vec<Result<ApiResource, Outcome>> = objects
            .iter()
            .map(|o| admit(o, namespace, settings))
            .collect();
        let refused: Vec<&Manifest> = objects
            .iter()
            .zip(&admitted)
            .filter(|(_, a)| a.is_err())
            .map(|(o, _)| o)
            .collect();
        // Once the cluster stops answering, the rest is not sent.
        let mut cluster_lost = false;
        for (object, admitted) in objects.iter().zip(admitted) {
            let outcome = match admitted {
                Err(outcome) => outcome,
                Ok(_) if !refused.is_empty() => not_sent(object, &refused),
                Ok(_) if cluster_lost => lost::not_sent(object),
                Ok(resource) => apply_one(client, namespace, object, &resource, dry_run).await,
            };
            cluster_lost |= lost::is_lost(&outcome);
            results.push(ObjectResult {
                file: object.file.clone(),
                line: object.span.line,
                kind: object.kind.clone(),
                name: object.name.clone(),
                outcome,
            });
        }
    }
    ApplyResponse {
        namespace: namespace.to_owned(),
        results,
        diagnostics,
    }
}

/// The policy for one object: its kind and namespace, what the cluster manages, its pods, a name.
fn admit(
    object: &Manifest,
    namespace: &str,
    settings: &sandbox::Settings,
) -> Result<ApiResource, Outcome> {
    let resource =
        sandbox::admit(object, namespace, settings).map_err(|refusal| Outcome::Failed {
            reason: refusal.code().to_owned(),
            diagnostics: vec![refusal.diagnostic(object)],
        })?;
    if object.name.is_empty() {
        return Err(no_name(object));
    }
    Ok(resource)
}

/// An object the policy admits, left unsent because others of the same apply are refused.
fn not_sent(object: &Manifest, refused: &[&Manifest]) -> Outcome {
    let which = refused
        .iter()
        .map(|o| format!("{} line {}", o.file, o.span.line))
        .collect::<Vec<_>>()
        .join(", ");
    let mut note = diagnostic(
        object,
        "",
        "not-sent",
        Text::new(
            format!(
                "Not applied: nothing of this apply was sent to the cluster, because it refuses other objects ({which}). Fix or remove those, then apply again."
            ),
            format!(
                "Non appliqué : rien de cet apply n'a été envoyé au cluster, car il refuse d'autres objets ({which}). Corrigez-les ou retirez-les, puis appliquez à nouveau."
            ),
        ),
    );
    note.severity = Severity::Info;
    Outcome::Failed {
        reason: "not-sent".into(),
        diagnostics: vec![note],
    }
}

async fn apply_one(
    client: &Client,
    namespace: &str,
    object: &Manifest,
    resource: &ApiResource,
    dry_run: bool,
) -> Outcome {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, resource);
    let mut body = object.value.clone();
    if let Some(metadata) = body.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.insert("namespace".into(), Value::String(namespace.to_owned()));
    }
    let before = match api.get_opt(&object.name).await {
        Ok(before) => before,
        Err(error) => return failure(object, error, false),
    };
    let mut params = PatchParams::apply(FIELD_MANAGER).force();
    params.dry_run = dry_run;
    params.field_validation = Some(ValidationDirective::Strict);
    match api.patch(&object.name, &params, &Patch::Apply(&body)).await {
        Ok(after) => match before {
            None => Outcome::Created,
            Some(before) if same_content(&before, &after, dry_run) => Outcome::Unchanged,
            Some(_) => Outcome::Configured,
        },
        Err(error) => failure(object, error, true),
    }
}

/// An object without `metadata.name` (only `generateName`, or nothing): apply updates an object
/// by its name, so the API server is not asked.
fn no_name(object: &Manifest) -> Outcome {
    let generated = object.value["metadata"]["generateName"].is_string();
    let message = if generated {
        Text::new(
            "`generateName` lets the API server make up a name when an object is created (`kubectl create`); apply updates an object by its name, so it needs `metadata.name`. Replace `generateName` by a `name`.",
            "`generateName` laisse l'API server inventer un nom à la création d'un objet (`kubectl create`) ; apply met à jour un objet par son nom, il lui faut donc `metadata.name`. Remplacez `generateName` par un `name`.",
        )
    } else {
        Text::new(
            "This object has no `metadata.name`: apply updates an object by its name. Give it one.",
            "Cet objet n'a pas de `metadata.name` : apply met à jour un objet par son nom. Donnez-lui en un.",
        )
    };
    Outcome::Failed {
        reason: "no-name".into(),
        diagnostics: vec![diagnostic(object, "metadata", "no-name", message)],
    }
}

/// A real apply changes the resourceVersion exactly when something changed; a dry run never
/// does, so there the objects are compared without their bookkeeping fields.
fn same_content(before: &DynamicObject, after: &DynamicObject, dry_run: bool) -> bool {
    if !dry_run {
        return before.metadata.resource_version == after.metadata.resource_version;
    }
    let strip = |object: &DynamicObject| {
        let mut object = object.clone();
        object.metadata.managed_fields = None;
        object.metadata.resource_version = None;
        object.metadata.generation = None;
        object
    };
    strip(before) == strip(after)
}

/// The cluster's refusal, or a failure to talk to it (`written`: on the write).
fn failure(object: &Manifest, error: kube::Error, written: bool) -> Outcome {
    match error {
        kube::Error::Api(status) => {
            let reason = status.reason.clone();
            Outcome::Failed {
                reason,
                diagnostics: status_diagnostics(object, &status),
            }
        }
        other => lost::transport(object, &other, written),
    }
}

/// Tie the API server's refusal to lines: one diagnostic per cause that names a field,
/// or per `unknown field ".a.b"` it mentions, else one for the whole object.
pub fn status_diagnostics(object: &Manifest, status: &Status) -> Vec<Diagnostic> {
    let causes = status
        .details
        .as_ref()
        .map(|d| d.causes.as_slice())
        .unwrap_or_default();
    let mut found: Vec<Diagnostic> = causes
        .iter()
        .filter(|cause| !cause.field.is_empty())
        .map(|cause| {
            let text = format!("{}: {}", cause.field, cause.message);
            diagnostic(object, &cause.field, "api-server", server_text(&text))
        })
        .collect();
    if found.is_empty() {
        found = quoted_fields(&status.message)
            .into_iter()
            .map(|field| diagnostic(object, &field, "api-server", server_text(&status.message)))
            .collect();
    }
    if found.is_empty() {
        found.push(diagnostic(
            object,
            "",
            "api-server",
            server_text(&status.message),
        ));
    }
    found
}

/// Field paths the API server quotes in messages such as `unknown field "spec.contianers"`.
fn quoted_fields(message: &str) -> Vec<String> {
    message
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|quoted| quoted.trim_start_matches('.'))
        .filter(|quoted| quoted.contains('.') && !quoted.contains(' '))
        .map(str::to_owned)
        .collect()
}

fn server_text(message: &str) -> Text {
    Text::new(
        format!("The API server refused this object: {message}"),
        format!("Le serveur d'API a refusé cet objet : {message}"),
    )
}

/// The path as written in the manifest: the API server names some fields by their defaulted
/// plural twin (`spec.clusterIPs` for `spec.clusterIP`, `spec.ipFamilies` for `spec.ipFamily`).
fn written_path(object: &Manifest, path: &str) -> String {
    if object.node(path).is_some() {
        return path.to_owned();
    }
    let bare = path.split('[').next().unwrap_or(path);
    match bare.strip_suffix('s') {
        Some(singular) if object.node(singular).is_some() => singular.to_owned(),
        _ => path.to_owned(),
    }
}

fn diagnostic(object: &Manifest, path: &str, code: &str, message: Text) -> Diagnostic {
    Diagnostic {
        file: object.file.clone(),
        span: if path.is_empty() {
            object.span
        } else {
            object.span_of(&written_path(object, path))
        },
        severity: Severity::Error,
        code: code.to_owned(),
        message,
        path: path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_quoted_field_paths() {
        let message = r#".spec.template.spec.contianers: field not declared in schema; unknown field "spec.replica""#;
        assert_eq!(quoted_fields(message), vec!["spec.replica".to_owned()]);
        assert!(quoted_fields("name \"a b\" is bad").is_empty());
    }
}
