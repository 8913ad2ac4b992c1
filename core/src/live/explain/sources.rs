//! Where the workspace defines an object, and the line of one of its fields.

use crate::manifest::{self, Manifest, SourceFile};

/// The manifests of the workspace, to find an object's file and lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    manifests: Vec<Manifest>,
}

impl Sources {
    pub fn new(files: &[SourceFile]) -> Self {
        Self {
            manifests: files
                .iter()
                .flat_map(|f| manifest::parse_file(f).0)
                .collect(),
        }
    }

    pub fn manifests(&self) -> &[Manifest] {
        &self.manifests
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
