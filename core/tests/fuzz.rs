//! The quick tier of fuzzing, in plain `cargo test`: the Fiche 3 manifests mutated at random
//! (seeded, reproducible), plus random bytes, for a few seconds (`KUBEFICHE_FUZZ_MS`, default
//! 4000), checked for the properties the libFuzzer targets of `core/fuzz` check; and deeply
//! nested texts on a stack as small as the browser's. Prints the number of executions. The
//! coverage-guided fuzzer is `cargo xtask fuzz`.

#[path = "support/files.rs"]
mod files;
#[allow(dead_code)]
#[path = "../fuzz/src/mutate.rs"]
mod mutate;
#[path = "../fuzz/src/properties.rs"]
mod properties;

use kubefiche_core::Severity;
use kubefiche_core::manifest::SourceFile;
use kubefiche_core::validate::Incremental;
use mutate::Rng;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

/// One random workspace: a tenth of the time random bytes, otherwise Fiche 3 with one file mutated.
fn workspace(rng: &mut Rng, base: &[SourceFile]) -> Vec<SourceFile> {
    if rng.below(10) == 0 {
        let n = rng.below(400);
        let bytes: Vec<u8> = (0..n).map(|_| (rng.next_u64() & 0xff) as u8).collect();
        return vec![SourceFile {
            path: "random.yaml".into(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }];
    }
    let target = rng.below(base.len());
    let mut files = base.to_vec();
    files[target].text = mutate::mutate(rng, &files[target].text);
    files
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
    // One incremental validator through every run, as in the editor: each run is an edit of the
    // workspace the run before left.
    let mut incremental = Incremental::default();
    while start.elapsed() < budget {
        let files = workspace(&mut rng, &base);
        let checked = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let fresh = properties::check_fresh(&files);
            properties::check_incremental(&mut incremental, &files, &fresh);
            fresh
        }));
        match checked {
            Ok(diags) => {
                if diags.iter().any(|d| d.severity == Severity::Error) {
                    with_errors += 1;
                }
            }
            Err(_) => {
                for f in &files {
                    eprintln!("--- {}\n{}", f.path, f.text);
                }
                panic!(
                    "the validator failed after {runs} runs (seed unchanged: the same run fails again) on the files above"
                );
            }
        }
        runs += 1;
    }
    println!(
        "fuzz: {runs} executions in {:?} ({with_errors} with errors), no failure",
        start.elapsed()
    );
    assert!(runs > 100);
}

/// Texts nested far deeper than the depth limit, in every way YAML nests (`depth` levels; block
/// nesting, whose indentation grows with the depth, goes a tenth as deep).
fn deep_texts(depth: usize) -> Vec<(&'static str, String)> {
    let mut block_maps = String::new();
    let mut block_seqs = String::new();
    for i in 0..depth / 10 {
        let indent = " ".repeat(i);
        block_maps.push_str(&format!("{indent}a:\n"));
        block_seqs.push_str(&format!("{indent}-\n"));
    }
    vec![
        ("flow sequences", "[".repeat(depth)),
        (
            "closed flow sequences",
            "[".repeat(depth) + &"]".repeat(depth),
        ),
        ("flow mappings", "{a: ".repeat(depth)),
        ("block sequences on one line", "- ".repeat(depth) + "x"),
        ("block mappings", block_maps),
        ("block sequences", block_seqs),
        ("explicit keys", "? ".repeat(depth) + "x"),
        (
            "under a manifest",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {}",
                "[".repeat(depth)
            ),
        ),
    ]
}

#[test]
fn deep_nesting_fits_a_browser_sized_stack() {
    // WebAssembly built by rustc gets a 1 MiB stack; a native debug build uses more per frame,
    // so passing here leaves room there.
    let worker = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            for (what, text) in deep_texts(20_000) {
                let files = [SourceFile {
                    path: "deep.yaml".into(),
                    text,
                }];
                let diags = properties::check_workspace(&files);
                assert!(
                    diags.iter().any(|d| d.severity == Severity::Error),
                    "{what}: nesting 20000 deep is not refused"
                );
            }
        })
        .expect("a thread");
    worker
        .join()
        .expect("deep nesting is refused without a panic");
}
