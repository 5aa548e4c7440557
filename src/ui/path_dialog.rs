//! The path dialog: factmark's own file dialog, shown when the system's cannot open (no
//! desktop portal and no zenity). A typed path with completion (Tab), the recent folders,
//! and a clear message when the path cannot be used.
//!
//! It draws and returns [`Command::ChoosePath`] / [`Command::ClosePathDialog`]; the app
//! checks the path ([`crate::app::paths::check`]) and uses it for what the dialog was
//! opened for. Nothing here changes a document.

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key};

use crate::app::command::Command;
use crate::app::io::{Pending, PickRequest};
use crate::app::paths::{self, PathKind};

/// The path dialog's state.
#[derive(Debug)]
pub struct PathDialog {
    /// What the chosen path is for.
    pub purpose: Pending,
    pub request: PickRequest,
    /// The box's text.
    pub text: String,
    /// Why the last path was refused (shown in the error colour), or a question.
    pub message: Option<String>,
    /// A save onto this existing file waits for a second Enter.
    pub confirm_replace: Option<PathBuf>,
    /// Names matching the last Tab, when several did.
    pub candidates: Vec<String>,
    /// Why the system dialog could not open.
    pub reason: String,
    /// Folders offered with one click (recent stories' and folders').
    pub recent: Vec<PathBuf>,
    focus: bool,
    /// Put the cursor at the end of the text (after a completion).
    cursor_to_end: bool,
    /// Input from a Tab on, held for the next frame (see `path_dialog_ui`).
    deferred: Vec<egui::Event>,
}

impl PathDialog {
    /// A dialog for `request`, prefilled with its folder (and file name, for a save).
    pub fn new(
        purpose: Pending,
        request: PickRequest,
        reason: String,
        recent: Vec<PathBuf>,
    ) -> Self {
        let dir = request
            .start_dir()
            .map(Path::to_owned)
            .or_else(|| recent.first().cloned())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let mut text = dir.display().to_string();
        if !text.ends_with('/') {
            text.push('/');
        }
        if let PickRequest::SaveExport { file_name, .. } = &request {
            text.push_str(file_name);
        }
        Self {
            purpose,
            request,
            text,
            message: None,
            confirm_replace: None,
            candidates: Vec::new(),
            reason,
            recent,
            focus: true,
            cursor_to_end: true,
            deferred: Vec::new(),
        }
    }

    /// What the typed path must name.
    pub fn kind(&self) -> PathKind {
        match self.request {
            PickRequest::Story { .. } | PickRequest::Annotations { .. } => PathKind::ExistingFile,
            PickRequest::Folder { .. } => PathKind::Folder,
            PickRequest::SaveExport { .. } => PathKind::NewFile,
        }
    }

    /// Where relative paths start.
    pub fn base(&self) -> PathBuf {
        self.request
            .start_dir()
            .map(Path::to_owned)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
    }

    pub fn title(&self) -> &'static str {
        match (&self.purpose, &self.request) {
            (Pending::SaveCopy, _) => "Save a copy of the annotations",
            (_, PickRequest::Story { .. }) => "Open a story",
            (_, PickRequest::Folder { .. }) => "Open a folder of stories",
            (_, PickRequest::Annotations { .. }) => "Import annotations",
            (_, PickRequest::SaveExport { .. }) => "Export to",
        }
    }

    /// Says why the path was not used, and gives the box the keyboard back (Enter took it)
    /// so the person can correct the path at once.
    pub fn refuse(&mut self, message: String) {
        self.message = Some(message);
        self.confirm_replace = None;
        self.focus = true;
        self.cursor_to_end = true;
    }

    /// Completes the typed path (what Tab does).
    pub fn complete(&mut self) {
        let c = paths::complete(&self.text, &self.base(), self.kind());
        self.text = c.text;
        self.candidates = c.candidates;
        self.message = None;
        self.confirm_replace = None;
        self.cursor_to_end = true;
    }
}

/// Draws the path dialog.
pub fn path_dialog_ui(ctx: &egui::Context, d: &mut PathDialog) -> Vec<Command> {
    let mut out = Vec::new();
    let mut open = true;
    let id = egui::Id::unique("path_dialog_text");
    egui::Window::new(d.title())
        .id(egui::Id::unique("path_dialog"))
        .open(&mut open)
        // First shown in the middle of the window, clear of the menu bar (later where the
        // person moved it: egui remembers).
        .default_pos(ctx.content_rect().center() - egui::vec2(280.0, 160.0))
        .collapsible(false)
        .resizable(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.weak(format!(
                "{}: type a path. Tab completes it.",
                capitalise(&d.reason)
            ));
            ui.add_space(4.0);
            // Fast typing (or a slow frame) can bring "de", Tab, "sk" in one frame, and the
            // box would take all the letters before the Tab is seen. So the frame's input is
            // cut at the first Tab: the box gets what came before it, the rest waits.
            if ctx.memory(|m| m.has_focus(id)) {
                ui.input_mut(|i| {
                    let mut events = std::mem::take(&mut d.deferred);
                    events.append(&mut i.events);
                    if let Some(tab) = events.iter().position(is_tab_press) {
                        d.deferred = events.split_off(tab);
                    }
                    i.events = events;
                });
            }
            let label = ui.label("Path");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut d.text)
                        .id(id)
                        .lock_focus(true)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            // Tab completes instead of moving the keyboard focus (`lock_focus` keeps it),
            // after the box took the typing before it; what came after waits a frame.
            if d.deferred.first().is_some_and(is_tab_press) {
                d.deferred.remove(0);
                d.complete();
                ctx.request_repaint();
            }
            if std::mem::take(&mut d.cursor_to_end)
                && let Some(mut state) = egui::TextEdit::load_state(ctx, id)
            {
                let end = egui::text::CCursor::new(d.text.chars().count());
                state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(end)));
                state.store(ctx, id);
            }
            if std::mem::take(&mut d.focus) {
                r.request_focus();
            }
            if r.changed() {
                d.message = None;
                d.confirm_replace = None;
            }
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if !d.candidates.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for c in &d.candidates {
                        ui.monospace(c);
                    }
                });
            }
            if let Some(m) = &d.message {
                ui.colored_label(ui.visuals().error_fg_color, m);
            }
            if !d.recent.is_empty() {
                ui.add_space(4.0);
                ui.label("Recent folders");
                let mut chosen = None;
                for dir in &d.recent {
                    if ui.link(dir.display().to_string()).clicked() {
                        chosen = Some(dir.clone());
                    }
                }
                if let Some(dir) = chosen {
                    d.text = format!("{}/", dir.display());
                    d.candidates.clear();
                    d.message = None;
                    d.focus = true;
                    d.cursor_to_end = true;
                }
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let verb = match d.kind() {
                    PathKind::NewFile => "Save",
                    _ => "Open",
                };
                if ui.button(verb).clicked() || enter {
                    out.push(Command::ChoosePath(PathBuf::from(d.text.trim())));
                }
                if ui.button("Cancel").clicked() {
                    out.push(Command::ClosePathDialog);
                }
            });
        });
    if !open {
        out.push(Command::ClosePathDialog);
    }
    out
}

fn is_tab_press(event: &egui::Event) -> bool {
    matches!(
        event,
        egui::Event::Key {
            key: Key::Tab,
            pressed: true,
            modifiers,
            ..
        } if modifiers.is_none()
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
