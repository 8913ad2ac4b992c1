//! The upper halves of the single-byte encodings that UTF-8 text is mistaken for: byte to
//! character to read a file, character to byte to undo a mistaken reading.

use super::Encoding;

/// Mac OS Roman, bytes 0x80–0xFF (Apple's table, with the euro sign at 0xDB and the Apple
/// logo, a private-use character, at 0xF0).
const MAC_ROMAN: [char; 128] = [
    // 0x80
    'Ä', 'Å', 'Ç', 'É', 'Ñ', 'Ö', 'Ü', 'á', 'à', 'â', 'ä', 'ã', 'å', 'ç', 'é', 'è',
    // 0x90
    'ê', 'ë', 'í', 'ì', 'î', 'ï', 'ñ', 'ó', 'ò', 'ô', 'ö', 'õ', 'ú', 'ù', 'û', 'ü',
    // 0xA0
    '†', '°', '¢', '£', '§', '•', '¶', 'ß', '®', '©', '™', '´', '¨', '≠', 'Æ', 'Ø',
    // 0xB0
    '∞', '±', '≤', '≥', '¥', 'µ', '∂', '∑', '∏', 'π', '∫', 'ª', 'º', 'Ω', 'æ', 'ø',
    // 0xC0
    '¿', '¡', '¬', '√', 'ƒ', '≈', '∆', '«', '»', '…', '\u{A0}', 'À', 'Ã', 'Õ', 'Œ', 'œ',
    // 0xD0
    '–', '—', '“', '”', '‘', '’', '÷', '◊', 'ÿ', 'Ÿ', '⁄', '€', '‹', '›', 'ﬁ', 'ﬂ',
    // 0xE0
    '‡', '·', '‚', '„', '‰', 'Â', 'Ê', 'Á', 'Ë', 'È', 'Í', 'Î', 'Ï', 'Ì', 'Ó', 'Ô',
    // 0xF0
    '\u{F8FF}', 'Ò', 'Ú', 'Û', 'Ù', 'ı', 'ˆ', '˜', '¯', '˘', '˙', '˚', '¸', '˝', '˛', 'ˇ',
];

/// Windows-1252, bytes 0x80–0x9F; 0xA0–0xFF are those of ISO-8859-1. The five bytes the
/// standard leaves undefined read as the C1 controls of the same number, as browsers do.
const WINDOWS_1252: [char; 32] = [
    // 0x80
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    // 0x90
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The character a byte stands for in `encoding` (a single-byte one).
pub(super) fn char_of(encoding: Encoding, byte: u8) -> char {
    if byte < 0x80 {
        return char::from(byte);
    }
    let high = usize::from(byte - 0x80);
    match encoding {
        Encoding::MacRoman => MAC_ROMAN[high],
        Encoding::Windows1252 if high < WINDOWS_1252.len() => WINDOWS_1252[high],
        _ => char::from(byte),
    }
}

/// The byte a character came from when it was read as `encoding`, if it can have.
/// Windows-1252 is taken loosely: a C1 control comes from its own byte, as when the text
/// was read as ISO-8859-1, so one undoing covers both.
pub(super) fn byte_of(encoding: Encoding, c: char) -> Option<u8> {
    if c.is_ascii() {
        return u8::try_from(c).ok();
    }
    let table: &[char] = match encoding {
        Encoding::MacRoman => &MAC_ROMAN,
        Encoding::Windows1252 => &WINDOWS_1252,
        _ => &[],
    };
    if let Some(i) = table.iter().position(|&t| t == c) {
        return u8::try_from(0x80 + i).ok();
    }
    match (encoding, u32::from(c)) {
        (Encoding::Windows1252 | Encoding::Latin1, cp @ 0x80..=0xFF) => u8::try_from(cp).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_comes_back() {
        for encoding in [Encoding::MacRoman, Encoding::Windows1252, Encoding::Latin1] {
            for byte in 0..=255u8 {
                let c = char_of(encoding, byte);
                assert_eq!(byte_of(encoding, c), Some(byte), "{encoding:?} {byte:#x}");
            }
        }
    }

    #[test]
    fn tables_are_the_standards() {
        assert_eq!(char_of(Encoding::MacRoman, 0x8E), 'é');
        assert_eq!(char_of(Encoding::MacRoman, 0xC3), '√');
        assert_eq!(char_of(Encoding::MacRoman, 0xE2), '‚');
        assert_eq!(char_of(Encoding::Windows1252, 0x80), '€');
        assert_eq!(char_of(Encoding::Windows1252, 0x97), '—');
        assert_eq!(char_of(Encoding::Windows1252, 0xE9), 'é');
        assert_eq!(char_of(Encoding::Latin1, 0x97), '\u{97}');
        // Each table names 128 distinct characters, none of them ASCII.
        let mut seen: Vec<char> = MAC_ROMAN.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 128);
        assert!(seen.iter().all(|c| !c.is_ascii()));
    }
}
