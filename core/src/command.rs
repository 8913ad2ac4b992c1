//! The command lines of a worksheet: which `kubectl` commands kubefiche runs for the learner,
//! which it refuses (and why, in French and English), and which belong elsewhere (a shell, a
//! container) with what to do instead. Shared by the page (buttons, console, completion) and
//! the proxy (which parses every line again before anything runs).
//!
//! Nothing here ever reaches a shell: a line becomes an argument vector or nothing.

use crate::Text;

/// What a worksheet or console line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Nothing to run: a blank line or a comment.
    Nothing,
    /// A `kubectl` command kubefiche runs.
    Kubectl(Kubectl),
    /// A `kubectl` command kubefiche will not run, and why.
    Refused(Text),
    /// A line for somewhere else (an image build, a shell pipeline, input typed inside a
    /// container's shell): why it cannot run from the page, and what to do instead.
    Elsewhere { why: Text, instead: Option<String> },
}

/// An allowed kubectl command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kubectl {
    /// The words after `kubectl`, exactly as kubectl receives them (the proxy adds the
    /// kubeconfig, context and namespace flags itself).
    pub args: Vec<String>,
    /// The verb: `get`, `describe`, `logs`, `rollout`…
    pub verb: String,
    /// Runs until stopped: `--watch`, `-w`, `logs --follow`/`-f`.
    pub streaming: bool,
    /// Needs a terminal: `exec` with `-it` (or `-i -t`, `--stdin --tty`).
    pub terminal: bool,
    /// The workspace file named by `-f`/`--filename`, when there is one.
    pub file: Option<String>,
}

/// A `<…>` token of a line, to be replaced by the name of a live object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range of the token in the line, `<` and `>` included.
    pub start: usize,
    pub end: usize,
    /// The text between the brackets, e.g. `nom-du-pod`.
    pub name: String,
    /// The kind of object that fits (`Pod`, `Job`, `Deployment`…).
    pub kind: String,
    /// Labels the object should carry, from `-l` on this line or the lines around it.
    pub labels: Vec<(String, String)>,
}

/// Candidates for completing the word that ends at the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    /// Byte offset where the completed word starts.
    pub from: usize,
    pub options: Vec<String>,
}

/// Reads one line. (A first version: whitespace words, `kubectl` first; the allowlist,
/// quoting, refusals and the lines for elsewhere come next.)
pub fn parse(line: &str) -> Parsed {
    let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    match words.split_first() {
        None => Parsed::Nothing,
        Some((first, _)) if first.starts_with('#') => Parsed::Nothing,
        Some((first, rest)) if first == "kubectl" && !rest.is_empty() => {
            let verb = rest[0].clone();
            let streaming = rest.iter().any(|w| {
                w == "--watch" || w == "-w" || (verb == "logs" && (w == "-f" || w == "--follow"))
            });
            let terminal = verb == "exec" && rest.iter().any(|w| w == "-it" || w == "-ti");
            let file = rest
                .iter()
                .position(|w| w == "-f" && verb != "logs")
                .and_then(|i| rest.get(i + 1).cloned());
            Parsed::Kubectl(Kubectl {
                args: rest.to_vec(),
                verb,
                streaming,
                terminal,
                file,
            })
        }
        Some(_) => Parsed::Elsewhere {
            why: Text::new(
                "This line does not run from the page.",
                "Cette ligne ne s’exécute pas depuis la page.",
            ),
            instead: None,
        },
    }
}

/// The `<…>` tokens of a line, with the kind of object each stands for. `context` holds the
/// other lines of the same block or section, whose `-l key=value` narrow the candidates.
pub fn placeholders(line: &str, context: &[&str]) -> Vec<Placeholder> {
    let _ = context;
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = line[rest..].find('<').map(|i| i + rest) {
        let Some(close) = line[open..].find('>').map(|i| i + open) else {
            break;
        };
        found.push(Placeholder {
            start: open,
            end: close + 1,
            name: line[open + 1..close].to_owned(),
            kind: "Pod".to_owned(),
            labels: Vec::new(),
        });
        rest = close + 1;
    }
    found
}

/// Completion of the last word of `before_cursor`: verbs, kinds, flags, and the names of
/// live objects given as `(kind, name)`.
pub fn complete(before_cursor: &str, live: &[(String, String)]) -> Completion {
    let from = before_cursor.rfind(' ').map_or(0, |i| i + 1);
    let word = &before_cursor[from..];
    let options = live
        .iter()
        .map(|(_, name)| name.clone())
        .filter(|name| name.starts_with(word))
        .collect();
    Completion { from, options }
}

impl Kubectl {
    /// The command as the proxy's audit log records it: secret values replaced by `***`.
    pub fn audit(&self) -> String {
        self.args.join(" ")
    }
}
