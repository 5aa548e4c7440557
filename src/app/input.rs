//! Reading the keyboard and dropped files each frame: which keys are commands in the view
//! shown, and the care Esc needs when a text box has the keyboard (the box keeps the keys
//! typed before the Esc; those after it wait a frame).

use std::path::PathBuf;

use eframe::egui;

use crate::app::command::{self, Command, View};
use crate::app::dispatch::FactmarkApp;

impl FactmarkApp {
    /// Keys become commands (which keys depends on the view), and so does a dropped file.
    pub(super) fn read_input(&mut self, ctx: &egui::Context) {
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
}

/// Left alone, egui drops a text box's focus on Esc before the frame is drawn: the keys
/// typed in the same frame as the Esc never reached the box (under Xvfb, "round." typed fast
/// then Esc was saved as "r"). So the focused text box is told to keep Esc; the app gets it
/// as [`Command::ClearSelection`] and leaves the box only after the box took the frame's
/// keys. egui has no getter for the box's own filter, so the rest is restated: arrows stay
/// in the box, Tab moves on, except in the path dialog, whose box completes on Tab.
pub(super) fn keep_escape_for_the_app(ctx: &egui::Context, tab_completes: bool) {
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
