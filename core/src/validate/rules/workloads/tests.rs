//! Deployments, ReplicaSets, Jobs and CronJobs: each rule on a small manifest, the code and
//! line expected, and the cases the API server accepts (checked on kube-apiserver 1.36.1).

use crate::validate::testing::error_lines as errors;

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
    // Too many digits for Go reads as the largest number, not 0.
    ok(&ru("99999999999999999999%", "0"));
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
    refused(&other, "selector-mismatch", 12);
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
        11,
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

#[path = "tests/batch.rs"]
mod batch;
