//! Why a workload, a claim or a Service does not do what it should.

use super::{Context, Explanation, Level, Remedy, Said, Sources, t};
use crate::Text;
use crate::live::relations::{differing, endpoints};
use crate::live::{Facts, JobOutcome, Live, LiveObject};

pub(super) fn explain(
    live: &Live,
    sources: &Sources,
    cx: &Context<'_>,
    object: &LiveObject,
    into: &mut Vec<Explanation>,
) {
    let name = &object.name;
    let mut said = Said::new(object, into);
    let line = |path: &str, label: Text| {
        sources
            .line(&object.kind, name, path)
            .map(|(file, line)| Remedy::Line { file, line, label })
    };
    match &object.facts {
        Facts::Deployment(d) => {
            if let Some(stuck) = &d.stuck {
                said.say(
                    "rollout-stuck",
                    Level::Error,
                    t("The rollout is stuck", "Le déploiement est bloqué"),
                    t(
                        format!(
                            "Deployment {name} made no progress within its progressDeadlineSeconds: {} Its new pods do not become ready ({}/{} ready).",
                            stuck.message, d.ready, d.replicas
                        ),
                        format!(
                            "Le Deployment {name} n’a pas progressé dans son délai progressDeadlineSeconds : {} Ses nouveaux pods ne deviennent pas prêts ({}/{} prêts).",
                            stuck.message, d.ready, d.replicas
                        ),
                    ),
                    t(
                        "See why its newest pods fail (on their rows), fix the manifest and apply it; or go back to the previous version with rollout undo.",
                        "Voyez pourquoi ses pods les plus récents échouent (sur leurs lignes), corrigez le manifeste et appliquez-le ; ou revenez à la version précédente avec rollout undo.",
                    ),
                    vec![Remedy::Command {
                        line: format!("kubectl rollout undo deployment/{name}"),
                    }],
                );
            }
        }
        Facts::Job(j) => match &j.outcome {
            Some(JobOutcome::Failed(condition)) => {
                let (en, fr) = if condition.reason == "BackoffLimitExceeded" {
                    (
                        format!(
                            "Job {name} gave up: {} of its pods failed and its backoffLimit is {}.",
                            j.failed, j.backoff_limit
                        ),
                        format!(
                            "Le Job {name} a abandonné : {} de ses pods ont échoué et son backoffLimit vaut {}.",
                            j.failed, j.backoff_limit
                        ),
                    )
                } else {
                    (
                        format!(
                            "Job {name} failed ({}): {}",
                            condition.reason, condition.message
                        ),
                        format!(
                            "Le Job {name} a échoué ({}) : {}",
                            condition.reason, condition.message
                        ),
                    )
                };
                said.say(
                    "job-failed",
                    Level::Error,
                    t("The Job failed", "Le Job a échoué"),
                    t(en, fr),
                    t(
                        "Read the logs of one of its failed pods, fix the program or its template, then delete the Job and create it again (a Job's template cannot be changed).",
                        "Lisez les logs d’un de ses pods en échec, corrigez le programme ou son modèle, puis supprimez le Job et recréez-le (le modèle d’un Job ne peut pas être modifié).",
                    ),
                    vec![
                        Remedy::Command {
                            line: format!("kubectl logs job/{name}"),
                        },
                        Remedy::Command {
                            line: format!("kubectl delete job {name}"),
                        },
                    ],
                );
            }
            Some(JobOutcome::Complete) | None => {}
        },
        Facts::CronJob(c) => {
            let schedule = line("spec.schedule", t("The schedule", "Le planning"));
            cron_job(object, c, cx, schedule, &mut said);
        }
        Facts::Claim(claim) if claim.phase == "Pending" => {
            let event = live.events(Some(&object.key())).into_iter().next().cloned();
            let (reason, message) = event.map(|e| (e.reason, e.message)).unwrap_or_default();
            let class = claim.storage_class.clone();
            match reason.as_str() {
                "WaitForFirstConsumer" => said.say(
                    "claim-waits-for-pod",
                    Level::Info,
                    t(
                        "Waits for a pod that uses it",
                        "Attend un pod qui l’utilise",
                    ),
                    t(
                        format!(
                            "Claim {name} is Pending on purpose: its storage class binds a volume only when a pod that mounts it is scheduled (WaitForFirstConsumer)."
                        ),
                        format!(
                            "La demande {name} est Pending exprès : sa classe de stockage ne lie un volume que lorsqu’un pod qui la monte est placé (WaitForFirstConsumer)."
                        ),
                    ),
                    t(
                        "Apply the workload that mounts it; the claim turns Bound then.",
                        "Appliquez la charge qui la monte ; la demande passera alors à Bound.",
                    ),
                    Vec::new(),
                ),
                "ProvisioningFailed" | "FailedBinding" => {
                    let modes = message.contains("access mode") || message.contains("AccessMode");
                    let no_class = message.contains("no storage class")
                        || message.contains("storageclass") && message.contains("not found");
                    let (fix, path) = if modes {
                        (
                            t(
                                format!(
                                    "The storage class does not offer access modes {}: use ReadWriteOnce, which every class offers, unless pods on several nodes must write.",
                                    claim.access_modes.join(", ")
                                ),
                                format!(
                                    "La classe de stockage n’offre pas les modes d’accès {} : utilisez ReadWriteOnce, offert par toutes les classes, sauf si des pods de plusieurs nœuds doivent écrire.",
                                    claim.access_modes.join(", ")
                                ),
                            ),
                            "spec.accessModes",
                        )
                    } else if no_class {
                        (
                            t(
                                format!(
                                    "{} Set storageClassName to a class the cluster has (kubectl get storageclass), or leave it out to use the default class.",
                                    class.as_deref().map_or(
                                        "The cluster has no default storage class.".to_owned(),
                                        |c| format!("There is no storage class {c}.")
                                    )
                                ),
                                format!(
                                    "{} Mettez dans storageClassName une classe du cluster (kubectl get storageclass), ou retirez-le pour la classe par défaut.",
                                    class.as_deref().map_or(
                                        "Le cluster n’a pas de classe de stockage par défaut."
                                            .to_owned(),
                                        |c| format!("Il n’y a pas de classe de stockage {c}.")
                                    )
                                ),
                            ),
                            "spec.storageClassName",
                        )
                    } else {
                        (
                            t(
                                "Read the message, then correct the claim and apply it again (delete it first: most of a claim's spec cannot change).",
                                "Lisez le message, puis corrigez la demande et appliquez-la de nouveau (supprimez-la d’abord : la plupart de sa spec ne peut pas changer).",
                            ),
                            "spec",
                        )
                    };
                    said.say(
                        "claim-pending",
                        Level::Error,
                        t("No volume for the claim", "Aucun volume pour la demande"),
                        t(
                            format!("Claim {name} stays Pending ({reason}): {message}"),
                            format!("La demande {name} reste Pending ({reason}) : {message}"),
                        ),
                        fix,
                        line(path, t("Change it here", "À changer ici"))
                            .into_iter()
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        Facts::Service(s) => {
            let Some(selector) = s.selector.as_ref().filter(|s| !s.is_empty()) else {
                return;
            };
            let ends = endpoints(live, object);
            if ends.iter().any(|e| e.ready) {
                return;
            }
            let wanted: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if !ends.is_empty() {
                said.say(
                    "service-not-ready",
                    Level::Warning,
                    t(
                        "No ready pod behind the Service",
                        "Aucun pod prêt derrière le Service",
                    ),
                    t(
                        format!(
                            "Service {name} selects {} pod(s), none ready: connections to it fail until one is.",
                            ends.len()
                        ),
                        format!(
                            "Le Service {name} sélectionne {} pod(s), aucun prêt : les connexions échouent jusqu’à ce qu’il y en ait un.",
                            ends.len()
                        ),
                    ),
                    t(
                        "See why those pods are not ready (on their rows).",
                        "Voyez pourquoi ces pods ne sont pas prêts (sur leurs lignes).",
                    ),
                    Vec::new(),
                );
                return;
            }
            // The pods (or workloads) that look meant for it: they share a selector key.
            let candidates: Vec<&LiveObject> = live
                .objects()
                .filter(|o| {
                    matches!(
                        o.facts,
                        Facts::Pod(_) | Facts::Deployment(_) | Facts::Job(_)
                    ) && o.owner.is_none()
                })
                .filter(|o| {
                    let labels = o.template().map(|t| &t.labels).unwrap_or(&o.labels);
                    selector
                        .iter()
                        .any(|(k, _)| labels.iter().any(|(lk, _)| lk == k))
                })
                .collect();
            let mut remedies: Vec<Remedy> = line(
                "spec.selector",
                t("The Service's selector", "Le sélecteur du Service"),
            )
            .into_iter()
            .collect();
            let mut differences = Vec::new();
            for candidate in &candidates {
                let labels = candidate
                    .template()
                    .map(|t| &t.labels)
                    .unwrap_or(&candidate.labels);
                let diff: Vec<String> = differing(selector, labels)
                    .into_iter()
                    .map(|(k, v, found)| match found {
                        Some(found) => format!("{k}={found} ≠ {k}={v}"),
                        None => format!("{k}={v} ?"),
                    })
                    .collect();
                differences.push(format!(
                    "{} {}: {}",
                    candidate.kind,
                    candidate.name,
                    diff.join(", ")
                ));
                let path = if candidate.kind == "Pod" {
                    "metadata.labels"
                } else {
                    "spec.template.metadata.labels"
                };
                if let Some((file, line)) = sources.line(&candidate.kind, &candidate.name, path) {
                    remedies.push(Remedy::Line {
                        file,
                        line,
                        label: t(
                            format!("Labels of {} {}", candidate.kind, candidate.name),
                            format!("Labels de {} {}", candidate.kind, candidate.name),
                        ),
                    });
                }
            }
            let (near_en, near_fr) = if differences.is_empty() {
                (
                    "No pod carries these labels.".to_owned(),
                    "Aucun pod ne porte ces labels.".to_owned(),
                )
            } else {
                (
                    format!("Labels that differ — {}.", differences.join("; ")),
                    format!("Labels qui diffèrent — {}.", differences.join(" ; ")),
                )
            };
            said.say(
                "service-no-endpoints",
                Level::Warning,
                t(
                    "The Service selects no pod",
                    "Le Service ne sélectionne aucun pod",
                ),
                t(
                    format!(
                        "Service {name} sends traffic to pods labelled {}, and none is: it has no endpoints, connections to it fail. {near_en}",
                        wanted.join(", ")
                    ),
                    format!(
                        "Le Service {name} envoie le trafic aux pods portant {}, et aucun ne les porte : il n’a aucun endpoint, les connexions échouent. {near_fr}",
                        wanted.join(", ")
                    ),
                ),
                t(
                    "Make the Service's selector and the pods' labels (in the workload's template) agree.",
                    "Accordez le sélecteur du Service et les labels des pods (dans le modèle de la charge).",
                ),
                remedies,
            );
        }
        _ => {}
    }
}

fn cron_job(
    object: &LiveObject,
    c: &crate::live::CronJobFacts,
    cx: &Context<'_>,
    schedule_line: Option<Remedy>,
    say: &mut Said<'_>,
) {
    let name = &object.name;
    if c.suspended {
        say.say(
            "cron-suspended",
            Level::Warning,
            t("Suspended: no new Jobs", "Suspendu : aucun nouveau Job"),
            t(
                format!(
                    "CronJob {name} is suspended (suspend: true): its schedule creates no Job until it is resumed. Jobs already running go on."
                ),
                format!(
                    "Le CronJob {name} est suspendu (suspend: true) : son planning ne crée aucun Job jusqu’à sa reprise. Les Jobs en cours continuent."
                ),
            ),
            t(
                "Resume it when you want it to run again.",
                "Reprenez-le quand vous voulez qu’il tourne de nouveau.",
            ),
            vec![Remedy::Command {
                line: format!(
                    "kubectl patch cronjob {name} -p '{{\"spec\":{{\"suspend\":false}}}}'"
                ),
            }],
        );
        return;
    }
    let Ok(fields) = crate::validate::cron::parse(&c.schedule) else {
        return;
    };
    let created = object
        .created
        .as_deref()
        .and_then(crate::live::unix_seconds);
    let (Some(now), Some(created)) = (cx.now_unix, created) else {
        return;
    };
    let first = crate::live::schedule::next_run_of(&fields, created);
    // In another time zone than the controller's UTC, when it is due is not computed here.
    let elsewhere = c
        .time_zone
        .as_deref()
        .is_some_and(|z| !matches!(z, "UTC" | "Etc/UTC"));
    if first.is_some() && elsewhere {
        return;
    }
    match first {
        None => say.say(
            "cron-never",
            Level::Error,
            t("The schedule never happens", "Le planning n’arrive jamais"),
            t(
                format!(
                    "CronJob {name}'s schedule \"{}\" matches no date (e.g. 30 February): it will never create a Job.",
                    c.schedule
                ),
                format!(
                    "Le planning « {} » du CronJob {name} ne correspond à aucune date (par ex. 30 février) : il ne créera jamais de Job.",
                    c.schedule
                ),
            ),
            t("Correct the schedule.", "Corrigez le planning."),
            schedule_line.into_iter().collect(),
        ),
        Some(first) if c.last_schedule.is_none() && now > first + 60 => say.say(
            "cron-not-fired",
            Level::Warning,
            t("Has not fired yet", "N’a pas encore tourné"),
            t(
                format!(
                    "CronJob {name} should have created its first Job about {} s ago, and has not. The cron controller of the cluster (kube-controller-manager) may be stopped, or the CronJob's startingDeadlineSeconds may be too short.",
                    now - first
                ),
                format!(
                    "Le CronJob {name} aurait dû créer son premier Job il y a environ {} s, et ne l’a pas fait. Le contrôleur cron du cluster (kube-controller-manager) est peut-être arrêté, ou startingDeadlineSeconds est trop court.",
                    now - first
                ),
            ),
            t(
                "Check its events; you can start a Job by hand meanwhile.",
                "Consultez ses événements ; vous pouvez lancer un Job à la main en attendant.",
            ),
            vec![
                Remedy::Command {
                    line: format!("kubectl describe cronjob {name}"),
                },
                Remedy::Command {
                    line: format!("kubectl create job --from=cronjob/{name} {name}-manual"),
                },
            ],
        ),
        Some(_) => {}
    }
}
