//! YAML-aware mutations of a manifest's text: whole lines removed, repeated, swapped or
//! re-indented, YAML tokens inserted, a value swapped for one of a different type, random bytes.
//! Seeded and small, so the same seed always gives the same text. Shared by the seeded test
//! (`core/tests/fuzz.rs`) and the libFuzzer mutator (`core/fuzz`).

/// xorshift64*: small, seeded, good enough to pick mutations.
pub struct Rng(pub u64);

impl Rng {
    /// A generator from any seed (a zero state would stay zero).
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// YAML tokens and fragments that change a document's structure or a scalar's type.
pub const SNIPPETS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "&a ",
    "*a",
    "<<: *a",
    "---",
    "...",
    "? ",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!local ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "\\",
    "|",
    "|-",
    ">+",
    "#",
    "%YAML 1.1",
    "%TAG ! tag:x,2000:",
    "\t",
    "\n",
    "  ",
    "yes",
    "on",
    "~",
    "0x1F",
    "0o17",
    "0440",
    "1e400",
    "-.inf",
    ".nan",
    "9223372036854775808",
    "-9223372036854775809",
    "é",
    "√©",
    "\u{feff}",
    "\u{0}",
    "\r\n",
    "\r",
    ": :",
    "- - -",
    "apiVersion: v1",
    "apiVersion: apps/v1",
    "kind: Secret",
    "kind: Deployment",
    "metadata:\n  name: x",
    "data:\n  k: ==",
    "ports: [{port: 0}]",
    "schedule: \"@every 1h\"",
    "image: \"\"",
    "valueFrom:\n  configMapKeyRef: {name: x, key: y}",
];

/// Values for a `key: value` line that keep the YAML readable but change the type or range.
pub const VALUES: &[&str] = &[
    "0",
    "-1",
    "70000",
    "4294967296",
    "yes",
    "\"\"",
    "null",
    "[]",
    "{}",
    "1.5",
    "Always",
    "x y",
    "a/b",
    "*/0 * * * *",
    "61 * * * *",
    "@yearly",
    "1Gi",
    "500m",
    "abc==",
    "http",
    "\"5\"",
];

/// Applies one to three mutations to `text`.
pub fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..=rng.below(3) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let i = rng.below(lines.len());
        match rng.below(9) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                let pad = [" ", "  ", "\t", ""][rng.below(4)];
                lines[i] = if rng.below(2) == 0 {
                    format!("{pad}{}", lines[i])
                } else {
                    lines[i].trim_start_matches(' ').to_owned()
                };
            }
            4 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                let chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                lines[i] = chars[..at].iter().collect::<String>()
                    + s
                    + &chars[at..].iter().collect::<String>();
            }
            5 => {
                if let Some((k, _)) = lines[i].split_once(": ") {
                    lines[i] = format!("{k}: {}", VALUES[rng.below(VALUES.len())]);
                }
            }
            6 => {
                let chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                lines[i] = chars[..at].iter().collect();
            }
            7 => {
                // A block of lines moved elsewhere, keeping its indentation.
                let n = (rng.below(4) + 1).min(lines.len() - i);
                let block: Vec<String> = lines.drain(i..i + n).collect();
                let at = rng.below(lines.len() + 1);
                lines.splice(at..at, block);
            }
            _ => {
                let n = rng.below(6) + 1;
                let bytes: Vec<u8> = (0..n).map(|_| (rng.next_u64() & 0xff) as u8).collect();
                lines[i].push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    lines.join("\n")
}
