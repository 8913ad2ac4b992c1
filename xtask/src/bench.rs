//! `cargo xtask bench`: benchmarks that print numbers for the report (no timed assertions).
//!
//! 1. per-keystroke validation in the browser (`tests/benches/browser.rs`: the real app in headless
//!    Chromium, served by the proxy against the local cluster);
//! 2. native throughput on the agreement corpus next to kubeconform, and what each catches of
//!    the API server's rejections (`core/benches/validate.rs`; kubeconform is built from its Go
//!    module, its schemas generated offline from k8s-openapi by
//!    `core/examples/kubeconform_schemas.rs`; the API server's verdicts are the committed
//!    snapshot `tests/corpus/verdicts.tsv`, recorded by `cargo xtask verdicts`);
//! 3. commands and terminals through the proxy (`tests/benches/commands.rs`): first byte of a
//!    command's output next to kubectl run directly, terminal keystroke echo, memory with 20
//!    streams and 5 terminals open;
//! 4. the live stream through the proxy (`tests/benches/live.rs`): change → event latency with 1,
//!    10 and 100 open streams on a namespace of 200 objects, the proxy's memory and CPU time with
//!    100 streams idle and while 50 pods start;
//! 5. the cluster pane in headless Chromium (`tests/benches/view.rs`) on the same namespace:
//!    page load to every object on screen and the page's memory, change → on screen latency
//!    with 1, 10 and 100 open tabs (one page plus stream clients) and with 10 real pages, and
//!    the page's frame times while 50 pods start and go;
//! 6. live checks on Fiche 3 in headless Chromium (`tests/benches/checks.rs`): the cluster event
//!    that completes a step (a Deployment scaled to 5 ready, a ConfigMap created) to the step
//!    green on screen, next to the same event printed by a `kubectl get -w` started beforehand;
//! 7. the size of what the browser downloads (`target/site`), raw and gzip -9;
//! 8. the proxy under load (`tests/benches/load.rs`, the release build, as `cargo xtask run`
//!    serves it): 1,000 open streams for 10 minutes while a Deployment scales 0 ↔ 50 every 10 s
//!    (memory, change → every stream latency, every stream equal to `kubectl get` at the end),
//!    and 50 concurrent appliers of the Fiche 3 workspace. `cargo xtask bench load` runs only
//!    this one; `KUBEFICHE_LOAD_MINUTES` and `KUBEFICHE_LOAD_STREAMS` shorten it;
//! 9. a class (`tests/benches/classroom.rs`, the release build of `kubefiche classroom` over
//!    TLS): 30 and 100 learners each applying Fiche 3 and scaling the agent to 5, with the
//!    proxy's memory and CPU, the API server's request rate and watches, and event → board
//!    latency. `cargo xtask bench classroom` runs only this one; `KUBEFICHE_CLASS_SIZES` sets
//!    the sizes.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cluster, run, run_checked, say, site, tools};

/// The kubeconform release compared against (`go list -m -versions github.com/yannh/kubeconform`).
const KUBECONFORM_VERSION: &str = "v0.8.0";

/// The files of `target/site`, in the order the page loads them.
const SITE_FILES: &[&str] = &[
    "index.html",
    "app.css",
    "editor.js",
    "boot.js",
    "kubefiche_app.js",
    "kubefiche_app_bg.wasm",
];

/// Loaded only when a learner opens an `exec -it` terminal.
const LAZY_FILES: &[&str] = &["terminal.js"];

#[derive(clap::Args)]
pub struct Args {
    /// Run only this benchmark
    #[arg(value_enum)]
    only: Option<Only>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Only {
    /// The proxy under load: 1,000 streams for 10 minutes, 50 concurrent appliers
    Load,
    /// A class of 30 and 100 learners on one `kubefiche classroom`
    Classroom,
}

pub fn main(root: &Path, args: &Args) -> Result<()> {
    match args.only {
        Some(Only::Load) => return load(root),
        Some(Only::Classroom) => return classroom(root),
        None => {}
    }
    let verdicts = root.join("tests").join("corpus").join("verdicts.tsv");
    if !verdicts.is_file() {
        bail!(
            "{} is missing: record the API server's verdicts with `cargo xtask verdicts`",
            verdicts.display()
        );
    }
    tools::chromium()?;
    site::build(root)?;
    let proxy = run::build_proxy(root, false)?;
    let kubeconform = kubeconform(root)?;
    native(root, &kubeconform, &verdicts)?;
    cluster::with_local(|kubeconfig| {
        for (what, bench) in CLUSTER_BENCHES {
            say(what);
            against_cluster(root, bench, kubeconfig, &proxy)?;
        }
        Ok(())
    })?;
    bundle(&site::dir(root))?;
    load(root)?;
    classroom(root)
}

/// The proxy under load, built in release as people run it, and so are the bench's clients.
fn load(root: &Path) -> Result<()> {
    let proxy = run::build_proxy(root, true)?;
    cluster::with_local(|kubeconfig| {
        say("the proxy under load: 1,000 streams while pods churn, then 50 appliers…");
        // KUBEFICHE_LOAD_MINUTES and KUBEFICHE_LOAD_STREAMS, when set, pass through.
        against_cluster(root, "load", kubeconfig, &proxy)
    })
}

/// A class through the release proxy, as a class is served.
fn classroom(root: &Path) -> Result<()> {
    let proxy = run::build_proxy(root, true)?;
    cluster::with_local(|kubeconfig| {
        say(
            "a class (30, then 100 learners, or KUBEFICHE_CLASS_SIZES), each learner applying Fiche 3 and scaling its agent to 5…",
        );
        // KUBEFICHE_CLASS_SIZES, when set, passes through.
        against_cluster(root, "classroom", kubeconfig, &proxy)
    })
}

/// The benches of the tests crate that run against the local cluster and the proxy binary, in
/// order, with what each says as it starts.
const CLUSTER_BENCHES: [(&str, &str); 5] = [
    ("typing in the editor in headless Chromium…", "browser"),
    ("commands and terminals through the proxy…", "commands"),
    ("the live stream through the proxy, 1 to 100 tabs…", "live"),
    (
        "the cluster pane in headless Chromium: change to screen, 50 pods, 200 objects…",
        "view",
    ),
    (
        "live checks in headless Chromium: cluster event to step green, next to kubectl -w…",
        "checks",
    ),
];

/// One bench of the tests crate against the cluster of `kubeconfig` and the `proxy` binary.
fn against_cluster(root: &Path, bench: &str, kubeconfig: &Path, proxy: &Path) -> Result<()> {
    cargo_bench(
        root,
        "kubefiche-tests",
        bench,
        &[
            ("KUBEFICHE_TEST_KUBECONFIG", kubeconfig.as_os_str()),
            ("KUBEFICHE_BIN", proxy.as_os_str()),
        ],
    )
}

/// `cargo bench` of one bench target; the benches of the tests crate reuse the test build
/// (dev profile), except the load bench: its thousand stream clients would cost the shared
/// cores more than the proxy they measure. The core bench (what is timed) is built in release.
fn cargo_bench(
    root: &Path,
    package: &str,
    bench: &str,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<()> {
    let mut cargo = Command::new("cargo");
    cargo.args(["bench", "--quiet", "-p", package]);
    if package == "kubefiche-tests" && bench != "load" {
        cargo.args(["--profile", "dev"]);
    }
    cargo
        .args(["--bench", bench])
        .envs(env.iter().copied())
        .current_dir(root);
    run_checked(&mut cargo)
}

/// Builds kubeconform from its Go module into `target/bench/kubeconform-<version>/` (once; a
/// `go install` build reports its version as "development", so the folder names it).
fn kubeconform(root: &Path) -> Result<PathBuf> {
    let bin_dir = crate::target_dir(root)
        .join("bench")
        .join(format!("kubeconform-{KUBECONFORM_VERSION}"));
    let bin = bin_dir.join("kubeconform");
    if Command::new(&bin)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(bin);
    }
    say(&format!(
        "building kubeconform {KUBECONFORM_VERSION} from its Go module…"
    ));
    let go = Command::new("go").arg("version").output();
    if !go.is_ok_and(|o| o.status.success()) {
        bail!(
            "the Go toolchain is missing: kubeconform is built from source (install Go, e.g. `apt-get install golang`)"
        );
    }
    std::fs::create_dir_all(&bin_dir)?;
    run_checked(
        Command::new("go")
            .args([
                "install",
                &format!("github.com/yannh/kubeconform/cmd/kubeconform@{KUBECONFORM_VERSION}"),
            ])
            .env("GOBIN", &bin_dir)
            .env("CGO_ENABLED", "0"),
    )
    .context("building kubeconform")?;
    Ok(bin)
}

/// The core bench: our validator and kubeconform on the corpus, against the recorded verdicts.
fn native(root: &Path, kubeconform: &Path, verdicts: &Path) -> Result<()> {
    let schemas = crate::target_dir(root).join("bench").join("schemas");
    say("writing kubeconform's schemas from k8s-openapi…");
    run_checked(
        Command::new("cargo")
            .args([
                "run",
                "--quiet",
                "-p",
                "kubefiche-core",
                "--example",
                "kubeconform_schemas",
                "--",
            ])
            .arg(&schemas)
            .current_dir(root),
    )?;
    say("timing the validator natively, and kubeconform (release build)…");
    println!("\n== validation, native (cargo bench -p kubefiche-core --bench validate) ==");
    cargo_bench(
        root,
        "kubefiche-core",
        "validate",
        &[
            ("KUBECONFORM_BIN", kubeconform.as_ref()),
            ("KUBECONFORM_SCHEMAS", schemas.as_ref()),
            ("KUBEFICHE_SERVER_VERDICTS", verdicts.as_ref()),
        ],
    )
}

/// Bytes of `path` compressed with `gzip -9`.
fn gzip_size(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("running gzip")?;
    if !out.status.success() {
        bail!("gzip failed on {}", path.display());
    }
    Ok(u64::try_from(out.stdout.len())?)
}

fn kib(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let k = bytes as f64 / 1024.0;
    format!("{k:.1} KiB")
}

fn bundle(site: &Path) -> Result<()> {
    println!("\n== bundle size ({}) ==", site.display());
    println!("  {:<24} {:>12} {:>12}", "file", "raw", "gzip -9");
    let (mut raw_total, mut gz_total) = (0, 0);
    for name in SITE_FILES {
        let path = site.join(name);
        let raw = std::fs::metadata(&path)
            .with_context(|| format!("{} is missing: run `cargo xtask site`", path.display()))?
            .len();
        let gz = gzip_size(&path)?;
        raw_total += raw;
        gz_total += gz;
        println!("  {name:<24} {:>12} {:>12}", kib(raw), kib(gz));
    }
    println!(
        "  {:<24} {:>12} {:>12}",
        "total",
        kib(raw_total),
        kib(gz_total)
    );
    println!(
        "  the proxy serves them gzip-compressed (a little above the gzip -9 column); {} uncompressed",
        kib(raw_total)
    );
    for name in LAZY_FILES {
        let path = site.join(name);
        let raw = std::fs::metadata(&path)
            .with_context(|| format!("{} is missing: run `cargo xtask site`", path.display()))?
            .len();
        println!(
            "  loaded later, with the first terminal: {name} {} ({} gzip -9)",
            kib(raw),
            kib(gzip_size(&path)?)
        );
    }
    Ok(())
}
