//! The console's history, as a shell keeps it: ↑ goes back, ↓ forward to what was being typed.

/// The most lines kept.
pub const KEEP: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// The line shown, while moving through the history.
    at: Option<usize>,
    /// What was typed before moving into the history.
    draft: String,
}

impl History {
    pub fn new(mut lines: Vec<String>) -> Self {
        if lines.len() > KEEP {
            lines.drain(..lines.len() - KEEP);
        }
        Self {
            lines,
            at: None,
            draft: String::new(),
        }
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Remember a line that was run (not twice in a row, not blank).
    pub fn push(&mut self, line: &str) {
        self.at = None;
        self.draft.clear();
        let line = line.trim();
        if line.is_empty() || self.lines.last().is_some_and(|l| l == line) {
            return;
        }
        self.lines.push(line.to_owned());
        if self.lines.len() > KEEP {
            self.lines.remove(0);
        }
    }

    /// ↑ with `typed` in the prompt: the previous line, if there is one.
    pub fn up(&mut self, typed: &str) -> Option<String> {
        let next = match self.at {
            None => {
                self.draft = typed.to_owned();
                self.lines.len().checked_sub(1)?
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.at = Some(next);
        self.lines.get(next).cloned()
    }

    /// ↓: the next line, or back to what was being typed.
    pub fn down(&mut self) -> Option<String> {
        let i = self.at?;
        if i + 1 < self.lines.len() {
            self.at = Some(i + 1);
            return self.lines.get(i + 1).cloned();
        }
        self.at = None;
        Some(std::mem::take(&mut self.draft))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_like_a_shell() {
        let mut h = History::new(vec!["get pods".into(), "get pvc".into()]);
        assert_eq!(h.up("desc").as_deref(), Some("get pvc"));
        assert_eq!(h.up("").as_deref(), Some("get pods"));
        assert_eq!(h.up(""), None);
        assert_eq!(h.down().as_deref(), Some("get pvc"));
        assert_eq!(h.down().as_deref(), Some("desc"));
        assert_eq!(h.down(), None);
        h.push("get pvc");
        h.push("  ");
        assert_eq!(h.lines().len(), 2, "no repeat, no blank");
        h.push("get jobs");
        assert_eq!(h.up("").as_deref(), Some("get jobs"));
    }

    #[test]
    fn keeps_the_latest_lines() {
        let mut h = History::new((0..KEEP + 5).map(|i| i.to_string()).collect());
        assert_eq!(h.lines().len(), KEEP);
        assert_eq!(h.lines()[0], "5");
        h.push("new");
        assert_eq!(h.lines().len(), KEEP);
        assert_eq!(h.lines().last().map(String::as_str), Some("new"));
    }
}
