//! Detached background processes: start in their own process group, record the pid, stop the group.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use std::os::unix::process::CommandExt;

/// Starts `bin <program> <args…>` detached (its own process group, stdin closed, output to `log`)
/// and records its pid in `pid_file`. The process group id equals the pid.
pub fn spawn(
    bin: &Path,
    program: &str,
    args: &[String],
    log: &Path,
    pid_file: &Path,
) -> Result<u32> {
    let out = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let child = Command::new(bin)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let pid = child.id();
    // Dropping `child` neither waits nor kills: the process outlives xtask.
    drop(child);
    // Until exec completes the child still looks like xtask; wait for it to become our binary.
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !alive(pid) && fs::metadata(format!("/proc/{pid}")).is_ok() {
        sleep(Duration::from_millis(20));
    }
    fs::write(pid_file, pid.to_string())
        .with_context(|| format!("writing {}", pid_file.display()))?;
    Ok(pid)
}

/// The pid recorded in `pid_file`, if any.
pub fn read_pid(pid_file: &Path) -> Option<u32> {
    fs::read_to_string(pid_file).ok()?.trim().parse().ok()
}

/// True when `pid` runs (not a zombie) and is one of our binaries (guards against pid reuse).
pub fn alive(pid: u32) -> bool {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let Ok(stat) = fs::read_to_string(proc_dir.join("stat")) else {
        return false;
    };
    // The state follows the parenthesised command name.
    let state = stat
        .rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next());
    if matches!(state, Some('Z' | 'X') | None) {
        return false;
    }
    fs::read(proc_dir.join("cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains("kubefiche-cluster"))
        .unwrap_or(false)
}

/// Resident memory of `pid` in KiB (VmRSS), if readable.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn signal_group(pgid: u32, signal: &str) {
    // `kill -SIG -- -PGID` signals the whole group; errors (already gone) are fine.
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// SIGTERM to every group, wait up to `grace`, then SIGKILL what is left. Returns the pids killed hard.
pub fn stop_all(pids: &[u32], grace: Duration) -> Vec<u32> {
    let running: Vec<u32> = pids.iter().copied().filter(|p| alive(*p)).collect();
    for pid in &running {
        signal_group(*pid, "-TERM");
    }
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline && running.iter().any(|p| alive(*p)) {
        sleep(Duration::from_millis(100));
    }
    let stubborn: Vec<u32> = running.into_iter().filter(|p| alive(*p)).collect();
    for pid in &stubborn {
        signal_group(*pid, "-KILL");
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && stubborn.iter().any(|p| alive(*p)) {
        sleep(Duration::from_millis(100));
    }
    stubborn
}
