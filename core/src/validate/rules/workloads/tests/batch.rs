//! Jobs and CronJobs.

use super::{CRON, cron_job_spec, errors, job_spec, ok, refused};
use crate::manifest::SourceFile;
use crate::validate::{Options, validate_workspace};

#[test]
fn job_counts_and_indexes() {
    ok(&job_spec(
        "  activeDeadlineSeconds: 0\n  backoffLimit: 0\n  ttlSecondsAfterFinished: 0\n",
    ));
    refused(&job_spec("  backoffLimit: -1\n"), "negative-value", 6);
    ok(&job_spec(
        "  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 2\n",
    ));
    // Neither completions nor parallelism: both become 1.
    ok(&job_spec("  completionMode: Indexed\n"));
    refused(
        &job_spec("  completionMode: Indexed\n  parallelism: 2\n"),
        "indexed-only",
        6,
    );
    refused(&job_spec("  backoffLimitPerIndex: 1\n"), "indexed-only", 6);
    refused(
        &job_spec("  completionMode: Indexed\n  completions: 3\n  maxFailedIndexes: 1\n"),
        "indexed-only",
        8,
    );
    refused(
        &job_spec(
            "  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 4\n",
        ),
        "out-of-range",
        9,
    );
    refused(
        &job_spec("  successPolicy:\n    rules:\n    - succeededCount: 1\n"),
        "indexed-only",
        6,
    );
    let many = "  completionMode: Indexed\n  completions: 200000\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 5\n";
    ok(&job_spec(&format!("{many}  parallelism: 5\n")));
    refused(
        &job_spec(&format!("{many}  parallelism: 20000\n")),
        "out-of-range",
        10,
    );
    // The pods of an indexed Job are named NAME-INDEX, a DNS label.
    let long = format!("name: {}", "j".repeat(60));
    ok(&job_spec("  completionMode: Indexed\n  completions: 10\n").replace("name: job", &long));
    refused(
        &job_spec("  completionMode: Indexed\n  completions: 1000\n").replace("name: job", &long),
        "invalid-name",
        4,
    );
    refused(
        &job_spec("  completionMode: Indexed\n  completions: 2\n")
            .replace("name: job", "name: my.job"),
        "invalid-name",
        4,
    );
    // The API server does not default a CronJob's Job template.
    refused(
        &cron_job_spec("      completionMode: Indexed\n"),
        "indexed-only",
        9,
    );
}

#[test]
fn job_selectors() {
    let manual = "  manualSelector: true\n  selector:\n    matchLabels:\n      app: j\n";
    refused(&job_spec(manual), "selector-mismatch", 10);
    ok(&job_spec(manual).replace(
        "  template:\n",
        "  template:\n    metadata:\n      labels:\n        app: j\n",
    ));
    refused(&job_spec("  manualSelector: true\n"), "job-selector", 6);
    let other = job_spec(manual).replace(
        "  template:\n",
        "  template:\n    metadata:\n      labels:\n        app: k\n",
    );
    refused(&other, "selector-mismatch", 13);
    refused(
        &job_spec("  selector:\n    matchLabels:\n      app: j\n"),
        "job-selector",
        6,
    );
    // A selector the API server would have generated anyway is fine.
    ok(&job_spec(
        "  selector:\n    matchLabels:\n      job-name: job\n",
    ));
    let labelled = |l: &str| {
        job_spec("").replace(
            "  template:\n",
            &format!("  template:\n    metadata:\n      labels:\n        {l}\n"),
        )
    };
    ok(&labelled("job-name: job"));
    ok(&labelled("batch.kubernetes.io/job-name: job"));
    ok(&job_spec(
        "  selector:\n    matchLabels:\n      batch.kubernetes.io/job-name: job\n",
    ));
    ok(&job_spec(
        "  selector:\n    matchExpressions:\n    - {key: app, operator: DoesNotExist}\n",
    ));
    refused(
        &job_spec("  selector:\n    matchLabels:\n      job-name: job\n      app: x\n"),
        "job-selector",
        6,
    );
    refused(
        &labelled("batch.kubernetes.io/job-name: other"),
        "job-selector",
        9,
    );
    refused(&labelled("job-name: other"), "job-selector", 9);
    refused(&labelled("controller-uid: abc"), "job-selector", 9);
    refused(
        &cron_job_spec("      selector:\n        matchLabels:\n          app: j\n"),
        "job-selector",
        9,
    );
    refused(
        &cron_job_spec("      manualSelector: true\n"),
        "job-selector",
        9,
    );
}

#[test]
fn pod_failure_policy() {
    let pfp = |rules: &str| job_spec(&format!("  podFailurePolicy:\n    rules:\n{rules}"));
    ok(&pfp(
        "    - action: FailJob\n      onExitCodes: {containerName: main, operator: In, values: [1, 42]}\n    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n",
    ));
    refused(
        &pfp("    - action: Fail\n      onExitCodes: {operator: In, values: [1]}\n"),
        "pod-failure-policy",
        8,
    );
    refused(
        &pfp("    - action: FailIndex\n      onExitCodes: {operator: In, values: [1]}\n"),
        "pod-failure-policy",
        8,
    );
    refused(
        &pfp("    - action: Count\n      onExitCodes: {operator: in, values: [1]}\n"),
        "pod-failure-policy",
        9,
    );
    refused(
        &pfp("    - action: Count\n      onExitCodes: {operator: In, values: [0, 1]}\n"),
        "pod-failure-policy",
        9,
    );
    refused(
        &pfp("    - action: Count\n      onExitCodes: {operator: NotIn, values: [3, 1]}\n"),
        "pod-failure-policy",
        9,
    );
    refused(
        &pfp("    - action: Count\n      onExitCodes: {operator: NotIn, values: [1, 1]}\n"),
        "pod-failure-policy",
        9,
    );
    refused(
        &pfp("    - action: Count\n      onExitCodes: {operator: In, values: []}\n"),
        "pod-failure-policy",
        9,
    );
    refused(
        &pfp(
            "    - action: Count\n      onExitCodes: {containerName: app, operator: In, values: [1]}\n",
        ),
        "pod-failure-policy",
        9,
    );
    refused(&pfp("    - action: Count\n"), "pod-failure-policy", 8);
    refused(
        &pfp(
            "    - action: Count\n      onExitCodes: {operator: In, values: [1]}\n      onPodConditions: [{type: DisruptionTarget}]\n",
        ),
        "pod-failure-policy",
        8,
    );
    refused(
        &pfp(
            "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget, status: true}]\n",
        ),
        "wrong-type",
        9,
    );
    refused(
        &pfp(
            "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget, status: 'yes'}]\n",
        ),
        "pod-failure-policy",
        9,
    );
    let on_failure =
        pfp("    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n")
            .replace("restartPolicy: Never", "restartPolicy: OnFailure");
    refused(&on_failure, "pod-failure-policy", 12);
    let rule = "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n";
    refused(
        &pfp(rule).replace(
            "  podFailurePolicy:",
            "  podReplacementPolicy: TerminatingOrFailed\n  podFailurePolicy:",
        ),
        "pod-replacement-policy",
        6,
    );
    ok(&pfp(rule).replace(
        "  podFailurePolicy:",
        "  podReplacementPolicy: Failed\n  podFailurePolicy:",
    ));
}

#[test]
fn success_policy() {
    let sp = |rules: &str| {
        job_spec(&format!(
            "  completionMode: Indexed\n  completions: 5\n  successPolicy:\n    rules:\n{rules}"
        ))
    };
    ok(&sp(
        "    - succeededIndexes: '0,2-4'\n      succeededCount: 4\n    - succeededCount: 5\n",
    ));
    refused(
        &sp("    - succeededIndexes: '0,2-5'\n"),
        "success-policy",
        10,
    );
    refused(&sp("    - succeededIndexes: '2,1'\n"), "success-policy", 10);
    refused(&sp("    - succeededIndexes: '3-3'\n"), "success-policy", 10);
    refused(
        &sp("    - succeededIndexes: '0-1'\n      succeededCount: 3\n"),
        "success-policy",
        11,
    );
    refused(&sp("    - succeededCount: 6\n"), "success-policy", 10);
    refused(&sp("    - {}\n"), "success-policy", 10);
    refused(
        &job_spec("  completionMode: Indexed\n  completions: 5\n  successPolicy:\n    rules: []\n"),
        "success-policy",
        9,
    );
}

#[test]
fn cron_jobs() {
    ok(&CRON.replace("'0 * * * *'", "'@every 90m'"));
    refused(
        &CRON.replace("'0 * * * *'", "'@every 1d'"),
        "invalid-schedule",
        6,
    );
    let tz = |z: &str| {
        CRON.replace(
            "  jobTemplate:",
            &format!("  timeZone: {z}\n  jobTemplate:"),
        )
    };
    ok(&tz("Europe/Paris"));
    ok(&tz("Etc/GMT+5"));
    refused(&tz("europe/paris"), "invalid-time-zone", 7);
    refused(&tz("Local"), "invalid-time-zone", 7);
    refused(&tz("''"), "invalid-time-zone", 7);
    let d = validate_workspace(
        &[SourceFile {
            path: "t.yaml".into(),
            text: tz("europe/paris"),
        }],
        &Options::default(),
    );
    assert!(
        d.iter()
            .any(|d| d.message.en.contains("Did you mean `Europe/Paris`?")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|d| d.message.fr.contains("Vouliez-vous dire `Europe/Paris` ?"))
    );
    // Accepted where the API server's machine has the file: a warning.
    assert_eq!(errors(&tz("posix/Europe/Paris")), vec![]);
    refused(
        &CRON.replace(
            "  jobTemplate:",
            "  startingDeadlineSeconds: -5\n  jobTemplate:",
        ),
        "negative-value",
        7,
    );
}
