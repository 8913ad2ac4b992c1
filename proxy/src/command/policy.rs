//! The proxy's own check of a parsed command, behind the parser's. The parser (shared with the
//! page) decides what the learner may type; this second, independent look at the argument
//! vector makes sure that whatever it lets through cannot undo what the proxy forces (the
//! kubeconfig, context and namespace), read or write files on the proxy's machine, start a
//! plugin, or change cluster-wide objects. It is deliberately coarse: when in doubt it refuses.

use kubefiche_core::Text;
use kubefiche_core::command::Kubectl;
use kubefiche_core::kinds;

mod replicas;
pub use replicas::replicas_within;

/// The verbs that may run at all. Anything else (plugins among them) never reaches kubectl.
const VERBS: [&str; 19] = [
    "get",
    "describe",
    "logs",
    "exec",
    "create",
    "scale",
    "delete",
    "rollout",
    "apply",
    "explain",
    "set",
    "top",
    "label",
    "annotate",
    "wait",
    "events",
    "api-resources",
    "version",
    "patch",
];

/// What `kubectl create` may make: namespaced objects only, from flags (no files).
const CREATE: [&str; 10] = [
    "configmap",
    "cm",
    "secret",
    "job",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "service",
    "svc",
];

/// What `kubectl set` may change.
const SET: [&str; 3] = ["env", "image", "resources"];

/// Verbs that change objects named by `TYPE`, `TYPE NAME` or `TYPE/NAME`.
const WRITES: [&str; 5] = ["delete", "scale", "label", "annotate", "set"];

/// Long flags that would name another cluster, identity or namespace, read or write files on
/// the proxy's machine, or print what the proxy holds (`-v` shows requests).
const REFUSED_LONG: [&str; 33] = [
    "namespace",
    "all-namespaces",
    "kubeconfig",
    "context",
    "cluster",
    "user",
    "server",
    "token",
    "as",
    "as-group",
    "as-uid",
    "as-user-extra",
    "username",
    "password",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "insecure-skip-tls-verify",
    "tls-server-name",
    "raw",
    "kuberc",
    "cache-dir",
    "profile",
    "profile-output",
    "log-file",
    "log-dir",
    "v",
    "vmodule",
    "kustomize",
    "from-file",
    "from-env-file",
    "cert",
    "key",
];

/// Their one-letter forms: `-n`, `-A`, `-s` (server), `-v`, `-k` (kustomize).
const REFUSED_SHORT: [char; 5] = ['n', 'A', 's', 'v', 'k'];
/// One-letter flags that take a value, which ends a group such as `-lapp=x`.
const VALUE_SHORT: [char; 6] = ['l', 'o', 'c', 'f', 'L', 'e'];
/// Words a shell would read as operators: kubectl would receive them as plain arguments.
const SHELL_OPERATORS: [&str; 12] = [
    "|", "||", "&", "&&", ";", ">", ">>", "<", "<<", "2>", "2>&1", "&>",
];

/// The checked command: the arguments to run (a workspace file's name replaced by `-`, its
/// text goes to stdin) and the workspace file, when one is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub args: Vec<String>,
    pub file: Option<String>,
}

/// Refuse, with the reason, or give the plan to run.
pub fn check(command: &Kubectl) -> Result<Plan, Text> {
    let args = &command.args;
    let verb = command.verb.as_str();
    if !VERBS.contains(&verb) {
        return Err(refused(
            &format!("kubectl {verb} is not among the commands kubefiche runs"),
            &format!("kubectl {verb} ne fait pas partie des commandes que kubefiche exécute"),
        ));
    }
    if args.first().map(String::as_str) != Some(verb) {
        return Err(refused(
            "write the verb right after kubectl (kubectl get pods -l app=web)",
            "écrivez le verbe juste après kubectl (kubectl get pods -l app=web)",
        ));
    }
    if let Some(name) = command.placeholder() {
        return Err(refused(
            &format!("<{name}> is still a placeholder: choose the object it stands for first"),
            &format!("<{name}> est encore à remplacer : choisissez d’abord l’objet qu’il désigne"),
        ));
    }
    // After `--` come the words of the command run in a container (exec): kubectl does not read
    // them as flags.
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    for word in args {
        shell_check(word)?;
    }
    let mut plan = Plan {
        args: args.clone(),
        file: None,
    };
    let mut i = 0;
    while i < end {
        let word = &args[i];
        if let Some(long) = word.strip_prefix("--") {
            let (name, value) = long
                .split_once('=')
                .map_or((long, None), |(n, v)| (n, Some(v)));
            if REFUSED_LONG.contains(&name) || name.starts_with("prune") || name == "applyset" {
                return Err(flag_refused(name));
            }
            let next = args.get(i + 1).filter(|_| i + 1 < end);
            if name == "output" {
                output_check(value.or(next.map(String::as_str)))?;
            }
            if name == "filename" {
                take_file(&mut plan, i, value.is_none(), next)?;
            }
        } else if let Some(group) = word.strip_prefix('-').filter(|g| !g.is_empty()) {
            for (at, letter) in group.char_indices() {
                if REFUSED_SHORT.contains(&letter) {
                    return Err(flag_refused(&letter.to_string()));
                }
                let value_taking =
                    VALUE_SHORT.contains(&letter) && !(letter == 'f' && verb == "logs");
                if !value_taking {
                    continue;
                }
                let inline = group[at + 1..].trim_start_matches('=');
                let next = args.get(i + 1).filter(|_| i + 1 < end);
                if letter == 'o' {
                    output_check(if inline.is_empty() {
                        next.map(String::as_str)
                    } else {
                        Some(inline)
                    })?;
                }
                if letter == 'f' {
                    take_file(&mut plan, i, inline.is_empty(), next)?;
                }
                break;
            }
        }
        i += 1;
    }
    if let (Some(ours), Some(theirs)) = (&plan.file, &command.file)
        && ours != theirs
    {
        return Err(refused(
            "the file this command names is unclear",
            "le fichier que nomme cette commande n'est pas clair",
        ));
    }
    write_check(verb, &plan.args[..end], &plan)?;
    Ok(plan)
}

/// Records the workspace file of `-f`/`--filename` at `args[at]` and replaces its name by `-`.
fn take_file(
    plan: &mut Plan,
    at: usize,
    separate: bool,
    next: Option<&String>,
) -> Result<(), Text> {
    if plan.file.is_some() {
        return Err(refused(
            "a command takes one workspace file (-f) at a time",
            "une commande prend un seul fichier de l'espace de travail (-f) à la fois",
        ));
    }
    let word = &plan.args[at];
    let (name, rewritten) = if separate {
        let Some(name) = next else {
            return Err(refused("-f names no file", "-f ne nomme aucun fichier"));
        };
        plan.args[at + 1] = "-".into();
        (name.clone(), None)
    } else {
        // `--filename=F`, `-f=F`, `-fF`, `-RfF`: the value runs to the end of the word.
        let flag_end = word.find('f').map_or(0, |f| f + 1);
        let flag_end = if word.starts_with("--") {
            word.find('=').map_or(word.len(), |e| e + 1)
        } else {
            flag_end
        };
        let value = word[flag_end..].trim_start_matches('=');
        let kept = &word[..word.len() - value.len()];
        (value.to_owned(), Some(format!("{kept}-")))
    };
    if let Some(rewritten) = rewritten {
        plan.args[at] = rewritten;
    }
    plan.file = Some(name);
    Ok(())
}

fn shell_check(word: &str) -> Result<(), Text> {
    let operator = SHELL_OPERATORS.contains(&word);
    let substitution = word.contains('`') || word.contains("$(");
    let control = word.chars().any(|c| c.is_control());
    if operator || substitution || control {
        return Err(refused(
            "shell syntax (pipes, redirections, command substitution, several lines) does not run here: kubefiche runs one kubectl command, without a shell",
            "la syntaxe du shell (tubes, redirections, substitutions, plusieurs lignes) ne s'exécute pas ici : kubefiche lance une seule commande kubectl, sans shell",
        ));
    }
    Ok(())
}

/// `-o go-template-file=…`, `-o jsonpath-file=…` read a file of the proxy's machine.
fn output_check(value: Option<&str>) -> Result<(), Text> {
    if value.is_some_and(|v| v.split('=').next().is_some_and(|f| f.contains("file"))) {
        return Err(refused(
            "output templates from a file read the disk of the machine that runs kubefiche; give the template itself (-o jsonpath=…)",
            "les modèles de sortie lus dans un fichier lisent le disque de la machine qui fait tourner kubefiche ; donnez le modèle lui-même (-o jsonpath=…)",
        ));
    }
    Ok(())
}

/// Writes stay on the worksheet's namespaced kinds; `create` makes them from flags only.
/// `args` are the plan's (a workspace file's name is `-` there).
fn write_check(verb: &str, args: &[String], plan: &Plan) -> Result<(), Text> {
    let positional = || args[1..].iter().filter(|a| !a.starts_with('-'));
    match verb {
        "apply" if plan.file.is_none() => Err(refused(
            "kubectl apply runs on a workspace file: kubectl apply -f k8s/FILE.yaml",
            "kubectl apply s'applique à un fichier de l'espace de travail : kubectl apply -f k8s/FICHIER.yaml",
        )),
        "apply" if positional().next().is_some() => Err(refused(
            "kubectl apply takes only -f and a workspace file here",
            "kubectl apply ne prend ici que -f et un fichier de l'espace de travail",
        )),
        "create" if plan.file.is_none() => match args.get(1) {
            Some(what) if CREATE.contains(&what.as_str()) => Ok(()),
            _ => Err(refused(
                &format!("kubectl create makes only {} here", CREATE.join(", ")),
                &format!("kubectl create ne crée ici que {}", CREATE.join(", ")),
            )),
        },
        "patch" => suspend_only(args),
        _ if WRITES.contains(&verb) => {
            let mut words = args[1..].iter();
            if verb == "set" && !words.next().is_some_and(|w| SET.contains(&w.as_str())) {
                return Err(refused(
                    &format!("kubectl set changes only {} here", SET.join(", ")),
                    &format!("kubectl set ne change ici que {}", SET.join(", ")),
                ));
            }
            let first = words.next().map_or("", String::as_str);
            // With a workspace file, its objects are the ones changed (checked by the policy of
            // Apply); kubectl takes no TYPE then.
            let by_file = plan.file.is_some() && first.starts_with('-');
            if !by_file && !writable(first) {
                return Err(not_writable(verb));
            }
            // Any later TYPE/NAME (not a flag's value such as `-l a/b=c`, not a file name).
            let named = positional().filter(|w| w.contains('/') && !w.contains('='));
            for word in named {
                if !writable(word) {
                    return Err(not_writable(verb));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `patch` runs only to suspend or resume one CronJob: `patch cronjob NAME -p
/// '{"spec":{"suspend":BOOL}}'` (or `cronjob/NAME`), a merge patch of that one field.
fn suspend_only(args: &[String]) -> Result<(), Text> {
    let cron_job = |word: &str| {
        let kind = word.split('/').next().unwrap_or(word);
        matches!(
            kind,
            "cronjob" | "cronjobs" | "cj" | "cronjob.batch" | "cronjobs.batch"
        )
    };
    let mut targets = Vec::new();
    let mut patches = Vec::new();
    let mut words = args[1..].iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-p" | "--patch" => patches.extend(words.next().cloned()),
            "--type" => {
                if !words
                    .next()
                    .is_some_and(|t| t == "merge" || t == "strategic")
                {
                    return Err(patch_refused());
                }
            }
            "--type=merge" | "--type=strategic" => {}
            w if w.starts_with("--patch=") => patches.push(w["--patch=".len()..].to_owned()),
            w if w.starts_with('-') => return Err(patch_refused()),
            w => targets.push(w),
        }
    }
    let target = match targets.as_slice() {
        [one] => cron_job(one) && one.split_once('/').is_some_and(|(_, n)| !n.is_empty()),
        [kind, name] => cron_job(kind) && !kind.contains('/') && !name.contains('/'),
        _ => false,
    };
    let suspend = match patches.as_slice() {
        [patch] => serde_json::from_str::<serde_json::Value>(patch).is_ok_and(|v| {
            v.as_object().is_some_and(|o| o.len() == 1)
                && v["spec"].as_object().is_some_and(|s| s.len() == 1)
                && v["spec"]["suspend"].is_boolean()
        }),
        _ => false,
    };
    if target && suspend {
        Ok(())
    } else {
        Err(patch_refused())
    }
}

fn patch_refused() -> Text {
    refused(
        "kubectl patch runs here only to suspend or resume one CronJob: kubectl patch cronjob NAME -p '{\"spec\":{\"suspend\":true}}'",
        "kubectl patch ne s'exécute ici que pour suspendre ou reprendre un CronJob : kubectl patch cronjob NOM -p '{\"spec\":{\"suspend\":true}}'",
    )
}

/// `TYPE`, `TYPE/NAME`, `TYPE1,TYPE2`, `TYPE.group`: every type one the worksheets use.
fn writable(word: &str) -> bool {
    const ALIASES: [&str; 6] = ["cm", "pvc", "svc", "po", "deploy", "cj"];
    !word.is_empty()
        && !word.starts_with('-')
        && word.split(',').all(|part| {
            let kind = part.split('/').next().unwrap_or(part);
            let kind = kind.split('.').next().unwrap_or(kind).to_ascii_lowercase();
            ALIASES.contains(&kind.as_str())
                || kinds::applied().any(|k| k.plural == kind || k.kind.to_ascii_lowercase() == kind)
        })
}

fn not_writable(verb: &str) -> Text {
    let list = kinds::applied()
        .map(|k| k.plural)
        .collect::<Vec<_>>()
        .join(", ");
    refused(
        &format!(
            "kubectl {verb} changes only the kinds of your namespace that the worksheets use ({list}), named right after the verb (kubectl {verb} TYPE NAME)"
        ),
        &format!(
            "kubectl {verb} ne change que les types de votre namespace qu'utilisent les fiches ({list}), nommés juste après le verbe (kubectl {verb} TYPE NOM)"
        ),
    )
}

fn flag_refused(flag: &str) -> Text {
    let dashes = if flag.len() == 1 { "-" } else { "--" };
    refused(
        &format!(
            "the flag {dashes}{flag} is refused: kubefiche chooses the cluster, the identity and the namespace ({dashes}{flag} would change them, or use files of the machine that runs it)"
        ),
        &format!(
            "l'option {dashes}{flag} est refusée : kubefiche choisit le cluster, l'identité et le namespace ({dashes}{flag} les changerait, ou utiliserait des fichiers de la machine qui le fait tourner)"
        ),
    )
}

fn refused(en: &str, fr: &str) -> Text {
    Text::new(
        format!("This command does not run: {en}."),
        format!("Cette commande ne s'exécute pas : {fr}."),
    )
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
