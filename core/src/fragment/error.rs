//! Why a fragment could not be inserted, said to a learner in French and English.

use crate::diagnostic::Text;

/// Why [`insert`](super::insert) left the file as it was. Every variant has a message in both
/// languages ([`FragmentError::message`]) saying what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message().en)]
pub enum FragmentError {
    /// The file to insert into is not valid YAML (at `line`, 1-based); `detail` is the parser's
    /// own message.
    TargetInvalid { line: u32, detail: Text },
    /// The fragment itself is not valid YAML once its instruction comment is set aside.
    FragmentInvalid { line: u32, detail: Text },
    /// The fragment is neither a list of entries (`- name: …`) nor one key followed by such a
    /// list (`env:` then `- name: …`).
    NotAList,
    /// The fragment is `other:` + a list, while the place read from the text is `key`.
    KeyMismatch { key: String, other: String },
    /// No object of `kind` in the file (`None`: no object with a pod template at all).
    NoObject { kind: Option<String> },
    /// The object of `kind` has no pod template where one is expected (e.g. `spec.template.spec`
    /// of a Deployment), or its kind has none (a Service).
    NoPodSpec { kind: String },
    /// The pod template of the object of `kind` lists no container.
    NoContainer { kind: String },
    /// No container is named `name`; the ones there are `available`.
    ContainerNotFound {
        name: String,
        available: Vec<String>,
    },
    /// `key` exists at `line` but is not a list (a string, an object…).
    ExistingNotAList { key: String, line: u32 },
    /// `key` (or the object that should hold it) at `line` is written inline (`[…]`, `{…}`),
    /// where entries cannot be added one per line.
    Inline { key: String, line: u32 },
    /// The merged file would not read back as intended (an unusual layout of the file); nothing
    /// was changed.
    Unsafe,
}

impl FragmentError {
    /// What happened and what to do, in both languages.
    pub fn message(&self) -> Text {
        match self {
            Self::TargetInvalid { line, detail } => Text::new(
                format!(
                    "The file is not valid YAML (line {line}: {}). Fix it first, then insert the fragment again.",
                    detail.en
                ),
                format!(
                    "Le fichier n'est pas du YAML valide (ligne {line} : {}). Corrigez-le d'abord, puis insérez de nouveau le fragment.",
                    detail.fr
                ),
            ),
            Self::FragmentInvalid { line, detail } => Text::new(
                format!(
                    "This fragment is not valid YAML (its line {line}: {}). Copy it by hand.",
                    detail.en
                ),
                format!(
                    "Ce fragment n'est pas du YAML valide (sa ligne {line} : {}). Copiez-le à la main.",
                    detail.fr
                ),
            ),
            Self::NotAList => Text::new(
                "This fragment is not a list of entries (`- name: …`), so it cannot be inserted automatically. Copy it by hand.",
                "Ce fragment n'est pas une liste d'entrées (`- name: …`) : il ne peut pas être inséré automatiquement. Copiez-le à la main.",
            ),
            Self::KeyMismatch { key, other } => Text::new(
                format!(
                    "The text says to add under `{key}`, but the fragment starts with `{other}:`. Copy it by hand where it belongs."
                ),
                format!(
                    "Le texte dit d'ajouter sous `{key}`, mais le fragment commence par `{other}:`. Copiez-le à la main au bon endroit."
                ),
            ),
            Self::NoObject { kind: Some(kind) } => Text::new(
                format!(
                    "This file has no {kind}. Check that it is the right file, or add the {kind} first."
                ),
                format!(
                    "Ce fichier ne contient pas de {kind}. Vérifiez que c'est le bon fichier, ou ajoutez d'abord le {kind}."
                ),
            ),
            Self::NoObject { kind: None } => Text::new(
                "This file has no object that runs pods (Deployment, Pod, Job…). Check that it is the right file.",
                "Ce fichier ne contient aucun objet qui lance des pods (Deployment, Pod, Job…). Vérifiez que c'est le bon fichier.",
            ),
            Self::NoPodSpec { kind } => Text::new(
                format!(
                    "The {kind} of this file has no pod template (`spec.template.spec`, or `spec` for a Pod) to add to. Complete it first."
                ),
                format!(
                    "Le {kind} de ce fichier n'a pas de modèle de pod (`spec.template.spec`, ou `spec` pour un Pod) où ajouter. Complétez-le d'abord."
                ),
            ),
            Self::NoContainer { kind } => Text::new(
                format!(
                    "The {kind} of this file has no container under `containers`. Add its container first."
                ),
                format!(
                    "Le {kind} de ce fichier n'a aucun conteneur sous `containers`. Ajoutez d'abord son conteneur."
                ),
            ),
            Self::ContainerNotFound { name, available } => {
                let list = available.join(", ");
                Text::new(
                    format!(
                        "No container is named `{name}` in this file (there are: {list}). Check its name under `containers`."
                    ),
                    format!(
                        "Aucun conteneur ne s'appelle `{name}` dans ce fichier (il y a : {list}). Vérifiez son nom sous `containers`."
                    ),
                )
            }
            Self::ExistingNotAList { key, line } => Text::new(
                format!(
                    "`{key}` (line {line}) is not a list, so entries cannot be added to it. Make it a list of `- …` entries, or copy the fragment by hand."
                ),
                format!(
                    "`{key}` (ligne {line}) n'est pas une liste : impossible d'y ajouter des entrées. Faites-en une liste d'entrées `- …`, ou copiez le fragment à la main."
                ),
            ),
            Self::Inline { key, line } => Text::new(
                format!(
                    "`{key}` (line {line}) is written on one line (`[…]` or `{{…}}`). Write it with one entry per line, or copy the fragment by hand."
                ),
                format!(
                    "`{key}` (ligne {line}) est écrit sur une seule ligne (`[…]` ou `{{…}}`). Écrivez-le avec une entrée par ligne, ou copiez le fragment à la main."
                ),
            ),
            Self::Unsafe => Text::new(
                "The fragment could not be inserted safely into this file's layout; the file was left as it was. Copy the fragment by hand.",
                "Le fragment n'a pas pu être inséré sans risque dans la mise en forme de ce fichier ; le fichier n'a pas été modifié. Copiez le fragment à la main.",
            ),
        }
    }
}
