//! Why a terminal session did not start: sent to the page as `TerminalEvent::Refused` before
//! anything runs, in the one error shape of the proxy.

use std::path::PathBuf;

use kubefiche_core::Text;
use kubefiche_core::wire::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The first message was not a `TerminalHello` (or not text, or not in time).
    #[error("the first message was not a terminal hello: {0}")]
    BadHello(String),
    /// The hello carried a missing or wrong launch token.
    #[error("missing or wrong access token")]
    BadToken,
    /// The command parser refused the line, or the line is not a kubectl command.
    #[error("command refused: {}", .0.en)]
    Command(Text),
    /// A kubectl command that does not need a terminal (it runs from its Run button).
    #[error("not an interactive exec: {0}")]
    NotATerminal(String),
    /// Every terminal slot of the proxy is taken.
    #[error("already {0} terminals open")]
    TooMany(usize),
    /// The kubectl program could not be started.
    #[error("cannot start {program:?}: {source}")]
    KubectlMissing {
        program: PathBuf,
        source: std::io::Error,
    },
    /// The system gave no pseudo-terminal.
    #[error("no pseudo-terminal: {0}")]
    NoPty(String),
}

impl Refusal {
    /// The identifier and the message for the page.
    pub fn body(&self) -> ErrorBody {
        let (code, message) = match self {
            Self::BadHello(why) => (
                "bad-hello",
                Text::new(
                    format!(
                        "The terminal did not start: the page's first message was not understood ({why}). Reload the page and try again."
                    ),
                    format!(
                        "Le terminal n'a pas démarré : le premier message de la page n'a pas été compris ({why}). Rechargez la page et réessayez."
                    ),
                ),
            ),
            Self::BadToken => (
                "bad-token",
                Text::new(
                    "This page has no valid access token. Open the address kubefiche printed in its terminal (it ends with #token=…).",
                    "Cette page n'a pas de jeton d'accès valide. Ouvrez l'adresse affichée par kubefiche dans son terminal (elle se termine par #token=…).",
                ),
            ),
            Self::Command(why) => ("command-refused", why.clone()),
            Self::NotATerminal(verb) => (
                "not-a-terminal",
                Text::new(
                    format!(
                        "A terminal is only for an interactive `kubectl exec -it …`; this `kubectl {verb}` line runs with its Run button or in the console."
                    ),
                    format!(
                        "Un terminal ne sert qu'à un `kubectl exec -it …` interactif ; cette ligne `kubectl {verb}` se lance avec son bouton Exécuter ou dans la console."
                    ),
                ),
            ),
            Self::TooMany(limit) => (
                "too-many-terminals",
                Text::new(
                    format!(
                        "{limit} terminals are already open, the most kubefiche allows. Close one (its Close terminal button, or exit its shell) and try again."
                    ),
                    format!(
                        "{limit} terminaux sont déjà ouverts, le maximum permis par kubefiche. Fermez-en un (son bouton Fermer le terminal, ou quittez son shell) et réessayez."
                    ),
                ),
            ),
            Self::KubectlMissing { program, source } => (
                "kubectl-missing",
                Text::new(
                    format!(
                        "kubefiche could not start kubectl ({}: {source}). Install kubectl (https://kubernetes.io/docs/tasks/tools/) or name it with --kubectl, then restart kubefiche.",
                        program.display()
                    ),
                    format!(
                        "kubefiche n'a pas pu lancer kubectl ({} : {source}). Installez kubectl (https://kubernetes.io/docs/tasks/tools/) ou indiquez-le avec --kubectl, puis relancez kubefiche.",
                        program.display()
                    ),
                ),
            ),
            Self::NoPty(why) => (
                "no-terminal",
                Text::new(
                    format!(
                        "The system gave kubefiche no pseudo-terminal ({why}). Close other terminals or restart kubefiche."
                    ),
                    format!(
                        "Le système n'a pas donné de pseudo-terminal à kubefiche ({why}). Fermez d'autres terminaux ou relancez kubefiche."
                    ),
                ),
            ),
        };
        ErrorBody {
            error: code.to_owned(),
            message,
        }
    }
}
