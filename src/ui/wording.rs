//! The changed-wording box of the inspector (SPEC 9): the wording a verdict was checked
//! against and the story's wording now, side by side, with the words that changed marked
//! (struck out on the old side, underlined on the new one) and changed numbers in bold.
//!
//! It draws and reports the person's decision as a [`WordingChoice`]; the caller turns that
//! into a command. The diff itself is computed by [`crate::wording::diff_words`] (no egui
//! there), once per pair of wordings, and kept in egui's temporary memory.

use eframe::egui::{self, Color32, RichText, TextFormat, Ui, text::LayoutJob};

use crate::model::{Annotation, Status};
use crate::wording::{Change, Segment, diff_words};

/// What the person decided in the box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordingChoice {
    /// Accept the new wording; an Approved claim goes back to Needs review.
    Confirm,
    /// Accept it and record that it does not affect the verdict.
    KeepVerdict,
}

/// The box, when `a`'s wording changed; `None` otherwise, or when nothing was clicked.
pub fn wording_ui(ui: &mut Ui, a: &Annotation, read_only: bool) -> Option<WordingChoice> {
    let checked = a
        .checked_wording
        .as_deref()
        .filter(|_| a.wording_changed())?;
    let current = a.anchor.quote.as_str();
    let segments = cached_diff(ui, checked, current);
    let mut choice = None;
    egui::Frame::group(ui.style())
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong("Wording changed");
            ui.label(if a.status == Status::Approved {
                "The story no longer says what was checked. Confirming sends this Approved claim back to review, unless the change does not affect the verdict."
            } else {
                "The story no longer says what was checked. Compare the two wordings, then confirm."
            });
            ui.columns(2, |cols| {
                cols[0].label(RichText::new("Checked").small().weak());
                cols[0].label(side_job(cols[0].style(), &segments, Change::Removed));
                cols[1].label(RichText::new("Story now").small().weak());
                cols[1].label(side_job(cols[1].style(), &segments, Change::Added));
            });
            ui.add_enabled_ui(!read_only, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let confirm = if a.status == Status::Approved {
                        "Confirm: back to review (Enter)"
                    } else {
                        "Confirm new wording (Enter)"
                    };
                    if ui.button(confirm).clicked() {
                        choice = Some(WordingChoice::Confirm);
                    }
                    if ui
                        .button("Wording change does not affect the verdict")
                        .on_hover_text(
                            "Keeps the verdict and status; your name and the time are recorded with the claim.",
                        )
                        .clicked()
                    {
                        choice = Some(WordingChoice::KeepVerdict);
                    }
                });
            });
        });
    choice
}

/// One side of the diff as a layout job: segments of the other side are left out, changed
/// ones marked, numbers among them in bold (strong colour).
fn side_job(style: &egui::Style, segments: &[Segment], this_side: Change) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(style);
    let normal = style.visuals.text_color();
    let strong = style.visuals.strong_text_color();
    let (mark, mark_bg) = match this_side {
        Change::Removed => (
            Color32::from_rgb(0xc0, 0x39, 0x2b),
            Color32::from_rgba_unmultiplied(0xc0, 0x39, 0x2b, 40),
        ),
        _ => (
            Color32::from_rgb(0x1e, 0x84, 0x49),
            Color32::from_rgba_unmultiplied(0x1e, 0x84, 0x49, 40),
        ),
    };
    let mut job = LayoutJob::default();
    job.wrap.max_width = f32::INFINITY;
    for s in segments {
        if s.change != Change::Same && s.change != this_side {
            continue;
        }
        let mut format = TextFormat::simple(font.clone(), normal);
        if s.change == this_side {
            format.color = if s.has_number { strong } else { mark };
            format.background = mark_bg;
            let stroke = egui::Stroke::new(if s.has_number { 2.0 } else { 1.0 }, mark);
            if this_side == Change::Removed {
                format.strikethrough = stroke;
            } else {
                format.underline = stroke;
            }
            if s.has_number {
                // Bold by weight is not available for every font; a larger size and the
                // strong colour make a changed figure stand out in any script.
                format.font_id.size *= 1.15;
            }
        }
        job.append(&s.text, 0.0, format);
    }
    job
}

/// The diff of two wordings, computed once per pair (the inspector redraws every frame).
fn cached_diff(ui: &Ui, checked: &str, current: &str) -> std::sync::Arc<Vec<Segment>> {
    let id = ui.scope_id().with(("wording-diff", checked, current));
    if let Some(hit) = ui.data(|d| d.get_temp::<std::sync::Arc<Vec<Segment>>>(id)) {
        return hit;
    }
    let diff = std::sync::Arc::new(diff_words(checked, current));
    ui.data_mut(|d| d.insert_temp(id, diff.clone()));
    diff
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::anchor::{Anchor, Span};
    use crate::text::StoryText;

    fn changed_claim() -> Annotation {
        let text = StoryText::new("The plan costs $4 billion over ten years.".to_owned());
        let mut a = Annotation::new(Anchor::from_span(&text, Span::new(0, 40)), "Claim", "t");
        a.status = Status::Approved;
        a.checked_wording = Some("The plan costs $1 billion over ten years".into());
        a
    }

    /// Draws the box for `a` and returns what was chosen on the last frame.
    fn harness(a: Annotation) -> Harness<'static, (Annotation, Option<WordingChoice>)> {
        Harness::builder()
            .with_size(egui::vec2(700.0, 300.0))
            .build_ui_state(
                |ui, (a, choice): &mut (Annotation, Option<WordingChoice>)| {
                    if let Some(c) = wording_ui(ui, a, false) {
                        *choice = Some(c);
                    }
                },
                (a, None),
            )
    }

    #[test]
    fn shows_both_wordings_and_reports_each_choice() {
        let mut h = harness(changed_claim());
        h.run();
        h.get_by_label("Checked");
        h.get_by_label("Story now");
        h.get_by_label("The plan costs $1 billion over ten years");
        h.get_by_label("The plan costs $4 billion over ten years");
        h.get_by_label("Wording change does not affect the verdict")
            .click();
        h.run();
        assert_eq!(h.state().1, Some(WordingChoice::KeepVerdict));
        h.get_by_label("Confirm: back to review (Enter)").click();
        h.run();
        assert_eq!(h.state().1, Some(WordingChoice::Confirm));
    }

    #[test]
    fn nothing_is_drawn_for_an_unchanged_wording() {
        let mut a = changed_claim();
        a.checked_wording = None;
        let mut h = harness(a);
        h.run();
        assert!(h.query_by_label("Wording changed").is_none());
    }
}
