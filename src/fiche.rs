//! The worksheet: its markdown rendered as the author wrote it, and the files it asks to create.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};

use crate::i18n::Lang;

mod commands;
mod outline;
mod repair;

pub use commands::{CommandBlock, CommandLine, fill};
pub use outline::{Heading, outline};
pub use repair::{Encoding, Repaired, decode, repair};

/// The course's Fiche 3, shipped unchanged as the default content.
pub const FICHE_3: &str = include_str!("../public/fiches/fiche-3.md");
/// The Iris backend of the earlier worksheets, which Fiche 3 asks to modify.
pub const SERVER_STARTER: &str = include_str!("../public/fiches/fiche-3/server.starter.yaml");

/// A file of the workspace and the text the worksheet gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorksheetFile {
    pub path: String,
    pub text: String,
}

/// The code blocks of the worksheet, in order (the copy buttons refer to them by index).
pub fn code_blocks(markdown: &str) -> Vec<String> {
    blocks(markdown).into_iter().map(|b| b.text).collect()
}

/// The `bash` blocks of the worksheet that hold commands, line by line.
pub fn command_blocks(markdown: &str) -> Vec<CommandBlock> {
    commands::command_blocks(&blocks(markdown))
}

/// Every kubectl line of the worksheet's `bash` blocks, as written.
pub fn command_lines(markdown: &str) -> Vec<String> {
    command_blocks(markdown)
        .into_iter()
        .flat_map(|b| b.lines)
        .filter(|l| l.is_kubectl())
        .map(|l| l.text)
        .collect()
}

/// The files the worksheet creates: each YAML block holding a whole manifest (with `kind:`)
/// right after a paragraph naming `k8s/….yaml`; the first such block of a path wins.
/// Files the worksheet only modifies (such as `k8s/server.yaml`) come from `starters`.
pub fn worksheet_files(markdown: &str, starters: &[(&str, &str)]) -> Vec<WorksheetFile> {
    let mut files: Vec<WorksheetFile> = starters
        .iter()
        .map(|(path, text)| WorksheetFile {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        })
        .collect();
    for block in blocks(markdown) {
        let Some(path) = block.file else { continue };
        if block.creates && !files.iter().any(|f| f.path == path) {
            files.push(WorksheetFile {
                path,
                text: block.text,
            });
        }
    }
    // The order in which the worksheet introduces them; starters first where they come first.
    let order = |path: &str| markdown.find(&format!("`{path}`")).unwrap_or(usize::MAX);
    files.sort_by_key(|f| order(&f.path));
    files
}

struct Block {
    text: String,
    lang: String,
    /// The workspace file the paragraph before the block names, if any.
    file: Option<String>,
    /// Whether the block is a whole manifest (not a fragment to paste into one).
    creates: bool,
    /// How many headings come before the block: blocks of one section share it.
    section: usize,
    /// The text of the paragraph just before the block (where a fragment says it goes).
    intro: String,
    /// The heading it comes under and the number of the last numbered item before it there.
    heading: String,
    step: Option<u32>,
}

/// A block of the worksheet that is a fragment of a workspace file, to merge into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The index of the block among the worksheet's code blocks.
    pub index: usize,
    pub file: String,
    pub text: String,
    /// The paragraph before it, which says where it goes.
    pub intro: String,
    /// The text of the heading it comes under, and the numbered step it belongs to.
    pub heading: String,
    pub step: Option<u32>,
}

/// The fragments of the worksheet: YAML blocks naming a workspace file without being a whole
/// manifest ("add under env: …").
pub fn fragments(markdown: &str) -> Vec<Fragment> {
    blocks(markdown)
        .into_iter()
        .enumerate()
        .filter(|(_, b)| !b.creates)
        .filter_map(|(index, b)| {
            Some(Fragment {
                index,
                file: b.file?,
                text: b.text,
                intro: b.intro,
                heading: b.heading,
                step: b.step,
            })
        })
        .collect()
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut last_file: Option<String> = None;
    let mut current: Option<(String, String)> = None;
    let mut section = 0;
    let mut intro = String::new();
    let mut heading: Option<String> = None;
    let mut last_heading = String::new();
    let mut step: Option<u32> = None;
    // Per open list: the number of its next item (`None` for a bulleted list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => {
                last_file = None;
                intro.clear();
            }
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                intro.clear();
                if lists.len() == 1
                    && let Some(Some(next)) = lists.last_mut()
                {
                    step = u32::try_from(*next).ok();
                    *next += 1;
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                section += 1;
                heading = Some(String::new());
                step = None;
            }
            Event::End(TagEnd::Heading(_)) => {
                last_heading = heading.take().unwrap_or_default();
            }
            Event::Text(text) if heading.is_some() => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&text);
                }
            }
            Event::Code(code) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&code);
                }
                if is_workspace_path(&code) {
                    last_file = Some(code.to_string());
                }
                intro.push_str(&code);
            }
            Event::Text(text) if current.is_none() => intro.push_str(&text),
            Event::Start(Tag::CodeBlock(kind)) => {
                current = Some((block_lang(&kind), String::new()))
            }
            Event::Text(text) => {
                if let Some((_, body)) = current.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = current.take() {
                    let file = last_file.clone().filter(|_| lang == "yaml");
                    let creates = text.lines().any(|l| l.starts_with("kind:"));
                    found.push(Block {
                        text,
                        lang,
                        file,
                        creates,
                        section,
                        intro: intro.clone(),
                        heading: last_heading.clone(),
                        step,
                    });
                }
            }
            _ => {}
        }
    }
    found
}

fn is_workspace_path(code: &str) -> bool {
    code.starts_with("k8s/")
        && (code.ends_with(".yaml") || code.ends_with(".yml"))
        && !code.contains(' ')
}

fn block_lang(kind: &CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// The kinds of callout the worksheets use, by their leading emoji.
const CALLOUTS: &[(&str, &str)] = &[
    ("🎯", "goal"),
    ("📝", "note"),
    ("💡", "tip"),
    ("⚠️", "warning"),
    ("⚠", "warning"),
    ("🏆", "challenge"),
];

/// Render the worksheet to HTML: headings with anchors, tables, callouts, and code blocks
/// with a copy button (and an "open" button when they belong to a workspace file).
/// Raw HTML in the markdown is shown as text, never interpreted.
pub fn render(markdown: &str, lang: Lang) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let blocks = blocks(markdown);
    let commands = commands::command_blocks(&blocks);
    let mut out = String::with_capacity(markdown.len() * 2);
    let mut pending: Vec<Event> = Vec::new();
    let mut block_index = 0;
    let mut in_code = false;
    let mut in_heading: Option<String> = None;
    let flush = |pending: &mut Vec<Event>, out: &mut String| {
        html::push_html(out, pending.drain(..));
    };
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut pending, &mut out);
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                if let Some(block) = blocks.get(block_index) {
                    let runs = commands.iter().find(|c| c.index == block_index);
                    code_block(&mut out, block, block_index, runs, lang);
                }
                block_index += 1;
            }
            _ if in_code => {}
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut pending, &mut out);
                let kind = callout_kind(&events[i + 1..]);
                match kind {
                    Some(kind) => {
                        out.push_str(&format!("<blockquote class=\"callout callout-{kind}\">\n"))
                    }
                    None => out.push_str("<blockquote>\n"),
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut pending, &mut out);
                out.push_str("</blockquote>\n");
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut pending, &mut out);
                in_heading = Some(String::new());
                let text = heading_text(&events[i + 1..]);
                let id = slug(&text);
                match CALLOUTS.iter().find(|(emoji, _)| text.starts_with(emoji)) {
                    Some((_, kind)) => {
                        out.push_str(&format!("<{level} id=\"{id}\" class=\"callout-{kind}\">"))
                    }
                    None => out.push_str(&format!("<{level} id=\"{id}\">")),
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                flush(&mut pending, &mut out);
                in_heading = None;
                out.push_str(&format!("</{level}>\n"));
            }
            Event::Html(raw) | Event::InlineHtml(raw) => pending.push(Event::Text(raw.clone())),
            other => {
                if let (Some(text), Event::Text(t)) = (in_heading.as_mut(), other) {
                    text.push_str(t);
                }
                pending.push(other.clone());
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// A code block with its caption; a block of commands leaves room beside each line for its
/// Run button and, after the code, for its pickers and output (filled in by the page).
fn code_block(
    out: &mut String,
    block: &Block,
    index: usize,
    runs: Option<&CommandBlock>,
    lang: Lang,
) {
    let label = if block.lang.is_empty() {
        "text"
    } else {
        block.lang.as_str()
    };
    out.push_str("<figure class=\"code\"><figcaption><span class=\"code-lang\">");
    push_escaped(out, label);
    out.push_str("</span>");
    if let Some(path) = &block.file {
        out.push_str("<button type=\"button\" class=\"open-file\" data-open=\"");
        push_escaped(out, path);
        out.push_str("\" aria-label=\"");
        push_escaped(out, &format!("{} {path}", lang.t("open")));
        out.push_str("\">");
        push_escaped(out, &format!("{} · {path}", lang.t("open")));
        out.push_str("</button>");
        if !block.creates && block.lang == "yaml" {
            out.push_str(&format!(
                "<button type=\"button\" class=\"insert-fragment\" data-insert=\"{index}\">"
            ));
            push_escaped(out, &format!("{} {path}", lang.t("insert.into")));
            out.push_str("</button>");
        }
    }
    out.push_str(&format!(
        "<button type=\"button\" class=\"copy\" data-copy=\"{index}\" aria-label=\"{} ({label})\">{}</button>",
        lang.t("copy"),
        lang.t("copy")
    ));
    out.push_str("</figcaption><pre><code class=\"language-");
    push_escaped(out, label);
    out.push_str("\">");
    match runs {
        Some(runs) => {
            commands::push_lines(out, runs, &block.text);
            out.push_str(&format!(
                "</code></pre><div class=\"cmd-block\" data-block=\"{index}\"></div></figure>\n"
            ));
        }
        None => {
            push_escaped(out, &block.text);
            out.push_str("</code></pre></figure>\n");
        }
    }
}

fn callout_kind(rest: &[Event]) -> Option<&'static str> {
    let first = rest.iter().find_map(|e| match e {
        Event::Text(t) => Some(t.trim_start().to_owned()),
        _ => None,
    })?;
    CALLOUTS
        .iter()
        .find(|(emoji, _)| first.starts_with(emoji))
        .map(|(_, kind)| *kind)
}

fn heading_text(rest: &[Event]) -> String {
    rest.iter()
        .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// An anchor id from a heading: lowercase letters and digits joined by dashes.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<WorksheetFile> {
        worksheet_files(FICHE_3, &[("k8s/server.yaml", SERVER_STARTER)])
    }

    #[test]
    fn finds_the_worksheet_files_in_order() {
        let paths: Vec<_> = files().into_iter().map(|f| f.path).collect();
        assert_eq!(
            paths,
            [
                "k8s/config.yaml",
                "k8s/server.yaml",
                "k8s/postgres.yaml",
                "k8s/cronjob.yaml",
                "k8s/mcp-server.yaml",
                "k8s/agent.yaml"
            ]
        );
        let files = files();
        let postgres = files
            .iter()
            .find(|f| f.path == "k8s/postgres.yaml")
            .expect("postgres");
        assert!(postgres.text.contains("claimName: postgres-pvc"));
        assert_eq!(postgres.text.matches("\n---\n").count(), 2);
        let server = files
            .iter()
            .find(|f| f.path == "k8s/server.yaml")
            .expect("server");
        assert_eq!(
            server.text, SERVER_STARTER,
            "a fragment must not replace the starter"
        );
    }

    #[test]
    fn renders_structure_faithfully() {
        let html = render(FICHE_3, Lang::Fr);
        assert!(html.contains("<h1 id=\"kubernetes-fiche-3-pratiques-avancées\">"));
        assert!(html.contains("<table>"));
        assert!(html.contains("class=\"callout callout-goal\""));
        assert!(html.contains("<h4 id=\"challenge\" class=\"callout-challenge\">"));
        assert!(html.contains("class=\"callout callout-tip\""));
        assert!(html.contains("class=\"callout callout-note\""));
        assert!(html.contains("class=\"callout callout-warning\""));
        assert!(html.contains("data-open=\"k8s/mcp-server.yaml\""));
        assert_eq!(
            html.matches("class=\"copy\"").count(),
            code_blocks(FICHE_3).len()
        );
        assert!(html.contains("curl -X POST http://mlops-server-svc:8000/predict \\"));
        assert!(html.contains("&#39;Content-Type: application/json&#39;"));
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = render(
            "hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n",
            Lang::En,
        );
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn ships_the_worksheet_unchanged() {
        // The course's original, where the course material sits beside this repository (CI
        // lays it there): without it the shipped copy cannot be checked, and that is a failure.
        let original = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fiches/fiche-3.md");
        let text = std::fs::read_to_string(original).unwrap_or_else(|e| {
            panic!("the course's worksheet {original} is needed to check the shipped copy: {e}")
        });
        assert!(
            text == FICHE_3,
            "public/fiches/fiche-3.md differs from the course's fiche-3.md"
        );
        assert!(FICHE_3.starts_with("# Kubernetes — Fiche 3 : Pratiques avancées\n"));
    }

    #[test]
    fn fragments_know_their_heading_and_step() {
        let headings: Vec<String> = outline(FICHE_3).into_iter().map(|h| h.text).collect();
        let found: Vec<(String, Option<u32>, String)> = fragments(FICHE_3)
            .into_iter()
            .map(|f| (f.heading, f.step, f.file))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        for (heading, step, file) in &found {
            assert!(
                headings.contains(heading),
                "{heading:?} is a heading as written"
            );
            assert_eq!((step, file.as_str()), (&Some(2), "k8s/server.yaml"));
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("3. CronJobs"), "3-cronjobs");
        assert_eq!(
            slug("c. Challenge — Scaler les agents"),
            "c-challenge-scaler-les-agents"
        );
    }
}
