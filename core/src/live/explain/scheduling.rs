//! A pod the scheduler cannot place: a claim missing or unbound, not enough CPU or memory.

use super::{Level, Remedy, Said, Sources, Where, t};
use crate::live::{Live, LiveObject, PodFacts};

pub(super) fn unschedulable(
    live: &Live,
    sources: &Sources,
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
