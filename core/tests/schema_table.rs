//! Generates `src/schema/generated.rs`, the compact schema table, from k8s-openapi's JSON Schemas
//! (feature `schemars`), and checks that the committed file is up to date.
//!
//! Regenerate with the command in [`REGENERATE`]. The versions in the file's header come from
//! `Cargo.lock` (k8s-openapi) and `kubefiche_core::KUBERNETES_VERSION`, never from this file.
//!
//! The layout is our own, one field per line, so that a change of the schema shows as a change
//! of the lines it touches. The module is skipped by rustfmt, so that the bytes compared here do
//! not depend on rustfmt's version or width heuristics; every line stays within 100 columns
//! except string literals that cannot be split.

use k8s_openapi as k8s;
use kubefiche_core::KUBERNETES_VERSION;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[path = "schema_table/enums.rs"]
mod schema_table_enums;

struct Kind {
    api_version: &'static str,
    kind: &'static str,
    root: Value,
}

fn schema<T: k8s::Resource + schemars::JsonSchema>() -> Kind {
    let root = serde_json::to_value(schemars::schema_for!(T)).expect("schema");
    Kind {
        api_version: T::API_VERSION,
        kind: T::KIND,
        root,
    }
}

fn kinds() -> Vec<Kind> {
    vec![
        schema::<k8s::api::admissionregistration::v1::MutatingAdmissionPolicy>(),
        schema::<k8s::api::admissionregistration::v1::MutatingAdmissionPolicyBinding>(),
        schema::<k8s::api::admissionregistration::v1::MutatingWebhookConfiguration>(),
        schema::<k8s::api::admissionregistration::v1::ValidatingAdmissionPolicy>(),
        schema::<k8s::api::admissionregistration::v1::ValidatingAdmissionPolicyBinding>(),
        schema::<k8s::api::admissionregistration::v1::ValidatingWebhookConfiguration>(),
        schema::<k8s::api::admissionregistration::v1alpha1::MutatingAdmissionPolicy>(),
        schema::<k8s::api::admissionregistration::v1alpha1::MutatingAdmissionPolicyBinding>(),
        schema::<k8s::api::admissionregistration::v1beta1::MutatingAdmissionPolicy>(),
        schema::<k8s::api::admissionregistration::v1beta1::MutatingAdmissionPolicyBinding>(),
        schema::<k8s::api::apiserverinternal::v1alpha1::StorageVersion>(),
        schema::<k8s::api::apps::v1::ControllerRevision>(),
        schema::<k8s::api::apps::v1::DaemonSet>(),
        schema::<k8s::api::apps::v1::Deployment>(),
        schema::<k8s::api::apps::v1::ReplicaSet>(),
        schema::<k8s::api::apps::v1::StatefulSet>(),
        schema::<k8s::api::autoscaling::v1::HorizontalPodAutoscaler>(),
        schema::<k8s::api::autoscaling::v2::HorizontalPodAutoscaler>(),
        schema::<k8s::api::batch::v1::CronJob>(),
        schema::<k8s::api::batch::v1::Job>(),
        schema::<k8s::api::certificates::v1::CertificateSigningRequest>(),
        schema::<k8s::api::certificates::v1alpha1::ClusterTrustBundle>(),
        schema::<k8s::api::certificates::v1beta1::ClusterTrustBundle>(),
        schema::<k8s::api::certificates::v1beta1::PodCertificateRequest>(),
        schema::<k8s::api::coordination::v1::Lease>(),
        schema::<k8s::api::coordination::v1alpha2::LeaseCandidate>(),
        schema::<k8s::api::coordination::v1beta1::LeaseCandidate>(),
        schema::<k8s::api::core::v1::ComponentStatus>(),
        schema::<k8s::api::core::v1::ConfigMap>(),
        schema::<k8s::api::core::v1::Endpoints>(),
        schema::<k8s::api::core::v1::Event>(),
        schema::<k8s::api::core::v1::LimitRange>(),
        schema::<k8s::api::core::v1::Namespace>(),
        schema::<k8s::api::core::v1::Node>(),
        schema::<k8s::api::core::v1::PersistentVolume>(),
        schema::<k8s::api::core::v1::PersistentVolumeClaim>(),
        schema::<k8s::api::core::v1::Pod>(),
        schema::<k8s::api::core::v1::PodTemplate>(),
        schema::<k8s::api::core::v1::ReplicationController>(),
        schema::<k8s::api::core::v1::ResourceQuota>(),
        schema::<k8s::api::core::v1::Secret>(),
        schema::<k8s::api::core::v1::Service>(),
        schema::<k8s::api::core::v1::ServiceAccount>(),
        schema::<k8s::api::discovery::v1::EndpointSlice>(),
        schema::<k8s::api::events::v1::Event>(),
        schema::<k8s::api::flowcontrol::v1::FlowSchema>(),
        schema::<k8s::api::flowcontrol::v1::PriorityLevelConfiguration>(),
        schema::<k8s::api::networking::v1::Ingress>(),
        schema::<k8s::api::networking::v1::IngressClass>(),
        schema::<k8s::api::networking::v1::IPAddress>(),
        schema::<k8s::api::networking::v1::NetworkPolicy>(),
        schema::<k8s::api::networking::v1::ServiceCIDR>(),
        schema::<k8s::api::networking::v1beta1::IPAddress>(),
        schema::<k8s::api::networking::v1beta1::ServiceCIDR>(),
        schema::<k8s::api::node::v1::RuntimeClass>(),
        schema::<k8s::api::policy::v1::PodDisruptionBudget>(),
        schema::<k8s::api::rbac::v1::ClusterRole>(),
        schema::<k8s::api::rbac::v1::ClusterRoleBinding>(),
        schema::<k8s::api::rbac::v1::Role>(),
        schema::<k8s::api::rbac::v1::RoleBinding>(),
        schema::<k8s::api::resource::v1::DeviceClass>(),
        schema::<k8s::api::resource::v1::ResourceClaim>(),
        schema::<k8s::api::resource::v1::ResourceClaimTemplate>(),
        schema::<k8s::api::resource::v1::ResourceSlice>(),
        schema::<k8s::api::resource::v1alpha3::DeviceTaintRule>(),
        schema::<k8s::api::resource::v1alpha3::ResourcePoolStatusRequest>(),
        schema::<k8s::api::resource::v1beta1::DeviceClass>(),
        schema::<k8s::api::resource::v1beta1::ResourceClaim>(),
        schema::<k8s::api::resource::v1beta1::ResourceClaimTemplate>(),
        schema::<k8s::api::resource::v1beta1::ResourceSlice>(),
        schema::<k8s::api::resource::v1beta2::DeviceClass>(),
        schema::<k8s::api::resource::v1beta2::DeviceTaintRule>(),
        schema::<k8s::api::resource::v1beta2::ResourceClaim>(),
        schema::<k8s::api::resource::v1beta2::ResourceClaimTemplate>(),
        schema::<k8s::api::resource::v1beta2::ResourceSlice>(),
        schema::<k8s::api::scheduling::v1::PriorityClass>(),
        schema::<k8s::api::scheduling::v1alpha2::PodGroup>(),
        schema::<k8s::api::scheduling::v1alpha2::Workload>(),
        schema::<k8s::api::storage::v1::CSIDriver>(),
        schema::<k8s::api::storage::v1::CSINode>(),
        schema::<k8s::api::storage::v1::CSIStorageCapacity>(),
        schema::<k8s::api::storage::v1::StorageClass>(),
        schema::<k8s::api::storage::v1::VolumeAttachment>(),
        schema::<k8s::api::storage::v1::VolumeAttributesClass>(),
        schema::<k8s::api::storage::v1beta1::VolumeAttributesClass>(),
        schema::<k8s::api::storagemigration::v1beta1::StorageVersionMigration>(),
        schema::<
            k8s::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
        >(),
        schema::<k8s::kube_aggregator::pkg::apis::apiregistration::v1::APIService>(),
    ]
}

#[derive(Default)]
struct Gen {
    defs: BTreeMap<String, Value>,
    docs: Vec<String>,
    doc_index: BTreeMap<String, usize>,
}

/// The first sentence or two of a description: enough for a hover, small enough to ship.
fn short_doc(text: &str) -> String {
    let first_para = text.split("\n\n").next().unwrap_or("").replace('\n', " ");
    let mut out = String::new();
    for sentence in first_para.split_inclusive(". ") {
        if sentence.contains("More info:") || (!out.is_empty() && out.len() + sentence.len() > 240)
        {
            break;
        }
        out.push_str(sentence);
        if out.len() > 40 {
            break;
        }
    }
    let out = out.trim().to_owned();
    if out.chars().count() > 200 {
        out.chars().take(197).collect::<String>() + "…"
    } else {
        out
    }
}

impl Gen {
    fn doc(&mut self, v: &Value) -> usize {
        let text = short_doc(v.get("description").and_then(Value::as_str).unwrap_or(""));
        if let Some(i) = self.doc_index.get(&text) {
            return *i;
        }
        self.docs.push(text.clone());
        self.doc_index.insert(text, self.docs.len() - 1);
        self.docs.len() - 1
    }

    fn def_id(&self, name: &str) -> usize {
        self.defs
            .keys()
            .position(|k| k == name)
            .expect("known definition")
    }

    /// The Rust expression of a field's type.
    fn ty(&self, v: &Value) -> String {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/$defs/");
            return match name {
                "io.k8s.apimachinery.pkg.api.resource.Quantity" => "Ty::Quantity".into(),
                "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "Ty::IntOrStr".into(),
                "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
                | "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => "Ty::Time".into(),
                _ => {
                    let def = &self.defs[name];
                    if def.get("properties").is_some() {
                        format!("Ty::Obj({})", self.def_id(name))
                    } else {
                        self.ty(def)
                    }
                }
            };
        }
        if v.get("x-kubernetes-int-or-string").is_some() {
            return "Ty::IntOrStr".into();
        }
        match (
            v.get("type").and_then(Value::as_str),
            v.get("format").and_then(Value::as_str),
        ) {
            (Some("string"), Some("byte")) => "Ty::Bytes".into(),
            (Some("string"), Some("date-time")) => "Ty::Time".into(),
            (Some("string"), _) => "Ty::Str".into(),
            (Some("integer"), Some("int32")) => "Ty::Int32".into(),
            (Some("integer"), _) => "Ty::Int64".into(),
            (Some("number"), _) => "Ty::Num".into(),
            (Some("boolean"), _) => "Ty::Bool".into(),
            (Some("array"), _) => match v.get("items") {
                Some(items) => format!("Ty::Arr(&{})", self.ty(items)),
                None => "Ty::Any".into(),
            },
            (Some("object"), _) => match v.get("additionalProperties") {
                Some(Value::Object(inner)) => {
                    format!("Ty::Map(&{})", self.ty(&Value::Object(inner.clone())))
                }
                _ => "Ty::Any".into(),
            },
            _ => "Ty::Any".into(),
        }
    }
}

/// The one command that rewrites `src/schema/generated.rs`.
const REGENERATE: &str =
    "KUBEFICHE_UPDATE_SCHEMA=1 cargo test -p kubefiche-core --test schema_table";

/// The longest line the table may have, as rustfmt's default width.
const MAX_WIDTH: usize = 100;

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// The version of a package in the workspace's `Cargo.lock`.
fn locked_version(package: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
    let lock = std::fs::read_to_string(path).expect("read Cargo.lock");
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&marker).expect("package in Cargo.lock") + marker.len();
    let end = lock[start..].find('"').expect("a quoted version");
    lock[start..start + end].to_owned()
}

/// One field of a definition: `f(name, type, required, doc, values)` on one line, or, when that
/// line would be too long, one argument per line (and the values too, if they need it).
fn field_row(name: &str, ty: &str, required: bool, doc: usize, values: &[String]) -> String {
    let fits = |line: &str| line.chars().count() <= MAX_WIDTH;
    let args = [
        rust_str(name),
        ty.to_owned(),
        required.to_string(),
        doc.to_string(),
    ];
    let list = format!("&[{}]", values.join(", "));
    let one_line = format!("            f({}, {list}),", args.join(", "));
    if fits(&one_line) {
        return one_line + "\n";
    }
    let mut out = String::from("            f(\n");
    for arg in &args {
        let _ = writeln!(out, "                {arg},");
    }
    let list_line = format!("                {list},");
    if fits(&list_line) {
        out.push_str(&list_line);
        out.push('\n');
    } else {
        out.push_str("                &[\n");
        for v in values {
            let _ = writeln!(out, "                    {v},");
        }
        out.push_str("                ],\n");
    }
    out + "            ),\n"
}

fn generate() -> String {
    let kinds = kinds();
    let mut g = Gen::default();
    for k in &kinds {
        if let Some(Value::Object(defs)) = k.root.get("$defs") {
            for (name, def) in defs {
                g.defs.insert(name.clone(), def.clone());
            }
        }
        let title = k
            .root
            .get("title")
            .and_then(Value::as_str)
            .expect("title")
            .to_owned();
        let mut root = k.root.clone();
        if let Some(obj) = root.as_object_mut() {
            obj.remove("$defs");
            obj.remove("$schema");
        }
        g.defs.insert(title, root);
    }
    let enums = schema_table_enums::ENUMS;
    let mut defs_out = String::new();
    let names: Vec<String> = g.defs.keys().cloned().collect();
    for name in &names {
        let def = g.defs[name].clone();
        let doc = g.doc(&def);
        let required: Vec<&str> = def
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let empty = Map::new();
        let props = def
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut fields = String::new();
        for (field, fv) in props {
            let ty = g.ty(fv);
            let fdoc = g.doc(fv);
            // Top-level metadata is "required" in Rust, not for the API server (generateName).
            let req = required.contains(&field.as_str())
                && !(field == "metadata" && props.contains_key("apiVersion"));
            let short = name.rsplit('.').next().unwrap_or(name);
            let values = enums
                .iter()
                .find(|(d, f, _)| *d == short && *f == field)
                .map(|(_, _, v)| *v)
                .unwrap_or(&[]);
            let values: Vec<String> = values.iter().map(|v| rust_str(v)).collect();
            fields.push_str(&field_row(field, &ty, req, fdoc, &values));
        }
        let _ = write!(
            defs_out,
            "    Def {{\n        name: {},\n        doc: {doc},\n        fields: &[\n{fields}        ],\n    }},\n",
            rust_str(name)
        );
    }
    let mut kinds_out = String::new();
    let mut sorted: Vec<&Kind> = kinds.iter().collect();
    sorted.sort_by_key(|k| (k.kind, k.api_version));
    for k in sorted {
        let title = k.root.get("title").and_then(Value::as_str).expect("title");
        let _ = writeln!(
            kinds_out,
            "    ({}, {}, {}),",
            rust_str(k.api_version),
            rust_str(k.kind),
            g.def_id(title)
        );
    }
    let docs: Vec<String> = g
        .docs
        .iter()
        .map(|d| format!("    {},", rust_str(d)))
        .collect();
    format!(
        "// @generated by core/tests/schema_table.rs from k8s-openapi {} (Kubernetes {}).\n\
         // Do not edit; regenerate with:\n\
         //   {REGENERATE}\n\
         #![allow(clippy::all)]\n\
         use super::table::{{Def, Ty, f}};\n\n\
         /// (apiVersion, kind, index in DEFS), sorted by kind.\n\
         pub(crate) static KINDS: &[(&str, &str, u16)] = &[\n{kinds_out}];\n\n\
         pub(crate) static DEFS: &[Def] = &[\n{defs_out}];\n\n\
         pub(crate) static DOCS: &[&str] = &[\n{}\n];\n",
        locked_version("k8s-openapi"),
        KUBERNETES_VERSION,
        docs.join("\n")
    )
}

#[test]
fn generated_schema_table_is_up_to_date() {
    let fresh = generate();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/generated.rs");
    if std::env::var_os("KUBEFICHE_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &fresh).expect("write generated.rs");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "src/schema/generated.rs is stale: regenerate it with `{REGENERATE}`"
    );
}

#[test]
fn generated_lines_fit_the_width_or_are_one_string() {
    for (i, line) in generate().lines().enumerate() {
        let unsplittable = line
            .trim_start()
            .trim_start_matches("name: ")
            .starts_with('"')
            && line.trim_end().ends_with("\",");
        assert!(
            line.chars().count() <= MAX_WIDTH || unsplittable,
            "line {} is {} characters: {line}",
            i + 1,
            line.chars().count()
        );
    }
}
