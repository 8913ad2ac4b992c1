//! The worksheet's outline: its headings with a depth that makes sense even when the author
//! skipped levels, the anchors the rendered page gives them, and the numbered steps under each.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{heading_text, options, slug};

/// A heading of the worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Its place in the outline, from 1: one more than the number of headings above it of a
    /// smaller level still open (`#` then `####` gives 2; a lone `###` at the start gives 1).
    pub depth: usize,
    /// The level the markdown gives it (1 for `#` … 6 for `######`).
    pub level: u8,
    /// Its text as the page shows it, emoji included.
    pub text: String,
    /// Its anchor, the `id` of the rendered heading.
    pub slug: String,
    /// The numbers of the numbered-list items between it and the next heading, in order (a
    /// list split by code blocks continues with `start`). Only lists of the section's own
    /// level count: not a list nested in a list item or inside a quotation.
    pub steps: Vec<u32>,
}

/// The headings of a worksheet, in order.
pub fn outline(markdown: &str) -> Vec<Heading> {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let mut headings: Vec<Heading> = Vec::new();
    // The levels of the headings still open above the current one.
    let mut open: Vec<u8> = Vec::new();
    // How deep in lists and quotations the parser is, and the next number of the outermost
    // list when it is a numbered one.
    let mut containers = 0usize;
    let mut numbering: Option<u64> = None;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level as u8;
                while open.last().is_some_and(|&above| above >= level) {
                    open.pop();
                }
                let text = heading_text(&events[i + 1..]);
                headings.push(Heading {
                    depth: open.len() + 1,
                    level,
                    slug: slug(&text),
                    text,
                    steps: Vec::new(),
                });
                open.push(level);
            }
            Event::Start(Tag::BlockQuote(_)) => containers += 1,
            Event::End(TagEnd::BlockQuote(_)) => containers = containers.saturating_sub(1),
            Event::Start(Tag::List(start)) => {
                if containers == 0 {
                    numbering = *start;
                }
                containers += 1;
            }
            Event::End(TagEnd::List(_)) => {
                containers = containers.saturating_sub(1);
                if containers == 0 {
                    numbering = None;
                }
            }
            Event::Start(Tag::Item) if containers == 1 => {
                if let (Some(number), Some(heading)) = (numbering.as_mut(), headings.last_mut()) {
                    heading
                        .steps
                        .push(u32::try_from(*number).unwrap_or(u32::MAX));
                    *number += 1;
                }
            }
            _ => {}
        }
    }
    headings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fiche::{FICHE_3, render};
    use crate::i18n::Lang;

    fn shape(markdown: &str) -> Vec<(usize, u8, String)> {
        outline(markdown)
            .into_iter()
            .map(|h| (h.depth, h.level, h.text))
            .collect()
    }

    #[test]
    fn depth_follows_the_nesting_not_the_level() {
        let markdown = "### Lone start\n\n# Title\n\n#### Skipped two\n\n#### Sibling\n\n\
                        ## Back up\n\n###### Deep\n\n# Second title\n";
        assert_eq!(
            shape(markdown),
            [
                (1, 3, "Lone start".to_owned()),
                (1, 1, "Title".to_owned()),
                (2, 4, "Skipped two".to_owned()),
                (2, 4, "Sibling".to_owned()),
                (2, 2, "Back up".to_owned()),
                (3, 6, "Deep".to_owned()),
                (1, 1, "Second title".to_owned()),
            ]
        );
    }

    #[test]
    fn a_lower_heading_after_a_deeper_one_closes_it() {
        let markdown = "## A\n\n#### A.1\n\n### A.2\n\n#### A.2.1\n\n## B\n";
        let depths: Vec<usize> = outline(markdown).iter().map(|h| h.depth).collect();
        assert_eq!(depths, [1, 2, 2, 3, 1]);
    }

    #[test]
    fn steps_are_the_numbered_items_of_the_section() {
        let markdown = "# One\n\n1. first\n2. second\n\n```bash\nls\n```\n\n3. third\n\n\
                        - a bullet\n  1. nested, not a step\n\n> 1. quoted, not a step\n\n\
                        # Two\n\n5. starts at five\n6. six\n\n# Three\n\nNo list.\n";
        let steps: Vec<Vec<u32>> = outline(markdown).into_iter().map(|h| h.steps).collect();
        assert_eq!(steps, [vec![1, 2, 3], vec![5, 6], vec![]]);
    }

    #[test]
    fn text_and_slug_match_the_rendered_heading() {
        let markdown = "## 📋 Exercice — *Déployer* `k8s/agent.yaml`\n";
        let heading = &outline(markdown)[0];
        assert_eq!(heading.text, "📋 Exercice — Déployer k8s/agent.yaml");
        assert_eq!(heading.slug, "exercice-déployer-k8s-agent-yaml");
        let html = render(markdown, Lang::Fr);
        assert!(html.contains(&format!("id=\"{}\"", heading.slug)));
    }

    #[test]
    fn the_worksheet_outline() {
        let headings = outline(FICHE_3);
        let html = render(FICHE_3, Lang::Fr);
        for heading in &headings {
            assert!(
                html.contains(&format!("id=\"{}\"", heading.slug)),
                "{heading:?}"
            );
        }
        let exercises: Vec<(&str, usize, &[u32])> = headings
            .iter()
            .filter(|h| !h.steps.is_empty())
            .map(|h| (h.text.as_str(), h.depth, h.steps.as_slice()))
            .collect();
        assert_eq!(
            exercises,
            [
                (
                    "📋 Exercice — Externaliser la configuration du backend Iris",
                    4,
                    &[1, 2, 3, 4][..]
                ),
                (
                    "📋 Exercice — Gérer une clé API avec un Secret",
                    4,
                    &[1, 2, 3, 4]
                ),
                (
                    "📋 Exercice — Déployer PostgreSQL avec stockage persistant",
                    3,
                    &[1, 2, 3, 4, 5, 6, 7]
                ),
                (
                    "📋 Exercice — Simuler un réentraînement automatique",
                    3,
                    &[1, 2, 3, 4, 5, 6, 7]
                ),
                ("📋 Exercice — Déployer le serveur MCP", 4, &[1, 2, 3]),
                ("📋 Exercice — Déployer l'agent PydanticAI", 4, &[1, 2, 3]),
                ("🏆 Challenge", 4, &[1, 2, 3, 4, 5]),
            ]
        );
        let first = &headings[0];
        assert_eq!(
            (first.depth, first.level, first.slug.as_str()),
            (1, 1, "kubernetes-fiche-3-pratiques-avancées")
        );
        let sections: Vec<&str> = headings
            .iter()
            .filter(|h| h.depth == 2)
            .map(|h| h.text.as_str())
            .collect();
        assert_eq!(
            sections,
            [
                "Objectifs",
                "1. Configuration & Secrets",
                "2. Stockage persistant",
                "3. CronJobs",
                "4. Déployer un stack IA moderne",
                "Récapitulatif des commandes essentielles",
            ]
        );
    }
}
