//! Writes standalone, strict JSON Schemas in kubeconform's layout (one file per kind, named
//! `<kind>[-<group>]-<version>.json`, lower case) from k8s-openapi's JSON Schemas (feature
//! `schemars`), so `cargo xtask bench` can run kubeconform offline against the same Kubernetes
//! version as our validator.
//!
//! `cargo run -p kubefiche-core --example kubeconform_schemas -- <out dir>`
//!
//! What "standalone strict" means here: every `$ref` is inlined; every object with `properties`
//! and no `additionalProperties` gets `additionalProperties: false`; int-or-string fields (and
//! quantities) take a string or an integer; an optional field may be `null` (the API server reads
//! null as "not set").

use k8s_openapi as k8s;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

struct Kind {
    file: String,
    root: Value,
}

fn kind<T: k8s::Resource + schemars::JsonSchema>() -> Kind {
    let root =
        serde_json::to_value(schemars::schema_for!(T)).expect("k8s-openapi schemas serialize");
    let version = T::VERSION.to_ascii_lowercase();
    let group = T::GROUP
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let suffix = if group.is_empty() {
        format!("-{version}")
    } else {
        format!("-{group}-{version}")
    };
    Kind {
        file: format!("{}{suffix}.json", T::KIND.to_ascii_lowercase()),
        root,
    }
}

fn kinds() -> Vec<Kind> {
    use k8s::api::{apps, autoscaling, batch, core, networking, policy, rbac};
    vec![
        kind::<core::v1::ConfigMap>(),
        kind::<core::v1::Secret>(),
        kind::<core::v1::PersistentVolumeClaim>(),
        kind::<core::v1::Pod>(),
        kind::<core::v1::Service>(),
        kind::<core::v1::ServiceAccount>(),
        kind::<core::v1::Namespace>(),
        kind::<apps::v1::Deployment>(),
        kind::<apps::v1::ReplicaSet>(),
        kind::<apps::v1::StatefulSet>(),
        kind::<apps::v1::DaemonSet>(),
        kind::<batch::v1::Job>(),
        kind::<batch::v1::CronJob>(),
        kind::<networking::v1::Ingress>(),
        kind::<networking::v1::NetworkPolicy>(),
        kind::<autoscaling::v2::HorizontalPodAutoscaler>(),
        kind::<policy::v1::PodDisruptionBudget>(),
        kind::<rbac::v1::Role>(),
        kind::<rbac::v1::RoleBinding>(),
    ]
}

/// `schema` with its references inlined and the strict rules applied. `depth` guards against a
/// recursive definition (none of the kinds above has one).
fn standalone(schema: &Value, defs: &Map<String, Value>, depth: usize) -> Value {
    assert!(depth < 64, "a recursive schema: cannot inline it");
    let Value::Object(obj) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    if let Some(target) = obj.get("$ref").and_then(Value::as_str) {
        let name = target.trim_start_matches("#/$defs/");
        let def = defs
            .get(name)
            .unwrap_or_else(|| panic!("unknown reference {target}"));
        if let Value::Object(inlined) = standalone(def, defs, depth + 1) {
            out = inlined;
        }
    }
    for (key, value) in obj {
        match key.as_str() {
            "$ref" | "$defs" | "$schema" | "title" => {}
            "properties" => {
                let required: Vec<&str> = obj
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let mut props = Map::new();
                for (name, prop) in value.as_object().into_iter().flatten() {
                    let mut prop = standalone(prop, defs, depth + 1);
                    if !required.contains(&name.as_str()) {
                        nullable(&mut prop);
                    }
                    props.insert(name.clone(), prop);
                }
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" if value.is_object() => {
                out.insert(key.clone(), standalone(value, defs, depth + 1));
            }
            "x-kubernetes-int-or-string" => {
                out.insert(
                    "oneOf".into(),
                    json!([{"type": "string"}, {"type": "integer"}]),
                );
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// Lets an optional field be `null`.
fn nullable(schema: &mut Value) {
    let Value::Object(obj) = schema else { return };
    match obj.get_mut("type") {
        Some(Value::String(t)) => {
            let t = t.clone();
            obj.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        Some(_) => {}
        None => {
            if let Some(Value::Array(alternatives)) = obj.get_mut("oneOf") {
                alternatives.push(json!({"type": "null"}));
            }
        }
    }
}

fn main() {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("kubeconform-schemas"), PathBuf::from);
    std::fs::create_dir_all(&out).expect("creating the output folder");
    let kinds = kinds();
    for k in &kinds {
        let defs = k
            .root
            .get("$defs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut schema = standalone(&k.root, &defs, 0);
        if let Value::Object(obj) = &mut schema {
            obj.insert(
                "$schema".into(),
                json!("http://json-schema.org/draft-07/schema#"),
            );
        }
        let text = serde_json::to_string(&schema).expect("schema serializes");
        std::fs::write(out.join(&k.file), text).expect("writing a schema");
    }
    println!("{} schemas in {}", kinds.len(), out.display());
}
