//! The command lines of a worksheet: which `kubectl` commands kubefiche runs for the learner,
//! which it refuses (and why, in French and English), and which belong elsewhere (a shell, a
//! container) with what to do instead. Shared by the page (buttons, console, completion) and
//! the proxy (which parses every line again before anything runs).
//!
//! Nothing here ever reaches a shell: a line becomes an argument vector or nothing.
//!
//! Choices made here:
//! - Words are split as a POSIX shell would, but any shell syntax left unquoted (pipes, lists,
//!   redirections, `$`, backquotes, globs, brace expansion, `~`, `NAME=value` before the
//!   program, a final `\`, an unclosed quote) means the line is not one command. Only a pipe
//!   after an allowed kubectl command is answered with that command alone.
//! - Flags are read as kubectl's flag parser reads them (`-lapp=x`, `-oyaml`, `-o=yaml`,
//!   `--output yaml`, grouped `-it`), against the command's own allowlist: an unknown flag is
//!   refused, naming the flags offered. A flag's value that looks like a flag (`-l -n`) is
//!   refused, so every word starting with `-` that reaches kubectl is a checked flag.
//! - `run`, `patch`, `replace` and `edit` are refused: they create or change objects without
//!   the workspace's validation; the worksheet's way is a manifest applied from the workspace.
//! - Writes (`delete`, `scale`, `label`, `annotate`, `create`, `set env`, `rollout
//!   restart|undo`) act only on the namespaced kinds the playground applies; reads take any kind.
//! - `exec` with only one of `-i` and `-t` is refused with the two ways that work (`-it` for
//!   a terminal, neither for a one-off command): half an interactive session cannot be given.
//! - `rollout status` (which waits by default) and `wait` are `streaming`: they end by
//!   themselves but may take long, so they get the streaming channel with its Stop button.

use crate::Text;

mod args;
mod audit;
mod check;
mod complete;
mod elsewhere;
mod placeholder;
pub mod policy;
mod roles;
mod targets;
pub mod verbs;
pub mod words;

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

/// Reads one line: a blank line or a comment is `Nothing`; a `kubectl` line is split into
/// words as a POSIX shell would (quotes, backslashes), without any shell syntax, then checked
/// against the allowlist; any other line says where it belongs.
pub fn parse(line: &str) -> Parsed {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Parsed::Nothing;
    }
    let split = words::split(line);
    if !is_kubectl_line(trimmed, &split) {
        if let Some(input) = elsewhere::psql_input(trimmed) {
            return input;
        }
        if split.words.is_empty() && split.stop.is_none() {
            return Parsed::Nothing;
        }
        return elsewhere::classify(line, &split);
    }
    match split.stop {
        Some((words::Syntax::Pipe, at)) => elsewhere::pipeline(line, at),
        Some((syntax, _)) => Parsed::Refused(policy::shell(syntax)),
        None => {
            let args: Vec<String> = split.words[1..].iter().map(|w| w.text.clone()).collect();
            match check::kubectl(&args) {
                Ok(kubectl) => Parsed::Kubectl(kubectl),
                Err(why) => Parsed::Refused(why),
            }
        }
    }
}

/// The program of the line is `kubectl`, possibly after `NAME=value` (which is refused).
fn is_kubectl_line(trimmed: &str, split: &words::Split) -> bool {
    match (split.words.first(), split.stop) {
        (Some(first), _) => first.text == "kubectl",
        (None, Some((words::Syntax::Assignment, _))) => {
            trimmed.split_whitespace().any(|w| w == "kubectl")
        }
        (None, _) => false,
    }
}

/// The `<…>` tokens of a line, with the kind of object each stands for. `context` holds the
/// lines of the same block or section, in order (the line itself may be among them): when the
/// line has no `-l key=value`, the nearest context line that has one gives the labels (the
/// lines before it first, nearest first, then the lines after); failing that, a placeholder
/// whose name ends with a word that is not a generic one (`<nom-du-pod-postgres>`) gives
/// `app=postgres`.
pub fn placeholders(line: &str, context: &[&str]) -> Vec<Placeholder> {
    placeholder::find(line, context)
}

/// Completion of the last word of `before_cursor`: verbs, sub-verbs, kinds, the command's
/// flags and their values, and the names of live objects given as `(kind, name)` (`kind` as
/// in the kinds table, e.g. `Pod`; entries of kind `File` are workspace paths, offered after
/// `-f`). Options are sorted, without duplicates.
pub fn complete(before_cursor: &str, live: &[(String, String)]) -> Completion {
    complete::complete(before_cursor, live)
}

impl Kubectl {
    /// The command as the proxy's audit log records it, quoted as a shell would read it:
    /// the values of `--from-literal` on secrets and of `set env` variables are replaced by
    /// `***`, and so are passwords in the command of `exec`.
    pub fn audit(&self) -> String {
        audit::line(&self.args)
    }

    /// The command as a line to type: `kubectl` and its words, quoted where needed.
    pub fn line(&self) -> String {
        format!("kubectl {}", words::join(&self.args))
    }

    /// The first `<…>` placeholder still in the words, e.g. `nom-du-pod`: the command cannot
    /// run before it is replaced by a name.
    pub fn placeholder(&self) -> Option<String> {
        self.args.iter().find_map(|arg| {
            let open = arg.find('<')?;
            let len = words::placeholder_len(&arg[open..])?;
            Some(arg[open + 1..open + len - 1].to_owned())
        })
    }
}
