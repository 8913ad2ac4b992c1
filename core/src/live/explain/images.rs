//! An image that cannot be pulled: a typo, a local image the node lacks, or a name that is not
//! a reference at all.

use super::{Context, Level, Remedy, Said, Sources, Where, t};
use crate::live::Live;
use crate::validate::ClusterFlavor;
use crate::validate::syntax::distance;

#[allow(clippy::too_many_arguments)]
pub(super) fn image_pull(
    live: &Live,
    sources: &Sources,
    cx: &Context<'_>,
    at: &Where<'_>,
    container: &str,
    image: &str,
    reason: &str,
    pulled: &str,
    say: &mut Said<'_>,
) {
    let line = at.line_of_container(container, "image", "image");
    if reason == "InvalidImageName" {
        say.say(
            "invalid-image",
            Level::Error,
            t(
                "The image name is not valid",
                "Le nom d’image n’est pas valide",
            ),
            t(
                format!(
                    "Container {container} names image \"{image}\", which is not a valid image reference: {pulled}"
                ),
                format!(
                    "Le conteneur {container} nomme l’image « {image} », qui n’est pas une référence d’image valide : {pulled}"
                ),
            ),
            t(
                "Write it as [registry/]name[:tag], in lower case, e.g. postgres:16.",
                "Écrivez-la sous la forme [registre/]nom[:tag], en minuscules, par ex. postgres:16.",
            ),
            line.into_iter().collect(),
        );
        return;
    }
    let (repository, tag) = split_image(image);
    let latest = tag.is_none_or(|t| t == "latest");
    let local_name = !repository
        .split('/')
        .next()
        .is_some_and(|host| host.contains('.') || host.contains(':') || host == "localhost");
    let mut known: Vec<String> = sources.images();
    known.extend(
        live.objects()
            .filter_map(|o| o.template())
            .flat_map(|t| t.containers.iter().map(|c| c.image.clone())),
    );
    known.sort();
    known.dedup();
    let near = known
        .iter()
        .filter(|other| other.as_str() != image && well_formed(other))
        .filter(|other| (1..=2).contains(&distance(other, image)))
        .min_by_key(|other| distance(other, image));
    if let Some(near) = near {
        say.say(
            "image-typo",
            Level::Error,
            t(
                "The image cannot be pulled: a typo?",
                "L’image ne peut pas être téléchargée : une faute de frappe ?",
            ),
            t(
                format!(
                    "The kubelet cannot pull \"{image}\" for container {container} ({reason}): {pulled}. The workspace names \"{near}\", which is almost the same."
                ),
                format!(
                    "Le kubelet ne peut pas télécharger « {image} » pour le conteneur {container} ({reason}) : {pulled}. L’espace de travail nomme « {near} », presque identique."
                ),
            ),
            t(
                format!("Did you mean {near}? Correct the image and apply again."),
                format!("Vouliez-vous dire {near} ? Corrigez l’image et appliquez de nouveau."),
            ),
            line.into_iter().collect(),
        );
        return;
    }
    let load = match cx.flavor {
        Some(ClusterFlavor::Kind) => Some(format!("kind load docker-image {image}")),
        Some(ClusterFlavor::Minikube) => Some(format!("minikube image load {image}")),
        Some(ClusterFlavor::K3d) => Some(format!("k3d image import {image}")),
        _ => None,
    };
    if let (Some(load), true) = (load.filter(|_| local_name), true) {
        let policy_line = at.line_of_container(container, "imagePullPolicy", "imagePullPolicy");
        let mut remedies = vec![Remedy::Command { line: load }];
        remedies.extend(policy_line);
        say.say(
            "image-not-loaded",
            Level::Error,
            t(
                "The image is not in the cluster",
                "L’image n’est pas dans le cluster",
            ),
            t(
                format!(
                    "Container {container} runs \"{image}\", an image built on your machine, but the cluster's node has its own image store and looks for it in a registry ({reason}): {pulled}.{}",
                    if latest {
                        " With the tag latest (or no tag), imagePullPolicy defaults to Always: the kubelet tries the registry even when the image was loaded into the node."
                    } else {
                        ""
                    }
                ),
                format!(
                    "Le conteneur {container} lance « {image} », une image construite sur votre machine, mais le nœud du cluster a son propre stock d’images et la cherche dans un registre ({reason}) : {pulled}.{}",
                    if latest {
                        " Avec le tag latest (ou sans tag), imagePullPolicy vaut Always par défaut : le kubelet interroge le registre même si l’image a été chargée dans le nœud."
                    } else {
                        ""
                    }
                ),
            ),
            t(
                format!(
                    "Load the image into the cluster from your terminal, {}then apply again (or delete the pod so that it is recreated).",
                    if latest {
                        "set imagePullPolicy: IfNotPresent (or give the image a version tag), "
                    } else {
                        ""
                    }
                ),
                format!(
                    "Chargez l’image dans le cluster depuis votre terminal, {}puis appliquez de nouveau (ou supprimez le pod pour qu’il soit recréé).",
                    if latest {
                        "mettez imagePullPolicy: IfNotPresent (ou donnez un tag de version à l’image), "
                    } else {
                        ""
                    }
                ),
            ),
            remedies,
        );
        return;
    }
    say.say(
        "image-pull",
        Level::Error,
        t(
            "The image cannot be pulled",
            "L’image ne peut pas être téléchargée",
        ),
        t(
            format!(
                "The kubelet cannot pull \"{image}\" for container {container} ({reason}): {pulled}. It retries with a growing delay (ImagePullBackOff)."
            ),
            format!(
                "Le kubelet ne peut pas télécharger « {image} » pour le conteneur {container} ({reason}) : {pulled}. Il réessaie avec un délai croissant (ImagePullBackOff)."
            ),
        ),
        t(
            "Check the image name and tag (they must exist in the registry), or give the registry's credentials with imagePullSecrets.",
            "Vérifiez le nom et le tag de l’image (ils doivent exister dans le registre), ou donnez les identifiants du registre avec imagePullSecrets.",
        ),
        line.into_iter().collect(),
    );
}

/// Whether an image reference could be pulled at all (its repository is lower case): only such
/// a reference is offered as the one meant.
fn well_formed(image: &str) -> bool {
    let (repository, _) = split_image(image);
    !repository.is_empty()
        && !repository
            .chars()
            .any(|c| c.is_ascii_uppercase() || c.is_whitespace())
}

/// An image reference as repository and tag (`None` without a tag; a digest counts as a tag).
pub(super) fn split_image(image: &str) -> (&str, Option<&str>) {
    if let Some((repository, digest)) = image.split_once('@') {
        return (repository, Some(digest));
    }
    match image.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
        _ => (image, None),
    }
}
