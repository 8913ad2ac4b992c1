//! Why a pod does not run (or, for a Job's pod, why it stopped).

use super::{Context, Explanation, Level, Remedy, Said, Sources, Where, t};
use crate::live::relations::top;
use crate::live::{ContainerState, Live, LiveObject, PodFacts, Reference, Via};
use crate::validate::ClusterFlavor;

pub(super) fn explain(
    live: &Live,
    sources: &Sources,
    cx: &Context<'_>,
    object: &LiveObject,
    into: &mut Vec<Explanation>,
) {
    let Some(pod) = object.pod() else { return };
    let at = Where::of(sources, top(live, object));
    let mut said = Said::new(object, into);
    let name = &object.name;
    if pod.reason.as_deref() == Some("Evicted") {
        let message = pod.message.clone().unwrap_or_default();
        let replaced = object.owner.is_some();
        said.say(
            "evicted",
            Level::Error,
            t("The pod was evicted", "Le pod a été expulsé"),
            t(
                format!("The node ran short of a resource and removed pod {name}: {message}"),
                format!("Le nœud a manqué d’une ressource et a retiré le pod {name} : {message}"),
            ),
            if replaced {
                t(
                    "Its owner has already made a replacement. An evicted pod stays listed until it is deleted; delete it, and give the containers resource requests that fit the node.",
                    "Son propriétaire en a déjà créé un remplaçant. Un pod expulsé reste listé jusqu’à sa suppression ; supprimez-le, et donnez aux conteneurs des demandes de ressources adaptées au nœud.",
                )
            } else {
                t(
                    "A bare pod is not recreated. Delete it and apply it again, or better, run it from a Deployment.",
                    "Un pod nu n’est pas recréé. Supprimez-le et appliquez-le de nouveau, ou mieux, lancez-le depuis un Deployment.",
                )
            },
            vec![Remedy::Command {
                line: format!("kubectl delete pod {name}"),
            }],
        );
        return;
    }
    if let Some(condition) = &pod.unscheduled
        && condition.reason == "Unschedulable"
    {
        unschedulable(
            live,
            sources,
            cx,
            &at,
            object,
            pod,
            &condition.message,
            &mut said,
        );
    }
    for status in &pod.containers {
        let container = &status.name;
        let image = pod
            .spec
            .containers
            .iter()
            .find(|c| &c.name == container)
            .map(|c| c.image.clone())
            .unwrap_or_default();
        match &status.state {
            ContainerState::Waiting { reason, message } => match reason.as_str() {
                "CreateContainerConfigError" if message.contains("non-root") => said.say(
                    "run-as-root",
                    Level::Error,
                    t(
                        "runAsNonRoot with user 0",
                        "runAsNonRoot avec l’utilisateur 0",
                    ),
                    t(
                        format!(
                            "Container {container} must not run as root (runAsNonRoot: true) but asks for runAsUser: 0, so the kubelet refuses to start it."
                        ),
                        format!(
                            "Le conteneur {container} ne doit pas tourner en root (runAsNonRoot: true) mais demande runAsUser: 0 : le kubelet refuse de le démarrer."
                        ),
                    ),
                    t(
                        "Give runAsUser a non-zero user id (e.g. 1000), or remove runAsUser and let the image's user apply.",
                        "Donnez à runAsUser un identifiant non nul (par ex. 1000), ou retirez runAsUser pour garder l’utilisateur de l’image.",
                    ),
                    at.line_of_container(container, "securityContext.runAsUser", "runAsUser")
                        .into_iter()
                        .collect(),
                ),
                "CreateContainerConfigError" => {
                    let refs = pod.spec.reads.iter().filter(|r| match &r.via {
                        Via::Env { container: c, .. } | Via::EnvFrom { container: c } => {
                            c == container
                        }
                        Via::Volume { .. } => false,
                    });
                    let found = missing_references(live, sources, cx, &at, refs, &mut said);
                    if !found {
                        said.say(
                            "container-config",
                            Level::Error,
                            t(
                                "The container cannot be configured",
                                "Le conteneur ne peut pas être configuré",
                            ),
                            t(
                                format!(
                                    "The kubelet cannot prepare container {container}: {message}"
                                ),
                                format!(
                                    "Le kubelet ne peut pas préparer le conteneur {container} : {message}"
                                ),
                            ),
                            t(
                                "Create what the message names, or correct the reference in the manifest.",
                                "Créez ce que le message nomme, ou corrigez la référence dans le manifeste.",
                            ),
                            Vec::new(),
                        );
                    }
                }
                "ErrImagePull" | "ImagePullBackOff" | "InvalidImageName" => {
                    let pulled = latest_event(live, object, "Failed").unwrap_or(message.clone());
                    image_pull(
                        live, sources, cx, &at, container, &image, reason, &pulled, &mut said,
                    );
                }
                "CrashLoopBackOff" => crash(&at, object, status, &mut said),
                "ContainerCreating" | "PodInitializing" => {}
                _ if !reason.is_empty() => said.say(
                    "waiting",
                    Level::Warning,
                    t(
                        format!("Container waits: {reason}"),
                        format!("Le conteneur attend : {reason}"),
                    ),
                    t(
                        format!("Container {container} of pod {name} waits ({reason}): {message}"),
                        format!(
                            "Le conteneur {container} du pod {name} attend ({reason}) : {message}"
                        ),
                    ),
                    t(
                        "Read the pod's events for the cause: kubectl describe pod.",
                        "Lisez les événements du pod pour la cause : kubectl describe pod.",
                    ),
                    vec![Remedy::Command {
                        line: format!("kubectl describe pod {name}"),
                    }],
                ),
                _ => {}
            },
            ContainerState::Terminated(end) if pod.row.phase == "Failed" && end.exit_code != 0 => {
                said.say(
                    "pod-error",
                    Level::Error,
                    t(
                        format!("Ended in error (exit code {})", end.exit_code),
                        format!("Terminé en erreur (code de sortie {})", end.exit_code),
                    ),
                    t(
                        format!(
                            "Container {container} of pod {name} stopped with exit code {}{} and the pod is not restarted (restartPolicy {}).{}",
                            end.exit_code,
                            reason_in(&end.reason),
                            pod.spec.restart_policy.as_deref().unwrap_or("Always"),
                            if owned_by(object, "Job") {
                                " Its Job counts the failure and starts a new pod until its backoffLimit is reached."
                            } else {
                                ""
                            }
                        ),
                        format!(
                            "Le conteneur {container} du pod {name} s’est arrêté avec le code {}{} et le pod n’est pas relancé (restartPolicy {}).{}",
                            end.exit_code,
                            reason_in(&end.reason),
                            pod.spec.restart_policy.as_deref().unwrap_or("Always"),
                            if owned_by(object, "Job") {
                                " Son Job compte l’échec et lance un nouveau pod jusqu’à atteindre son backoffLimit."
                            } else {
                                ""
                            }
                        ),
                    ),
                    t(
                        format!(
                            "{} Read what it printed: kubectl logs {name}.",
                            exit_hint(end.exit_code).en
                        ),
                        format!(
                            "{} Lisez ce qu’il a affiché : kubectl logs {name}.",
                            exit_hint(end.exit_code).fr
                        ),
                    ),
                    vec![Remedy::Command {
                        line: format!("kubectl logs {name} -c {container}"),
                    }],
                );
            }
            _ => {}
        }
        if let Some(last) = &status.last
            && last.reason == "OOMKilled"
        {
            let limit = pod
                .spec
                .containers
                .iter()
                .find(|c| &c.name == container)
                .and_then(|c| c.memory_limit.clone());
            let limit_text = limit
                .as_deref()
                .map_or(String::new(), |l| format!(" ({l})"));
            said.say(
                "oom-killed",
                Level::Error,
                t("Killed: out of memory", "Tué : mémoire épuisée"),
                t(
                    format!(
                        "Container {container} used more memory than its limit{limit_text} and was killed (OOMKilled, exit code {}); it has restarted {} times.",
                        last.exit_code, status.restarts
                    ),
                    format!(
                        "Le conteneur {container} a utilisé plus de mémoire que sa limite{limit_text} et a été tué (OOMKilled, code {}) ; il a redémarré {} fois.",
                        last.exit_code, status.restarts
                    ),
                ),
                t(
                    "Raise resources.limits.memory (and requests.memory) of the container, or make the program use less memory.",
                    "Augmentez resources.limits.memory (et requests.memory) du conteneur, ou faites consommer moins de mémoire au programme.",
                ),
                at.line_of_container(container, "resources.limits.memory", "limits.memory")
                    .into_iter()
                    .collect(),
            );
        }
    }
    if pod.row.status == "ContainerCreating" {
        let volumes = pod
            .spec
            .reads
            .iter()
            .filter(|r| matches!(r.via, Via::Volume { .. }));
        let found = missing_references(live, sources, cx, &at, volumes, &mut said);
        let created = object
            .created
            .as_deref()
            .and_then(crate::live::unix_seconds);
        let waited = match (cx.now_unix, created) {
            (Some(now), Some(created)) => now - created,
            _ => 0,
        };
        if !found && waited > STUCK_SECONDS {
            let warning = live
                .events(Some(&object.key()))
                .into_iter()
                .find(|e| e.warning)
                .map(|e| format!("{}: {}", e.reason, e.message));
            let (en, fr) = match &warning {
                Some(w) => (
                    format!(" The latest warning says {w}"),
                    format!(" Le dernier avertissement dit {w}"),
                ),
                None => (
                    " No warning event says why yet.".to_owned(),
                    " Aucun événement d’avertissement ne dit encore pourquoi.".to_owned(),
                ),
            };
            said.say(
                "creating-stuck",
                Level::Warning,
                t("Stuck in ContainerCreating", "Bloqué en ContainerCreating"),
                t(
                    format!(
                        "Pod {name} has been preparing its containers for {waited} s: the kubelet is still pulling images or setting up volumes.{en}"
                    ),
                    format!(
                        "Le pod {name} prépare ses conteneurs depuis {waited} s : le kubelet télécharge encore des images ou prépare des volumes.{fr}"
                    ),
                ),
                t(
                    "Read its events (kubectl describe pod): a large image takes time; a volume that cannot mount says so there.",
                    "Lisez ses événements (kubectl describe pod) : une grosse image prend du temps ; un volume impossible à monter le dit là.",
                ),
                vec![Remedy::Command {
                    line: format!("kubectl describe pod {name}"),
                }],
            );
        }
    }
    if pod.row.phase == "Succeeded" && owned_by(object, "Job") {
        said.say(
            "job-pod-completed",
            Level::Info,
            t(
                "Completed: the Job's work is done",
                "Completed : le travail du Job est fait",
            ),
            t(
                format!(
                    "Pod {name} ran its program to the end with exit code 0. A Job's pod is not restarted once it succeeds; it stays listed so that its logs can be read."
                ),
                format!(
                    "Le pod {name} a exécuté son programme jusqu’au bout avec le code 0. Le pod d’un Job n’est pas relancé une fois réussi ; il reste listé pour qu’on puisse lire ses logs."
                ),
            ),
            t(
                "Nothing to fix. Read its output with kubectl logs.",
                "Rien à corriger. Lisez sa sortie avec kubectl logs.",
            ),
            vec![Remedy::Command {
                line: format!("kubectl logs {name}"),
            }],
        );
    }
}

/// How long a pod may prepare its containers before the pane calls it stuck.
const STUCK_SECONDS: i64 = 60;

/// The kind of `object`'s owner is `kind`.
fn owned_by(object: &LiveObject, kind: &str) -> bool {
    object.owner.as_ref().is_some_and(|o| o.kind == kind)
}

fn reason_in(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}

/// What an exit code usually means.
fn exit_hint(code: i32) -> crate::Text {
    match code {
        126 => t(
            "Code 126: the command exists but cannot be executed (permissions?).",
            "Code 126 : la commande existe mais ne peut pas être exécutée (droits ?).",
        ),
        127 => t(
            "Code 127: the command was not found in the image (check command/args).",
            "Code 127 : la commande est introuvable dans l’image (vérifiez command/args).",
        ),
        137 => t(
            "Code 137: the process was killed (SIGKILL), often for memory.",
            "Code 137 : le processus a été tué (SIGKILL), souvent pour la mémoire.",
        ),
        139 => t(
            "Code 139: the program crashed (segmentation fault).",
            "Code 139 : le programme a planté (erreur de segmentation).",
        ),
        143 => t(
            "Code 143: the process was asked to stop (SIGTERM).",
            "Code 143 : on a demandé au processus de s’arrêter (SIGTERM).",
        ),
        _ => t(
            "The program itself reported an error.",
            "Le programme lui-même a signalé une erreur.",
        ),
    }
}

/// The newest event about `object` with `reason`: its message.
fn latest_event(live: &Live, object: &LiveObject, reason: &str) -> Option<String> {
    live.events(Some(&object.key()))
        .into_iter()
        .find(|e| e.reason == reason && !e.message.starts_with("Error: "))
        .map(|e| e.message.clone())
}

/// Explain each reference among `refs` to a ConfigMap, Secret or key that does not exist; returns
/// whether there was one.
fn missing_references<'a>(
    live: &Live,
    sources: &Sources,
    cx: &Context<'_>,
    at: &Where<'_>,
    refs: impl Iterator<Item = &'a Reference>,
    say: &mut Said<'_>,
) -> bool {
    let mut found = false;
    let mut seen: Vec<(String, String, Option<String>)> = Vec::new();
    for r in refs.filter(|r| !r.optional) {
        let object = live.get(&r.kind, &r.name);
        let key_missing = match (object, &r.key) {
            (None, _) => false,
            (Some(o), Some(key)) => !o.known().keys.contains(key),
            (Some(_), None) => continue,
        };
        let id = (
            r.kind.clone(),
            r.name.clone(),
            key_missing.then(|| r.key.clone()).flatten(),
        );
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        found = true;
        let what = match &r.via {
            Via::Env {
                variable,
                container,
            } => t(
                format!("variable {variable} of container {container}"),
                format!("la variable {variable} du conteneur {container}"),
            ),
            Via::EnvFrom { container } => t(
                format!("the envFrom of container {container}"),
                format!("l’envFrom du conteneur {container}"),
            ),
            Via::Volume { volume } => t(format!("volume {volume}"), format!("le volume {volume}")),
        };
        let (kind, name) = (&r.kind, &r.name);
        let mut remedies = creators(sources, cx, kind, name, r.key.as_deref(), key_missing);
        remedies.extend(at.line_of_reference(r));
        let volume = matches!(r.via, Via::Volume { .. });
        let (code, title, cause) = if key_missing {
            let key = r.key.as_deref().unwrap_or_default();
            (
                "missing-key",
                t(
                    format!("Key {key} missing in {kind} {name}"),
                    format!("Clé {key} absente de {kind} {name}"),
                ),
                t(
                    format!(
                        "{} reads key {key} of {kind} {name}, which exists but has no such key.",
                        capital(&what.en)
                    ),
                    format!(
                        "{} lit la clé {key} de {kind} {name}, qui existe mais n’a pas cette clé.",
                        capital(&what.fr)
                    ),
                ),
            )
        } else {
            (
                if volume {
                    "missing-volume-source"
                } else {
                    "missing-config"
                },
                t(
                    format!("{kind} {name} is missing"),
                    format!("{kind} {name} est absent"),
                ),
                t(
                    format!(
                        "{} reads {kind} {name}, which does not exist in the namespace. {}",
                        capital(&what.en),
                        if volume {
                            "The volume cannot be mounted, so the pod stays in ContainerCreating (event FailedMount)."
                        } else {
                            "The kubelet cannot build the container's environment, so it waits in CreateContainerConfigError."
                        }
                    ),
                    format!(
                        "{} lit {kind} {name}, qui n’existe pas dans le namespace. {}",
                        capital(&what.fr),
                        if volume {
                            "Le volume ne peut pas être monté : le pod reste en ContainerCreating (événement FailedMount)."
                        } else {
                            "Le kubelet ne peut pas construire l’environnement du conteneur : il attend en CreateContainerConfigError."
                        }
                    ),
                ),
            )
        };
        say.say(
            code,
            Level::Error,
            title,
            cause,
            t(
                format!(
                    "Create {kind} {name}{} (the pod starts by itself once it exists), or correct the reference, or mark it optional: true.",
                    r.key
                        .as_deref()
                        .map_or(String::new(), |k| format!(" with key {k}"))
                ),
                format!(
                    "Créez {kind} {name}{} (le pod démarre de lui-même dès qu’il existe), ou corrigez la référence, ou marquez-la optional: true.",
                    r.key
                        .as_deref()
                        .map_or(String::new(), |k| format!(" avec la clé {k}"))
                ),
            ),
            remedies,
        );
    }
    found
}

fn capital(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// How the learner can create `kind`/`name` (with `key`): the worksheet's own command, the
/// workspace file that defines it, or a `kubectl create` line to fill in.
fn creators(
    sources: &Sources,
    cx: &Context<'_>,
    kind: &str,
    name: &str,
    key: Option<&str>,
    key_missing: bool,
) -> Vec<Remedy> {
    let mut remedies = Vec::new();
    let verb = if kind == "Secret" {
        "create secret generic"
    } else {
        "create configmap"
    };
    let worksheet = cx.commands.iter().find(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let wanted: Vec<&str> = verb.split(' ').collect();
        words
            .windows(wanted.len() + 1)
            .any(|w| w[..wanted.len()] == wanted[..] && w[wanted.len()] == name)
    });
    if let Some(manifest) = sources.find(kind, name) {
        if key_missing {
            remedies.push(Remedy::Line {
                file: manifest.file.clone(),
                line: manifest.span_of("data").line,
                label: t(
                    format!("Add key {} here", key.unwrap_or_default()),
                    format!("Ajoutez la clé {} ici", key.unwrap_or_default()),
                ),
            });
        }
        remedies.push(Remedy::Command {
            line: format!("kubectl apply -f {}", manifest.file),
        });
    } else if let Some(line) = worksheet {
        remedies.push(Remedy::Command { line: line.clone() });
    } else {
        let literal = key.unwrap_or("<clé>");
        remedies.push(Remedy::Command {
            line: format!("kubectl {verb} {name} --from-literal={literal}=<valeur>"),
        });
    }
    remedies
}

#[allow(clippy::too_many_arguments)]
fn image_pull(
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

/// Levenshtein distance (images are short).
pub(super) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(previous + usize::from(ca != *cb));
            previous = here;
        }
    }
    row[b.len()]
}

fn crash(
    at: &Where<'_>,
    object: &LiveObject,
    status: &crate::live::ContainerStatus,
    say: &mut Said<'_>,
) {
    let (container, name) = (&status.name, &object.name);
    let last = status.last.clone().unwrap_or_default();
    if last.reason == "OOMKilled" {
        return; // Said as out of memory.
    }
    say.say(
        "crash-loop",
        Level::Error,
        t(
            "The container keeps crashing",
            "Le conteneur plante en boucle",
        ),
        t(
            format!(
                "Container {container} of pod {name} has stopped {} times; the last run ended with exit code {}{}. Kubernetes restarts it after a growing delay (CrashLoopBackOff, up to 5 minutes).",
                status.restarts,
                last.exit_code,
                reason_in(&last.reason)
            ),
            format!(
                "Le conteneur {container} du pod {name} s’est arrêté {} fois ; la dernière exécution a fini avec le code {}{}. Kubernetes le relance après un délai croissant (CrashLoopBackOff, jusqu’à 5 minutes).",
                status.restarts,
                last.exit_code,
                reason_in(&last.reason)
            ),
        ),
        t(
            format!(
                "{} Read the output of the run that crashed (--previous), then correct the command, arguments or environment.",
                exit_hint(last.exit_code).en
            ),
            format!(
                "{} Lisez la sortie de l’exécution qui a planté (--previous), puis corrigez la commande, les arguments ou l’environnement.",
                exit_hint(last.exit_code).fr
            ),
        ),
        [Remedy::Command {
            line: format!("kubectl logs {name} -c {container} --previous"),
        }]
        .into_iter()
        .chain(at.line_of_container(container, "command", "command"))
        .collect(),
    );
}

#[allow(clippy::too_many_arguments)]
fn unschedulable(
    live: &Live,
    sources: &Sources,
    _cx: &Context<'_>,
    at: &Where<'_>,
    object: &LiveObject,
    pod: &PodFacts,
    message: &str,
    say: &mut Said<'_>,
) {
    let name = &object.name;
    for claim in &pod.spec.claims {
        match live.get("PersistentVolumeClaim", claim) {
            None => {
                let mut remedies: Vec<Remedy> = sources
                    .file("PersistentVolumeClaim", claim)
                    .map(|file| Remedy::Command {
                        line: format!("kubectl apply -f {file}"),
                    })
                    .into_iter()
                    .collect();
                remedies.extend(at.line(
                    "volumes",
                    t("The claim is named here", "La demande est nommée ici"),
                ));
                say.say(
                    "claim-missing",
                    Level::Error,
                    t(
                        format!("PersistentVolumeClaim {claim} is missing"),
                        format!("La PersistentVolumeClaim {claim} est absente"),
                    ),
                    t(
                        format!(
                            "Pod {name} mounts claim {claim}, which does not exist: the scheduler cannot place the pod, it stays Pending."
                        ),
                        format!(
                            "Le pod {name} monte la demande {claim}, qui n’existe pas : le scheduler ne peut pas placer le pod, il reste Pending."
                        ),
                    ),
                    t(
                        format!("Create claim {claim} (apply its manifest), or correct claimName."),
                        format!(
                            "Créez la demande {claim} (appliquez son manifeste), ou corrigez claimName."
                        ),
                    ),
                    remedies,
                );
                return;
            }
            Some(c) if matches!(&c.facts, crate::live::Facts::Claim(f) if f.phase != "Bound") => {
                say.say(
                    "claim-unbound",
                    Level::Warning,
                    t(
                        format!("Waits for claim {claim}"),
                        format!("Attend la demande {claim}"),
                    ),
                    t(
                        format!(
                            "Pod {name} mounts claim {claim}, which is not bound to a volume yet, so it cannot be scheduled."
                        ),
                        format!(
                            "Le pod {name} monte la demande {claim}, pas encore liée à un volume : il ne peut pas être placé."
                        ),
                    ),
                    t(
                        "See why the claim is Pending (on its row).",
                        "Voyez pourquoi la demande est Pending (sur sa ligne).",
                    ),
                    Vec::new(),
                );
                return;
            }
            Some(_) => {}
        }
    }
    let short: Vec<&str> = ["cpu", "memory", "pods", "ephemeral-storage"]
        .into_iter()
        .filter(|r| message.contains(&format!("Insufficient {r}")))
        .collect();
    if !short.is_empty() {
        let list = short.join(", ");
        say.say(
            "insufficient",
            Level::Error,
            t(
                format!("No node has enough {list}"),
                format!("Aucun nœud n’a assez de {list}"),
            ),
            t(
                format!("Pod {name} asks for more {list} than any node has free: {message}"),
                format!(
                    "Le pod {name} demande plus de {list} qu’aucun nœud n’en a de libre : {message}"
                ),
            ),
            t(
                "Lower the container's resources.requests, or reduce the replicas of other workloads.",
                "Baissez les resources.requests du conteneur, ou réduisez les réplicas d’autres charges.",
            ),
            at.line(
                "containers",
                t(
                    "Resources are set per container",
                    "Les ressources se fixent par conteneur",
                ),
            )
            .into_iter()
            .collect(),
        );
        return;
    }
    say.say(
        "unschedulable",
        Level::Error,
        t(
            "No node can run the pod",
            "Aucun nœud ne peut exécuter le pod",
        ),
        t(
            format!("The scheduler cannot place pod {name}: {message}"),
            format!("Le scheduler ne peut pas placer le pod {name} : {message}"),
        ),
        t(
            "Check the pod's nodeSelector, affinity, tolerations and requests against the nodes (kubectl get nodes).",
            "Comparez nodeSelector, affinity, tolerations et requests du pod avec les nœuds (kubectl get nodes).",
        ),
        vec![Remedy::Command {
            line: format!("kubectl describe pod {name}"),
        }],
    );
}
