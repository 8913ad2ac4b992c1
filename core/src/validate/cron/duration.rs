//! Durations as Go's `time.ParseDuration` reads them (`90s`, `1h30m`, `1.5h`, `-2m`), for the
//! `@every <duration>` schedules the API server's cron parser accepts.

/// Nanoseconds per unit.
const UNITS: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Whether Go would parse `text` as a duration (a signed 64-bit count of nanoseconds).
pub(crate) fn is_go_duration(text: &str) -> bool {
    let (negative, mut s) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
        let whole_len = digits(s);
        let Ok(whole) = (if whole_len == 0 {
            Ok(0)
        } else {
            s[..whole_len].parse::<u128>()
        }) else {
            return false;
        };
        if whole > 1 << 63 {
            return false;
        }
        s = &s[whole_len..];
        let (mut fraction, mut scale, mut fraction_len) = (0u128, 1u128, 0);
        if let Some(rest) = s.strip_prefix('.') {
            fraction_len = digits(rest);
            for b in rest[..fraction_len].bytes().take(18) {
                fraction = fraction * 10 + u128::from(b - b'0');
                scale *= 10;
            }
            s = &rest[fraction_len..];
        }
        if whole_len == 0 && fraction_len == 0 {
            return false;
        }
        let unit_len = s
            .bytes()
            .take_while(|b| *b != b'.' && !b.is_ascii_digit())
            .count();
        let Some(&(_, unit)) = UNITS.iter().find(|(u, _)| *u == &s[..unit_len]) else {
            return false;
        };
        s = &s[unit_len..];
        total += whole * unit + fraction * unit / scale;
        if total > 1 << 63 {
            return false;
        }
    }
    negative || total < 1 << 63
}

#[cfg(test)]
mod tests {
    use super::is_go_duration;

    #[test]
    fn reads_durations_as_go_does() {
        for ok in [
            "0", "1h", "90s", "1h30m", "1.5h", ".5s", "5.s", "-2m", "+3ms", "1µs", "2562047h",
        ] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in [
            "", "1", "h", ".s", "1d", "1 h", "1h ", "--1h", "9999999h", "1.h2",
        ] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }
}
