//! The window's frame loop, and nothing else: each frame it polls (the worker's results,
//! the file dialog, the folder scan), reads the keys, lets the panels draw (they return
//! [`Command`]s), then drains the queue through [`dispatch`] and sets the timers it needs.
//!
//! Where things live:
//! - [`command`]: every user action, its label and shortcut;
//! - [`dispatch`]: the state and the command handlers; [`results`]: the worker's results;
//! - [`session`]: one open story's state; [`workspace_session`]: one open folder's;
//! - [`io`]: dialogs and the worker thread (all disk work); [`exports`]: export tasks;
//! - [`prefs`]: what is remembered between runs; [`dialogs`]: the Preferences window's,
//!   the name prompt's and the path dialog's commands; [`paths`]: typed paths (completion,
//!   checks) for the path dialog;
//! - `crate::ui`: the panels.
//!
//! The window repaints only on input, when the worker finished something (it calls
//! `request_repaint`), or when a timer this loop set is due (autosave, a scan's progress,
//! a dialog being open). Nothing here reads or writes a file.

pub mod command;
pub mod dialogs;
pub mod dispatch;
pub mod exports;
pub mod io;
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

use std::path::PathBuf;
use std::time::Duration;

use eframe::egui::{self, Ui};

pub use crate::ui::fmt::plural;
pub use command::{Command, View};
pub use dispatch::{AUTOSAVE_DELAY, Effect, FactmarkApp};
pub use io::{FilePicker, NativePicker, PickOutcome, PickRequest};
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
        keep_escape_for_the_app(&ctx, self.path_dialog.is_some());
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

    /// Keys become commands (which keys depends on the view), and so does a dropped file.
    fn read_input(&mut self, ctx: &egui::Context) {
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
        // egui drops a text box's focus on Esc before this frame's keys are read: without
        // the last frame's answer, the app took that Esc as "deselect" (dropping the claim
        // being edited) and the keys typed with it as single-key shortcuts.
        let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
        self.typing = ctx.text_edit_focused() || (escape && self.was_typing);
        self.defer_input_after_escape(ctx);
        // Space on a focused button presses it; it pages the story only from the story
        // itself or when nothing has the keyboard.
        let elsewhere = ctx
            .memory(|m| m.focused())
            .is_some_and(|id| id != crate::ui::reader::Reader::text_id());
        // An open menu or drop-down takes Esc itself (egui closes it while drawing).
        let menu_open = egui::Popup::is_any_open(ctx);
        let bindings: Vec<command::Binding> = bindings
            .into_iter()
            .filter(|b| !(elsewhere && b.shortcut.logical_key == egui::Key::Space))
            .filter(|b| !(menu_open && b.shortcut.logical_key == egui::Key::Escape))
            .collect();
        let pressed = command::pressed(ctx, &bindings, self.typing);
        self.queue.extend(pressed);
        let dropped: Option<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            self.queue.push(Command::OpenPath(path));
        }
    }

    /// Keys that came after an Esc in the same frame (fast typing, a slow frame) belong to
    /// after the text box is left: "round." Esc 5 must give the claimant "round." and the
    /// verdict 5. So while a box has the keyboard, the frame's input is cut after its first
    /// Esc and the rest is held for the next frame.
    fn defer_input_after_escape(&mut self, ctx: &egui::Context) {
        let held = std::mem::take(&mut self.held_input);
        let typing = self.typing;
        let rest = ctx.input_mut(|i| {
            let mut events = held;
            events.append(&mut i.events);
            let cut = typing
                .then(|| {
                    events.iter().position(|e| {
                        matches!(
                            e,
                            egui::Event::Key {
                                key: egui::Key::Escape,
                                pressed: true,
                                ..
                            }
                        )
                    })
                })
                .flatten();
            let rest = cut.map(|at| events.split_off(at + 1)).unwrap_or_default();
            i.events = events;
            rest
        });
        if !rest.is_empty() {
            self.held_input = rest;
            ctx.request_repaint();
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

impl FactmarkApp {
    /// For the signal test (`tests/ui/signal_exit.rs`): once a story is open, highlight
    /// the `FACTMARK_TEST_ANNOTATE` quote as a claim, as a person would, and say so.
    fn test_hook(&mut self) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let Some(quote) = self.test_annotate.take() else {
            return;
        };
        let text = &s.doc.story.text;
        let Some(byte) = text.as_str().find(&quote) else {
            eprintln!("factmark: test hook: quote not in the story");
            return;
        };
        let start = text.byte_to_char(byte);
        let span = crate::anchor::Span::new(start, start + quote.chars().count());
        if s.doc.create(span, "Claim", &self.settings.author).is_ok() {
            s.edited();
            eprintln!("factmark: test hook: annotated");
        }
    }
}

/// Left alone, egui drops a text box's focus on Esc before the frame is drawn: the keys
/// typed in the same frame as the Esc never reached the box (under Xvfb, "round." typed fast
/// then Esc was saved as "r"). So the focused text box is told to keep Esc; the app gets it
/// as [`Command::ClearSelection`] and leaves the box only after the box took the frame's
/// keys. egui has no getter for the box's own filter, so the rest is restated: arrows stay
/// in the box, Tab moves on, except in the path dialog, whose box completes on Tab.
fn keep_escape_for_the_app(ctx: &egui::Context, tab_completes: bool) {
    if !ctx.text_edit_focused() {
        return;
    }
    ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.set_focus_lock_filter(
                id,
                egui::EventFilter {
                    tab: tab_completes,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: true,
                },
            );
        }
    });
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
        // The window's first frame installs the same provider (`ui::fonts`), so the UI
        // tests see the fonts the window does.
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "factmark",
        options,
        Box::new(move |cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, prefs::STORAGE_KEY))
                .unwrap_or_default();
            let mut app = FactmarkApp::new(settings, Box::new(NativePicker));
            app.io.set_context(&cc.egui_ctx);
            match signals::ExitSignals::install() {
                Ok(s) => {
                    s.set_context(&cc.egui_ctx);
                    app.exit_signals = Some(s);
                }
                Err(e) => eprintln!("factmark: edits will not be saved on SIGTERM: {e}"),
            }
            app.test_annotate = std::env::var("FACTMARK_TEST_ANNOTATE").ok();
            let target = match path {
                Some(p) => Ok(p),
                None => prefs::default_story(&app.settings),
            };
            match target {
                Ok(p) => app.open(&p),
                Err(e) => app.enqueue(Command::ShowError(e)),
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}

fn app_icon() -> egui::IconData {
    let bytes = include_bytes!("../../assets/icon.png");
    eframe::icon_data::from_png_bytes(bytes).unwrap_or_default()
}
