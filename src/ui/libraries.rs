//! The claim libraries editor (SPEC 12): folders of stories already checked (a desk's
//! archive, a shared drive) that claim memory searches and matches, read-only.
//!
//! [`libraries_section`] draws the list and its buttons; the Preferences window shows it as
//! its "Claim libraries" section (File → Claim libraries… opens Preferences). It returns
//! commands; the list itself is changed by the app.

use std::path::PathBuf;

use eframe::egui::Ui;

use crate::app::command::Command;

/// The list of claim libraries with "Add" and "Remove" buttons.
pub fn libraries_section(ui: &mut Ui, libraries: &[PathBuf]) -> Option<Command> {
    let mut out = None;
    ui.label(
        "Folders of stories already checked. Their claims show in search and in \
         \u{201c}Checked before\u{201d}; factmark never writes to them.",
    );
    ui.add_space(4.0);
    if libraries.is_empty() {
        ui.weak("No claim library yet.");
    }
    for (n, path) in libraries.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .small_button("Remove")
                .on_hover_text("Stop using this folder (its files are untouched)")
                .clicked()
            {
                out = Some(Command::RemoveLibrary(n));
            }
            ui.label(path.display().to_string());
        });
    }
    ui.add_space(4.0);
    if ui.button(Command::AddLibrary.label()).clicked() {
        out = Some(Command::AddLibrary);
    }
    out
}
