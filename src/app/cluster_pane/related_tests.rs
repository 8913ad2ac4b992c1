use kubefiche_core::live::{
    ClaimFacts, DeploymentFacts, PodFacts, Reference, Selector, ServiceFacts, Template,
};
use kubefiche_core::wire::{PodRow, StreamEvent};

use super::*;

fn object(kind: &str, name: &str, owner: Option<(&str, &str)>, facts: Facts) -> LiveObject {
    LiveObject {
        kind: kind.into(),
        name: name.into(),
        uid: format!("u-{name}"),
        created: None,
        deleting: false,
        labels: vec![("app".into(), "web".into())],
        owner: owner.map(|(k, n)| ObjectKey::new(k, n)),
        facts,
        object: serde_json::Value::Null,
    }
}

fn template() -> Template {
    Template {
        labels: vec![("app".into(), "web".into())],
        reads: vec![Reference {
            kind: "ConfigMap".into(),
            name: "cfg".into(),
            key: Some("API_NAME".into()),
            optional: false,
            via: Via::Env {
                container: "c".into(),
                variable: "API_NAME".into(),
            },
        }],
        claims: vec!["data".into()],
        ..Template::default()
    }
}

pub fn namespace() -> Live {
    let pod = PodFacts {
        row: PodRow {
            name: "web-1-a".into(),
            status: "Running".into(),
            phase: "Running".into(),
            ready: 1,
            containers: 1,
            restarts: 0,
            created: None,
            node: None,
            labels: vec![("app".into(), "web".into())],
        },
        reason: None,
        message: None,
        unscheduled: None,
        containers: vec![],
        spec: template(),
    };
    let deployment = DeploymentFacts {
        replicas: 1,
        ready: 1,
        updated: 1,
        available: 1,
        selector: Selector::default(),
        paused: false,
        stuck: None,
        template: template(),
    };
    let mut live = Live::default();
    live.apply(StreamEvent::Snapshot {
        objects: vec![
            object(
                "Deployment",
                "web",
                None,
                Facts::Deployment(Box::new(deployment)),
            ),
            object(
                "Pod",
                "web-1-a",
                Some(("Deployment", "web")),
                Facts::Pod(Box::new(pod)),
            ),
            object(
                "ConfigMap",
                "cfg",
                None,
                Facts::ConfigMap {
                    keys: vec!["API_NAME".into()],
                },
            ),
            object(
                "Service",
                "web",
                None,
                Facts::Service(Box::new(ServiceFacts {
                    r#type: "ClusterIP".into(),
                    cluster_ip: None,
                    ports: vec![],
                    selector: Some(vec![("app".into(), "web".into())]),
                })),
            ),
            object(
                "PersistentVolumeClaim",
                "data",
                None,
                Facts::Claim(Box::new(ClaimFacts {
                    phase: "Bound".into(),
                    volume: Some("pv-1".into()),
                    capacity: Some("1Gi".into()),
                    requested: None,
                    access_modes: vec!["ReadWriteOnce".into()],
                    storage_class: Some("standard".into()),
                })),
            ),
        ],
        events: vec![],
        health: Default::default(),
    });
    live
}

fn labels(relations: &[Relation]) -> Vec<(&'static str, Vec<String>)> {
    relations
        .iter()
        .map(|r| {
            let names = r.links.iter().map(|l| l.key.name.clone()).collect();
            (r.label, names)
        })
        .collect()
}

#[test]
fn a_workload_links_to_what_it_reads_and_what_exposes_it() {
    let live = namespace();
    let web = live.get("Deployment", "web").expect("web");
    assert_eq!(
        labels(&related(&live, web)),
        [
            ("rel.reads", vec!["cfg".to_owned()]),
            ("rel.mounts", vec!["data".to_owned()]),
            ("rel.exposed.by", vec!["web".to_owned()]),
        ]
    );
    // Its pod is told about through the Deployment, not again.
    let pod = live.get("Pod", "web-1-a").expect("pod");
    assert!(related(&live, pod).is_empty());
}

#[test]
fn what_is_read_links_back_to_its_readers() {
    let live = namespace();
    let cfg = live.get("ConfigMap", "cfg").expect("cfg");
    let found = related(&live, cfg);
    assert_eq!(labels(&found), [("rel.read.by", vec!["web".to_owned()])]);
    assert_eq!(
        found[0].links[0].note,
        Some(Note::Plain("env API_NAME".into()))
    );
    assert_eq!(keys(cfg), Some(&["API_NAME".to_owned()][..]));
    let claim = live.get("PersistentVolumeClaim", "data").expect("claim");
    assert_eq!(
        labels(&related(&live, claim)),
        [("rel.mounted.by", vec!["web-1-a".to_owned()])]
    );
    let service = live.get("Service", "web").expect("service");
    let found = related(&live, service);
    assert_eq!(
        labels(&found),
        [("rel.endpoints", vec!["web-1-a".to_owned()])]
    );
    assert_eq!(found[0].links[0].note, Some(Note::Label("rel.ready")));
}
