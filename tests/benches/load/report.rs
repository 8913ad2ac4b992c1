//! The numbers of the streams run, printed.

use std::time::Duration;

use kubefiche_tests::measure::percentile;

use crate::check::Verdict;
use crate::streams::{MachineCpu, Phase, Rounds, Totalled};

pub struct Report {
    /// Proxy VmRSS, MiB: before any stream, every stream open, middle, end, peak (VmHWM).
    pub rss: [f64; 5],
    pub cpu: Duration,
    pub bench_cpu: Duration,
    /// Every process of the machine over the run (the cluster, other work).
    pub machine: MachineCpu,
    /// How long after the run the last rounds kept arriving.
    pub drained_in: Duration,
    pub ran: Duration,
    pub phases: Vec<Phase>,
    pub round_trips: Vec<f64>,
    pub sent_rounds: u64,
    pub rounds: Rounds,
    pub streams: usize,
    pub ended: usize,
    pub held: Totalled,
    /// How long the final scale to 50 took to be ready.
    pub ready: Option<Duration>,
    pub verdict: Verdict,
    pub settled_in: Duration,
}

fn share(cpu: Duration, over: Duration) -> f64 {
    cpu.as_secs_f64() / over.as_secs_f64().max(0.001) * 100.0
}

fn spread(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return "none".into();
    }
    format!(
        "min {:.0}, median {:.0}, max {:.0} ({} phases)",
        values[0],
        percentile(&values, 0.5),
        values[values.len() - 1],
        values.len()
    )
}

#[allow(clippy::cast_precision_loss)]
pub fn print(r: &Report) {
    let [before, start, middle, end, peak] = r.rss;
    println!("proxy memory (VmRSS), MiB:");
    println!("  before the streams {before:>7.1}");
    println!(
        "  {:>5} streams open {start:>7.1}   (start of the churn)",
        r.streams
    );
    println!("  middle             {middle:>7.1}");
    println!("  end                {end:>7.1}");
    println!("  peak (VmHWM)       {peak:>7.1}");
    println!(
        "CPU over the {:.0} s run: proxy {:.0} s ({:.0} % of one core), this bench's clients {:.0} s ({:.0} %)",
        r.ran.as_secs_f64(),
        r.cpu.as_secs_f64(),
        share(r.cpu, r.ran),
        r.bench_cpu.as_secs_f64(),
        share(r.bench_cpu, r.ran)
    );
    #[allow(clippy::cast_precision_loss)]
    let busy = r.machine.busy as f64 / r.machine.total.max(1) as f64 * 100.0;
    println!(
        "the whole machine meanwhile ({} cores: cluster, simulated nodes, proxy, clients, anything else running): {busy:.0} % busy",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    let ups = |f: fn(&Phase) -> i32, up: bool| {
        r.phases
            .iter()
            .filter(|p| p.up == up)
            .map(|p| f64::from(f(p)))
            .collect::<Vec<_>>()
    };
    println!(
        "churn: pods ready at the end of each 10 s phase at 50: {}",
        spread(ups(|p| p.ready, true))
    );
    println!(
        "       pods left at the end of each 10 s phase at 0:   {}",
        spread(ups(|p| p.replicas, false))
    );
    let n = r.streams.max(1) as f64;
    println!(
        "per stream: {:.0} events, {:.1} MiB ({:.1} events/s, {:.1} KiB/s); in all {:.1} MiB/s sent",
        r.held.events as f64 / n,
        r.held.bytes as f64 / n / 1_048_576.0,
        r.held.events as f64 / n / r.ran.as_secs_f64(),
        r.held.bytes as f64 / n / 1024.0 / r.ran.as_secs_f64(),
        r.held.bytes as f64 / 1_048_576.0 / r.ran.as_secs_f64()
    );
    println!(
        "resynchronisations (a stream fell behind, got a fresh snapshot): {}; problems: {}; streams that ended early: {}",
        r.held.resyncs, r.held.problems, r.ended
    );
    let mut latencies = r.rounds.latencies.clone();
    latencies.sort_by(f64::total_cmp);
    let expected = r.sent_rounds as usize * r.streams;
    let complete = r.rounds.heard.values().filter(|&&h| h == r.streams).count();
    if latencies.is_empty() {
        println!("change → every stream: no sample");
    } else {
        println!(
            "change → every stream, ms (ConfigMap patch sent → `changed` read by each stream, every {} s):",
            crate::streams::ROUND_EVERY.as_secs()
        );
        println!(
            "  p50 {:.0}  p95 {:.0}  p99 {:.0}  max {:.0}  ({} samples of {expected}; {complete} of {} rounds heard by every stream, the last {:.0} s after the run)",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99),
            latencies[latencies.len() - 1],
            latencies.len(),
            r.sent_rounds,
            r.drained_in.as_secs_f64()
        );
    }
    let mut trips = r.round_trips.clone();
    trips.sort_by(f64::total_cmp);
    if !trips.is_empty() {
        println!(
            "  the patch's own round trip: p50 {:.0} ms, max {:.0} ms",
            percentile(&trips, 0.5),
            trips[trips.len() - 1]
        );
    }
    let v = &r.verdict;
    println!(
        "end: {} of {} streams equal `kubectl get` ({} objects, {} pods; {} comparisons, {:.0} s after the churn stopped; 50 pods ready in {})",
        v.equal,
        r.streams,
        v.objects,
        v.pods,
        v.attempts,
        r.settled_in.as_secs_f64(),
        r.ready.map_or("more than 180 s".to_owned(), |d| format!(
            "{:.0} s",
            d.as_secs_f64()
        ))
    );
    for d in &v.differences {
        println!("  {d}");
    }
}
