//! Deployment, ReplicaSet, Job and CronJob: the API server's `apps` and `batch` validation.

mod cron_job;
mod deployment;
mod job;
mod selector;

pub(super) use cron_job::cron_job;
pub(super) use deployment::deployment;
pub(super) use job::job;

#[cfg(test)]
#[path = "workloads/tests.rs"]
mod tests;
