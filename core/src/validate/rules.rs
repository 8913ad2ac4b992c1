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

/// Runs the rules for the object's kind.
pub(super) fn check(ctx: &mut Ctx<'_>) {
    shared::metadata(ctx, &FieldPath::parse("metadata"), true);
    let spec = FieldPath::parse("spec");
    match kinds::find(&ctx.m.api_version, &ctx.m.kind) {
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
