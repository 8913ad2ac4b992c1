use super::*;

#[test]
fn knows_the_fiche_kinds() {
    for (a, k) in [
        ("v1", "ConfigMap"),
        ("v1", "Secret"),
        ("v1", "PersistentVolumeClaim"),
        ("v1", "Service"),
        ("v1", "Pod"),
        ("apps/v1", "Deployment"),
        ("apps/v1", "ReplicaSet"),
        ("batch/v1", "Job"),
        ("batch/v1", "CronJob"),
    ] {
        assert!(root(a, k).is_some(), "{a} {k}");
    }
    assert!(root("extensions/v1beta1", "Deployment").is_none());
}

#[test]
fn field_info_follows_paths() {
    let f = field_info(
        "apps/v1",
        "Deployment",
        "spec.template.spec.containers[0].imagePullPolicy",
    )
    .expect("field");
    assert_eq!(f.type_name, "string");
    assert_eq!(f.enum_values, vec!["Always", "IfNotPresent", "Never"]);
    assert!(!f.description.is_empty());
    let f = field_info(
        "apps/v1",
        "Deployment",
        "spec.template.spec.containers.name",
    )
    .expect("field");
    assert!(f.required);
    let f = field_info("v1", "ConfigMap", "data").expect("data");
    assert_eq!(f.type_name, "map of string");
    let f = field_info("v1", "Service", "spec.ports[0].targetPort").expect("tp");
    assert_eq!(f.type_name, "integer or string");
    assert!(field_info("v1", "Service", "spec.nope").is_none());
}

#[test]
fn child_fields_for_completion() {
    let names: Vec<String> = child_fields("apps/v1", "Deployment", "spec.template.spec.containers")
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert!(names.contains(&"image".to_owned()));
    assert!(names.contains(&"env".to_owned()));
    let top: Vec<String> = child_fields("batch/v1", "CronJob", "")
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        top,
        vec!["apiVersion", "kind", "metadata", "spec", "status"]
    );
}
