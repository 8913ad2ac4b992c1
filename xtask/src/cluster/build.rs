//! Building the multi-call Go binary `kubefiche-cluster`, cached by a hash of its sources.

mod go;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::Layout;
use crate::say;

/// Returns the path of an up-to-date binary, building it first when it is missing or stale.
pub fn ensure_binary(layout: &Layout) -> Result<PathBuf> {
    let hash = source_hash(&layout.go_module)?;
    let out_dir = &layout.bin_dir;
    let bin = out_dir.join("kubefiche-cluster");
    let stamp = out_dir.join("kubefiche-cluster.hash");
    if bin.is_file() && fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str()) {
        link_kubectl(out_dir)?;
        return Ok(bin);
    }
    fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let log_path = out_dir.join("build.log");
    say(&if bin.is_file() {
        format!(
            "rebuilding the local control plane (sources changed; ~1 min; full output in {})…",
            log_path.display()
        )
    } else {
        format!(
            "building the local control plane (first time: 10–25 min on 2 cores, ~2.5 GB RAM; full output in {})…",
            log_path.display()
        )
    });
    let started = Instant::now();
    let go = go::Go::new(which_go()?, &layout.go_module, &log_path)?;
    go.download()?;
    let tmp = out_dir.join("kubefiche-cluster.partial");
    let flags = [
        "-trimpath".to_owned(),
        format!("-ldflags={}", ldflags(&layout.go_module)?),
    ];
    go.build(&flags, &tmp)?;
    // Rename over the old binary: processes still running from it keep their inode.
    fs::rename(&tmp, &bin).with_context(|| format!("moving the binary to {}", bin.display()))?;
    fs::write(&stamp, &hash).with_context(|| format!("writing {}", stamp.display()))?;
    link_kubectl(out_dir)?;
    let secs = started.elapsed().as_secs();
    say(&format!(
        "built {} in {}:{:02}",
        bin.display(),
        secs / 60,
        secs % 60
    ));
    Ok(bin)
}

/// Makes `kubectl` next to the binary a symlink to it: called by that name, the binary is
/// kubectl (`main.go` dispatches on its own name).
fn link_kubectl(out_dir: &Path) -> Result<()> {
    let link = out_dir.join("kubectl");
    let target = Path::new("kubefiche-cluster");
    let linked = || fs::read_link(&link).is_ok_and(|t| t == target);
    if linked() {
        return Ok(());
    }
    // Whatever else is there (a stale file or link) is ours to replace.
    let _ = fs::remove_file(&link);
    match std::os::unix::fs::symlink(target, &link) {
        // Another build linked it at the same moment.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && linked() => Ok(()),
        other => {
            other.with_context(|| format!("linking {} to {}", link.display(), target.display()))
        }
    }
}

/// `-s -w` plus the Kubernetes version stamped into the binaries (as upstream's release build
/// does), read from the one pin in go.mod so that `kubectl version` and `/version` tell the truth.
fn ldflags(module: &Path) -> Result<String> {
    let go_mod = fs::read_to_string(module.join("go.mod")).context("reading go.mod")?;
    let version = go_mod
        .lines()
        .find_map(|l| l.trim().strip_prefix("k8s.io/kubernetes v"))
        .and_then(|v| v.split_whitespace().next())
        .context("go.mod does not require k8s.io/kubernetes")?;
    let mut parts = version.split('.');
    let (major, minor) = (parts.next().unwrap_or("1"), parts.next().unwrap_or("0"));
    let mut flags = String::from("-s -w");
    for pkg in [
        "k8s.io/component-base/version",
        "k8s.io/client-go/pkg/version",
    ] {
        flags.push_str(&format!(
            " -X {pkg}.gitVersion=v{version} -X {pkg}.gitMajor={major} -X {pkg}.gitMinor={minor} -X {pkg}.gitTreeState=clean"
        ));
    }
    Ok(flags)
}

/// The Go module cache, where the upstream sources of the pinned release are once the control
/// plane has been built (the validation map's test reads the API server's validation there).
pub fn module_cache() -> Result<PathBuf> {
    let out = std::process::Command::new(which_go()?)
        .args(["env", "GOMODCACHE"])
        .output()
        .context("running `go env GOMODCACHE`")?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn which_go() -> Result<PathBuf> {
    if let Some(go) = std::env::var_os("GO") {
        return Ok(PathBuf::from(go));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/local/go/bin")]) {
        let candidate = dir.join("go");
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    bail!(
        "the Go toolchain is needed to build the local control plane, and `go` is not on PATH; \
         install it (Debian: `apt-get install golang-go`, Go ≥ 1.26) or set GO=/path/to/go"
    )
}

/// FNV-1a over go.mod, go.sum and every .go file (sorted by name): stable across Rust versions.
fn source_hash(module: &Path) -> Result<String> {
    let mut names: Vec<PathBuf> = fs::read_dir(module)
        .with_context(|| format!("reading {}", module.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name == "go.mod" || name == "go.sum" || name.ends_with(".go")
        })
        .collect();
    names.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    // The build recipe is part of the key: changing the flags rebuilds.
    for b in ldflags(module)?.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    for path in names {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        for b in name.bytes().chain([0]).chain(bytes).chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(format!("{hash:016x}"))
}
