//! The kubectl program that runs the learner's commands, with the cluster, context and
//! namespace forced by the proxy. Always an argument vector, never a shell.

use std::path::PathBuf;

/// The program name looked up on `PATH` when no `--kubectl` is set.
pub const DEFAULT_KUBECTL: &str = "kubectl";

/// How to start kubectl for this proxy's cluster and namespace.
#[derive(Debug, Clone)]
pub struct Kubectl {
    /// The program (`--kubectl`, else `kubectl` on `PATH`).
    pub program: PathBuf,
    /// The kubeconfig file the proxy itself uses, when one was named (else kubectl reads the
    /// same `KUBECONFIG` or `~/.kube/config` the proxy read).
    pub kubeconfig: Option<PathBuf>,
    pub context: String,
    pub namespace: String,
}

impl Kubectl {
    /// The flags the proxy forces in front of every command: the learner's own line can never
    /// name another kubeconfig, context or namespace (the command parser refuses those flags).
    pub fn forced_args(&self) -> Vec<String> {
        let mut args = Vec::with_capacity(3);
        if let Some(path) = &self.kubeconfig {
            args.push(format!("--kubeconfig={}", path.display()));
        }
        args.push(format!("--context={}", self.context));
        args.push(format!("--namespace={}", self.namespace));
        args
    }

    /// A process for `args` (the words after `kubectl`), forced flags first.
    pub fn command(&self, args: &[String]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(self.forced_args())
            .args(args)
            .kill_on_drop(true);
        command
    }
}
