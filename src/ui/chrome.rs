//! The window's chrome: menu bar, the workspace's view tabs, the status bar and the
//! keyboard-shortcut sheet (F1).
//!
//! Menus and tabs return the [`Command`]s the user chose; labels and shortcuts come from
//! [`crate::app::command`], so menus and the sheet never disagree. Nothing here changes a
//! document, the workspace or the preferences (the name and the rest are set in the
//! Preferences window, `ui/prefs_window.rs`).

use std::path::Path;

use eframe::egui::{self, RichText, Ui};

use crate::app::command::{self, Command, View};
use crate::app::prefs::Settings;
use crate::app::session::StorySession;
use crate::document::Document;
use crate::model::{Label, RatingScale};
use crate::ui::fmt::{plural, preview};

/// Collects the commands chosen in the menus.
struct Menu {
    out: Vec<Command>,
}

impl Menu {
    fn item(&mut self, ui: &mut Ui, command: Command) {
        self.item_labelled(ui, command, None);
    }

    fn item_labelled(&mut self, ui: &mut Ui, command: Command, label: Option<String>) {
        let text = label.unwrap_or_else(|| command.label());
        let shortcut = command
            .shortcut()
            .map(|s| ui.ctx().format_shortcut(&s))
            .unwrap_or_default();
        if ui
            .add(egui::Button::new(text).shortcut_text(shortcut))
            .clicked()
        {
            self.out.push(command);
            ui.close();
        }
    }
}

/// The menu bar.
pub fn menu_bar_ui(
    ui: &mut Ui,
    settings: &Settings,
    doc: Option<&Document>,
    has_workspace: bool,
) -> Vec<Command> {
    let mut m = Menu { out: Vec::new() };
    let labels = doc
        .map(|d| d.labels())
        .unwrap_or_else(crate::model::default_labels);
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                m.item(ui, Command::Open);
                m.item(ui, Command::OpenFolder);
                ui.menu_button("Open recent", |ui| {
                    if settings.recent.is_empty() {
                        ui.weak("No recent stories");
                    }
                    for p in &settings.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            m.out.push(Command::OpenPath(p.clone()));
                            ui.close();
                        }
                    }
                });
                m.item(ui, Command::Save);
                m.item(ui, Command::SaveCopyAs);
                m.item(ui, Command::Reload);
                ui.separator();
                m.item(ui, Command::ShowStoryDetails);
                m.item(ui, Command::Export);
                m.item(ui, Command::Import);
                m.item(ui, Command::ShowLibraries);
                ui.separator();
                m.item(ui, Command::ShowPreferences);
                ui.separator();
                m.item(ui, Command::Quit);
            });
            ui.menu_button("Edit", |ui| {
                let undo = doc.and_then(|d| d.history().undo_label().map(|l| format!("Undo {l}")));
                let redo = doc.and_then(|d| d.history().redo_label().map(|l| format!("Redo {l}")));
                m.item_labelled(ui, Command::Undo, undo);
                m.item_labelled(ui, Command::Redo, redo);
                ui.separator();
                m.item(ui, Command::Find);
                m.item(ui, Command::FindNext);
                m.item(ui, Command::FindPrevious);
                m.item(ui, Command::SearchWorkspace);
                ui.separator();
                for (n, l) in labels.iter().enumerate() {
                    let text = format!("Mark selection as {}", l.name);
                    let shortcut = l.key.map(|k| k.to_ascii_uppercase().to_string());
                    let b = egui::Button::new(text).shortcut_text(shortcut.unwrap_or_default());
                    if ui.add(b).clicked() {
                        m.out.push(Command::ApplyLabel(n));
                        ui.close();
                    }
                }
                m.item(ui, Command::DeleteAnnotation);
                m.item(ui, Command::ConfirmAnchor);
                m.item(ui, Command::ReattachToSelection);
            });
            ui.menu_button("View", |ui| {
                if has_workspace {
                    for v in View::ALL {
                        m.item(ui, Command::ShowView(v));
                    }
                    m.item(ui, Command::ExportClaims);
                    ui.separator();
                }
                m.item(ui, Command::NextAnnotation);
                m.item(ui, Command::PreviousAnnotation);
                m.item(ui, Command::FocusFilter);
                ui.separator();
                m.item(ui, Command::ToggleSuggestions);
                m.item(ui, Command::NextSuggestion);
                m.item(ui, Command::PreviousSuggestion);
                m.item(ui, Command::AcceptSuggestion);
                m.item(ui, Command::DismissSuggestion);
                ui.separator();
                let theme = if settings.dark {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                m.item_labelled(ui, Command::ToggleTheme, Some(theme.into()));
                m.item(ui, Command::ZoomIn);
                m.item(ui, Command::ZoomOut);
                m.item(ui, Command::ZoomReset);
            });
            ui.menu_button("Help", |ui| {
                m.item(ui, Command::ShowShortcuts);
                ui.label(format!("factmark {}", env!("CARGO_PKG_VERSION")));
            });
        });
    });
    m.out
}

/// The tabs choosing the workspace's view.
pub fn view_bar_ui(ui: &mut Ui, root: &Path, view: View) -> Vec<Command> {
    let mut out = Vec::new();
    let root = root.display().to_string();
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
                    .selectable_label(view == v, v.name())
                    .on_hover_text(shortcut)
                    .clicked()
                {
                    out.push(Command::ShowView(v));
                }
            }
        });
    });
    out
}

/// The status bar: the story's encoding, size, counts and save state, and the message.
pub fn status_bar_ui(ui: &mut Ui, session: Option<&StorySession>, message: &str, error: bool) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(s) = session {
                let doc = &s.doc;
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
                ui.label(plural(story.text.len_chars(), "char"));
                ui.separator();
                let set = doc.annotations();
                let claims = set.iter().filter(|a| a.is_claim()).count();
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
                } else if s.save_failed {
                    ("Not saved!", ui.visuals().error_fg_color)
                } else if s.saving {
                    ("Saving…", ui.visuals().text_color())
                } else if doc.is_dirty() {
                    ("Unsaved changes", ui.visuals().text_color())
                } else {
                    ("All changes saved", ui.visuals().weak_text_color())
                };
                ui.colored_label(color, state);
                ui.separator();
            }
            let color = if error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.add(egui::Label::new(RichText::new(message).color(color)).truncate());
        });
    });
}

/// The keyboard-shortcut sheet; `open` is cleared when the user closes it.
pub fn shortcuts_window(
    ctx: &egui::Context,
    labels: &[Label],
    scale: &RatingScale,
    has_workspace: bool,
    open: &mut bool,
) {
    let verdict_row = |ui: &mut Ui, b: &command::Binding| {
        let what = match &b.command {
            Command::SetVerdict(0) => "Clear the verdict".to_owned(),
            Command::SetVerdict(n) => match scale.ratings.get(n - 1) {
                Some(r) => format!("Verdict: {}", r.name),
                None => return,
            },
            c => c.label(),
        };
        ui.monospace(ctx.format_shortcut(&b.shortcut));
        ui.label(what);
        ui.end_row();
    };
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(true)
        .default_width(420.0)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for l in labels {
                        if let Some(k) = l.key {
                            ui.monospace(k.to_ascii_uppercase().to_string());
                            ui.label(format!("Mark the selection as {}", l.name));
                            ui.end_row();
                        }
                    }
                    // A label key with no selection accepts the suggestion walked to.
                    if let Some(k) = labels
                        .iter()
                        .find(|l| l.name.eq_ignore_ascii_case("claim"))
                        .and_then(|l| l.key)
                    {
                        ui.monospace(k.to_ascii_uppercase().to_string());
                        ui.label(format!("{} (no selection)", Command::AcceptSuggestion.label()));
                        ui.end_row();
                    }
                    for b in command::bindings() {
                        verdict_row(ui, &b);
                    }
                });
                if has_workspace {
                    ui.add_space(6.0);
                    ui.strong("In the review queue");
                    egui::Grid::new("queue_shortcuts").striped(true).show(ui, |ui| {
                        for b in command::review_bindings() {
                            verdict_row(ui, &b);
                        }
                    });
                }
                ui.add_space(6.0);
                ui.weak("Single-key shortcuts work when no text box has the cursor (press Esc to leave one).");
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn menu_items_return_their_command_and_change_nothing_else() {
        let mut h = Harness::new_ui_state(
            |ui, out: &mut Vec<Command>| {
                let s = Settings::default();
                out.extend(menu_bar_ui(ui, &s, None, true));
            },
            Vec::new(),
        );
        h.get_by_label("View").click();
        h.run_steps(4);
        h.get_by_label("Show review queue Ctrl+3").click();
        h.run_steps(2);
        assert_eq!(h.state(), &vec![Command::ShowView(View::Review)]);
    }

    #[test]
    fn view_tabs_return_show_view() {
        let mut h = Harness::new_ui_state(
            |ui, out: &mut Vec<Command>| {
                out.extend(view_bar_ui(ui, Path::new("/tmp/folder"), View::Claims));
            },
            Vec::new(),
        );
        h.get_by_label("Statistics").click();
        h.run_steps(2);
        assert_eq!(h.state(), &vec![Command::ShowView(View::Statistics)]);
    }
}
