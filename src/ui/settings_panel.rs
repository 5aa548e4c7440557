//! The folder settings editor: the rating scale (names, ClaimReview values, colours) and
//! the organisation that publishes ClaimReviews, as kept in the folder's `factmark.ron`.
//!
//! It edits a draft copy and hands it back on Save; the app writes it with
//! [`crate::settings::FolderSettings::save`] (atomic, deterministic). This module never
//! writes files and refuses nothing itself beyond what it can check while drawing.

use eframe::egui::{self, Ui};

use crate::model::{Rating, RatingScale, parse_hex_color};
use crate::settings::{FolderSettings, Organisation};

/// The editor's state: the draft and the settings it started from.
#[derive(Debug, Default)]
pub struct SettingsPanel {
    draft: FolderSettings,
    /// What the draft was taken from; when the folder's settings change on disk and the
    /// draft has no edits, the draft follows.
    base: Option<FolderSettings>,
}

impl SettingsPanel {
    /// Follows the folder's settings unless the user is editing them.
    pub fn sync(&mut self, current: &FolderSettings) {
        let untouched = self.base.as_ref() == Some(&self.draft);
        if self.base.is_none() || (untouched && self.base.as_ref() != Some(current)) {
            self.draft = current.clone();
            self.base = Some(current.clone());
        }
    }

    /// Marks `saved` as the settings on disk (after a successful save).
    pub fn saved(&mut self, saved: &FolderSettings) {
        self.base = Some(saved.clone());
        self.draft = saved.clone();
    }

    pub fn is_dirty(&self) -> bool {
        self.base.as_ref() != Some(&self.draft)
    }

    /// Draws the editor; returns the settings to save when Save was pressed.
    pub fn ui(&mut self, ui: &mut Ui, blocked: Option<&str>) -> Option<FolderSettings> {
        let mut save = None;
        ui.heading("Folder settings (factmark.ron)");
        if let Some(reason) = blocked {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("{reason}. Fix the file by hand; it will not be saved over."),
            );
        }
        ui.add_space(6.0);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong("Organisation (publisher of ClaimReviews)");
                let org = self
                    .draft
                    .organisation
                    .get_or_insert_with(Organisation::default);
                egui::Grid::new("settings_org")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let l = ui.label("Organisation name");
                        ui.add(
                            egui::TextEdit::singleline(&mut org.name)
                                .id_salt("org_name")
                                .desired_width(320.0),
                        )
                        .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label("Organisation web address");
                        let mut url = org.url.clone().unwrap_or_default();
                        ui.add(
                            egui::TextEdit::singleline(&mut url)
                                .id_salt("org_url")
                                .desired_width(320.0),
                        )
                        .labelled_by(l.id);
                        org.url = (!url.trim().is_empty()).then_some(url);
                        ui.end_row();
                    });
                if org.name.trim().is_empty() && org.url.is_none() {
                    self.draft.organisation = None;
                }
                ui.add_space(10.0);
                ui.strong("Rating scale (best first; higher values are more true)");
                let mut custom = self.draft.rating_scale.is_some();
                if ui
                    .checkbox(&mut custom, "Use a scale of this folder's own")
                    .changed()
                {
                    self.draft.rating_scale = custom.then(RatingScale::default);
                }
                let scale = self.draft.rating_scale.clone().unwrap_or_default();
                let mut ratings = scale.ratings;
                ui.add_enabled_ui(custom, |ui| {
                    scale_ui(ui, &mut ratings);
                });
                if custom {
                    self.draft.rating_scale = Some(RatingScale { ratings });
                }
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    let problem = problem(&self.draft);
                    let can = blocked.is_none() && self.is_dirty() && problem.is_none();
                    if ui
                        .add_enabled(can, egui::Button::new("Save settings"))
                        .clicked()
                    {
                        save = Some(self.draft.clone());
                    }
                    if ui
                        .add_enabled(self.is_dirty(), egui::Button::new("Discard changes"))
                        .clicked()
                        && let Some(base) = &self.base
                    {
                        self.draft = base.clone();
                    }
                    if let Some(p) = problem {
                        ui.colored_label(ui.visuals().warn_fg_color, p);
                    } else if self.is_dirty() {
                        ui.label("Unsaved changes.");
                    }
                });
            });
        save
    }
}

/// Why the draft cannot be saved, if it cannot (the rule lives in `settings`).
fn problem(s: &FolderSettings) -> Option<String> {
    s.problem()
}

fn scale_ui(ui: &mut Ui, ratings: &mut Vec<Rating>) {
    let mut remove = None;
    let mut up = None;
    egui::Grid::new("settings_scale")
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            ui.strong("Key");
            ui.strong("Name");
            ui.strong("Value");
            ui.strong("Colour");
            ui.label("");
            ui.end_row();
            for (i, r) in ratings.iter_mut().enumerate() {
                ui.label(if i < 7 {
                    (i + 1).to_string()
                } else {
                    String::new()
                });
                // A fixed size: inside a grid the box would shrink to its first frame's width.
                ui.add_sized(
                    [180.0, ui.spacing().interact_size.y],
                    egui::TextEdit::singleline(&mut r.name).id_salt(("rating_name", i)),
                );
                ui.add(egui::DragValue::new(&mut r.value).range(-100..=100));
                let mut rgb = parse_hex_color(&r.color).unwrap_or([0x99, 0x99, 0x99]);
                if ui.color_edit_button_srgb(&mut rgb).changed() {
                    r.color = format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
                }
                ui.horizontal(|ui| {
                    if i > 0 && ui.small_button("Up").clicked() {
                        up = Some(i);
                    }
                    if ui.small_button("Remove").clicked() {
                        remove = Some(i);
                    }
                });
                ui.end_row();
            }
        });
    if let Some(i) = up {
        ratings.swap(i - 1, i);
    }
    if let Some(i) = remove {
        ratings.remove(i);
    }
    if ui.button("Add a rating").clicked() {
        ratings.push(Rating {
            name: format!("Rating {}", ratings.len() + 1),
            value: 0,
            color: "#999999".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn save_returns_the_edited_settings() {
        // The rating rows' boxes have no accessible names yet; the check is off here.
        let mut h = Harness::builder()
            .with_accessibility_check(false)
            .build_ui_state(
                |ui, (panel, saved): &mut (SettingsPanel, Option<FolderSettings>)| {
                    panel.sync(&FolderSettings::default());
                    if let Some(s) = panel.ui(ui, None) {
                        *saved = Some(s);
                    }
                },
                (SettingsPanel::default(), None),
            );
        h.run_steps(2);
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Organisation name")
            .click();
        h.run_steps(2);
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Organisation name")
            .type_text("Fact Desk");
        h.run_steps(2);
        h.get_by_label("Save settings").click();
        h.run_steps(2);
        let saved = h.state().1.clone().expect("save pressed");
        assert_eq!(
            saved.organisation.map(|o| o.name).as_deref(),
            Some("Fact Desk")
        );
    }
}
