//! The plain readers of checks files: mappings with known keys, lists, texts, bilingual texts,
//! workspace paths; each reports what is wrong at its line.

use super::parse::{Reader, line};
use crate::diagnostic::Text;
use crate::validate::syntax::closest;
use crate::yaml::{Node, NodeKind};

impl Reader<'_> {
    /// Reports the keys of mapping `node` that are not `known` (with the closest known one).
    /// Returns whether `node` is a mapping at all.
    pub(super) fn keys(&mut self, node: &Node, en: &str, fr: &str, known: &[&str]) -> bool {
        let NodeKind::Map(entries) = &node.kind else {
            self.error(
                line(node),
                format!(
                    "{en} should be a mapping (`key: value` lines), not {}",
                    node.type_name().en
                ),
                format!(
                    "{fr} devrait être un dictionnaire (lignes `clé: valeur`), pas {}",
                    node.type_name().fr
                ),
            );
            return false;
        };
        for (key, _) in entries {
            if known.contains(&key.name.as_str()) {
                continue;
            }
            let list = known.join(", ");
            let (hint_en, hint_fr) = match closest(&key.name, known.iter().copied()) {
                Some(near) => (
                    format!("did you mean `{near}`?"),
                    format!("vouliez-vous dire `{near}` ?"),
                ),
                None => (
                    format!("known keys: {list}"),
                    format!("clés connues : {list}"),
                ),
            };
            self.error(
                key.span.line as usize,
                format!("unknown key `{}` in {en}: {hint_en}", key.name),
                format!("clé inconnue `{}` dans {fr} : {hint_fr}", key.name),
            );
        }
        true
    }

    /// The list under `key`, reported when missing or not a list.
    pub(super) fn required_list<'n>(
        &mut self,
        node: &'n Node,
        key: &str,
        en: &str,
        fr: &str,
    ) -> Option<&'n [Node]> {
        let Some(value) = node.get(key) else {
            self.error(
                line(node),
                format!("`{key}:` is missing in {en}"),
                format!("`{key}:` manque dans {fr}"),
            );
            return None;
        };
        self.list(value, key)
    }

    /// A list, reported when it is something else or empty.
    pub(super) fn list<'n>(&mut self, value: &'n Node, key: &str) -> Option<&'n [Node]> {
        match &value.kind {
            NodeKind::Seq(items) if !items.is_empty() => Some(items),
            NodeKind::Seq(_) | NodeKind::Null => {
                self.error(
                    line(value),
                    format!("`{key}` is empty: list at least one item (lines starting with `- `)"),
                    format!(
                        "`{key}` est vide : listez au moins un élément (lignes commençant par `- `)"
                    ),
                );
                None
            }
            _ => {
                self.error(
                    line(value),
                    format!(
                        "`{key}` should be a list (lines starting with `- `), not {}",
                        value.type_name().en
                    ),
                    format!(
                        "`{key}` devrait être une liste (lignes commençant par `- `), pas {}",
                        value.type_name().fr
                    ),
                );
                None
            }
        }
    }

    /// A non-empty string, reported when it is something else.
    pub(super) fn string<'n>(&mut self, value: &'n Node, key: &str) -> Option<&'n str> {
        match value.as_str().map(str::trim) {
            Some(s) if !s.is_empty() => Some(s),
            _ => {
                self.error(
                    line(value),
                    format!(
                        "`{key}` should be a non-empty text, not {}",
                        value.type_name().en
                    ),
                    format!(
                        "`{key}` devrait être un texte non vide, pas {}",
                        value.type_name().fr
                    ),
                );
                None
            }
        }
    }

    /// A path of the workspace, reported when the workspace has no such file.
    pub(super) fn workspace_file(&mut self, value: &Node, key: &str) -> Option<String> {
        let path = self.string(value, key)?;
        if self.files.iter().any(|f| f == path) {
            return Some(path.to_owned());
        }
        let (en, fr) = match closest(path, self.files.iter().map(String::as_str)) {
            Some(near) => (
                format!("did you mean `{near}`?"),
                format!("vouliez-vous dire `{near}` ?"),
            ),
            None => {
                let list = self.files.join(", ");
                (
                    format!("its files: {list}"),
                    format!("ses fichiers : {list}"),
                )
            }
        };
        self.error(
            line(value),
            format!("the workspace has no file `{path}`: {en}"),
            format!("l'espace de travail n'a pas de fichier `{path}` : {fr}"),
        );
        None
    }

    /// A text in both languages: a mapping with non-empty `fr` and `en`.
    pub(super) fn text(&mut self, node: &Node, key: &str) -> Option<Text> {
        let en_what = format!("`{key}`");
        if !self.keys(node, &en_what, &en_what, &["fr", "en"]) {
            return None;
        }
        let mut get = |lang: &str| -> Option<String> {
            match node.get(lang).and_then(Node::as_str).map(str::trim) {
                Some(s) if !s.is_empty() => Some(s.to_owned()),
                _ => {
                    self.error(
                        line(node),
                        format!("`{key}` needs a non-empty `{lang}:` text"),
                        format!("`{key}` demande un texte `{lang}:` non vide"),
                    );
                    None
                }
            }
        };
        let fr = get("fr");
        let en = get("en");
        Some(Text::new(en?, fr?))
    }
}
