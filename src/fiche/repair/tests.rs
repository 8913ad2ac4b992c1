use super::samples::{PARAGRAPHS, UNCHANGED, WORDS};
use super::*;
use crate::fiche::FICHE_3;

const AS_RECEIVED: &str = include_str!("../testdata/fiche-3.as-received.md");

/// UTF-8 text read as a single-byte encoding: what a wrong reading shows.
fn misread(text: &str, encoding: Encoding) -> String {
    read_as(text.as_bytes(), encoding)
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    text.chars()
        .map(|c| tables::byte_of(encoding, c).expect("a character of the encoding"))
        .collect()
}

const MISREADINGS: [Encoding; 3] = [Encoding::MacRoman, Encoding::Windows1252, Encoding::Latin1];

#[test]
fn the_worksheet_as_received_opens_as_written() {
    assert_ne!(AS_RECEIVED, FICHE_3);
    let repaired = repair(AS_RECEIVED);
    assert!(repaired.text == FICHE_3, "the repaired worksheet differs");
    assert_eq!(repaired.fixed, Some(Encoding::MacRoman));
    let decoded = decode(AS_RECEIVED.as_bytes());
    assert!(decoded.text == FICHE_3);
    assert_eq!(decoded.fixed, Some(Encoding::MacRoman));
}

#[test]
fn the_worksheet_itself_is_left_alone() {
    assert_eq!(
        repair(FICHE_3),
        Repaired {
            text: FICHE_3.to_owned(),
            fixed: None
        }
    );
}

#[test]
fn one_misreading_is_undone() {
    for paragraph in PARAGRAPHS {
        for encoding in MISREADINGS {
            let wrong = misread(paragraph, encoding);
            let repaired = repair(&wrong);
            assert_eq!(&repaired.text, paragraph, "{encoding:?}: {wrong}");
            assert!(repaired.fixed.is_some());
        }
    }
}

#[test]
fn the_misreading_is_named() {
    let text = "Créez — « déjà » 🎯";
    let fixed = |encoding| repair(&misread(text, encoding)).fixed;
    assert_eq!(fixed(Encoding::MacRoman), Some(Encoding::MacRoman));
    assert_eq!(fixed(Encoding::Windows1252), Some(Encoding::Windows1252));
    assert_eq!(fixed(Encoding::Latin1), Some(Encoding::Latin1));
}

#[test]
fn two_misreadings_are_undone() {
    for paragraph in PARAGRAPHS {
        for first in MISREADINGS {
            for second in MISREADINGS {
                let wrong = misread(&misread(paragraph, first), second);
                assert_eq!(
                    &repair(&wrong).text,
                    paragraph,
                    "{first:?} then {second:?}: {wrong}"
                );
            }
        }
    }
}

#[test]
fn only_the_misread_lines_change() {
    let mut mixed = String::new();
    let mut expected = String::new();
    for (i, paragraph) in PARAGRAPHS.iter().enumerate() {
        let line = match i % 3 {
            0 => paragraph.to_string(),
            1 => misread(paragraph, Encoding::MacRoman),
            _ => misread(paragraph, Encoding::Windows1252),
        };
        mixed.push_str(&line);
        mixed.push('\n');
        expected.push_str(paragraph);
        expected.push('\n');
    }
    // Within a line too: a correct sentence and a misread one side by side.
    let half = format!(
        "{} {}\n",
        PARAGRAPHS[0],
        misread(PARAGRAPHS[1], Encoding::MacRoman)
    );
    mixed.push_str(&half);
    expected.push_str(&format!("{} {}\n", PARAGRAPHS[0], PARAGRAPHS[1]));
    assert_eq!(repair(&mixed).text, expected);
}

#[test]
fn correct_text_is_left_alone() {
    for text in UNCHANGED.iter().chain(PARAGRAPHS) {
        assert_eq!(repair(text).text, *text);
        assert_eq!(repair(text).fixed, None, "{text}");
    }
}

/// A small deterministic generator (xorshift), enough to pick words.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn sentence(&mut self) -> String {
        let separators = [" ", " ", " ", ", ", "\n", " — ", "\u{a0}"];
        let mut text = String::new();
        for _ in 0..(3 + self.below(25)) {
            text.push_str(WORDS[self.below(WORDS.len())]);
            text.push_str(separators[self.below(separators.len())]);
        }
        text
    }
}

#[test]
fn random_correct_text_is_never_changed() {
    let mut random = Random(0x5eed_2024_cafe_f00d);
    for _ in 0..3000 {
        let text = random.sentence();
        assert_eq!(repair(&text).text, text);
    }
}

#[test]
fn random_text_misread_comes_back() {
    let mut random = Random(0x0dd_ba11_5eed_0001);
    for round in 0..1500 {
        let text = random.sentence();
        let encoding = MISREADINGS[round % 3];
        let wrong = misread(&text, encoding);
        assert_eq!(repair(&wrong).text, text, "{encoding:?}: {wrong:?}");
    }
}

#[test]
fn bytes_in_a_single_byte_encoding_are_read_as_that() {
    // French, German and Spanish that each encoding can write.
    let text = "Créez la fenêtre — « déjà vu » ; Größe über alles ; ¿Qué año? ¡Sí!\n";
    for (encoding, expected) in [
        (Encoding::Windows1252, Encoding::Windows1252),
        (Encoding::MacRoman, Encoding::MacRoman),
    ] {
        let repaired = decode(&encode(text, encoding));
        assert_eq!(repaired.text, text, "{encoding:?}");
        assert_eq!(repaired.fixed, Some(expected));
    }
    let latin1 = "Créez la fenêtre, « déjà vu » ; Größe über alles ; ¿Qué año?\n";
    let repaired = decode(&encode(latin1, Encoding::Latin1));
    assert_eq!(repaired.text, latin1);
    assert_eq!(repaired.fixed, Some(Encoding::Latin1));
}

#[test]
fn a_file_of_utf8_with_some_latin1_lines() {
    let mut bytes = "Première ligne en UTF-8 — très bien.\n".as_bytes().to_vec();
    bytes.extend(encode(
        "Deuxième ligne, écrite ailleurs.\n",
        Encoding::Windows1252,
    ));
    bytes.extend("Troisième : 🎯\n".as_bytes());
    let repaired = decode(&bytes);
    assert_eq!(
        repaired.text,
        "Première ligne en UTF-8 — très bien.\nDeuxième ligne, écrite ailleurs.\nTroisième : 🎯\n"
    );
}

#[test]
fn byte_order_marks_and_utf16() {
    let text = "# Fiche — été 🎯\n";
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(text.as_bytes());
    assert_eq!(
        decode(&with_bom),
        Repaired {
            text: text.to_owned(),
            fixed: None
        }
    );
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    for (mark, body, encoding) in [
        (&b"\xFF\xFE"[..], &le, Encoding::Utf16Le),
        (&b"\xFE\xFF"[..], &be, Encoding::Utf16Be),
        (&b""[..], &le, Encoding::Utf16Le),
        (&b""[..], &be, Encoding::Utf16Be),
    ] {
        let bytes = [mark, body.as_slice()].concat();
        assert_eq!(
            decode(&bytes),
            Repaired {
                text: text.to_owned(),
                fixed: Some(encoding)
            }
        );
    }
    // A mark that was itself misread goes with the rest.
    let misread_bom = misread(&format!("\u{FEFF}{text}"), Encoding::Windows1252);
    assert_eq!(repair(&misread_bom).text, text);
}

#[test]
fn plain_ascii_and_empty_files() {
    assert_eq!(decode(b"").text, "");
    assert_eq!(decode(b"kubectl get pods\n").fixed, None);
}
