//! The validator never panics: the Fiche 3 manifests mutated at random (seeded, reproducible),
//! plus random bytes. Prints the number of executions.

use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{Options, validate_workspace};
use std::time::{Duration, Instant};

#[path = "support/files.rs"]
mod files;

/// xorshift64*: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SNIPPETS: &[&str] = &[
    ":",
    "- ",
    "&a ",
    "*a",
    "<<: *a",
    "---",
    "? ",
    "!!str ",
    "!!int ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "|",
    ">",
    "#",
    "%YAML 1.1",
    "\t",
    "\n",
    "  ",
    "yes",
    "on",
    "~",
    "0x1F",
    "1e400",
    "-.inf",
    "9223372036854775808",
    "é",
    "\u{feff}",
    "\r\n",
    ": :",
    "- - -",
    "apiVersion: v1",
    "kind: Secret",
    "data:\n  k: ==",
    "ports: [{port: 0}]",
    "schedule: \"@every 1h\"",
    "image: \"\"",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..=rng.below(2) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let i = rng.below(lines.len());
        match rng.below(8) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                let pad = [" ", "  ", "\t", ""][rng.below(4)];
                lines[i] = if rng.below(2) == 0 {
                    format!("{pad}{}", lines[i])
                } else {
                    lines[i].trim_start_matches(' ').to_owned()
                };
            }
            5 => {
                // Keeps the YAML valid: swap the value of a `key: value` line.
                const VALUES: &[&str] = &[
                    "0",
                    "-1",
                    "70000",
                    "yes",
                    "\"\"",
                    "null",
                    "[]",
                    "{}",
                    "1.5",
                    "Always",
                    "x y",
                    "a/b",
                    "*/0 * * * *",
                    "1Gi",
                    "abc==",
                    "http",
                ];
                if let Some((k, _)) = lines[i].split_once(": ") {
                    lines[i] = format!("{k}: {}", VALUES[rng.below(VALUES.len())]);
                }
            }
            4 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                let chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                lines[i] = chars[..at].iter().collect::<String>()
                    + s
                    + &chars[at..].iter().collect::<String>();
            }
            6 => {
                let chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                lines[i] = chars[..at].iter().collect();
            }
            _ => {
                let n = rng.below(6) + 1;
                let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
                lines[i].push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    lines.join("\n")
}

#[test]
fn validator_never_panics() {
    let base = files::fiche3();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let budget = Duration::from_millis(
        std::env::var("KUBEFICHE_FUZZ_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(4000),
    );
    let start = Instant::now();
    let mut runs = 0u64;
    let mut with_errors = 0u64;
    while start.elapsed() < budget {
        let files: Vec<SourceFile> = if rng.below(10) == 0 {
            let n = rng.below(400);
            let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
            vec![SourceFile {
                path: "random.yaml".into(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }]
        } else {
            {
                let target = rng.below(base.len());
                base.iter()
                    .enumerate()
                    .map(|(i, f)| {
                        if i == target {
                            SourceFile {
                                path: f.path.clone(),
                                text: mutate(&mut rng, &f.text),
                            }
                        } else {
                            f.clone()
                        }
                    })
                    .collect()
            }
        };
        let result = std::panic::catch_unwind(|| {
            validate_workspace(
                &files,
                &Options {
                    now_unix: Some(1_767_225_600),
                    ..Options::default()
                },
            )
        });
        match result {
            Ok(diags) => {
                for d in &diags {
                    let text = &files.iter().find(|f| f.path == d.file).expect("file").text;
                    let breaks =
                        text.matches('\n').count() + text.replace("\r\n", "").matches('\r').count();
                    let lines = u32::try_from(breaks).unwrap_or(u32::MAX) + 2;
                    assert!(
                        d.span.line >= 1 && d.span.line <= lines,
                        "span out of file: {d:?}\n{text}"
                    );
                    assert!(!d.message.en.is_empty() && !d.message.fr.is_empty());
                }
                if diags
                    .iter()
                    .any(|d| d.severity == kubefiche_core::Severity::Error)
                {
                    with_errors += 1;
                }
            }
            Err(_) => {
                for f in &files {
                    eprintln!("--- {}\n{}", f.path, f.text);
                }
                panic!("the validator panicked after {runs} runs on the files above");
            }
        }
        runs += 1;
    }
    println!(
        "fuzz: {runs} executions in {:?} ({with_errors} with errors), no panic",
        start.elapsed()
    );
    assert!(runs > 100);
}
