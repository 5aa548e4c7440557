//! The window's state and the one place where user actions change it: every [`Command`]
//! is applied here, as is every result the worker sends back ([`Done`]).
//!
//! Handlers are plain functions on state, so they are unit-tested without egui. What needs
//! the window itself (closing it, opening a link, moving keyboard focus) is returned as an
//! [`Effect`] for the frame loop to carry out. Disk work is handed to [`Io`]; nothing here
//! reads or writes a file on the UI thread.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::app::command::{Command, ExportChoice, View};
use crate::app::io::{FilePicker, Io, Pending, PickRequest, Picked};
use crate::app::prefs::Settings;
use crate::app::session::StorySession;
use crate::app::workspace_session::WorkspaceSession;
use crate::document::Document;
use crate::model::{AnnotationId, Label};
use crate::ui::exchange::ExportDialog;
use crate::ui::fmt::plural;
use crate::ui::path_dialog::PathDialog;
use crate::ui::prefs_window::{NamePrompt, PrefsWindow};
use crate::ui::workspace_view::WorkspaceState;
use crate::workspace::RowId;

/// Saved edits are written this long after the last change (and on close), unless the
/// preferences say otherwise ([`Settings::autosave_delay`]).
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(crate::app::prefs::DEFAULT_AUTOSAVE_MS);

/// Something only the window can do, asked for by a handler.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Close,
    OpenUrl(String),
    /// Esc in a text box: leave it.
    SurrenderFocus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

/// The application state.
pub struct FactmarkApp {
    pub settings: Settings,
    /// The open story.
    pub session: Option<StorySession>,
    /// The open folder.
    pub workspace: Option<WorkspaceSession>,
    /// The view shown: the story, or one of the workspace's.
    pub view: View,
    pub io: Io,
    pub export: ExportDialog,
    pub show_shortcuts: bool,
    /// The Preferences window (Ctrl+,).
    pub prefs: PrefsWindow,
    /// The first-run prompt for the author's name, while it is shown.
    pub name_prompt: Option<NamePrompt>,
    /// factmark's own file dialog, while it is shown (no system dialog could open).
    pub path_dialog: Option<PathDialog>,
    /// Scrolling keys pressed while the shortcut sheet is open: they scroll the sheet.
    pub(super) sheet_scrolls: Vec<crate::app::command::Scroll>,
    /// Whether a text box had the keyboard when this frame's keys were read.
    pub typing: bool,
    /// Whether a text box had the keyboard at the end of the last frame.
    pub(super) was_typing: bool,
    /// Input that came after an Esc in a text box, held for the next frame.
    pub(super) held_input: Vec<eframe::egui::Event>,
    pub(super) queue: Vec<Command>,
    pub(super) effects: Vec<Effect>,
    pub(super) status: (String, Tone),
    /// The serial of the last open asked for (results of older ones are dropped).
    pub(super) serial: u64,
    /// A story to open once the current one is saved.
    pub(super) pending_open: Option<PathBuf>,
    /// A claim to select once its story is open.
    pub(super) pending_select: Option<AnnotationId>,
    /// An export to run once the save before it finished.
    pub(super) pending_export: Option<(ExportChoice, PathBuf)>,
    /// The window title last set, and the (dark, zoom) look last applied.
    pub(super) title: String,
    pub(super) applied_look: Option<(bool, f32)>,
    /// Whether the system font fallback is installed in the window's context.
    pub(super) fonts_installed: bool,
    /// Where each story opened in this window was left (scroll position, selections), by
    /// story path, so switching back finds it. Not kept between runs.
    pub(super) places: std::collections::HashMap<PathBuf, crate::app::session::StoryPlace>,
    /// SIGTERM / SIGHUP / SIGINT: save, then close (installed by `run`, not in tests).
    pub exit_signals: Option<super::signals::ExitSignals>,
    /// `FACTMARK_TEST_ANNOTATE`: a quote the signal test has highlighted once a story is open.
    pub(super) test_annotate: Option<String>,
    /// Claim memory (SPEC 12): the index thread, the search window's state.
    pub memory: crate::app::memory::MemoryWorker,
    /// A search hit's place to select once its story is open.
    pub(super) pending_span: Option<(PathBuf, crate::anchor::Span)>,
    /// Same-claim groups rated from the claims table, newest last (Ctrl+Z there undoes).
    pub(super) group_undo: Vec<crate::app::memory::GroupRating>,
}

impl FactmarkApp {
    /// The window's state. With no author's name in `settings` (a first run) it asks for
    /// one, prefilled from [`crate::identity::suggested_name`].
    pub fn new(settings: Settings, picker: Box<dyn FilePicker>) -> Self {
        let name_prompt = settings
            .needs_name()
            .then(|| NamePrompt::new(crate::identity::suggested_name()));
        Self {
            settings,
            session: None,
            workspace: None,
            view: View::Story,
            io: Io::new(picker),
            export: ExportDialog::default(),
            show_shortcuts: false,
            prefs: PrefsWindow::default(),
            name_prompt,
            path_dialog: None,
            sheet_scrolls: Vec::new(),
            typing: false,
            was_typing: false,
            held_input: Vec::new(),
            queue: Vec::new(),
            effects: Vec::new(),
            status: (
                "Open a story with Ctrl+O, or drop a file on the window.".into(),
                Tone::Info,
            ),
            serial: 0,
            pending_open: None,
            pending_select: None,
            pending_export: None,
            title: String::new(),
            applied_look: None,
            fonts_installed: false,
            places: Default::default(),
            exit_signals: None,
            test_annotate: None,
            memory: crate::app::memory::MemoryWorker::new(),
            pending_span: None,
            group_undo: Vec::new(),
        }
    }

    // ---- reading the state ----

    /// The open story, if any.
    pub fn doc(&self) -> Option<&Document> {
        self.session.as_ref().map(|s| &s.doc)
    }

    /// The annotation shown in the inspector.
    pub fn selected(&self) -> Option<&AnnotationId> {
        self.session.as_ref()?.selected.as_ref()
    }

    /// The status bar's message.
    pub fn status(&self) -> &str {
        &self.status.0
    }

    pub fn status_is_error(&self) -> bool {
        self.status.1 == Tone::Error
    }

    /// The workspace, once loaded.
    pub fn loaded_workspace(&self) -> Option<&crate::workspace::Workspace> {
        self.workspace.as_ref()?.loaded()
    }

    /// True while a folder is being scanned.
    pub fn scanning(&self) -> bool {
        self.workspace
            .as_ref()
            .is_some_and(|w| w.state.scan.is_some())
    }

    /// The view actually shown (the story when no folder is open).
    pub fn current_view(&self) -> View {
        if self.workspace.is_some() {
            self.view
        } else {
            View::Story
        }
    }

    /// The labels in force for the open story.
    pub fn labels(&self) -> Vec<Label> {
        self.doc()
            .map(|d| d.labels())
            .unwrap_or_else(crate::model::default_labels)
    }

    // ---- changing it ----

    /// Queues a command, as a menu item or key would.
    pub fn enqueue(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Applies the queued commands.
    pub fn drain(&mut self) {
        while !self.queue.is_empty() {
            for c in std::mem::take(&mut self.queue) {
                self.run(c);
            }
        }
    }

    /// Sets the reader's text selection, as a drag over the text would.
    pub fn set_reader_selection(&mut self, span: Option<crate::anchor::Span>) {
        if let Some(s) = &mut self.session {
            s.reader.set_selection(span);
        }
    }

    pub(super) fn info(&mut self, msg: impl Into<String>) {
        self.status = (msg.into(), Tone::Info);
    }

    pub(super) fn error(&mut self, msg: impl Into<String>) {
        self.status = (msg.into(), Tone::Error);
    }

    /// Opens a story (or, for a folder, a workspace) on the worker, saving the current
    /// story first. The result arrives with a later frame (or [`FactmarkApp::settle`]).
    pub fn open(&mut self, path: &Path) {
        if path.is_dir() {
            self.open_folder(path);
        } else {
            self.open_story(path.to_owned());
        }
    }

    pub(super) fn open_story(&mut self, path: PathBuf) {
        if self.session.as_ref().is_some_and(|s| s.needs_save()) {
            // Save first; the open continues when the save is done.
            self.pending_open = Some(path);
            self.start_save();
            return;
        }
        self.pending_open = None;
        self.serial += 1;
        if !self.io.open(&path, self.serial) {
            self.error("Could not open the story: the background worker stopped.");
        }
    }

    /// Opens a folder as a workspace: scans it off the UI thread (the window shows the
    /// progress and can cancel), then shows the claims table.
    pub fn open_folder(&mut self, path: &Path) {
        if self.session.as_ref().is_some_and(|s| s.needs_save()) {
            self.start_save();
        }
        let root = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.remember(&root);
        self.io.unwatch_folder();
        self.workspace = Some(WorkspaceSession::new(WorkspaceState::scan(&root)));
        self.view = View::Claims;
        self.info(format!("Scanning {}...", root.display()));
    }

    /// Starts saving the open story on the worker, if it has unsaved edits.
    pub(super) fn start_save(&mut self) {
        let Some(s) = &mut self.session else { return };
        if !s.needs_save() || s.saving {
            return;
        }
        match s.doc.begin_save() {
            Ok(job) => {
                s.saving = true;
                let serial = s.serial;
                if !self.io.save(serial, job) {
                    if let Some(s) = &mut self.session {
                        s.saving = false;
                        s.save_failed = true;
                    }
                    self.error("Not saved: the background worker stopped.");
                }
            }
            Err(e) => self.error(format!("Not saved: {e}")),
        }
    }

    /// Saves pending edits and waits for the result (closing the window, tests). Returns
    /// false when the edits could not be saved (they stay in memory; the status says why).
    pub fn save_now(&mut self) -> bool {
        self.start_save();
        // Not `settle`: closing must not wait for claim memory (a first build of a large
        // folder takes seconds; an interrupted one is finished by the next run).
        self.settle_with(false);
        self.session
            .as_ref()
            .is_none_or(|s| !s.save_failed && !s.needs_save())
    }

    /// Waits until the worker (and claim memory's thread) finished everything asked of
    /// them, and applies the results.
    pub fn settle(&mut self) {
        self.settle_with(true);
    }

    fn settle_with(&mut self, memory: bool) {
        if let Some(s) = &mut self.session {
            s.suggestions.wait(&s.doc);
        }
        loop {
            let done = self.io.wait();
            let memory_busy = memory && self.memory.busy();
            if done.is_empty() && !memory_busy {
                break;
            }
            for d in done {
                self.memory_notice(&d);
                self.on_done(d);
            }
            self.drain();
            if memory {
                self.memory.wait();
                self.sync_memory();
            }
        }
    }

    /// Asks the worker to look at the open story's files now (instead of at its next check).
    pub fn check_disk_now(&mut self) {
        self.io.check_now();
    }

    /// Takes in what the worker, the file dialog and the folder scan finished. Returns true
    /// when a scan is still running (its progress bar wants redrawing).
    pub fn poll(&mut self) -> bool {
        for d in self.io.finished() {
            self.memory_notice(&d);
            self.on_done(d);
        }
        self.memory.poll();
        match self.io.picked() {
            Some(Picked::Path(purpose, path)) => self.picked(purpose, path),
            Some(Picked::Unavailable {
                purpose,
                request,
                reason,
            }) => self.open_path_dialog(purpose, request, reason),
            None => {}
        }
        let scanning = self.poll_scan();
        self.follow_review();
        scanning
    }

    /// Autosave: saves when the last edit is old enough. Returns how long until it is due.
    pub fn autosave_due(&mut self) -> Option<Duration> {
        let s = self.session.as_mut()?;
        if !s.needs_save() || s.save_failed || s.saving {
            return None;
        }
        let delay = self.settings.autosave_delay();
        let Some(t) = s.last_edit else {
            s.edited();
            return Some(delay);
        };
        let left = delay.saturating_sub(t.elapsed());
        if left.is_zero() {
            self.start_save();
            None
        } else {
            Some(left)
        }
    }

    pub(super) fn poll_scan(&mut self) -> bool {
        let Some(ws) = &mut self.workspace else {
            return false;
        };
        let Some(scan) = &mut ws.state.scan else {
            return false;
        };
        match scan.try_finish() {
            None => true,
            Some(Ok(workspace)) => {
                let msg = format!(
                    "Opened {}: {}, {}.",
                    ws.state.root.display(),
                    crate::ui::workspace_view::stories(workspace.stories.len()),
                    plural(workspace.totals().claims, "claim")
                );
                ws.scanned(workspace);
                let root = ws.state.root.clone();
                self.io.watch_folder(&root);
                self.apply_folder_settings();
                self.info(msg);
                false
            }
            Some(Err(e)) => {
                let msg = format!("The folder was not opened: {e}.");
                self.workspace = None;
                self.view = View::Story;
                self.error(msg);
                false
            }
        }
    }

    /// Gives the open story the folder's settings (labels, scale, organisation) when it
    /// belongs to the folder, so its `StoryContext` matches the CLI's.
    pub(super) fn apply_folder_settings(&mut self) {
        let (Some(s), Some(w)) = (&mut self.session, self.workspace.as_ref()) else {
            return;
        };
        if let Some(ws) = w.loaded()
            && ws.story_index(s.doc.path()).is_some()
        {
            s.doc.set_folder(ws.settings.clone());
        }
    }

    /// Copies the open story's annotations into the workspace's table (once per change).
    pub fn sync_workspace(&mut self) {
        if let (Some(s), Some(ws)) = (&self.session, &mut self.workspace) {
            ws.sync_story(s.serial, &s.doc);
        }
    }

    /// In the review queue the reader and inspector follow the queue's current claim.
    pub(super) fn follow_review(&mut self) {
        if self.current_view() != View::Review {
            return;
        }
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let query = ws.state.query.clone();
        let rows = ws.state.rows().to_vec();
        if let Some(w) = &ws.state.workspace {
            ws.review.sync(&query, &rows, w);
        }
        if let Some((story, id)) = ws.review.current().cloned()
            && ws.review_followed.as_ref() != Some(&(story, id.clone()))
        {
            self.follow_claim(story, id);
        }
    }

    /// Opens claim `id` of workspace story `story` in the story view's state (reader,
    /// inspector): the story is opened when it is not the open one.
    pub(super) fn follow_claim(&mut self, story: usize, id: AnnotationId) {
        let Some(path) = self
            .loaded_workspace()
            .and_then(|w| w.stories.get(story))
            .map(|s| s.path.clone())
        else {
            return;
        };
        if let Some(ws) = &mut self.workspace {
            ws.review_followed = Some((story, id.clone()));
        }
        match &mut self.session {
            Some(s) if s.doc.path() == path => s.select(id),
            _ => {
                self.pending_select = Some(id);
                self.open_story(path);
            }
        }
    }

    /// Applies one command.
    pub fn run(&mut self, command: Command) {
        let Some(command) = self.run_dialog_command(command) else {
            return;
        };
        match command {
            Command::Open => {
                let start_dir = self.story_dir();
                self.io
                    .pick(PickRequest::Story { start_dir }, Pending::OpenStory);
            }
            Command::OpenPath(path) => self.open(&path),
            Command::OtherStory(step) => self.other_story(step),
            Command::Export => {
                if self.session.is_some() {
                    self.export.open = true;
                }
            }
            Command::ExportWith(choice) => {
                let Some(s) = &self.session else { return };
                let stem = s.doc.title();
                let file_name = format!(
                    "{}.{}",
                    if choice.whole_folder {
                        "annotations"
                    } else {
                        &stem
                    },
                    choice.format.extension()
                );
                let start_dir = self.story_dir();
                self.io.pick(
                    PickRequest::SaveExport {
                        start_dir,
                        file_name,
                    },
                    Pending::Export(choice),
                );
            }
            Command::Import => {
                if self.doc().is_some_and(|d| d.read_only().is_none()) {
                    let start_dir = self.story_dir();
                    self.io
                        .pick(PickRequest::Annotations { start_dir }, Pending::Import);
                }
            }
            Command::SaveCopyAs => {
                if let Some(doc) = self.doc() {
                    let file_name = doc
                        .sidecar_path()
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "annotations.ron".to_owned());
                    self.io.pick(
                        PickRequest::SaveExport {
                            start_dir: None,
                            file_name,
                        },
                        Pending::SaveCopy,
                    );
                }
            }
            Command::Save => self.save_command(),
            Command::Reload => {
                if let Some(path) = self.doc().map(|d| d.story_path()) {
                    self.open_story(path);
                }
            }
            Command::Quit => self.effects.push(Effect::Close),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::Find => {
                if let Some(s) = &mut self.session {
                    s.find.open = true;
                    s.find.focus = true;
                }
            }
            // While the shortcut sheet is open the scrolling keys scroll it.
            Command::Scroll(step) if self.show_shortcuts => self.sheet_scrolls.push(step),
            Command::Scroll(step) => self.with_session(|s| s.scrolls.push(step)),
            Command::CloseFind => self.with_session(|s| s.close_find()),
            Command::FindNext => self.with_session(|s| s.step_match(1)),
            Command::FindPrevious => self.with_session(|s| s.step_match(-1)),
            Command::ApplyLabel(n) => self.apply_label(n),
            Command::SetVerdict(n) => self.set_verdict(n),
            Command::SetStatus(status) => self.set_status(status),
            Command::DeleteAnnotation => self.delete_selected(),
            Command::NextAnnotation => self.with_session(|s| s.step_annotation(1)),
            Command::PreviousAnnotation => self.with_session(|s| s.step_annotation(-1)),
            Command::ConfirmAnchor => self.confirm_selected(false),
            Command::ConfirmWording { keep_verdict } => self.confirm_selected(keep_verdict),
            Command::ReattachToSelection => self.reattach_selected(),
            Command::FocusFilter => self.with_session(|s| s.list.focus_filter = true),
            Command::AddWebSource => {
                let selected = self.session.as_ref().is_some_and(|s| s.selected.is_some());
                if selected {
                    self.with_session(|s| s.inspector.focus_new_source());
                } else {
                    self.info("Select an annotation first (J/K or click), then Ctrl+K adds a source to it.");
                }
            }
            Command::ClearSelection => self.clear_selection(),
            Command::ToggleTheme => self.settings.dark = !self.settings.dark,
            Command::ZoomIn => self.zoom(1.1),
            Command::ZoomOut => self.zoom(1.0 / 1.1),
            Command::ZoomReset => {
                self.settings.zoom = 1.0;
                self.settings.font_size = Settings::default().font_size;
                // Replaces the "Reader text size N pt." left by zooming.
                self.info(format!(
                    "Reader text size back to {:.0} pt (the default).",
                    self.settings.font_size
                ));
            }
            Command::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            Command::OpenFolder => {
                let start_dir = self
                    .workspace
                    .as_ref()
                    .map(|w| w.state.root.clone())
                    .or_else(|| self.story_dir());
                self.io
                    .pick(PickRequest::Folder { start_dir }, Pending::OpenFolder);
            }
            Command::ShowView(v) => {
                if v == View::Story || self.workspace.is_some() {
                    self.view = v;
                    if let Some(ws) = &mut self.workspace {
                        ws.review_followed = None;
                    }
                }
            }
            Command::CancelScan => {
                if let Some(scan) = self.workspace.as_ref().and_then(|w| w.state.scan.as_ref()) {
                    scan.cancel();
                }
            }
            Command::ExportClaims => {
                if let Some(ws) = &self.workspace
                    && ws.state.workspace.is_some()
                {
                    let format = ws.state.export_format;
                    let request = PickRequest::SaveExport {
                        start_dir: Some(ws.state.root.clone()),
                        file_name: format!("claims.{}", format.extension()),
                    };
                    self.io.pick(request, Pending::ExportClaims(format));
                }
            }
            Command::ReviewNext => self.with_review(|r| {
                r.step(1);
            }),
            Command::ReviewPrevious => self.with_review(|r| {
                r.step(-1);
            }),
            Command::ReviewComment => {
                if self.current_view() == View::Review {
                    self.with_review(|r| r.focus_comment = true);
                }
            }
            Command::OpenInReader => {
                let current = self.workspace.as_ref().and_then(|w| w.review.current());
                if let Some((story, id)) = current.cloned() {
                    self.view = View::Story;
                    self.follow_claim(story, id);
                }
            }
            Command::AddComment(text) => self.add_comment(text),
            Command::Select(id) => self.with_session(|s| s.select(id)),
            Command::SelectHere(id) => self.with_session(|s| {
                s.select(id);
                s.scroll_to = None;
            }),
            Command::UpdateAnnotation {
                label,
                annotation,
                coalesce,
            } => {
                // A source the inspector refused earlier left an error in the status bar;
                // a valid one added now is its answer.
                let msg = (label == "Add source").then(|| "Added the source.".to_owned());
                self.edit(|doc| doc.update(&label, *annotation, coalesce).map(|()| msg))
            }
            Command::SealHistory => self.with_session(|s| s.doc.seal_history()),
            Command::OpenUrl(url) => {
                // Only web links are ever opened (validated again here: a hand-edited
                // sidecar could hold anything).
                match crate::model::validate_source_url(&url) {
                    Ok(url) => self.effects.push(Effect::OpenUrl(url)),
                    Err(e) => self.error(e),
                }
            }
            Command::ShowError(m) => self.error(m),
            Command::OpenClaim(row) => self.open_claim(row),
            Command::FilterClaims(filter) => {
                if let Some(ws) = &mut self.workspace {
                    ws.filter_from_stats(filter);
                    self.view = View::Claims;
                }
            }
            Command::ShowStoryDetails => self.with_session(|s| s.story_meta.show(&s.doc)),
            Command::SetStoryMeta(meta) => self.edit(|doc| {
                doc.set_meta(*meta)
                    .map(|()| Some("Story details updated (Ctrl+Z undoes).".to_owned()))
            }),
            Command::FilterWordingChanged(on) => {
                if let Some(ws) = &mut self.workspace {
                    ws.state.query.wording_changed = on;
                }
            }
            Command::SaveFolderSettings(settings) => self.save_folder_settings(*settings),
            Command::ShowAttention => self.with_session(|s| s.list.attention_only = true),
            Command::DismissBanner => self.with_session(|s| s.dismissed_banner = true),
            Command::ToggleSuggestions => self.toggle_suggestions(),
            Command::NextSuggestion => self.step_suggestion(1),
            Command::PreviousSuggestion => self.step_suggestion(-1),
            Command::AcceptSuggestion => {
                if !self.accept_suggestion(None) {
                    self.info("Walk to a suggestion first (Alt+J), then press C to accept it.");
                }
            }
            Command::DismissSuggestion => self.dismiss_suggestion(),
            Command::SearchWorkspace => self.search_workspace(),
            Command::OpenSearchHit(n) => self.open_search_hit(n),
            Command::UseVerdictFrom(n) => self.use_verdict_from(n),
            Command::LinkSameClaim(n) => self.link_same_claim(n),
            Command::ShowLibraries => {
                if !self.prefs.open {
                    self.prefs.open(&self.settings);
                }
            }
            Command::AddLibrary => self.add_library(),
            Command::RemoveLibrary(n) => self.remove_library(n),
            Command::RateGroup { group, verdict } => self.rate_group(group, verdict),
            // Applied by `run_dialog_command` above.
            Command::ShowPreferences
            | Command::ClosePreferences
            | Command::SetAuthor(_)
            | Command::AcceptName(_)
            | Command::DeferName
            | Command::SetDarkTheme(_)
            | Command::SetTextSize(_)
            | Command::SetAutosaveDelay(_)
            | Command::ChoosePath(_)
            | Command::ClosePathDialog => {}
        }
    }

    pub(super) fn with_session(&mut self, f: impl FnOnce(&mut StorySession)) {
        if let Some(s) = &mut self.session {
            f(s);
        }
    }

    pub(super) fn with_review(&mut self, f: impl FnOnce(&mut crate::ui::review::ReviewQueue)) {
        if let Some(ws) = &mut self.workspace {
            f(&mut ws.review);
        }
    }

    pub(super) fn story_dir(&self) -> Option<PathBuf> {
        self.doc()
            .and_then(|d| d.path().parent().map(Path::to_owned))
    }

    /// Runs an edit of the open document; on success notes it for autosave and shows the
    /// message it returns.
    pub(super) fn edit(
        &mut self,
        f: impl FnOnce(&mut Document) -> Result<Option<String>, crate::document::DocumentError>,
    ) {
        let Some(s) = &mut self.session else { return };
        match f(&mut s.doc) {
            Ok(msg) => {
                s.edited();
                if let Some(m) = msg {
                    self.info(m);
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn save_command(&mut self) {
        let Some(doc) = self.doc() else { return };
        if let Some(reason) = doc.read_only() {
            let reason = reason.to_owned();
            self.error(format!("Read-only, not saved: {reason}"));
        } else if !doc.is_dirty() {
            self.info("Nothing to save: all changes are saved.");
        } else {
            self.start_save();
        }
    }

    /// Esc: closes the topmost thing open (the path dialog, the name prompt, Preferences, the
    /// shortcut sheet, the export dialog, the story details, the find bar), else leaves the
    /// text box, else drops the text selection, else the selected
    /// annotation. (Menus and drop-downs close themselves: the key is left to them.)
    pub(super) fn clear_selection(&mut self) {
        if self.close_dialog() {
            return;
        }
        if self.show_shortcuts {
            self.show_shortcuts = false;
            return;
        }
        if self.export.open {
            self.export.open = false;
            return;
        }
        if let Some(s) = &mut self.session
            && s.story_meta.open
        {
            s.story_meta.open = false;
            return;
        }
        let typing = self.typing;
        if self.memory.search.open {
            self.memory.search.open = false;
            return;
        }
        let Some(s) = &mut self.session else {
            if typing {
                self.effects.push(Effect::SurrenderFocus);
            }
            return;
        };
        if s.find.open {
            s.close_find();
        } else if typing {
            // Esc in a text box only leaves the box.
            self.effects.push(Effect::SurrenderFocus);
        } else if s.reader.selection().is_some() {
            s.reader.set_selection(None);
        } else {
            s.selected = None;
        }
    }

    pub(super) fn zoom(&mut self, factor: f32) {
        self.settings.zoom_text(factor);
        self.info(format!(
            "Reader text size {:.0} pt.",
            self.settings.font_size
        ));
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
        if undo && self.current_view() == View::Claims && self.undo_group_rating() {
            return;
        }
        let links_before = self.link_snapshot();
        self.undo_redo_here(undo);
        self.mirror_links(links_before);
    }

    fn undo_redo_here(&mut self, undo: bool) {
        let Some(s) = &mut self.session else { return };
        if let Some(reason) = s.doc.read_only() {
            let reason = reason.to_owned();
            self.error(format!("Read-only: {reason}"));
            return;
        }
        let label = if undo { s.doc.undo() } else { s.doc.redo() };
        match label {
            Some(l) => {
                if let Some(id) = &s.selected
                    && s.doc.get(id).is_none()
                {
                    s.selected = None;
                }
                s.edited();
                self.info(format!("{} {l}.", if undo { "Undid" } else { "Redid" }));
            }
            None => self.info(if undo {
                "Nothing to undo."
            } else {
                "Nothing to redo."
            }),
        }
    }

    /// Opens a table row's claim in the reader, scrolled to it and highlighted.
    pub(super) fn open_claim(&mut self, row: RowId) {
        let Some(id) = self
            .loaded_workspace()
            .and_then(|w| w.annotation(row))
            .map(|a| a.id.clone())
        else {
            return;
        };
        if let Some(ws) = &mut self.workspace {
            ws.state.selected_row = Some(row);
        }
        self.view = View::Story;
        self.follow_claim(row.story, id);
    }

    pub(super) fn save_folder_settings(&mut self, settings: crate::settings::FolderSettings) {
        let Some(w) = self.loaded_workspace() else {
            return;
        };
        if w.settings_error.is_some() {
            return;
        }
        let root = w.root.clone();
        self.io.save_settings(&root, settings);
    }
}
