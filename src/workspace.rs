//! The learner's files: the worksheet's versions, and their edits kept in the browser's storage
//! on every change, so that a reload or a crash loses nothing.

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

/// Keep `text` for `path`; `false` when the browser refused (storage full or disabled).
pub fn save(fiche: &str, path: &str, text: &str) -> bool {
    storage().is_some_and(|s| s.set_item(&key(fiche, path), text).is_ok())
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
