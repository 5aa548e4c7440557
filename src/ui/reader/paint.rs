//! Painting the reader: highlight fills and underline lanes, find matches, the selection,
//! suggested claims and the selected highlight's outline, over the galleys laid out this
//! frame. It draws only; it changes no state but the reused hit buffer.

use eframe::egui::{self, Color32, CornerRadius, Pos2, Rect, Stroke, StrokeKind, Ui, vec2};

use super::{CachedGalley, Chunk, MAX_LANES, Placed, Reader, ReaderInput};
use crate::anchor::Span;

impl Reader {
    pub(super) fn paint(&mut self, ui: &Ui, placed: &[Placed], input: &ReaderInput<'_>) {
        let (Some(first), Some(last)) = (placed.first(), placed.last()) else {
            return;
        };
        let painter = ui.painter();
        let visuals = ui.visuals();
        let dark = visuals.dark_mode;
        let text_color = visuals.text_color();
        let range = Span::new(
            self.chunks[first.chunk].char_start as usize,
            self.chunks[last.chunk].char_end as usize + 1,
        );
        let mut hits = std::mem::take(&mut self.hits);
        self.highlight_index.overlapping(range, &mut hits);
        let fill_alpha = if dark { 0.32 } else { 0.28 };
        let lane_gap = 3.0;

        let selected_span = input.selected.and_then(|id| {
            hits.iter()
                .find(|h| input.highlights.get(h.item).is_some_and(|hl| &hl.id == id))
                .map(|h| h.span)
        });
        let matches_from = input.find_matches.partition_point(|m| m.end <= range.start);
        let matches_to = input.find_matches.partition_point(|m| m.start < range.end);
        let find_fill = if dark {
            Color32::from_rgba_unmultiplied(255, 220, 60, 70)
        } else {
            Color32::from_rgba_unmultiplied(255, 200, 0, 90)
        };
        let current_fill = Color32::from_rgba_unmultiplied(255, 140, 0, 150);
        let selection_fill = visuals.selection.bg_fill.gamma_multiply(0.6);
        let selection = self.cleaned;

        for pl in placed {
            let Some(g) = self.galleys.get(&pl.chunk) else {
                continue;
            };
            let chunk = self.chunks[pl.chunk];
            let segments = |span: Span| segments(g, &chunk, span, pl.pos);

            for h in &hits {
                let Some(hl) = input.highlights.get(h.item) else {
                    continue;
                };
                let fill = hl.color.gamma_multiply(fill_alpha);
                for r in segments(h.span) {
                    painter.rect_filled(r.shrink2(vec2(0.0, 2.0)), 2.0, fill);
                }
            }
            for (k, m) in input.find_matches[matches_from..matches_to.max(matches_from)]
                .iter()
                .enumerate()
            {
                let current = input.current_match == Some(matches_from + k);
                for r in segments(*m) {
                    painter.rect_filled(r, 2.0, if current { current_fill } else { find_fill });
                }
            }
            if let Some(sel) = selection {
                for r in segments(sel) {
                    painter.rect_filled(r, 0.0, selection_fill);
                }
            }

            painter.galley(pl.pos, g.galley.clone(), text_color);

            for h in &hits {
                let Some(hl) = input.highlights.get(h.item) else {
                    continue;
                };
                let lane = h.lane.min(MAX_LANES - 1) as f32;
                for r in segments(h.span) {
                    let y = r.bottom() - 3.0 - lane * lane_gap;
                    painter.hline(r.x_range(), y, Stroke::new(2.0, hl.color));
                }
            }
            paint_suggestions(painter, &segments, input, range, text_color);
            if let Some(span) = selected_span {
                for r in segments(span) {
                    painter.rect_stroke(
                        r.expand(1.0),
                        CornerRadius::same(3),
                        Stroke::new(2.0, text_color),
                        StrokeKind::Outside,
                    );
                }
            }
            if let Some(m) = input.current_match.and_then(|i| input.find_matches.get(i)) {
                for r in segments(*m) {
                    painter.rect_stroke(
                        r,
                        CornerRadius::same(2),
                        Stroke::new(1.5, Color32::from_rgb(230, 110, 0)),
                        StrokeKind::Outside,
                    );
                }
            }
        }
        self.hits = hits;
    }
}

/// Suggested claims: a dotted line just under the text (above the highlights' underline
/// lanes, and never a fill, so a highlight's colour stays readable), and a thin dashed-look
/// outline around the one walked to.
fn paint_suggestions(
    painter: &egui::Painter,
    segments: &dyn Fn(Span) -> Vec<Rect>,
    input: &ReaderInput<'_>,
    range: Span,
    color: Color32,
) {
    let from = input.suggestions.partition_point(|m| m.end <= range.start);
    let to = input
        .suggestions
        .partition_point(|m| m.start < range.end)
        .max(from);
    let dot = color.gamma_multiply(0.8);
    for span in &input.suggestions[from..to] {
        for r in segments(*span) {
            let y = r.bottom() - 1.0;
            let mut x = r.left();
            while x < r.right() {
                painter.circle_filled(egui::pos2(x + 1.0, y), 1.0, dot);
                x += 4.0;
            }
        }
    }
    if let Some(span) = input.current_suggestion {
        for r in segments(span) {
            painter.rect_stroke(
                r.expand(1.0),
                CornerRadius::same(2),
                Stroke::new(1.0, color),
                StrokeKind::Outside,
            );
        }
    }
}

/// Screen rects covering the part of `span` that lies in chunk `chunk`, one per row.
pub(super) fn segments(g: &CachedGalley, chunk: &Chunk, span: Span, origin: Pos2) -> Vec<Rect> {
    let (cs, ce) = (chunk.char_start as usize, chunk.char_end as usize);
    let (a, b) = (span.start.max(cs), span.end.min(ce));
    if a >= b {
        return Vec::new();
    }
    let (a, b) = (a - cs, b - cs);
    let mut out = Vec::new();
    let first = g.row_starts.partition_point(|&s| s <= a).saturating_sub(1);
    for (r, row) in g.galley.rows.iter().enumerate().skip(first) {
        let start = g.row_starts[r];
        if start >= b {
            break;
        }
        let n = row.glyphs.len();
        let from = a.saturating_sub(start).min(n);
        let to = (b - start).min(n);
        if from >= to {
            continue;
        }
        let x0 = row.pos.x + row.x_offset(egui::text::CharIndex(from));
        let x1 = row.pos.x + row.x_offset(egui::text::CharIndex(to));
        out.push(Rect::from_min_max(
            origin + vec2(x0, row.min_y()),
            origin + vec2(x1, row.max_y()),
        ));
    }
    out
}
