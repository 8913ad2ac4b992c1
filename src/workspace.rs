//! The learner's files: the worksheet's versions, and their edits kept in the browser's storage
//! on every change, so that a reload or a crash loses nothing.
//!
//! An edit is written synchronously from the editor's change handler (CodeMirror's update
//! listener calls [`crate::app::Ctx::edited`], which calls [`save`] before anything else): the text
//! is in `localStorage` before the browser's event loop turns, so a tab killed right after a
//! keystroke keeps it. No debounce, timer or effect may come between the two.

use std::collections::BTreeSet;

use crate::fiche::WorksheetFile;

/// One storage key per file and worksheet.
fn key(fiche: &str, path: &str) -> String {
    format!("kubefiche:{fiche}:file:{path}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text to show for each file: the saved edit when there is one, else the worksheet's.
pub fn load(fiche: &str, files: &[WorksheetFile]) -> Vec<String> {
    let storage = storage();
    files
        .iter()
        .map(|file| {
            storage
                .as_ref()
                .and_then(|s| s.get_item(&key(fiche, &file.path)).ok().flatten())
                .unwrap_or_else(|| file.text.clone())
        })
        .collect()
}

/// Why the browser did not keep an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The page has no storage: disabled by a setting or a strict private mode.
    Disabled,
    /// The storage refused the write: its quota is used up.
    Full,
}

/// Whether the browser lets this page keep anything at all.
pub fn available() -> bool {
    storage().is_some()
}

/// Keep `text` for `path` now (synchronously); why not when the browser refused.
pub fn save(fiche: &str, path: &str, text: &str) -> Result<(), Refused> {
    let storage = storage().ok_or(Refused::Disabled)?;
    storage
        .set_item(&key(fiche, path), text)
        .map_err(|_| Refused::Full)
}

/// The files whose last edit the browser has not kept, and why: what the page warns about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keeping {
    pub unsaved: BTreeSet<String>,
    /// Set while anything is unsaved, or from the start when the page has no storage at all.
    pub refused: Option<Refused>,
}

impl Keeping {
    /// The state of a page that starts with storage (`true`) or without.
    pub fn start(available: bool) -> Self {
        Self {
            unsaved: BTreeSet::new(),
            refused: (!available).then_some(Refused::Disabled),
        }
    }

    /// After an attempt to keep the edit of `path`. When it was kept, the files still unsaved
    /// are tried again with `retry`, so the warning only goes once every edit is kept.
    pub fn record(
        &mut self,
        path: &str,
        saved: Result<(), Refused>,
        mut retry: impl FnMut(&str) -> Result<(), Refused>,
    ) {
        if let Err(why) = saved {
            self.unsaved.insert(path.to_owned());
            self.refused = Some(why);
            return;
        }
        self.unsaved.remove(path);
        let waiting: Vec<String> = self.unsaved.iter().cloned().collect();
        for other in waiting {
            match retry(&other) {
                Ok(()) => {
                    self.unsaved.remove(&other);
                }
                Err(why) => {
                    self.refused = Some(why);
                    return;
                }
            }
        }
        self.refused = None;
    }

    /// `path` needs no keeping any more (reset to the worksheet's version, its key removed).
    pub fn forgot(&mut self, path: &str) {
        self.unsaved.remove(path);
        if self.unsaved.is_empty() && self.refused == Some(Refused::Full) {
            self.refused = None;
        }
    }
}

/// Every file of the workspace in one text to download: a comment naming the worksheet, then
/// each file after a `# file: PATH` line, separated by `---` (one multi-document YAML file).
pub fn export(fiche: &str, files: &[(String, String)]) -> String {
    let mut out = format!("# kubefiche: {fiche}, {} files\n", files.len());
    for (i, (path, text)) in files.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str("# file: ");
        out.push_str(path);
        out.push('\n');
        out.push_str(text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Forget the edit of `path` (after a reset to the worksheet's version).
pub fn forget(fiche: &str, path: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(fiche, path));
    }
}

/// A setting of the interface kept across visits (language, projector mode, open tab).
pub fn setting(name: &str) -> Option<String> {
    storage()?
        .get_item(&format!("kubefiche:setting:{name}"))
        .ok()
        .flatten()
}

pub fn set_setting(name: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("kubefiche:setting:{name}"), value);
    }
}

/// The console's history of worksheet `fiche`, oldest first.
pub fn history(fiche: &str) -> Vec<String> {
    storage()
        .and_then(|s| {
            s.get_item(&format!("kubefiche:{fiche}:history"))
                .ok()
                .flatten()
        })
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save_history(fiche: &str, lines: &[String]) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(lines)) {
        let _ = s.set_item(&format!("kubefiche:{fiche}:history"), &json);
    }
}

/// A value kept under `key` as it is (the course's own worksheets, the progress of each).
pub fn raw(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keep `value` under `key`; `false` when the browser refused.
pub fn set_raw(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn remove_raw(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_edit_is_remembered_until_kept() {
        let mut keeping = Keeping::start(true);
        assert_eq!(keeping.refused, None);
        keeping.record("a.yaml", Err(Refused::Full), |_| Ok(()));
        keeping.record("b.yaml", Err(Refused::Full), |_| Ok(()));
        assert_eq!(keeping.refused, Some(Refused::Full));
        assert_eq!(keeping.unsaved.len(), 2);
        // Room again: the next edit is kept, and so are the others, tried again.
        let mut retried = Vec::new();
        keeping.record("a.yaml", Ok(()), |p| {
            retried.push(p.to_owned());
            Ok(())
        });
        assert_eq!(retried, ["b.yaml"]);
        assert_eq!(keeping, Keeping::start(true));
    }

    #[test]
    fn the_warning_stays_while_another_file_is_not_kept() {
        let mut keeping = Keeping::start(true);
        keeping.record("a.yaml", Err(Refused::Full), |_| Ok(()));
        // A small edit of another file fits, the bigger one waiting still does not.
        keeping.record("b.yaml", Ok(()), |_| Err(Refused::Full));
        assert_eq!(keeping.refused, Some(Refused::Full));
        assert_eq!(keeping.unsaved.iter().collect::<Vec<_>>(), ["a.yaml"]);
        keeping.forgot("a.yaml");
        assert_eq!(keeping, Keeping::start(true));
    }

    #[test]
    fn without_storage_the_page_warns_from_the_start_and_keeps_warning() {
        let mut keeping = Keeping::start(false);
        assert_eq!(keeping.refused, Some(Refused::Disabled));
        keeping.record("a.yaml", Err(Refused::Disabled), |_| Ok(()));
        keeping.forgot("a.yaml");
        assert_eq!(keeping.refused, Some(Refused::Disabled));
        assert!(keeping.unsaved.is_empty());
    }

    #[test]
    fn the_download_holds_every_file_whole() {
        let files = [
            ("k8s/a.yaml".to_owned(), "kind: A\n".to_owned()),
            ("k8s/b.yaml".to_owned(), "kind: B\n---\nkind: C".to_owned()),
            ("k8s/empty.yaml".to_owned(), String::new()),
        ];
        assert_eq!(
            export("fiche-3", &files),
            "# kubefiche: fiche-3, 3 files\n# file: k8s/a.yaml\nkind: A\n---\n# file: k8s/b.yaml\nkind: B\n---\nkind: C\n---\n# file: k8s/empty.yaml\n"
        );
    }
}
