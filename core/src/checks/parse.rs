//! Reading a checks file: its structure (exercises, steps, solutions) and the worksheet it is
//! written against (headings, step numbers, workspace files). Every mistake is collected with its
//! line; none is skipped silently. Conditions are read in [`super::condition`].

use std::collections::BTreeSet;

use super::{AuthorError, Checks, Exercise, Outline, Solution, Step};
use crate::diagnostic::Text;
use crate::validate::syntax::distance;
use crate::yaml::{self, Limits, Node, NodeKind};

/// Reads a checks file written for the worksheet of `outline` and the workspace `files` (their
/// paths). Returns every author error, by line, when there is any.
pub fn parse(text: &str, outline: &Outline, files: &[String]) -> Result<Checks, Vec<AuthorError>> {
    let mut reader = Reader {
        outline,
        files,
        errors: Vec::new(),
    };
    let checks = reader.file(text);
    let mut errors = reader.errors;
    if errors.is_empty() {
        return Ok(checks);
    }
    errors.sort_by_key(|e| e.line);
    Err(errors)
}

pub(super) struct Reader<'a> {
    outline: &'a Outline,
    pub(super) files: &'a [String],
    pub(super) errors: Vec<AuthorError>,
}

pub(super) fn line(node: &Node) -> usize {
    node.span.line as usize
}

impl Reader<'_> {
    pub(super) fn error(&mut self, line: usize, en: String, fr: String) {
        self.errors.push(AuthorError {
            line,
            message: Text::new(en, fr),
        });
    }

    fn file(&mut self, text: &str) -> Checks {
        let mut checks = Checks {
            exercises: Vec::new(),
        };
        let docs = match yaml::parse_documents(text, &Limits::default()) {
            Ok(docs) => docs,
            Err(e) => {
                self.errors.push(AuthorError {
                    line: e.span.line as usize,
                    message: e.message,
                });
                return checks;
            }
        };
        for issue in docs.iter().flat_map(|d| &d.issues) {
            self.errors.push(AuthorError {
                line: issue.span.line as usize,
                message: issue.message.clone(),
            });
        }
        let mut roots = docs.iter().filter_map(|d| d.root.as_ref());
        let Some(root) = roots.next() else {
            self.error(
                1,
                "the checks file is empty: it starts with `exercises:` and lists the exercises".into(),
                "le fichier de vérifications est vide : il commence par `exercises:` et liste les exercices".into(),
            );
            return checks;
        };
        if let Some(extra) = roots.next() {
            self.error(
                line(extra),
                "a second YAML document (after `---`): a checks file has one; remove the `---`".into(),
                "un second document YAML (après `---`) : un fichier de vérifications n'en a qu'un ; retirez le `---`".into(),
            );
        }
        if !self.keys(root, "the file", "le fichier", &["exercises"]) {
            return checks;
        }
        let Some(list) = self.required_list(root, "exercises", "the file", "le fichier") else {
            return checks;
        };
        let mut ids = BTreeSet::new();
        for node in list {
            if let Some(exercise) = self.exercise(node, &mut ids) {
                checks.exercises.push(exercise);
            }
        }
        checks
    }

    fn exercise(&mut self, node: &Node, ids: &mut BTreeSet<String>) -> Option<Exercise> {
        const KEYS: &[&str] = &["id", "heading", "cleanup", "requires", "steps"];
        if !self.keys(node, "an exercise", "un exercice", KEYS) {
            return None;
        }
        let id = match node.get("id") {
            Some(v) => self.string(v, "id").map(|id| (id.to_owned(), line(v))),
            None => {
                self.error(
                    line(node),
                    "`id:` is missing in this exercise: its progress is stored under it".into(),
                    "`id:` manque dans cet exercice : sa progression est enregistrée sous ce nom"
                        .into(),
                );
                None
            }
        };
        if let Some((id, at)) = &id {
            if !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                self.error(
                    *at,
                    format!("the id `{id}` may only have lowercase letters, digits and `-`"),
                    format!("l'id `{id}` ne peut avoir que des minuscules, des chiffres et `-`"),
                );
            } else if !ids.insert(id.clone()) {
                self.error(
                    *at,
                    format!(
                        "the id `{id}` is already the id of another exercise: give each its own"
                    ),
                    format!(
                        "l'id `{id}` est déjà celui d'un autre exercice : donnez à chacun le sien"
                    ),
                );
            }
        }
        let heading = match node.get("heading") {
            Some(v) => self
                .string(v, "heading")
                .map(|h| (h.to_owned(), self.heading(v, h))),
            None => {
                self.error(line(node), "`heading:` is missing in this exercise: the text of its heading in the worksheet".into(),
                    "`heading:` manque dans cet exercice : le texte de son titre dans la fiche".into());
                None
            }
        };
        let heading_index = heading.as_ref().and_then(|(_, i)| *i);
        let cleanup = match node.get("cleanup") {
            Some(v) => self
                .list(v, "cleanup")
                .unwrap_or_default()
                .iter()
                .filter_map(|item| self.object_ref(item, "cleanup", super::condition::WATCHED))
                .collect(),
            None => Vec::new(),
        };
        let requires = match node.get("requires") {
            Some(v) => self.conditions(v, "requires"),
            None => Vec::new(),
        };
        let mut numbers = BTreeSet::new();
        let steps: Vec<Step> = self
            .required_list(node, "steps", "this exercise", "cet exercice")
            .unwrap_or_default()
            .iter()
            .filter_map(|s| self.step(s, heading_index, &mut numbers))
            .collect();
        let (id, _) = id?;
        let (heading, _) = heading?;
        Some(Exercise {
            id,
            heading,
            heading_index: heading_index?,
            line: line(node),
            cleanup,
            requires,
            steps,
        })
    }

    /// The one heading of the worksheet that `want` names.
    fn heading(&mut self, node: &Node, want: &str) -> Option<usize> {
        let want = trim_heading(want);
        let texts: Vec<&str> = self
            .outline
            .headings
            .iter()
            .map(|h| trim_heading(&h.text))
            .collect();
        let mut found: Vec<usize> = (0..texts.len())
            .filter(|&i| texts[i].contains(want))
            .collect();
        if found.len() > 1 {
            let exact: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&i| texts[i] == want)
                .collect();
            if exact.len() == 1 {
                found = exact;
            }
        }
        match found.as_slice() {
            [one] => return Some(*one),
            [] => {
                let near = texts.iter().min_by_key(|t| distance(want, t));
                let (en, fr) = match near {
                    Some(near) => (
                        format!("the closest is «{near}»"),
                        format!("le plus proche est «{near}»"),
                    ),
                    None => (
                        "the worksheet has no heading".into(),
                        "la fiche n'a aucun titre".into(),
                    ),
                };
                self.error(
                    line(node),
                    format!("no heading of the worksheet contains «{want}»: {en}"),
                    format!("aucun titre de la fiche ne contient «{want}» : {fr}"),
                );
            }
            several => {
                let list: Vec<String> = several
                    .iter()
                    .take(5)
                    .map(|&i| format!("«{}»", texts[i]))
                    .collect();
                let list = list.join(", ");
                self.error(line(node), format!("several headings contain «{want}»: {list}; write more of the one meant"),
                    format!("plusieurs titres contiennent «{want}» : {list} ; écrivez davantage de celui visé"));
            }
        }
        None
    }

    fn step(
        &mut self,
        node: &Node,
        heading: Option<usize>,
        numbers: &mut BTreeSet<u32>,
    ) -> Option<Step> {
        const KEYS: &[&str] = &["step", "checks", "solution", "not-checkable"];
        if !self.keys(node, "a step", "une étape", KEYS) {
            return None;
        }
        let number = match node.get("step") {
            Some(v) => match v
                .as_int()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n >= 1)
            {
                Some(n) => Some(n),
                None => {
                    self.error(line(v), "`step` should be the number of an item of the numbered list, e.g. `step: 2`".into(),
                        "`step` devrait être le numéro d'un élément de la liste numérotée, p. ex. `step: 2`".into());
                    None
                }
            },
            None => {
                self.error(
                    line(node),
                    "`step:` is missing: the number of the item of the numbered list".into(),
                    "`step:` manque : le numéro de l'élément de la liste numérotée".into(),
                );
                None
            }
        };
        if let Some(n) = number {
            let at = node.get("step").map_or(line(node), line);
            if !numbers.insert(n) {
                self.error(
                    at,
                    format!("step {n} is already checked in this exercise: merge the two"),
                    format!("l'étape {n} est déjà vérifiée dans cet exercice : fusionnez les deux"),
                );
            }
            if let Some(h) = heading.map(|i| &self.outline.headings[i])
                && !h.steps.contains(&n)
            {
                let items: Vec<String> = h.steps.iter().map(u32::to_string).collect();
                let (items_en, items_fr) = if items.is_empty() {
                    (
                        "it has no numbered item".to_owned(),
                        "il n'a aucun élément numéroté".to_owned(),
                    )
                } else {
                    (
                        format!("its items: {}", items.join(", ")),
                        format!("ses éléments : {}", items.join(", ")),
                    )
                };
                self.error(
                    at,
                    format!(
                        "there is no item {n} in the numbered list under «{}» ({items_en})",
                        h.text
                    ),
                    format!(
                        "pas d'élément {n} dans la liste numérotée sous «{}» ({items_fr})",
                        h.text
                    ),
                );
            }
        }
        let checks = node.get("checks").map(|v| self.conditions(v, "checks"));
        let not_checkable = node
            .get("not-checkable")
            .and_then(|v| self.text(v, "not-checkable"));
        if checks.is_none() && node.get("not-checkable").is_none() {
            self.error(
                line(node),
                "this step has neither `checks:` nor `not-checkable:`: give one".into(),
                "cette étape n'a ni `checks:` ni `not-checkable:` : donnez-en un".into(),
            );
        }
        let solution = node.get("solution").and_then(|v| self.solution(v));
        Some(Step {
            number: number?,
            line: line(node),
            checks: checks.unwrap_or_default(),
            not_checkable,
            solution,
        })
    }

    fn solution(&mut self, node: &Node) -> Option<Solution> {
        const KEYS: &[&str] = &["file", "insert", "run"];
        if !self.keys(node, "`solution`", "`solution`", KEYS) {
            return None;
        }
        let given: Vec<&str> = node
            .as_map()
            .iter()
            .map(|(k, _)| k.name.as_str())
            .filter(|k| KEYS.contains(k))
            .collect();
        match given.as_slice() {
            [_] => {}
            [] => {
                self.error(
                    line(node),
                    "`solution` needs one of `file:`, `insert:` or `run:`".into(),
                    "`solution` demande un de `file:`, `insert:` ou `run:`".into(),
                );
                return None;
            }
            [a, b, ..] => {
                self.error(
                    line(node),
                    format!("`solution` has both `{a}` and `{b}`: keep one"),
                    format!("`solution` a à la fois `{a}` et `{b}` : gardez-en un"),
                );
                return None;
            }
        }
        let (key, value) = node
            .as_map()
            .iter()
            .find(|(k, _)| KEYS.contains(&k.name.as_str()))?;
        match key.name.as_str() {
            "file" => self.workspace_file(value, "file").map(Solution::File),
            "insert" => self.workspace_file(value, "insert").map(Solution::Insert),
            _ => {
                let lines: Vec<String> = match &value.kind {
                    NodeKind::Seq(items) => items
                        .iter()
                        .filter_map(|i| self.string(i, "run").map(str::to_owned))
                        .collect(),
                    _ => self
                        .string(value, "run")
                        .map(str::to_owned)
                        .into_iter()
                        .collect(),
                };
                (!lines.is_empty()).then_some(Solution::Run(lines))
            }
        }
    }
}

/// A heading's text without the emoji, punctuation and spaces at its ends.
fn trim_heading(text: &str) -> &str {
    text.trim_matches(|c: char| !c.is_alphanumeric())
}
