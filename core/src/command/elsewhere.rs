//! Lines of a worksheet that are not kubectl commands: where they belong (your own terminal,
//! the container's shell, psql) and what kubefiche offers instead, when it has something.

use crate::Text;

use super::words::{Split, Syntax};
use super::{Parsed, parse};

fn elsewhere(en: &str, fr: &str, instead: Option<String>) -> Parsed {
    Parsed::Elsewhere {
        why: Text::new(en, fr),
        instead,
    }
}

const SQL: &[&str] = &[
    "select", "insert", "update", "delete", "create", "drop", "alter", "with", "show", "truncate",
    "grant", "revoke", "begin", "commit", "rollback", "explain", "values", "table", "copy", "set",
];

/// Input typed inside psql: SQL statements and backslash commands (`\q`, `\dt`).
pub fn psql_input(line: &str) -> Option<Parsed> {
    let line = line.trim();
    let meta = line
        .strip_prefix('\\')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '?'));
    let first = line.split_whitespace().next().unwrap_or_default();
    let keyword = SQL.contains(&first.to_lowercase().as_str());
    let upper = first.chars().any(|c| c.is_ascii_alphabetic())
        && !first.chars().any(|c| c.is_ascii_lowercase());
    let sql = keyword && (upper || line.ends_with(';'));
    (meta || sql).then(|| {
        elsewhere(
            "This is input for psql: type it in the terminal opened by the `kubectl exec -it … -- psql …` line above, not as a command of its own.",
            "Ceci se tape dans psql : saisissez-le dans le terminal ouvert par la ligne `kubectl exec -it … -- psql …` au-dessus, pas comme une commande à part.",
            None,
        )
    })
}

/// A line whose program is not kubectl.
pub fn classify(line: &str, split: &Split) -> Parsed {
    let words: Vec<&str> = split.words.iter().map(|w| w.text.as_str()).collect();
    let program = words.first().map(|p| p.rsplit('/').next().unwrap_or(p));
    match (program, words.get(1).copied()) {
        (Some("docker" | "podman"), Some("build" | "buildx")) => elsewhere(
            "Images are built on your own machine: run docker build in your terminal, then load the image into your cluster (kind: kind load docker-image NAME:TAG; minikube: minikube image load NAME:TAG). The bundled local cluster does not run images: its containers are simulated.",
            "Les images se construisent sur votre propre machine : lancez docker build dans votre terminal, puis chargez l’image dans votre cluster (kind : kind load docker-image NOM:TAG ; minikube : minikube image load NOM:TAG). Le cluster local intégré n’exécute pas d’images : ses conteneurs sont simulés.",
            None,
        ),
        (Some("docker" | "podman"), _) => elsewhere(
            "docker runs on your own machine: run this line in your terminal. kubefiche runs kubectl commands only.",
            "docker s’exécute sur votre propre machine : lancez cette ligne dans votre terminal. kubefiche n’exécute que des commandes kubectl.",
            None,
        ),
        (Some("kind"), Some("load")) | (Some("minikube"), Some("image")) => elsewhere(
            "This copies an image from your machine into your local cluster: run it in your terminal, after docker build. The bundled local cluster does not need it: its containers are simulated.",
            "Ceci copie une image de votre machine vers votre cluster local : lancez-la dans votre terminal, après docker build. Le cluster local intégré n’en a pas besoin : ses conteneurs sont simulés.",
            None,
        ),
        (Some("kind" | "minikube" | "k3d"), _) => elsewhere(
            "This manages the local cluster itself: run it in your terminal.",
            "Ceci gère le cluster local lui-même : lancez-la dans votre terminal.",
            None,
        ),
        (Some("env" | "printenv"), _) => elsewhere(
            "This runs inside the container’s shell opened by the `kubectl exec -it` line above: type it in that terminal. From the page, the container’s environment with ConfigMap and Secret references resolved:",
            "Ceci s’exécute dans le shell du conteneur ouvert par la ligne `kubectl exec -it` au-dessus : tapez-la dans ce terminal. Depuis la page, l’environnement du conteneur, références aux ConfigMaps et Secrets résolues :",
            Some("kubectl set env pod/<nom-du-pod> --list --resolve".to_owned()),
        ),
        (Some("watch"), Some(_)) => rerun(line, split, true),
        (Some("k" | "sudo" | "kubectl.exe"), Some(_)) => rerun(line, split, false),
        _ => elsewhere(
            "This is a shell command for your own terminal: kubefiche runs kubectl commands only.",
            "Ceci est une commande shell pour votre propre terminal : kubefiche n’exécute que des commandes kubectl.",
            None,
        ),
    }
}

/// `watch kubectl get pods`, `k get pods`, `sudo kubectl …`: the kubectl command itself.
fn rerun(line: &str, split: &Split, watch: bool) -> Parsed {
    let end = split.stop.map_or(line.len(), |(_, at)| at);
    let candidate = match split.words.iter().skip(1).find(|w| w.text == "kubectl") {
        Some(kubectl) => Some(line[kubectl.start..end].to_owned()),
        None if split.words[0].text == "k" => {
            Some(format!("kubectl{}", &line[split.words[0].end..end]))
        }
        None => None,
    };
    let instead = match candidate.map(|c| parse(&c)) {
        Some(Parsed::Kubectl(k)) if watch && k.verb == "get" && !k.streaming => {
            Some(format!("{} --watch", k.line()))
        }
        Some(Parsed::Kubectl(k)) => Some(k.line()),
        _ => None,
    };
    if watch {
        elsewhere(
            "`watch` reruns a command in a shell; kubectl follows changes by itself with --watch.",
            "`watch` relance une commande dans un shell ; kubectl suit les changements lui-même avec --watch.",
            instead,
        )
    } else {
        elsewhere(
            "kubefiche runs kubectl itself, without aliases or sudo: type the command as kubectl ….",
            "kubefiche lance kubectl lui-même, sans alias ni sudo : tapez la commande sous la forme kubectl ….",
            instead,
        )
    }
}

/// `kubectl … | grep x`: the kubectl part alone, when kubefiche runs it.
pub fn pipeline(line: &str, at: usize) -> Parsed {
    match parse(&line[..at]) {
        Parsed::Kubectl(k) => elsewhere(
            "kubefiche runs one kubectl command, not a shell pipeline: run the kubectl part and read its output, or narrow it with -l app=… or -o name.",
            "kubefiche exécute une commande kubectl, pas un enchaînement shell : lancez la partie kubectl et lisez sa sortie, ou affinez-la avec -l app=… ou -o name.",
            Some(k.line()),
        ),
        Parsed::Refused(why) => Parsed::Refused(why),
        _ => Parsed::Refused(super::policy::shell(Syntax::Pipe)),
    }
}
