//! An open story: its text, its annotations, their history, and the sidecar they save to.
//!
//! This is what the window edits, with no UI in it, so the whole editing life cycle (open,
//! re-anchor, edit, undo, save, merge with outside changes) is tested without a window.
//!
//! Rules it keeps:
//! - Opening never writes a file. Re-anchoring after the story changed happens in memory;
//!   it is written with the next save the user causes.
//! - A sidecar that cannot be read (parse error, newer version, not a sidecar) makes the
//!   document read-only with the reason; it is never overwritten.
//! - A failed save leaves the edits in memory and the file on disk as it was.
//!
//! This module must not depend on any UI crate.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::anchor::{Anchor, AnchorState, Span};
use crate::context::{self, StoryContext};
use crate::history::{Edit, EditError, History};
use crate::merge::MergeReport;
use crate::model::{Annotation, AnnotationId, AnnotationSet, Label, RatingScale};
use crate::reanchor::{self, ReanchorCounts};
use crate::settings::FolderSettings;
use crate::sources::StoryMeta;
use crate::store::{SaveOutcome, Sidecar, SidecarFile, StoreError};
use crate::text::{Story, TextError, load_story};

#[derive(Debug, Error)]
pub enum DocumentError {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("this story is open read-only: {0}")]
    ReadOnly(String),
    /// The story's public address is not a web page's.
    #[error(transparent)]
    Url(#[from] crate::sources::UrlError),
}

/// One open story and its annotations.
#[derive(Debug)]
pub struct Document {
    pub story: Story,
    /// The sidecar's metadata and the working set of annotations.
    sidecar: Sidecar,
    file: SidecarFile,
    history: History,
    /// Why the document cannot be edited, if it cannot.
    read_only: Option<String>,
    /// History revision at the last successful save (or open).
    saved_revision: u64,
    /// What re-anchoring did when the story had changed since the sidecar was written.
    pub reanchored: Option<ReanchorCounts>,
    /// Non-fatal notes from opening (migrated version, renamed duplicate ids...).
    pub notes: Vec<String>,
    /// The folder settings in force (labels and scale when the sidecar has no override):
    /// the nearest `factmark.ron` found on open, or what the window set from its workspace.
    folder: FolderSettings,
}

impl Document {
    /// Opens a story and its sidecar (if any). Fails only when the story itself cannot be
    /// read; a bad sidecar gives a read-only document with the reason.
    pub fn open(path: &Path) -> Result<Self, DocumentError> {
        let story = load_story(path)?;
        let fresh = || {
            Sidecar::new(
                &story.file_name(),
                story.text.sha256(),
                story.text.len_chars(),
                story.encoding,
            )
        };
        let (file, loaded, read_only) = match SidecarFile::open(path) {
            Ok((file, loaded)) => (file, loaded, None),
            Err(e) => {
                // Keep a handle that can never save over the unreadable file.
                let file = SidecarFile::unreadable(path);
                let reason = match &e {
                    StoreError::Parse { .. } => format!(
                        "{e}. Fix the file in a text editor (or restore its .bak) and reopen the story."
                    ),
                    _ => e.to_string(),
                };
                (file, None, Some(reason))
            }
        };
        let mut notes = Vec::new();
        let mut sidecar = match loaded {
            Some(loaded) => {
                if let Some(v) = loaded.migrated_from {
                    notes.push(format!(
                        "The sidecar was written in format version {v}; it will be saved in version {}.",
                        crate::store::VERSION
                    ));
                }
                for (old, new) in &loaded.renamed_duplicates {
                    notes.push(format!(
                        "The sidecar had two annotations with id {old}; the second now has id {new}."
                    ));
                }
                loaded.sidecar
            }
            None => fresh(),
        };

        // Verify every anchor; re-anchor those that no longer hold.
        let drifted = sidecar.text_sha256 != story.text.sha256();
        let (updated, counts) = reanchor::reanchor_set(&story.text, &sidecar.annotations, drifted);
        let reanchored = updated.map(|set| {
            sidecar.annotations = set;
            counts
        });
        // Dismissed suggestions move with the text too; orphans are dropped.
        if let Some(found) =
            reanchor::reanchor_dismissed(&story.text, &sidecar.dismissed_suggestions)
        {
            sidecar.dismissed_suggestions = found;
        }
        if read_only.is_none() {
            sidecar.text_sha256 = story.text.sha256().to_owned();
            sidecar.text_chars = story.text.len_chars();
            sidecar.encoding = story.encoding.to_owned();
            sidecar.story = story.file_name();
            // SPEC 11: which extractor made the text (a newer one re-anchored above through
            // the hash), and the page's own metadata until a person edits it.
            sidecar.record_source(story.format, &story.meta);
        }
        // The nearest `factmark.ron`, as the command line finds it; a window with a folder
        // open replaces it with the workspace's ([`Document::set_folder`]).
        let folder = match FolderSettings::find_for(path) {
            Ok(found) => found.map(|(_, s)| s).unwrap_or_default(),
            Err(e) => {
                notes.push(format!("folder settings ignored: {e}"));
                FolderSettings::default()
            }
        };
        Ok(Self {
            story,
            sidecar,
            file,
            history: History::new(),
            read_only,
            saved_revision: 0,
            reanchored,
            notes,
            folder,
        })
    }

    pub fn path(&self) -> &Path {
        &self.story.path
    }

    pub fn sidecar_path(&self) -> &Path {
        self.file.path()
    }

    pub fn annotations(&self) -> &AnnotationSet {
        &self.sidecar.annotations
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.sidecar.annotations.get(id)
    }

    /// Everything in force for this story: labels, scale and organisation.
    pub fn context(&self) -> StoryContext {
        StoryContext::of(Some(&self.sidecar), Some(&self.folder))
    }

    /// The labels in force: the sidecar's, else the folder's, else the defaults.
    pub fn labels(&self) -> Vec<Label> {
        context::resolve_labels(self.sidecar.labels.as_deref(), Some(&self.folder)).0
    }

    /// The rating scale in force.
    pub fn rating_scale(&self) -> RatingScale {
        context::resolve_scale(self.sidecar.rating_scale.as_ref(), Some(&self.folder)).0
    }

    /// All of a folder's settings (the window's workspace), replacing those found on open.
    pub fn set_folder(&mut self, folder: FolderSettings) {
        self.folder = folder;
    }

    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// True when there are edits not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.history.revision() != self.saved_revision
    }

    /// Changes whenever the annotations change (for view caches).
    pub fn revision(&self) -> u64 {
        self.history.revision()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Applies an edit as one undoable step.
    pub fn apply(&mut self, label: &str, edit: Edit, coalesce: bool) -> Result<(), DocumentError> {
        if let Some(reason) = &self.read_only {
            return Err(DocumentError::ReadOnly(reason.clone()));
        }
        self.history
            .apply(&mut self.sidecar, label, edit, coalesce)?;
        Ok(())
    }

    /// Replaces an annotation (after the caller changed some fields), stamping `modified`.
    pub fn update(
        &mut self,
        label: &str,
        mut annotation: Annotation,
        coalesce: bool,
    ) -> Result<(), DocumentError> {
        if self.get(&annotation.id) == Some(&annotation) {
            return Ok(());
        }
        annotation.modified = crate::model::now();
        self.apply(label, Edit::Replace(annotation), coalesce)
    }

    /// The story's public details (SPEC 11) as the sidecar holds them: typed in the
    /// window, or read from the page when an HTML story opened.
    pub fn meta(&self) -> StoryMeta {
        self.sidecar.meta.clone().unwrap_or_default()
    }

    /// Sets the story's details as one undoable step. Text is trimmed; the URL is
    /// normalised ([`crate::sources::normalise_web_url`]): a bad one is refused and nothing
    /// changes. All-empty details are stored as none.
    pub fn set_meta(&mut self, meta: StoryMeta) -> Result<(), DocumentError> {
        let url = match meta.url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(crate::sources::normalise_web_url(raw)?),
        };
        let meta = StoryMeta {
            url,
            headline: meta.headline.trim().to_owned(),
            outlet: meta.outlet.trim().to_owned(),
            author: meta.author.trim().to_owned(),
            published: meta.published,
        };
        let meta = (!meta.is_empty()).then_some(meta);
        if meta == self.sidecar.meta {
            return Ok(());
        }
        self.apply("Edit story details", Edit::SetMeta(meta), false)
    }

    /// Ends the current coalesced step (e.g. when a text box loses focus).
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    /// Creates an annotation on `span` (already cleaned) with `label`; returns its id.
    pub fn create(
        &mut self,
        span: Span,
        label: &str,
        author: &str,
    ) -> Result<AnnotationId, DocumentError> {
        let anchor = Anchor::from_span(&self.story.text, span);
        let annotation = Annotation::new(anchor, label, author);
        let id = annotation.id.clone();
        self.apply(&format!("Add {label}"), Edit::Insert(annotation), false)?;
        Ok(id)
    }

    /// Moves an annotation onto new text (re-attaching an orphan, or correcting a
    /// re-anchor), marking it anchored.
    pub fn reattach(&mut self, id: &AnnotationId, span: Span) -> Result<(), DocumentError> {
        let Some(mut a) = self.get(id).cloned() else {
            return Err(EditError::UnknownId(id.clone()).into());
        };
        a.anchor = Anchor::from_span(&self.story.text, span);
        a.state = AnchorState::Anchored;
        self.update("Re-attach highlight", a, false)
    }

    /// Confirms a re-anchored annotation's new place. When its wording changed, this is
    /// [`Document::confirm_wording`] without keeping the verdict and without a name: an
    /// Approved claim goes back to review rather than standing on words nobody checked.
    pub fn confirm(&mut self, id: &AnnotationId) -> Result<(), DocumentError> {
        self.confirm_wording(id, false, "")
    }

    /// Confirms a re-anchored annotation and decides on its changed wording (SPEC 9,
    /// [`crate::history::confirm_wording`]), as one undoable step.
    pub fn confirm_wording(
        &mut self,
        id: &AnnotationId,
        keep_verdict: bool,
        who: &str,
    ) -> Result<(), DocumentError> {
        let Some(a) = self.get(id) else {
            return Err(EditError::UnknownId(id.clone()).into());
        };
        let label = match (a.wording_changed(), a.state.needs_confirming()) {
            (true, _) => "Confirm changed wording",
            (false, true) => "Confirm highlight",
            // Nothing to confirm: no undo step.
            (false, false) => return Ok(()),
        };
        let edit = crate::history::confirm_wording(a, keep_verdict, who, crate::model::now());
        self.apply(label, edit, false)
    }

    pub fn delete(&mut self, id: &AnnotationId) -> Result<(), DocumentError> {
        self.apply("Delete annotation", Edit::Remove(id.clone()), false)
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        if self.read_only.is_some() {
            return None;
        }
        self.history.undo(&mut self.sidecar)
    }

    pub fn redo(&mut self) -> Option<String> {
        if self.read_only.is_some() {
            return None;
        }
        self.history.redo(&mut self.sidecar)
    }

    /// Saves to the sidecar (merging in outside changes). On failure the edits stay in
    /// memory and the file on disk is unchanged.
    pub fn save(&mut self) -> Result<SaveOutcome, DocumentError> {
        if let Some(reason) = &self.read_only {
            return Err(DocumentError::ReadOnly(reason.clone()));
        }
        let before = self.sidecar.annotations.clone();
        let outcome = self.file.save(&mut self.sidecar)?;
        if outcome.merged.is_some() && self.sidecar.annotations != before {
            // The merge changed the set under the history: record it as one undoable step
            // so ids and positions in history stay valid.
            let merged = std::mem::replace(&mut self.sidecar.annotations, before);
            let edit = replace_all(&self.sidecar.annotations, &merged);
            self.history.apply(
                &mut self.sidecar.annotations,
                "Merge changes from disk",
                edit,
                false,
            )?;
        }
        self.saved_revision = self.history.revision();
        Ok(outcome)
    }

    /// True when the sidecar changed on disk since it was loaded or saved.
    pub fn sidecar_changed_on_disk(&self) -> bool {
        self.read_only.is_none() && self.file.changed_on_disk().unwrap_or(false)
    }

    /// Merges the sidecar's outside changes into memory now (without saving), e.g. when a
    /// file watcher noticed them. Returns what came in.
    pub fn merge_from_disk(&mut self) -> Result<Option<MergeReport>, DocumentError> {
        if self.read_only.is_some() {
            return Ok(None);
        }
        let Some((loaded, text)) = crate::store::load(self.file.path())? else {
            return Ok(None);
        };
        self.merge_loaded(loaded, text)
    }

    /// Merges a sidecar read from disk elsewhere (a worker thread) into memory, as
    /// [`Document::merge_from_disk`] does with one it reads itself.
    pub fn merge_loaded(
        &mut self,
        loaded: crate::store::Loaded,
        text: String,
    ) -> Result<Option<MergeReport>, DocumentError> {
        if self.read_only.is_some() {
            return Ok(None);
        }
        let base = self.file.base()?;
        // Dismissals and story details from disk come in directly (not as an undo step):
        // they only hide suggestions or describe the story, and an undo of ours still finds
        // its own entry.
        crate::merge::merge_story_fields(&base, &mut self.sidecar, &loaded.sidecar);
        let (merged, report) = crate::merge::merge3(
            &base.annotations,
            &self.sidecar.annotations,
            &loaded.sidecar.annotations,
        );
        if merged != self.sidecar.annotations {
            let edit = replace_all(&self.sidecar.annotations, &merged);
            self.history.apply(
                &mut self.sidecar.annotations,
                "Merge changes from disk",
                edit,
                false,
            )?;
        }
        self.file.rebase(Some(text));
        Ok(Some(report))
    }

    /// Modification time and size of the story and of the sidecar, to notice outside
    /// changes cheaply (a `stat`, no read).
    pub fn disk_stamps(&self) -> DiskStamps {
        (
            FileStamp::of(&self.story.path),
            FileStamp::of(self.file.path()),
        )
    }

    /// What re-anchoring found when the story opened, brought up to date: highlights
    /// confirmed, re-attached or deleted since no longer count. `None` when the story had
    /// not changed, or once everything that needed a person then has been seen to (the
    /// banner's cause is gone).
    pub fn reanchor_status(&self) -> Option<ReanchorCounts> {
        let opened = self.reanchored?;
        let set = &self.sidecar.annotations;
        let now = ReanchorCounts {
            unconfirmed: set.iter().filter(|a| a.state.needs_confirming()).count(),
            orphaned: set.iter().filter(|a| a.state.is_orphaned()).count(),
            ..opened
        };
        let needed = opened.unconfirmed + opened.orphaned > 0;
        (!needed || now.unconfirmed + now.orphaned > 0).then_some(now)
    }

    /// The story's path as a display name.
    pub fn title(&self) -> String {
        self.story.file_name()
    }

    /// Used by tests and the CLI: the sidecar as it would be saved.
    pub fn sidecar(&self) -> &Sidecar {
        &self.sidecar
    }

    pub fn story_path(&self) -> PathBuf {
        self.story.path.clone()
    }
}

/// A save taken apart so the disk work can run on another thread: [`Document::begin_save`]
/// snapshots what to write, [`SaveJob::run`] does the merge-on-save and the write (anywhere),
/// [`Document::finish_save`] takes the result back. Edits made in between are kept: they
/// are merged with what was written and the document stays dirty.
#[derive(Debug)]
pub struct SaveJob {
    file: SidecarFile,
    sidecar: Sidecar,
    /// The annotations as snapshotted (the merge base for edits made while saving).
    before: AnnotationSet,
    /// The dismissed suggestions as snapshotted, likewise.
    before_dismissed: Vec<crate::sidecar::DismissedSuggestion>,
    /// The story's details as snapshotted, likewise (boxed: a job travels in the worker's
    /// messages, which stay small).
    before_meta: Box<Option<StoryMeta>>,
    revision: u64,
}

/// A finished [`SaveJob`], to hand back to [`Document::finish_save`].
#[derive(Debug)]
pub struct SaveDone {
    job: SaveJob,
    result: Result<SaveOutcome, StoreError>,
}

impl SaveJob {
    /// Where the job writes.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Merges in outside changes and writes the sidecar: the same [`SidecarFile::save`]
    /// a direct save runs.
    pub fn run(mut self) -> SaveDone {
        let result = self.file.save(&mut self.sidecar);
        SaveDone { job: self, result }
    }
}

impl SaveDone {
    pub fn succeeded(&self) -> bool {
        self.result.is_ok()
    }
}

impl Document {
    /// Snapshots the sidecar for a save on another thread.
    pub fn begin_save(&self) -> Result<SaveJob, DocumentError> {
        if let Some(reason) = &self.read_only {
            return Err(DocumentError::ReadOnly(reason.clone()));
        }
        Ok(SaveJob {
            file: self.file.clone(),
            sidecar: self.sidecar.clone(),
            before: self.sidecar.annotations.clone(),
            before_dismissed: self.sidecar.dismissed_suggestions.clone(),
            before_meta: Box::new(self.sidecar.meta.clone()),
            revision: self.history.revision(),
        })
    }

    /// Takes back a finished save. On failure nothing changes (the edits stay, unsaved). On
    /// success what the save merged in from disk comes into memory as one undoable step,
    /// three-way merged with any edit made while the save ran.
    pub fn finish_save(&mut self, done: SaveDone) -> Result<SaveOutcome, DocumentError> {
        let SaveDone { job, result } = done;
        let outcome = result?;
        self.file = job.file;
        let edited_since = self.history.revision() != job.revision;
        if job.sidecar.dismissed_suggestions != job.before_dismissed {
            self.sidecar.dismissed_suggestions = crate::merge::merge_dismissed(
                &job.before_dismissed,
                &self.sidecar.dismissed_suggestions,
                &job.sidecar.dismissed_suggestions,
            );
        }
        if job.sidecar.meta != *job.before_meta {
            // Details changed on disk came in with the save (not as an undo step, as with
            // dismissals); details typed meanwhile win.
            self.sidecar.meta =
                crate::merge::merge_meta(&job.before_meta, &self.sidecar.meta, &job.sidecar.meta);
        }
        let written = job.sidecar.annotations;
        if written != job.before {
            let target = if edited_since {
                crate::merge::merge3(&job.before, &self.sidecar.annotations, &written).0
            } else {
                written
            };
            if target != self.sidecar.annotations {
                let edit = replace_all(&self.sidecar.annotations, &target);
                self.history.apply(
                    &mut self.sidecar.annotations,
                    "Merge changes from disk",
                    edit,
                    false,
                )?;
            }
        }
        // With edits made meanwhile the document stays dirty: what was written is the
        // snapshot's state, not the current one.
        self.saved_revision = if edited_since {
            job.revision
        } else {
            self.history.revision()
        };
        Ok(outcome)
    }
}

/// The stamps of (story, sidecar); `None` for a file that does not exist.
pub type DiskStamps = (Option<FileStamp>, Option<FileStamp>);

/// When a file was last modified, and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub modified: std::time::SystemTime,
    pub len: u64,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: meta.modified().ok()?,
            len: meta.len(),
        })
    }
}

/// The edit that turns `from` into `to`, touching only annotations that differ.
fn replace_all(from: &AnnotationSet, to: &AnnotationSet) -> Edit {
    let mut edits = Vec::new();
    for a in from {
        match to.get(&a.id) {
            None => edits.push(Edit::Remove(a.id.clone())),
            Some(b) if b != a => edits.push(Edit::Replace(b.clone())),
            Some(_) => {}
        }
    }
    for b in to {
        if from.get(&b.id).is_none() {
            edits.push(Edit::Insert(b.clone()));
        }
    }
    Edit::Batch(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const STORY: &str = "The mayor said the bridge cost 48 million euros.\n\nCritics disagreed.\n";

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("story.txt");
        fs::write(&path, STORY).expect("write");
        (dir, path)
    }

    #[test]
    fn open_edit_undo_save_reopen() {
        let (_dir, path) = setup();
        let mut doc = Document::open(&path).expect("open");
        assert!(!doc.is_dirty());
        assert!(!doc.sidecar_path().exists(), "opening writes nothing");
        let id = doc.create(Span::new(4, 9), "Claim", "ana").expect("create");
        let mut a = doc.get(&id).expect("exists").clone();
        a.verdict = Some("False".into());
        doc.update("Set verdict", a, false).expect("update");
        assert!(doc.is_dirty());
        assert_eq!(doc.undo().as_deref(), Some("Set verdict"));
        assert_eq!(doc.redo().as_deref(), Some("Set verdict"));
        doc.save().expect("save");
        assert!(!doc.is_dirty());

        let again = Document::open(&path).expect("reopen");
        let a = again.get(&id).expect("saved");
        assert_eq!(a.anchor.quote, "mayor");
        assert_eq!(a.verdict.as_deref(), Some("False"));
        assert!(again.reanchored.is_none());
    }

    #[test]
    fn story_details_are_normalised_undoable_and_saved() {
        let (_dir, path) = setup();
        let mut doc = Document::open(&path).expect("open");
        let typed = StoryMeta {
            url: Some(" https://News.example.org/bericht/straße 0 ".into()),
            headline: "  Bridge budget ".into(),
            ..StoryMeta::default()
        };
        doc.set_meta(typed).expect("set");
        let meta = doc.meta();
        assert_eq!(
            meta.url.as_deref(),
            Some("https://news.example.org/bericht/stra%C3%9Fe%200")
        );
        assert_eq!(meta.headline, "Bridge budget");
        assert_eq!(doc.undo().as_deref(), Some("Edit story details"));
        assert!(doc.meta().is_empty());
        assert_eq!(doc.redo().as_deref(), Some("Edit story details"));
        doc.save().expect("save");
        let again = Document::open(&path).expect("reopen");
        assert_eq!(again.meta(), meta);

        // A bad address is refused and changes nothing; so is one that is not a web page.
        let before = doc.revision();
        for bad in ["not a url", "file:///home/ana/story.txt", "https://"] {
            let err = doc
                .set_meta(StoryMeta {
                    url: Some(bad.into()),
                    ..StoryMeta::default()
                })
                .expect_err(bad);
            assert!(!err.to_string().is_empty());
        }
        assert_eq!(doc.revision(), before);
        assert_eq!(doc.meta(), meta);
    }

    #[test]
    fn a_save_that_did_not_touch_the_details_keeps_those_saved_meanwhile() {
        let (_dir, path) = setup();
        let mut a = Document::open(&path).expect("open a");
        let mut b = Document::open(&path).expect("open b");
        let meta = StoryMeta {
            url: Some("https://news.example/bridge".into()),
            ..StoryMeta::default()
        };
        a.set_meta(meta.clone()).expect("set");
        a.save().expect("save a");
        b.create(Span::new(4, 9), "Claim", "bo").expect("create");
        b.save().expect("save b");
        assert_eq!(b.meta(), meta, "b took a's details in");
        let again = Document::open(&path).expect("reopen");
        assert_eq!(again.meta(), meta);
        assert_eq!(again.annotations().len(), 1);

        // Details typed in b win over a's older ones.
        let mine = StoryMeta {
            headline: "Bridge".into(),
            ..meta.clone()
        };
        b.set_meta(mine.clone()).expect("set b");
        b.save().expect("save b");
        assert_eq!(Document::open(&path).expect("reopen").meta(), mine);
    }

    #[test]
    fn the_reanchor_status_clears_once_the_orphan_is_reattached() {
        let (_dir, path) = setup();
        let mut doc = Document::open(&path).expect("open");
        doc.create(Span::new(50, 67), "Note", "ana")
            .expect("create");
        assert_eq!(
            doc.annotations().iter().next().expect("a").anchor.quote,
            "Critics disagreed"
        );
        doc.save().expect("save");
        fs::write(
            &path,
            STORY.replace("Critics disagreed.", "Opponents were silent."),
        )
        .expect("edit story");
        let mut doc = Document::open(&path).expect("reopen");
        assert_eq!(doc.reanchor_status().expect("banner").orphaned, 1);
        let id = doc.annotations().iter().next().expect("a").id.clone();
        doc.reattach(&id, Span::new(50, 59)).expect("reattach");
        assert_eq!(doc.reanchor_status(), None);
    }

    #[test]
    fn the_reanchor_status_clears_once_every_highlight_is_confirmed() {
        let (_dir, path) = setup();
        let mut doc = Document::open(&path).expect("open");
        doc.create(Span::new(4, 48), "Claim", "ana")
            .expect("create");
        doc.save().expect("save");
        fs::write(&path, STORY.replace("48 million", "84 million")).expect("edit story");
        let mut doc = Document::open(&path).expect("reopen");
        let status = doc.reanchor_status().expect("the banner shows");
        assert_eq!(status.unconfirmed, 1, "{status:?}");
        let id = doc.annotations().iter().next().expect("a").id.clone();
        doc.confirm_wording(&id, false, "ana").expect("confirm");
        assert_eq!(doc.reanchor_status(), None, "its cause is gone");
        doc.undo();
        assert!(doc.reanchor_status().is_some(), "undo brings it back");
    }

    #[test]
    fn changed_story_is_reanchored_in_memory_only() {
        let (_dir, path) = setup();
        let mut doc = Document::open(&path).expect("open");
        let id = doc
            .create(Span::new(42, 47), "Claim", "ana")
            .expect("create");
        assert_eq!(doc.get(&id).expect("a").anchor.quote, "euros");
        doc.save().expect("save");
        let saved = fs::read(doc.sidecar_path()).expect("read");

        fs::write(&path, format!("UPDATE: {STORY}")).expect("edit story");
        let doc = Document::open(&path).expect("reopen");
        let counts = doc.reanchored.expect("drift noticed");
        assert_eq!(counts.moved, 1);
        assert_eq!(doc.get(&id).expect("a").anchor.start, 50);
        assert_eq!(
            fs::read(doc.sidecar_path()).expect("read"),
            saved,
            "open never writes"
        );
    }

    #[test]
    fn unreadable_sidecar_makes_it_read_only_and_untouched() {
        let (_dir, path) = setup();
        let sidecar = crate::store::sidecar_path(&path);
        fs::write(&sidecar, "(format: \"factmark\", version: 1, story: ").expect("write");
        let mut doc = Document::open(&path).expect("open");
        let reason = doc.read_only().expect("read-only").to_owned();
        assert!(reason.contains("line 1"), "{reason}");
        assert!(doc.create(Span::new(4, 9), "Claim", "ana").is_err());
        assert!(doc.save().is_err());
        assert_eq!(
            fs::read_to_string(&sidecar).expect("read"),
            "(format: \"factmark\", version: 1, story: "
        );
    }

    #[test]
    fn outside_changes_are_merged_and_undoable() {
        let (_dir, path) = setup();
        let mut doc = Document::open(&path).expect("open");
        doc.create(Span::new(4, 9), "Claim", "ana").expect("create");
        doc.save().expect("save");

        // Another editor adds a note to the file.
        let mut other = Document::open(&path).expect("second window");
        let theirs = other
            .create(Span::new(50, 57), "Note", "bo")
            .expect("create");
        other.save().expect("save other");

        assert!(doc.sidecar_changed_on_disk());
        let report = doc.merge_from_disk().expect("merge").expect("some");
        assert_eq!(report.added, 1);
        assert!(doc.get(&theirs).is_some());
        assert_eq!(doc.undo().as_deref(), Some("Merge changes from disk"));
        assert!(doc.get(&theirs).is_none());
    }
}
