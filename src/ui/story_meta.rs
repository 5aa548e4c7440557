//! The story details window (SPEC 11): the story's public URL, headline, outlet, author
//! and publication date, which exports use (W3C `target.source`, ClaimReview
//! `itemReviewed.appearance`, report headers).
//!
//! It edits a copy ([`StoryMetaPanel`]) filled from the document's sidecar (for an HTML
//! story that is what the page said, until a person changes it) and returns a
//! [`Command::SetStoryMeta`] when the person applies it; the app stores it through the
//! document's history (undoable, saved with the sidecar). It checks the URL and the date
//! before sending, so a bad value is explained here and never stored; it must not change
//! the document itself.

use eframe::egui::{self, Ui};

use crate::app::command::Command;
use crate::document::Document;
use crate::sources::StoryMeta;

/// The window's state: whether it is open and the half-typed values.
#[derive(Debug, Default)]
pub struct StoryMetaPanel {
    pub open: bool,
    url: String,
    headline: String,
    outlet: String,
    author: String,
    /// `YYYY-MM-DD`, or empty.
    published: String,
    /// The details the fields were filled from; the fields are filled again when the
    /// document's details change (undo, a reload) and nothing is being typed.
    filled_from: Option<StoryMeta>,
    error: Option<String>,
}

impl StoryMetaPanel {
    /// Opens the window with the document's details.
    pub fn show(&mut self, doc: &Document) {
        self.open = true;
        self.fill(doc.meta());
    }

    fn fill(&mut self, meta: StoryMeta) {
        self.url = meta.url.clone().unwrap_or_default();
        self.headline = meta.headline.clone();
        self.outlet = meta.outlet.clone();
        self.author = meta.author.clone();
        self.published = meta.published.map(|d| d.to_string()).unwrap_or_default();
        self.filled_from = Some(meta);
        self.error = None;
    }

    /// True when the fields hold what they were filled with.
    fn untouched(&self) -> bool {
        self.filled_from
            .as_ref()
            .is_some_and(|m| self.parse().ok().as_ref() == Some(m))
    }

    /// The typed values as details; a bad date or address is one sentence for the user.
    fn parse(&self) -> Result<StoryMeta, String> {
        let published = match self.published.trim() {
            "" => None,
            d => Some(d.parse::<jiff::civil::Date>().map_err(|_| {
                format!("“{d}” is not a date: write the day it was published as YYYY-MM-DD.")
            })?),
        };
        let url = match self.url.trim() {
            "" => None,
            u => Some(crate::sources::normalise_web_url(u).map_err(|e| format!("{e}."))?),
        };
        Ok(StoryMeta {
            url,
            headline: self.headline.trim().to_owned(),
            outlet: self.outlet.trim().to_owned(),
            author: self.author.trim().to_owned(),
            published,
        })
    }

    /// Draws the window (when open) and returns the command to apply.
    pub fn window(&mut self, ctx: &egui::Context, doc: &Document) -> Vec<Command> {
        let mut out = Vec::new();
        if !self.open {
            return out;
        }
        let current = doc.meta();
        if self.filled_from.as_ref() != Some(&current) && self.untouched() {
            self.fill(current);
        }
        let read_only = doc.read_only().is_some();
        let mut open = self.open;
        egui::Window::new("Story details")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.add_enabled_ui(!read_only, |ui| out.extend(self.body_ui(ui)));
            });
        self.open = open && self.open;
        out
    }

    fn body_ui(&mut self, ui: &mut Ui) -> Vec<Command> {
        let mut out = Vec::new();
        ui.label("Where the story was published. Exports name the story by its address.");
        ui.add_space(4.0);
        // Enter in any field applies, as the button does.
        let mut enter = false;
        egui::Grid::new("story_meta_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                let fields: [(&str, &mut String, &str, &str); 5] = [
                    ("Address (URL)", &mut self.url, "https://…", "meta_url"),
                    ("Headline", &mut self.headline, "", "meta_headline"),
                    (
                        "Outlet",
                        &mut self.outlet,
                        "newspaper or site",
                        "meta_outlet",
                    ),
                    ("Author", &mut self.author, "", "meta_author"),
                    (
                        "Published",
                        &mut self.published,
                        "YYYY-MM-DD",
                        "meta_published",
                    ),
                ];
                for (name, value, hint, id) in fields {
                    enter |= field_ui(ui, name, value, hint, id);
                }
            });
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui.button("Apply").on_hover_text("Enter").clicked() || enter {
                match self.parse() {
                    Ok(meta) => {
                        self.error = None;
                        self.filled_from = Some(meta.clone());
                        out.push(Command::SetStoryMeta(Box::new(meta)));
                    }
                    Err(e) => {
                        out.push(Command::ShowError(e.clone()));
                        self.error = Some(e);
                    }
                }
            }
            if ui.button("Close").clicked() {
                self.open = false;
            }
        });
        out
    }
}

/// One labelled field; returns true when Enter was pressed in it.
fn field_ui(ui: &mut Ui, name: &str, value: &mut String, hint: &str, id: &str) -> bool {
    let label = ui.label(name);
    let r = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(320.0)
                .id_salt(id),
        )
        .labelled_by(label.id);
    ui.end_row();
    r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_become_details_and_bad_ones_are_explained() {
        let mut p = StoryMetaPanel {
            url: " https://news.example/a b ".into(),
            headline: " Bridge ".into(),
            published: "2026-11-30".into(),
            ..StoryMetaPanel::default()
        };
        let meta = p.parse().expect("valid");
        assert_eq!(meta.url.as_deref(), Some("https://news.example/a%20b"));
        assert_eq!(meta.headline, "Bridge");
        assert_eq!(
            meta.published.map(|d| d.to_string()).as_deref(),
            Some("2026-11-30")
        );
        p.published = "30/11/2026".into();
        assert!(p.parse().expect_err("a bad date").contains("YYYY-MM-DD"));
        p.published.clear();
        p.url = "news example".into();
        assert!(
            p.parse()
                .expect_err("a bad url")
                .contains("not a web address")
        );
        p.url = "file:///home/ana/story.txt".into();
        assert!(p.parse().expect_err("a local file").contains("https://"));
    }
}
