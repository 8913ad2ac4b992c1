//! Resolution of plain scalars the way Kubernetes reads YAML.
//!
//! `kubectl` and the API server read YAML through sigs.k8s.io/yaml, which follows go-yaml v2: a
//! YAML 1.1 flavour where `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0777` is octal and `_` may
//! separate digits. YAML 1.2 (and so saphyr or serde_yaml 0.9) would read `on` as a string; we
//! follow Kubernetes, since that is what decides whether the object is accepted.

use super::NodeKind;

/// What a plain (unquoted) scalar means.
pub(crate) fn resolve_plain(text: &str) -> NodeKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return NodeKind::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return NodeKind::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return NodeKind::Str(text.to_owned());
    }
    if let Some(i) = parse_int(text) {
        return NodeKind::Int(i);
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return NodeKind::Float(f);
    }
    NodeKind::Str(text.to_owned())
}

/// Integers as go-yaml v2 reads them: optional sign, `0b`, `0x`, `0o` or leading-`0` octal, `_`
/// separators. Values beyond `i64` are left to the float/string rules.
fn parse_int(text: &str) -> Option<i64> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(d) = body.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = body.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o") {
        (8, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let value = if neg { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

/// The key a scalar becomes in JSON: sigs.k8s.io/yaml turns non-string keys into their text,
/// so `on:` is the key `"true"` and `8080:` is `"8080"`.
pub(crate) fn key_text(kind: &NodeKind, raw: &str) -> String {
    match kind {
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Null => "null".to_owned(),
        _ => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> NodeKind {
        resolve_plain(s)
    }

    #[test]
    fn yaml_1_1_booleans() {
        assert_eq!(r("yes"), NodeKind::Bool(true));
        assert_eq!(r("Off"), NodeKind::Bool(false));
        assert_eq!(r("y"), NodeKind::Bool(true));
        assert_eq!(r("yess"), NodeKind::Str("yess".into()));
    }

    #[test]
    fn numbers() {
        assert_eq!(r("8000"), NodeKind::Int(8000));
        assert_eq!(r("-12"), NodeKind::Int(-12));
        assert_eq!(r("0777"), NodeKind::Int(0o777));
        assert_eq!(r("0x1F"), NodeKind::Int(31));
        assert_eq!(r("1_000"), NodeKind::Int(1000));
        assert_eq!(r("1.5"), NodeKind::Float(1.5));
        assert_eq!(r("1e3"), NodeKind::Float(1000.0));
        assert_eq!(r("1Gi"), NodeKind::Str("1Gi".into()));
        assert_eq!(r("500m"), NodeKind::Str("500m".into()));
        assert_eq!(r("089"), NodeKind::Float(89.0));
        assert_eq!(r("1.2.3"), NodeKind::Str("1.2.3".into()));
        assert_eq!(r("-"), NodeKind::Str("-".into()));
        assert_eq!(r("~"), NodeKind::Null);
    }
}
