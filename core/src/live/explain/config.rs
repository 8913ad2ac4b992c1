//! A ConfigMap, Secret or key that a pod reads and the namespace lacks, and how to create it.

use super::{Context, Level, Remedy, Said, Sources, Where, t};
use crate::live::{Live, Reference, Via};

/// Explain each reference among `refs` to a ConfigMap, Secret or key that does not exist; returns
/// whether there was one.
pub(super) fn missing_references<'a>(
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
