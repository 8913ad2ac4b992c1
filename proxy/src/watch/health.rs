//! How the hub's watches stand, and how soon a broken one tries again.
//!
//! Each feed is either following the cluster or broken since some moment. The hub's health is
//! the worst of its feeds: live when every feed follows; reconnecting from the first break (the
//! view is as of the earliest break); unreachable once a feed's retry failed too — the cluster
//! did not answer a fresh list, so this is no passing hiccup such as an expired watch.
//!
//! A broken feed lists again after a short pause that doubles up to [`MOST_PAUSE`]: kubefiche
//! follows a cluster on the learner's machine, so a second is a fair price for each attempt and
//! keeps the view at most about a second behind the API server's return.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kubefiche_core::Text;
use kubefiche_core::wire::Health;

/// The pause before the first retry after a break.
pub const FIRST_PAUSE: Duration = Duration::from_millis(200);
/// The longest pause between two attempts.
pub const MOST_PAUSE: Duration = Duration::from_secs(1);
/// Failures in a row after which the cluster counts as unreachable (the break, then a failed
/// retry).
const UNREACHABLE_AFTER: u32 = 2;

/// A feed whose watch broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// When the watch broke (Unix milliseconds): what the feed holds is as of then.
    pub since: u64,
    /// The last error, as the watcher told it.
    pub reason: String,
    /// Failures in a row since the feed last listed.
    pub failures: u32,
}

/// The health of every feed.
#[derive(Debug, Clone, Default)]
pub struct Feeds {
    broken: Vec<Option<Broken>>,
}

impl Feeds {
    pub fn new(feeds: usize) -> Self {
        Self {
            broken: vec![None; feeds],
        }
    }

    /// Feed `feed` failed at `now` (Unix milliseconds) with `reason`.
    pub fn failed(&mut self, feed: usize, reason: String, now: u64) {
        let Some(slot) = self.broken.get_mut(feed) else {
            return;
        };
        let broken = slot.get_or_insert(Broken {
            since: now,
            reason: String::new(),
            failures: 0,
        });
        broken.failures += 1;
        broken.reason = reason;
    }

    /// Feed `feed` listed again: it follows the cluster.
    pub fn recovered(&mut self, feed: usize) {
        if let Some(slot) = self.broken.get_mut(feed) {
            *slot = None;
        }
    }

    /// The hub's health: the worst of its feeds.
    pub fn health(&self) -> Health {
        let broken = self.broken.iter().flatten();
        let Some(since) = broken.clone().map(|b| b.since).min() else {
            return Health::Live;
        };
        // The feed that failed most often tells why; ties go to the first.
        let worst = broken.fold(None::<&Broken>, |worst, b| match worst {
            Some(w) if w.failures >= b.failures => Some(w),
            _ => Some(b),
        });
        let Some(worst) = worst else {
            return Health::Live;
        };
        let error = &worst.reason;
        if worst.failures >= UNREACHABLE_AFTER {
            Health::Unreachable {
                since,
                reason: Text::new(
                    format!(
                        "The Kubernetes API server does not answer ({error}). kubefiche keeps trying; check that the cluster runs."
                    ),
                    format!(
                        "Le serveur d'API Kubernetes ne répond pas ({error}). kubefiche réessaie ; vérifiez que le cluster tourne."
                    ),
                ),
            }
        } else {
            Health::Reconnecting {
                since,
                reason: Text::new(
                    format!("The watch on the cluster broke ({error}); connecting again."),
                    format!("Le suivi du cluster s'est interrompu ({error}) ; reconnexion."),
                ),
            }
        }
    }
}

/// The pauses between attempts: [`FIRST_PAUSE`], doubling up to [`MOST_PAUSE`]; back to the
/// first once a list succeeds.
#[derive(Debug, Clone)]
pub struct Pause {
    next: Duration,
}

impl Default for Pause {
    fn default() -> Self {
        Self { next: FIRST_PAUSE }
    }
}

impl Pause {
    /// How long to wait before the next attempt.
    pub fn next(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(MOST_PAUSE);
        pause
    }

    /// A list succeeded: the next break starts again with a short pause.
    pub fn reset(&mut self) {
        self.next = FIRST_PAUSE;
    }
}

/// Now, in Unix milliseconds.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
