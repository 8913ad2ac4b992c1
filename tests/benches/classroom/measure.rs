//! What the class bench measures besides latency: the proxy's memory and CPU from `/proc`, and
//! the API server's own metrics (requests served, watches open).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// The API server's counters, read from its `/metrics`.
pub struct ApiServer {
    client: kube::Client,
}

impl ApiServer {
    pub fn new(client: kube::Client) -> Self {
        Self { client }
    }

    async fn metrics(&self) -> Result<String> {
        let request = http::Request::get("/metrics").body(Vec::new())?;
        Ok(self.client.request_text(request).await?)
    }

    /// Requests served since the API server started (`apiserver_request_total`, every verb).
    pub async fn requests(&self) -> Result<f64> {
        Ok(sum(
            &self.metrics().await?,
            "apiserver_request_total{",
            |_| true,
        ))
    }

    /// Watches open now (`apiserver_longrunning_requests` of verb WATCH).
    pub async fn watches(&self) -> Result<f64> {
        Ok(sum(
            &self.metrics().await?,
            "apiserver_longrunning_requests{",
            |labels| labels.contains("verb=\"WATCH\""),
        ))
    }

    /// Requests per second over `span`, as the cluster runs without the class.
    pub async fn rate_over(&self, span: Duration) -> Result<f64> {
        let before = self.requests().await?;
        tokio::time::sleep(span).await;
        Ok((self.requests().await? - before) / span.as_secs_f64())
    }
}

/// The sum of a metric's samples whose labels pass `keep`.
fn sum(text: &str, prefix: &str, keep: impl Fn(&str) -> bool) -> f64 {
    text.lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .filter_map(|rest| {
            let (labels, value) = rest.rsplit_once("} ")?;
            keep(labels).then(|| value.trim().parse::<f64>().ok())?
        })
        .sum()
}

/// A process's memory and CPU over a span.
pub struct Usage {
    pub rss_mib: f64,
    pub peak_mib: f64,
    pub cpu_seconds: f64,
    pub wall: Duration,
    started: Instant,
    cpu_before: f64,
}

impl Usage {
    pub fn start(pid: u32) -> Result<Self> {
        Ok(Self {
            rss_mib: 0.0,
            peak_mib: 0.0,
            cpu_seconds: 0.0,
            wall: Duration::ZERO,
            started: Instant::now(),
            cpu_before: cpu(pid)?,
        })
    }

    pub fn end(mut self, pid: u32) -> Result<Self> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let kib = |key: &str| -> f64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0.0)
        };
        self.rss_mib = kib("VmRSS:") / 1024.0;
        self.peak_mib = kib("VmHWM:") / 1024.0;
        self.cpu_seconds = cpu(pid)? - self.cpu_before;
        self.wall = self.started.elapsed();
        Ok(self)
    }
}

/// User and system CPU time of `pid`, in seconds.
fn cpu(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command name (which may hold spaces, in parentheses).
    let rest = stat.rsplit_once(") ").context("unreadable /proc stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>()? + fields[12].parse::<f64>()?;
    Ok(ticks / 100.0)
}

/// Latency percentiles.
pub struct Percentiles {
    pub p50: Duration,
    pub p95: Duration,
    pub max: Duration,
    pub n: usize,
}

impl Percentiles {
    pub fn of(mut samples: Vec<Duration>) -> Self {
        samples.sort();
        let at = |q: f64| {
            if samples.is_empty() {
                return Duration::ZERO;
            }
            let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[index]
        };
        Self {
            p50: at(0.5),
            p95: at(0.95),
            max: samples.last().copied().unwrap_or_default(),
            n: samples.len(),
        }
    }
}

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {} / {} ms ({})",
            self.p50.as_millis(),
            self.p95.as_millis(),
            self.max.as_millis(),
            self.n
        )
    }
}
