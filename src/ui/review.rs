//! The review queue: walks the claims the table's filter selects, one at a time, showing
//! the claim in its paragraph (highlighted), its fields and sources, and the progress
//! ("12 of 40 reviewed").
//!
//! The queue only decides *which* claim is current and draws it. Every change (verdict,
//! status, comment) is a command the app applies to the open [`Document`] through its
//! history, so it is undoable and saved like any other edit; this module must not change
//! annotations or write files itself.

use eframe::egui::{self, Color32, RichText, Ui, text::LayoutJob};

use crate::anchor::Span;
use crate::document::Document;
use crate::model::{Annotation, AnnotationId, Source, Status};
use crate::text::StoryText;
use crate::ui::inspector::preview;
use crate::workspace::{Query, RowId, Workspace};

/// Context shown around the claim at most, each side, in chars (a whole story with no
/// blank lines must not become one huge paragraph on screen).
const MAX_CONTEXT: usize = 1200;

/// The queue's state.
#[derive(Debug, Default)]
pub struct ReviewQueue {
    /// The claims to walk, as (story index, id): frozen when the queue is built, so a claim
    /// that stops matching the filter once reviewed does not vanish under the reviewer.
    items: Vec<(usize, AnnotationId)>,
    /// The filter the queue was built for: it is rebuilt only when the filter changes.
    built_for: Option<Query>,
    pub position: usize,
    pub comment: String,
    /// Set by the comment command: the comment box takes the keyboard next frame.
    pub focus_comment: bool,
}

/// What the user asked for with the mouse in the queue view.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewAction {
    Next,
    Previous,
    Verdict(usize),
    Status(Status),
    /// Add the typed comment.
    Comment(String),
    OpenInReader,
    /// Walk only the claims whose wording changed (the table's filter, shared).
    WordingChanged(bool),
}

impl ReviewQueue {
    /// Rebuilds the queue from the table's rows when the filter changed (not when a claim's
    /// fields did), keeping the current claim when it is still in it.
    pub fn sync(&mut self, query: &Query, rows: &[RowId], workspace: &Workspace) {
        if self.built_for.as_ref() == Some(query) {
            return;
        }
        let current = self.current().cloned();
        self.items = rows
            .iter()
            .filter_map(|&r| {
                let a = workspace.annotation(r)?;
                a.is_claim().then(|| (r.story, a.id.clone()))
            })
            .collect();
        self.built_for = Some(query.clone());
        self.position = current
            .and_then(|c| self.items.iter().position(|i| *i == c))
            .unwrap_or(0);
    }

    /// Forgets the queue (a new folder was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The current claim: its story index and id.
    pub fn current(&self) -> Option<&(usize, AnnotationId)> {
        self.items.get(self.position)
    }

    /// Moves by `delta`, staying in the queue. Returns true when it moved.
    pub fn step(&mut self, delta: isize) -> bool {
        if self.items.is_empty() {
            return false;
        }
        let next = (self.position as isize + delta).clamp(0, self.items.len() as isize - 1);
        let moved = next as usize != self.position;
        self.position = next as usize;
        if moved {
            self.comment.clear();
        }
        moved
    }

    /// How many claims of the queue are reviewed: approved or disputed.
    pub fn reviewed(&self, workspace: &Workspace) -> usize {
        self.items
            .iter()
            .filter(|(story, id)| {
                workspace
                    .stories
                    .get(*story)
                    .and_then(|s| s.annotations.get(id))
                    .is_some_and(|a| is_reviewed(a.status))
            })
            .count()
    }

    /// Draws the current claim. `doc` is the open story, which the app keeps on the
    /// current claim's story.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        workspace: &Workspace,
        doc: Option<&Document>,
    ) -> Vec<ReviewAction> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            ui.heading("Review queue");
            ui.separator();
            ui.label(format!(
                "{} of {} reviewed",
                self.reviewed(workspace),
                self.items.len()
            ));
            if !self.items.is_empty() {
                ui.separator();
                ui.label(format!(
                    "Claim {} of {}",
                    self.position + 1,
                    self.items.len()
                ));
            }
        });
        let mut wording_only = self.built_for.as_ref().is_some_and(|q| q.wording_changed);
        if ui
            .checkbox(&mut wording_only, "Wording changed")
            .on_hover_text("Only claims whose wording changed in the story and wait for a decision")
            .changed()
        {
            actions.push(ReviewAction::WordingChanged(wording_only));
        }
        ui.weak("J / K next / previous, 1-7 verdict, A approve, D dispute, R needs review, C comment, Enter open in the reader. The table's filter chooses the claims.");
        ui.separator();
        let Some((story, id)) = self.current().cloned() else {
            ui.label("No claims match the filter. Change it in the claims table.");
            return actions;
        };
        let name = workspace.stories.get(story).map_or("", |s| s.name.as_str());
        let Some(doc) = doc
            .filter(|d| Some(d.path()) == workspace.stories.get(story).map(|s| s.path.as_path()))
        else {
            ui.label(format!("{name} could not be opened; see the status bar."));
            return actions;
        };
        let Some(a) = doc.get(&id).cloned() else {
            ui.label("This claim was deleted.");
            return actions;
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong(name);
                ui.add_space(4.0);
                context_ui(ui, &doc.story.text, &a);
                ui.add_space(8.0);
                fields_ui(ui, &a, doc);
                ui.add_space(8.0);
                self.controls_ui(ui, doc, &a, &mut actions);
            });
        actions
    }

    fn controls_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        a: &Annotation,
        out: &mut Vec<ReviewAction>,
    ) {
        let read_only = doc.read_only().is_some();
        ui.add_enabled_ui(!read_only, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label("Verdict:");
                for (n, r) in doc.rating_scale().ratings.iter().enumerate() {
                    let on = a.verdict.as_deref() == Some(r.name.as_str());
                    if ui
                        .selectable_label(on, format!("{} {}", n + 1, r.name))
                        .clicked()
                    {
                        out.push(ReviewAction::Verdict(n + 1));
                    }
                }
            });
            ui.horizontal(|ui| {
                ui.label("Status:");
                for (s, key) in [
                    (Status::Approved, "A"),
                    (Status::Disputed, "D"),
                    (Status::NeedsReview, "R"),
                ] {
                    if ui
                        .selectable_label(a.status == s, format!("{} ({key})", s.name()))
                        .clicked()
                    {
                        out.push(ReviewAction::Status(s));
                    }
                }
            });
            ui.horizontal(|ui| {
                let r = ui.add(
                    egui::TextEdit::singleline(&mut self.comment)
                        .id_salt("review_comment")
                        .hint_text("Add a comment (C), Enter to add")
                        .desired_width(420.0),
                );
                if std::mem::take(&mut self.focus_comment) {
                    r.request_focus();
                }
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (enter || ui.button("Add comment").clicked()) && !self.comment.trim().is_empty()
                {
                    out.push(ReviewAction::Comment(std::mem::take(&mut self.comment)));
                }
            });
        });
        ui.horizontal(|ui| {
            if ui.button("Previous (K)").clicked() {
                out.push(ReviewAction::Previous);
            }
            if ui.button("Next (J)").clicked() {
                out.push(ReviewAction::Next);
            }
            if ui.button("Open in the reader (Enter)").clicked() {
                out.push(ReviewAction::OpenInReader);
            }
        });
    }
}

/// Approved and disputed claims count as reviewed; drafts and those marked for review not.
pub fn is_reviewed(status: Status) -> bool {
    matches!(status, Status::Approved | Status::Disputed)
}

/// The paragraph around the claim (blank-line separated, capped), the quote highlighted.
fn context_ui(ui: &mut Ui, text: &StoryText, a: &Annotation) {
    if a.state.is_orphaned() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "This claim lost its place in the story (orphaned). Its quote:",
        );
        ui.label(RichText::new(&a.anchor.quote).italics());
        return;
    }
    let (before, quote, after) = context_of(text, a.span());
    let mut job = LayoutJob::default();
    let body = egui::TextFormat {
        font_id: egui::FontId::proportional(16.0),
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let mark = egui::TextFormat {
        background: Color32::from_rgb(0xff, 0xe0, 0x66),
        color: Color32::BLACK,
        ..body.clone()
    };
    job.append(before, 0.0, body.clone());
    job.append(quote, 0.0, mark);
    job.append(after, 0.0, body);
    job.wrap.max_width = ui.available_width();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(job);
    });
}

/// (text before, quote, text after) of the paragraph holding `span`.
pub fn context_of(text: &StoryText, span: Span) -> (&str, &str, &str) {
    let s = text.as_str();
    let start = text.char_to_byte(span.start.min(text.len_chars()));
    let end = text.char_to_byte(span.end.min(text.len_chars())).max(start);
    let floor = text.char_to_byte(span.start.saturating_sub(MAX_CONTEXT));
    let ceil = text.char_to_byte((span.end + MAX_CONTEXT).min(text.len_chars()));
    let para_start = s[floor..start]
        .rfind("\n\n")
        .map_or(floor, |i| floor + i + 2);
    let para_end = s[end..ceil].find("\n\n").map_or(ceil, |i| end + i);
    (&s[para_start..start], &s[start..end], &s[end..para_end])
}

fn fields_ui(ui: &mut Ui, a: &Annotation, doc: &Document) {
    egui::Grid::new("review_fields")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let mut row = |k: &str, v: String| {
                ui.strong(k);
                ui.label(v);
                ui.end_row();
            };
            row("Label", a.label.clone());
            row("Statement", a.statement.clone());
            row("Claimant", a.claimant.clone());
            row(
                "Verdict",
                a.verdict.clone().unwrap_or_else(|| "none yet".into()),
            );
            row("Status", a.status.name().to_owned());
            row("Rationale", a.rationale.clone());
            row("Tags", a.tags.join(", "));
            row("Author", a.author.clone());
        });
    ui.add_space(4.0);
    ui.strong(format!("Sources ({})", a.sources.len()));
    for s in &a.sources {
        match s {
            Source::External { url, title, .. } => {
                ui.hyperlink_to(if title.is_empty() { url } else { title }, url);
            }
            Source::Highlight { id, note } => {
                let quote = doc.get(id).map(|h| preview(&h.anchor.quote, 80));
                ui.label(format!(
                    "In this story: \"{}\" {note}",
                    quote.unwrap_or_else(|| "(deleted highlight)".into())
                ));
            }
        }
    }
    if !a.comments.is_empty() {
        ui.add_space(4.0);
        ui.strong(format!("Comments ({})", a.comments.len()));
        for c in &a.comments {
            ui.label(format!("{}: {}", c.author, c.text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_the_paragraph_around_the_quote() {
        let text =
            StoryText::new("First para.\n\nThe mayor said taxes fell. More here.\n\nLast.".into());
        let start = text.as_str().find("taxes").expect("quote");
        let span = Span::new(start, start + "taxes fell".len());
        let (before, quote, after) = context_of(&text, span);
        assert_eq!(before, "The mayor said ");
        assert_eq!(quote, "taxes fell");
        assert_eq!(after, ". More here.");
    }

    #[test]
    fn context_is_capped_without_blank_lines() {
        let long = "word ".repeat(2000);
        let text = StoryText::new(format!("{long}CLAIM{long}"));
        let start = text.as_str().find("CLAIM").expect("quote");
        let (before, quote, after) = context_of(&text, Span::new(start, start + 5));
        assert_eq!(quote, "CLAIM");
        assert_eq!(before.chars().count(), MAX_CONTEXT);
        assert_eq!(after.chars().count(), MAX_CONTEXT);
    }
}
