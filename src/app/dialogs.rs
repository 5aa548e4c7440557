//! The commands of the Preferences window, the first-run name prompt and the path dialog,
//! applied to the window's state.
//!
//! Like [`crate::app::dispatch`], plain functions on state; [`FactmarkApp::dialogs_ui`]
//! only hands the state to the `ui/` functions that draw these windows. The path dialog's
//! checks read the file system (a `stat`), nothing more; what the chosen path is for runs
//! as if the system dialog had returned it.

use std::path::PathBuf;
use std::time::Duration;

use crate::app::command::Command;
use crate::app::dispatch::FactmarkApp;
use crate::app::io::{Pending, PickRequest};
use crate::app::paths;
use crate::ui::path_dialog::{PathDialog, path_dialog_ui};
use crate::ui::prefs_window::{NamePrompt, PrefsContext, name_prompt_ui, prefs_window_ui};

impl FactmarkApp {
    /// Draws the open ones (Preferences, the path dialog, the name prompt on top).
    pub(super) fn dialogs_ui(&mut self, ctx: &eframe::egui::Context) -> Vec<Command> {
        let prefs = PrefsContext {
            settings: &self.settings,
        };
        let mut out = prefs_window_ui(ctx, &mut self.prefs, &prefs);
        if let Some(d) = &mut self.path_dialog {
            out.extend(path_dialog_ui(ctx, d));
        }
        if let Some(p) = &mut self.name_prompt {
            out.extend(name_prompt_ui(ctx, p));
        }
        out
    }

    /// Asks for the author's name (the first-run prompt), prefilled with `suggested`.
    pub fn ask_for_name(&mut self, suggested: Option<String>) {
        self.name_prompt = Some(NamePrompt::new(suggested));
    }

    /// Applies a preferences, name or path-dialog command; returns it back when it is
    /// none of those.
    pub(super) fn run_dialog_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::ShowPreferences => {
                if self.prefs.open {
                    self.prefs.open = false;
                } else {
                    self.prefs.open(&self.settings);
                }
            }
            Command::ClosePreferences => self.prefs.open = false,
            Command::SetAuthor(name) => self.settings.set_author(&name),
            Command::AcceptName(name) => {
                self.settings.set_author(&name);
                if !self.settings.needs_name() {
                    self.name_prompt = None;
                    let msg = format!(
                        "New highlights and comments will carry the name {}.",
                        self.settings.author
                    );
                    self.info(msg);
                }
            }
            Command::DeferName => {
                self.name_prompt = None;
                self.info("No name set: set yours in Preferences (Ctrl+,).");
            }
            Command::SetDarkTheme(dark) => self.settings.dark = dark,
            Command::SetTextSize(points) => self.settings.set_font_size(points),
            Command::SetAutosaveDelay(delay) => self.settings.set_autosave(delay),
            Command::ChoosePath(path) => self.choose_path(path),
            Command::ClosePathDialog => self.path_dialog = None,
            other => return Some(other),
        }
        None
    }

    /// Esc: closes the topmost of these dialogs. Returns false when none was open.
    pub(super) fn close_dialog(&mut self) -> bool {
        if self.path_dialog.take().is_some() {
            return true;
        }
        if self.name_prompt.is_some() {
            self.run_dialog_command(Command::DeferName);
            return true;
        }
        if self.prefs.open {
            self.prefs.open = false;
            return true;
        }
        false
    }

    /// No system dialog could open: ask with the path dialog instead.
    pub(super) fn open_path_dialog(
        &mut self,
        purpose: Pending,
        request: PickRequest,
        reason: String,
    ) {
        let recent = self.settings.recent_folders();
        self.path_dialog = Some(PathDialog::new(purpose, request, reason, recent));
    }

    /// The path dialog's Enter: use the path when it fits, else say why in the dialog.
    fn choose_path(&mut self, typed: PathBuf) {
        let Some(d) = &mut self.path_dialog else {
            return;
        };
        let typed = typed.to_string_lossy().into_owned();
        match paths::check(&typed, &d.base(), d.kind()) {
            Ok(checked)
                if checked.replaces && d.confirm_replace.as_ref() != Some(&checked.path) =>
            {
                d.refuse(format!(
                    "{} exists. Press Enter again to replace it.",
                    checked.path.display()
                ));
                d.confirm_replace = Some(checked.path);
            }
            Ok(checked) => {
                let Some(d) = self.path_dialog.take() else {
                    return;
                };
                self.picked(d.purpose, checked.path);
            }
            Err(problem) => {
                d.refuse(problem.to_string());
            }
        }
    }

    /// The autosave delay in force.
    pub fn autosave_delay(&self) -> Duration {
        self.settings.autosave_delay()
    }
}
