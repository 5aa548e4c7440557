//! The story view: the annotation list (left), the inspector (right), and in the middle
//! the banners, the find bar, the selection bar and the reader. With no story open it shows
//! a welcome, or the open folder's stories to pick from.
//!
//! It draws one [`StorySession`] and returns [`Command`]s for everything the user does.
//! It changes only the session's widget state (reader selection and scroll, list filter,
//! half-typed inspector entries, the find query): never the document.

use eframe::egui::{self, Color32, RichText, Ui};

use crate::app::command::Command;
use crate::app::prefs::Settings;
use crate::app::session::{FindBar, StorySession};
use crate::document::Document;
use crate::find::MAX_MATCHES;
use crate::model::AnnotationId;
use crate::ui::fmt::{plural, preview};
use crate::ui::inspector::{InspectorAction, InspectorContext};
use crate::ui::list::label_color;
use crate::ui::reader::ReaderInput;
use crate::workspace::Workspace;

/// The whole story view.
pub fn story_view_ui(
    ui: &mut Ui,
    session: Option<&mut StorySession>,
    workspace: Option<&Workspace>,
    settings: &Settings,
    status: &str,
) -> Vec<Command> {
    let mut out = Vec::new();
    let Some(s) = session else {
        egui::CentralPanel::default().show(ui, |ui| match workspace {
            Some(ws) => out.extend(story_picker_ui(ui, ws)),
            None => out.extend(welcome_ui(ui, status)),
        });
        return out;
    };
    // The side panels give way in a small window: the story keeps at least 40% of it.
    let width = ui.available_width();
    let list_max = (width * 0.28).clamp(150.0, 500.0);
    let inspector_max = (width * 0.32).clamp(180.0, 600.0);
    egui::Panel::left("annotations")
        .resizable(true)
        .default_size(300.0_f32.min(list_max))
        .size_range(150.0_f32.min(list_max)..=list_max)
        .show(ui, |ui| out.extend(list_panel_ui(ui, s)));
    egui::Panel::right("inspector")
        .resizable(true)
        .default_size(360.0_f32.min(inspector_max))
        .size_range(180.0_f32.min(inspector_max)..=inspector_max)
        .show(ui, |ui| {
            out.extend(inspector_panel_ui(ui, s, &settings.author))
        });
    egui::CentralPanel::default().show(ui, |ui| {
        out.extend(banners_ui(ui, s));
        if s.find.open {
            out.extend(find_bar_ui(ui, &mut s.find));
        }
        out.extend(selection_bar_ui(ui, s));
        s.suggestions.refresh(&s.doc, s.reader.place().top_char);
        out.extend(crate::ui::suggestions::suggestion_bar_ui(
            ui,
            &s.suggestions,
        ));
        s.refresh_find();
        out.extend(reader_ui(ui, s, settings.font_size));
    });
    out
}

fn welcome_ui(ui: &mut Ui, status: &str) -> Vec<Command> {
    let mut out = Vec::new();
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.heading("factmark");
        ui.label("Open a news story to highlight and check its claims.");
        if ui.button("Open story… (Ctrl+O)").clicked() {
            out.push(Command::Open);
        }
        ui.weak(status);
    });
    out
}

/// With a folder open and no story yet: its stories, one click from the reader.
fn story_picker_ui(ui: &mut Ui, ws: &Workspace) -> Vec<Command> {
    let mut out = Vec::new();
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
                    let text = if s.left_out().is_some() {
                        format!("{}  (its annotations could not be read)", s.name)
                    } else {
                        format!(
                            "{}  ({}, {})",
                            s.name,
                            plural(s.counts.claims, "claim"),
                            plural(s.counts.annotations, "annotation")
                        )
                    };
                    if ui.button(text).clicked() {
                        out.push(Command::OpenPath(s.path.clone()));
                    }
                }
            });
        });
    out
}

fn list_panel_ui(ui: &mut Ui, s: &mut StorySession) -> Vec<Command> {
    let doc = &s.doc;
    let labels = doc.labels();
    let scale = doc.rating_scale();
    let picked = s.list.ui(
        ui,
        doc.annotations(),
        doc.revision(),
        &labels,
        &scale,
        s.selected.as_ref(),
    );
    picked.map(Command::Select).into_iter().collect()
}

fn inspector_panel_ui(ui: &mut Ui, s: &mut StorySession, author: &str) -> Vec<Command> {
    let doc = &s.doc;
    let Some(annotation) = s.selected.as_ref().and_then(|id| doc.get(id)).cloned() else {
        inspector_help_ui(ui, doc);
        return Vec::new();
    };
    let labels = doc.labels();
    let scale = doc.rating_scale();
    let color = label_color(&labels, &annotation.label);
    ui.horizontal(|ui| {
        swatch(ui, color);
        // A screen reader gets the selected annotation in one sentence here.
        let spoken = format!(
            "Selected {}: {}. Verdict: {}. Status: {}.",
            annotation.label,
            preview(&annotation.statement, 300),
            annotation.verdict.as_deref().unwrap_or("none"),
            annotation.status.name()
        );
        ui.heading(&annotation.label).widget_info(|| {
            egui::WidgetInfo::labeled(egui::accesskit::Role::Heading, true, &spoken)
        });
    });
    ui.separator();
    let cx = InspectorContext {
        labels: &labels,
        scale: &scale,
        annotations: doc.annotations(),
        read_only: doc.read_only().is_some(),
        author,
        has_selection: s.reader.selection().is_some(),
    };
    let inspector = &mut s.inspector;
    let checked = &s.checked_before;
    let (actions, memory) = egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let actions = inspector.ui(ui, &annotation, &cx);
            let memory =
                crate::ui::memory::checked_before_ui(ui, &annotation, checked, cx.read_only);
            (actions, memory)
        })
        .inner;
    let mut out: Vec<Command> = actions.into_iter().map(inspector_command).collect();
    out.extend(memory);
    out
}

/// What an inspector action asks of the app.
fn inspector_command(action: InspectorAction) -> Command {
    match action {
        InspectorAction::Update {
            label,
            annotation,
            coalesce,
        } => Command::UpdateAnnotation {
            label: label.to_owned(),
            annotation,
            coalesce,
        },
        InspectorAction::Seal => Command::SealHistory,
        InspectorAction::Delete => Command::DeleteAnnotation,
        InspectorAction::Confirm => Command::ConfirmAnchor,
        InspectorAction::ConfirmWording { keep_verdict } => {
            Command::ConfirmWording { keep_verdict }
        }
        InspectorAction::Reattach => Command::ReattachToSelection,
        InspectorAction::Select(id) => Command::Select(id),
        InspectorAction::OpenUrl(url) => Command::OpenUrl(url),
        InspectorAction::Message(m) => Command::ShowError(m),
    }
}

fn inspector_help_ui(ui: &mut Ui, doc: &Document) {
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
    ui.weak("Click a highlight or a row in the list to edit it here. F1 lists every shortcut.");
}

fn banners_ui(ui: &mut Ui, s: &StorySession) -> Vec<Command> {
    let mut out = Vec::new();
    if s.save_failed {
        banner(ui, ui.visuals().error_fg_color, |ui| {
            ui.strong("Not saved.");
            ui.label("Your edits are kept in this window. Fix the problem and press Ctrl+S, or");
            if ui.button("Save a copy as… (Ctrl+Shift+S)").clicked() {
                out.push(Command::SaveCopyAs);
            }
        });
    }
    let doc = &s.doc;
    if let Some(reason) = doc.read_only() {
        banner(ui, ui.visuals().error_fg_color, |ui| {
            ui.strong("Read-only.");
            ui.label(reason);
        });
    }
    if let Some(exists) = s.story_changed {
        banner(ui, ui.visuals().warn_fg_color, |ui| {
            ui.label(if exists {
                "The story file changed on disk."
            } else {
                "The story file was deleted or moved; your annotations are kept in this window and its sidecar."
            });
            if exists && ui.button("Reload and re-anchor (Ctrl+Shift+R)").clicked() {
                out.push(Command::Reload);
            }
        });
    }
    if let Some(counts) = doc.reanchor_status()
        && !s.dismissed_banner
    {
        let attention = counts.unconfirmed + counts.orphaned;
        banner(ui, ui.visuals().warn_fg_color, |ui| {
            ui.label(format!(
                "This story changed since it was annotated: {}.",
                crate::ui::fmt::reanchor_summary(&counts)
            ));
            if attention > 0 && ui.button("Show them").clicked() {
                out.push(Command::ShowAttention);
            }
            if ui.small_button("Dismiss").clicked() {
                out.push(Command::DismissBanner);
            }
        });
    }
    out
}

fn find_bar_ui(ui: &mut Ui, find: &mut FindBar) -> Vec<Command> {
    let mut out = Vec::new();
    ui.horizontal(|ui| {
        ui.label("Find:");
        let r = ui.add(
            egui::TextEdit::singleline(&mut find.query)
                .desired_width(260.0)
                .id_salt("find_query"),
        );
        if std::mem::take(&mut find.focus) {
            r.request_focus();
        }
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            let back = ui.input(|i| i.modifiers.shift);
            out.push(if back {
                Command::FindPrevious
            } else {
                Command::FindNext
            });
            r.request_focus();
        }
        let n = find.matches.len();
        let count = match (n, find.current) {
            (0, _) if find.query.is_empty() => String::new(),
            (0, _) => "no matches".into(),
            (n, Some(c)) if n >= MAX_MATCHES => format!("{} of {n}+", c + 1),
            (n, Some(c)) => format!("{} of {n}", c + 1),
            (n, None) => plural(n, "match"),
        };
        ui.label(count);
        if ui
            .button("Previous")
            .on_hover_text("Shift+F3, Shift+Enter")
            .clicked()
        {
            out.push(Command::FindPrevious);
        }
        if ui.button("Next").on_hover_text("F3, Enter").clicked() {
            out.push(Command::FindNext);
        }
        if ui.button("Close").on_hover_text("Esc").clicked() {
            out.push(Command::CloseFind);
        }
    });
    out
}

/// The bar above the reader: the selection's quote and a button per label, or a hint.
/// Always one row of the same height, so the text below does not jump when a selection
/// appears or goes.
fn selection_bar_ui(ui: &mut Ui, s: &StorySession) -> Vec<Command> {
    let mut out = Vec::new();
    let height = ui.spacing().interact_size.y + 2.0 * ui.spacing().button_padding.y;
    let size = egui::vec2(ui.available_width(), height);
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(size, layout, |ui| {
        ui.set_min_size(size);
        ui.set_max_height(height);
        selection_bar_row_ui(ui, s, &mut out);
    });
    out
}

fn selection_bar_row_ui(ui: &mut Ui, s: &StorySession, out: &mut Vec<Command>) {
    let doc = &s.doc;
    let Some(span) = s.reader.selection() else {
        ui.weak("Select text to highlight it.");
        return;
    };
    let quote = doc.story.text.slice_chars(span.start..span.end).to_owned();
    let labels = doc.labels();
    let read_only = doc.read_only().is_some();
    let reattach = s
        .selected_annotation()
        .is_some_and(|a| !a.state.eq(&crate::anchor::AnchorState::Anchored));
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
                out.push(Command::ApplyLabel(n));
            }
        }
        if reattach && ui.button("Re-attach here (R)").clicked() {
            out.push(Command::ReattachToSelection);
        }
    });
}

fn reader_ui(ui: &mut Ui, s: &mut StorySession, font_size: f32) -> Vec<Command> {
    let doc = &s.doc;
    let mut input = ReaderInput::new(&doc.story.text, s.serial);
    input.highlights = s.highlights.get(doc);
    input.highlights_revision = doc.revision() ^ (s.serial << 40);
    input.selected = s.selected.as_ref();
    input.find_matches = &s.find.matches;
    input.current_match = s.find.current;
    if s.suggestions.on {
        input.suggestions = s.suggestions.spans();
        input.current_suggestion = s
            .suggestions
            .current()
            .map(|c| crate::anchor::Span::new(c.start, c.end));
    }
    input.scroll_to = s.scroll_to.take();
    let scrolls = std::mem::take(&mut s.scrolls);
    input.scroll = &scrolls;
    input.font_size = font_size;
    let out = s.reader.ui(ui, input);
    let clicked: Option<AnnotationId> = out.clicked;
    clicked.map(Command::SelectHere).into_iter().collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    /// A session on a fresh story with one claim, selected.
    fn session() -> (tempfile::TempDir, StorySession) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.txt");
        std::fs::write(&path, "The mayor said repairs cost 48 million euros.\n").expect("write");
        let mut doc = Document::open(&path).expect("open");
        let id = doc
            .create(crate::anchor::Span::new(28, 45), "Claim", "t")
            .expect("claim");
        let mut s = StorySession::new(doc, 1);
        s.select(id);
        (dir, s)
    }

    struct View {
        session: StorySession,
        out: Vec<Command>,
    }

    fn harness(session: StorySession) -> Harness<'static, View> {
        // kittest checks after `run` that every input has an accessible name (the
        // inspector's drop-downs are named by their labels).
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                |ui, v: &mut View| {
                    let settings = Settings::default();
                    let out = story_view_ui(ui, Some(&mut v.session), None, &settings, "");
                    v.out.extend(out);
                },
                View {
                    session,
                    out: Vec::new(),
                },
            );
        h.run_steps(2);
        h.run();
        h
    }

    #[test]
    fn typing_in_the_inspector_returns_an_edit_and_leaves_the_document_alone() {
        let (_dir, s) = session();
        let before = s.doc.annotations().clone();
        let mut h = harness(s);
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Claimant")
            .click();
        h.run_steps(2);
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Claimant")
            .type_text("Mayor");
        h.run_steps(2);
        let edits: Vec<&Command> = h
            .state()
            .out
            .iter()
            .filter(|c| matches!(c, Command::UpdateAnnotation { .. }))
            .collect();
        assert!(!edits.is_empty(), "{:?}", h.state().out);
        match edits.last() {
            Some(Command::UpdateAnnotation { annotation, .. }) => {
                assert_eq!(annotation.claimant, "Mayor");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            h.state().session.doc.annotations(),
            &before,
            "drawing changed nothing"
        );
    }

    #[test]
    fn banners_ask_for_commands() {
        let (_dir, mut s) = session();
        s.save_failed = true;
        s.story_changed = Some(true);
        let mut h = harness(s);
        h.get_by_label("Save a copy as… (Ctrl+Shift+S)").click();
        h.run_steps(2);
        h.get_by_label("Reload and re-anchor (Ctrl+Shift+R)")
            .click();
        h.run_steps(2);
        let out = &h.state().out;
        assert!(out.contains(&Command::SaveCopyAs), "{out:?}");
        assert!(out.contains(&Command::Reload), "{out:?}");
    }

    #[test]
    fn the_banner_says_moved_only_when_a_highlight_moved() {
        let (_dir, mut s) = session();
        s.doc.reanchored = Some(crate::reanchor::ReanchorCounts {
            kept: 1,
            moved: 0,
            unconfirmed: 0,
            orphaned: 0,
        });
        let h = harness(s);
        assert!(
            h.query_by_label_contains("This story changed").is_some(),
            "the banner is shown"
        );
        assert!(h.query_by_label_contains("moved").is_none());
    }

    #[test]
    fn a_selection_offers_the_labels() {
        let (_dir, s) = session();
        let mut h = harness(s);
        // (The reader takes a selection once it has laid out its text.)
        h.state_mut()
            .session
            .reader
            .set_selection(Some(crate::anchor::Span::new(4, 9)));
        h.run_steps(2);
        h.get_by_label("Note N").click();
        h.run_steps(2);
        assert!(
            h.state().out.contains(&Command::ApplyLabel(2)),
            "{:?}",
            h.state().out
        );
    }
}
