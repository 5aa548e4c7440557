//! The window's exports, "save a copy" and imports, as worker tasks: what to write is
//! gathered on the UI thread (cheap copies), the reading and writing run on the worker
//! ([`crate::app::io`]). The exporting itself is the core's ([`crate::export`]), the same
//! code the command line runs; importing is planned by [`crate::import`].
//!
//! Functions here build tasks and edits; they must not touch the app's state or draw.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::app::command::ExportChoice;
use crate::app::io::Done;
use crate::document::Document;
use crate::history::Edit;
use crate::model::{AnnotationId, AnnotationSet, Label, RatingScale};
use crate::ui::fmt::plural;
use crate::ui::workspace_view::WorkspaceState;

/// A disk task for the worker.
pub type Task = Box<dyn FnOnce() -> Done + Send>;

/// The status line for an export: `(annotations, claims skipped)` or the error.
fn report(result: Result<(usize, usize), String>, path: &Path) -> Done {
    match result {
        Ok((n, skipped)) => {
            let mut text = format!(
                "Exported {} to {}.",
                plural(n, "annotation"),
                path.display()
            );
            if skipped > 0 {
                text.push_str(&format!(
                    " {} without a verdict left out of ClaimReview.",
                    plural(skipped, "claim")
                ));
            }
            Done::Message { error: false, text }
        }
        Err(e) => Done::Message {
            error: true,
            text: format!("Export failed, nothing was written: {e}"),
        },
    }
}

/// Exports the open story (or its whole folder) as the dialog describes, reading the
/// saved sidecars from disk.
pub fn story_export(doc: &Document, choice: ExportChoice, path: PathBuf) -> Task {
    let source = if choice.whole_folder {
        doc.path().parent().map(Path::to_owned).unwrap_or_default()
    } else {
        doc.story_path()
    };
    Box::new(move || {
        let result = crate::export::ExportSet::load(&[source], &choice.filter)
            .and_then(|set| {
                let out = crate::export::export(&set, choice.format, &choice.options)?;
                crate::export::write_file(&path, &out.bytes)?;
                Ok((set.len(), out.skipped.len()))
            })
            .map_err(|e| e.to_string());
        report(result, &path)
    })
}

/// One story's part of a claims-table export, copied off the workspace.
struct Part {
    name: String,
    path: PathBuf,
    annotations: AnnotationSet,
    labels: Vec<Label>,
    scale: RatingScale,
    ids: HashSet<AnnotationId>,
}

/// Exports the claims the table shows (with their unsaved edits): each story's text is
/// read again on the worker to place them.
pub fn claims_export(
    state: &mut WorkspaceState,
    format: crate::export::Format,
    path: PathBuf,
) -> Result<Task, String> {
    let rows = state.rows().to_vec();
    let Some(ws) = &state.workspace else {
        return Err("the folder is still being scanned".into());
    };
    let mut by_story: BTreeMap<usize, HashSet<AnnotationId>> = BTreeMap::new();
    for r in rows {
        if let Some(a) = ws.annotation(r) {
            by_story.entry(r.story).or_default().insert(a.id.clone());
        }
    }
    let parts: Vec<Part> = by_story
        .into_iter()
        .filter_map(|(i, ids)| {
            let entry = ws.stories.get(i)?;
            Some(Part {
                name: entry.name.clone(),
                path: entry.path.clone(),
                annotations: entry.annotations.clone(),
                labels: entry.labels_in(&ws.settings),
                scale: entry.scale_in(&ws.settings),
                ids,
            })
        })
        .collect();
    let org = ws.settings.organisation.clone().unwrap_or_default();
    let options = crate::export::ExportOptions {
        organisation: crate::export::Organisation {
            name: org.name,
            url: org.url,
        },
        ..Default::default()
    };
    Ok(Box::new(move || {
        let result = (|| {
            let mut set = crate::export::ExportSet::default();
            for p in parts {
                let story = crate::text::load_story(&p.path).map_err(|e| e.to_string())?;
                let mut part = crate::export::ExportStory::new(
                    &p.name,
                    &p.path,
                    &story.text,
                    p.annotations.as_slice(),
                    p.labels,
                    p.scale,
                    &crate::export::Filter::default(),
                );
                part.annotations.retain(|a| p.ids.contains(&a.id));
                set.stories.push(part);
            }
            let out = crate::export::export(&set, format, &options).map_err(|e| e.to_string())?;
            crate::export::write_file(&path, &out.bytes).map_err(|e| e.to_string())?;
            Ok((set.len(), out.skipped.len()))
        })();
        report(result, &path)
    }))
}

/// Writes the open story's annotations, as a sidecar, to `path` (atomically). For when the
/// sidecar itself cannot be saved: the work gets to disk somewhere the user chose.
pub fn save_copy(doc: &Document, path: PathBuf) -> Result<Task, String> {
    let text = doc.sidecar().to_ron().map_err(|e| e.to_string())?;
    let name = doc
        .sidecar_path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Box::new(move || {
        match crate::store::write_atomic(&path, text.as_bytes(), false) {
            Ok(()) => Done::Message {
                error: false,
                text: format!(
                    "Saved a copy of the annotations to {}. It is a sidecar: put it next to the story as {name} to use it.",
                    path.display()
                ),
            },
            Err(e) => Done::Message {
                error: true,
                text: format!("The copy was not saved either: {e}"),
            },
        }
    }))
}

/// Plans adding a W3C Web Annotation file's annotations to the open story: the edit (one
/// undoable step; `None` when there is nothing to add) and the summary for the status bar.
pub fn plan_import(
    doc: &Document,
    file: &Path,
    json: &str,
) -> Result<(Option<Edit>, String), String> {
    let parsed = crate::import::parse_json(json, file).map_err(|e| e.to_string())?;
    let planned = crate::import::plan(
        &parsed,
        &doc.story.text,
        &doc.title(),
        doc.annotations(),
        &doc.labels(),
        &doc.rating_scale(),
    );
    let summary = planned.report.summary();
    if planned.annotations.is_empty() {
        return Ok((None, summary));
    }
    let edit = Edit::Batch(planned.annotations.into_iter().map(Edit::Insert).collect());
    Ok((Some(edit), summary))
}
