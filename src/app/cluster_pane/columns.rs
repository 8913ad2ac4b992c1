//! What each kind shows on its row: the columns `kubectl get` prints for it, as text (pure, so
//! tested natively). Pods keep their own table (`pods.rs`).

use kubefiche_core::live::{
    ClaimFacts, CronJobFacts, DeploymentFacts, Facts, JobFacts, JobOutcome, LiveObject,
    ReplicaSetFacts, ServiceFacts, ServicePort, next_run, schedule_words, unix_seconds,
};

use crate::i18n::Lang;

/// One labelled value of a row: the label's key in `i18n`, the value as kubectl prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub label: &'static str,
    pub value: String,
    /// A class for the value (`status-complete`…), when its meaning deserves a style.
    pub class: Option<String>,
}

fn cell(label: &'static str, value: impl Into<String>) -> Cell {
    Cell {
        label,
        value: value.into(),
        class: None,
    }
}

/// Seconds since the Unix epoch of an RFC 3339 time.
pub fn unix(time: &str) -> Option<i64> {
    unix_seconds(time)
}

/// The row of `object` at `now` (Unix seconds), in `lang`. AGE comes last, as kubectl prints it.
pub fn cells(object: &LiveObject, now: i64, lang: Lang) -> Vec<Cell> {
    let mut cells = match &object.facts {
        Facts::Deployment(d) => deployment(d),
        Facts::ReplicaSet(r) => replica_set(r),
        Facts::Job(j) => job(j, object.deleting, now),
        Facts::CronJob(c) => cron_job(c, now, lang),
        Facts::Service(s) => service(s),
        Facts::Claim(c) => claim(c),
        Facts::ConfigMap { keys } => vec![cell("col.data", keys.len().to_string())],
        Facts::Secret { keys, r#type } => vec![
            cell("col.type", r#type.clone()),
            cell("col.data", keys.len().to_string()),
        ],
        Facts::Pod(_) => Vec::new(),
    };
    if let Some(created) = object.created.as_deref().and_then(unix) {
        cells.push(cell("col.age", human_duration(now - created)));
    }
    cells
}

fn deployment(d: &DeploymentFacts) -> Vec<Cell> {
    vec![
        cell("col.ready", format!("{}/{}", d.ready, d.replicas)),
        cell("col.uptodate", d.updated.to_string()),
        cell("col.available", d.available.to_string()),
    ]
}

fn replica_set(r: &ReplicaSetFacts) -> Vec<Cell> {
    let mut cells = vec![
        cell("col.desired", r.replicas.to_string()),
        cell("col.current", r.current.to_string()),
        cell("col.ready", r.ready.to_string()),
    ];
    if let Some(revision) = &r.revision {
        cells.push(cell("col.revision", revision.clone()));
    }
    cells
}

/// A Job's STATUS as kubectl prints it.
pub fn job_status(j: &JobFacts, deleting: bool) -> &'static str {
    match (&j.outcome, deleting) {
        (_, true) => "Terminating",
        (Some(JobOutcome::Complete), _) => "Complete",
        (Some(JobOutcome::Failed(_)), _) => "Failed",
        (None, _) if j.suspended => "Suspended",
        (None, _) => "Running",
    }
}

fn job(j: &JobFacts, deleting: bool, now: i64) -> Vec<Cell> {
    let status = job_status(j, deleting);
    let duration = match (
        j.started.as_deref().and_then(unix),
        j.finished.as_deref().and_then(unix),
    ) {
        (Some(start), Some(end)) => human_duration(end - start),
        (Some(start), None) => human_duration(now - start),
        _ => String::new(),
    };
    vec![
        Cell {
            label: "col.status",
            value: status.to_owned(),
            class: Some(format!("status-{}", status.to_lowercase())),
        },
        cell(
            "col.completions",
            format!("{}/{}", j.succeeded, j.completions.unwrap_or(1)),
        ),
        cell("col.duration", duration),
    ]
}

fn cron_job(c: &CronJobFacts, now: i64, lang: Lang) -> Vec<Cell> {
    let last = c
        .last_schedule
        .as_deref()
        .and_then(unix)
        .map_or_else(|| "<none>".to_owned(), |t| human_duration(now - t));
    let mut cells = vec![
        Cell {
            label: "col.schedule",
            value: format!(
                "{} ({})",
                c.schedule,
                schedule_words(&c.schedule).get(lang.code())
            ),
            class: Some("schedule".into()),
        },
        cell("col.suspend", if c.suspended { "True" } else { "False" }),
        cell("col.active", c.active.len().to_string()),
        cell("col.last.schedule", last),
    ];
    if !c.suspended
        && let Some(next) = next_run(&c.schedule, c.time_zone.as_deref(), now)
    {
        cells.push(Cell {
            label: "col.next",
            value: format!("{} {}", lang.t("next.in"), countdown(next - now)),
            class: Some("countdown".into()),
        });
    }
    cells
}

fn service(s: &ServiceFacts) -> Vec<Cell> {
    vec![
        cell("col.type", s.r#type.clone()),
        cell(
            "col.cluster.ip",
            s.cluster_ip.clone().unwrap_or_else(|| "<none>".into()),
        ),
        cell("col.ports", ports_text(&s.ports)),
    ]
}

fn claim(c: &ClaimFacts) -> Vec<Cell> {
    let none = || String::new();
    vec![
        Cell {
            label: "col.status",
            value: c.phase.clone(),
            class: Some(format!("status-{}", c.phase.to_lowercase())),
        },
        cell("col.volume", c.volume.clone().unwrap_or_else(none)),
        cell("col.capacity", c.capacity.clone().unwrap_or_else(none)),
        cell("col.access", access_modes(&c.access_modes)),
        cell("col.class", c.storage_class.clone().unwrap_or_else(none)),
    ]
}

/// PORT(S) as kubectl prints them: `80/TCP`, `80:30900/TCP`, comma-separated; `<none>`.
pub fn ports_text(ports: &[ServicePort]) -> String {
    if ports.is_empty() {
        return "<none>".into();
    }
    ports
        .iter()
        .map(|p| match p.node_port {
            Some(node) => format!("{}:{node}/{}", p.port, p.protocol),
            None => format!("{}/{}", p.port, p.protocol),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// ACCESS MODES as kubectl abbreviates them: `RWO`, `ROX`, `RWX`, `RWOP`.
pub fn access_modes(modes: &[String]) -> String {
    modes
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO".to_owned(),
            "ReadOnlyMany" => "ROX".to_owned(),
            "ReadWriteMany" => "RWX".to_owned(),
            "ReadWriteOncePod" => "RWOP".to_owned(),
            other => other.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A duration as kubectl's AGE and DURATION columns print it: `42s`, `3m20s`, `15m`, `5h10m`,
/// `20h`, `3d4h`, `30d`, `2y10d`; more precision while it is short.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (minutes, hours) = (s / 60, s / 3600);
    let (days, years) = (hours / 24, hours / (24 * 365));
    let with = |big: i64, unit: &str, small: i64, small_unit: &str| {
        if small == 0 {
            format!("{big}{unit}")
        } else {
            format!("{big}{unit}{small}{small_unit}")
        }
    };
    match s {
        s if s < 120 => format!("{s}s"),
        _ if minutes < 10 => with(minutes, "m", s % 60, "s"),
        _ if minutes < 180 => format!("{minutes}m"),
        _ if hours < 8 => with(hours, "h", minutes % 60, "m"),
        _ if hours < 48 => format!("{hours}h"),
        _ if hours < 24 * 8 => with(days, "d", hours % 24, "h"),
        _ if hours < 24 * 365 * 2 => format!("{days}d"),
        _ if hours < 24 * 365 * 8 => with(years, "y", days % 365, "d"),
        _ => format!("{years}y"),
    }
}

/// Time left, to the second while under an hour: `42s`, `3m05s`, `2h10m`.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        s => format!("{}d{}h", s / 86_400, (s % 86_400) / 3600),
    }
}

#[cfg(test)]
#[path = "columns_tests.rs"]
mod tests;
