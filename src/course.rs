//! The course: the worksheets shipped in `public/fiches/` (found at build time, so that adding a
//! worksheet is adding files), the learner's own worksheet files (kept in the browser), and which
//! one this page shows (`?fiche=ID`).

use kubefiche_core::Text;

use crate::fiche::{self, WorksheetFile};
use crate::workspace;

/// A worksheet as the build found it.
pub struct Shipped {
    pub id: &'static str,
    pub markdown: &'static str,
    pub checks: Option<&'static str>,
    /// Workspace path and text of each file the worksheet modifies rather than creates.
    pub starters: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

/// The prefix of the ids of the learner's own worksheets.
const OWN: &str = "own-";
/// The most text an own worksheet may have (the browser's storage is small).
const MOST_BYTES: usize = 1 << 20;

/// A worksheet the page can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worksheet {
    pub id: String,
    pub markdown: String,
    pub checks: Option<String>,
    pub starters: Vec<(String, String)>,
    /// Opened by the learner from a file of their own (not shipped with the course).
    pub own: bool,
}

impl Worksheet {
    fn shipped(shipped: &Shipped) -> Self {
        Self {
            id: shipped.id.to_owned(),
            markdown: shipped.markdown.to_owned(),
            checks: shipped.checks.map(str::to_owned),
            starters: shipped
                .starters
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
                .collect(),
            own: false,
        }
    }

    /// The text of its first heading, else its id.
    pub fn title(&self) -> String {
        fiche::outline(&self.markdown)
            .into_iter()
            .next()
            .map(|h| h.text)
            .unwrap_or_else(|| self.id.clone())
    }

    /// The workspace files: the ones the worksheet creates and its starters.
    pub fn files(&self) -> Vec<WorksheetFile> {
        let starters: Vec<(&str, &str)> = self
            .starters
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        fiche::worksheet_files(&self.markdown, &starters)
    }
}

/// The course's worksheets, in order.
pub fn shipped() -> Vec<Worksheet> {
    SHIPPED.iter().map(Worksheet::shipped).collect()
}

/// Every worksheet: the course's, then the learner's own.
pub fn all() -> Vec<Worksheet> {
    let mut found = shipped();
    found.extend(own_ids().into_iter().filter_map(|id| own(&id)));
    found
}

pub fn find(id: &str) -> Option<Worksheet> {
    if id.starts_with(OWN) {
        return own(id);
    }
    SHIPPED.iter().find(|s| s.id == id).map(Worksheet::shipped)
}

/// The worksheet this page shows: the one the address names, else the last one opened, else the
/// course's first.
pub fn current() -> Worksheet {
    let asked = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("fiche"));
    asked
        .or_else(|| workspace::setting("fiche"))
        .and_then(|id| find(&id))
        .or_else(|| SHIPPED.first().map(Worksheet::shipped))
        .unwrap_or_else(|| Worksheet {
            id: "empty".to_owned(),
            markdown: String::new(),
            checks: None,
            starters: Vec::new(),
            own: false,
        })
}

/// Show worksheet `id` (a new page load: every pane starts from that worksheet's state).
pub fn open(id: &str) {
    workspace::set_setting("fiche", id);
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_search(&format!("fiche={id}"));
    }
}

/// Keep a worksheet file of the learner's (its text repaired when it was mis-decoded) and
/// return its id; the same file name opened again replaces it.
pub fn add_own(file_name: &str, bytes: &[u8]) -> Result<(String, Option<String>), Text> {
    if bytes.len() > MOST_BYTES {
        return Err(Text::new(
            format!(
                "{file_name} is larger than 1 MiB: a worksheet that large cannot be kept in the browser."
            ),
            format!(
                "{file_name} dépasse 1 Mio : une fiche aussi grande ne peut pas être gardée dans le navigateur."
            ),
        ));
    }
    let repaired = fiche::decode(bytes);
    if repaired.text.trim().is_empty() {
        return Err(Text::new(
            format!("{file_name} is empty: choose a worksheet written in Markdown (.md)."),
            format!("{file_name} est vide : choisissez une fiche écrite en Markdown (.md)."),
        ));
    }
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let id = format!("{OWN}{}", fiche::slug(stem));
    let stored = workspace::set_raw(&format!("kubefiche:own:{id}"), &repaired.text);
    if !stored {
        return Err(Text::new(
            "The browser refused to keep this worksheet (its storage is full or disabled).",
            "Le navigateur a refusé de garder cette fiche (son stockage est plein ou désactivé).",
        ));
    }
    let note = format!("kubefiche:own:{id}:repaired");
    match &repaired.fixed {
        Some(encoding) => workspace::set_raw(&note, encoding.name()),
        None => {
            workspace::remove_raw(&note);
            true
        }
    };
    let mut ids = own_ids();
    if !ids.contains(&id) {
        ids.push(id.clone());
        if let Ok(json) = serde_json::to_string(&ids) {
            workspace::set_raw("kubefiche:own", &json);
        }
    }
    Ok((id, repaired.fixed.map(|e| e.name().to_owned())))
}

/// How the text of own worksheet `id` was repaired when it was opened, if it was.
pub fn repaired(id: &str) -> Option<String> {
    workspace::raw(&format!("kubefiche:own:{id}:repaired"))
}

/// Forget an own worksheet (not its edits, which stay under its id).
pub fn remove_own(id: &str) {
    let ids: Vec<String> = own_ids().into_iter().filter(|i| i != id).collect();
    if let Ok(json) = serde_json::to_string(&ids) {
        workspace::set_raw("kubefiche:own", &json);
    }
    workspace::remove_raw(&format!("kubefiche:own:{id}"));
}

fn own_ids() -> Vec<String> {
    workspace::raw("kubefiche:own")
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn own(id: &str) -> Option<Worksheet> {
    let markdown = workspace::raw(&format!("kubefiche:own:{id}"))?;
    Some(Worksheet {
        id: id.to_owned(),
        markdown,
        checks: None,
        starters: Vec::new(),
        own: true,
    })
}
