use super::*;
use kubefiche_core::live::ObjectKey;

use super::health::Pause;

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

#[test]
fn pauses_double_up_to_a_second_and_start_short_again_after_a_list() {
    let mut pause = Pause::default();
    let pauses: Vec<u128> = (0..6).map(|_| pause.next().as_millis()).collect();
    assert_eq!(pauses, [200, 400, 800, 1000, 1000, 1000]);
    pause.reset();
    assert_eq!(pause.next(), FIRST_PAUSE);
}

#[test]
fn health_is_the_worst_feed_as_of_the_first_break() {
    let mut feeds = Feeds::new(3);
    assert_eq!(feeds.health(), Health::Live);
    feeds.failed(1, "connection reset".into(), 1_000);
    let Health::Reconnecting { since, reason } = feeds.health() else {
        panic!("one break is a reconnection: {:?}", feeds.health());
    };
    assert_eq!(since, 1_000);
    assert!(reason.en.contains("connection reset"), "{reason:?}");
    assert!(reason.fr.contains("connection reset"), "{reason:?}");
    feeds.failed(2, "connection reset".into(), 1_100);
    assert!(matches!(
        feeds.health(),
        Health::Reconnecting { since: 1_000, .. }
    ));
    // The retry of feed 2 fails too: the cluster does not answer.
    feeds.failed(2, "connection refused".into(), 1_300);
    let Health::Unreachable { since, reason } = feeds.health() else {
        panic!("a failed retry is unreachable: {:?}", feeds.health());
    };
    assert_eq!(since, 1_000, "the view is as of the first break");
    assert!(reason.en.contains("connection refused"), "{reason:?}");
    feeds.recovered(2);
    assert!(matches!(
        feeds.health(),
        Health::Reconnecting { since: 1_000, .. }
    ));
    feeds.recovered(1);
    assert_eq!(feeds.health(), Health::Live);
    // Out of range: ignored, never a panic.
    feeds.failed(9, "x".into(), 0);
    feeds.recovered(9);
    assert_eq!(feeds.health(), Health::Live);
}

fn health_of(event: &StreamEvent) -> Option<&Health> {
    match event {
        StreamEvent::Health { health } | StreamEvent::Snapshot { health, .. } => Some(health),
        _ => None,
    }
}

#[test]
fn tabs_are_told_each_change_of_health_once_and_a_new_tab_in_its_snapshot() {
    let (hub, _) = Hub::empty(2);
    let (_, mut receiver) = hub.join();
    hub.failed(0, "reset".into());
    hub.failed(1, "reset".into());
    hub.failed(0, "refused".into());
    hub.failed(0, "refused".into());
    let told: Vec<Health> = std::iter::from_fn(|| receiver.try_recv().ok())
        .filter_map(|m| health_of(m.event()).cloned())
        .collect();
    assert_eq!(told.len(), 2, "reconnecting, then unreachable: {told:?}");
    assert!(matches!(told[0], Health::Reconnecting { .. }));
    assert!(matches!(told[1], Health::Unreachable { .. }));
    let (snapshot, _) = hub.join();
    assert_eq!(health_of(&snapshot), Some(&told[1]));
    assert_eq!(hub.health(), told[1]);
    // Feed 0 lists again: the cluster answers, feed 1 is still reconnecting.
    hub.recovered(0);
    let next = receiver.try_recv().expect("reconnecting");
    assert!(matches!(
        health_of(next.event()),
        Some(Health::Reconnecting { .. })
    ));
    assert_eq!(
        health_of(next.event()).and_then(Health::since),
        told[1].since()
    );
    hub.recovered(1);
    let back = receiver.try_recv().expect("live again");
    assert_eq!(health_of(back.event()), Some(&Health::Live));
    assert!(back.json().contains(r#""state":"live""#), "{}", back.json());
}
