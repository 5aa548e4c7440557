//! The window: wiring only.
//!
//! Input (menus, buttons, keys, the reader's selection) becomes [`Command`]s or inspector
//! actions; they are applied to the open [`Document`] (always through its history, so they
//! can be undone); the next frame draws the new state. All data rules live in the core.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use eframe::egui::{self, Color32, RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::command::{self, Command};
use crate::document::{DiskStamps, Document};
use crate::find::{Finder, MAX_MATCHES};
use crate::model::{AnnotationId, Label};
use crate::ui::exchange::{ExportChoice, ExportDialog};
use crate::ui::inspector::{Inspector, InspectorAction, InspectorContext, preview};
use crate::ui::list::{AnnotationList, label_color};
use crate::ui::reader::{Highlight, Reader, ReaderInput};
use crate::ui::review::{ReviewAction, ReviewQueue};
use crate::ui::settings_panel::SettingsPanel;
use crate::ui::stats::{StatsFilter, StatsView};
use crate::ui::workspace_view::{View, WorkspaceAction, WorkspaceState};
use crate::workspace::{Change, RowId};

/// Saved edits are written this long after the last change (and on close).
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);
const MAX_RECENT: usize = 10;
const STORAGE_KEY: &str = "factmark-settings";
/// The example story shipped with factmark, opened when there is nothing else to open.
pub const EXAMPLE_STORY: &str = include_str!("../assets/example-story.txt");

/// What is remembered between runs (window size is remembered by eframe itself).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub recent: Vec<PathBuf>,
    pub dark: bool,
    /// Reader font size in points.
    pub font_size: f32,
    /// Whole-UI zoom.
    pub zoom: f32,
    /// The name written as author of new annotations and comments.
    pub author: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            dark: false,
            font_size: 17.0,
            zoom: 1.0,
            author: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_default(),
        }
    }
}

/// What a file dialog is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickRequest {
    /// Open a story.
    Story { start_dir: Option<PathBuf> },
    /// Open a folder of stories as a workspace.
    Folder { start_dir: Option<PathBuf> },
    /// Choose a W3C Web Annotation file to import.
    Annotations { start_dir: Option<PathBuf> },
    /// Choose where to save an export.
    SaveExport {
        start_dir: Option<PathBuf>,
        file_name: String,
    },
}

/// Asks the user for a file. The native one runs a dialog off the UI thread; tests inject
/// their own.
pub trait FilePicker {
    fn pick(&self, request: PickRequest) -> Receiver<Option<PathBuf>>;
}

/// The system file dialog (rfd), run on its own thread so the window keeps painting.
pub struct NativePicker;

impl FilePicker for NativePicker {
    fn pick(&self, request: PickRequest) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let with_dir = |d: rfd::FileDialog, dir: Option<PathBuf>| match dir {
                Some(dir) => d.set_directory(dir),
                None => d,
            };
            let picked = match request {
                PickRequest::Story { start_dir } => with_dir(
                    rfd::FileDialog::new()
                        .set_title("Open a story")
                        .add_filter("Stories", crate::workspace::STORY_EXTENSIONS)
                        .add_filter("All files", &["*"]),
                    start_dir,
                )
                .pick_file(),
                PickRequest::Folder { start_dir } => with_dir(
                    rfd::FileDialog::new().set_title("Open a folder of stories"),
                    start_dir,
                )
                .pick_folder(),
                PickRequest::Annotations { start_dir } => with_dir(
                    rfd::FileDialog::new()
                        .set_title("Import W3C Web Annotations")
                        .add_filter("JSON-LD / JSON", &["jsonld", "json"])
                        .add_filter("All files", &["*"]),
                    start_dir,
                )
                .pick_file(),
                PickRequest::SaveExport {
                    start_dir,
                    file_name,
                } => with_dir(
                    rfd::FileDialog::new()
                        .set_title("Export annotations")
                        .set_file_name(file_name),
                    start_dir,
                )
                .save_file(),
            };
            let _ = tx.send(picked);
        });
        rx
    }
}

/// What the app does with the file the user picks.
enum Pending {
    OpenStory,
    OpenFolder,
    ExportClaims(crate::export::Format),
    Import,
    Export(Box<ExportChoice>),
    SaveCopy,
}

#[derive(Default)]
struct FindBar {
    open: bool,
    query: String,
    searched: Option<(String, u64)>,
    matches: Vec<crate::anchor::Span>,
    current: Option<usize>,
    focus: bool,
    finder: Finder,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tone {
    Info,
    Error,
}

/// The application state.
pub struct FactmarkApp {
    pub doc: Option<Document>,
    pub reader: Reader,
    /// The annotation shown in the inspector.
    pub selected: Option<AnnotationId>,
    pub settings: Settings,
    inspector: Inspector,
    list: AnnotationList,
    queue: Vec<Command>,
    find: FindBar,
    show_shortcuts: bool,
    picker: Box<dyn FilePicker>,
    pending_pick: Option<(Pending, Receiver<Option<PathBuf>>)>,
    export: ExportDialog,
    status: (String, Tone),
    last_edit: Option<Instant>,
    save_failed: bool,
    highlights: Vec<Highlight>,
    highlights_key: Option<(u64, u64)>,
    scroll_to: Option<usize>,
    /// Bumped on every open, so the reader drops its caches.
    doc_serial: u64,
    title: String,
    dismissed_banner: bool,
    pending_close: bool,
    applied_theme: Option<(bool, f32)>,
    /// Whether a text box had the keyboard when this frame's keys were read.
    typing: bool,
    /// Last seen (story, sidecar) stamps and when they were checked.
    watch: Option<(Instant, DiskStamps)>,
    /// Set when the story file changed on disk while open.
    story_changed: bool,
    /// The open folder, if any (scanning or loaded).
    pub workspace: Option<WorkspaceState>,
    /// The view shown: the story, or one of the workspace's.
    pub view: View,
    pub review: ReviewQueue,
    stats: StatsView,
    settings_panel: SettingsPanel,
    /// (doc serial, revision) last copied into the workspace's table.
    ws_synced: Option<(u64, u64)>,
    /// The queue claim the reader and inspector were last moved to.
    review_followed: Option<(usize, AnnotationId)>,
}

impl FactmarkApp {
    pub fn new(settings: Settings, picker: Box<dyn FilePicker>) -> Self {
        Self {
            doc: None,
            reader: Reader::new(),
            selected: None,
            settings,
            inspector: Inspector::default(),
            list: AnnotationList::default(),
            queue: Vec::new(),
            find: FindBar::default(),
            show_shortcuts: false,
            picker,
            pending_pick: None,
            export: ExportDialog::default(),
            status: (
                "Open a story with Ctrl+O, or drop a file on the window.".into(),
                Tone::Info,
            ),
            last_edit: None,
            save_failed: false,
            highlights: Vec::new(),
            highlights_key: None,
            scroll_to: None,
            doc_serial: 0,
            title: String::new(),
            dismissed_banner: false,
            pending_close: false,
            applied_theme: None,
            typing: false,
            watch: None,
            story_changed: false,
            workspace: None,
            view: View::Story,
            review: ReviewQueue::default(),
            stats: StatsView::default(),
            settings_panel: SettingsPanel::default(),
            ws_synced: None,
            review_followed: None,
        }
    }

    /// The open story, if any.
    pub fn doc(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    /// Sets the reader's text selection, as a drag over the text would.
    pub fn set_reader_selection(&mut self, span: Option<crate::anchor::Span>) {
        self.reader.set_selection(span);
    }

    /// Waits for background work to finish (nothing runs in the background yet).
    pub fn settle(&mut self) {}

    /// Looks at the files on disk on the next frame instead of at the next poll.
    pub fn check_disk_now(&mut self) {
        self.watch = self
            .watch
            .take()
            .map(|(at, s)| (at.checked_sub(Duration::from_secs(5)).unwrap_or(at), s));
    }

    /// Queues a command, as a menu item or key would.
    pub fn enqueue(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// The status bar's message.
    pub fn status(&self) -> &str {
        &self.status.0
    }

    fn info(&mut self, msg: impl Into<String>) {
        self.status = (msg.into(), Tone::Info);
    }

    fn error(&mut self, msg: impl Into<String>) {
        self.status = (msg.into(), Tone::Error);
    }

    /// Opens a story (or, for a folder, a workspace), saving the current one first. Errors
    /// go to the status bar.
    pub fn open(&mut self, path: &Path) {
        if path.is_dir() {
            self.open_folder(path);
            return;
        }
        if !self.flush_save() {
            return;
        }
        match Document::open(path) {
            Ok(mut doc) => {
                if let Some(ws) = self.workspace.as_ref().and_then(|w| w.workspace.as_ref())
                    && ws.story_index(path).is_some()
                {
                    doc.set_folder_settings(
                        ws.settings.labels.clone(),
                        ws.settings.rating_scale.clone(),
                    );
                }
                let mut msg = format!(
                    "Opened {} ({}{}, {} chars, {} annotations).",
                    doc.title(),
                    doc.story.encoding,
                    if doc.story.encoding_guessed {
                        ", encoding guessed"
                    } else {
                        ""
                    },
                    doc.story.text.len_chars(),
                    doc.annotations().len()
                );
                for note in &doc.notes {
                    msg.push(' ');
                    msg.push_str(note);
                }
                let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
                self.settings.recent.retain(|p| p != &canonical);
                self.settings.recent.insert(0, canonical);
                self.settings.recent.truncate(MAX_RECENT);
                self.doc = Some(doc);
                self.doc_serial += 1;
                self.reader = Reader::new();
                self.selected = None;
                self.inspector.reset();
                self.find.searched = None;
                self.highlights_key = None;
                self.dismissed_banner = false;
                self.save_failed = false;
                self.last_edit = None;
                self.story_changed = false;
                self.watch = None;
                self.ws_synced = None;
                self.info(msg);
            }
            Err(e) => self.error(format!("Could not open the story: {e}")),
        }
    }

    /// Opens a folder as a workspace: scans it off the UI thread (the window shows the
    /// progress and can cancel), then shows the claims table.
    pub fn open_folder(&mut self, path: &Path) {
        if !self.flush_save() {
            return;
        }
        let root = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &root);
        self.settings.recent.insert(0, root.clone());
        self.settings.recent.truncate(MAX_RECENT);
        self.workspace = Some(WorkspaceState::scan(&root));
        self.review.reset();
        self.review_followed = None;
        self.stats = StatsView::default();
        self.settings_panel = SettingsPanel::default();
        self.view = View::Claims;
        self.info(format!("Scanning {}...", root.display()));
    }

    /// The workspace, once loaded.
    pub fn loaded_workspace(&self) -> Option<&crate::workspace::Workspace> {
        self.workspace.as_ref()?.workspace.as_ref()
    }

    /// True while a folder is being scanned.
    pub fn scanning(&self) -> bool {
        self.workspace.as_ref().is_some_and(|w| w.scan.is_some())
    }

    /// Saves now if there are unsaved edits. Returns false when saving failed (the edits
    /// stay in memory and the status bar says why).
    fn flush_save(&mut self) -> bool {
        let Some(doc) = &mut self.doc else {
            return true;
        };
        if !doc.is_dirty() || doc.read_only().is_some() {
            return true;
        }
        match doc.save() {
            Ok(outcome) => {
                self.save_failed = false;
                self.last_edit = None;
                if let Some(w) = self.workspace.as_ref().and_then(|w| w.watcher.as_ref()) {
                    w.own_write(doc.sidecar_path());
                }
                let msg = match outcome.merged {
                    Some(report) if report.changed_anything() => {
                        format!("Saved, merged with changes on disk: {}.", report.summary())
                    }
                    _ => format!("Saved {}.", doc.sidecar_path().display()),
                };
                self.info(msg);
                true
            }
            Err(e) => {
                self.save_failed = true;
                self.error(format!(
                    "Not saved: {e}. Your edits are kept in this window; fix the problem and press Ctrl+S."
                ));
                false
            }
        }
    }

    /// Draws one frame. (Separate from `eframe::App` so tests drive it with kittest.)
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.apply_look(&ctx);
        self.take_dropped_files(&ctx);
        self.poll_picker();
        self.poll_workspace(&ctx);
        self.read_keys(&ctx);

        self.menu_bar(ui);
        self.view_bar(ui);
        self.status_bar(ui);
        if self.workspace.is_some() && self.view != View::Story {
            self.workspace_ui(ui);
        } else {
            self.story_ui(ui);
        }
        if self.show_shortcuts {
            self.shortcuts_window(&ctx);
        }
        self.export_dialog(&ctx);

        let queued = std::mem::take(&mut self.queue);
        for c in queued {
            self.run(c, &ctx);
        }
        self.autosave(&ctx);
        self.watch_disk(&ctx);
        self.sync_workspace();
        self.update_title(&ctx);
    }

    /// The story view: list, inspector, reader.
    fn story_ui(&mut self, ui: &mut Ui) {
        if self.doc.is_some() {
            egui::Panel::left("annotations")
                .resizable(true)
                .default_size(300.0)
                .size_range(200.0..=500.0)
                .show(ui, |ui| self.list_panel(ui));
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(360.0)
                .size_range(260.0..=600.0)
                .show(ui, |ui| self.inspector_panel(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));
    }

    fn export_dialog(&mut self, ctx: &egui::Context) {
        if self.export.open
            && let Some(doc) = &self.doc
        {
            let (labels, scale) = (doc.labels(), doc.rating_scale());
            let stem = doc.title();
            if let Some(choice) = self.export.show(ctx, &labels, &scale) {
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
                let rx = self.picker.pick(PickRequest::SaveExport {
                    start_dir,
                    file_name,
                });
                self.pending_pick = Some((Pending::Export(Box::new(choice)), rx));
            }
        }
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        let want = (self.settings.dark, self.settings.zoom);
        if self.applied_theme != Some(want) {
            ctx.set_theme(if self.settings.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            ctx.set_zoom_factor(self.settings.zoom);
            self.applied_theme = Some(want);
        }
    }

    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.first() {
            self.open(path);
        }
    }

    fn poll_picker(&mut self) {
        let Some((_, rx)) = &self.pending_pick else {
            return;
        };
        let path = match rx.try_recv() {
            Ok(Some(path)) => path,
            Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.pending_pick = None;
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
        };
        let Some((purpose, _)) = self.pending_pick.take() else {
            return;
        };
        match purpose {
            Pending::OpenStory | Pending::OpenFolder => self.open(&path),
            Pending::ExportClaims(format) => self.export_claims_to(format, &path),
            Pending::Import => self.import(&path),
            Pending::SaveCopy => self.save_copy_to(&path),
            Pending::Export(choice) => self.export_to(&choice, &path),
        }
    }

    fn story_dir(&self) -> Option<PathBuf> {
        self.doc
            .as_ref()
            .and_then(|d| d.path().parent().map(Path::to_owned))
    }

    /// Writes the export the dialog described to `path`.
    fn export_to(&mut self, choice: &ExportChoice, path: &Path) {
        // Exports read what is on disk, so save first.
        if !self.flush_save() {
            return;
        }
        let Some(doc) = &self.doc else { return };
        let source = if choice.whole_folder {
            doc.path().parent().map(Path::to_owned).unwrap_or_default()
        } else {
            doc.story_path()
        };
        let result = crate::export::ExportSet::load(&[source], &choice.filter).and_then(|set| {
            let out = crate::export::export(&set, choice.format, &choice.options)?;
            crate::export::write_file(path, &out.bytes)?;
            Ok((set.len(), out.skipped.len()))
        });
        self.report_export(result, path);
    }

    /// Writes the open story's annotations, as a sidecar, to `path` (atomically). For when the
    /// sidecar itself cannot be saved: the work gets to disk somewhere the user chose.
    pub fn save_copy_to(&mut self, path: &Path) {
        let Some(doc) = &self.doc else { return };
        let result = doc
            .sidecar()
            .to_ron()
            .and_then(|text| crate::store::write_atomic(path, text.as_bytes(), false));
        match result {
            Ok(()) => self.info(format!(
                "Saved a copy of the annotations to {}. It is a sidecar: put it next to the story as {} to use it.",
                path.display(),
                doc.sidecar_path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            )),
            Err(e) => self.error(format!("The copy was not saved either: {e}")),
        }
    }

    /// Adds the annotations of a W3C Web Annotation file to the open story, as one
    /// undoable step.
    pub fn import(&mut self, file: &Path) {
        let Some(doc) = &mut self.doc else { return };
        let planned = std::fs::read_to_string(file)
            .map_err(|e| format!("could not read {}: {e}", file.display()))
            .and_then(|json| crate::import::parse_json(&json, file).map_err(|e| e.to_string()))
            .map(|json| {
                crate::import::plan(
                    &json,
                    &doc.story.text,
                    &doc.title(),
                    doc.annotations(),
                    &doc.labels(),
                    &doc.rating_scale(),
                )
            });
        let planned = match planned {
            Ok(p) => p,
            Err(e) => {
                self.error(format!("Import failed: {e}"));
                return;
            }
        };
        let summary = planned.report.summary();
        if planned.annotations.is_empty() {
            self.info(format!("Nothing imported: {summary}."));
            return;
        }
        let edit = crate::history::Edit::Batch(
            planned
                .annotations
                .into_iter()
                .map(crate::history::Edit::Insert)
                .collect(),
        );
        match doc.apply("Import annotations", edit, false) {
            Ok(()) => {
                self.edited();
                self.list.reveal_selected = true;
                self.info(format!("Imported from {}: {summary}.", file.display()));
            }
            Err(e) => self.error(format!("Import failed: {e}")),
        }
    }

    fn labels(&self) -> Vec<Label> {
        self.doc
            .as_ref()
            .map(|d| d.labels())
            .unwrap_or_else(crate::model::default_labels)
    }

    fn read_keys(&mut self, ctx: &egui::Context) {
        let bindings = match self.current_view() {
            View::Story => {
                let mut bindings = command::bindings();
                let keys: Vec<Option<char>> = self.labels().iter().map(|l| l.key).collect();
                bindings.extend(command::label_bindings(&keys));
                bindings
            }
            // The queue's single keys replace the story view's (J/K, digits, R, C mean
            // queue actions there).
            View::Review => {
                let mut bindings = command::global_bindings();
                bindings.extend(command::review_bindings());
                bindings
            }
            _ => command::global_bindings(),
        };
        let typing = ctx.text_edit_focused();
        self.typing = typing;
        let pressed = command::pressed(ctx, &bindings, typing);
        self.queue.extend(pressed);
    }

    /// Applies one command.
    pub fn run(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Open => {
                let start_dir = self.story_dir();
                let rx = self.picker.pick(PickRequest::Story { start_dir });
                self.pending_pick = Some((Pending::OpenStory, rx));
            }
            Command::Export => {
                if self.doc.is_some() {
                    self.export.open = true;
                }
            }
            Command::Import => {
                if self.doc.as_ref().is_some_and(|d| d.read_only().is_none()) {
                    let start_dir = self.story_dir();
                    let rx = self.picker.pick(PickRequest::Annotations { start_dir });
                    self.pending_pick = Some((Pending::Import, rx));
                }
            }
            Command::OpenRecent(path) => self.open(&path),
            Command::SaveCopyAs => {
                if let Some(doc) = &self.doc {
                    let file_name = doc
                        .sidecar_path()
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "annotations.ron".to_owned());
                    let rx = self.picker.pick(PickRequest::SaveExport {
                        start_dir: None,
                        file_name,
                    });
                    self.pending_pick = Some((Pending::SaveCopy, rx));
                }
            }
            Command::Save => {
                if let Some(doc) = &self.doc {
                    if let Some(reason) = doc.read_only() {
                        let reason = reason.to_owned();
                        self.error(format!("Read-only, not saved: {reason}"));
                    } else if !doc.is_dirty() {
                        self.info("Nothing to save: all changes are saved.");
                    } else {
                        self.flush_save();
                    }
                }
            }
            Command::Reload => {
                if let Some(path) = self.doc.as_ref().map(|d| d.story_path()) {
                    self.open(&path);
                }
            }
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::Find => {
                self.find.open = true;
                self.find.focus = true;
            }
            Command::FindNext => self.step_match(1),
            Command::FindPrevious => self.step_match(-1),
            Command::ApplyLabel(n) => self.apply_label(n),
            Command::SetVerdict(n) => self.set_verdict(n),
            Command::DeleteAnnotation => self.delete_selected(),
            Command::NextAnnotation => self.step_annotation(1),
            Command::PreviousAnnotation => self.step_annotation(-1),
            Command::ConfirmAnchor => self.confirm_selected(),
            Command::ReattachToSelection => self.reattach_selected(),
            Command::FocusFilter => self.list.focus_filter = true,
            Command::ClearSelection => {
                if self.find.open {
                    self.find.open = false;
                } else if self.typing {
                    // Esc in a text box only leaves the box (egui already moved the focus).
                    ctx.memory_mut(|m| {
                        if let Some(id) = m.focused() {
                            m.surrender_focus(id);
                        }
                    });
                } else if self.reader.selection().is_some() {
                    self.reader.set_selection(None);
                } else {
                    self.selected = None;
                }
            }
            Command::ToggleTheme => self.settings.dark = !self.settings.dark,
            Command::ZoomIn => self.zoom(1.1),
            Command::ZoomOut => self.zoom(1.0 / 1.1),
            Command::ZoomReset => {
                self.settings.zoom = 1.0;
                self.settings.font_size = Settings::default().font_size;
            }
            Command::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            Command::OpenFolder => {
                let start_dir = self
                    .workspace
                    .as_ref()
                    .map(|w| w.root.clone())
                    .or_else(|| self.story_dir());
                let rx = self.picker.pick(PickRequest::Folder { start_dir });
                self.pending_pick = Some((Pending::OpenFolder, rx));
            }
            Command::ShowView(v) => {
                if v == View::Story || self.workspace.is_some() {
                    self.view = v;
                    self.review_followed = None;
                }
            }
            Command::CancelScan => {
                if let Some(scan) = self.workspace.as_ref().and_then(|w| w.scan.as_ref()) {
                    scan.cancel();
                }
            }
            Command::ExportClaims => {
                if let Some(ws) = &self.workspace
                    && ws.workspace.is_some()
                {
                    let format = ws.export_format;
                    let rx = self.picker.pick(PickRequest::SaveExport {
                        start_dir: Some(ws.root.clone()),
                        file_name: format!("claims.{}", format.extension()),
                    });
                    self.pending_pick = Some((Pending::ExportClaims(format), rx));
                }
            }
            Command::SetStatus(status) => self.set_status(status),
            Command::ReviewNext => {
                self.review.step(1);
            }
            Command::ReviewPrevious => {
                self.review.step(-1);
            }
            Command::ReviewComment => {
                if self.view == View::Review {
                    self.review.focus_comment = true;
                }
            }
            Command::OpenInReader => {
                if let Some((story, id)) = self.review.current().cloned() {
                    self.view = View::Story;
                    self.follow_claim(story, &id);
                }
            }
        }
    }

    fn current_view(&self) -> View {
        if self.workspace.is_some() {
            self.view
        } else {
            View::Story
        }
    }

    fn set_status(&mut self, status: crate::model::Status) {
        let Some(doc) = &mut self.doc else { return };
        let Some(mut a) = self.selected.as_ref().and_then(|id| doc.get(id)).cloned() else {
            self.info("Select an annotation first to set its status.");
            return;
        };
        a.status = status;
        match doc.update("Set status", a, false) {
            Ok(()) => {
                self.edited();
                self.info(format!("Status: {}.", status.name()));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn add_comment(&mut self, text: String) {
        let Some(doc) = &mut self.doc else { return };
        let Some(mut a) = self.selected.as_ref().and_then(|id| doc.get(id)).cloned() else {
            return;
        };
        a.comments.push(crate::model::Comment {
            author: self.settings.author.clone(),
            time: crate::model::now(),
            text: text.trim().to_owned(),
        });
        match doc.update("Add comment", a, false) {
            Ok(()) => {
                self.edited();
                self.info("Comment added.");
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Opens claim `id` of workspace story `story` in the story view's state (reader,
    /// inspector): the story is opened when it is not the open one.
    fn follow_claim(&mut self, story: usize, id: &AnnotationId) {
        let Some(path) = self
            .loaded_workspace()
            .and_then(|w| w.stories.get(story))
            .map(|s| s.path.clone())
        else {
            return;
        };
        if self.doc.as_ref().map(|d| d.path()) != Some(path.as_path()) {
            self.open(&path);
        }
        if self.doc.as_ref().map(|d| d.path()) == Some(path.as_path()) {
            self.select(id.clone());
        }
        self.review_followed = Some((story, id.clone()));
    }

    /// Opens a table row's claim in the reader, scrolled to it and highlighted.
    pub fn open_claim(&mut self, row: RowId) {
        let Some(id) = self
            .loaded_workspace()
            .and_then(|w| w.annotation(row))
            .map(|a| a.id.clone())
        else {
            return;
        };
        if let Some(ws) = &mut self.workspace {
            ws.selected_row = Some(row);
        }
        self.view = View::Story;
        self.follow_claim(row.story, &id);
    }

    /// Finishes a scan, and takes in what the watcher noticed on disk.
    fn poll_workspace(&mut self, ctx: &egui::Context) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        if let Some(scan) = &mut ws.scan {
            match scan.try_finish() {
                None => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                    return;
                }
                Some(Ok(workspace)) => {
                    let msg = format!(
                        "Opened {}: {}, {}.",
                        ws.root.display(),
                        crate::ui::workspace_view::stories(workspace.stories.len()),
                        plural(workspace.totals().claims, "claim")
                    );
                    let warn = ws.loaded(workspace);
                    match warn {
                        Some(w) => self.error(format!(
                            "{msg} Changes made by other apps will not be noticed: {w}."
                        )),
                        None => self.info(msg),
                    }
                    self.ws_synced = None;
                }
                Some(Err(e)) => {
                    let msg = format!("The folder was not opened: {e}.");
                    self.workspace = None;
                    self.view = View::Story;
                    self.error(msg);
                }
            }
            return;
        }
        let changes = match &ws.watcher {
            Some(w) => w.poll(),
            None => return,
        };
        ctx.request_repaint_after(crate::workspace::DEBOUNCE);
        let open_story = self.doc.as_ref().map(|d| d.path().to_owned());
        let mut noticed = 0;
        for change in changes {
            noticed += 1;
            match &change {
                Change::Story(_) | Change::Sidecar { .. } => {
                    let Some(story) = change.story() else {
                        continue;
                    };
                    if open_story.as_deref() == Some(story) {
                        // The document merges its own sidecar (keeping unsaved edits);
                        // look at its stamps now rather than within a second.
                        self.watch = self.watch.take().map(|(at, s)| {
                            (at.checked_sub(Duration::from_secs(5)).unwrap_or(at), s)
                        });
                    } else {
                        ws.reload_story(story);
                    }
                }
                Change::Settings(_) => {
                    if let Some(w) = &mut ws.workspace {
                        w.reload_settings();
                        if let Some(doc) = &mut self.doc {
                            doc.set_folder_settings(
                                w.settings.labels.clone(),
                                w.settings.rating_scale.clone(),
                            );
                        }
                    }
                    ws.rebuild_table();
                }
                Change::Rescan => {
                    let query = ws.query.clone();
                    *ws = WorkspaceState::scan(&ws.root.clone());
                    ws.query = query;
                }
            }
        }
        if noticed > 0 {
            self.info(format!(
                "{} changed on disk and reloaded.",
                plural(noticed, "file")
            ));
        }
    }

    /// Copies the open story's annotations (edited, undone, merged) into the workspace's
    /// table and counts, so every view shows them at once, saved or not.
    fn sync_workspace(&mut self) {
        let (Some(doc), Some(ws)) = (&self.doc, &mut self.workspace) else {
            return;
        };
        let key = (self.doc_serial, doc.revision());
        if self.ws_synced == Some(key) {
            return;
        }
        if let Some(i) = ws.story_of(doc.path()) {
            ws.set_story_annotations(i, doc.annotations());
        }
        if ws.workspace.is_some() {
            self.ws_synced = Some(key);
        }
    }

    /// The tabs choosing the workspace's view.
    fn view_bar(&mut self, ui: &mut Ui) {
        let Some(ws) = &self.workspace else { return };
        let root = ws.root.display().to_string();
        egui::Panel::top("views").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(preview(&root, 60)).on_hover_text(&root);
                ui.separator();
                for v in View::ALL {
                    let shortcut = Command::ShowView(v)
                        .shortcut()
                        .map(|s| ui.ctx().format_shortcut(&s))
                        .unwrap_or_default();
                    if ui
                        .selectable_label(self.view == v, v.name())
                        .on_hover_text(shortcut)
                        .clicked()
                    {
                        self.queue.push(Command::ShowView(v));
                    }
                }
            });
        });
    }

    /// The workspace's views other than the story.
    fn workspace_ui(&mut self, ui: &mut Ui) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        if ws.scan.is_some() {
            let mut action = None;
            egui::CentralPanel::default().show(ui, |ui| action = ws.scan_ui(ui));
            if action == Some(WorkspaceAction::CancelScan) {
                self.queue.push(Command::CancelScan);
            }
            return;
        }
        match self.view {
            View::Story => {}
            View::Claims => {
                if let Some(action) = ws.claims_ui(ui) {
                    match action {
                        WorkspaceAction::OpenClaim(row) => self.open_claim(row),
                        WorkspaceAction::Export => self.queue.push(Command::ExportClaims),
                        WorkspaceAction::CancelScan => self.queue.push(Command::CancelScan),
                    }
                }
            }
            View::Review => {
                let query = ws.query.clone();
                let rows = ws.rows().to_vec();
                if let Some(w) = &ws.workspace {
                    self.review.sync(&query, &rows, w);
                }
                if let Some((story, id)) = self.review.current().cloned()
                    && self.review_followed.as_ref() != Some(&(story, id.clone()))
                {
                    self.follow_claim(story, &id);
                }
                let (Some(ws), doc) = (
                    self.workspace.as_ref().and_then(|w| w.workspace.as_ref()),
                    self.doc.as_ref(),
                ) else {
                    return;
                };
                let mut actions = Vec::new();
                egui::CentralPanel::default().show(ui, |ui| {
                    actions = self.review.ui(ui, ws, doc);
                });
                for a in actions {
                    self.queue.push(match a {
                        ReviewAction::Next => Command::ReviewNext,
                        ReviewAction::Previous => Command::ReviewPrevious,
                        ReviewAction::Verdict(n) => Command::SetVerdict(n),
                        ReviewAction::Status(s) => Command::SetStatus(s),
                        ReviewAction::OpenInReader => Command::OpenInReader,
                        ReviewAction::Comment(text) => {
                            self.add_comment(text);
                            continue;
                        }
                    });
                }
            }
            View::Statistics => {
                let Some(w) = &ws.workspace else { return };
                let mut filter = None;
                egui::CentralPanel::default().show(ui, |ui| filter = self.stats.ui(ui, w));
                if let Some(f) = filter {
                    self.filter_from_stats(f);
                }
            }
            View::Settings => {
                let Some(w) = &ws.workspace else { return };
                self.settings_panel.sync(&w.settings);
                let blocked = w.settings_error.as_ref().map(|e| e.to_string());
                let mut save = None;
                egui::CentralPanel::default().show(ui, |ui| {
                    save = self.settings_panel.ui(ui, blocked.as_deref());
                });
                if let Some(s) = save {
                    self.save_folder_settings(s);
                }
            }
        }
    }

    /// A bar clicked in the statistics: the table shows just those claims.
    fn filter_from_stats(&mut self, filter: StatsFilter) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        match filter {
            StatsFilter::Verdict(v) => ws.query.verdicts = vec![v],
            StatsFilter::Status(s) => ws.query.statuses = vec![s],
            StatsFilter::Story(i) => ws.query.stories = vec![i],
        }
        self.view = View::Claims;
    }

    /// Writes the folder's `factmark.ron` (atomically) and applies it.
    fn save_folder_settings(&mut self, settings: crate::settings::FolderSettings) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let Some(w) = &mut ws.workspace else { return };
        if w.settings_error.is_some() {
            return;
        }
        match settings.save(&w.root) {
            Ok(path) => {
                if let Some(watcher) = &ws.watcher {
                    watcher.own_write(&path);
                }
                w.settings = settings.clone();
                if let Some(doc) = &mut self.doc {
                    doc.set_folder_settings(settings.labels.clone(), settings.rating_scale.clone());
                }
                ws.rebuild_table();
                self.settings_panel.saved(&settings);
                self.info(format!("Saved {}.", path.display()));
            }
            Err(e) => self.error(format!("The folder settings were not saved: {e}")),
        }
    }

    /// Tells the user what an export wrote: `(annotations, claims skipped)` or the error.
    fn report_export(
        &mut self,
        result: Result<(usize, usize), impl std::fmt::Display>,
        path: &Path,
    ) {
        match result {
            Ok((n, skipped)) => {
                let mut msg = format!(
                    "Exported {} to {}.",
                    plural(n, "annotation"),
                    path.display()
                );
                if skipped > 0 {
                    msg.push_str(&format!(
                        " {} without a verdict left out of ClaimReview.",
                        plural(skipped, "claim")
                    ));
                }
                self.info(msg);
            }
            Err(e) => self.error(format!("Export failed, nothing was written: {e}")),
        }
    }

    /// Exports the claims the table shows (with their unsaved edits) to `path`.
    fn export_claims_to(&mut self, format: crate::export::Format, path: &Path) {
        let result = self.build_claims_export().and_then(|set| {
            let options = self.export_options();
            let out = crate::export::export(&set, format, &options).map_err(|e| e.to_string())?;
            crate::export::write_file(path, &out.bytes).map_err(|e| e.to_string())?;
            Ok((set.len(), out.skipped.len()))
        });
        self.report_export(result, path);
    }

    fn export_options(&self) -> crate::export::ExportOptions {
        let org = self
            .loaded_workspace()
            .and_then(|w| w.settings.organisation.clone())
            .unwrap_or_default();
        crate::export::ExportOptions {
            organisation: crate::export::Organisation {
                name: org.name,
                url: org.url,
            },
            ..Default::default()
        }
    }

    /// The table's rows as an export set: each story's text is read again to place them.
    fn build_claims_export(&mut self) -> Result<crate::export::ExportSet, String> {
        let Some(state) = &mut self.workspace else {
            return Err("no folder is open".into());
        };
        let rows = state.rows().to_vec();
        let Some(ws) = &state.workspace else {
            return Err("the folder is still being scanned".into());
        };
        let mut by_story: std::collections::BTreeMap<
            usize,
            std::collections::HashSet<AnnotationId>,
        > = Default::default();
        for r in rows {
            if let Some(a) = ws.annotation(r) {
                by_story.entry(r.story).or_default().insert(a.id.clone());
            }
        }
        let mut set = crate::export::ExportSet::default();
        for (i, ids) in by_story {
            let entry = &ws.stories[i];
            let story = crate::text::load_story(&entry.path).map_err(|e| e.to_string())?;
            let mut part = crate::export::ExportStory::new(
                &entry.name,
                &entry.path,
                &story.text,
                entry.annotations.as_slice(),
                entry.labels_in(&ws.settings),
                entry.scale_in(&ws.settings),
                &crate::export::Filter::default(),
            );
            part.annotations.retain(|a| ids.contains(&a.id));
            set.stories.push(part);
        }
        Ok(set)
    }

    fn zoom(&mut self, factor: f32) {
        self.settings.font_size = (self.settings.font_size * factor).clamp(10.0, 40.0);
        self.info(format!(
            "Reader text size {:.0} pt.",
            self.settings.font_size
        ));
    }

    fn edited(&mut self) {
        self.last_edit = Some(Instant::now());
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(doc) = &mut self.doc else { return };
        if let Some(reason) = doc.read_only() {
            let reason = reason.to_owned();
            self.error(format!("Read-only: {reason}"));
            return;
        }
        let label = if undo { doc.undo() } else { doc.redo() };
        match label {
            Some(l) => {
                if let Some(id) = &self.selected
                    && doc.get(id).is_none()
                {
                    self.selected = None;
                }
                self.edited();
                self.info(format!("{} {l}.", if undo { "Undid" } else { "Redid" }));
            }
            None => self.info(if undo {
                "Nothing to undo."
            } else {
                "Nothing to redo."
            }),
        }
    }

    fn apply_label(&mut self, n: usize) {
        let labels = self.labels();
        let Some(label) = labels.get(n) else { return };
        let Some(doc) = &mut self.doc else { return };
        let Some(span) = self.reader.selection() else {
            self.info(format!(
                "Select text in the story first, then press {} to mark it as {}.",
                label.key.map(|k| k.to_ascii_uppercase()).unwrap_or('?'),
                label.name
            ));
            return;
        };
        match doc.create(span, &label.name, &self.settings.author) {
            Ok(id) => {
                self.selected = Some(id);
                self.reader.set_selection(None);
                self.inspector.reset();
                self.list.reveal_selected = true;
                self.edited();
                self.info(format!(
                    "Added a {} highlight. Fill in the inspector; Ctrl+Z undoes.",
                    label.name
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn set_verdict(&mut self, n: usize) {
        let Some(doc) = &mut self.doc else { return };
        let Some(mut a) = self.selected.as_ref().and_then(|id| doc.get(id)).cloned() else {
            self.info("Select an annotation first to give it a verdict.");
            return;
        };
        let scale = doc.rating_scale();
        a.verdict = match n {
            0 => None,
            n => match scale.ratings.get(n - 1) {
                Some(r) => Some(r.name.clone()),
                None => return,
            },
        };
        let msg = format!(
            "Verdict: {}.",
            a.verdict.clone().unwrap_or_else(|| "none".into())
        );
        match doc.update("Set verdict", a, false) {
            Ok(()) => {
                self.edited();
                self.info(msg);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn delete_selected(&mut self) {
        let (Some(doc), Some(id)) = (&mut self.doc, self.selected.clone()) else {
            return;
        };
        match doc.delete(&id) {
            Ok(()) => {
                self.selected = None;
                self.edited();
                self.info("Deleted the annotation (Ctrl+Z brings it back).");
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn confirm_selected(&mut self) {
        let (Some(doc), Some(id)) = (&mut self.doc, self.selected.clone()) else {
            return;
        };
        if !doc.get(&id).is_some_and(|a| a.state.needs_confirming()) {
            return;
        }
        match doc.confirm(&id) {
            Ok(()) => {
                self.edited();
                self.info("Confirmed the highlight's new place.");
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn reattach_selected(&mut self) {
        let (Some(doc), Some(id)) = (&mut self.doc, self.selected.clone()) else {
            return;
        };
        let Some(span) = self.reader.selection() else {
            self.info("Select the text this annotation belongs to, then press R.");
            return;
        };
        match doc.reattach(&id, span) {
            Ok(()) => {
                self.reader.set_selection(None);
                self.edited();
                self.info("Re-attached the annotation to the selected text.");
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn step_annotation(&mut self, delta: isize) {
        let Some(doc) = &self.doc else { return };
        let rows = self
            .list
            .visible(doc.annotations(), doc.revision())
            .to_vec();
        if rows.is_empty() {
            return;
        }
        let all = doc.annotations().as_slice();
        let current = self
            .selected
            .as_ref()
            .and_then(|id| rows.iter().position(|&i| &all[i].id == id));
        let next = match current {
            None if delta > 0 => 0,
            None => rows.len() - 1,
            Some(c) => (c as isize + delta).clamp(0, rows.len() as isize - 1) as usize,
        };
        let id = all[rows[next]].id.clone();
        self.select(id);
    }

    /// Selects an annotation: inspector, list and reader follow.
    pub fn select(&mut self, id: AnnotationId) {
        if let Some(a) = self.doc.as_ref().and_then(|d| d.get(&id)) {
            self.scroll_to = Some(a.anchor.start);
            if self.selected.as_ref() != Some(&id) {
                self.inspector.reset();
            }
            self.selected = Some(id);
            self.list.reveal_selected = true;
        }
    }

    fn step_match(&mut self, delta: isize) {
        if self.find.matches.is_empty() {
            if !self.find.open {
                self.find.open = true;
                self.find.focus = true;
            }
            return;
        }
        let n = self.find.matches.len() as isize;
        let next = match self.find.current {
            None => 0,
            Some(c) => (c as isize + delta).rem_euclid(n),
        } as usize;
        self.find.current = Some(next);
        self.scroll_to = Some(self.find.matches[next].start);
    }

    fn autosave(&mut self, ctx: &egui::Context) {
        let dirty = self
            .doc
            .as_ref()
            .is_some_and(|d| d.is_dirty() && d.read_only().is_none());
        if !dirty || self.save_failed {
            return;
        }
        match self.last_edit {
            Some(t) if t.elapsed() >= AUTOSAVE_DELAY => {
                self.flush_save();
            }
            Some(t) => ctx.request_repaint_after(AUTOSAVE_DELAY.saturating_sub(t.elapsed())),
            None => self.last_edit = Some(Instant::now()),
        }
    }

    /// Notices outside changes: a sidecar changed by another app, a sync or a `git pull` is
    /// merged into the open set (never overwritten); a changed story gets a banner that offers
    /// to reload it (which re-anchors the highlights).
    fn watch_disk(&mut self, ctx: &egui::Context) {
        const EVERY: Duration = Duration::from_secs(1);
        let Some(doc) = &self.doc else { return };
        if let Some((at, _)) = &self.watch
            && at.elapsed() < EVERY
        {
            ctx.request_repaint_after(EVERY);
            return;
        }
        let now = doc.disk_stamps();
        let Some((_, before)) = self.watch.replace((Instant::now(), now)) else {
            // First look after opening: remember the stamps.
            ctx.request_repaint_after(EVERY);
            return;
        };
        ctx.request_repaint_after(EVERY);
        if now.0 != before.0 {
            self.story_changed = true;
        }
        if now.1 != before.1 && doc.sidecar_changed_on_disk() {
            let Some(doc) = &mut self.doc else { return };
            match doc.merge_from_disk() {
                Ok(Some(report)) if report.changed_anything() => {
                    let msg = format!("The sidecar changed on disk: {}.", report.summary());
                    self.edited();
                    if report.is_clean() {
                        self.info(msg);
                    } else {
                        self.error(msg);
                    }
                }
                Ok(_) => {}
                Err(e) => self.error(format!(
                    "The sidecar changed on disk but could not be read ({e}); your edits are kept and it will not be overwritten."
                )),
            }
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.doc {
            Some(d) => format!(
                "{}{}{} — factmark",
                if d.is_dirty() { "• " } else { "" },
                d.title(),
                if d.read_only().is_some() {
                    " (read-only)"
                } else {
                    ""
                }
            ),
            None => "factmark".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    // ---- panels ----

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    self.menu_item(ui, Command::Open);
                    self.menu_item(ui, Command::OpenFolder);
                    ui.menu_button("Open recent", |ui| {
                        if self.settings.recent.is_empty() {
                            ui.weak("No recent stories");
                        }
                        for p in self.settings.recent.clone() {
                            if ui.button(p.display().to_string()).clicked() {
                                self.queue.push(Command::OpenRecent(p));
                                ui.close();
                            }
                        }
                    });
                    self.menu_item(ui, Command::Save);
                    self.menu_item(ui, Command::SaveCopyAs);
                    self.menu_item(ui, Command::Reload);
                    ui.separator();
                    self.menu_item(ui, Command::Export);
                    self.menu_item(ui, Command::Import);
                    ui.separator();
                    ui.horizontal(|ui| {
                        ui.label("Your name:");
                        ui.add(
                            egui::TextEdit::singleline(&mut self.settings.author)
                                .desired_width(140.0),
                        );
                    });
                    ui.separator();
                    self.menu_item(ui, Command::Quit);
                });
                ui.menu_button("Edit", |ui| {
                    let undo = self
                        .doc
                        .as_ref()
                        .and_then(|d| d.history().undo_label().map(str::to_owned));
                    let redo = self
                        .doc
                        .as_ref()
                        .and_then(|d| d.history().redo_label().map(str::to_owned));
                    self.menu_item_labelled(ui, Command::Undo, undo.map(|l| format!("Undo {l}")));
                    self.menu_item_labelled(ui, Command::Redo, redo.map(|l| format!("Redo {l}")));
                    ui.separator();
                    self.menu_item(ui, Command::Find);
                    self.menu_item(ui, Command::FindNext);
                    self.menu_item(ui, Command::FindPrevious);
                    ui.separator();
                    let labels = self.labels();
                    for (n, l) in labels.iter().enumerate() {
                        let text = format!("Mark selection as {}", l.name);
                        let shortcut = l.key.map(|k| k.to_ascii_uppercase().to_string());
                        let b = egui::Button::new(text).shortcut_text(shortcut.unwrap_or_default());
                        if ui.add(b).clicked() {
                            self.queue.push(Command::ApplyLabel(n));
                            ui.close();
                        }
                    }
                    self.menu_item(ui, Command::DeleteAnnotation);
                    self.menu_item(ui, Command::ConfirmAnchor);
                    self.menu_item(ui, Command::ReattachToSelection);
                });
                ui.menu_button("View", |ui| {
                    if self.workspace.is_some() {
                        for v in View::ALL {
                            self.menu_item(ui, Command::ShowView(v));
                        }
                        self.menu_item(ui, Command::ExportClaims);
                        ui.separator();
                    }
                    self.menu_item(ui, Command::NextAnnotation);
                    self.menu_item(ui, Command::PreviousAnnotation);
                    self.menu_item(ui, Command::FocusFilter);
                    ui.separator();
                    self.menu_item_labelled(
                        ui,
                        Command::ToggleTheme,
                        Some(if self.settings.dark {
                            "Light theme".into()
                        } else {
                            "Dark theme".into()
                        }),
                    );
                    self.menu_item(ui, Command::ZoomIn);
                    self.menu_item(ui, Command::ZoomOut);
                    self.menu_item(ui, Command::ZoomReset);
                });
                ui.menu_button("Help", |ui| {
                    self.menu_item(ui, Command::ShowShortcuts);
                    ui.label(format!("factmark {}", env!("CARGO_PKG_VERSION")));
                });
            });
        });
    }

    fn menu_item(&mut self, ui: &mut Ui, command: Command) {
        self.menu_item_labelled(ui, command, None);
    }

    fn menu_item_labelled(&mut self, ui: &mut Ui, command: Command, label: Option<String>) {
        let text = label.unwrap_or_else(|| command.label());
        let shortcut = command
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        if ui
            .add(egui::Button::new(text).shortcut_text(shortcut))
            .clicked()
        {
            self.queue.push(command);
            ui.close();
        }
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(doc) = &self.doc {
                    let story = &doc.story;
                    ui.label(format!(
                        "{}{}",
                        story.encoding,
                        if story.encoding_guessed {
                            " (guessed)"
                        } else {
                            ""
                        }
                    ))
                    .on_hover_text("The text encoding the story was read with");
                    ui.separator();
                    ui.label(format!("{} chars", story.text.len_chars()));
                    ui.separator();
                    let set = doc.annotations();
                    let claims = set.iter().filter(|a| a.label == "Claim").count();
                    let orphans = set.iter().filter(|a| a.state.is_orphaned()).count();
                    ui.label(format!(
                        "{}, {}",
                        plural(set.len(), "annotation"),
                        plural(claims, "claim")
                    ));
                    if orphans > 0 {
                        ui.separator();
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{orphans} orphaned"));
                    }
                    ui.separator();
                    let (state, color) = if doc.read_only().is_some() {
                        ("Read-only", ui.visuals().warn_fg_color)
                    } else if self.save_failed {
                        ("Not saved!", ui.visuals().error_fg_color)
                    } else if doc.is_dirty() {
                        ("Unsaved changes", ui.visuals().text_color())
                    } else {
                        ("All changes saved", ui.visuals().weak_text_color())
                    };
                    ui.colored_label(color, state);
                    ui.separator();
                }
                let color = match self.status.1 {
                    Tone::Info => ui.visuals().text_color(),
                    Tone::Error => ui.visuals().error_fg_color,
                };
                ui.add(egui::Label::new(RichText::new(&self.status.0).color(color)).truncate());
            });
        });
    }

    fn list_panel(&mut self, ui: &mut Ui) {
        let Some(doc) = &self.doc else { return };
        let labels = doc.labels();
        let scale = doc.rating_scale();
        if let Some(id) = self.list.ui(
            ui,
            doc.annotations(),
            doc.revision(),
            &labels,
            &scale,
            self.selected.as_ref(),
        ) {
            self.select(id);
        }
    }

    fn inspector_panel(&mut self, ui: &mut Ui) {
        let Some(doc) = &self.doc else { return };
        let selected = self.selected.as_ref().and_then(|id| doc.get(id)).cloned();
        let Some(annotation) = selected else {
            ui.heading("Inspector");
            ui.add_space(8.0);
            ui.label("Select text in the story, then press a label key:");
            for l in doc.labels() {
                ui.horizontal(|ui| {
                    let [r, g, b] = l.rgb();
                    swatch(ui, Color32::from_rgb(r, g, b));
                    ui.label(format!(
                        "{}  {}",
                        l.key
                            .map(|k| k.to_ascii_uppercase().to_string())
                            .unwrap_or_default(),
                        l.name
                    ));
                });
            }
            ui.add_space(8.0);
            ui.weak(
                "Click a highlight or a row in the list to edit it here. F1 lists every shortcut.",
            );
            return;
        };
        let labels = doc.labels();
        let scale = doc.rating_scale();
        let color = label_color(&labels, &annotation.label);
        ui.horizontal(|ui| {
            swatch(ui, color);
            ui.heading(&annotation.label);
        });
        ui.separator();
        let cx = InspectorContext {
            labels: &labels,
            scale: &scale,
            annotations: doc.annotations(),
            read_only: doc.read_only().is_some(),
            author: &self.settings.author,
            has_selection: self.reader.selection().is_some(),
        };
        let actions = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| self.inspector.ui(ui, &annotation, &cx))
            .inner;
        for action in actions {
            self.inspector_action(action, ui.ctx());
        }
    }

    fn inspector_action(&mut self, action: InspectorAction, ctx: &egui::Context) {
        match action {
            InspectorAction::Update {
                label,
                annotation,
                coalesce,
            } => {
                let Some(doc) = &mut self.doc else { return };
                match doc.update(label, *annotation, coalesce) {
                    Ok(()) => self.edited(),
                    Err(e) => self.error(e.to_string()),
                }
            }
            InspectorAction::Seal => {
                if let Some(doc) = &mut self.doc {
                    doc.seal_history();
                }
            }
            InspectorAction::Delete => self.delete_selected(),
            InspectorAction::Confirm => self.confirm_selected(),
            InspectorAction::Reattach => self.reattach_selected(),
            InspectorAction::Select(id) => self.select(id),
            InspectorAction::OpenUrl(url) => {
                // Only web links are ever opened (validated again here: a hand-edited
                // sidecar could hold anything).
                match crate::model::validate_source_url(&url) {
                    Ok(url) => ctx.open_url(egui::OpenUrl::new_tab(url)),
                    Err(e) => self.error(e),
                }
            }
            InspectorAction::Message(m) => self.error(m),
        }
    }

    fn central(&mut self, ui: &mut Ui) {
        if self.doc.is_none() {
            if self.loaded_workspace().is_some() {
                self.story_picker(ui);
                return;
            }
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                ui.heading("factmark");
                ui.label("Open a news story to highlight and check its claims.");
                if ui.button("Open story… (Ctrl+O)").clicked() {
                    self.queue.push(Command::Open);
                }
                ui.weak(&self.status.0);
            });
            return;
        }
        self.banners(ui);
        if self.find.open {
            self.find_bar(ui);
        }
        self.selection_bar(ui);
        self.refresh_find();
        self.reader_ui(ui);
    }

    /// With a folder open and no story yet: its stories, one click from the reader.
    fn story_picker(&mut self, ui: &mut Ui) {
        let Some(ws) = self.loaded_workspace() else {
            return;
        };
        let mut chosen = None;
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            ui.heading("Pick a story to read");
            ui.label(
                "Or open a claim from the Claims table or the Review queue, or any story with Ctrl+O.",
            );
            ui.add_space(8.0);
        });
        let row_height = ui.text_style_height(&egui::TextStyle::Button)
            + 2.0 * ui.spacing().button_padding.y
            + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, ws.stories.len(), |ui, range| {
                ui.vertical_centered(|ui| {
                    for s in &ws.stories[range] {
                        let text = format!(
                            "{}  ({}, {})",
                            s.name,
                            plural(s.counts.claims, "claim"),
                            plural(s.counts.annotations, "annotation")
                        );
                        if ui.button(text).clicked() {
                            chosen = Some(s.path.clone());
                        }
                    }
                });
            });
        if let Some(path) = chosen {
            self.open(&path);
        }
    }

    fn banners(&mut self, ui: &mut Ui) {
        if self.save_failed {
            let mut copy = false;
            banner(ui, ui.visuals().error_fg_color, |ui| {
                ui.strong("Not saved.");
                ui.label(
                    "Your edits are kept in this window. Fix the problem and press Ctrl+S, or",
                );
                if ui.button("Save a copy as… (Ctrl+Shift+S)").clicked() {
                    copy = true;
                }
            });
            if copy {
                self.queue.push(Command::SaveCopyAs);
            }
        }
        let Some(doc) = &self.doc else { return };
        if let Some(reason) = doc.read_only() {
            let reason = reason.to_owned();
            banner(ui, ui.visuals().error_fg_color, |ui| {
                ui.strong("Read-only.");
                ui.label(reason);
            });
        }
        if self.story_changed {
            let mut reload = false;
            banner(ui, ui.visuals().warn_fg_color, |ui| {
                ui.label(if doc.path().exists() {
                    "The story file changed on disk."
                } else {
                    "The story file was deleted or moved; your annotations are kept in this window and its sidecar."
                });
                if doc.path().exists() && ui.button("Reload and re-anchor (Ctrl+Shift+R)").clicked()
                {
                    reload = true;
                }
            });
            if reload {
                self.queue.push(Command::Reload);
            }
        }
        if let Some(counts) = doc.reanchored
            && !self.dismissed_banner
        {
            let attention = counts.unconfirmed + counts.orphaned;
            let mut dismiss = false;
            let mut show = false;
            banner(ui, ui.visuals().warn_fg_color, |ui| {
                ui.label(format!(
                    "This story changed since it was annotated: {}.",
                    counts.summary()
                ));
                if attention > 0 && ui.button("Show them").clicked() {
                    show = true;
                }
                if ui.small_button("Dismiss").clicked() {
                    dismiss = true;
                }
            });
            if show {
                self.list.attention_only = true;
            }
            if dismiss {
                self.dismissed_banner = true;
            }
        }
    }

    fn find_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label("Find:");
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.find.query)
                    .desired_width(260.0)
                    .id_salt("find_query"),
            );
            if std::mem::take(&mut self.find.focus) {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                self.queue.push(if back {
                    Command::FindPrevious
                } else {
                    Command::FindNext
                });
                r.request_focus();
            }
            let n = self.find.matches.len();
            let count = match (n, self.find.current) {
                (0, _) if self.find.query.is_empty() => String::new(),
                (0, _) => "no matches".into(),
                (n, Some(c)) if n >= MAX_MATCHES => format!("{} of {n}+", c + 1),
                (n, Some(c)) => format!("{} of {n}", c + 1),
                (n, None) => format!("{n} matches"),
            };
            ui.label(count);
            if ui
                .button("Previous")
                .on_hover_text("Shift+F3, Shift+Enter")
                .clicked()
            {
                self.queue.push(Command::FindPrevious);
            }
            if ui.button("Next").on_hover_text("F3, Enter").clicked() {
                self.queue.push(Command::FindNext);
            }
            if ui.button("Close").on_hover_text("Esc").clicked() {
                self.find.open = false;
            }
        });
    }

    fn refresh_find(&mut self) {
        let Some(doc) = &self.doc else { return };
        let query = if self.find.open {
            self.find.query.clone()
        } else {
            String::new()
        };
        let key = (query.clone(), self.doc_serial);
        if self.find.searched.as_ref() == Some(&key) {
            return;
        }
        self.find.matches = self.find.finder.find_all(&doc.story.text, &query);
        self.find.current = None;
        self.find.searched = Some(key);
        // Jump to the first match at or after what is on screen.
        if !self.find.matches.is_empty() {
            let from = 0;
            let i = self.find.matches.partition_point(|m| m.start < from);
            let i = if i == self.find.matches.len() { 0 } else { i };
            self.find.current = Some(i);
            self.scroll_to = Some(self.find.matches[i].start);
        }
    }

    fn selection_bar(&mut self, ui: &mut Ui) {
        let Some(doc) = &self.doc else { return };
        let Some(span) = self.reader.selection() else {
            ui.horizontal(|ui| {
                ui.weak("Select text to highlight it.");
            });
            return;
        };
        let quote = doc.story.text.slice_chars(span.start..span.end).to_owned();
        let labels = doc.labels();
        let read_only = doc.read_only().is_some();
        let reattach = self
            .selected
            .as_ref()
            .and_then(|id| doc.get(id))
            .is_some_and(|a| !a.state.eq(&crate::anchor::AnchorState::Anchored));
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("“{}”", preview(&quote, 48)));
            ui.add_enabled_ui(!read_only, |ui| {
                for (n, l) in labels.iter().enumerate() {
                    let key = l
                        .key
                        .map(|k| k.to_ascii_uppercase().to_string())
                        .unwrap_or_default();
                    let [r, g, b] = l.rgb();
                    let text = RichText::new(format!("{} {key}", l.name));
                    if ui
                        .add(
                            egui::Button::new(text)
                                .stroke(egui::Stroke::new(1.5, Color32::from_rgb(r, g, b))),
                        )
                        .on_hover_text(format!("Mark the selection as {} ({key})", l.name))
                        .clicked()
                    {
                        self.queue.push(Command::ApplyLabel(n));
                    }
                }
                if reattach && ui.button("Re-attach here (R)").clicked() {
                    self.queue.push(Command::ReattachToSelection);
                }
            });
        });
    }

    fn reader_ui(&mut self, ui: &mut Ui) {
        let Some(doc) = &self.doc else { return };
        let key = (self.doc_serial, doc.revision());
        if self.highlights_key != Some(key) {
            let labels = doc.labels();
            self.highlights = doc
                .annotations()
                .iter()
                .filter(|a| !a.state.is_orphaned())
                .map(|a| Highlight {
                    id: a.id.clone(),
                    span: a.span(),
                    color: label_color(&labels, &a.label),
                    tooltip: tooltip(a),
                })
                .collect();
            self.highlights_key = Some(key);
        }
        let mut input = ReaderInput::new(&doc.story.text, self.doc_serial);
        input.highlights = &self.highlights;
        input.highlights_revision = doc.revision() ^ (self.doc_serial << 40);
        input.selected = self.selected.as_ref();
        input.find_matches = &self.find.matches;
        input.current_match = self.find.current;
        input.scroll_to = self.scroll_to.take();
        input.font_size = self.settings.font_size;
        let out = self.reader.ui(ui, input);
        if let Some(id) = out.clicked {
            self.select(id);
            self.scroll_to = None;
        }
    }

    fn shortcuts_window(&mut self, ctx: &egui::Context) {
        let mut open = true;
        let labels = self.labels();
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_width(420.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        for l in &labels {
                            if let Some(k) = l.key {
                                ui.monospace(k.to_ascii_uppercase().to_string());
                                ui.label(format!("Mark the selection as {}", l.name));
                                ui.end_row();
                            }
                        }
                        let scale = self
                            .doc
                            .as_ref()
                            .map(|d| d.rating_scale())
                            .unwrap_or_default();
                        for b in command::bindings() {
                            let what = match &b.command {
                                Command::SetVerdict(0) => "Clear the verdict".to_owned(),
                                Command::SetVerdict(n) => match scale.ratings.get(n - 1) {
                                    Some(r) => format!("Verdict: {}", r.name),
                                    None => continue,
                                },
                                c => c.label(),
                            };
                            ui.monospace(ctx.format_shortcut(&b.shortcut));
                            ui.label(what);
                            ui.end_row();
                        }
                    });
                    if self.workspace.is_some() {
                        let scale = self
                            .doc
                            .as_ref()
                            .map(|d| d.rating_scale())
                            .unwrap_or_default();
                        ui.add_space(6.0);
                        ui.strong("In the review queue");
                        egui::Grid::new("queue_shortcuts").striped(true).show(ui, |ui| {
                            for b in command::review_bindings() {
                                let what = match &b.command {
                                    Command::SetVerdict(0) => "Clear the verdict".to_owned(),
                                    Command::SetVerdict(n) => match scale.ratings.get(n - 1) {
                                        Some(r) => format!("Verdict: {}", r.name),
                                        None => continue,
                                    },
                                    c => c.label(),
                                };
                                ui.monospace(ctx.format_shortcut(&b.shortcut));
                                ui.label(what);
                                ui.end_row();
                            }
                        });
                    }
                    ui.add_space(6.0);
                    ui.weak("Single-key shortcuts work when no text box has the cursor (press Esc to leave one).");
                });
            });
        if !open {
            self.show_shortcuts = false;
        }
    }

    /// Saves pending edits (used on close).
    pub fn save_now(&mut self) -> bool {
        self.flush_save()
    }

    /// True once a close was requested and the app is saving first.
    pub fn closing(&self) -> bool {
        self.pending_close
    }
}

fn tooltip(a: &crate::model::Annotation) -> String {
    let mut t = format!("{}: {}", a.label, preview(&a.statement, 200));
    if let Some(v) = &a.verdict {
        t.push_str(&format!("\nVerdict: {v}"));
    }
    t.push_str(&format!("\nStatus: {}", a.status));
    t
}

/// "1 claim", "2 claims".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A small square in a label's colour.
fn swatch(ui: &mut Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

fn banner(ui: &mut Ui, color: Color32, add: impl FnOnce(&mut Ui)) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.15))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(4.0)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(add);
        });
    ui.add_space(4.0);
}

impl eframe::App for FactmarkApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if ui.ctx().input(|i| i.viewport().close_requested()) {
            // Save on close; if that fails, keep the window open so nothing is lost.
            if !self.flush_save() {
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
        }
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.settings);
    }

    fn on_exit(&mut self) {
        self.flush_save();
    }
}

/// The story to open when none is given: the most recent one that still exists, else the
/// bundled example.
fn default_story(settings: &Settings) -> Result<PathBuf, String> {
    if let Some(p) = settings.recent.iter().find(|p| p.is_file()) {
        return Ok(p.clone());
    }
    example_story_path()
}

/// The bundled example: the copy in the source tree when run from a checkout, else a copy
/// written once to the user's data folder.
pub fn example_story_path() -> Result<PathBuf, String> {
    let in_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/example-story.txt");
    if in_tree.is_file() {
        return Ok(in_tree);
    }
    let dirs = directories::ProjectDirs::from("org", "factmark", "factmark")
        .ok_or("could not find a folder for the example story")?;
    let path = dirs.data_dir().join("example-story.txt");
    if !path.is_file() {
        std::fs::create_dir_all(dirs.data_dir()).map_err(|e| e.to_string())?;
        crate::store::write_atomic(&path, EXAMPLE_STORY.as_bytes(), false)
            .map_err(|e| e.to_string())?;
    }
    Ok(path)
}

/// Opens the window on `path` (a story), the last story, or the bundled example.
pub fn run(path: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("factmark")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true)
            .with_icon(app_icon()),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "factmark",
        options,
        Box::new(move |cc| {
            crate::ui::fonts::install_fallbacks(&cc.egui_ctx);
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, STORAGE_KEY))
                .unwrap_or_default();
            let mut app = FactmarkApp::new(settings, Box::new(NativePicker));
            let target = match path {
                Some(p) => Ok(p),
                None => default_story(&app.settings),
            };
            match target {
                Ok(p) => app.open(&p),
                Err(e) => app.error(e),
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}

fn app_icon() -> egui::IconData {
    let bytes = include_bytes!("../assets/icon.png");
    eframe::icon_data::from_png_bytes(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_story_is_bundled_and_decodes() {
        let path = example_story_path().expect("example");
        let story = crate::text::load_story(&path).expect("decodes");
        assert!(story.text.as_str().contains("Harbour Bridge"));
    }
}
