//! Layer 4: checks across the workspace and the known cluster objects, and advice. Never errors:
//! an object may come from elsewhere (another command, another file applied later).

use std::collections::{HashMap, HashSet};

use super::context::Ctx;
use super::{ClusterFlavor, Options};
use crate::kinds;
use crate::manifest::Manifest;
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::yaml::{Node, NodeKind};

/// Where a workload keeps its pod template: (labels path, pod spec path).
fn pod_paths(kind: &str) -> Option<(FieldPath, FieldPath)> {
    let template = kinds::named(kind)?.pods?;
    Some((
        FieldPath::parse(template.labels),
        FieldPath::parse(template.spec),
    ))
}

fn containers<'a>(
    m: &'a Manifest,
    spec: &'a FieldPath,
) -> impl Iterator<Item = (FieldPath, &'a Node)> {
    let spec_node = m.node(spec);
    ["initContainers", "containers"]
        .into_iter()
        .flat_map(move |list| {
            spec_node
                .and_then(|s| s.get(list))
                .map_or(&[][..], Node::as_seq)
                .iter()
                .enumerate()
                .map(move |(i, c)| (spec.field(list).index(i), c))
        })
}

/// An object's keys, in the manifest's order and as a set.
type KeySet<'a> = (Vec<&'a str>, HashSet<&'a str>);

/// The objects of the workspace a pod may refer to, by kind and name, with their keys (in the
/// manifest's order and as a set): built once per check, so that many references to a large
/// ConfigMap stay cheap.
struct Referable<'a> {
    workspace: HashMap<&'a str, HashMap<&'a str, KeySet<'a>>>,
    opts: &'a Options,
}

/// What is known of an object's keys.
enum Keys<'a> {
    /// Defined in the workspace: its keys, in order and as a set.
    Workspace(&'a KeySet<'a>),
    /// Held by the cluster, with these keys.
    Cluster(&'a [String]),
    /// Held by the cluster, its keys unknown.
    Unknown,
}

impl<'a> Referable<'a> {
    fn new(all: &[&'a Manifest], opts: &'a Options) -> Self {
        let mut workspace: HashMap<&str, HashMap<&str, _>> = HashMap::new();
        for m in all {
            let names = workspace.entry(m.kind.as_str()).or_default();
            names.entry(m.name.as_str()).or_insert_with(|| {
                let keys: Vec<&str> = ["data", "stringData", "binaryData"]
                    .iter()
                    .filter_map(|f| m.node(f))
                    .flat_map(|n| n.as_map().iter().map(|(k, _)| k.name.as_str()))
                    .collect();
                let set = keys.iter().copied().collect();
                (keys, set)
            });
        }
        Self { workspace, opts }
    }

    /// The object of this kind and name, in the workspace or the cluster.
    fn find(&self, kind: &str, name: &str) -> Option<Keys<'_>> {
        if let Some(keys) = self.workspace.get(kind).and_then(|n| n.get(name)) {
            return Some(Keys::Workspace(keys));
        }
        self.opts.cluster.get(kind, name).map(|o| {
            if o.keys.is_empty() {
                Keys::Unknown
            } else {
                Keys::Cluster(&o.keys)
            }
        })
    }
}

impl Keys<'_> {
    /// `false` when the keys are unknown.
    fn lacks(&self, key: &str) -> bool {
        match self {
            Self::Workspace((_, set)) => !set.contains(key),
            Self::Cluster(keys) => !keys.iter().any(|k| k == key),
            Self::Unknown => false,
        }
    }

    /// The keys as a learner reads them: `` `a`, `b` ``.
    fn listed(&self) -> String {
        let quoted = |k: &str| format!("`{k}`");
        match self {
            Self::Workspace((keys, _)) => keys.iter().map(|k| quoted(k)).collect::<Vec<_>>(),
            Self::Cluster(keys) => keys.iter().map(|k| quoted(k)).collect(),
            Self::Unknown => Vec::new(),
        }
        .join(", ")
    }
}

fn optional(n: &Node) -> bool {
    n.get("optional")
        .is_some_and(|o| o.kind == NodeKind::Bool(true))
}

pub(super) fn check(ctx: &mut Ctx<'_>, all: &[&Manifest], opts: &Options) {
    let m = ctx.m;
    if kinds::find(&m.api_version, &m.kind) == Some(&kinds::SERVICE) {
        service(ctx, all);
    }
    let Some((_, spec)) = pod_paths(&m.kind) else {
        return;
    };
    let referable = Referable::new(all, opts);
    for (cp, c) in containers(m, &spec) {
        references(ctx, &referable, c, &cp);
        advice(ctx, opts, c, &cp);
    }
    for (i, v) in m
        .node(&spec.field("volumes"))
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let vp = spec.field("volumes").index(i);
        for r in kinds::VOLUME_REFS {
            let (src, field, kind) = (r.source, r.name_field, r.kind.kind);
            let Some(s) = v.get(src) else { continue };
            let Some(name) = s.get(field).and_then(Node::as_str) else {
                continue;
            };
            if !optional(s) && referable.find(kind, name).is_none() {
                missing(ctx, &vp.field(src).field(field), kind, name);
            }
        }
    }
}

fn missing(ctx: &mut Ctx<'_>, path: &FieldPath, kind: &str, name: &str) {
    let (create_en, create_fr) = match kind {
        "Secret" => (
            format!(" (e.g. `kubectl create secret generic {name} --from-literal=key=value`)"),
            format!(
                " (par exemple `kubectl create secret generic {name} --from-literal=cle=valeur`)"
            ),
        ),
        _ => (String::new(), String::new()),
    };
    ctx.warning(
        Rule::MissingReference,
        path,
        format!("No {kind} named `{name}` in the workspace or the cluster: the pod will not start until it exists. Create it first{create_en}, or fix the name."),
        format!("Aucun {kind} nommé `{name}` dans l'espace de travail ni dans le cluster : le pod ne démarrera pas tant qu'il n'existe pas. Créez-le d'abord{create_fr}, ou corrigez le nom."),
    );
}

fn references(ctx: &mut Ctx<'_>, referable: &Referable<'_>, c: &Node, cp: &FieldPath) {
    for (i, e) in c
        .get("env")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        for (r, kind) in [
            ("configMapKeyRef", kinds::CONFIG_MAP.kind),
            ("secretKeyRef", kinds::SECRET.kind),
        ] {
            let Some(sel) = e.get("valueFrom").and_then(|v| v.get(r)) else {
                continue;
            };
            let (Some(name), key) = (
                sel.get("name").and_then(Node::as_str),
                sel.get("key").and_then(Node::as_str),
            ) else {
                continue;
            };
            if optional(sel) {
                continue;
            }
            let path = cp.field("env").index(i).field("valueFrom").field(r);
            match referable.find(kind, name) {
                None => missing(ctx, &path.field("name"), kind, name),
                Some(keys) => {
                    if let Some(key) = key.filter(|k| keys.lacks(k)) {
                        let list = keys.listed();
                        ctx.warning(
                            Rule::MissingKey,
                            &path.field("key"),
                            format!("The {kind} `{name}` has no key `{key}` (it has: {list}). The pod will not start: fix the key."),
                            format!("Le {kind} `{name}` n'a pas de clé `{key}` (il a : {list}). Le pod ne démarrera pas : corrigez la clé."),
                        );
                    }
                }
            }
        }
    }
    for (i, e) in c
        .get("envFrom")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        for (r, kind) in [
            ("configMapRef", kinds::CONFIG_MAP.kind),
            ("secretRef", kinds::SECRET.kind),
        ] {
            let Some(sel) = e.get(r) else { continue };
            let Some(name) = sel.get("name").and_then(Node::as_str) else {
                continue;
            };
            if !optional(sel) && referable.find(kind, name).is_none() {
                missing(
                    ctx,
                    &cp.field("envFrom").index(i).field(r).field("name"),
                    kind,
                    name,
                );
            }
        }
    }
}

fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "api-key",
        "private_key",
    ]
    .iter()
    .any(|w| n.contains(w))
}

fn advice(ctx: &mut Ctx<'_>, opts: &Options, c: &Node, cp: &FieldPath) {
    for (i, e) in c
        .get("env")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let name = e.get("name").and_then(Node::as_str).unwrap_or("");
        if looks_secret(name)
            && e.get("value")
                .and_then(Node::as_str)
                .is_some_and(|v| !v.is_empty())
        {
            ctx.warning(
                Rule::PlainSecret,
                &cp.field("env").index(i).field("value"),
                format!("`{name}` looks like a secret written in clear text in the manifest. Put it in a Secret and use `valueFrom.secretKeyRef`."),
                format!("`{name}` ressemble à un secret écrit en clair dans le manifeste. Mettez-le dans un Secret et utilisez `valueFrom.secretKeyRef`."),
            );
        }
    }
    let Some(image) = c.get("image").and_then(Node::as_str) else {
        return;
    };
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = if image.contains('@') {
        Some("digest")
    } else {
        last.split_once(':').map(|(_, t)| t)
    };
    let latest = matches!(tag, None | Some("latest"));
    let policy = c.get("imagePullPolicy").and_then(Node::as_str);
    let local = matches!(
        opts.local_cluster_flavor,
        Some(ClusterFlavor::Kind | ClusterFlavor::Minikube | ClusterFlavor::K3d)
    );
    let load = match opts.local_cluster_flavor {
        Some(ClusterFlavor::Kind) => format!("kind load docker-image {image}"),
        Some(ClusterFlavor::Minikube) => format!("minikube image load {image}"),
        Some(ClusterFlavor::K3d) => format!("k3d image import {image}"),
        _ => String::new(),
    };
    let ip = cp.field("image");
    if local && !image.contains('/') && !image.contains('.') && policy == Some("IfNotPresent") {
        ctx.info(
            Rule::LocalImage,
            &ip,
            format!("With `imagePullPolicy: IfNotPresent` on a local cluster, an image you built yourself must be loaded into the cluster first: `{load}`."),
            format!("Avec `imagePullPolicy: IfNotPresent` sur un cluster local, une image construite par vous doit d'abord être chargée dans le cluster : `{load}`."),
        );
    } else if latest && policy.is_none() {
        ctx.info(
            Rule::LatestTag,
            &ip,
            format!("`{image}` uses the `latest` tag (explicit or implied): it is pulled again at every start and may change under you. Pin a version (e.g. `{}:1.2.3`){}.", image.split(':').next().unwrap_or(image), if local { ", or set `imagePullPolicy: IfNotPresent` for an image you built and loaded" } else { "" }),
            format!("`{image}` utilise le tag `latest` (explicite ou implicite) : l'image est retéléchargée à chaque démarrage et peut changer. Fixez une version (par exemple `{}:1.2.3`){}.", image.split(':').next().unwrap_or(image), if local { ", ou mettez `imagePullPolicy: IfNotPresent` pour une image que vous avez construite et chargée" } else { "" }),
        );
    }
}

fn service(ctx: &mut Ctx<'_>, all: &[&Manifest]) {
    let m = ctx.m;
    let Some(selector) = m.node("spec.selector").filter(|s| !s.as_map().is_empty()) else {
        return;
    };
    let selector_as_labels = selector;
    let mut matched: Vec<(&Manifest, FieldPath)> = Vec::new();
    for w in all {
        let Some((labels, spec)) = pod_paths(&w.kind) else {
            continue;
        };
        let Some(l) = w.node(&labels) else { continue };
        if selector_as_labels
            .as_map()
            .iter()
            .all(|(k, v)| l.get(&k.name).and_then(Node::as_str) == v.as_str())
        {
            matched.push((w, spec));
        }
    }
    if matched.is_empty() {
        let want: Vec<String> = selector
            .as_map()
            .iter()
            .map(|(k, v)| format!("{}: {}", k.name, v.as_str().unwrap_or("?")))
            .collect();
        ctx.warning(
            Rule::ServiceNoPods,
            "spec.selector",
            format!("No workload in the workspace has pods labelled {{{}}}: this Service will have no endpoints. Check the selector against the pod template's labels.", want.join(", ")),
            format!("Aucune charge de travail de l'espace n'a de pods étiquetés {{{}}} : ce Service n'aura aucun point de terminaison. Comparez le sélecteur aux labels du modèle de pod.", want.join(", ")),
        );
        return;
    }
    let mut numbers = Vec::new();
    let mut names = Vec::new();
    for (w, spec) in &matched {
        for (_, c) in containers(w, spec) {
            for p in c.get("ports").map_or(&[][..], Node::as_seq) {
                numbers.extend(p.get("containerPort").and_then(Node::as_int));
                names.extend(p.get("name").and_then(Node::as_str).map(str::to_owned));
            }
        }
    }
    let ports = FieldPath::parse("spec.ports");
    for (i, port) in m
        .node(&ports)
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let (path, target) = match port.get("targetPort") {
            Some(t) => (ports.index(i).field("targetPort"), t),
            None => match port.get("port") {
                Some(p) => (ports.index(i).field("port"), p),
                None => continue,
            },
        };
        let label = matched
            .iter()
            .map(|(w, _)| w.label())
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(n) = target.as_int() {
            if !numbers.is_empty() && !numbers.contains(&n) {
                let list = numbers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                ctx.warning(
                    Rule::TargetPortUnknown,
                    &path,
                    format!("No container of {label} declares port {n} (they declare {list}). Traffic will go to a port nobody listens on: set `targetPort` to the container's port."),
                    format!("Aucun conteneur de {label} ne déclare le port {n} (ils déclarent {list}). Le trafic ira vers un port où personne n'écoute : mettez dans `targetPort` le port du conteneur."),
                );
            }
        } else if let Some(name) = target.as_str()
            && !names.iter().any(|x| x == name)
        {
            ctx.warning(
                    Rule::TargetPortUnknown,
                    &path,
                    format!("No container of {label} has a port named `{name}`. Name the container port, or use its number."),
                    format!("Aucun conteneur de {label} n'a de port nommé `{name}`. Nommez le port du conteneur, ou utilisez son numéro."),
                );
        }
    }
}

/// The same object (kind, name, namespace) defined twice: the second apply overwrites the first.
pub(super) fn duplicate(ctx: &mut Ctx<'_>, all: &[&Manifest]) {
    let m = ctx.m;
    if m.name.is_empty() {
        return;
    }
    let first = all
        .iter()
        .find(|o| o.kind == m.kind && o.name == m.name && o.namespace == m.namespace);
    if let Some(first) = first.filter(|f| !std::ptr::eq(**f, m)) {
        let line = first.span_of("metadata.name").line;
        ctx.warning(
            Rule::DuplicateObject,
            "metadata.name",
            format!("{} `{}` is already defined in {} (line {line}): applying both, the last one wins. Rename one of them.", m.kind, m.name, first.file),
            format!("{} `{}` est déjà défini dans {} (ligne {line}) : en appliquant les deux, le dernier l'emporte. Renommez l'un des deux.", m.kind, m.name, first.file),
        );
    }
}
