//! What kubefiche refuses to pass to kubectl, and the reason it gives, in English and French:
//! what was refused, why, and what to do instead.

use crate::Text;

use super::verbs;
use super::words::Syntax;

fn text(en: String, fr: String) -> Text {
    Text { en, fr }
}

/// Why a flag is never passed on, whatever the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagRule {
    /// Another namespace, or all of them.
    Namespace,
    /// Another cluster, user or credentials.
    Connection,
    /// A request of any shape to the API server.
    Raw,
    /// Reads a file or a folder of the machine that runs kubefiche.
    LocalFile,
    /// Waits for an answer typed on the keyboard.
    Interactive,
    /// Deletes whatever the file set does not list.
    Prune,
}

/// Flags refused with their own reason (long name, short name, rule). A command's own table
/// is read first, so `-i` is `--stdin` for `exec` and refused elsewhere (`delete -i`).
static REFUSED: &[(&str, Option<char>, FlagRule)] = &[
    ("namespace", Some('n'), FlagRule::Namespace),
    ("all-namespaces", Some('A'), FlagRule::Namespace),
    ("kubeconfig", None, FlagRule::Connection),
    ("context", None, FlagRule::Connection),
    ("cluster", None, FlagRule::Connection),
    ("server", Some('s'), FlagRule::Connection),
    ("token", None, FlagRule::Connection),
    ("user", None, FlagRule::Connection),
    ("username", None, FlagRule::Connection),
    ("password", None, FlagRule::Connection),
    ("as", None, FlagRule::Connection),
    ("as-group", None, FlagRule::Connection),
    ("as-uid", None, FlagRule::Connection),
    ("as-user-extra", None, FlagRule::Connection),
    ("insecure-skip-tls-verify", None, FlagRule::Connection),
    (
        "insecure-skip-tls-verify-backend",
        None,
        FlagRule::Connection,
    ),
    ("certificate-authority", None, FlagRule::Connection),
    ("client-certificate", None, FlagRule::Connection),
    ("client-key", None, FlagRule::Connection),
    ("tls-server-name", None, FlagRule::Connection),
    ("disable-compression", None, FlagRule::Connection),
    ("kuberc", None, FlagRule::Connection),
    ("cache-dir", None, FlagRule::LocalFile),
    ("raw", None, FlagRule::Raw),
    ("from-file", None, FlagRule::LocalFile),
    ("from-env-file", None, FlagRule::LocalFile),
    ("recursive", Some('R'), FlagRule::LocalFile),
    ("kustomize", Some('k'), FlagRule::LocalFile),
    ("profile-output", None, FlagRule::LocalFile),
    ("interactive", Some('i'), FlagRule::Interactive),
    ("prune", None, FlagRule::Prune),
    ("prune-allowlist", None, FlagRule::Prune),
    ("applyset", None, FlagRule::Prune),
];

/// The rule of a flag refused by name, spelled `--long` or `-s`.
pub fn refused_long(long: &str) -> Option<FlagRule> {
    if long.starts_with("client-") {
        return Some(FlagRule::Connection);
    }
    REFUSED.iter().find(|r| r.0 == long).map(|r| r.2)
}

pub fn refused_short(short: char) -> Option<FlagRule> {
    REFUSED.iter().find(|r| r.1 == Some(short)).map(|r| r.2)
}

/// Whether a `--long` name is refused with its own reason (for the tests of the allowlist).
pub fn is_refused(long: &str) -> bool {
    refused_long(long).is_some()
}

pub fn flag(rule: FlagRule, spelled: &str) -> Text {
    match rule {
        FlagRule::Namespace => text(
            format!(
                "`{spelled}`: kubefiche works in your session’s namespace only. Drop the flag: the command runs in your namespace."
            ),
            format!(
                "`{spelled}` : kubefiche travaille uniquement dans le namespace de votre session. Retirez l’option : la commande s’exécute dans votre namespace."
            ),
        ),
        FlagRule::Connection => text(
            format!(
                "`{spelled}` would point kubectl at another cluster, user or credentials; kubefiche always uses the session’s own connection. Drop the flag."
            ),
            format!(
                "`{spelled}` dirigerait kubectl vers un autre cluster, un autre utilisateur ou d’autres identifiants ; kubefiche utilise toujours la connexion de la session. Retirez l’option."
            ),
        ),
        FlagRule::Raw => text(
            format!(
                "`{spelled}` sends a request of any shape to the API server; kubefiche runs resource commands only. Use kubectl get or describe instead."
            ),
            format!(
                "`{spelled}` envoie une requête quelconque au serveur d’API ; kubefiche n’exécute que des commandes sur des ressources. Utilisez plutôt kubectl get ou describe."
            ),
        ),
        FlagRule::LocalFile => text(
            format!(
                "`{spelled}` reads files or folders of the machine that runs kubefiche, not your workspace. Use --from-literal=key=value, or write the object in a workspace manifest and apply it with kubectl apply -f k8s/….yaml."
            ),
            format!(
                "`{spelled}` lit des fichiers ou des dossiers de la machine qui exécute kubefiche, pas votre espace de travail. Utilisez --from-literal=clé=valeur, ou écrivez l’objet dans un manifeste de l’espace de travail et appliquez-le avec kubectl apply -f k8s/….yaml."
            ),
        ),
        FlagRule::Interactive => text(
            format!(
                "`{spelled}` waits for an answer typed on the keyboard, which the page cannot give. Drop the flag."
            ),
            format!(
                "`{spelled}` attend une réponse tapée au clavier, que la page ne peut pas donner. Retirez l’option."
            ),
        ),
        FlagRule::Prune => text(
            format!(
                "`{spelled}` deletes every object the file does not list; kubefiche deletes only what you name. Use kubectl delete with the kinds and names."
            ),
            format!(
                "`{spelled}` supprime tous les objets que le fichier ne liste pas ; kubefiche ne supprime que ce que vous nommez. Utilisez kubectl delete avec les types et les noms."
            ),
        ),
    }
}

/// Verbs refused with their own reason.
pub fn verb(verb: &str) -> Option<Text> {
    let (en, fr) = match verb {
        "proxy" | "port-forward" => (
            "opens a network tunnel on the machine that runs kubefiche; it is not offered in the page. Run it in your own terminal.",
            "ouvre un tunnel réseau sur la machine qui exécute kubefiche ; ce n’est pas proposé dans la page. Lancez-la dans votre propre terminal.",
        ),
        "cp" => (
            "copies files between the machine that runs kubefiche and a pod; it is not offered. Put the content in a ConfigMap or a Secret from the workspace.",
            "copie des fichiers entre la machine qui exécute kubefiche et un pod ; ce n’est pas proposé. Placez le contenu dans une ConfigMap ou un Secret depuis l’espace de travail.",
        ),
        "attach" => (
            "attaches to a container’s console; it is not offered. Use kubectl logs -f <pod> to follow it, or kubectl exec -it <pod> -- sh for a shell.",
            "s’attache à la console d’un conteneur ; ce n’est pas proposé. Utilisez kubectl logs -f <pod> pour la suivre, ou kubectl exec -it <pod> -- sh pour un shell.",
        ),
        "edit" => (
            "opens a text editor on the machine that runs kubefiche. Change the manifest in the workspace and apply it: kubectl apply -f k8s/….yaml.",
            "ouvre un éditeur de texte sur la machine qui exécute kubefiche. Modifiez le manifeste dans l’espace de travail et appliquez-le : kubectl apply -f k8s/….yaml.",
        ),
        "replace" => (
            "changes an object without the checks the workspace makes. Change the manifest in the workspace and apply it: kubectl apply -f k8s/….yaml.",
            "modifie un objet sans les vérifications de l’espace de travail. Modifiez le manifeste dans l’espace de travail et appliquez-le : kubectl apply -f k8s/….yaml.",
        ),
        "run" => (
            "creates a pod outside the workspace and without its checks. Write the pod (or a Deployment) in a workspace manifest and apply it: kubectl apply -f k8s/….yaml.",
            "crée un pod hors de l’espace de travail et sans ses vérifications. Écrivez le pod (ou un Deployment) dans un manifeste de l’espace de travail et appliquez-le : kubectl apply -f k8s/….yaml.",
        ),
        "config" => (
            "reads or changes the kubeconfig (clusters, contexts, credentials); kubefiche keeps the session’s connection. Run it in your own terminal.",
            "lit ou modifie le kubeconfig (clusters, contextes, identifiants) ; kubefiche garde la connexion de la session. Lancez-la dans votre propre terminal.",
        ),
        "auth" | "certificate" => (
            "acts on the cluster’s permissions or certificates; it is not offered in the page. Run it in your own terminal.",
            "agit sur les permissions ou les certificats du cluster ; ce n’est pas proposé dans la page. Lancez-la dans votre propre terminal.",
        ),
        "drain" | "cordon" | "uncordon" | "taint" => (
            "changes nodes, which the whole cluster shares; kubefiche only changes objects in your namespace. Run it in your own terminal on your own cluster.",
            "modifie des nœuds, partagés par tout le cluster ; kubefiche ne modifie que des objets de votre namespace. Lancez-la dans votre propre terminal, sur votre propre cluster.",
        ),
        "debug" => (
            "starts debugging containers or pods on nodes; it is not offered. Use kubectl describe, logs and exec -it.",
            "lance des conteneurs ou des pods de débogage sur les nœuds ; ce n’est pas proposé. Utilisez kubectl describe, logs et exec -it.",
        ),
        "plugin" => (
            "runs programs installed on the machine that runs kubefiche; plugins are not run.",
            "exécute des programmes installés sur la machine qui exécute kubefiche ; les plugins ne sont pas exécutés.",
        ),
        _ => return None,
    };
    Some(text(
        format!("`kubectl {verb}` {en}"),
        format!("`kubectl {verb}` {fr}"),
    ))
}

/// A verb that is neither allowed nor refused by name: a plugin, or a command not offered.
pub fn unknown_verb(word: &str) -> Text {
    let offered = verbs::verb_names().join(", ");
    text(
        format!(
            "`kubectl {word}` is not a command kubefiche runs (kubectl plugins are not run either). It runs: {offered}."
        ),
        format!(
            "`kubectl {word}` n’est pas une commande que kubefiche exécute (les plugins kubectl non plus). Elle exécute : {offered}."
        ),
    )
}

pub fn no_verb() -> Text {
    let offered = verbs::verb_names().join(", ");
    text(
        format!(
            "Type a command after `kubectl`, for example kubectl get pods. kubefiche runs: {offered}."
        ),
        format!(
            "Tapez une commande après `kubectl`, par exemple kubectl get pods. kubefiche exécute : {offered}."
        ),
    )
}

/// A flag placed before the verb.
pub fn before_verb(spelled: &str) -> Text {
    text(
        format!(
            "`{spelled}` before the command is not offered. Write the command first, then its flags: kubectl get pods -o wide."
        ),
        format!(
            "`{spelled}` avant la commande n’est pas proposé. Écrivez d’abord la commande, puis ses options : kubectl get pods -o wide."
        ),
    )
}

/// `rollout` without `status`, `create secret` without `generic`…
pub fn sub_verb(prefix: &str, word: Option<&str>, offered: &[&str]) -> Text {
    let offered = offered.join(", ");
    match word {
        Some(word) => text(
            format!(
                "`kubectl {prefix} {word}` is not offered. After `kubectl {prefix}` comes one of: {offered} (right after it, before any flag)."
            ),
            format!(
                "`kubectl {prefix} {word}` n’est pas proposé. Après `kubectl {prefix}` vient l’un de : {offered} (juste après, avant toute option)."
            ),
        ),
        None => text(
            format!("`kubectl {prefix}` needs one of: {offered}, right after it."),
            format!("`kubectl {prefix}` demande l’un de : {offered}, juste après."),
        ),
    }
}

pub fn unknown_flag(spelled: &str, verb: &verbs::Verb) -> Text {
    let name = verb.name();
    let offered = verb.flag_list();
    text(
        format!("`{spelled}` is not offered with `kubectl {name}`. Its flags here: {offered}."),
        format!(
            "`{spelled}` n’est pas proposé avec `kubectl {name}`. Ses options ici : {offered}."
        ),
    )
}

pub fn needs_value(spelled: &str) -> Text {
    text(
        format!("`{spelled}` needs a value after it, for example {spelled} VALUE."),
        format!("`{spelled}` demande une valeur après lui, par exemple {spelled} VALEUR."),
    )
}

pub fn not_bool(spelled: &str, value: &str) -> Text {
    text(
        format!("`{spelled}={value}`: this flag takes true or false."),
        format!("`{spelled}={value}` : cette option prend true ou false."),
    )
}

pub fn output(value: &str, offered: &[&str]) -> Text {
    let offered = offered
        .iter()
        .map(|o| {
            if o.ends_with('=') {
                format!("{o}…")
            } else {
                (*o).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let file = value.contains("file");
    let (why_en, why_fr) = if file {
        (
            " reads a file of the machine that runs kubefiche;",
            " lit un fichier de la machine qui exécute kubefiche ;",
        )
    } else {
        (" is not offered here;", " n’est pas proposé ici ;")
    };
    text(
        format!("`-o {value}`{why_en} the output formats offered: {offered}."),
        format!("`-o {value}`{why_fr} formats de sortie proposés : {offered}."),
    )
}

pub fn shell(syntax: Syntax) -> Text {
    let what = syntax.what();
    text(
        format!(
            "This line contains {}: kubefiche runs one kubectl command, never a shell. Run one command at a time, without it.",
            what.en
        ),
        format!(
            "Cette ligne contient {} : kubefiche exécute une commande kubectl, jamais un shell. Lancez une commande à la fois, sans cela.",
            what.fr
        ),
    )
}
