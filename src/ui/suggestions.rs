//! The suggestion bar above the reader (SPEC 13): how many suggested claims the story has,
//! the one walked to with its score, reasons and claimant, and buttons for the commands.
//! It only draws and returns [`Command`]s.

use eframe::egui::{self, Ui};

use crate::app::command::Command;
use crate::app::suggestions::{Suggestions, describe};
use crate::ui::fmt::{plural, preview};

/// Draws the bar while suggestions are on.
pub fn suggestion_bar_ui(ui: &mut Ui, s: &Suggestions) -> Vec<Command> {
    let mut out = Vec::new();
    if !s.on {
        return out;
    }
    let button = |ui: &mut Ui, out: &mut Vec<Command>, text: &str, c: Command| {
        let shortcut = c
            .shortcut()
            .map(|k| format!(" ({})", ui.ctx().format_shortcut(&k)))
            .unwrap_or_default();
        if ui
            .button(text)
            .on_hover_text(format!("{}{shortcut}", c.label()))
            .clicked()
        {
            out.push(c);
        }
    };
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, ui.visuals().weak_text_color()))
        .corner_radius(4.0)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                if s.pending() {
                    ui.spinner();
                    ui.label("Looking for check-worthy sentences…");
                    return;
                }
                ui.strong(format!("Suggested: {}", plural(s.shown().len(), "claim")));
                button(ui, &mut out, "Previous", Command::PreviousSuggestion);
                button(ui, &mut out, "Next", Command::NextSuggestion);
                if let Some(c) = s.current() {
                    button(ui, &mut out, "Accept (C)", Command::AcceptSuggestion);
                    button(ui, &mut out, "Dismiss (X)", Command::DismissSuggestion);
                    ui.label(format!("\"{}\"", preview(&c.text, 80)));
                    ui.weak(describe(c));
                } else {
                    ui.weak("Alt+J walks them, best first.");
                }
            });
        });
    ui.add_space(4.0);
    out
}
