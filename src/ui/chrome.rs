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
                m.item(ui, Command::OtherStory(1));
                m.item(ui, Command::OtherStory(-1));
                m.item(ui, Command::FocusFilter);
                m.item(ui, Command::AddWebSource);
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

/// The shortcut sheet's window (tests find its rect by it).
pub fn shortcut_sheet_id() -> egui::Id {
    egui::Id::unique("factmark_shortcut_sheet")
}

/// A row of the shortcut sheet: the keys (empty for a section heading) and what they do.
struct SheetRow {
    keys: String,
    what: String,
}

/// The sheet's rows: label keys first, then every binding, one row per command (its keys
/// joined), then the review queue's keys under a heading.
fn sheet_rows(
    ctx: &egui::Context,
    labels: &[Label],
    scale: &RatingScale,
    has_workspace: bool,
) -> Vec<SheetRow> {
    let mut rows = Vec::new();
    for l in labels {
        if let Some(k) = l.key {
            rows.push(SheetRow {
                keys: k.to_ascii_uppercase().to_string(),
                what: format!("Mark the selection as {}", l.name),
            });
        }
    }
    // A label key with no selection accepts the suggestion walked to.
    if let Some(k) = labels
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case("claim"))
        .and_then(|l| l.key)
    {
        rows.push(SheetRow {
            keys: k.to_ascii_uppercase().to_string(),
            what: format!("{} (no selection)", Command::AcceptSuggestion.label()),
        });
    }
    let grouped = |rows: &mut Vec<SheetRow>, bindings: Vec<command::Binding>| {
        let mut seen: Vec<(Command, usize)> = Vec::new();
        for b in bindings {
            let keys = ctx.format_shortcut(&b.shortcut);
            if let Some((_, at)) = seen.iter().find(|(c, _)| c == &b.command) {
                let row: &mut SheetRow = &mut rows[*at];
                row.keys.push_str(", ");
                row.keys.push_str(&keys);
                continue;
            }
            let what = match &b.command {
                Command::SetVerdict(0) => "Clear the verdict".to_owned(),
                Command::SetVerdict(n) => match scale.ratings.get(n - 1) {
                    Some(r) => format!("Verdict: {}", r.name),
                    None => continue,
                },
                c => c.label(),
            };
            seen.push((b.command.clone(), rows.len()));
            rows.push(SheetRow { keys, what });
        }
    };
    grouped(&mut rows, command::bindings());
    if has_workspace {
        rows.push(SheetRow {
            keys: String::new(),
            what: "In the review queue".to_owned(),
        });
        grouped(&mut rows, command::review_bindings());
    }
    rows
}

/// The keyboard-shortcut sheet; `open` is cleared when the user closes it. It lays its rows
/// out in as many columns as it takes to fit the window; only when the window is too small
/// even for that does it scroll, and then `scroll` (the scrolling keys, while it is open)
/// moves it.
pub fn shortcuts_window(
    ctx: &egui::Context,
    labels: &[Label],
    scale: &RatingScale,
    has_workspace: bool,
    open: &mut bool,
    scroll: &[command::Scroll],
) {
    let rows = sheet_rows(ctx, labels, scale, has_workspace);
    let screen = ctx.content_rect();
    let row_height = ctx.global_style().spacing.interact_size.y + 2.0;
    // Title bar, margins and the footnote take about this much.
    let room = (screen.height() - 140.0).max(row_height * 4.0);
    let column_width = 330.0;
    let most_columns = ((screen.width() - 60.0) / column_width).floor().max(1.0) as usize;
    let per_column = ((room / row_height).floor() as usize)
        .max(rows.len().div_ceil(most_columns))
        .max(1);
    // As many columns as that takes, filled evenly.
    let per_column = rows
        .len()
        .div_ceil(rows.len().div_ceil(per_column).max(1))
        .max(1);
    egui::Window::new("Keyboard shortcuts")
        // Its own id: the size remembered for the old one-column, resizable sheet would
        // keep this one small.
        .id(shortcut_sheet_id())
        .open(open)
        .collapsible(false)
        .resizable(false)
        .max_height(screen.height() - 40.0)
        .show(ctx, |ui| {
            let content = |ui: &mut Ui| {
                ui.horizontal_top(|ui| {
                    for (n, column) in rows.chunks(per_column).enumerate() {
                        egui::Grid::new(("shortcuts", n))
                            .striped(true)
                            .min_col_width(60.0)
                            .show(ui, |ui| {
                                for row in column {
                                    if row.keys.is_empty() {
                                        ui.label("");
                                        ui.strong(&row.what);
                                    } else {
                                        ui.monospace(&row.keys);
                                        ui.label(&row.what);
                                    }
                                    ui.end_row();
                                }
                            });
                        ui.add_space(12.0);
                    }
                });
                ui.add_space(6.0);
                ui.weak("Single-key shortcuts work when no text box has the cursor (press Esc to leave one).");
            };
            if per_column as f32 * row_height <= room {
                content(ui);
                return;
            }
            egui::ScrollArea::vertical()
                .max_height(room + 40.0)
                .show(ui, |ui| {
                    let step = row_height * 3.0;
                    let page = (room - row_height * 2.0).max(step);
                    for s in scroll {
                        let dy = match s {
                            command::Scroll::LineDown => -step,
                            command::Scroll::LineUp => step,
                            command::Scroll::PageDown => -page,
                            command::Scroll::PageUp => page,
                            command::Scroll::End => -f32::from(u16::MAX),
                            command::Scroll::Start => f32::from(u16::MAX),
                        };
                        ui.scroll_with_delta(egui::vec2(0.0, dy));
                    }
                    content(ui);
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
