//! Advice about a container on its own: a secret written in clear, an image's tag and pull policy.

use super::super::{ClusterFlavor, Options};
use crate::path::FieldPath;
use crate::rule::Rule;
use crate::validate::context::Ctx;
use crate::yaml::Node;

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

pub(super) fn advice(ctx: &mut Ctx<'_>, opts: &Options, c: &Node, cp: &FieldPath) {
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
