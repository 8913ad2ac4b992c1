//! The workspace's manifests, read once per edit: where the workspace defines an object, the
//! line of one of its fields, and (for the exercise checks) which files read as YAML.

use crate::diagnostic::Severity;
use crate::manifest::{self, Manifest, SourceFile};

/// The manifests of the workspace, to find an object's file and lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    manifests: Vec<Manifest>,
    /// The files with a YAML error.
    broken: Vec<String>,
}

impl Sources {
    pub fn new(files: &[SourceFile]) -> Self {
        let mut sources = Self::default();
        for file in files {
            let (manifests, problems) = manifest::parse_file(file);
            if problems.iter().any(|d| d.severity == Severity::Error) {
                sources.broken.push(file.path.clone());
            }
            sources.manifests.extend(manifests);
        }
        sources
    }

    pub fn manifests(&self) -> &[Manifest] {
        &self.manifests
    }

    /// The manifests of workspace file `path`.
    pub fn of_file<'s>(&'s self, path: &'s str) -> impl Iterator<Item = &'s Manifest> + 's {
        self.manifests.iter().filter(move |m| m.file == path)
    }

    /// Whether `path` holds manifests and reads as YAML.
    pub fn reads(&self, path: &str) -> bool {
        !self.broken.iter().any(|b| b == path) && self.of_file(path).next().is_some()
    }

    /// The manifest of `kind`/`name`, when a workspace file defines it.
    pub fn find(&self, kind: &str, name: &str) -> Option<&Manifest> {
        self.manifests
            .iter()
            .find(|m| m.kind == kind && m.name == name)
    }

    /// The file and 1-based line of `path` in the manifest of `kind`/`name` (its nearest existing
    /// ancestor when the field is not written).
    pub fn line(&self, kind: &str, name: &str, path: &str) -> Option<(String, u32)> {
        let m = self.find(kind, name)?;
        Some((m.file.clone(), m.span_of(path).line))
    }

    /// The file that defines `kind`/`name`.
    pub fn file(&self, kind: &str, name: &str) -> Option<&str> {
        self.find(kind, name).map(|m| m.file.as_str())
    }

    /// Every image the workspace names (to recognise a typo).
    pub fn images(&self) -> Vec<String> {
        let mut images = Vec::new();
        for m in &self.manifests {
            collect_images(&m.value, &mut images);
        }
        images.sort();
        images.dedup();
        images
    }
}

fn collect_images(value: &serde_json::Value, into: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("image", serde_json::Value::String(s)) => into.push(s.clone()),
                    _ => collect_images(v, into),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_images(v, into)),
        _ => {}
    }
}
