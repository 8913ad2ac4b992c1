//! How implausible a run of non-ASCII characters is where it stands: the higher, the more it
//! looks like text read in the wrong encoding. Each character costs by how common it is in
//! real text; pairs that real text rarely has (an accented capital inside a lowercase word, a
//! symbol glued to a letter, letters of two scripts touching) cost more.

/// The characters around a run: up to two before and two after, nearest last and first.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Context<'a> {
    pub before: &'a [char],
    pub after: &'a [char],
}

impl<'a> Context<'a> {
    /// The context of `chars[start..end]`.
    pub fn of(chars: &'a [char], start: usize, end: usize) -> Context<'a> {
        Context {
            before: &chars[start.saturating_sub(2)..start],
            after: &chars[end..(end + 2).min(chars.len())],
        }
    }

    fn prev(&self) -> Option<char> {
        self.before.last().copied()
    }

    fn next(&self) -> Option<char> {
        self.after.first().copied()
    }
}

/// The cost of `run` where it stands.
pub(super) fn cost(run: &[char], context: Context) -> u32 {
    let mut total: u32 = run.iter().map(|&c| base(c)).sum();
    let mut window: Vec<char> = Vec::with_capacity(run.len() + 4);
    window.extend_from_slice(context.before);
    window.extend_from_slice(run);
    window.extend_from_slice(context.after);
    for pair in window.windows(2) {
        total += pair_cost(pair[0], pair[1]);
    }
    for triple in window.windows(3) {
        let [a, b, c] = [triple[0], triple[1], triple[2]];
        // `Å“uvre`: an accented capital and a mark inside a word, where a letter was.
        if is_latin_upper(a)
            && !b.is_ascii()
            && !b.is_alphanumeric()
            && !b.is_whitespace()
            && c.is_alphabetic()
        {
            total += 2;
        }
        // `IRMà`: a small accented letter ending a word in capitals.
        if a.is_uppercase() && b.is_uppercase() && !c.is_ascii() && c.is_lowercase() {
            total += 2;
        }
    }
    for (i, &c) in window.iter().enumerate() {
        if c.is_ascii() {
            continue;
        }
        let before = i.checked_sub(1).and_then(|j| window.get(j)).copied();
        let after = window.get(i + 1).copied();
        let beside =
            |test: &dyn Fn(char) -> bool| before.is_some_and(test) || after.is_some_and(test);
        // A non-breaking space beside an ordinary one (or a line break).
        if c.is_whitespace() && beside(&|n| n.is_ascii_whitespace()) {
            total += 3;
        }
        // A rare letter of another script than Latin, alone among letters of other scripts
        // or none.
        if let Some(script) = script(c).filter(|s| *s != Script::Latin)
            && !is_core_letter(u32::from(c))
            && !beside(&|n| script_of_letter(n) == Some(script))
        {
            total += 2;
        }
    }
    total
}

/// Whether the run is mathematics standing apart from words (`√π`, `3×²`): such runs stay as
/// they are even where a wrong reading would turn them into a letter.
pub(super) fn is_formula(run: &[char], context: Context) -> bool {
    let apart = |c: Option<char>| !c.is_some_and(char::is_alphabetic);
    apart(context.prev())
        && apart(context.next())
        && run.iter().all(|&c| MATHS.contains(c) || c.is_ascii_digit())
}

const MATHS: &str = "√∞±≤≥∂∑∏π∫Ω≈∆≠÷×◊µ·°²³¹ƒ⁄¼½¾′″";

/// The characters of typesetting that real text uses everywhere, and the symbols that come
/// up in prose; the others of Latin-1 are rarer.
const COMMON_MARKS: &str = "–—‘’‚“”„†‡•…‰‹›«»¡¿·§¶©®™°€£¥¢′″";
const RARE_LATIN1_SIGNS: &str = "¤¦¨¯´¸¬±×÷¹²³¼½¾\u{AD}";
/// Letters outside Latin-1 that French and the languages of Windows-1252 use.
const COMMON_LETTERS: &str = "œŒšŠžŽŸ";
const RARE_LATIN1_LETTERS: &str = "ðþÐÞýÝÿªºµ";

fn base(c: char) -> u32 {
    let cp = u32::from(c);
    match cp {
        0..=0x7F => 0,
        0x80..=0x9F => 20,
        0xE000..=0xF8FF | 0xF0000.. | 0xFDD0..=0xFDEF => 20,
        _ if cp & 0xFFFE == 0xFFFE => 20,
        0xFFFD => 4,
        0xFEFF => 1,
        _ if c.is_whitespace() => 1,
        0x200B..=0x200D | 0x2060 | 0xFE00..=0xFE0F => 1,
        // The accents of decomposed text; the other combining marks are rare.
        0x0300..=0x0308 | 0x030A..=0x030C | 0x0327 | 0x0328 => 2,
        0x0309..=0x036F => 5,
        _ if RARE_LATIN1_LETTERS.contains(c) => 2,
        _ if COMMON_MARKS.contains(c) || COMMON_LETTERS.contains(c) => 1,
        _ if RARE_LATIN1_SIGNS.contains(c) => 2,
        0xC0..=0xFF => 1,
        0x100..=0x17F | 0x1E00..=0x1EFF => 2,
        0x180..=0x24F => 3,
        0x250..=0x2FF => 5,
        0xFB00..=0xFB06 => 3,
        0x2044 | 0x2200..=0x22FF | 0x25CA => 2,
        0x2010..=0x205E | 0x20A0..=0x20C0 | 0x2190..=0x21FF | 0x2300..=0x23FF => 1,
        0x2500..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1FAFF => 1,
        0x3000..=0x303F | 0xFF00..=0xFFEF => 1,
        _ if c.is_alphabetic() && is_core_letter(cp) => 1,
        _ if c.is_alphabetic() && matches!(script(c), Some(Script::Other(_))) => 4,
        _ if c.is_alphabetic() => 3,
        _ => 5,
    }
}

/// The letters of the alphabets themselves (not their supplements): Greek, Cyrillic,
/// Armenian, Hebrew, Arabic, Chinese, Japanese and Korean.
fn is_core_letter(cp: u32) -> bool {
    matches!(
        cp,
        0x386..=0x3CE
            | 0x401..=0x45F
            | 0x531..=0x587
            | 0x5D0..=0x5EA
            | 0x620..=0x64A
            | 0x3041..=0x30FF
            | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7A3
    )
}

fn pair_cost(a: char, b: char) -> u32 {
    if a.is_ascii() && b.is_ascii() {
        return 0;
    }
    let mut cost = 0;
    let latin_lower = |c: char| c.is_lowercase() && script_of_letter(c) == Some(Script::Latin);
    // `cÃ`, `2Â`: a capital from the upper half right after a small letter or a digit.
    if (latin_lower(a) || a.is_ascii_digit()) && is_latin_upper(b) {
        cost += 4;
    }
    // `Äî`: an accented capital followed by an accented small letter.
    if is_latin_upper(a) && !b.is_ascii() && latin_lower(b) {
        cost += 2;
    }
    // `Â«`, `Â°`, `¬†`, `¬∞`: what a misread non-breaking space or sign begins with.
    if (a == 'Â' && ('\u{A0}'..='\u{BF}').contains(&b)) || (a == '¬' && !b.is_ascii()) {
        cost += 3;
    }
    // Letters of two scripts touching.
    if let (Some(x), Some(y)) = (script_of_letter(a), script_of_letter(b))
        && x != y
    {
        cost += 6;
    }
    // A symbol glued to a letter: `√©e`, `c√`.
    if (a.is_alphabetic() && is_symbol(b)) || (is_symbol(a) && b.is_alphabetic()) {
        cost += 3;
    }
    // A combining mark, or an emoji's variation selector, after a letter it cannot go with.
    if (0x0300..=0x036F).contains(&u32::from(b)) && !a.is_alphabetic() {
        cost += 4;
    }
    if (0xFE00..=0xFE0F).contains(&u32::from(b)) && (a.is_alphabetic() || a.is_ascii()) {
        cost += 4;
    }
    cost
}

/// An accented capital (not an ASCII one).
fn is_latin_upper(c: char) -> bool {
    !c.is_ascii() && c.is_uppercase() && script(c) == Some(Script::Latin)
}

/// Symbols that do not sit against letters in real text (unlike apostrophes, dashes and
/// quotation marks).
fn is_symbol(c: char) -> bool {
    !c.is_ascii()
        && !c.is_alphabetic()
        && c != '°'
        && c != '·'
        && !c.is_whitespace()
        && (RARE_LATIN1_SIGNS.contains(c)
            || MATHS.contains(c)
            || "©®™†‡¢£¥€§¶•‰◊ﬁﬂ".contains(c)
            || (0x2200..=0x22FF).contains(&u32::from(c)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    /// Chinese characters with the Japanese syllabaries, which mix with them.
    Han,
    Hangul,
    /// Any other script, told apart by its 256-character page.
    Other(u32),
}

fn script_of_letter(c: char) -> Option<Script> {
    if c.is_ascii_alphabetic() {
        Some(Script::Latin)
    } else {
        script(c)
    }
}

/// The script of a non-ASCII letter.
fn script(c: char) -> Option<Script> {
    if !c.is_alphabetic() || c.is_ascii() {
        return None;
    }
    let cp = u32::from(c);
    Some(match cp {
        0xAA | 0xB5 | 0xBA | 0xC0..=0x2AF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => {
            Script::Latin
        }
        0xFB00..=0xFB06 => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        0x530..=0x58F => Script::Armenian,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F => Script::Arabic,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
        0x20000..=0x2FFFF => Script::Han,
        0x1100..=0x11FF | 0xAC00..=0xD7AF => Script::Hangul,
        _ => Script::Other(cp >> 8),
    })
}
