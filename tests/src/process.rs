//! What a running process costs, read from `/proc` (Linux): resident memory and CPU time.

use std::time::Duration;

use anyhow::{Context, Result};

/// Ticks per second of the CPU times in `/proc/<pid>/stat` (`USER_HZ`, 100 on Linux whatever
/// the kernel's own tick rate).
const USER_HZ: f64 = 100.0;

/// A line of `/proc/<pid>/status` in kB, as MiB (`VmRSS`: resident now; `VmHWM`: the peak).
fn status_mib(pid: u32, field: &str) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("process {pid} is gone"))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))?;
    Ok(kib / 1024.0)
}

/// Resident memory now, MiB.
pub fn rss_mib(pid: u32) -> Result<f64> {
    status_mib(pid, "VmRSS")
}

/// The most resident memory the process ever had, MiB.
pub fn peak_rss_mib(pid: u32) -> Result<f64> {
    status_mib(pid, "VmHWM")
}

/// User plus system CPU time used so far.
pub fn cpu_time(pid: u32) -> Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("process {pid} is gone"))?;
    // After the command name (in parentheses, which may hold spaces): state is field 3, utime
    // and stime are fields 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| -> Result<f64> {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .with_context(|| format!("unreadable /proc/{pid}/stat"))
    };
    Ok(Duration::from_secs_f64((ticks(11)? + ticks(12)?) / USER_HZ))
}
