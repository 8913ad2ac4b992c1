//! Advice on the text of a file itself: UTF-8 that was once decoded as Mac Roman or Latin-1
//! (mojibake such as `√©` or `Ã©` for `é`), which Kubernetes accepts but shows garbled.

use crate::diagnostic::{Diagnostic, Severity, Span, Text};
use crate::manifest::SourceFile;
use crate::rule::Rule;

/// (garbled, meant)
const MARKERS: &[(&str, &str)] = &[
    ("√©", "é"),
    ("√®", "è"),
    ("√†", "à"),
    ("√ß", "ç"),
    ("‚Äî", "—"),
    ("‚Äô", "’"),
    ("‚Ä¶", "…"),
    ("Ã©", "é"),
    ("Ã¨", "è"),
    ("Ã§", "ç"),
    ("Ã\u{a0}", "à"),
    ("â€”", "—"),
    ("â€™", "’"),
];

/// One info diagnostic per file, at the first garbled character.
pub(super) fn check(file: &SourceFile) -> Option<Diagnostic> {
    let (at, garbled, meant) = MARKERS
        .iter()
        .filter_map(|(g, m)| file.text.find(g).map(|i| (i, *g, *m)))
        .min_by_key(|(i, ..)| *i)?;
    let before = &file.text[..at];
    let line = u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX);
    let column = u32::try_from(before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
        .unwrap_or(u32::MAX);
    let width = u32::try_from(garbled.chars().count()).unwrap_or(1);
    Some(Diagnostic {
        file: file.path.clone(),
        span: Span {
            line,
            column,
            end_line: line,
            end_column: column + width,
        },
        severity: Severity::Info,
        code: Rule::GarbledText.code().to_owned(),
        message: Text::new(
            format!(
                "`{garbled}` looks like a garbled `{meant}`: this file's accents were damaged by a wrong encoding on the way. Retype the accented letters."
            ),
            format!(
                "`{garbled}` ressemble à un `{meant}` abîmé : les accents de ce fichier ont été endommagés par un mauvais encodage en chemin. Retapez les lettres accentuées."
            ),
        ),
        path: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_mac_roman_mojibake() {
        let f = SourceFile {
            path: "a.yaml".into(),
            text: "data:\n  A: \"pr√©diction\"\n".into(),
        };
        let d = check(&f).expect("found");
        assert_eq!((d.span.line, d.span.column, d.span.end_column), (2, 9, 11));
        assert!(
            check(&SourceFile {
                path: "b".into(),
                text: "prédiction".into()
            })
            .is_none()
        );
    }
}
