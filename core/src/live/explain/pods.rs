//! Why a pod does not run (or, for a Job's pod, why it stopped).

use super::config::missing_references;
use super::images::image_pull;
use super::scheduling::unschedulable;
use super::{Context, Explanation, Level, Remedy, Said, Sources, Where, t};
use crate::live::relations::top;
use crate::live::{ContainerState, Live, LiveObject, Via};

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
