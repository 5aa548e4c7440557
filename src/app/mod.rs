//! The window's frame loop, and nothing else: each frame it polls (the worker's results,
//! the file dialog, the folder scan), reads the keys, lets the panels draw (they return
//! [`Command`]s), then drains the queue through [`dispatch`] and sets the timers it needs.
//!
//! Where things live:
//! - [`command`]: every user action, its label and shortcut; [`input`]: keys and dropped
//!   files become commands;
//! - [`dispatch`]: the state and the command handlers; the handlers of one subject sit
//!   beside it: [`annotate`] (editing the selected annotation), [`navigate`] (walking a
//!   folder's stories), [`suggestion_commands`], [`memory_actions`] (Checked before,
//!   links, same-claim groups), [`dialogs`] (Preferences, name prompt, path dialog);
//! - [`results`]: what the worker finished; [`exports`]: export tasks;
//! - [`session`]: one open story's state ([`suggestions`] is part of it);
//!   [`workspace_session`]: one open folder's;
//! - [`io`]: dialogs and the worker thread (all story and sidecar disk work); [`memory`]:
//!   the claim-memory thread (index, search, Checked before); [`signals`]: saving on
//!   SIGTERM/HUP/INT;
//! - [`prefs`]: what is remembered between runs; [`paths`]: typed paths (completion, checks)
//!   for the path dialog; [`launch`]: starting the window;
//! - `crate::ui`: the panels.
//!
//! The window repaints only on input, when the worker finished something (it calls
//! `request_repaint`), or when a timer this loop set is due (autosave, a scan's progress,
//! a dialog being open). Nothing here reads or writes a file.

pub mod annotate;
pub mod command;
pub mod dialogs;
pub mod dispatch;
pub mod exports;
pub mod input;
pub mod io;
pub mod launch;
pub mod memory;
pub mod memory_actions;
pub mod navigate;
pub mod paths;
pub mod prefs;
pub mod results;
pub mod session;
pub mod signals;
pub mod suggestion_commands;
pub mod suggestions;
pub mod workspace_session;

#[cfg(test)]
mod tests;

use std::time::Duration;

use eframe::egui::{self, Ui};

pub use crate::ui::fmt::plural;
pub use command::{Command, View};
pub use dispatch::{AUTOSAVE_DELAY, Effect, FactmarkApp};
pub use io::{FilePicker, NativePicker, PickOutcome, PickRequest};
pub use launch::run;
pub use prefs::{EXAMPLE_STORY, Settings, example_story_path};

/// How often a running scan's progress bar and an open file dialog are looked at (neither
/// wakes the window by itself).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

impl FactmarkApp {
    /// Draws one frame. (Separate from `eframe::App` so tests drive it with kittest.)
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.io.set_context(&ctx);
        self.memory.set_context(&ctx);
        self.apply_look(&ctx);
        let scanning = self.poll();
        self.test_hook();
        if self.exit_signals.as_ref().is_some_and(|s| {
            s.set_context(&ctx);
            s.received()
        }) {
            // Logout, shutdown or Ctrl+C: save what is pending now, then close (the close
            // saves again, which finds nothing left to do).
            self.save_now();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.read_input(&ctx);
        let drawn = self.draw(ui);
        let shown = self.show_pending_span();
        self.queue.extend(drawn);
        let acted = shown || !self.queue.is_empty();
        self.drain();
        for effect in std::mem::take(&mut self.effects) {
            apply_effect(&ctx, effect);
        }
        // Esc makes egui drop a text box's focus before the next frame's keys are read;
        // remember that one had it, so that Esc only leaves the box (see `read_input`).
        self.was_typing = ctx.text_edit_focused();
        input::keep_escape_for_the_app(&ctx, self.path_dialog.is_some());
        self.sync_workspace();
        self.sync_memory();
        self.update_title(&ctx);
        // Timers: only what is due later. A command's result is drawn by one more frame.
        if acted {
            ctx.request_repaint();
        }
        if let Some(due) = self.autosave_due() {
            ctx.request_repaint_after(due);
        }
        let scoring = self
            .session
            .as_ref()
            .is_some_and(|s| s.suggestions.pending());
        if scanning || scoring || self.io.picking() {
            ctx.request_repaint_after(PROGRESS_EVERY);
        }
    }

    fn draw(&mut self, ui: &mut Ui) -> Vec<Command> {
        let ctx = ui.ctx().clone();
        let mut out = crate::ui::chrome::menu_bar_ui(
            ui,
            &self.settings,
            self.session.as_ref().map(|s| &s.doc),
            self.workspace.is_some(),
        );
        if let Some(ws) = &self.workspace {
            out.extend(crate::ui::chrome::view_bar_ui(
                ui,
                &ws.state.root,
                self.view,
            ));
        }
        crate::ui::chrome::status_bar_ui(
            ui,
            self.session.as_ref(),
            self.status(),
            self.status_is_error(),
        );
        crate::ui::memory::indexing_bar_ui(ui, &self.memory.indexing);
        match &mut self.workspace {
            Some(ws) if self.view != View::Story => {
                let doc = self.session.as_ref().map(|s| &s.doc);
                out.extend(crate::ui::folder::workspace_ui(ui, ws, self.view, doc));
            }
            _ => {
                let workspace = self.workspace.as_ref().and_then(|w| w.loaded());
                out.extend(crate::ui::story_view::story_view_ui(
                    ui,
                    self.session.as_mut(),
                    workspace,
                    &self.settings,
                    &self.status.0,
                ));
            }
        }
        let labels = self.labels();
        let scale = self.doc().map(|d| d.rating_scale()).unwrap_or_default();
        if self.show_shortcuts {
            crate::ui::chrome::shortcuts_window(
                &ctx,
                &labels,
                &scale,
                self.workspace.is_some(),
                &mut self.show_shortcuts,
                &std::mem::take(&mut self.sheet_scrolls),
            );
        }
        if self.memory.search.open {
            out.extend(crate::ui::memory::search_window_ui(
                &ctx,
                &mut self.memory.search,
            ));
        }
        if let Some(s) = &mut self.session {
            out.extend(s.story_meta.window(&ctx, &s.doc));
        }
        if self.export.open
            && self.session.is_some()
            && let Some(choice) = self.export.show(&ctx, &labels, &scale)
        {
            out.push(Command::ExportWith(Box::new(choice)));
        }
        out.extend(self.dialogs_ui(&ctx));
        out
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            crate::ui::fonts::install(ctx);
            self.fonts_installed = true;
        }
        let want = (self.settings.dark, self.settings.zoom);
        if self.applied_look != Some(want) {
            ctx.set_theme(if self.settings.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            ctx.set_zoom_factor(self.settings.zoom);
            self.applied_look = Some(want);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match self.doc() {
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
}

fn apply_effect(ctx: &egui::Context, effect: Effect) {
    match effect {
        Effect::Close => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        Effect::OpenUrl(url) => ctx.open_url(egui::OpenUrl::new_tab(url)),
        Effect::SurrenderFocus => ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        }),
    }
}

impl eframe::App for FactmarkApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if ui.ctx().input(|i| i.viewport().close_requested()) {
            // Save on close (waiting for the worker is fine here); if that fails, keep the
            // window open so nothing is lost.
            if !self.save_now() {
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
        }
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, prefs::STORAGE_KEY, &self.settings);
    }

    fn on_exit(&mut self) {
        self.save_now();
    }
}
