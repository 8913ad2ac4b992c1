//! Hover and completion (asked on every cursor move in the editor) at any place of any text:
//! no panic, loop or stack overflow. Input: the line and the column (one byte each), then the text.
#![no_main]

use kubefiche_core::assist::{complete, hover};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [line, column, text @ ..] = data else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let (line, column) = (u32::from(*line), u32::from(*column));
    for lang in ["en", "fr"] {
        let _ = hover(&text, line, column, lang);
        for c in complete(&text, line, column, lang) {
            assert!(!c.label.is_empty(), "a completion without a label: {c:?}");
        }
    }
});
