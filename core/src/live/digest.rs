//! From an object as the API server serves it (JSON) to the [`LiveObject`] the page shows.
//! Secrets give their keys and type, never a value.

use serde_json::Value;

use super::{
    ClaimFacts, Condition, ContainerSpec, ContainerState, ContainerStatus, CronJobFacts,
    DeploymentFacts, EventRow, Facts, JobFacts, JobOutcome, LiveObject, ObjectKey, PodFacts,
    Reference, ReplicaSetFacts, Requirement, Selector, ServiceFacts, ServicePort, Template,
    Terminated, Via,
};
use crate::wire::PodRow;

/// The facts of an object of `kind`, or `None` for a kind the view does not show.
pub fn object(kind: &str, object: &Value) -> Option<LiveObject> {
    let meta = &object["metadata"];
    let spec = &object["spec"];
    let status = &object["status"];
    let facts = match kind {
        "Pod" => Facts::Pod(Box::new(pod(object))),
        "Deployment" => Facts::Deployment(Box::new(DeploymentFacts {
            replicas: spec["replicas"].as_u64().map_or(1, |n| n as u32),
            ready: count(&status["readyReplicas"]),
            updated: count(&status["updatedReplicas"]),
            available: count(&status["availableReplicas"]),
            selector: selector(&spec["selector"]),
            paused: spec["paused"].as_bool().unwrap_or(false),
            stuck: conditions(status)
                .find(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded")
                .map(condition),
            template: template(&spec["template"]),
        })),
        "ReplicaSet" => Facts::ReplicaSet(Box::new(ReplicaSetFacts {
            replicas: count(&spec["replicas"]),
            current: count(&status["replicas"]),
            ready: count(&status["readyReplicas"]),
            revision: text(&meta["annotations"]["deployment.kubernetes.io/revision"]),
            template: template(&spec["template"]),
        })),
        "Job" => Facts::Job(Box::new(job(spec, status))),
        "CronJob" => Facts::CronJob(Box::new(CronJobFacts {
            schedule: text(&spec["schedule"]).unwrap_or_default(),
            time_zone: text(&spec["timeZone"]),
            suspended: spec["suspend"].as_bool().unwrap_or(false),
            last_schedule: text(&status["lastScheduleTime"]),
            last_success: text(&status["lastSuccessfulTime"]),
            active: items(&status["active"])
                .filter_map(|a| text(&a["name"]))
                .collect(),
            template: template(&spec["jobTemplate"]["spec"]["template"]),
        })),
        "Service" => Facts::Service(Box::new(ServiceFacts {
            r#type: text(&spec["type"]).unwrap_or_else(|| "ClusterIP".into()),
            cluster_ip: text(&spec["clusterIP"]),
            ports: items(&spec["ports"])
                .map(|p| ServicePort {
                    name: text(&p["name"]),
                    port: p["port"].as_i64().unwrap_or(0) as i32,
                    target: match &p["targetPort"] {
                        Value::Number(n) => Some(n.to_string()),
                        Value::String(s) => Some(s.clone()),
                        _ => None,
                    },
                    node_port: p["nodePort"].as_i64().map(|n| n as i32),
                    protocol: text(&p["protocol"]).unwrap_or_else(|| "TCP".into()),
                })
                .collect(),
            selector: spec["selector"]
                .as_object()
                .map(|_| pairs(&spec["selector"])),
        })),
        "PersistentVolumeClaim" => Facts::Claim(Box::new(ClaimFacts {
            phase: text(&status["phase"]).unwrap_or_else(|| "Pending".into()),
            volume: text(&spec["volumeName"]),
            capacity: text(&status["capacity"]["storage"]),
            requested: text(&spec["resources"]["requests"]["storage"]),
            access_modes: strings(if status["accessModes"].is_array() {
                &status["accessModes"]
            } else {
                &spec["accessModes"]
            }),
            storage_class: text(&spec["storageClassName"]),
        })),
        "ConfigMap" => Facts::ConfigMap {
            keys: keys(object, &["data", "binaryData"]),
        },
        "Secret" => Facts::Secret {
            keys: keys(object, &["data", "stringData"]),
            r#type: text(&object["type"]).unwrap_or_else(|| "Opaque".into()),
        },
        _ => return None,
    };
    Some(LiveObject {
        kind: kind.to_owned(),
        name: text(&meta["name"]).unwrap_or_default(),
        uid: text(&meta["uid"]).unwrap_or_default(),
        created: text(&meta["creationTimestamp"]),
        deleting: !meta["deletionTimestamp"].is_null(),
        labels: pairs(&meta["labels"]),
        owner: items(&meta["ownerReferences"])
            .find(|o| o["controller"].as_bool() == Some(true))
            .map(|o| {
                ObjectKey::new(
                    text(&o["kind"]).unwrap_or_default(),
                    text(&o["name"]).unwrap_or_default(),
                )
            }),
        facts,
        object: shown(kind, object),
    })
}

/// The annotation `kubectl apply` leaves: the whole applied text again (a Secret's values too).
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The object as the page may see it: without the bookkeeping that changes on every write
/// (`managedFields`, `resourceVersion`), without the copy of the applied text, without
/// `apiVersion` and `kind` (a watch leaves them out, a list puts them in: the kind is known
/// anyway), for a Secret with every value emptied (the keys stay: checks and explanations need
/// them), and for a ConfigMap with its binary values emptied (they can be large; the keys stay).
fn shown(kind: &str, object: &Value) -> Value {
    let mut shown = object.clone();
    if let Some(fields) = shown.as_object_mut() {
        fields.remove("apiVersion");
        fields.remove("kind");
    }
    if let Some(meta) = shown.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        meta.remove("resourceVersion");
        if let Some(annotations) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            annotations.remove(LAST_APPLIED);
            if annotations.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    let emptied: &[&str] = match kind {
        "Secret" => &["data", "stringData"],
        "ConfigMap" => &["binaryData"],
        _ => &[],
    };
    for field in emptied {
        if let Some(values) = shown.get_mut(*field).and_then(Value::as_object_mut) {
            for value in values.values_mut() {
                *value = Value::String(String::new());
            }
        }
    }
    shown
}

/// An event of `events.k8s.io/v1` or `v1` (both shapes are read).
pub fn event(event: &Value) -> Option<EventRow> {
    let meta = &event["metadata"];
    let regarding = if event["regarding"].is_object() {
        &event["regarding"]
    } else {
        &event["involvedObject"]
    };
    let series = &event["series"];
    let count = series["count"]
        .as_u64()
        .or_else(|| event["deprecatedCount"].as_u64())
        .or_else(|| event["count"].as_u64())
        .unwrap_or(1);
    let last = [
        &series["lastObservedTime"],
        &event["eventTime"],
        &event["deprecatedLastTimestamp"],
        &event["lastTimestamp"],
        &meta["creationTimestamp"],
    ]
    .into_iter()
    .find_map(text);
    let source = text(&event["reportingController"])
        .or_else(|| text(&event["deprecatedSource"]["component"]))
        .or_else(|| text(&event["source"]["component"]))
        .unwrap_or_default();
    Some(EventRow {
        uid: text(&meta["uid"])?,
        object: ObjectKey::new(text(&regarding["kind"])?, text(&regarding["name"])?),
        warning: event["type"] == "Warning",
        reason: text(&event["reason"]).unwrap_or_default(),
        message: text(&event["note"])
            .or_else(|| text(&event["message"]))
            .unwrap_or_default(),
        count: u32::try_from(count).unwrap_or(u32::MAX),
        last,
        source,
    })
}

fn pod(object: &Value) -> PodFacts {
    let (meta, spec, status) = (&object["metadata"], &object["spec"], &object["status"]);
    let init = items(&status["initContainerStatuses"]).map(|c| container_status(c, true));
    let statuses: Vec<ContainerStatus> = init
        .chain(items(&status["containerStatuses"]).map(|c| container_status(c, false)))
        .collect();
    let apps: Vec<&ContainerStatus> = statuses.iter().filter(|c| !c.init).collect();
    let containers = items(&spec["containers"]).count().max(apps.len());
    let ready = apps.iter().filter(|c| c.ready).count();
    let restarts: u32 = apps.iter().map(|c| c.restarts).sum();
    let phase = text(&status["phase"]).unwrap_or_else(|| "Pending".into());
    let reason = text(&status["reason"]);
    let init_total = items(&spec["initContainers"]).count();
    let row = PodRow {
        name: text(&meta["name"]).unwrap_or_default(),
        status: display_status(meta, status, &phase, &statuses, init_total),
        phase,
        ready: ready as u32,
        containers: containers as u32,
        restarts,
        created: text(&meta["creationTimestamp"]),
        node: text(&spec["nodeName"]),
        labels: pairs(&meta["labels"]),
    };
    PodFacts {
        row,
        reason,
        message: text(&status["message"]),
        unscheduled: conditions(status)
            .find(|c| c["type"] == "PodScheduled" && c["status"] != "True")
            .map(condition),
        containers: statuses,
        spec: pod_spec(&meta["labels"], spec),
    }
}

/// STATUS as `kubectl get pods` prints it (kubectl's own order of precedence): the pod's reason
/// (`Evicted`) or phase; a failing or waiting init container as `Init:REASON` (or `Init:1/2`);
/// else the last container's waiting or terminated reason (`CrashLoopBackOff`, `Completed`,
/// `Error`), `Completed` turning `Running`/`NotReady` while a container still runs; `Terminating`
/// while a deletion is under way on a pod that has not ended.
fn display_status(
    meta: &Value,
    status: &Value,
    phase: &str,
    statuses: &[ContainerStatus],
    init_total: usize,
) -> String {
    let mut reason = text(&status["reason"]).unwrap_or_else(|| phase.to_owned());
    if conditions(status).any(|c| c["type"] == "PodScheduled" && c["reason"] == "SchedulingGated") {
        reason = "SchedulingGated".into();
    }
    let mut initializing = false;
    for (i, c) in statuses.iter().filter(|c| c.init).enumerate() {
        reason = match &c.state {
            ContainerState::Terminated(t) if t.exit_code == 0 => continue,
            ContainerState::Terminated(t) if t.reason.is_empty() => {
                format!("Init:ExitCode:{}", t.exit_code)
            }
            ContainerState::Terminated(t) => format!("Init:{}", t.reason),
            ContainerState::Waiting { reason, .. }
                if !reason.is_empty() && reason != "PodInitializing" =>
            {
                format!("Init:{reason}")
            }
            _ => format!("Init:{i}/{init_total}"),
        };
        initializing = true;
        break;
    }
    let initialized =
        conditions(status).any(|c| c["type"] == "Initialized" && c["status"] == "True");
    if !initializing || initialized {
        let mut running = false;
        let mut error = None;
        for c in statuses.iter().filter(|c| !c.init).rev() {
            match &c.state {
                ContainerState::Waiting {
                    reason: waiting, ..
                } if !waiting.is_empty() => {
                    reason = waiting.clone();
                }
                ContainerState::Terminated(t) => {
                    reason = if t.reason.is_empty() {
                        format!("ExitCode:{}", t.exit_code)
                    } else {
                        t.reason.clone()
                    };
                    if t.exit_code != 0 {
                        error = Some(reason.clone());
                    }
                }
                ContainerState::Running { .. } if c.ready => running = true,
                _ => {}
            }
        }
        if reason == "Completed" {
            let ready = conditions(status).any(|c| c["type"] == "Ready" && c["status"] == "True");
            if running && ready {
                reason = "Running".into();
            } else if let Some(error) = error {
                reason = error;
            } else if running {
                reason = "NotReady".into();
            }
        }
    }
    if !meta["deletionTimestamp"].is_null() && !matches!(phase, "Succeeded" | "Failed") {
        reason = "Terminating".into();
    }
    reason
}

fn container_status(c: &Value, init: bool) -> ContainerStatus {
    ContainerStatus {
        name: text(&c["name"]).unwrap_or_default(),
        init,
        ready: c["ready"].as_bool().unwrap_or(false),
        restarts: count(&c["restartCount"]),
        state: state(&c["state"]),
        last: c["lastState"]["terminated"]
            .is_object()
            .then(|| terminated(&c["lastState"]["terminated"])),
    }
}

fn state(state: &Value) -> ContainerState {
    if state["waiting"].is_object() {
        ContainerState::Waiting {
            reason: text(&state["waiting"]["reason"]).unwrap_or_default(),
            message: text(&state["waiting"]["message"]).unwrap_or_default(),
        }
    } else if state["running"].is_object() {
        ContainerState::Running {
            started: text(&state["running"]["startedAt"]),
        }
    } else if state["terminated"].is_object() {
        ContainerState::Terminated(terminated(&state["terminated"]))
    } else {
        ContainerState::Unknown
    }
}

fn terminated(t: &Value) -> Terminated {
    Terminated {
        reason: text(&t["reason"]).unwrap_or_default(),
        exit_code: t["exitCode"].as_i64().unwrap_or(0) as i32,
        message: text(&t["message"]).unwrap_or_default(),
        finished: text(&t["finishedAt"]),
    }
}

fn job(spec: &Value, status: &Value) -> JobFacts {
    let outcome = conditions(status)
        .filter(|c| c["status"] == "True")
        .find_map(|c| match c["type"].as_str() {
            Some("Complete") => Some(JobOutcome::Complete),
            Some("Failed") => Some(JobOutcome::Failed(condition(c))),
            _ => None,
        });
    JobFacts {
        completions: spec["completions"].as_u64().map(|n| n as u32),
        succeeded: count(&status["succeeded"]),
        failed: count(&status["failed"]),
        active: count(&status["active"]),
        backoff_limit: spec["backoffLimit"].as_u64().map_or(6, |n| n as u32),
        suspended: spec["suspend"].as_bool().unwrap_or(false),
        started: text(&status["startTime"]),
        finished: text(&status["completionTime"]),
        outcome,
        template: template(&spec["template"]),
    }
}

fn template(template: &Value) -> Template {
    pod_spec(&template["metadata"]["labels"], &template["spec"])
}

/// What a pod spec runs, reads and mounts.
fn pod_spec(labels: &Value, spec: &Value) -> Template {
    let mut reads = Vec::new();
    let mut containers = Vec::new();
    for (field, init) in [("initContainers", true), ("containers", false)] {
        for c in items(&spec[field]) {
            let name = text(&c["name"]).unwrap_or_default();
            for env in items(&c["env"]) {
                for (kind, source) in [("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")]
                {
                    let r = &env["valueFrom"][source];
                    if r.is_object() {
                        reads.push(Reference {
                            kind: kind.into(),
                            name: text(&r["name"]).unwrap_or_default(),
                            key: text(&r["key"]),
                            optional: r["optional"].as_bool().unwrap_or(false),
                            via: Via::Env {
                                container: name.clone(),
                                variable: text(&env["name"]).unwrap_or_default(),
                            },
                        });
                    }
                }
            }
            for from in items(&c["envFrom"]) {
                for (kind, source) in [("ConfigMap", "configMapRef"), ("Secret", "secretRef")] {
                    let r = &from[source];
                    if r.is_object() {
                        reads.push(Reference {
                            kind: kind.into(),
                            name: text(&r["name"]).unwrap_or_default(),
                            key: None,
                            optional: r["optional"].as_bool().unwrap_or(false),
                            via: Via::EnvFrom {
                                container: name.clone(),
                            },
                        });
                    }
                }
            }
            containers.push(ContainerSpec {
                name,
                init,
                image: text(&c["image"]).unwrap_or_default(),
                pull_policy: text(&c["imagePullPolicy"]),
                memory_limit: text(&c["resources"]["limits"]["memory"]),
            });
        }
    }
    let mut claims = Vec::new();
    for volume in items(&spec["volumes"]) {
        let name = text(&volume["name"]).unwrap_or_default();
        if let Some(claim) = text(&volume["persistentVolumeClaim"]["claimName"]) {
            claims.push(claim);
        }
        let sources = [
            ("ConfigMap", &volume["configMap"], "name"),
            ("Secret", &volume["secret"], "secretName"),
        ]
        .into_iter()
        .map(|(kind, source, field)| (kind, source.clone(), field))
        .chain(items(&volume["projected"]["sources"]).flat_map(|s| {
            [
                ("ConfigMap", s["configMap"].clone(), "name"),
                ("Secret", s["secret"].clone(), "name"),
            ]
        }));
        for (kind, source, field) in sources {
            if !source.is_object() {
                continue;
            }
            let keys: Vec<Option<String>> = match source["items"].as_array() {
                Some(list) if !list.is_empty() => list.iter().map(|i| text(&i["key"])).collect(),
                _ => vec![None],
            };
            for key in keys {
                reads.push(Reference {
                    kind: kind.into(),
                    name: text(&source[field]).unwrap_or_default(),
                    key,
                    optional: source["optional"].as_bool().unwrap_or(false),
                    via: Via::Volume {
                        volume: name.clone(),
                    },
                });
            }
        }
    }
    Template {
        labels: pairs(labels),
        containers,
        reads,
        claims,
        restart_policy: text(&spec["restartPolicy"]),
    }
}

fn selector(selector: &Value) -> Selector {
    Selector {
        labels: pairs(&selector["matchLabels"]),
        expressions: items(&selector["matchExpressions"])
            .map(|e| Requirement {
                key: text(&e["key"]).unwrap_or_default(),
                operator: text(&e["operator"]).unwrap_or_default(),
                values: strings(&e["values"]),
            })
            .collect(),
    }
}

fn conditions(status: &Value) -> impl Iterator<Item = &Value> {
    items(&status["conditions"])
}

fn condition(c: &Value) -> Condition {
    Condition {
        reason: text(&c["reason"]).unwrap_or_default(),
        message: text(&c["message"]).unwrap_or_default(),
    }
}

fn keys(object: &Value, fields: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = fields
        .iter()
        .filter_map(|f| object[*f].as_object())
        .flat_map(|m| m.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn items(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn strings(value: &Value) -> Vec<String> {
    items(value).filter_map(text).collect()
}

fn count(value: &Value) -> u32 {
    value
        .as_u64()
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// A map of strings as sorted pairs (labels, a Service's selector).
fn pairs(value: &Value) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
