//! Every failure the cluster pane explains, reached for real on the local cluster (the simulated
//! nodes fail pods as a kubelet does; the API server, the scheduler and the controllers decide the
//! rest), read through the proxy's stream as the page reads it, and explained by the page's own
//! `core::live::explain` — then, once the learner fixes the cause, explained no more.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use kubefiche_core::live::explain::{Context, Explanation, Remedy, Sources, explain};
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::ClusterFlavor;
use kubefiche_tests::cluster::{cluster, namespace};
use kubefiche_tests::live::{Tab, kubectl_in};
use kubefiche_tests::proxy::router;

/// The workspace file of the learner, as the editor would hold it: every object below.
const WORKSPACE: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: iris-server
spec:
  selector:
    matchLabels:
      app: iris
  template:
    metadata:
      labels:
        app: iris
    spec:
      containers:
      - name: server
        image: iris-server:1.0
        env:
        - name: MODEL_VERSION
          valueFrom:
            configMapKeyRef:
              name: iris-config
              key: MODEL_VERSION
        - name: API_KEY
          valueFrom:
            secretKeyRef:
              name: iris-secrets
              key: API_KEY
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: iris-config
data:
  OTHER: "1"
---
apiVersion: v1
kind: Pod
metadata:
  name: mounts
spec:
  containers:
  - name: app
    image: busybox:1.36
  volumes:
  - name: settings
    configMap:
      name: absent-settings
---
apiVersion: v1
kind: Pod
metadata:
  name: rootless
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: app
    image: busybox:1.36
    securityContext:
      runAsUser: 0
---
apiVersion: v1
kind: Pod
metadata:
  name: typo
  annotations:
    kubefiche.dev/simulate: ErrImagePull
spec:
  containers:
  - name: app
    image: iris-sever:1.0
---
apiVersion: v1
kind: Pod
metadata:
  name: pull
  annotations:
    kubefiche.dev/simulate: ErrImagePull
spec:
  containers:
  - name: app
    image: mcp-server:latest
---
apiVersion: v1
kind: Pod
metadata:
  name: invalid
spec:
  containers:
  - name: app
    image: Mcp-Server:latest
---
apiVersion: v1
kind: Pod
metadata:
  name: crash
  annotations:
    kubefiche.dev/simulate: CrashLoopBackOff
spec:
  containers:
  - name: app
    image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: oom
  annotations:
    kubefiche.dev/simulate: OOMKilled
spec:
  containers:
  - name: app
    image: busybox:1.36
    resources:
      limits:
        memory: 64Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: evicted
  annotations:
    kubefiche.dev/simulate: Evicted
spec:
  containers:
  - name: app
    image: busybox:1.36
---
apiVersion: batch/v1
kind: Job
metadata:
  name: failing
spec:
  backoffLimit: 1
  template:
    metadata:
      annotations:
        kubefiche.dev/simulate: Error
    spec:
      restartPolicy: Never
      containers:
      - name: app
        image: busybox:1.36
---
apiVersion: batch/v1
kind: Job
metadata:
  name: done
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: app
        image: busybox:1.36
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: paused
spec:
  schedule: "*/5 * * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: app
            image: busybox:1.36
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: never
spec:
  schedule: "0 0 30 2 *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: app
            image: busybox:1.36
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nowhere
spec:
  storageClassName: nope
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: claims
spec:
  containers:
  - name: app
    image: busybox:1.36
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: absent-claim
---
apiVersion: v1
kind: Service
metadata:
  name: iris-web
spec:
  selector:
    app: iris-web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  progressDeadlineSeconds: 5
  selector:
    matchLabels:
      app: stuck
  template:
    metadata:
      labels:
        app: stuck
      annotations:
        kubefiche.dev/simulate: ErrImagePull
    spec:
      containers:
      - name: app
        image: stuck:2.0
---
apiVersion: v1
kind: Pod
metadata:
  name: hungry
spec:
  containers:
  - name: app
    image: busybox:1.36
    resources:
      requests:
        cpu: "1000"
"#;

/// (object name, explanation code) expected once the cluster has settled.
const EXPECTED: &[(&str, &str)] = &[
    ("iris-server-*", "missing-key"),
    ("iris-server-*", "missing-config"),
    ("mounts", "missing-volume-source"),
    ("rootless", "run-as-root"),
    ("typo", "image-typo"),
    ("pull", "image-pull"),
    ("invalid", "invalid-image"),
    ("crash", "crash-loop"),
    ("oom", "oom-killed"),
    ("evicted", "evicted"),
    ("failing", "job-failed"),
    ("failing-*", "pod-error"),
    ("done-*", "job-pod-completed"),
    ("paused", "cron-suspended"),
    ("never", "cron-never"),
    ("nowhere", "claim-pending"),
    ("claims", "claim-missing"),
    ("iris-web", "service-no-endpoints"),
    ("stuck", "rollout-stuck"),
    ("hungry", "insufficient"),
];

const SECRET_LINE: &str = "kubectl create secret generic iris-secrets --from-literal=API_KEY=abc";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn explained(tab: &Tab, flavor: Option<ClusterFlavor>) -> Vec<Explanation> {
    let sources = Sources::new(&[SourceFile {
        path: "k8s/all.yaml".into(),
        text: WORKSPACE.into(),
    }]);
    let commands = [SECRET_LINE.to_owned()];
    explain(
        &tab.live(),
        &Context {
            sources: &sources,
            flavor,
            now_unix: Some(now()),
            commands: &commands,
        },
    )
}

fn has(all: &[Explanation], name: &str, code: &str) -> bool {
    all.iter().any(|e| {
        e.code == code
            && match name.strip_suffix('*') {
                Some(prefix) => e.object.name.starts_with(prefix),
                None => e.object.name == name,
            }
    })
}

fn missing(all: &[Explanation]) -> Vec<String> {
    EXPECTED
        .iter()
        .filter(|(name, code)| !has(all, name, code))
        .map(|(name, code)| format!("{name}: {code}"))
        .collect()
}

#[tokio::test]
#[ignore = "needs the local cluster: cargo xtask test"]
async fn every_failure_is_reached_and_explained_then_fixed() -> Result<()> {
    let ns = namespace("explained").await;
    let cluster = cluster().await;
    let app = router(cluster, ns.name()).await?;
    let tab = Tab::open(&app).await?;
    tab.started().await?;
    kubectl_in(cluster, ns.name(), &["apply", "-f", "-"], Some(WORKSPACE)).await?;

    // Crash loops need a first exit and a back-off, Jobs a retry: up to about a minute.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
    let mut all = explained(&tab, None);
    while !missing(&all).is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        all = explained(&tab, None);
    }
    let summary: Vec<String> = all
        .iter()
        .map(|e| format!("{}/{}: {}", e.object.kind, e.object.name, e.code))
        .collect();
    assert!(
        missing(&all).is_empty(),
        "not explained: {:?}\nexplained: {summary:#?}",
        missing(&all)
    );

    // The explanations name the object, the cause and the fix, in both languages, and point at
    // the workspace line or the worksheet's command.
    for e in &all {
        for text in [&e.title, &e.cause, &e.fix] {
            assert!(
                !text.en.is_empty() && !text.fr.is_empty() && text.en != text.fr,
                "{e:?}"
            );
        }
    }
    let secret = all
        .iter()
        .find(|e| e.code == "missing-config")
        .expect("explained above");
    assert!(secret.cause.en.contains("iris-secrets"), "{secret:?}");
    assert!(
        secret.remedies.contains(&Remedy::Command {
            line: SECRET_LINE.into()
        }),
        "the worksheet's own command is offered: {secret:?}"
    );
    assert!(
        secret
            .remedies
            .iter()
            .any(|r| matches!(r, Remedy::Line { file, line: 24, .. } if file == "k8s/all.yaml")),
        "the line that reads the Secret: {secret:?}"
    );
    let typo = all
        .iter()
        .find(|e| e.code == "image-typo")
        .expect("explained above");
    assert!(typo.fix.en.contains("iris-server:1.0"), "{typo:?}");
    // On kind, the same refused pull of a local image tells the `kind load` story.
    let on_kind = explained(&tab, Some(ClusterFlavor::Kind));
    let pull = on_kind
        .iter()
        .find(|e| e.object.name == "pull")
        .expect("the pull pod");
    assert_eq!(pull.code, "image-not-loaded");
    assert!(
        pull.remedies.contains(&Remedy::Command {
            line: "kind load docker-image mcp-server:latest".into()
        }),
        "{pull:?}"
    );

    // The learner creates what was missing: the Deployment's pod starts, its explanations go.
    kubectl_in(
        cluster,
        ns.name(),
        &[
            "create",
            "secret",
            "generic",
            "iris-secrets",
            "--from-literal=API_KEY=abc",
        ],
        None,
    )
    .await?;
    kubectl_in(
        cluster,
        ns.name(),
        &[
            "patch",
            "configmap",
            "iris-config",
            "--type=merge",
            "-p",
            r#"{"data":{"MODEL_VERSION":"v1"}}"#,
        ],
        None,
    )
    .await?;
    tab.until(
        "the iris-server pod running",
        Duration::from_secs(30),
        |live| {
            live.of_kind("Pod").any(|o| {
                o.name.starts_with("iris-server-")
                    && o.pod().is_some_and(|p| p.row.status == "Running")
            })
        },
    )
    .await?;
    let after = explained(&tab, None);
    assert!(
        !has(&after, "iris-server-*", "missing-key")
            && !has(&after, "iris-server-*", "missing-config"),
        "{after:#?}"
    );
    Ok(())
}
