//! Timing of `validate_workspace` (prints numbers; no timed assertions). Run with
//! `cargo bench -p kubefiche-core --bench validate`.
//!
//! Each call is timed on its own and the percentiles are read from all of them, because a
//! keystroke waits for one call and the tail (p95) is what a learner feels. criterion times
//! batches of calls and reports their mean; divan reports fastest, slowest, median and mean: neither
//! gives a p95, and neither would run the kubeconform comparison (whole processes). So this file
//! keeps its own timer, a few lines, on purpose.

#[path = "../tests/support/files.rs"]
mod files;
#[path = "compare/kubeconform.rs"]
mod kubeconform;

use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::{Options, validate_workspace};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn time(files: &[SourceFile], runs: usize) -> Vec<Duration> {
    let opts = Options {
        now_unix: Some(1_767_225_600),
        ..Options::default()
    };
    for _ in 0..runs / 10 {
        black_box(validate_workspace(black_box(files), &opts));
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(validate_workspace(black_box(files), &opts));
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn main() {
    let fiche = files::fiche3();
    let bytes: usize = fiche.iter().map(|f| f.text.len()).sum();
    let t = time(&fiche, 2000);
    println!(
        "fiche-3 workspace ({} files, {bytes} bytes): p50 {:?}, p95 {:?}, max {:?} over {} runs",
        fiche.len(),
        percentile(&t, 0.5),
        percentile(&t, 0.95),
        t[t.len() - 1],
        t.len()
    );
    let mut parse: Vec<Duration> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            for f in &fiche {
                black_box(kubefiche_core::manifest::parse_file(black_box(f)));
            }
            t.elapsed()
        })
        .collect();
    parse.sort();
    println!(
        "  of which YAML parsing alone: p50 {:?}, p95 {:?}",
        percentile(&parse, 0.5),
        percentile(&parse, 0.95)
    );
    let no_cron = Options::default();
    let mut plain: Vec<Duration> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            black_box(validate_workspace(black_box(&fiche), &no_cron));
            t.elapsed()
        })
        .collect();
    plain.sort();
    println!(
        "  without the CronJob's next runs: p50 {:?}, p95 {:?}",
        percentile(&plain, 0.5),
        percentile(&plain, 0.95)
    );
    let corpus = files::corpus();
    let cbytes: usize = corpus.iter().map(|f| f.text.len()).sum();
    let opts = Options::default();
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_secs(2) {
        for f in &corpus {
            black_box(validate_workspace(std::slice::from_ref(f), &opts));
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let docs = f64::from(rounds) * corpus.len() as f64;
    println!(
        "corpus ({} files, {cbytes} bytes), one file at a time: {:.0} files/s, {:.1} MB/s",
        corpus.len(),
        docs / secs,
        f64::from(rounds) * cbytes as f64 / secs / 1e6
    );
    references_at_scale();
    kubeconform::run(&corpus, docs / secs);
}

/// A ConfigMap of 32,000 keys and a Pod that refers to 8,000 of them (two files under the size
/// limit): each reference is looked up, never a copy of the keys, so this stays linear.
fn references_at_scale() {
    let (keys, refs) = (32_000, 8_000);
    let mut config =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    for i in 0..keys {
        config.push_str(&format!("  k{i}: v\n"));
    }
    let mut pod = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    env:\n",
    );
    for i in 0..refs {
        pod.push_str(&format!(
            "    - name: E{i}\n      valueFrom:\n        configMapKeyRef:\n          name: big\n          key: k{}\n",
            i * 3
        ));
    }
    let files = [
        SourceFile {
            path: "k8s/big.yaml".into(),
            text: config,
        },
        SourceFile {
            path: "k8s/pod.yaml".into(),
            text: pod,
        },
    ];
    let t = Instant::now();
    black_box(validate_workspace(black_box(&files), &Options::default()));
    println!(
        "a ConfigMap of {keys} keys and {refs} references to them ({} KiB): {:?}",
        files.iter().map(|f| f.text.len()).sum::<usize>() / 1024,
        t.elapsed()
    );
}
