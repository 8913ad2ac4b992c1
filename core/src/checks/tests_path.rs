//! Paths: what they read and what they select.

use super::*;

#[test]
fn paths_read_and_select() {
    let doc = serde_json::json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1", "env": [{"name": "A", "value": "1"}, {"name": "B"}]},
        {"name": "side", "image": "busybox", "env": [{"name": "C"}]}
    ]}}}, "metadata": {"labels": {"app.kubernetes.io/name": "web"}}});
    let select = |path: &str| -> Vec<serde_json::Value> {
        Path::parse(path)
            .expect(path)
            .select(&doc)
            .into_iter()
            .cloned()
            .collect()
    };
    assert_eq!(select("spec.replicas"), [serde_json::json!(3)]);
    assert_eq!(select("$.spec.replicas"), [serde_json::json!(3)]);
    assert_eq!(
        select(".spec.template.spec.containers[1].image"),
        [serde_json::json!("busybox")]
    );
    assert_eq!(
        select("spec.template.spec.containers[name=web].env[*].name"),
        [serde_json::json!("A"), serde_json::json!("B")]
    );
    assert_eq!(select("spec.template.spec.containers.env.name").len(), 3);
    assert_eq!(
        select("metadata.labels['app.kubernetes.io/name']"),
        [serde_json::json!("web")]
    );
    assert_eq!(select("metadata.labels.*").len(), 1);
    assert!(select("spec.template.spec.containers[7]").is_empty());
    assert!(select("spec.nothing.here").is_empty());
    for bad in [
        "", "$", "a..b", "a.", "a[", "a]", "a[x]", "a b", "a[0]b", "a[-1]",
    ] {
        assert!(Path::parse(bad).is_err(), "{bad}");
    }
}
