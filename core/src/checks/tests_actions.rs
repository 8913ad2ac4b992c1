//! The learner's actions (`ran`, `applied`) and the memory of pods (`replaced`).

use super::tests_eval::{Setup, pod};
use super::*;
use crate::live::digest;
use crate::wire::StreamEvent;

#[test]
fn actions_tests() {
    let mut s = Setup::new();
    assert!(!s.holds("ran: kubectl describe cronjob"));
    s.actions
        .record_command("  kubectl   describe cronjob retrain ");
    assert_eq!(s.actions.commands, ["kubectl describe cronjob retrain"]);
    assert!(s.holds("ran: kubectl describe cronjob"));
    assert!(s.holds("ran: kubectl describe * retrain"));
    assert!(s.holds("ran: kubectl describe <type> <nom>"));
    assert!(!s.holds("ran: kubectl describe cronjob retrain now"));
    assert!(!s.holds("ran: kubectl get cronjob"));

    assert!(!s.holds("applied: k8s/server.yaml"));
    let text = s.sources[0].text.clone();
    s.actions.record_applied("k8s/server.yaml", &text);
    assert!(s.holds("applied: k8s/server.yaml"));
    s.sources[0].text.push_str("# edited\n");
    assert!(
        !s.holds("applied: k8s/server.yaml"),
        "applied, then changed"
    );

    assert!(!s.holds("opened: k8s/config.yaml"));
    assert!(s.actions.record_opened("k8s/config.yaml"));
    assert!(
        !s.actions.record_opened("k8s/config.yaml"),
        "not news the second time"
    );
    assert!(s.holds("opened: k8s/config.yaml"));
    assert!(!s.holds("opened: k8s/server.yaml"));

    let mut a = Actions::default();
    for i in 0..MOST_COMMANDS + 5 {
        a.record_command(&format!("kubectl get pods {i}"));
    }
    assert_eq!(a.commands.len(), MOST_COMMANDS);
    assert_eq!(a.commands[0], "kubectl get pods 5", "the oldest go first");
    assert_eq!(text_hash(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(text_hash("a"), 0xaf63_dc4c_8601_ec8c, "FNV-1a 64 of `a`");
    let back: Actions =
        serde_json::from_str(&serde_json::to_string(&a).expect("json")).expect("back");
    assert_eq!(back, a);
}

#[test]
fn a_replaced_pod_needs_memory() {
    let mut s = Setup::new();
    s.memory = Memory::default();
    assert!(
        !s.holds("replaced: deployment/mlops-server"),
        "nothing seen yet"
    );
    assert!(s.memory.observe(&s.live));
    assert!(!s.memory.observe(&s.live), "nothing new");
    assert_eq!(
        s.memory.pods["Deployment/mlops-server"],
        ["mlops-server-abc-1"]
    );
    assert_eq!(
        s.memory.pods["ReplicaSet/mlops-server-abc"],
        ["mlops-server-abc-1"]
    );
    assert!(
        !s.holds("replaced: deployment/mlops-server"),
        "the same pod is still there"
    );
    s.live.apply(StreamEvent::Deleted {
        kind: "Pod".into(),
        name: "mlops-server-abc-1".into(),
    });
    assert!(
        !s.holds("replaced: deployment/mlops-server"),
        "gone, but none runs yet"
    );
    let next = digest::object("Pod", &pod("mlops-server-abc-2", "Pending")).expect("pod");
    s.live.apply(StreamEvent::Changed { object: next });
    assert!(
        !s.holds("replaced: deployment/mlops-server"),
        "the new one is not Running yet"
    );
    let next = digest::object("Pod", &pod("mlops-server-abc-2", "Running")).expect("pod");
    s.live.apply(StreamEvent::Changed { object: next });
    assert!(s.holds("replaced: deployment/mlops-server"));
    assert!(s.holds("replaced: rs/mlops-server-abc"));
    assert!(!s.holds("replaced: deployment/other"));
    let back: Memory =
        serde_json::from_str(&serde_json::to_string(&s.memory).expect("json")).expect("back");
    assert_eq!(back, s.memory);
}
