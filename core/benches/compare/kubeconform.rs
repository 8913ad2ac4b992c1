//! Our validator next to kubeconform on the agreement corpus: throughput and what each catches,
//! against the API server's verdicts when `cargo xtask bench` recorded them.
//!
//! Inputs (environment, set by `cargo xtask bench`): `KUBECONFORM_BIN`, `KUBECONFORM_SCHEMAS` (the
//! folder written by `cargo run -p kubefiche-core --example kubeconform_schemas`), and optionally
//! `KUBEFICHE_SERVER_VERDICTS` (lines `file<TAB>ok` or `file<TAB>rejected<TAB>message`).

use kubefiche_core::Severity;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{Options, validate_workspace};
use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How many times each kubeconform measurement is repeated (the median is kept).
const RUNS: usize = 5;
/// The corpus is also copied this many times, to tell kubeconform's start-up from its per-file cost.
const COPIES: usize = 20;

struct Kubeconform {
    bin: PathBuf,
    location: String,
}

impl Kubeconform {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(["-strict", "-summary", "-schema-location", &self.location]);
        c
    }

    /// Median wall time of `RUNS` runs over `dir` (output discarded).
    fn time(&self, dir: &Path, extra: &[&str]) -> Duration {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let _ = self
                    .command()
                    .args(extra)
                    .arg(dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                t.elapsed()
            })
            .collect();
        times.sort();
        times[times.len() / 2]
    }

    /// The corpus files kubeconform rejects (invalid, or an error such as unreadable YAML or an
    /// unknown kind), with its first message.
    fn rejects(&self, dir: &Path) -> BTreeMap<String, String> {
        let out = self
            .command()
            .args(["-output", "json"])
            .arg(dir)
            .stderr(Stdio::null())
            .output()
            .expect("running kubeconform");
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("kubeconform's JSON report");
        let mut rejects = BTreeMap::new();
        for r in report["resources"].as_array().into_iter().flatten() {
            let status = r["status"].as_str().unwrap_or_default();
            if status == "statusInvalid" || status == "statusError" {
                let file = r["filename"].as_str().unwrap_or_default();
                let name = Path::new(file)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let msg = r["msg"].as_str().unwrap_or_default().replace('\n', " ");
                // Keep the finding, not the preamble naming the schema file.
                let msg = msg
                    .find(" - at '")
                    .map_or(msg.as_str(), |i| &msg[i + 3..])
                    .to_owned();
                rejects.entry(name).or_insert(msg);
            }
        }
        rejects
    }
}

fn per_sec(count: usize, time: Duration) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let count = count as f64;
    count / time.as_secs_f64()
}

/// `(rejected by the API server?)` per file, when recorded.
fn server_verdicts() -> Option<BTreeMap<String, bool>> {
    let path = std::env::var_os("KUBEFICHE_SERVER_VERDICTS")?;
    let text = std::fs::read_to_string(path).ok()?;
    let verdicts: BTreeMap<String, bool> = text
        .lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_owned(), cols.next()? == "rejected"))
        })
        .collect();
    (!verdicts.is_empty()).then_some(verdicts)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n).collect::<String>() + "…"
    } else {
        s.to_owned()
    }
}

/// Runs the comparison when kubeconform is at hand; says how to get it otherwise.
pub fn run(corpus: &[SourceFile], ours_steady: f64) {
    let (Some(bin), Some(schemas)) = (
        std::env::var_os("KUBECONFORM_BIN"),
        std::env::var_os("KUBECONFORM_SCHEMAS"),
    ) else {
        println!(
            "\n(kubeconform comparison skipped: run `cargo xtask bench`, which sets KUBECONFORM_BIN and KUBECONFORM_SCHEMAS)"
        );
        return;
    };
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus"));
    let kc = Kubeconform {
        bin: PathBuf::from(bin),
        location: format!(
            "{}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json",
            PathBuf::from(schemas).display()
        ),
    };
    let n = corpus.len();
    let bytes: usize = corpus.iter().map(|f| f.text.len()).sum();

    // Ours, as a learner's first validation: read the files from disk and validate each once.
    let t = Instant::now();
    for f in corpus {
        let text = std::fs::read_to_string(dir.join(&f.path)).unwrap_or_default();
        let file = SourceFile {
            path: f.path.clone(),
            text,
        };
        black_box(validate_workspace(
            std::slice::from_ref(&file),
            &Options::default(),
        ));
    }
    let ours_cold = t.elapsed();

    let kc_once = kc.time(&dir, &[]);
    let kc_one_worker = kc.time(&dir, &["-n", "1"]);
    let copies =
        std::env::temp_dir().join(format!("kubefiche-bench-corpus-{}", std::process::id()));
    for i in 0..COPIES {
        let sub = copies.join(format!("copy{i}"));
        std::fs::create_dir_all(&sub).expect("a temporary folder");
        for f in corpus {
            std::fs::copy(dir.join(&f.path), sub.join(&f.path)).expect("copying the corpus");
        }
    }
    let kc_many = kc.time(&copies, &[]);
    let _ = std::fs::remove_dir_all(&copies);
    let marginal = kc_many.saturating_sub(kc_once);
    let kc_marginal = if marginal.is_zero() {
        f64::INFINITY
    } else {
        per_sec(n * (COPIES - 1), marginal)
    };

    println!(
        "\n== native throughput on the corpus ({n} files, {bytes} bytes; one CPU core for ours) =="
    );
    println!(
        "  ours, steady state (in process, one file at a time):   {ours_steady:>10.0} files/s"
    );
    println!(
        "  ours, first pass incl. reading the files:               {:>10.0} files/s ({:.1} ms for the corpus)",
        per_sec(n, ours_cold),
        ours_cold.as_secs_f64() * 1e3
    );
    println!(
        "  kubeconform -strict, whole corpus (median of {RUNS} runs):  {:>10.0} files/s ({:.0} ms wall, 4 workers, incl. start-up and schema loading)",
        per_sec(n, kc_once),
        kc_once.as_secs_f64() * 1e3
    );
    println!(
        "  kubeconform -strict -n 1, whole corpus:                 {:>10.0} files/s ({:.0} ms wall)",
        per_sec(n, kc_one_worker),
        kc_one_worker.as_secs_f64() * 1e3
    );
    println!(
        "  kubeconform per-file cost (corpus ×{COPIES} minus ×1):      {kc_marginal:>10.0} files/s ({:.0} ms for {} files)",
        kc_many.as_secs_f64() * 1e3,
        n * COPIES
    );
    println!(
        "  speed ratio: {:.0}× end to end (ours first pass vs one kubeconform run), {:.1}× steady state (ours vs kubeconform's per-file cost)",
        per_sec(n, ours_cold) / per_sec(n, kc_once),
        ours_steady / kc_marginal
    );

    catches(corpus, &kc.rejects(&dir));
}

fn catches(corpus: &[SourceFile], kc_rejects: &BTreeMap<String, String>) {
    let ours: BTreeMap<&str, Vec<String>> = corpus
        .iter()
        .map(|f| {
            let errors = validate_workspace(std::slice::from_ref(f), &Options::default())
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.code.to_string())
                .collect();
            (f.path.as_str(), errors)
        })
        .collect();
    let ours_rejects: BTreeSet<&str> = ours
        .iter()
        .filter(|(_, e)| !e.is_empty())
        .map(|(f, _)| *f)
        .collect();
    println!("\n== what each catches ==");
    let Some(server) = server_verdicts() else {
        println!(
            "  (no API server verdicts recorded) ours reject {} files, kubeconform {}",
            ours_rejects.len(),
            kc_rejects.len()
        );
        return;
    };
    let invalid: Vec<&str> = corpus
        .iter()
        .map(|f| f.path.as_str())
        .filter(|f| server.get(*f) == Some(&true))
        .collect();
    let valid: Vec<&str> = corpus
        .iter()
        .map(|f| f.path.as_str())
        .filter(|f| server.get(*f) == Some(&false))
        .collect();
    let ours_caught = invalid
        .iter()
        .filter(|f| ours_rejects.contains(**f))
        .count();
    let kc_caught = invalid
        .iter()
        .filter(|f| kc_rejects.contains_key(**f))
        .count();
    let both = invalid
        .iter()
        .filter(|f| ours_rejects.contains(**f) && kc_rejects.contains_key(**f))
        .count();
    #[allow(clippy::cast_precision_loss)]
    let pct = |k: usize| {
        if invalid.is_empty() {
            100.0
        } else {
            k as f64 * 100.0 / invalid.len() as f64
        }
    };
    println!(
        "  the API server (dry-run create, fieldValidation=Strict) rejects {} of {} files, accepts {}",
        invalid.len(),
        corpus.len(),
        valid.len()
    );
    println!(
        "  caught of the {} rejected: ours {ours_caught} ({:.1}%), kubeconform {kc_caught} ({:.1}%); both {both}",
        invalid.len(),
        pct(ours_caught),
        pct(kc_caught)
    );
    let ours_false = valid.iter().filter(|f| ours_rejects.contains(**f)).count();
    let kc_false = valid
        .iter()
        .filter(|f| kc_rejects.contains_key(**f))
        .count();
    println!(
        "  false alarms on the {} accepted files: ours {ours_false}, kubeconform {kc_false}",
        valid.len()
    );
    let only_kc: Vec<&&str> = invalid
        .iter()
        .filter(|f| kc_rejects.contains_key(**f) && !ours_rejects.contains(**f))
        .collect();
    let neither: Vec<&&str> = invalid
        .iter()
        .filter(|f| !kc_rejects.contains_key(**f) && !ours_rejects.contains(**f))
        .collect();
    println!(
        "  caught only by ours: {}; only by kubeconform: {}; by neither: {}",
        ours_caught - both,
        only_kc.len(),
        neither.len()
    );
    for f in only_kc {
        println!("    only kubeconform: {f}: {}", clip(&kc_rejects[*f], 110));
    }
    for f in neither {
        println!("    neither: {f}");
    }
    for f in valid.iter().filter(|f| kc_rejects.contains_key(**f)) {
        println!(
            "    kubeconform false alarm: {f}: {}",
            clip(&kc_rejects[*f], 110)
        );
    }
    for f in valid.iter().filter(|f| ours_rejects.contains(**f)) {
        println!("    our false alarm: {f}: {}", ours[*f].join(" "));
    }
}
