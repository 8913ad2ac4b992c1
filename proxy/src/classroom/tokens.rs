//! The class's secrets: random tokens, their digests (a seat keeps only its token's SHA-256),
//! and a bound on wrong guesses per client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// A fresh random secret of `bytes` bytes, hex encoded.
pub fn random(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer)?;
    Ok(hex(&buffer))
}

/// The SHA-256 of a token: what the cluster keeps of a learner's token.
pub fn digest(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest back from its hex form (as annotated on a seat's namespace).
pub fn parse_digest(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut digest = [0u8; 32];
    for (index, byte) in digest.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[index * 2..index * 2 + 2], 16).ok()?;
    }
    Some(digest)
}

/// Wrong tokens and join codes per client address: past [`Attempts::most`] in a window, the
/// address is refused outright (right token or not) until the window ends, so that guessing is
/// bounded whatever the answer would have been.
pub struct Attempts {
    most: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Attempts {
    pub fn new(most: u32, window: Duration) -> Self {
        Self {
            most,
            window,
            seen: Mutex::default(),
        }
    }

    /// Whether `address` may try now.
    pub fn allowed(&self, address: IpAddr) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        match seen.get(&address) {
            Some((since, _)) if since.elapsed() >= self.window => {
                seen.remove(&address);
                true
            }
            Some((_, count)) => *count < self.most,
            None => true,
        }
    }

    /// Count a wrong guess from `address`.
    pub fn failed(&self, address: IpAddr) {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget the addresses whose window ended, so the map stays small.
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (since, _)| since.elapsed() < window);
        }
        let entry = seen.entry(address).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }

    /// How long until `address` may try again.
    pub fn wait(&self, address: IpAddr) -> Duration {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.get(&address)
            .map(|(since, _)| self.window.saturating_sub(since.elapsed()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_digested() {
        let (a, b) = (random(24).expect("random"), random(24).expect("random"));
        assert_eq!(a.len(), 48);
        assert_ne!(a, b);
        let digest = digest(a.as_bytes());
        assert_eq!(parse_digest(&hex(&digest)), Some(digest));
        assert_eq!(parse_digest("zz"), None);
    }

    #[test]
    fn an_address_that_guesses_too_often_waits_for_the_window() {
        let attempts = Attempts::new(3, Duration::from_millis(200));
        let (here, there): (IpAddr, IpAddr) = (
            "10.0.0.1".parse().expect("ip"),
            "10.0.0.2".parse().expect("ip"),
        );
        for _ in 0..3 {
            assert!(attempts.allowed(here));
            attempts.failed(here);
        }
        assert!(!attempts.allowed(here));
        assert!(attempts.allowed(there), "other addresses are not held");
        assert!(attempts.wait(here) > Duration::ZERO);
        std::thread::sleep(Duration::from_millis(220));
        assert!(attempts.allowed(here));
    }
}
