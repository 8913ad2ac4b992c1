//! Our verdict on a mutant, and how it compares with the API server's: the verdict, then the
//! line (where the API server names a field, the line of that field in the mutant, resolved with
//! our own YAML positions, against the line of our first error).

use kubefiche_core::manifest::{SourceFile, parse_file};
use kubefiche_core::validate::{Options, validate_workspace};
use kubefiche_core::yaml::NodeKind;
use kubefiche_core::yaml::path::resolve;
use kubefiche_core::{FieldPath, Severity};

use super::File;
use super::server::ServerVerdict;

/// One error of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurError {
    pub file: String,
    pub line: u32,
    pub code: String,
    pub message: String,
}

/// The validator's errors on the workspace (warnings do not refuse anything).
pub fn our_errors(files: &[File]) -> Vec<OurError> {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|f| SourceFile {
            path: f.path.clone(),
            text: f.text.clone(),
        })
        .collect();
    validate_workspace(&sources, &Options::default())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| OurError {
            file: d.file,
            line: d.span.line,
            code: d.code,
            message: d.message.en,
        })
        .collect()
}

/// Where the field the API server named is in the refused object: its file, the line to show
/// (1-based), and the lines an error of ours may be on to count as the right line — the line
/// itself for a scalar that exists; the whole mapping or list when the API server names one;
/// the nearest existing ancestor's lines when the path does not exist as written (a missing
/// field, or a path such as `spec.resources[storage]` that skips a level).
pub fn server_place(files: &[File], server: &ServerVerdict) -> Option<(String, u32, u32, u32)> {
    let (file, start) = server.at.as_ref()?;
    let field = server.field.as_deref()?;
    let f = files.iter().find(|f| &f.path == file)?;
    let (manifests, _) = parse_file(&SourceFile {
        path: f.path.clone(),
        text: f.text.clone(),
    });
    // The document that starts at `start`: the first that ends after it (its span may begin at
    // the `---` before it, or after a leading comment).
    let m = manifests
        .iter()
        .filter(|m| m.span.end_line >= *start)
        .min_by_key(|m| m.span.line)?;
    let line = m.span_of(field).line;
    let found = resolve(m.root(), &FieldPath::parse(field));
    let node = found.value?;
    let collection = matches!(node.kind, NodeKind::Map(_) | NodeKind::Seq(_));
    if found.complete && !collection {
        return Some((file.clone(), line, line, line));
    }
    let from = found.key.map_or(node.span.line, |k| k.span.line).min(line);
    Some((file.clone(), line, from, node.span.end_line.max(line)))
}

/// Where the two verdicts stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Both accept or both refuse.
    Agree,
    /// The API server refuses; we find no error.
    Miss,
    /// The API server accepts; we report an error.
    FalseError,
}

impl Agreement {
    pub fn of(server_refused: bool, we_refuse: bool) -> Self {
        match (server_refused, we_refuse) {
            (true, false) => Self::Miss,
            (false, true) => Self::FalseError,
            _ => Self::Agree,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Agree => "agree",
            Self::Miss => "miss",
            Self::FalseError => "false-error",
        }
    }
}

/// The comparison for one mutant.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub ours: Vec<OurError>,
    pub agreement: Agreement,
    /// Where the API server's field is, when it named one that we could find.
    pub server_line: Option<(String, u32)>,
    /// Both refuse and the line is known: our first error is on it.
    pub line_right: Option<bool>,
}

pub fn compare(files: &[File], server: &ServerVerdict) -> Comparison {
    let ours = our_errors(files);
    let agreement = Agreement::of(server.refused, !ours.is_empty());
    let place = if server.refused {
        server_place(files, server)
    } else {
        None
    };
    let line_right = match (&place, ours.first()) {
        (Some((file, _, from, to)), Some(first)) => {
            Some(&first.file == file && (*from..=*to).contains(&first.line))
        }
        _ => None,
    };
    let server_line = place.map(|(file, line, _, _)| (file, line));
    Comparison {
        ours,
        agreement,
        server_line,
        line_right,
    }
}
