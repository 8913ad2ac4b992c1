//! Layer 3: the API server's own validation rules for the kinds of the course (ConfigMap,
//! Secret, PVC, Pod, Deployment, ReplicaSet, Service, Job, CronJob) and their pod templates.
//! The aim is to refuse what the API server refuses, no more: doubtful cases are warnings.

mod config;
mod pod;
mod service;
mod shared;
mod workloads;

use super::context::Ctx;
use crate::kinds;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::yaml::NodeKind;

/// Runs the rules for the object's kind.
pub(super) fn check(ctx: &mut Ctx<'_>) {
    shared::metadata(ctx, &FieldPath::parse("metadata"), true);
    let spec = FieldPath::parse("spec");
    let kind = kinds::find(&ctx.m.api_version, &ctx.m.kind);
    if needs_spec(kind)
        && ctx
            .m
            .node(&spec)
            .is_none_or(|n| matches!(n.kind, NodeKind::Null))
    {
        // Left out or `~`: the API server finds no containers (and for a workload no selector
        // or schedule). Said once, unless the document already has an error (a misspelt
        // `spec:` is the likelier story then).
        if !ctx.has_error_at("") {
            let what = ctx.m.kind.clone();
            ctx.error(
                Rule::MissingField,
                &spec,
                format!("This {what} has no `spec`: it is where its content goes (for a pod, its `containers`). Add `spec:` at the top level, at the same indentation as `metadata:`."),
                format!("Ce {what} n'a pas de `spec` : c'est là que va son contenu (pour un pod, ses `containers`). Ajoutez `spec:` au premier niveau, à la même indentation que `metadata:`."),
            );
        }
        return;
    }
    match kind {
        Some(&kinds::CONFIG_MAP) => config::config_map(ctx),
        Some(&kinds::SECRET) => config::secret(ctx),
        Some(&kinds::PERSISTENT_VOLUME_CLAIM) => config::pvc(ctx),
        Some(&kinds::SERVICE) => service::service(ctx),
        Some(&kinds::POD) => pod::pod_spec(ctx, &spec, pod::Owner::Pod),
        Some(&(kinds::DEPLOYMENT | kinds::REPLICA_SET)) => workloads::deployment(ctx),
        Some(&kinds::JOB) => workloads::job(ctx, &spec),
        Some(&kinds::CRON_JOB) => workloads::cron_job(ctx),
        _ => {}
    }
}

/// The kinds whose `spec` the API server requires content in (PersistentVolumeClaims and
/// Services say it in their own words).
fn needs_spec(kind: Option<&kinds::KindInfo>) -> bool {
    matches!(
        kind,
        Some(&(kinds::POD | kinds::DEPLOYMENT | kinds::REPLICA_SET | kinds::JOB | kinds::CRON_JOB))
    )
}
