//! What comes back from the outside, applied to the window's state: the file dialog's
//! answers and the worker's results ([`Done`]): an opened story, a finished save, an
//! outside change to the open story, its sidecar or the folder, an import's text.
//!
//! Like the command handlers in [`crate::app::dispatch`], these are plain functions on
//! state, testable without egui; they must not read or write files themselves.

use std::path::{Path, PathBuf};

use crate::app::dispatch::FactmarkApp;
use crate::app::exports;
use crate::app::io::{Done, Pending};
use crate::app::session::StorySession;
use crate::document::Document;
use crate::ui::fmt::plural;
use crate::ui::workspace_view::WorkspaceState;
use crate::workspace::Change;

/// Stories whose place is remembered (a few hundred bytes each); past this the memory
/// starts over rather than growing without end in a long session.
const MAX_PLACES: usize = 1000;

impl FactmarkApp {
    // ---- file dialogs' answers and the worker's results ----

    pub(super) fn picked(&mut self, purpose: Pending, path: PathBuf) {
        match purpose {
            Pending::OpenStory | Pending::OpenFolder => self.open(&path),
            Pending::AddLibrary => self.library_picked(&path),
            Pending::ExportClaims(format) => {
                let Some(ws) = &mut self.workspace else {
                    return;
                };
                match exports::claims_export(&mut ws.state, format, path) {
                    Ok(task) => {
                        self.io.task(task);
                    }
                    Err(e) => self.error(format!("Export failed, nothing was written: {e}")),
                }
            }
            Pending::Import => {
                self.io.task(move || {
                    let result = std::fs::read_to_string(&path)
                        .map_err(|e| format!("could not read {}: {e}", path.display()));
                    Done::ImportRead { file: path, result }
                });
            }
            Pending::SaveCopy => {
                let Some(doc) = self.doc() else { return };
                match exports::save_copy(doc, path) {
                    Ok(task) => {
                        self.io.task(task);
                    }
                    Err(e) => self.error(format!("The copy was not saved either: {e}")),
                }
            }
            Pending::Export(choice) => {
                if self.session.as_ref().is_some_and(|s| s.save_failed) {
                    self.error("Export refused: the story's edits are not saved yet (exports read the saved sidecar).");
                    return;
                }
                // Exports read what is on disk: save first (the worker runs jobs in order).
                self.start_save();
                self.pending_export = Some((*choice, path));
                self.run_pending_export();
            }
        }
    }

    pub(super) fn run_pending_export(&mut self) {
        if self.session.as_ref().is_some_and(|s| s.saving) {
            return;
        }
        if let Some((choice, path)) = self.pending_export.take()
            && let Some(doc) = self.doc()
        {
            let task = exports::story_export(doc, choice, path);
            self.io.task(task);
        }
    }

    /// Applies one result from the worker.
    pub fn on_done(&mut self, done: Done) {
        match done {
            Done::Opened {
                path,
                serial,
                result,
                stamps,
            } => self.opened(path, serial, result, stamps),
            Done::Saved { serial, done } => {
                let Some(s) = self.session.as_mut().filter(|s| s.serial == serial) else {
                    return;
                };
                s.saving = false;
                match s.doc.finish_save(done) {
                    Ok(outcome) => {
                        s.save_failed = false;
                        if !s.doc.is_dirty() {
                            s.last_edit = None;
                        }
                        let msg = match outcome.merged {
                            Some(report) if report.changed_anything() => {
                                format!("Saved, merged with changes on disk: {}.", report.summary())
                            }
                            _ => format!("Saved {}.", s.doc.sidecar_path().display()),
                        };
                        self.info(msg);
                        if let Some(path) = self.pending_open.take() {
                            self.open_story(path);
                        }
                        self.run_pending_export();
                    }
                    Err(e) => {
                        s.save_failed = true;
                        self.pending_open = None;
                        self.pending_export = None;
                        self.error(format!(
                            "Not saved: {e}. Your edits are kept in this window; fix the problem and press Ctrl+S."
                        ));
                    }
                }
            }
            Done::StoryChanged { serial, exists } => {
                if let Some(s) = self.session.as_mut().filter(|s| s.serial == serial) {
                    s.story_changed = Some(exists);
                }
            }
            Done::SidecarChanged { serial, loaded } => self.sidecar_changed(serial, loaded),
            Done::Folder {
                changes,
                entries,
                settings,
            } => self.folder_changed(changes, entries, settings),
            Done::FolderWatchFailed(e) => self.error(format!(
                "Changes made by other apps will not be noticed: {e}."
            )),
            Done::Checked => {}
            Done::SettingsSaved { settings, result } => match result {
                Ok(path) => {
                    if let Some(ws) = &mut self.workspace {
                        ws.settings_saved(&settings);
                    }
                    self.apply_folder_settings();
                    self.info(format!("Saved {}.", path.display()));
                }
                Err(e) => self.error(format!("The folder settings were not saved: {e}")),
            },
            Done::ImportRead { file, result } => self.import_text(&file, result),
            Done::Message { error, text } => {
                if error {
                    self.error(text)
                } else {
                    self.info(text)
                }
            }
        }
    }

    /// Adds the annotations of a W3C Web Annotation file (read by the worker) to the open
    /// story, as one undoable step.
    pub(super) fn import_text(&mut self, file: &Path, text: Result<String, String>) {
        let Some(doc) = self.doc() else { return };
        let planned = text.and_then(|json| exports::plan_import(doc, file, &json));
        match planned {
            Err(e) => self.error(format!("Import failed: {e}")),
            Ok((None, summary)) => self.info(format!("Nothing imported: {summary}.")),
            Ok((Some(edit), summary)) => {
                let msg = format!("Imported from {}: {summary}.", file.display());
                self.edit(|doc| {
                    doc.apply("Import annotations", edit, false)
                        .map(|()| Some(msg))
                });
                self.with_session(|s| s.list.reveal_selected = true);
            }
        }
    }

    /// Imports a W3C Web Annotation file now (tests; the window picks one with Ctrl+I).
    pub fn import(&mut self, file: &Path) {
        let path = file.to_owned();
        self.io.task(move || {
            let result = std::fs::read_to_string(&path)
                .map_err(|e| format!("could not read {}: {e}", path.display()));
            Done::ImportRead { file: path, result }
        });
        self.settle();
    }

    /// Writes a copy of the annotations to `path` now (tests; the window asks where).
    pub fn save_copy_to(&mut self, path: &Path) {
        self.picked(Pending::SaveCopy, path.to_owned());
        self.settle();
    }

    pub(super) fn opened(
        &mut self,
        path: PathBuf,
        serial: u64,
        result: Result<Box<Document>, String>,
        stamps: crate::document::DiskStamps,
    ) {
        if serial != self.serial {
            return; // an older open, overtaken by a newer one
        }
        let doc = match result {
            Ok(doc) => *doc,
            Err(e) => {
                self.pending_select = None;
                self.error(format!("Could not open the story: {e}"));
                return;
            }
        };
        if self.session.as_ref().is_some_and(|s| s.needs_save()) {
            // Edited while the new story was being read: save those edits, then open again.
            self.open_story(path);
            return;
        }
        let mut msg = format!(
            "Opened {} ({}{}, {}, {}).",
            doc.title(),
            doc.story.encoding,
            if doc.story.encoding_guessed {
                ", encoding guessed"
            } else {
                ""
            },
            plural(doc.story.text.len_chars(), "char"),
            plural(doc.annotations().len(), "annotation")
        );
        for note in &doc.notes {
            msg.push(' ');
            msg.push_str(note);
        }
        self.settings.remember(&path);
        self.io.watch(serial, &doc, stamps);
        if let Some(old) = &self.session {
            if self.places.len() >= MAX_PLACES {
                self.places.clear();
            }
            self.places.insert(old.doc.path().to_owned(), old.place());
        }
        let place = self.places.remove(doc.path());
        self.session = Some(StorySession::new(doc, serial));
        if let (Some(s), Some(place)) = (&mut self.session, place) {
            s.restore(place);
        }
        self.apply_folder_settings();
        if let Some(id) = self.pending_select.take() {
            self.with_session(|s| s.select(id));
        }
        self.info(msg);
    }

    pub(super) fn sidecar_changed(
        &mut self,
        serial: u64,
        loaded: Result<Option<(crate::store::Loaded, String)>, String>,
    ) {
        let Some(s) = self.session.as_mut().filter(|s| s.serial == serial) else {
            return;
        };
        match loaded {
            Ok(Some((loaded, text))) => match s.doc.merge_loaded(loaded, text) {
                Ok(Some(report)) if report.changed_anything() => {
                    s.edited();
                    let msg = format!("The sidecar changed on disk: {}.", report.summary());
                    if report.is_clean() {
                        self.info(msg);
                    } else {
                        self.error(msg);
                    }
                }
                Ok(_) => {}
                Err(e) => self.error(format!(
                    "The sidecar changed on disk but could not be merged ({e}); your edits are kept."
                )),
            },
            // Deleted: the next save writes it again.
            Ok(None) => {}
            Err(e) => self.error(format!(
                "The sidecar changed on disk but could not be read ({e}); your edits are kept and it will not be overwritten."
            )),
        }
    }

    pub(super) fn folder_changed(
        &mut self,
        changes: Vec<Change>,
        entries: Vec<crate::workspace::StoryEntry>,
        settings: Option<Result<crate::settings::FolderSettings, crate::settings::SettingsError>>,
    ) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let settings_changed = settings.is_some();
        ws.reloaded(entries, settings);
        if changes.contains(&Change::Rescan) {
            let query = ws.state.query.clone();
            ws.state = WorkspaceState::scan(&ws.state.root.clone());
            ws.state.query = query;
        }
        if settings_changed {
            self.apply_folder_settings();
        }
        self.info(format!(
            "{} changed on disk and reloaded.",
            plural(changes.len(), "file")
        ));
    }
}
