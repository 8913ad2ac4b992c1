use super::*;
use kubefiche_core::live::ObjectKey;

fn config_map(name: &str, keys: &[&str]) -> (String, Entry) {
    let value = serde_json::json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "uid": format!("uid-{name}")},
        "data": keys.iter().map(|k| (k.to_string(), serde_json::json!("v"))).collect::<serde_json::Map<_, _>>(),
    });
    let object = digest::object("ConfigMap", &value).expect("digest");
    (name.to_owned(), Entry::Object(object))
}

fn event(uid: &str, last: &str) -> (String, Entry) {
    let row = EventRow {
        uid: uid.into(),
        object: ObjectKey::new("Pod", "p"),
        warning: false,
        reason: "Scheduled".into(),
        message: String::new(),
        count: 1,
        last: Some(last.into()),
        source: String::new(),
    };
    (uid.to_owned(), Entry::Event(row))
}

#[test]
fn a_new_list_tells_what_changed_while_away() {
    let mut current: BTreeMap<String, Entry> = [
        config_map("a", &["x"]),
        config_map("b", &["x"]),
        config_map("c", &["x"]),
    ]
    .into();
    let listed: BTreeMap<String, Entry> = [
        config_map("a", &["x"]),
        config_map("b", &["x", "y"]),
        config_map("d", &[]),
    ]
    .into();
    let changes = replace(&mut current, listed.clone());
    assert_eq!(current, listed);
    let said: Vec<String> = changes
        .iter()
        .map(|c| match c {
            StreamEvent::Deleted { name, .. } => format!("-{name}"),
            StreamEvent::Changed { object } => format!("~{}", object.name),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(said, ["-c", "~b", "~d"], "unchanged a is not sent again");
}

#[test]
fn only_the_newest_events_are_kept() {
    let mut entries: BTreeMap<String, Entry> = [
        event("e1", "2026-01-01T00:00:03Z"),
        event("e2", "2026-01-01T00:00:01Z"),
        event("e3", "2026-01-01T00:00:02Z"),
    ]
    .into();
    trim(&mut entries, Some(2));
    assert_eq!(entries.keys().collect::<Vec<_>>(), ["e1", "e3"]);
    trim(&mut entries, None);
    assert_eq!(entries.len(), 2);
}

#[test]
fn the_hub_watches_what_the_table_says() {
    let watched: Vec<&str> = kinds::watched().map(|k| k.kind).collect();
    assert_eq!(
        watched,
        [
            "ConfigMap",
            "Secret",
            "PersistentVolumeClaim",
            "Service",
            "Pod",
            "Deployment",
            "Job",
            "CronJob",
            "ReplicaSet"
        ]
    );
}

fn names(event: &StreamEvent) -> Vec<String> {
    match event {
        StreamEvent::Snapshot { objects, .. } => objects.iter().map(|o| o.name.clone()).collect(),
        StreamEvent::Changed { object } => vec![object.name.clone()],
        other => vec![format!("{other:?}")],
    }
}

fn add(hub: &Hub, name: &str) {
    hub.update(0, |current| {
        let (key, entry) = config_map(name, &["x"]);
        let event = entry.changed();
        current.insert(key, entry);
        vec![event]
    });
}

#[test]
fn a_tab_joins_with_a_snapshot_and_exactly_the_changes_after_it() {
    let (hub, _) = Hub::empty(1);
    add(&hub, "before");
    let (snapshot, mut receiver) = hub.join();
    add(&hub, "after");
    assert_eq!(names(&snapshot), ["before"]);
    let next = receiver.try_recv().expect("the change after the snapshot");
    assert_eq!(names(next.event()), ["after"]);
    assert!(
        next.json().starts_with(r#"{"type":"changed""#),
        "{}",
        next.json()
    );
    assert!(receiver.try_recv().is_err(), "nothing repeated");
    assert_eq!(names(&hub.snapshot()), ["after", "before"]);
}

#[test]
fn a_tab_too_far_behind_is_told_it_lagged() {
    let (hub, _) = Hub::empty(1);
    let (_, mut receiver) = hub.join();
    for i in 0..=BUFFER {
        add(&hub, &format!("cm-{i}"));
    }
    assert!(matches!(
        receiver.try_recv(),
        Err(broadcast::error::TryRecvError::Lagged(1))
    ));
}

#[test]
fn nothing_is_written_while_no_tab_is_open() {
    let (hub, _) = Hub::empty(1);
    add(&hub, "alone");
    let (snapshot, mut receiver) = hub.join();
    assert_eq!(names(&snapshot), ["alone"]);
    assert!(receiver.try_recv().is_err());
}
