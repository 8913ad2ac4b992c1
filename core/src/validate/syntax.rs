//! The string formats the API server checks: names, label keys and values, quantities, base64,
//! port names; and "did you mean" suggestions.

/// Edit distance (Levenshtein), on characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word` if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let max = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.to_ascii_lowercase() == lower {
            0
        } else {
            distance(&lower, &c.to_ascii_lowercase())
        };
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub(crate) fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && is_label_shape(s)
}

/// Lowercase letters, digits and `-`, not empty, starting and ending with a letter or digit:
/// a DNS-1123 label whatever its length.
pub(crate) fn is_label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// Dot-separated DNS-1123 labels, at most 253 characters.
pub(crate) fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_label_shape)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters (label values may be empty).
pub(crate) fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_qualified_part(s)
}

fn is_qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A label or annotation key: an optional DNS subdomain prefix and `/`, then a name part.
pub(crate) fn is_qualified_name(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => is_dns1123_subdomain(prefix) && is_qualified_part(name),
        None => is_qualified_part(s),
    }
}

/// An IANA service name (port names): 1–15 of `[a-z0-9-]`, a letter somewhere, no `--`,
/// not starting or ending with `-`.
pub(crate) fn is_port_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 15
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.iter().any(u8::is_ascii_lowercase)
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !s.contains("--")
}

/// A ConfigMap or Secret key: `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`.
pub(crate) fn is_config_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A resource quantity: `[+-]?(digits[.digits]|.digits)` then a binary or decimal suffix or an
/// exponent. Examples: `500m`, `1Gi`, `0.5`, `1e3`.
pub(crate) fn is_quantity(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let num_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(num_end);
    let digits = num.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || num.matches('.').count() > 1 {
        return false;
    }
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T"
        | "P" | "E" => true,
        _ => {
            let Some(exp) = suffix.strip_prefix(['e', 'E']) else {
                return false;
            };
            let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            !exp.is_empty() && exp.bytes().all(|c| c.is_ascii_digit())
        }
    }
}

/// Standard base64 with padding, line breaks ignored (as Go's decoder does).
pub(crate) fn is_base64(s: &str) -> bool {
    let body: Vec<u8> = s.bytes().filter(|c| *c != b'\n' && *c != b'\r').collect();
    if !body.len().is_multiple_of(4) {
        return false;
    }
    let pad = body.iter().rev().take_while(|c| **c == b'=').count();
    pad <= 2
        && body[..body.len() - pad]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// Decoded length of valid base64.
pub(crate) fn base64_len(s: &str) -> usize {
    let n = s.bytes().filter(|c| *c != b'\n' && *c != b'\r').count();
    let pad = s
        .bytes()
        .rev()
        .filter(|c| *c != b'\n' && *c != b'\r')
        .take_while(|c| *c == b'=')
        .count();
    (n / 4) * 3 - pad.min(2)
}

/// The value of a quantity written in YAML, as the API server reads it: a string with a unit,
/// a number, or nothing (`~`, the zero quantity of a map entry left empty).
pub(crate) fn node_quantity(n: &crate::yaml::Node) -> Option<f64> {
    use crate::yaml::NodeKind;
    match &n.kind {
        NodeKind::Str(s) if is_quantity(s) => quantity_value(s),
        #[allow(clippy::cast_precision_loss)]
        NodeKind::Int(i) => Some(*i as f64),
        NodeKind::Float(f) => Some(*f),
        NodeKind::Null => Some(0.0),
        _ => None,
    }
}

/// The value of a quantity in base units (approximate), for "must be positive" checks.
pub(crate) fn quantity_value(s: &str) -> Option<f64> {
    let num_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(num_end);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        e => 10f64.powi(e.get(1..)?.parse::<i32>().ok()?),
    };
    Some(n * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_dns1123_label("postgres-db"));
        assert!(!is_dns1123_label("Postgres"));
        assert!(!is_dns1123_label("-a"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_dns1123_subdomain("iris.config"));
        // No length per label in a subdomain, only 253 in all.
        assert!(is_dns1123_subdomain(&"a".repeat(64)));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(!is_dns1123_subdomain("iris_config"));
        assert!(is_qualified_name("app.kubernetes.io/name"));
        assert!(!is_qualified_name("app name"));
        assert!(is_label_value("") && is_label_value("v1.0_b") && !is_label_value("-x"));
        assert!(
            is_port_name("http")
                && !is_port_name("8080")
                && !is_port_name("http--a")
                && !is_port_name("very-long-port-name")
        );
        assert!(
            is_config_key("API_NAME")
                && is_config_key("a.b-c")
                && !is_config_key("a/b")
                && !is_config_key("..")
        );
    }

    #[test]
    fn quantities_and_base64() {
        for ok in ["1Gi", "500m", "0.5", "1e3", "128Mi", "+1", ".5", "2E"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["1GB", "1gi", "Gi", "", "1.2.3", "1 Gi", "abc", "1e"] {
            assert!(!is_quantity(bad), "{bad}");
        }
        assert_eq!(quantity_value("1Gi"), Some(1073741824.0));
        assert!(
            is_base64("c2VjcmV0")
                && is_base64("YQ==")
                && !is_base64("secret!")
                && !is_base64("abc")
        );
        assert_eq!(base64_len("YQ=="), 1);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("contianers", ["containers", "volumes"].into_iter()),
            Some("containers")
        );
        assert_eq!(
            closest("ImagePullPolicy", ["imagePullPolicy"].into_iter()),
            Some("imagePullPolicy")
        );
        assert_eq!(closest("xyz", ["containers"].into_iter()), None);
    }
}
