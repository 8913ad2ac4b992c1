//! What a command acts on: the kinds and names it writes to (only namespaced kinds the
//! playground applies), the workspace file of `-f`, the pod of `logs` and `exec`.

use crate::Text;
use crate::kinds::{self, KindInfo};

use super::verbs::Access;

fn text(en: String, fr: String) -> Text {
    Text { en, fr }
}

/// The workspace path of `-f VALUE`, or why it is not one.
pub fn workspace_file(value: &str) -> Result<String, Text> {
    let refuse = |en: &str, fr: &str| {
        Err(text(
            format!(
                "`-f {value}`: {en} kubefiche reads only the files of your workspace, by their path in it, for example -f k8s/app.yaml."
            ),
            format!(
                "`-f {value}` : {fr} kubefiche ne lit que les fichiers de votre espace de travail, par leur chemin dans celui-ci, par exemple -f k8s/app.yaml."
            ),
        ))
    };
    let path = value.strip_prefix("./").unwrap_or(value);
    if value == "-" {
        return refuse(
            "reading from standard input is not offered.",
            "la lecture sur l’entrée standard n’est pas proposée.",
        );
    }
    if value.contains("://") {
        return refuse(
            "an address on the network is not a workspace file.",
            "une adresse réseau n’est pas un fichier de l’espace de travail.",
        );
    }
    if value.starts_with('/')
        || value.starts_with('~')
        || value.contains('\\')
        || value.contains(':')
    {
        return refuse(
            "a path on the machine that runs kubefiche is not a workspace file.",
            "un chemin sur la machine qui exécute kubefiche n’est pas un fichier de l’espace de travail.",
        );
    }
    if value.contains(',') {
        return refuse("one file at a time.", "un fichier à la fois.");
    }
    let manifest = [".yaml", ".yml", ".json"]
        .iter()
        .any(|ext| path.ends_with(ext));
    if !manifest {
        return refuse(
            "a folder, or a file that is not a manifest (.yaml, .yml, .json).",
            "un dossier, ou un fichier qui n’est pas un manifeste (.yaml, .yml, .json).",
        );
    }
    if path
        .split('/')
        .any(|part| part == ".." || part == "." || part.is_empty())
    {
        return refuse(
            "the path must stay inside the workspace, without `..`.",
            "le chemin doit rester dans l’espace de travail, sans `..`.",
        );
    }
    Ok(path.to_owned())
}

pub fn several_files() -> Text {
    text(
        "kubefiche takes one -f workspace file per command; run one command per file.".to_owned(),
        "kubefiche prend un seul fichier -f de l’espace de travail par commande ; lancez une commande par fichier.".to_owned(),
    )
}

/// The kinds a resource word names: `pods`, `pods,svc`, `deploy/web` → `deploy`.
fn kind_words(word: &str) -> impl Iterator<Item = &str> {
    let kinds = word.split_once('/').map_or(word, |(kind, _)| kind);
    kinds.split(',').filter(|k| !k.is_empty())
}

/// Checks the `KIND NAME…`, `KIND/NAME…` words of a command that writes: each kind must be a
/// namespaced kind the playground applies. `changes` words (`app=web`, `app-`) are skipped.
pub fn check_resources(
    verb: &str,
    access: Access,
    positionals: &[String],
    changes: bool,
) -> Result<(), Text> {
    if access == Access::Read {
        return Ok(());
    }
    let mut kind_seen = false;
    for word in positionals {
        if word == "-" {
            return Err(stdin());
        }
        if changes && (word.contains('=') || word.ends_with('-')) {
            continue;
        }
        let slash = word.contains('/');
        if !slash && kind_seen {
            continue; // a name after `KIND`
        }
        kind_seen |= !slash;
        for kind in kind_words(word) {
            writable(verb, kind)?;
        }
    }
    Ok(())
}

/// Whether `verb` may change objects of the kind `word` names.
pub fn writable(verb: &str, word: &str) -> Result<&'static KindInfo, Text> {
    if word.eq_ignore_ascii_case("all") {
        return Err(text(
            format!(
                "`kubectl {verb} all` also acts on kinds kubefiche does not change (ReplicaSets…). Name the kinds, for example kubectl {verb} deployments,services,pods -l app=web."
            ),
            format!(
                "`kubectl {verb} all` agit aussi sur des types que kubefiche ne modifie pas (ReplicaSets…). Nommez les types, par exemple kubectl {verb} deployments,services,pods -l app=web."
            ),
        ));
    }
    match kinds::resource(word) {
        Some(info) if !info.namespaced => Err(text(
            format!(
                "`{word}`: {} objects are cluster-wide, shared by everyone; kubefiche only changes objects in your namespace. Reading them (kubectl get {word}) is fine.",
                info.kind
            ),
            format!(
                "`{word}` : les objets {} sont globaux au cluster, partagés par tous ; kubefiche ne modifie que des objets de votre namespace. Les lire (kubectl get {word}) reste possible.",
                info.kind
            ),
        )),
        Some(info) if info.applied => Ok(info),
        _ => {
            let list = kinds::applied()
                .map(|k| k.kind)
                .collect::<Vec<_>>()
                .join(", ");
            Err(text(
                format!(
                    "`kubectl {verb}` on `{word}`: kubefiche changes only the kinds of the worksheets ({list}). Reading it (kubectl get {word}) is fine."
                ),
                format!(
                    "`kubectl {verb}` sur `{word}` : kubefiche ne modifie que les types des fiches ({list}). Le lire (kubectl get {word}) reste possible."
                ),
            ))
        }
    }
}

pub fn stdin() -> Text {
    text(
        "`-` reads from standard input, which the page does not offer; write the values on the line (KEY=VALUE).".to_owned(),
        "`-` lit l’entrée standard, que la page ne propose pas ; écrivez les valeurs sur la ligne (CLÉ=VALEUR).".to_owned(),
    )
}

/// `create job NAME --from=cronjob/NAME`: the only way kubefiche creates a Job from a line.
pub fn job_source(from: Option<&str>) -> Result<(), Text> {
    let fits = from
        .and_then(|f| f.split_once('/'))
        .is_some_and(|(kind, name)| {
            kinds::resource(kind).is_some_and(|k| k.kind == "CronJob") && !name.is_empty()
        });
    if fits {
        return Ok(());
    }
    Err(text(
        "kubefiche creates a Job from a CronJob only: kubectl create job NAME --from=cronjob/CRONJOB. To write another Job, put it in a workspace manifest and apply it.".to_owned(),
        "kubefiche crée un Job uniquement à partir d’un CronJob : kubectl create job NOM --from=cronjob/CRONJOB. Pour un autre Job, écrivez-le dans un manifeste de l’espace de travail et appliquez-le.".to_owned(),
    ))
}

/// `patch cronjob NAME -p '{"spec":{"suspend":true}}'` (or `false`): the one patch kubefiche
/// runs, to suspend or resume a CronJob; every other change belongs in a manifest.
pub fn suspend_patch(words: &[String], patches: &[&str], kind: Option<&str>) -> Result<(), Text> {
    let cron_job = |word: &str| kinds::resource(word).is_some_and(|k| k.kind == "CronJob");
    let targets_cron_jobs = match words {
        [one] => one
            .split_once('/')
            .is_some_and(|(kind, name)| cron_job(kind) && !name.is_empty()),
        [kind, name] => cron_job(kind) && !name.contains('/'),
        _ => false,
    };
    let suspend = match patches {
        [patch] => serde_json::from_str::<serde_json::Value>(patch)
            .ok()
            .is_some_and(|v| {
                v.as_object().is_some_and(|o| o.len() == 1)
                    && v["spec"].as_object().is_some_and(|s| s.len() == 1)
                    && v["spec"]["suspend"].is_boolean()
            }),
        _ => false,
    };
    if targets_cron_jobs && suspend && kind.is_none_or(|k| matches!(k, "merge" | "strategic")) {
        return Ok(());
    }
    Err(text(
        "`kubectl patch` changes an object without the checks the workspace makes; kubefiche runs it only to suspend or resume one CronJob: kubectl patch cronjob NAME -p '{\"spec\":{\"suspend\":true}}'. For any other change, edit the manifest in the workspace and apply it: kubectl apply -f k8s/….yaml.".to_owned(),
        "`kubectl patch` modifie un objet sans les vérifications de l’espace de travail ; kubefiche ne l’exécute que pour suspendre ou reprendre un CronJob : kubectl patch cronjob NOM -p '{\"spec\":{\"suspend\":true}}'. Pour tout autre changement, modifiez le manifeste dans l’espace de travail et appliquez-le : kubectl apply -f k8s/….yaml.".to_owned(),
    ))
}

/// The object name a `create` line needs, exactly one.
pub fn new_name(verb: &str, positionals: &[String]) -> Result<(), Text> {
    if positionals.len() == 1 {
        return Ok(());
    }
    Err(text(
        format!("`kubectl {verb}` takes exactly one name: kubectl {verb} NAME …"),
        format!("`kubectl {verb}` prend exactement un nom : kubectl {verb} NOM …"),
    ))
}

/// The words of `exec`: one pod, then `--` and the command.
pub fn exec(
    positionals: &[String],
    command: Option<&[String]>,
    stdin: bool,
    tty: bool,
) -> Result<(), Text> {
    let example_en = "for example kubectl exec -it <pod> -- sh, or kubectl exec <pod> -- ls /";
    let example_fr = "par exemple kubectl exec -it <pod> -- sh, ou kubectl exec <pod> -- ls /";
    if positionals.len() != 1 || command.is_none_or(<[String]>::is_empty) {
        return Err(text(
            format!(
                "`kubectl exec` takes one pod, then `--` and the command to run in it: {example_en}."
            ),
            format!(
                "`kubectl exec` prend un pod, puis `--` et la commande à y lancer : {example_fr}."
            ),
        ));
    }
    if stdin != tty {
        return Err(text(
            format!(
                "`exec` with only one of -i and -t: use -it for an interactive session (a terminal opens in the page), or neither for a one-off command; {example_en}."
            ),
            format!(
                "`exec` avec une seule des options -i et -t : utilisez -it pour une session interactive (un terminal s’ouvre dans la page), ou aucune pour une commande ponctuelle ; {example_fr}."
            ),
        ));
    }
    Ok(())
}

/// Extra words after a command that takes none (`kubectl apply -f x.yaml extra`).
pub fn no_words(verb: &str, positionals: &[String]) -> Result<(), Text> {
    match positionals.first() {
        None => Ok(()),
        Some(word) => Err(text(
            format!("`kubectl {verb}` takes no `{word}` here; its objects come from its flags."),
            format!(
                "`kubectl {verb}` ne prend pas `{word}` ici ; ses objets viennent de ses options."
            ),
        )),
    }
}
