//! JSON export: the native model, for scripts.
//!
//! The document is `{ "format": "factmark-export", "version": 1, "stories": [...] }`; each
//! story has `story` (its name), `uri`, `text_sha256` and `annotations`, each annotation
//! serialised exactly as the model's serde derives it (the same field names as the RON
//! sidecar). `docs/FORMATS.md` documents every field; changing a name here is a breaking
//! change and needs a new `version`.
//! This module must not depend on any UI crate.

use serde::Serialize;

use crate::model::Annotation;

use super::ExportSet;

/// The `format` tag of a JSON export.
pub const FORMAT: &str = "factmark-export";
/// Bumped whenever a field is renamed or changes meaning.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    stories: Vec<StoryPart<'a>>,
}

#[derive(Serialize)]
struct StoryPart<'a> {
    story: &'a str,
    uri: String,
    text_sha256: &'a str,
    annotations: &'a [Annotation],
}

pub fn to_json(set: &ExportSet) -> Result<Vec<u8>, String> {
    let doc = Document {
        format: FORMAT,
        version: VERSION,
        stories: set
            .stories
            .iter()
            .map(|s| StoryPart {
                story: &s.name,
                uri: s.uri(),
                text_sha256: &s.text_sha256,
                annotations: &s.annotations,
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(out)
}
