//! The containers of a pod spec: init containers (sidecars among them), app containers and
//! ephemeral containers — names, images, ports, restart and resize policies — and the walk
//! into each container's environment, probes, hooks, resources and security context.

use super::volumes::{self, Volumes};
use super::{Owner, env, policies, port_number, probe, resources, security};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::validate::syntax;
use crate::yaml::{Node, NodeKind};
use std::collections::HashSet;

/// Which list a container is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `initContainers` without `restartPolicy: Always`: runs once, before the others.
    Init,
    /// `initContainers` with `restartPolicy: Always`: runs beside the app containers.
    Sidecar,
    /// `containers`.
    App,
}

/// What the pod spec says that the checks of a container need.
pub(super) struct Pod<'a> {
    pub owner: Owner,
    pub spec: &'a Node,
    /// `terminationGracePeriodSeconds` (30 when left out); `None` when negative.
    pub grace: Option<i64>,
    pub host_network: bool,
    /// `hostUsers` (true unless set to false).
    pub host_users: bool,
    /// The pod's `restartPolicy` is `Never`.
    pub restart_never: bool,
}

pub(super) fn containers(
    ctx: &mut Ctx<'_>,
    spec: &Node,
    p: &FieldPath,
    owner: Owner,
    volumes: &Volumes,
) {
    let list = |name: &str| spec.get(name).map_or(&[][..], Node::as_seq);
    if list("containers").is_empty() && !ctx.has_error_at(&p.field("containers")) {
        ctx.error(
            Rule::MissingContainers,
            &p.field("containers"),
            "A pod needs at least one container under `containers:` (with a `name` and an `image`).",
            "Un pod a besoin d'au moins un conteneur sous `containers:` (avec un `name` et une `image`).",
        );
    }
    let grace = spec
        .get("terminationGracePeriodSeconds")
        .map_or(Some(30), |n| n.as_int().filter(|g| *g >= 0));
    let pod = Pod {
        owner,
        spec,
        grace,
        host_network: matches!(
            spec.get("hostNetwork").map(|n| &n.kind),
            Some(NodeKind::Bool(true))
        ),
        host_users: !matches!(
            spec.get("hostUsers").map(|n| &n.kind),
            Some(NodeKind::Bool(false))
        ),
        restart_never: spec.get("restartPolicy").and_then(Node::as_str) == Some("Never"),
    };
    let mut app_host_ports = HashSet::new();
    for (field, i, c) in list("initContainers")
        .iter()
        .enumerate()
        .map(|(i, c)| ("initContainers", i, c))
        .chain(
            list("containers")
                .iter()
                .enumerate()
                .map(|(i, c)| ("containers", i, c)),
        )
    {
        let cp = p.field(field).index(i);
        let kind = match field {
            "containers" => Kind::App,
            _ if c.get("restartPolicy").and_then(Node::as_str) == Some("Always") => Kind::Sidecar,
            _ => Kind::Init,
        };
        // Init containers run one by one: their host ports only clash within one container.
        let mut own = HashSet::new();
        let host_ports = if kind == Kind::App {
            &mut app_host_ports
        } else {
            &mut own
        };
        container(ctx, &pod, c, &cp, kind, volumes, host_ports);
    }
    unique_names(ctx, spec, p);
    resources::pod_level(ctx, spec, p, owner == Owner::Pod);
    if spec
        .get("ephemeralContainers")
        .is_some_and(|n| !n.as_seq().is_empty())
    {
        let path = p.field("ephemeralContainers");
        ctx.report_key(
            crate::Severity::Error,
            Rule::EphemeralContainers,
            &path,
            crate::Text::new(
                "Ephemeral containers cannot be written in a manifest: they are added to a running pod for debugging (`kubectl debug`). Move this container to `containers:` or remove it.",
                "Les conteneurs éphémères ne s'écrivent pas dans un manifeste : on les ajoute à un pod en marche pour le déboguer (`kubectl debug`). Déplacez ce conteneur sous `containers:` ou retirez-le.",
            ),
        );
    }
}

/// Container names are unique across `initContainers` and `containers`: each repeat is
/// reported at the later name in the text, naming the earlier one.
fn unique_names(ctx: &mut Ctx<'_>, spec: &Node, p: &FieldPath) {
    let mut all: Vec<(&str, &Node, FieldPath, &str)> = Vec::new();
    for field in ["initContainers", "containers"] {
        for (i, c) in spec
            .get(field)
            .map_or(&[][..], Node::as_seq)
            .iter()
            .enumerate()
        {
            if let Some(n) = c.get("name")
                && let Some(name) = n.as_str()
                && syntax::is_dns1123_label(name)
            {
                all.push((name, n, p.field(field).index(i).field("name"), field));
            }
        }
    }
    all.sort_by_key(|(_, n, ..)| (n.span.line, n.span.column));
    for (i, (name, _, path, field)) in all.iter().enumerate() {
        let Some((_, first, _, first_field)) = all[..i].iter().find(|(n, ..)| n == name) else {
            continue;
        };
        let line = first.span.line;
        let (what, quoi) = if *first_field == "initContainers" {
            ("init container", "conteneur d'initialisation")
        } else {
            ("container", "conteneur")
        };
        let (en, fr) = if field == first_field {
            (
                "Container names must be unique in a pod",
                "Les noms de conteneurs doivent être uniques dans un pod",
            )
        } else {
            (
                "Names must be unique across `initContainers` and `containers`",
                "Les noms doivent être uniques entre `initContainers` et `containers`",
            )
        };
        ctx.error(
            Rule::DuplicateName,
            path,
            format!("The {what} at line {line} is already named `{name}`. {en}: rename this one."),
            format!(
                "Le {quoi} de la ligne {line} s'appelle déjà `{name}`. {fr} : renommez celui-ci."
            ),
        );
    }
}

fn container(
    ctx: &mut Ctx<'_>,
    pod: &Pod<'_>,
    c: &Node,
    cp: &FieldPath,
    kind: Kind,
    volumes: &Volumes,
    host_ports: &mut HashSet<String>,
) {
    if let Some(name) = c.get("name").and_then(Node::as_str)
        && !syntax::is_dns1123_label(name)
    {
        ctx.error(
            Rule::InvalidName,
            &cp.field("name"),
            format!("`{name}` is not a valid container name: lowercase letters, digits and `-`, at most 63 characters."),
            format!("`{name}` n'est pas un nom de conteneur valide : minuscules, chiffres et `-`, 63 caractères au plus."),
        );
    }
    image(ctx, pod, c, cp);
    let port_names = ports(ctx, pod, c, cp, kind, host_ports);
    env::env(ctx, pod, c, cp);
    volumes::mounts(ctx, c, cp, volumes);
    if kind == Kind::Init {
        init_only(ctx, c, cp);
    } else {
        probe::probes(ctx, c, cp, &port_names);
        probe::lifecycle(ctx, c, cp, pod.grace);
    }
    policies::restart(ctx, c, cp);
    policies::resize(ctx, pod, c, cp, kind);
    resources::container(ctx, pod.spec, c, cp);
    security::container(ctx, pod, c, cp);
}

fn image(ctx: &mut Ctx<'_>, pod: &Pod<'_>, c: &Node, cp: &FieldPath) {
    let path = cp.field("image");
    match c.get("image").and_then(Node::as_str) {
        // At `image:` when it is there but empty, else at the container.
        None | Some("") if !ctx.has_error_at(&path) => ctx.error(
            Rule::MissingImage,
            if c.get("image").is_some() { &path } else { cp },
            "This container has no `image`. Add one, e.g. `image: nginx:1.27`.",
            "Ce conteneur n'a pas d'`image`. Ajoutez-en une, par exemple `image: nginx:1.27`.",
        ),
        // Only a Pod's own containers are refused for spaces around the image; a template's
        // are let through (some tools use `" "` as a placeholder).
        Some(s) if pod.owner == Owner::Pod && s.trim() != s => ctx.error(
            Rule::ImageWhitespace,
            &path,
            format!(
                "The image `{s}` has spaces around it. Remove them, e.g. `image: {}`.",
                s.trim()
            ),
            format!(
                "L'image `{s}` est entourée d'espaces. Retirez-les, par exemple `image: {}`.",
                s.trim()
            ),
        ),
        _ => {}
    }
}

/// Ports: numbers, names unique in the container, host ports unique per protocol and address,
/// and equal to the container port when the pod uses the node's network.
fn ports(
    ctx: &mut Ctx<'_>,
    pod: &Pod<'_>,
    c: &Node,
    cp: &FieldPath,
    kind: Kind,
    host_ports: &mut HashSet<String>,
) -> Vec<String> {
    let mut names = Vec::new();
    for (i, port) in c
        .get("ports")
        .map_or(&[][..], Node::as_seq)
        .iter()
        .enumerate()
    {
        let pp = cp.field("ports").index(i);
        if let Some(n) = port.get("containerPort") {
            port_number(ctx, n, &pp.field("containerPort"), false);
        }
        if let Some(n) = port.get("hostPort") {
            port_number(ctx, n, &pp.field("hostPort"), true);
        }
        // Only app containers must match (init containers' ports are not checked); in a Pod
        // on the node's network a missing host port is the container port.
        let same = pod.host_network && kind == Kind::App;
        let defaulted = pod.host_network && pod.owner == Owner::Pod;
        host_port(ctx, port, &pp, same, defaulted, host_ports);
        // An empty name is no name (the API server checks only names that are set).
        if let Some(name) = port
            .get("name")
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
        {
            if !syntax::is_port_name(name) {
                ctx.error(Rule::InvalidPortName, &pp.field("name"), format!("`{name}` is not a valid port name: 1–15 lowercase letters, digits or `-`, with at least one letter."), format!("`{name}` n'est pas un nom de port valide : 1 à 15 minuscules, chiffres ou `-`, dont au moins une lettre."));
            } else if names.iter().any(|n| n == name) {
                ctx.error(Rule::DuplicateName, &pp.field("name"), format!("Two ports of this container are named `{name}`. Port names must be unique."), format!("Deux ports de ce conteneur s'appellent `{name}`. Les noms de ports doivent être uniques."));
            }
            names.push(name.to_owned());
        }
    }
    names
}

/// A host port: unique in `host_ports` per protocol and address; equal to the container port
/// when `same_as_container` (the pod uses the node's network); taken from the container port
/// when left out and `defaulted`.
fn host_port(
    ctx: &mut Ctx<'_>,
    port: &Node,
    pp: &FieldPath,
    same_as_container: bool,
    defaulted: bool,
    host_ports: &mut HashSet<String>,
) {
    let valid = |n: Option<&Node>| n.and_then(Node::as_int).filter(|v| (1..=65535).contains(v));
    let explicit = port.get("hostPort").and_then(Node::as_int).unwrap_or(0);
    let (hp, path) = match valid(port.get("hostPort")) {
        Some(hp) => (hp, pp.field("hostPort")),
        None if explicit == 0 && defaulted => match valid(port.get("containerPort")) {
            Some(cp) => (cp, pp.field("containerPort")),
            None => return,
        },
        None => return,
    };
    if same_as_container
        && let Some(cport) = port.get("containerPort").and_then(Node::as_int)
        && cport != hp
    {
        ctx.error(
            Rule::HostNetworkPort,
            &path,
            format!("With `hostNetwork: true` the container listens on the node itself: `hostPort` must equal `containerPort` ({cport}), not {hp}. Write `hostPort: {cport}` or remove it."),
            format!("Avec `hostNetwork: true`, le conteneur écoute sur le nœud lui-même : `hostPort` doit valoir `containerPort` ({cport}), pas {hp}. Écrivez `hostPort: {cport}` ou retirez-le."),
        );
        return;
    }
    let protocol = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
    let ip = port.get("hostIP").and_then(Node::as_str).unwrap_or("");
    if !host_ports.insert(format!("{protocol}/{ip}/{hp}")) {
        ctx.error(
            Rule::HostPortConflict,
            &path,
            format!("Host port {hp}/{protocol} is already taken by another port of this pod: two ports cannot share a host port (with `hostNetwork: true`, every container port is one). Choose another port."),
            format!("Le port d'hôte {hp}/{protocol} est déjà pris par un autre port de ce pod : deux ports ne peuvent pas partager un port d'hôte (avec `hostNetwork: true`, chaque port de conteneur en est un). Choisissez un autre port."),
        );
    }
}

/// Probes and hooks are for containers that keep running: an init container without
/// `restartPolicy: Always` may not have them.
fn init_only(ctx: &mut Ctx<'_>, c: &Node, cp: &FieldPath) {
    for field in [
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "lifecycle",
    ] {
        if c.get(field)
            .is_some_and(|n| !matches!(n.kind, NodeKind::Null))
        {
            ctx.report_key(
                crate::Severity::Error,
                Rule::InitContainerField,
                &cp.field(field),
                crate::Text::new(
                    format!("An init container runs once before the others and may not have `{field}`. Remove it, or make this a sidecar with `restartPolicy: Always`, or move it to `containers:`."),
                    format!("Un conteneur d'initialisation s'exécute une fois avant les autres et ne peut pas avoir de `{field}`. Retirez-le, ou faites-en un sidecar avec `restartPolicy: Always`, ou déplacez-le sous `containers:`."),
                ),
            );
        }
    }
}
