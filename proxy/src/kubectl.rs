//! The kubectl program that runs the learner's commands, with the cluster, context and
//! namespace forced by the proxy. Always an argument vector, never a shell.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::config::{
    DEFAULT_COMMAND_OUTPUT_BYTES, DEFAULT_COMMAND_SECONDS, DEFAULT_MAX_COMMANDS,
    DEFAULT_STREAM_SECONDS,
};

/// The program name looked up on `PATH` when no `--kubectl` is set.
pub const DEFAULT_KUBECTL: &str = "kubectl";

/// The environment variables kubectl keeps from the proxy's own environment; every other one is
/// dropped (see [`Kubectl::command`]).
const KEPT_ENV: [&str; 2] = ["PATH", "HOME"];

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
    /// The user every command acts as (`--as`): a class's learner's ServiceAccount.
    pub impersonate: Option<String>,
    pub limits: Limits,
    /// Commands running now, shared by every clone.
    pub running: Arc<AtomicUsize>,
}

/// What one command may use, and how many may run at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Output (stdout and stderr together) beyond which kubectl is stopped.
    pub output_bytes: usize,
    /// How long a command that should end by itself may run.
    pub time: Duration,
    /// How long a streaming command (`--watch`, `logs --follow`) may run.
    pub stream_time: Duration,
    /// Commands running at the same time, for the whole proxy.
    pub concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            output_bytes: DEFAULT_COMMAND_OUTPUT_BYTES,
            time: Duration::from_secs(DEFAULT_COMMAND_SECONDS),
            stream_time: Duration::from_secs(DEFAULT_STREAM_SECONDS),
            concurrent: DEFAULT_MAX_COMMANDS,
        }
    }
}

impl Default for Kubectl {
    fn default() -> Self {
        Self {
            program: DEFAULT_KUBECTL.into(),
            kubeconfig: None,
            context: String::new(),
            namespace: String::new(),
            impersonate: None,
            limits: Limits::default(),
            running: Arc::default(),
        }
    }
}

/// One of the [`Limits::concurrent`] places; given back when dropped.
#[derive(Debug)]
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
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
        if let Some(user) = &self.impersonate {
            args.push(format!("--as={user}"));
        }
        args
    }

    /// A place for one more command, or `None` when [`Limits::concurrent`] run already.
    pub fn slot(&self) -> Option<Slot> {
        let max = self.limits.concurrent;
        self.running
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(self.running.clone()))
    }

    /// A process for `args` (the words after `kubectl`), forced flags first; stdin closed,
    /// stdout and stderr piped.
    ///
    /// The environment is emptied, then given back only what kubectl needs to find the cluster:
    /// `PATH` (credential plugins named by the kubeconfig, such as cloud login helpers, are
    /// looked up there), `HOME` (`~/.kube/config` and the discovery cache), and `KUBECONFIG` when
    /// the proxy was given no kubeconfig file (kubectl must read the same one as the proxy).
    /// Everything else could change what kubectl does behind the allowlist: an external diff
    /// program (`KUBECTL_EXTERNAL_DIFF`), an editor (`KUBE_EDITOR`, `EDITOR`), feature gates
    /// (`KUBECTL_*`), proxies. `KUBERC=off` turns off the user's kuberc file, whose aliases and
    /// default flags would change what a command means. Plugins (`kubectl-*` on `PATH`) only run
    /// for verbs kubectl does not know, which the allowlist never lets through.
    pub fn command(&self, args: &[String]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(self.forced_args())
            .args(args)
            .env_clear()
            .env("KUBERC", "off")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for name in KEPT_ENV {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        if self.kubeconfig.is_none()
            && let Some(value) = std::env::var_os("KUBECONFIG")
        {
            command.env("KUBECONFIG", value);
        }
        command
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_given_back() {
        let kubectl = Kubectl {
            limits: Limits {
                concurrent: 2,
                ..Limits::default()
            },
            ..Kubectl::default()
        };
        let a = kubectl.slot().expect("first");
        let b = kubectl.clone().slot().expect("second, from a clone");
        assert!(kubectl.slot().is_none());
        drop(a);
        assert!(kubectl.slot().is_some());
        drop(b);
    }

    #[test]
    fn forced_flags_come_before_the_line() {
        let kubectl = Kubectl {
            program: "kubefiche-cluster".into(),
            kubeconfig: Some("/k/config".into()),
            context: "c".into(),
            namespace: "n".into(),
            ..Kubectl::default()
        };
        let command = kubectl.command(&["get".into(), "pods".into()]);
        let args: Vec<_> = command
            .as_std()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "--kubeconfig=/k/config",
                "--context=c",
                "--namespace=n",
                "get",
                "pods"
            ]
        );
        let envs: Vec<_> = command
            .as_std()
            .get_envs()
            .filter_map(|(k, v)| v.map(|_| k.to_string_lossy().into_owned()))
            .collect();
        assert!(
            envs.iter()
                .all(|k| ["PATH", "HOME", "KUBERC"].contains(&k.as_str())),
            "{envs:?}"
        );
    }
}
