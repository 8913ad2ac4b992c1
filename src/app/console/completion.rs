//! Tab in the console: the line the learner types after the `kubectl` prompt, completed from
//! the shared completion rules as a shell would (one candidate: taken; several: their common
//! start, and the list shown).

use kubefiche_core::command::{Completion, complete};

/// What the prompt holds once `kubectl` is put in front (the learner may type it or not).
pub fn command_line(typed: &str) -> String {
    let trimmed = typed.trim_start();
    if trimmed == "kubectl" || trimmed.starts_with("kubectl ") {
        trimmed.to_owned()
    } else {
        format!("kubectl {trimmed}")
    }
}

/// The result of pressing Tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    /// The prompt's new text and the cursor in it (in bytes).
    pub text: String,
    pub cursor: usize,
    /// Candidates to show when there is more than one.
    pub shown: Vec<String>,
}

/// Complete the word before `cursor` (a byte offset) in `typed`.
pub fn tab(typed: &str, cursor: usize, live: &[(String, String)]) -> Option<Completed> {
    let cursor = cursor.min(typed.len());
    if !typed.is_char_boundary(cursor) {
        return None;
    }
    let before = &typed[..cursor];
    let full = command_line(before);
    // How much further into the full line a position of `typed` is.
    let shift = full.len() as isize - before.len() as isize;
    let Completion { from, options } = complete(&full, live);
    if options.is_empty() {
        return None;
    }
    let from = usize::try_from(from as isize - shift).ok()?.min(cursor);
    if !typed.is_char_boundary(from) {
        return None;
    }
    let word = &typed[from..cursor];
    let insert = match options.as_slice() {
        [one] => format!("{one} "),
        many => common_prefix(many),
    };
    let shown = if options.len() > 1 {
        options.clone()
    } else {
        Vec::new()
    };
    if insert.len() < word.len() || !insert.starts_with(word) && options.len() > 1 {
        return Some(Completed {
            text: typed.to_owned(),
            cursor,
            shown,
        });
    }
    let mut text = typed[..from].to_owned();
    text.push_str(&insert);
    let new_cursor = text.len();
    text.push_str(&typed[cursor..]);
    Some(Completed {
        text,
        cursor: new_cursor,
        shown,
    })
}

fn common_prefix(options: &[String]) -> String {
    let Some(first) = options.first() else {
        return String::new();
    };
    let mut end = first.len();
    for o in &options[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(o.chars())
                .find(|((_, a), b)| a != b)
                .map_or(first.len().min(o.len()), |((i, _), _)| i),
        );
    }
    first[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live() -> Vec<(String, String)> {
        vec![
            ("Pod".into(), "postgres-5d8c-x2k9p".into()),
            ("Pod".into(), "postgres-5d8c-zz1".into()),
            ("ConfigMap".into(), "iris-config".into()),
        ]
    }

    #[test]
    fn kubectl_goes_in_front_once() {
        assert_eq!(command_line("get pods"), "kubectl get pods");
        assert_eq!(command_line("kubectl get pods"), "kubectl get pods");
        assert_eq!(command_line("kubectlx"), "kubectl kubectlx");
    }

    #[test]
    fn one_candidate_is_taken_several_share_their_start() {
        let done = tab("describe configmap iris", 23, &live()).expect("completion");
        assert_eq!(done.text, "describe configmap iris-config ");
        assert_eq!(done.cursor, done.text.len());
        assert!(done.shown.is_empty());
        let done = tab("logs pos", 8, &live()).expect("completion");
        assert_eq!(done.text, "logs postgres-5d8c-");
        assert_eq!(done.shown.len(), 2);
        // In the middle of the line: what follows the cursor stays.
        let done = tab("describe configmap iri --show-events", 22, &live()).expect("completion");
        assert_eq!(done.text, "describe configmap iris-config  --show-events");
        assert_eq!(tab("logs zzz", 8, &live()), None);
    }

    #[test]
    fn common_prefixes_respect_characters() {
        assert_eq!(common_prefix(&["été".into(), "étage".into()]), "ét");
        assert_eq!(common_prefix(&["ab".into(), "abc".into()]), "ab");
    }
}
