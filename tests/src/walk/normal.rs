//! What differs between two runs of the same command in two namespaces, replaced by stable
//! words so that the rest can be compared byte for byte: the namespace's name, ages, the fields
//! the API server fills per object, timestamps, UUIDs and the random suffixes of generated
//! names.

use std::collections::HashMap;

/// Ages (`5s`, `2m3s`), the namespace's name, and the fields the API server fills per object
/// (uid, resourceVersion, creationTimestamp) replaced; every other byte kept.
pub fn normalise(text: &str, ns: &str) -> String {
    let text = text.replace(ns, "NAMESPACE");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = ["uid:", "resourceVersion:", "creationTimestamp:"]
            .into_iter()
            .find(|key| trimmed.starts_with(key));
        if let Some(key) = key {
            out.push_str(&line[..line.len() - trimmed.len()]);
            out.push_str(key);
            out.push_str(" X\n");
            continue;
        }
        let mut word = String::new();
        for c in line.chars() {
            if c.is_whitespace() {
                out.push_str(if is_age(&word) { "AGE" } else { &word });
                word.clear();
                out.push(c);
            } else {
                word.push(c);
            }
        }
        out.push_str(if is_age(&word) { "AGE" } else { &word });
    }
    out
}

/// `45s`, `3m`, `2m10s`, `5h`, `3d`: how kubectl prints ages.
pub fn is_age(word: &str) -> bool {
    let mut rest = word;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(unit) = rest[digits..].chars().next() else {
            return false;
        };
        if digits == 0 || !"smhdy".contains(unit) {
            return false;
        }
        rest = &rest[digits + 1..];
        parts += 1;
    }
    parts > 0
}

/// [`normalise`], then timestamps (RFC 3339 as in YAML, RFC 1123 as `describe` prints them)
/// become `TIME`, UUIDs (a bound volume's `pvc-…`) `UUID`, and each generated name
/// (`postgres-db-5d8c7b9f4-x2k4q`) its stem and a number given by order of first appearance
/// (`postgres-db-5d8c7b9f4-#1`): two namespaces show the same objects under different
/// random suffixes, and kubectl sorts rows by name.
pub fn comparable(text: &str, ns: &str) -> String {
    let text = normalise(text, ns);
    let text = replace_shapes(&text);
    generated_names(&text)
}

/// The letters Kubernetes draws random name suffixes from (no vowels, no 0, 1, 3).
const SUFFIX_ALPHABET: &str = "bcdfghjklmnpqrstvwxz2456789";

/// A name ending in `-` and five letters of [`SUFFIX_ALPHABET`]: its stem.
fn generated_stem(name: &str) -> Option<&str> {
    let (stem, suffix) = name.rsplit_once('-')?;
    let random = suffix.len() == 5 && suffix.chars().all(|c| SUFFIX_ALPHABET.contains(c));
    (random && !stem.is_empty()).then_some(stem)
}

fn generated_names(text: &str) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let is_name_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let mut flush = |word: &mut String, out: &mut String| {
        match generated_stem(word) {
            Some(stem) => {
                let next = seen.len() + 1;
                let n = *seen.entry(word.clone()).or_insert(next);
                out.push_str(&format!("{stem}-#{n}"));
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if is_name_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Shapes replaced by a word: `9` a digit, `x` a lowercase hex digit, `A` a letter, `+` a sign,
/// any other byte itself.
const SHAPES: [(&str, &str); 3] = [
    ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "UUID"),
    ("9999-99-99T99:99:99", "TIME"),
    ("AAA, 99 AAA 9999 99:99:99 +9999", "TIME"),
];

fn fits(text: &[u8], shape: &str) -> bool {
    text.len() >= shape.len()
        && shape.bytes().zip(text).all(|(s, &t)| match s {
            b'9' => t.is_ascii_digit(),
            b'x' => t.is_ascii_digit() || (b'a'..=b'f').contains(&t),
            b'A' => t.is_ascii_alphabetic(),
            b'+' => t == b'+' || t == b'-',
            other => other == t,
        })
}

fn replace_shapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let found = SHAPES.iter().find(|(shape, _)| fits(&bytes[i..], shape));
        let Some((shape, word)) = found else {
            i += 1;
            continue;
        };
        out.push_str(&text[copied..i]);
        out.push_str(word);
        i += shape.len();
        if *word == "TIME" {
            // The rest of an RFC 3339 time: fraction, then `Z` or an offset.
            let rest = &bytes[i..];
            let mut n = 0;
            if rest.first() == Some(&b'.') {
                n = 1 + rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            }
            if rest.get(n) == Some(&b'Z') {
                n += 1;
            } else if fits(&rest[n..], "+99:99") {
                n += 6;
            }
            i += n;
        }
        copied = i;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_recognised() {
        for age in ["0s", "45s", "3m", "2m10s", "5h", "3d", "1y"] {
            assert!(is_age(age), "{age}");
        }
        for word in ["", "s", "web", "3", "1/1", "iris-config", "5x"] {
            assert!(!is_age(word), "{word}");
        }
        assert_eq!(
            normalise("NAME   DATA   AGE\nx      1      12s\n", "ns"),
            "NAME   DATA   AGE\nx      1      AGE\n"
        );
    }

    #[test]
    fn generated_names_get_numbers_by_order_of_appearance() {
        let a =
            "pod/postgres-db-6d9f8-x2k4q pod/postgres-db-6d9f8-b7zzp \"postgres-db-6d9f8-x2k4q\"";
        let b =
            "pod/postgres-db-6d9f8-mm5wt pod/postgres-db-6d9f8-q9rtc \"postgres-db-6d9f8-mm5wt\"";
        assert_eq!(comparable(a, "ns-a"), comparable(b, "ns-b"));
        assert_eq!(
            comparable(a, "ns-a"),
            "pod/postgres-db-6d9f8-#1 pod/postgres-db-6d9f8-#2 \"postgres-db-6d9f8-#1\""
        );
        // Names the worksheet chose stay as they are.
        for name in [
            "iris-config",
            "iris-secrets",
            "postgres-pvc",
            "mcp-server",
            "pydantic-agent",
            "iris-retrainer-manual",
        ] {
            assert_eq!(comparable(name, "ns"), name);
        }
    }

    #[test]
    fn times_and_uuids_are_replaced() {
        assert_eq!(
            comparable(
                "creationTime: 2026-11-28T12:06:00Z at Sat, 28 Nov 2026 12:06:00 +0000 on pvc-3f2a9c1e-0b7d-4e8f-9a1b-2c3d4e5f6a7b",
                "ns"
            ),
            "creationTime: TIME at TIME on pvc-UUID"
        );
        assert_eq!(
            comparable("t 2026-11-28T12:06:00.123+01:00 !", "ns"),
            "t TIME !"
        );
    }
}
