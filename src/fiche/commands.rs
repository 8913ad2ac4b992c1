//! The command lines of the worksheet's `bash` blocks: what each line is (a command kubefiche
//! runs, one it refuses, one for elsewhere), its placeholders with the lines around it as
//! context, and the HTML that leaves room beside each line for its Run button.

use kubefiche_core::command::{Parsed, Placeholder, parse, placeholders};

use super::{Block, push_escaped};

/// A `bash` block holding at least one line that is not blank or a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandBlock {
    /// The block's index among all the code blocks of the worksheet.
    pub index: usize,
    pub lines: Vec<CommandLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    /// The line's number in its block, from 0.
    pub number: usize,
    /// The line exactly as the worksheet writes it.
    pub text: String,
    pub parsed: Parsed,
    /// The `<…>` tokens of the line (or of the command offered instead, for a line that
    /// belongs elsewhere).
    pub placeholders: Vec<Placeholder>,
}

impl CommandLine {
    /// What a Run button sends (placeholders not yet filled): the line itself, or for a line
    /// that belongs elsewhere, the command offered instead.
    pub fn runnable(&self) -> Option<&str> {
        match &self.parsed {
            Parsed::Kubectl(_) => Some(&self.text),
            Parsed::Elsewhere {
                instead: Some(instead),
                ..
            } => Some(instead),
            _ => None,
        }
    }

    pub fn is_kubectl(&self) -> bool {
        matches!(self.parsed, Parsed::Kubectl(_))
    }
}

impl CommandBlock {
    /// The distinct placeholders of the block, by name, in order of first appearance; a name
    /// used twice is one value.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let mut seen: Vec<Placeholder> = Vec::new();
        for p in self.lines.iter().flat_map(|l| &l.placeholders) {
            if !seen.iter().any(|s| s.name == p.name) {
                seen.push(p.clone());
            }
        }
        seen
    }
}

/// Whether a block is a shell block whose lines may get Run buttons.
pub(super) fn is_shell(block: &Block) -> bool {
    matches!(block.lang.as_str(), "bash" | "sh" | "shell" | "console")
}

/// The command blocks of `blocks`; a placeholder's context is the other lines of its block,
/// then those of the other shell blocks of its section, in the worksheet's order.
pub(super) fn command_blocks(blocks: &[Block]) -> Vec<CommandBlock> {
    let mut found = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if !is_shell(block) {
            continue;
        }
        let own: Vec<&str> = block.text.lines().collect();
        let section: Vec<&str> = blocks
            .iter()
            .enumerate()
            .filter(|(i, b)| *i != index && b.section == block.section && is_shell(b))
            .flat_map(|(_, b)| b.text.lines())
            .collect();
        let lines: Vec<CommandLine> = own
            .iter()
            .enumerate()
            .map(|(number, text)| {
                let context: Vec<&str> = own
                    .iter()
                    .enumerate()
                    .filter(|(n, _)| *n != number)
                    .map(|(_, l)| *l)
                    .chain(section.iter().copied())
                    .collect();
                let parsed = parse(text);
                let tokens = match &parsed {
                    Parsed::Kubectl(_) => placeholders(text, &context),
                    Parsed::Elsewhere {
                        instead: Some(instead),
                        ..
                    } => placeholders(instead, &context),
                    _ => Vec::new(),
                };
                CommandLine {
                    number,
                    text: (*text).to_owned(),
                    parsed,
                    placeholders: tokens,
                }
            })
            .collect();
        if lines.iter().any(|l| l.parsed != Parsed::Nothing) {
            found.push(CommandBlock { index, lines });
        }
    }
    found
}

/// `line` with each placeholder replaced by its value; `None` while one has no value.
pub fn fill(
    line: &str,
    tokens: &[Placeholder],
    value: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let mut filled = line.to_owned();
    let mut sorted: Vec<&Placeholder> = tokens.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.start));
    for p in sorted {
        let v = value(&p.name).filter(|v| !v.trim().is_empty())?;
        if p.end <= filled.len() && filled.is_char_boundary(p.start) {
            filled.replace_range(p.start..p.end, v.trim());
        }
    }
    Some(filled)
}

/// The inside of a command block's `<code>`: each line in its own element, after an empty
/// slot for its button; the text itself unchanged, newlines included.
pub(super) fn push_lines(out: &mut String, block: &CommandBlock, text: &str) {
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let runs = block
            .lines
            .get(number)
            .is_some_and(|l| l.parsed != Parsed::Nothing);
        out.push_str("<span class=\"cmd-line\">");
        if runs {
            out.push_str(&format!(
                "<span class=\"cmd-slot\" data-run=\"{}:{number}\"></span>",
                block.index
            ));
        } else {
            out.push_str("<span class=\"cmd-slot\"></span>");
        }
        push_escaped(out, body);
        out.push_str("</span>");
        out.push_str(newline);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fiche::{FICHE_3, blocks, code_blocks, render};
    use crate::i18n::Lang;

    #[test]
    fn every_kubectl_line_of_the_worksheet_gets_a_slot() {
        let found = command_blocks(&blocks(FICHE_3));
        let kubectl: usize = found
            .iter()
            .map(|b| b.lines.iter().filter(|l| l.is_kubectl()).count())
            .sum();
        // Every kubectl line of the worksheet runs from the page.
        let written = found
            .iter()
            .flat_map(|b| &b.lines)
            .filter(|l| l.text.starts_with("kubectl "))
            .count();
        assert_eq!(kubectl, written);
        assert!(kubectl >= 35, "{kubectl} kubectl lines");
        let first = &found[0];
        assert_eq!(first.lines[0].text, "kubectl apply -f k8s/config.yaml");
        assert_eq!(first.lines[1].text, "kubectl get configmap iris-config");
        let html = render(FICHE_3, Lang::En);
        for block in &found {
            for line in &block.lines {
                let slot = format!("data-run=\"{}:{}\"", block.index, line.number);
                assert_eq!(
                    html.contains(&slot),
                    line.parsed != Parsed::Nothing,
                    "{}",
                    line.text
                );
            }
        }
        assert_eq!(html.matches("data-block=").count(), found.len());
    }

    #[test]
    fn the_text_of_a_command_block_is_unchanged() {
        let html = render(FICHE_3, Lang::Fr);
        let code = code_blocks(FICHE_3);
        let found = command_blocks(&blocks(FICHE_3));
        let block = found.iter().find(|b| b.lines.len() >= 3).expect("a block");
        let start = html
            .find(&format!("data-run=\"{}:0\"", block.index))
            .expect("slot");
        let pre_end = start + html[start..].find("</code>").expect("end");
        let pre_start = html[..start].rfind("<code").expect("start");
        let inner = &html[pre_start..pre_end];
        let inner = &inner[inner.find('>').expect(">") + 1..];
        // The text the page shows: tags removed, entities decoded.
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        assert_eq!(text, code[block.index]);
    }

    #[test]
    fn placeholders_are_filled_from_the_end() {
        let tokens = placeholders("kubectl exec -it <a> -- psql <b>", &[]);
        let values = |name: &str| match name {
            "a" => Some("postgres-7f9c-x2".to_owned()),
            "b" => Some("db".to_owned()),
            _ => None,
        };
        assert_eq!(
            fill("kubectl exec -it <a> -- psql <b>", &tokens, values).as_deref(),
            Some("kubectl exec -it postgres-7f9c-x2 -- psql db")
        );
        assert_eq!(
            fill("kubectl exec -it <a> -- psql <b>", &tokens, |n| {
                (n == "a").then(|| "p".to_owned())
            }),
            None
        );
    }
}
