//! Property-style tests of the command parser: random lines never panic, and whatever it lets
//! run carries no refused flag, no file outside the workspace, and reads back the same.

use kubefiche_core::command::{Kubectl, Parsed, complete, parse, placeholders};

/// A small deterministic generator (xorshift64*), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const CHARS: &[&str] = &[
    "a", "k", "-", "--", "=", " ", " ", "\t", "'", "\"", "\\", "|", "||", "&", ";", ">", "<", "$",
    "`", "(", ")", "*", "?", "{", "}", ",", "..", "~", "#", "/", ".", "<nom>", "é", "√©", "\n",
    "\r", "0", "kubectl ", "get ", "-n", "-it", "—", "\u{0}", "🙂",
];

#[test]
fn random_strings_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let live = vec![("Pod".to_owned(), "web".to_owned())];
    for _ in 0..20_000 {
        let len = rng.below(24);
        let line: String = (0..len).map(|_| rng.pick(CHARS)).collect();
        let parsed = parse(&line);
        if let Parsed::Kubectl(k) = &parsed {
            let _ = k.audit();
            let _ = k.line();
        }
        let _ = placeholders(&line, &[&line, "kubectl get pods -l app=x"]);
        for (at, _) in line.char_indices() {
            let _ = complete(&line[..at], &live);
        }
        let _ = complete(&line, &live);
    }
}

const WORDS: &[&str] = &[
    "get",
    "describe",
    "logs",
    "exec",
    "create",
    "secret",
    "generic",
    "configmap",
    "job",
    "scale",
    "delete",
    "rollout",
    "status",
    "restart",
    "undo",
    "history",
    "apply",
    "explain",
    "set",
    "env",
    "top",
    "pod",
    "node",
    "label",
    "annotate",
    "events",
    "wait",
    "pods",
    "po",
    "deploy",
    "deployment/web",
    "deploy/web",
    "nodes",
    "no",
    "ns",
    "pv",
    "sc",
    "job/j",
    "cronjob/c",
    "svc",
    "all",
    "rs",
    "web",
    "<nom-du-pod>",
    "app=web",
    "app-",
    "KEY=v",
    "-",
    "--",
    "-l",
    "-lapp=web",
    "--selector",
    "app=web",
    "-o",
    "-oyaml",
    "-o=json",
    "--output",
    "wide",
    "jsonpath={.x}",
    "jsonpath-file=/x",
    "-w",
    "--watch",
    "--watch=false",
    "-f",
    "--follow",
    "--filename",
    "k8s/a.yaml",
    "./k8s/b.yml",
    "/etc/passwd",
    "../x.yaml",
    "http://x/a.yaml",
    "k8s/",
    "a.yaml,b.yaml",
    "-i",
    "-t",
    "-it",
    "-ti",
    "--stdin",
    "--tty",
    "-c",
    "app",
    "--",
    "sh",
    "-n",
    "-nkube-system",
    "--namespace=x",
    "-A",
    "--all-namespaces",
    "-wA",
    "-itn",
    "--kubeconfig=/k",
    "--context",
    "prod",
    "--cluster=x",
    "-s",
    "--server=https://x",
    "--token=t",
    "--user=u",
    "--as=admin",
    "--as-group=g",
    "--as-uid=0",
    "--raw",
    "/api",
    "--insecure-skip-tls-verify",
    "--certificate-authority=/ca",
    "--client-key=/k",
    "-R",
    "-k",
    "--recursive",
    "--kustomize=x",
    "--from-file=/etc/shadow",
    "--from-literal=a=b",
    "--from-literal",
    "--from=cronjob/c",
    "--replicas=2",
    "--replicas",
    "3",
    "--all",
    "--list",
    "--resolve",
    "-e",
    "--tail",
    "-1",
    "--since=5m",
    "-p",
    "--prune",
    "--dry-run",
    "--dry-run=server",
    "-h",
    "'a b'",
    "\"x y\"",
    "-v=9",
    "--grace-period=0",
    "--to-revision=1",
];

/// Flags that must never reach kubectl, by long name.
const FORBIDDEN: &[&str] = &[
    "namespace",
    "all-namespaces",
    "kubeconfig",
    "context",
    "cluster",
    "server",
    "token",
    "user",
    "username",
    "password",
    "as",
    "as-group",
    "as-uid",
    "as-user-extra",
    "raw",
    "insecure-skip-tls-verify",
    "insecure-skip-tls-verify-backend",
    "certificate-authority",
    "kustomize",
    "from-file",
    "from-env-file",
    "prune",
    "kuberc",
    "interactive",
];

/// Checks a command kubefiche lets run, independently of how the parser decided.
fn check(k: &Kubectl, line: &str) {
    let end = k
        .args
        .iter()
        .position(|a| a == "--")
        .unwrap_or(k.args.len());
    for arg in &k.args[..end] {
        if let Some(long) = arg.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            assert!(!FORBIDDEN.contains(&name), "{line}: {arg}");
            assert!(!name.starts_with("client-"), "{line}: {arg}");
            assert!(name != "recursive" || k.verb == "explain", "{line}: {arg}");
        } else if arg.len() > 1 && arg.starts_with('-') {
            for c in arg[1..].chars() {
                if c.is_ascii_digit() || c == '=' {
                    break;
                }
                assert!(!"nAsk".contains(c), "{line}: {arg}");
                assert!(c != 'R' || k.verb == "explain", "{line}: {arg}");
                assert!(c != 'i' || k.verb == "exec", "{line}: {arg}");
                if "loLcfe".contains(c) {
                    break; // a flag whose value follows
                }
            }
        }
        if k.args.starts_with(&["set".to_owned(), "env".to_owned()]) {
            assert!(arg != "-", "{line}: stdin");
        }
    }
    if let Some(file) = &k.file {
        assert!(
            !file.starts_with('/') && !file.contains("..") && !file.contains("://"),
            "{line}: {file}"
        );
        assert!(
            file.ends_with(".yaml") || file.ends_with(".yml"),
            "{line}: {file}"
        );
    }
    assert!(k.terminal <= (k.verb == "exec"), "{line}");
    // The kind right after a writing verb, and every `KIND/NAME`, is a kind it may change.
    let write = ["delete", "scale", "label", "annotate", "set"].contains(&k.verb.as_str());
    let listing = k.args.iter().any(|a| a == "--list");
    if write && !listing {
        let kinds = k.args[..end]
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                (*i == 1 && !a.starts_with('-')) || (a.contains('/') && !a.starts_with('-'))
            })
            .flat_map(|(_, a)| a.split('/').next().unwrap_or(a).split(','));
        for kind in kinds {
            let banned = ["nodes", "no", "ns", "pv", "sc", "all", "rs"];
            assert!(!banned.contains(&kind), "{line}: {kind}");
        }
    }
    let audit = k.audit();
    if k.args.iter().take(2).eq(["create", "secret"].iter()) {
        assert!(!audit.contains("a=b"), "{line}: {audit}");
    }
    assert_eq!(
        parse(&k.line()),
        Parsed::Kubectl(k.clone()),
        "{line}: reads back"
    );
}

#[test]
fn whatever_runs_carries_no_refused_flag_and_reads_back_the_same() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    let mut ran = 0;
    let mut refused = 0;
    for _ in 0..60_000 {
        let len = 1 + rng.below(6);
        let words: Vec<&str> = (0..len).map(|_| rng.pick(WORDS)).collect();
        let line = format!("kubectl {}", words.join(" "));
        match parse(&line) {
            Parsed::Kubectl(k) => {
                check(&k, &line);
                ran += 1;
            }
            Parsed::Refused(why) => {
                assert!(!why.en.is_empty() && !why.fr.is_empty(), "{line}");
                refused += 1;
            }
            other => panic!("{line}: a kubectl line is run or refused, got {other:?}"),
        }
    }
    assert!(ran > 1_000, "only {ran} of the random lines ran");
    assert!(refused > 10_000, "only {refused} were refused");
}
