//! File > Export: choose a format, a scope and filters; the app asks where to save.
//!
//! The dialog only collects choices ([`ExportChoice`]); the export itself is the core's
//! ([`crate::export`]), the same code the command line runs.

use eframe::egui::{self, Ui};

pub use crate::app::command::ExportChoice;
use crate::export::{ExportOptions, Filter, Format, Organisation};
use crate::model::{Label, RatingScale, Status};

/// The export dialog's state (kept between openings, so repeated exports are quick).
pub struct ExportDialog {
    pub open: bool,
    format: Format,
    whole_folder: bool,
    labels: Vec<String>,
    statuses: Vec<Status>,
    verdicts: Vec<String>,
    tags: String,
    excel: bool,
    org_name: String,
    org_url: String,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            format: Format::Csv,
            whole_folder: false,
            labels: Vec::new(),
            statuses: Vec::new(),
            verdicts: Vec::new(),
            tags: String::new(),
            excel: false,
            org_name: String::new(),
            org_url: String::new(),
        }
    }
}

/// Words for a format in the menu.
pub fn format_title(format: Format) -> &'static str {
    match format {
        Format::Csv => "CSV (spreadsheet)",
        Format::Json => "JSON (factmark model)",
        Format::W3c => "W3C Web Annotation (JSON-LD)",
        Format::ClaimReview => "ClaimReview (schema.org JSON-LD)",
        Format::Markdown => "Markdown report",
        Format::Html => "HTML report",
    }
}

impl ExportDialog {
    /// Draws the dialog; returns the choice when the user presses Export.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        labels: &[Label],
        scale: &RatingScale,
    ) -> Option<ExportChoice> {
        let mut choice = None;
        let mut open = self.open;
        egui::Window::new("Export annotations")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(420.0)
            .show(ctx, |ui| {
                choice = self.body(ui, labels, scale);
            });
        self.open = open && choice.is_none();
        choice
    }

    fn body(&mut self, ui: &mut Ui, labels: &[Label], scale: &RatingScale) -> Option<ExportChoice> {
        egui::Grid::new("export_grid")
            .num_columns(2)
            .spacing([10.0, 8.0])
            .show(ui, |ui| {
                ui.label("Format");
                egui::ComboBox::from_id_salt("export_format")
                    .selected_text(format_title(self.format))
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut self.format, f, format_title(f));
                        }
                    });
                ui.end_row();

                ui.label("Stories");
                ui.vertical(|ui| {
                    ui.radio_value(&mut self.whole_folder, false, "This story");
                    ui.radio_value(
                        &mut self.whole_folder,
                        true,
                        "Every story in this story's folder (and below)",
                    );
                });
                ui.end_row();

                ui.label("Labels");
                ui.horizontal_wrapped(|ui| {
                    for l in labels {
                        toggle(ui, &mut self.labels, l.name.clone(), &l.name);
                    }
                });
                ui.end_row();

                ui.label("Status");
                ui.horizontal_wrapped(|ui| {
                    for s in Status::ALL {
                        toggle(ui, &mut self.statuses, s, s.name());
                    }
                });
                ui.end_row();

                ui.label("Verdict");
                ui.horizontal_wrapped(|ui| {
                    for r in &scale.ratings {
                        toggle(ui, &mut self.verdicts, r.name.clone(), &r.name);
                    }
                    toggle(ui, &mut self.verdicts, "none".to_owned(), "no verdict");
                });
                ui.end_row();

                let label = ui.label("Tags");
                ui.add(
                    egui::TextEdit::singleline(&mut self.tags)
                        .hint_text("comma-separated; empty = any")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
                ui.end_row();

                if self.format == Format::Csv {
                    ui.label("");
                    ui.checkbox(&mut self.excel, "For Excel (UTF-8 byte order mark)");
                    ui.end_row();
                }
                if self.format == Format::ClaimReview {
                    let label = ui.label("Organisation");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.org_name)
                            .hint_text("who publishes the fact-checks (required)")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label("Organisation URL");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.org_url)
                            .hint_text("https://… (optional)")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        ui.weak("Nothing ticked in a row means: all of them.");
        ui.add_space(6.0);
        let ready = self.format != Format::ClaimReview || !self.org_name.trim().is_empty();
        let pressed = ui
            .add_enabled(ready, egui::Button::new("Export…"))
            .on_disabled_hover_text("ClaimReview needs the organisation's name")
            .clicked();
        pressed.then(|| self.choice())
    }

    fn choice(&self) -> ExportChoice {
        let url = self.org_url.trim();
        ExportChoice {
            format: self.format,
            whole_folder: self.whole_folder,
            filter: Filter {
                labels: self.labels.clone(),
                statuses: self.statuses.clone(),
                verdicts: self.verdicts.clone(),
                tags: self
                    .tags
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            options: ExportOptions {
                excel: self.excel,
                organisation: Organisation {
                    name: self.org_name.trim().to_owned(),
                    url: (!url.is_empty()).then(|| url.to_owned()),
                },
                review_url: None,
            },
        }
    }
}

/// A checkbox-like toggle that adds `value` to or removes it from `set`.
fn toggle<T: PartialEq + Clone>(ui: &mut Ui, set: &mut Vec<T>, value: T, text: &str) {
    let mut on = set.contains(&value);
    if ui.checkbox(&mut on, text).changed() {
        if on {
            set.push(value);
        } else {
            set.retain(|v| v != &value);
        }
    }
}
