//! The annotation list: the story's annotations in reading order, with a filter box.
//!
//! Rows are virtualised (only visible rows are drawn) and the filtered order is cached per
//! (annotation revision, filter), so a story with 10,000 highlights costs what one screen of
//! rows costs.

use eframe::egui::{self, Color32, RichText, Sense, Ui};

use crate::model::{Annotation, AnnotationId, AnnotationSet, Label, RatingScale};
use crate::ui::inspector::preview;

const ROW_HEIGHT: f32 = 40.0;

/// The list's state: the filter and the cached filtered order.
#[derive(Default)]
pub struct AnnotationList {
    pub filter: String,
    /// Show only orphaned, unconfirmed or conflicting annotations.
    pub attention_only: bool,
    /// Show only annotations whose wording changed and wait for a decision (SPEC 9).
    pub wording_changed_only: bool,
    cache: Option<(u64, String, [bool; 2], Vec<usize>)>,
    /// Set for one frame to focus the filter box.
    pub focus_filter: bool,
    /// Set for one frame to scroll the selected row into view.
    pub reveal_selected: bool,
}

impl AnnotationList {
    /// Indices (into the set's reading order) of the annotations that pass the filter.
    pub fn visible(&mut self, set: &AnnotationSet, revision: u64) -> &[usize] {
        let toggles = [self.attention_only, self.wording_changed_only];
        let fresh = matches!(&self.cache, Some((rev, f, t, _))
            if *rev == revision && *f == self.filter && *t == toggles);
        if !fresh {
            let needle = self.filter.trim().to_lowercase();
            let rows = set
                .iter()
                .enumerate()
                .filter(|(_, a)| !self.attention_only || needs_attention(a))
                .filter(|(_, a)| !self.wording_changed_only || a.wording_changed())
                .filter(|(_, a)| needle.is_empty() || matches_filter(a, &needle))
                .map(|(i, _)| i)
                .collect();
            self.cache = Some((revision, self.filter.clone(), toggles, rows));
        }
        self.cache.as_ref().map(|c| c.3.as_slice()).unwrap_or(&[])
    }

    /// Draws the list; returns the annotation the user picked, if any.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        set: &AnnotationSet,
        revision: u64,
        labels: &[Label],
        scale: &RatingScale,
        selected: Option<&AnnotationId>,
    ) -> Option<AnnotationId> {
        let mut picked = None;
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("Filter (Ctrl+L): text, label, verdict, status, tag")
                    .desired_width(f32::INFINITY)
                    .id_salt("annotation_filter"),
            );
            if std::mem::take(&mut self.focus_filter) {
                r.request_focus();
            }
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.attention_only, "Needs attention only");
            let changed = set.iter().filter(|a| a.wording_changed()).count();
            ui.checkbox(&mut self.wording_changed_only, "Wording changed")
                .on_hover_text(format!(
                    "Only highlights whose wording changed in the story and wait for a decision ({} here)",
                    changed
                ));
        });
        let total = set.len();
        let rows = self.visible(set, revision).to_vec();
        ui.weak(if rows.len() == total {
            crate::ui::fmt::plural(total, "annotation")
        } else {
            crate::ui::fmt::of_total(rows.len(), total, "annotation")
        });
        ui.separator();

        let selected_row = selected.and_then(|id| {
            rows.iter()
                .position(|&i| set.as_slice().get(i).is_some_and(|a| &a.id == id))
        });
        let mut area = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .id_salt("annotation_list");
        if std::mem::take(&mut self.reveal_selected)
            && let Some(row) = selected_row
        {
            let spacing = ui.spacing().item_spacing.y;
            let y = row as f32 * (ROW_HEIGHT + spacing);
            let view = ui.available_height();
            area = area.vertical_scroll_offset((y - view / 2.0).max(0.0));
        }
        area.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let Some(a) = set.as_slice().get(i) else {
                    continue;
                };
                let is_selected = selected == Some(&a.id);
                if row_ui(ui, a, labels, scale, is_selected).clicked() {
                    picked = Some(a.id.clone());
                }
            }
        });
        if rows.is_empty() {
            ui.weak(if total == 0 {
                "No annotations yet. Select text in the story and press C (claim), S (source) or N (note)."
            } else if self.filter.trim().is_empty()
                && (self.attention_only || self.wording_changed_only)
            {
                // The cause is gone (all confirmed, re-attached or decided): say so.
                "Nothing here needs you any more. Untick the boxes above to see every annotation."
            } else {
                "No annotation matches the filter."
            });
        }
        picked
    }
}

fn row_ui(
    ui: &mut Ui,
    a: &Annotation,
    labels: &[Label],
    scale: &RatingScale,
    selected: bool,
) -> egui::Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), Sense::click());
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    if selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.6));
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let color = label_color(labels, &a.label);
    painter.rect_filled(
        egui::Rect::from_min_size(
            rect.min + egui::vec2(2.0, 4.0),
            egui::vec2(5.0, ROW_HEIGHT - 8.0),
        ),
        2.0,
        color,
    );
    let text_color = visuals.text_color();
    let weak = visuals.weak_text_color();
    let x = rect.min.x + 14.0;
    let font = egui::FontId::proportional(13.0);
    let small = egui::FontId::proportional(11.5);
    let mut top = a.label.clone();
    if let Some(v) = &a.verdict {
        top.push_str(&format!(" · {v}"));
    }
    top.push_str(&format!(" · {}", a.status.name()));
    let badge = if a.state.is_orphaned() {
        " · ORPHANED"
    } else if a.wording_changed() {
        " · WORDING CHANGED"
    } else if a.state.needs_confirming() {
        " · moved, confirm"
    } else if !a.conflicts.is_empty() {
        " · CONFLICT"
    } else {
        ""
    };
    top.push_str(badge);
    let verdict_color = a
        .verdict
        .as_deref()
        .and_then(|v| scale.find(v))
        .and_then(|r| crate::model::parse_hex_color(&r.color))
        .map(|[r, g, b]| Color32::from_rgb(r, g, b));
    painter.text(
        egui::pos2(x, rect.min.y + 4.0),
        egui::Align2::LEFT_TOP,
        top,
        small,
        verdict_color.unwrap_or(weak),
    );
    let chars = ((width - 20.0) / 6.5).max(10.0) as usize;
    painter.text(
        egui::pos2(x, rect.min.y + 20.0),
        egui::Align2::LEFT_TOP,
        preview(&a.anchor.quote, chars),
        font,
        text_color,
    );
    response.on_hover_text(RichText::new(preview(&a.statement, 300)))
}

/// The colour of the label called `name` (grey when unknown).
pub fn label_color(labels: &[Label], name: &str) -> Color32 {
    let [r, g, b] = labels
        .iter()
        .find(|l| l.name == name)
        .map(|l| l.rgb())
        .unwrap_or([0x99, 0x99, 0x99]);
    Color32::from_rgb(r, g, b)
}

fn needs_attention(a: &Annotation) -> bool {
    a.state.is_orphaned()
        || a.state.needs_confirming()
        || !a.conflicts.is_empty()
        || a.wording_changed()
}

fn matches_filter(a: &Annotation, needle: &str) -> bool {
    let has = |s: &str| s.to_lowercase().contains(needle);
    has(&a.anchor.quote)
        || has(&a.statement)
        || has(&a.label)
        || has(&a.claimant)
        || has(&a.rationale)
        || a.verdict.as_deref().is_some_and(has)
        || has(a.status.name())
        || a.tags.iter().any(|t| has(t))
}
