//! Finds the hosts a string names: URLs (`http://NAME:PORT/path`, `redis://user@NAME`) and bare
//! `NAME:PORT` words, in one pass over the bytes, with where each host and port sits in the
//! string. What counts as a Service is decided by the caller; this only reads the text.

/// One host named in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HostRef<'a> {
    /// The scheme, lower-case, when the host came from a URL.
    pub scheme: Option<String>,
    /// The host as written (letters, digits, dots and dashes only).
    pub host: &'a str,
    /// Byte offset of the host in the string.
    pub at: usize,
    /// The port written after the host, and its byte offset.
    pub port: Option<(u32, usize)>,
}

/// Bytes that end a URL's authority or a bare word.
fn ends_word(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"'`<>,;()[]{}|=\\".contains(&b)
}

fn host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// `[a-z0-9-]+` labels separated by single dots, with a letter somewhere (not an IP address).
fn plausible_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.bytes().any(|b| b.is_ascii_alphabetic())
        && host
            .trim_end_matches('.')
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
}

/// A `HOST[:PORT]` read from a string.
struct HostPort<'a> {
    host: &'a str,
    /// The port and its byte offset.
    port: Option<(u32, usize)>,
    /// The byte offset just after it.
    end: usize,
}

/// Reads `HOST[:PORT]` from `text[from..]`, which must be followed by the end of the
/// authority (`/`, `?`, `#`, a word's end or the end of the text).
fn host_port(text: &str, from: usize) -> Option<HostPort<'_>> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() && host_byte(bytes[i]) {
        i += 1;
    }
    let host = &text[from..i];
    let mut port = None;
    if bytes.get(i) == Some(&b':') {
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        let n: u32 = text[start..j]
            .parse()
            .ok()
            .filter(|n| (1..=65535).contains(n))?;
        port = Some((n, start));
        i = j;
    }
    let end_ok = bytes
        .get(i)
        .is_none_or(|&b| ends_word(b) || b"/?#".contains(&b));
    (end_ok && plausible_host(host)).then_some(HostPort { host, port, end: i })
}

/// Every URL's host in `text`, and every bare `NAME:PORT` word (a word that is exactly a host, a
/// colon and a port, optionally followed by a path).
pub(super) fn scan(text: &str) -> Vec<HostRef<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut word_start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        if i == bytes.len() || ends_word(bytes[i]) {
            if word_start < i {
                word(text, word_start, i, &mut out);
            }
            word_start = i + 1;
        }
        i += 1;
    }
    out
}

/// One word `text[start..end]`: the URLs in it, else a bare `NAME:PORT`.
fn word<'a>(text: &'a str, start: usize, end: usize, out: &mut Vec<HostRef<'a>>) {
    let w = &text[start..end];
    let wb = w.as_bytes();
    let mut found_url = false;
    let mut from = 0;
    while let Some(k) = w[from..].find("://").map(|k| k + from) {
        found_url = true;
        from = k + 3;
        let scheme_start = w[..k]
            .bytes()
            .rposition(|b| !(b.is_ascii_alphanumeric() || b"+.-".contains(&b)))
            .map_or(0, |p| p + 1);
        let scheme = &w[scheme_start..k];
        if !scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            continue;
        }
        // The authority runs to the first `/`, `?` or `#`; its host follows any `user:pass@`.
        let auth_end = wb[from..]
            .iter()
            .position(|b| b"/?#".contains(b))
            .map_or(wb.len(), |p| p + from);
        let host_start = w[from..auth_end].rfind('@').map_or(from, |p| from + p + 1);
        if let Some(hp) = host_port(w, host_start) {
            out.push(HostRef {
                scheme: Some(scheme.to_ascii_lowercase()),
                host: hp.host,
                at: start + host_start,
                port: hp.port.map(|(p, at)| (p, start + at)),
            });
        }
    }
    if found_url {
        return;
    }
    if let Some(HostPort {
        host,
        port: Some((p, at)),
        end,
    }) = host_port(w, 0)
        && (end == wb.len() || wb[end] == b'/')
    {
        out.push(HostRef {
            scheme: None,
            host,
            at: start,
            port: Some((p, start + at)),
        });
    }
}
