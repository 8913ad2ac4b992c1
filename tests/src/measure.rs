//! What the benchmarks share: percentiles, and kubectl's own time to a first byte of output.

use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context, Result};
use tokio::io::AsyncReadExt;

use crate::cluster::test_kubectl;

/// The sample at fraction `p` of `sorted` (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// p50, p95 and max of `samples` (ms), and how many, in columns.
pub fn columns(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let Some(max) = samples.last().copied() else {
        return "no samples".into();
    };
    format!(
        "{:>8.1} {:>8.1} {:>8.1} {:>8}",
        percentile(&samples, 0.5),
        percentile(&samples, 0.95),
        max,
        samples.len()
    )
}

pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    percentile(&samples, 0.5)
}

/// kubectl run directly in `namespace` with `args`: milliseconds to its first byte on stdout.
pub async fn direct_first_byte(kubeconfig: &Path, namespace: &str, args: &[&str]) -> Result<f64> {
    let start = Instant::now();
    let mut child = tokio::process::Command::new(test_kubectl())
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .args(["--namespace", namespace])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let mut stdout = child.stdout.take().context("kubectl's stdout")?;
    let mut byte = [0_u8; 1];
    stdout.read_exact(&mut byte).await?;
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    child.wait().await?;
    Ok(elapsed)
}
