use kubefiche_core::live::{
    CronJobFacts, Facts, JobFacts, JobOutcome, LiveObject, ServicePort, Template,
};

use super::*;

fn object(kind: &str, facts: Facts) -> LiveObject {
    LiveObject {
        kind: kind.into(),
        name: "x".into(),
        uid: "u".into(),
        created: Some("2026-01-01T00:00:00Z".into()),
        deleting: false,
        labels: vec![],
        owner: None,
        facts,
        object: serde_json::Value::Null,
    }
}

const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

#[test]
fn ports_read_like_kubectl() {
    let port = |port, node_port| ServicePort {
        name: None,
        port,
        target: None,
        node_port,
        protocol: "TCP".into(),
    };
    assert_eq!(ports_text(&[port(80, Some(30900))]), "80:30900/TCP");
    assert_eq!(
        ports_text(&[port(80, None), port(443, None)]),
        "80/TCP,443/TCP"
    );
    assert_eq!(ports_text(&[]), "<none>");
}

#[test]
fn access_modes_are_abbreviated() {
    let modes = ["ReadWriteOnce".to_owned(), "ReadOnlyMany".to_owned()];
    assert_eq!(access_modes(&modes), "RWO,ROX");
}

#[test]
fn durations_read_like_kubectl() {
    assert_eq!(human_duration(-5), "0s");
    assert_eq!(human_duration(42), "42s");
    assert_eq!(human_duration(200), "3m20s");
    assert_eq!(human_duration(300), "5m");
    assert_eq!(human_duration(15 * 60), "15m");
    assert_eq!(human_duration(5 * 3600 + 600), "5h10m");
    assert_eq!(human_duration(20 * 3600), "20h");
    assert_eq!(human_duration(3 * 86_400 + 4 * 3600), "3d4h");
    assert_eq!(human_duration(30 * 86_400), "30d");
    assert_eq!(human_duration(740 * 86_400), "2y10d");
}

#[test]
fn countdowns_tick_by_the_second() {
    assert_eq!(countdown(42), "42s");
    assert_eq!(countdown(185), "3m05s");
    assert_eq!(countdown(2 * 3600 + 600), "2h10m");
    assert_eq!(countdown(-1), "0s");
}

fn job_facts(outcome: Option<JobOutcome>) -> JobFacts {
    JobFacts {
        completions: Some(1),
        succeeded: u32::from(outcome == Some(JobOutcome::Complete)),
        failed: 0,
        active: 0,
        backoff_limit: 6,
        suspended: false,
        started: Some("2026-01-01T00:00:00Z".into()),
        finished: outcome.as_ref().map(|_| "2026-01-01T00:00:07Z".to_owned()),
        outcome,
        template: Template::default(),
    }
}

#[test]
fn a_job_row_tells_completions_duration_and_status() {
    let done = object(
        "Job",
        Facts::Job(Box::new(job_facts(Some(JobOutcome::Complete)))),
    );
    let row = cells(&done, START + 65, Lang::En);
    let values: Vec<&str> = row.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["Complete", "1/1", "7s", "65s"]);
    let running = object("Job", Facts::Job(Box::new(job_facts(None))));
    let row = cells(&running, START + 12, Lang::En);
    assert_eq!(row[0].value, "Running");
    assert_eq!(row[2].value, "12s", "a running Job's duration grows");
}

#[test]
fn a_cron_job_row_counts_down_to_its_next_run() {
    let facts = CronJobFacts {
        schedule: "*/1 * * * *".into(),
        time_zone: None,
        suspended: false,
        last_schedule: Some("2026-01-01T00:00:00Z".into()),
        last_success: None,
        active: vec!["x-1".into()],
        template: Template::default(),
    };
    let cron = object("CronJob", Facts::CronJob(Box::new(facts.clone())));
    let row = cells(&cron, START + 20, Lang::En);
    let find = |label| {
        row.iter()
            .find(|c| c.label == label)
            .map(|c| c.value.clone())
    };
    assert_eq!(
        find("col.schedule").as_deref(),
        Some("*/1 * * * * (every minute)")
    );
    assert_eq!(find("col.active").as_deref(), Some("1"));
    assert_eq!(find("col.last.schedule").as_deref(), Some("20s"));
    assert_eq!(find("col.next").as_deref(), Some("in 40s"));
    let suspended = object(
        "CronJob",
        Facts::CronJob(Box::new(CronJobFacts {
            suspended: true,
            ..facts
        })),
    );
    let row = cells(&suspended, START + 20, Lang::Fr);
    assert!(row.iter().all(|c| c.label != "col.next"), "no countdown");
    assert_eq!(row[1].value, "True");
    assert!(row[0].value.contains("toutes les minutes"));
}
