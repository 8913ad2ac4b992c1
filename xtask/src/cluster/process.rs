//! Detached background processes: start in their own process group, record the pid, stop the
//! group. Signals go through `nix`; what a pid runs and how much memory it holds through
//! `sysinfo`.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, killpg};
use sysinfo::{ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System, UpdateKind};

/// What the command line of each of our processes contains (guards against pid reuse).
const BINARY: &str = "kubefiche-cluster";

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
    let mut child = Command::new(bin)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let pid = child.id();
    // Until exec completes the child still looks like xtask; wait for it to become our binary
    // (or to have exited already: then the caller finds it not alive and shows its log).
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !alive(pid) && matches!(child.try_wait(), Ok(None)) {
        sleep(Duration::from_millis(20));
    }
    // Dropping `child` neither waits nor kills: the process outlives xtask.
    drop(child);
    fs::write(pid_file, pid.to_string())
        .with_context(|| format!("writing {}", pid_file.display()))?;
    Ok(pid)
}

/// The pid recorded in `pid_file`, if any.
pub fn read_pid(pid_file: &Path) -> Option<u32> {
    fs::read_to_string(pid_file).ok()?.trim().parse().ok()
}

/// `read` applied to `pid` as it runs now (its command line and memory are read); `None` when
/// no such process exists.
fn look_up<T>(pid: u32, read: impl FnOnce(&sysinfo::Process) -> T) -> Option<T> {
    let pid = sysinfo::Pid::from_u32(pid);
    let mut system = System::new();
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing()
            .without_tasks()
            .with_cmd(UpdateKind::Always)
            .with_memory(),
    );
    system.process(pid).map(read)
}

/// True when `pid` runs (neither exited nor a zombie) and is one of our binaries.
pub fn alive(pid: u32) -> bool {
    look_up(pid, |p| {
        !matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead)
            && p.cmd()
                .iter()
                .any(|arg| arg.to_string_lossy().contains(BINARY))
    })
    .unwrap_or(false)
}

/// Resident memory of `pid` in bytes, if it runs.
pub fn resident_bytes(pid: u32) -> Option<u64> {
    look_up(pid, sysinfo::Process::memory)
}

/// Signals the process group led by `pgid`; an error (the group is gone already) is fine.
fn signal_group(pgid: u32, signal: Signal) {
    if let Ok(pgid) = i32::try_from(pgid) {
        let _ = killpg(nix::unistd::Pid::from_raw(pgid), signal);
    }
}

/// SIGTERM to every group, wait up to `grace`, then SIGKILL what is left. Returns the pids killed hard.
pub fn stop_all(pids: &[u32], grace: Duration) -> Vec<u32> {
    let running: Vec<u32> = pids.iter().copied().filter(|p| alive(*p)).collect();
    for pid in &running {
        signal_group(*pid, Signal::SIGTERM);
    }
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline && running.iter().any(|p| alive(*p)) {
        sleep(Duration::from_millis(100));
    }
    let stubborn: Vec<u32> = running.into_iter().filter(|p| alive(*p)).collect();
    for pid in &stubborn {
        signal_group(*pid, Signal::SIGKILL);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && stubborn.iter().any(|p| alive(*p)) {
        sleep(Duration::from_millis(100));
    }
    stubborn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_of_another_program_is_not_ours() {
        // This test's own process runs, but it is not the control plane's binary.
        assert!(look_up(std::process::id(), |_| ()).is_some());
        assert!(!alive(std::process::id()));
        assert!(resident_bytes(std::process::id()).is_some_and(|b| b > 0));
    }

    #[test]
    fn a_pid_that_does_not_exist_is_not_alive() {
        // Above the largest pid Linux hands out (2^22).
        assert!(look_up(4_194_304 + 7, |_| ()).is_none());
        assert!(!alive(4_194_304 + 7));
    }
}
