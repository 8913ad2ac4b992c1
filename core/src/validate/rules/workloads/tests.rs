//! Deployments, ReplicaSets, Jobs and CronJobs: each rule on a small manifest, the code and
//! line expected, and the cases the API server accepts (checked on kube-apiserver 1.36.1).

use crate::Severity;
use crate::manifest::SourceFile;
use crate::validate::{Options, validate_workspace};

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
";

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: job
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
";

const CRON: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: cron
spec:
  schedule: '0 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
";

/// (code, line) of every error.
fn errors(text: &str) -> Vec<(String, u32)> {
    validate_workspace(
        &[SourceFile {
            path: "t.yaml".into(),
            text: text.into(),
        }],
        &Options::default(),
    )
    .into_iter()
    .filter(|d| d.severity == Severity::Error)
    .map(|d| (d.code, d.span.line))
    .collect()
}

#[track_caller]
fn ok(text: &str) {
    assert_eq!(errors(text), vec![], "{text}");
}

#[track_caller]
fn refused(text: &str, code: &str, line: u32) {
    let e = errors(text);
    assert!(
        e.iter().any(|(c, l)| c == code && *l == line),
        "expected {code} at line {line}, got {e:?} for\n{text}"
    );
}

/// The Deployment with `lines` added to its spec (before `selector:`).
fn deploy_spec(lines: &str) -> String {
    DEPLOY.replace("spec:\n  selector:", &format!("spec:\n{lines}  selector:"))
}

/// The Job with `lines` added to its spec (before `template:`).
fn job_spec(lines: &str) -> String {
    JOB.replace("spec:\n  template:", &format!("spec:\n{lines}  template:"))
}

/// The CronJob with `lines` added to its Job spec (before `template:`).
fn cron_job_spec(lines: &str) -> String {
    CRON.replace(
        "    spec:\n      template:",
        &format!("    spec:\n{lines}      template:"),
    )
}

#[test]
fn the_samples_are_valid() {
    ok(DEPLOY);
    ok(&DEPLOY.replace("kind: Deployment", "kind: ReplicaSet"));
    ok(JOB);
    ok(CRON);
}

#[test]
fn progress_deadline_beyond_min_ready() {
    ok(&deploy_spec(
        "  minReadySeconds: 30\n  progressDeadlineSeconds: 31\n",
    ));
    refused(
        &deploy_spec("  minReadySeconds: 30\n  progressDeadlineSeconds: 30\n"),
        "progress-deadline",
        7,
    );
    // Left out, the deadline is 600.
    ok(&deploy_spec("  minReadySeconds: 599\n"));
    refused(
        &deploy_spec("  minReadySeconds: 600\n"),
        "progress-deadline",
        6,
    );
    // A ReplicaSet has no deadline.
    ok(&deploy_spec("  minReadySeconds: 900\n").replace("kind: Deployment", "kind: ReplicaSet"));
}

#[test]
fn rolling_update_values() {
    let ru = |a: &str, b: &str| {
        deploy_spec(&format!(
            "  strategy:\n    rollingUpdate:\n      maxSurge: {a}\n      maxUnavailable: {b}\n"
        ))
    };
    ok(&ru("0", "1"));
    ok(&ru("'100%'", "100%"));
    ok(&ru("200%", "0"));
    refused(&ru("0", "0"), "strategy", 9);
    refused(&ru("0%", "0"), "strategy", 9);
    refused(&ru("1", "101%"), "invalid-percent", 9);
    refused(&ru("'1'", "1"), "invalid-percent", 8);
    refused(&ru("-1", "1"), "negative-value", 8);
    refused(&ru("1", "25 %"), "invalid-percent", 9);
    // One left out is 25 %.
    ok(&deploy_spec(
        "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n",
    ));
    refused(
        &deploy_spec("  strategy:\n    type: Recreate\n    rollingUpdate: {}\n"),
        "strategy",
        8,
    );
    ok(&deploy_spec(
        "  strategy:\n    type: Recreate\n    rollingUpdate:\n",
    ));
}

#[test]
fn selector_and_template() {
    let other = DEPLOY.replace(
        "        app: web\n    spec:",
        "        app: other\n    spec:",
    );
    refused(&other, "selector-mismatch", 6);
    refused(&other, "selector-mismatch", 11);
    refused(
        &deploy_spec("").replace("    matchLabels:\n      app: web\n", "    {}\n"),
        "empty-selector",
        6,
    );
    let exprs = |e: &str| {
        DEPLOY.replace(
            "    matchLabels:\n      app: web\n",
            &format!("    matchExpressions:\n    - {e}\n"),
        )
    };
    ok(&exprs("{key: app, operator: In, values: [web, api]}"));
    ok(&exprs("{key: app, operator: Exists}"));
    refused(
        &exprs("{key: app, operator: NotIn, values: [web]}"),
        "selector-mismatch",
        6,
    );
    refused(&exprs("{key: app, operator: In}"), "invalid-selector", 8);
    refused(
        &exprs("{key: app, operator: Exists, values: [web]}"),
        "invalid-selector",
        8,
    );
    refused(
        &exprs("{key: app, operator: In, values: [web, 'a b']}"),
        "invalid-label-value",
        8,
    );
    // A template in a Deployment or ReplicaSet runs until replaced.
    let deadline = DEPLOY.replace(
        "    spec:\n      containers",
        "    spec:\n      activeDeadlineSeconds: 60\n      containers",
    );
    refused(&deadline, "template-active-deadline", 14);
    refused(
        &deadline.replace("kind: Deployment", "kind: ReplicaSet"),
        "template-active-deadline",
        14,
    );
    let no_template = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  selector:\n    matchLabels:\n      app: web\n";
    refused(no_template, "missing-field", 5);
}

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
    refused(&job_spec(manual), "selector-mismatch", 7);
    ok(&job_spec(manual).replace(
        "  template:\n",
        "  template:\n    metadata:\n      labels:\n        app: j\n",
    ));
    refused(&job_spec("  manualSelector: true\n"), "job-selector", 6);
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
