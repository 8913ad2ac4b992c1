//! Worksheet files that arrive mis-decoded. A file saved as UTF-8 and once read as Mac Roman,
//! Windows-1252 or ISO-8859-1 (sometimes twice) shows `√©` or `Ã©` for `é`; a file that was
//! never UTF-8 shows nothing sensible at all. [`repair`] undoes the first mistake wherever it
//! happened, run of characters by run, and only where the result is more plausible than what
//! was there, so correct text — `√π`, a Portuguese `NÃO`, French quotation marks — stays as it
//! is. [`decode`] reads the bytes of a file: UTF-8 (with or without its byte order mark),
//! UTF-16 with its mark, or one of the single-byte encodings, whichever reads most plausibly.

mod score;
mod tables;

use score::Context;

#[cfg(test)]
mod samples;
#[cfg(test)]
mod tests;

/// An encoding a worksheet file was in, or was mistakenly read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    MacRoman,
    Windows1252,
    /// ISO-8859-1.
    Latin1,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// The encoding's usual name, to tell the learner what was repaired.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::MacRoman => "Mac Roman",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Latin1 => "ISO-8859-1",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// A worksheet's text, and what it was recovered from when it was not plain UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub text: String,
    /// For [`repair`]: the encoding the text had been mistakenly read as (the one behind most
    /// of the repairs). For [`decode`]: the file's own encoding when it was not UTF-8, else
    /// the mistaken reading repaired inside it. `None`: the text was already right.
    pub fixed: Option<Encoding>,
}

/// How many mistaken readings on top of each other are undone at most.
const LAYERS: u8 = 3;

const BOM: char = '\u{FEFF}';

/// Undo a mistaken reading of UTF-8 text wherever one shows; leave everything else untouched.
pub fn repair(text: &str) -> Repaired {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut votes = Votes::default();
    let mut done = 0;
    for (start, end) in runs(&chars) {
        out.extend(&chars[done..start]);
        let run = &chars[start..end];
        match undo_run(run, Context::of(&chars, start, end)) {
            Some(fix) => {
                votes.add(fix.evidence);
                out.extend(fix.chars);
            }
            None => out.extend(run),
        }
        done = end;
    }
    out.extend(&chars[done..]);
    // A byte order mark that was itself mis-decoded (`ï»¿`) is dropped, not restored.
    if !text.starts_with(BOM) && out.starts_with(BOM) {
        out.remove(0);
    }
    Repaired {
        text: out,
        fixed: votes.winner(),
    }
}

/// Read a worksheet file's bytes, whatever encoding it is in, and repair what was mis-decoded.
pub fn decode(bytes: &[u8]) -> Repaired {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return from_bytes(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, Encoding::Utf16Be);
    }
    if let Some(encoding) = utf16_without_mark(bytes) {
        return utf16(bytes, encoding);
    }
    from_bytes(bytes)
}

fn from_bytes(bytes: &[u8]) -> Repaired {
    match std::str::from_utf8(bytes) {
        Ok(text) => repair(text),
        Err(_) => single_byte(bytes),
    }
}

/// A file that is not UTF-8: the lines that are UTF-8 stay so (a file can be a mixture), the
/// others are read in the single-byte encoding that makes them most plausible.
fn single_byte(bytes: &[u8]) -> Repaired {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    let foreign: Vec<&[u8]> = lines
        .iter()
        .copied()
        .filter(|l| std::str::from_utf8(l).is_err())
        .collect();
    let mut best = (Encoding::Windows1252, u32::MAX);
    for encoding in [Encoding::Windows1252, Encoding::MacRoman, Encoding::Latin1] {
        let cost = foreign
            .iter()
            .map(|l| text_cost(&read_as(l, encoding)))
            .sum();
        if cost < best.1 {
            best = (encoding, cost);
        }
    }
    let mut encoding = best.0;
    // Without any byte of 0x80–0x9F, Windows-1252 and ISO-8859-1 read alike: say the latter.
    if encoding == Encoding::Windows1252
        && !foreign
            .iter()
            .any(|l| l.iter().any(|b| (0x80..=0x9F).contains(b)))
    {
        encoding = Encoding::Latin1;
    }
    let text: String = lines
        .iter()
        .map(|l| match std::str::from_utf8(l) {
            Ok(line) => line.to_owned(),
            Err(_) => read_as(l, encoding),
        })
        .collect();
    Repaired {
        text: repair(&text).text,
        fixed: Some(encoding),
    }
}

fn read_as(bytes: &[u8], encoding: Encoding) -> String {
    bytes
        .iter()
        .map(|&b| tables::char_of(encoding, b))
        .collect()
}

fn utf16(bytes: &[u8], encoding: Encoding) -> Repaired {
    let units = bytes.chunks(2).map(|pair| match (pair, encoding) {
        ([a, b], Encoding::Utf16Be) => u16::from_be_bytes([*a, *b]),
        ([a, b], _) => u16::from_le_bytes([*a, *b]),
        // A last lone byte cannot be a character.
        _ => 0xFFFD,
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Repaired {
        text: repair(&text).text,
        fixed: Some(encoding),
    }
}

/// UTF-16 without its mark shows as text whose every other byte is zero.
fn utf16_without_mark(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let zeros = |parity: usize| {
        bytes
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let many = bytes.len() / 2 * 3 / 10;
    match (even, odd) {
        (0, odd) if odd > many => Some(Encoding::Utf16Le),
        (even, 0) if even > many => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// The runs of non-ASCII characters: a character UTF-8 writes in several bytes becomes, once
/// misread, such a run, with ASCII (or the text's ends) around it.
fn runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_ascii() {
            i += 1;
        }
        found.push((start, i));
    }
    found
}

/// How implausible a whole text is.
fn text_cost(text: &str) -> u32 {
    let chars: Vec<char> = text.chars().collect();
    runs(&chars)
        .into_iter()
        .map(|(start, end)| score::cost(&chars[start..end], Context::of(&chars, start, end)))
        .sum()
}

/// A run with a mistaken reading undone, how plausible it now is, and what the mistake was.
struct Fix {
    chars: Vec<char>,
    cost: u32,
    evidence: Evidence,
}

/// The most plausible undoing of a run, if it is more plausible than the run itself.
fn undo_run(run: &[char], context: Context) -> Option<Fix> {
    if score::is_formula(run, context) {
        return None;
    }
    let before = score::cost(run, context);
    best_undoing(run, context, LAYERS).filter(|fix| fix.cost < before)
}

fn best_undoing(run: &[char], context: Context, layers: u8) -> Option<Fix> {
    let mut best: Option<Fix> = None;
    for encoding in [Encoding::Windows1252, Encoding::MacRoman] {
        let Some((once, leftovers)) = undo_once(run, encoding) else {
            continue;
        };
        let evidence = Evidence::of(run, encoding);
        let mut fix = Fix {
            cost: score::cost(&once, context) + leftovers,
            chars: once,
            evidence,
        };
        if layers > 1
            && let Some(deeper) = best_undoing(&fix.chars, context, layers - 1)
            && deeper.cost + leftovers < fix.cost
        {
            fix = Fix {
                cost: deeper.cost + leftovers,
                evidence,
                ..deeper
            };
        }
        if best.as_ref().is_none_or(|b| fix.cost < b.cost) {
            best = Some(fix);
        }
    }
    best
}

/// Turn the run back into the bytes it was read from and read those as UTF-8, sequence by
/// sequence: characters that do not form a UTF-8 sequence stay, and are counted (a reading
/// that explains the whole run is the likelier). `None` when no sequence is found.
fn undo_once(run: &[char], encoding: Encoding) -> Option<(Vec<char>, u32)> {
    let bytes: Vec<Option<u8>> = run.iter().map(|&c| tables::byte_of(encoding, c)).collect();
    let mut out = Vec::with_capacity(run.len());
    let mut leftovers = 0;
    let mut changed = false;
    let mut i = 0;
    while i < run.len() {
        match sequence_at(&bytes[i..]) {
            Some((c, len)) => {
                out.push(c);
                i += len;
                changed = true;
            }
            None => {
                out.push(run[i]);
                leftovers += 1;
                i += 1;
            }
        }
    }
    changed.then_some((out, leftovers))
}

/// The character of the UTF-8 sequence that starts the bytes, and its length.
fn sequence_at(bytes: &[Option<u8>]) -> Option<(char, usize)> {
    let len = match bytes.first().copied().flatten()? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let sequence: Vec<u8> = bytes.get(..len)?.iter().copied().collect::<Option<_>>()?;
    let c = std::str::from_utf8(&sequence).ok()?.chars().next()?;
    Some((c, len))
}

/// Which reading a repaired run shows: Windows-1252 and ISO-8859-1 differ only in 0x80–0x9F.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    MacRoman,
    Windows1252,
    Latin1,
    /// Either of those two.
    Western,
}

impl Evidence {
    fn of(run: &[char], encoding: Encoding) -> Evidence {
        if encoding == Encoding::MacRoman {
            return Evidence::MacRoman;
        }
        let control = run.iter().any(|&c| ('\u{80}'..='\u{9F}').contains(&c));
        let typographic = run.iter().any(|&c| {
            !('\u{80}'..='\u{FF}').contains(&c)
                && tables::byte_of(Encoding::Windows1252, c).is_some_and(|b| b < 0xA0)
        });
        match (control, typographic) {
            (_, true) => Evidence::Windows1252,
            (true, false) => Evidence::Latin1,
            (false, false) => Evidence::Western,
        }
    }
}

#[derive(Default)]
struct Votes {
    mac_roman: usize,
    windows_1252: usize,
    latin1: usize,
    western: usize,
}

impl Votes {
    fn add(&mut self, evidence: Evidence) {
        match evidence {
            Evidence::MacRoman => self.mac_roman += 1,
            Evidence::Windows1252 => self.windows_1252 += 1,
            Evidence::Latin1 => self.latin1 += 1,
            Evidence::Western => self.western += 1,
        }
    }

    fn winner(&self) -> Option<Encoding> {
        let western = self.windows_1252 + self.latin1 + self.western;
        if self.mac_roman == 0 && western == 0 {
            None
        } else if self.mac_roman > western {
            Some(Encoding::MacRoman)
        } else if self.latin1 > self.windows_1252 {
            Some(Encoding::Latin1)
        } else {
            Some(Encoding::Windows1252)
        }
    }
}
