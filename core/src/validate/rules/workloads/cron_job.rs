//! CronJobs: the schedule and time zone (in [`crate::validate::cron`]), the history limits, and
//! the Job template.

use super::super::shared::{metadata, non_negative};
use super::job::{Place, job_spec};
use crate::path::FieldPath;
use crate::validate::context::Ctx;
use crate::validate::cron;
use crate::yaml::Node;

pub(in super::super) fn cron_job(ctx: &mut Ctx<'_>) {
    let spec = FieldPath::parse("spec");
    for f in [
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
        "startingDeadlineSeconds",
    ] {
        non_negative(ctx, &spec.field(f));
    }
    let schedule = spec.field("schedule");
    if let Some(text) = ctx.m.node(&schedule).and_then(Node::as_str) {
        cron::check_schedule(ctx, text, &schedule);
    }
    let time_zone = spec.field("timeZone");
    if let Some(tz) = ctx.m.node(&time_zone).and_then(Node::as_str) {
        cron::check_time_zone(ctx, tz, &time_zone);
    }
    metadata(ctx, &spec.join("jobTemplate.metadata"), false);
    let job = spec.join("jobTemplate.spec");
    if let Some(node) = ctx.m.node(&job) {
        job_spec(ctx, node, &job, Place::CronJob);
    }
}
