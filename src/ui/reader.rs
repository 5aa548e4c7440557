//! The story reader: a custom egui widget that shows a story with its highlights, find
//! matches and the user's selection, and reports what the user selected, clicked or hovered.
//!
//! It owns only view state: the user's text selection (kept here, not in egui, so it survives
//! clicks elsewhere in the app), the layout caches and the scroll anchoring. The caller owns
//! the story and the annotations, passes them in every frame ([`ReaderInput`]) and turns the
//! [`ReaderOutput`] into commands. This widget must never change annotations itself.
//!
//! # Cost follows the screen
//! The story is cut into chunks (lines, long lines split at whitespace; see `chunks`). Only
//! chunks inside the viewport are laid out; each galley is memoized per chunk and layout key
//! (wrap width, font size, pixels per point) and checked against egui's memo every frame (a
//! theme or font change clears egui's glyph atlas), and the galleys hold no highlight styling, so editing a highlight
//! never re-lays text out. Chunks never laid out get an estimated height, kept in a Fenwick
//! tree with the measured ones, so the scroll bar covers a 10 MB story without laying it out.
//! Highlights are found through an index (`index`), never by a scan per frame.
//!
//! # Selecting and scrolling
//! A drag inside one word is exact to the char; once it crosses into another word both ends
//! take in their whole words (as word processors do); Alt+drag is exact everywhere. The app
//! turns the scrolling keys into [`Scroll`] steps ([`ReaderInput::scroll`]): a page is the
//! viewport's height, the end is the height index's total, so a jump costs a screenful of
//! layout, not the story. [`Reader::place`] / [`Reader::restore`] take the reader back to a
//! place (the piece of text at the top, the selection) when a story is opened again.
//!
//! # Accessibility
//! The reader is an AccessKit document named "Story", described by the selected highlight's
//! hover text (label, statement, verdict, status) or the selected text; each paragraph piece
//! on screen is a paragraph node holding its text.
//!
//! # Limitations
//! - The pieces of a line longer than `MAX_CHUNK_BYTES` each start on a new row.
//! - Measured heights are kept for the last few (wrap width, zoom) pairs only; a story seen at
//!   a new width starts from estimates again.
//! - Scrolling up into paragraphs never laid out is anchored (the text being read stays
//!   still), but the scroll bar's thumb can creep as estimates are replaced by real heights.
//! - Shift+Up/Down only move within the chunks on screen.
//! - Only the paragraphs on screen are exposed to screen readers; a reader reaches the rest
//!   by scrolling (the keyboard scrolls the story).

mod chunks;
mod index;
mod paint;
mod words;

use paint::segments;
use words::grapheme_step;

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{
    self, Color32, FontId, Galley, Key, Pos2, Rect, Sense, Ui, pos2, text::LayoutJob, vec2,
};

use crate::anchor::Span;
use crate::app::command::Scroll;
use crate::model::AnnotationId;
use crate::text::StoryText;

use chunks::{Chunk, HeightIndex, MAX_CHUNK_BYTES, split_into_chunks};
use index::{Hit, SpanIndex};

/// Line height as a multiple of the font size: comfortable reading.
const LINE_SPACING: f32 = 1.5;
/// Extra space after each paragraph, as a multiple of the font size.
const PARAGRAPH_GAP: f32 = 0.6;
/// Widest text column, in multiples of the font size (about 80 chars of body text).
const MAX_COLUMN_EMS: f32 = 40.0;
/// Space around the text column.
const MARGIN: f32 = 16.0;
/// Galleys kept for chunks that scrolled away (a few screens' worth).
const MAX_CACHED_GALLEYS: usize = 160;
/// Layout keys whose measured heights are kept.
const KEPT_HEIGHT_INDEXES: usize = 4;
/// Underline lanes drawn; deeper nesting shares the last lane.
const MAX_LANES: u16 = 4;

/// A highlight to draw: an annotation's span in its label colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    pub id: AnnotationId,
    pub span: Span,
    pub color: Color32,
    /// Shown when the pointer rests on the highlight (e.g. statement and verdict); empty
    /// for none.
    pub tooltip: String,
}

/// What the reader shows this frame. Revisions let it keep its caches between frames.
pub struct ReaderInput<'a> {
    pub text: &'a StoryText,
    /// Must change whenever the story text is replaced.
    pub text_revision: u64,
    /// Any order; the reader indexes them. May hold tens of thousands.
    pub highlights: &'a [Highlight],
    /// Must change whenever any highlight changes.
    pub highlights_revision: u64,
    pub selected: Option<&'a AnnotationId>,
    /// Sorted by start.
    pub find_matches: &'a [Span],
    pub current_match: Option<usize>,
    /// Suggested claims to mark (a dotted underline, readable over highlights), sorted by
    /// start, and the one walked to (outlined).
    pub suggestions: &'a [Span],
    pub current_suggestion: Option<Span>,
    /// A char position to bring into view (centred); pass it for one frame only.
    pub scroll_to: Option<usize>,
    /// Keyboard scrolls asked for since the last frame, in order.
    pub scroll: &'a [Scroll],
    /// Body font size in points (zoom).
    pub font_size: f32,
}

impl<'a> ReaderInput<'a> {
    /// A plain view of `text`: no highlights, no find matches, 16 pt.
    pub fn new(text: &'a StoryText, text_revision: u64) -> Self {
        Self {
            text,
            text_revision,
            highlights: &[],
            highlights_revision: 0,
            selected: None,
            find_matches: &[],
            current_match: None,
            suggestions: &[],
            current_suggestion: None,
            scroll_to: None,
            scroll: &[],
            font_size: 16.0,
        }
    }
}

/// Where a reader is in its story: enough to come back to the same place later, in chars
/// (so it holds across a new width or text size).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReadingPlace {
    /// The first char of the paragraph piece at the top of the screen.
    pub top_char: usize,
    /// How far the screen's top is below that piece's top, in points.
    pub within: f32,
    /// The text selection.
    pub selection: Option<Span>,
}

/// What the user did in the reader this frame.
pub struct ReaderOutput {
    /// The current selection, snapped to graphemes and trimmed; `None` when empty.
    pub selection: Option<Span>,
    /// A highlight was clicked: the innermost one under the pointer.
    pub clicked: Option<AnnotationId>,
    /// The innermost highlight under the pointer.
    pub hovered: Option<AnnotationId>,
    pub response: egui::Response,
}

/// The reader widget's state. Keep one per open story view.
#[derive(Default)]
pub struct Reader {
    text_revision: Option<u64>,
    chunks: Vec<Chunk>,
    heights: HeightIndex,
    layout_key: Option<LayoutKey>,
    galleys: HashMap<usize, CachedGalley>,
    frame: u64,
    galleys_laid_out: u64,
    highlights_revision: Option<u64>,
    highlights_len: usize,
    highlight_index: SpanIndex,
    /// Raw selection as (anchor, head) char positions; anchor == head is a caret.
    selection: Option<(usize, usize)>,
    /// The cleaned selection reported to the caller.
    cleaned: Option<Span>,
    /// Where the drag in progress started (a caret), before snapping to words.
    drag_from: Option<usize>,
    /// Scroll offset to apply next frame (scroll_to, or anchoring after a re-measure).
    pending_offset: Option<f32>,
    hits: Vec<Hit>,
    /// The chunks drawn last frame, for geometry queries between frames.
    placed: Vec<Placed>,
    /// Height indexes of recent layout keys, oldest first.
    height_cache: Vec<(LayoutKey, HeightIndex)>,
    /// The part of the story shown last frame (content coordinates: `min.y` is the scroll
    /// offset).
    viewport: Option<Rect>,
    /// The screen y of the viewport's top, last frame.
    view_top: f32,
    /// A place to go back to once the story is cut into chunks (next frame).
    restore: Option<ReadingPlace>,
    /// Take the keyboard focus next frame.
    focus_next: bool,
    /// Ctrl+End was pressed: keep the end in view while the last screens' real heights
    /// replace their estimates.
    to_end: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct LayoutKey {
    wrap_width: f32,
    font_size: f32,
    /// Glyph positions are rounded to physical pixels, so heights differ per scale.
    pixels_per_point: f32,
}

struct CachedGalley {
    galley: Arc<Galley>,
    /// Char offset (within the chunk) where each row starts.
    row_starts: Vec<usize>,
    last_used: u64,
}

/// A chunk placed on screen this frame.
struct Placed {
    chunk: usize,
    /// Screen position of the galley's top-left corner.
    pos: Pos2,
}

impl Reader {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cleaned selection as last reported.
    pub fn selection(&self) -> Option<Span> {
        self.cleaned
    }

    /// Replaces the selection (e.g. after the app created an annotation from it, `None`).
    pub fn set_selection(&mut self, span: Option<Span>) {
        self.selection = span.map(|s| (s.start, s.end));
        self.cleaned = span.filter(|s| !s.is_empty());
    }

    /// How many chunk galleys were laid out since the reader was created: lets tests and
    /// benchmarks check that cost follows what is on screen.
    pub fn galleys_laid_out(&self) -> u64 {
        self.galleys_laid_out
    }

    /// Screen rect of the char at `pos` as drawn last frame, if it was on screen. Lets the
    /// app place a pop-up next to the selection, and tests aim the pointer.
    pub fn char_rect(&self, pos: usize) -> Option<Rect> {
        let pl = self.placed.iter().find(|pl| {
            let ch = self.chunks[pl.chunk];
            (ch.char_start as usize) <= pos && pos < ch.char_end as usize
        })?;
        let g = self.galleys.get(&pl.chunk)?;
        segments(g, &self.chunks[pl.chunk], Span::new(pos, pos + 1), pl.pos)
            .into_iter()
            .next()
    }

    /// The chars of the chunks drawn last frame (a little more than what is visible).
    pub fn drawn_chars(&self) -> Option<Span> {
        let first = self.chunks.get(self.placed.first()?.chunk)?;
        let last = self.chunks.get(self.placed.last()?.chunk)?;
        Some(Span::new(first.char_start as usize, last.char_end as usize))
    }

    /// The scroll offset shown last frame, in points from the top of the story.
    pub fn scroll_offset(&self) -> f32 {
        self.viewport.map_or(0.0, |v| v.min.y)
    }

    /// Where the reader is: the piece of text at the top of the screen and the selection.
    pub fn place(&self) -> ReadingPlace {
        if let Some(place) = self.restore {
            return place; // never drawn since it was restored
        }
        let offset = self.scroll_offset();
        let top_chunk = self.placed.first().filter(|_| offset > 0.0);
        let (top_char, within) = match top_chunk.and_then(|p| Some((p, self.chunks.get(p.chunk)?)))
        {
            // As drawn: the viewport's top on screen less the piece's top on screen.
            Some((p, ch)) => (ch.char_start as usize, self.view_top - p.pos.y),
            None => (0, 0.0),
        };
        ReadingPlace {
            top_char,
            within,
            selection: self.cleaned,
        }
    }

    /// Takes the keyboard focus on the next frame (Shift+arrows then move the selection).
    pub fn take_focus(&mut self) {
        self.focus_next = true;
    }

    /// Goes back to `place` (e.g. a story opened again in this window) on the next frame.
    pub fn restore(&mut self, place: ReadingPlace) {
        self.restore = Some(place);
    }

    /// The id of the text area: keyboard focus on it is focus on the story.
    pub fn text_id() -> egui::Id {
        egui::Id::unique("factmark_reader_text")
    }

    /// How many chunks the story was cut into.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Draws the story and handles the pointer and keyboard. Call once per frame.
    pub fn ui(&mut self, ui: &mut Ui, input: ReaderInput<'_>) -> ReaderOutput {
        self.frame += 1;
        self.sync_text(&input);
        self.sync_highlights(&input);

        let font_size = input.font_size.clamp(6.0, 96.0);
        let avail = ui.available_size();
        let column = (avail.x - 2.0 * MARGIN)
            .min(font_size * MAX_COLUMN_EMS)
            .max(font_size * 4.0);
        let key = LayoutKey {
            wrap_width: column.round(),
            font_size,
            pixels_per_point: ui.ctx().pixels_per_point(),
        };
        if self.layout_key != Some(key) {
            self.relayout(key);
        }

        if let Some(place) = self.restore.take() {
            self.go_to_place(ui, place, input.text);
        }
        if let Some(pos) = input.scroll_to {
            self.to_end = false;
            self.pending_offset = Some(self.offset_centring(ui, input.text, pos, avail.y));
        }
        for step in input.scroll {
            self.scroll_by_key(*step, key);
        }
        if self.to_end {
            // The last screen, as the heights stand now. (Not past it: egui would show the
            // overshoot and spring back.)
            self.pending_offset = Some(self.max_offset());
        }

        // A scroll area of its own for each text: egui keeps an area's state (its last
        // largest offset, a rubber-band velocity), and another story's would pull this
        // one's offset back as if it had been scrolled past its end. (Each leaves a few
        // bytes in egui's memory: one per story opened in this window.)
        let mut area = egui::ScrollArea::vertical()
            .id_salt(("factmark_reader", input.text_revision))
            .auto_shrink([false, false]);
        if let Some(offset) = self.pending_offset.take() {
            area = area.vertical_scroll_offset(offset.max(0.0));
        }
        let id = Self::text_id();
        area.show_viewport(ui, |ui, viewport| {
            self.viewport_ui(ui, viewport, id, &input, column)
        })
        .inner
    }

    /// Moves the pending scroll offset one keyboard step. Costs nothing per chunk: a page is
    /// the viewport's height, the end is the height index's total.
    fn scroll_by_key(&mut self, step: Scroll, key: LayoutKey) {
        let row = (key.font_size * LINE_SPACING).round();
        let height = self.viewport.map_or(0.0, |v| v.height());
        let page = (height - 2.0 * row).max(row);
        let from = self.pending_offset.unwrap_or(self.scroll_offset());
        let max = self.max_offset();
        self.to_end = step == Scroll::End;
        let to = match step {
            Scroll::LineUp => from - 2.0 * row,
            Scroll::LineDown => from + 2.0 * row,
            Scroll::PageUp => from - page,
            Scroll::PageDown => from + page,
            Scroll::Start => 0.0,
            Scroll::End => max,
        };
        self.pending_offset = Some(to.clamp(0.0, max));
    }

    fn go_to_place(&mut self, ui: &Ui, place: ReadingPlace, text: &StoryText) {
        if self.chunks.is_empty() {
            return;
        }
        let n = text.len_chars();
        if place.top_char > 0 {
            let i = self.chunk_of_char(place.top_char.min(n));
            // Measured now, so drawing it cannot shift the text (see `viewport_ui`).
            self.ensure_galley(ui, text, i);
            let offset = self.heights.top(i) as f32 + MARGIN + place.within;
            self.pending_offset = Some(offset.max(0.0));
        }
        // The story may have changed on disk since: a selection past its end is dropped.
        let selection = place.selection.filter(|s| s.end <= n);
        self.selection = selection.map(|s| (s.start, s.end));
        self.cleaned = selection;
    }

    /// The offset that shows the last screen of the story.
    fn max_offset(&self) -> f32 {
        let height = self.viewport.map_or(0.0, |v| v.height());
        (self.heights.total() as f32 + 2.0 * MARGIN - height).max(0.0)
    }

    fn sync_text(&mut self, input: &ReaderInput<'_>) {
        if self.text_revision == Some(input.text_revision) {
            return;
        }
        self.text_revision = Some(input.text_revision);
        self.chunks = split_into_chunks(input.text, MAX_CHUNK_BYTES);
        self.layout_key = None;
        self.height_cache.clear();
        self.galleys.clear();
        self.placed.clear();
        self.heights = HeightIndex::default();
        self.selection = None;
        self.cleaned = None;
        // egui keeps the scroll area's offset by id, across stories: a new text starts at
        // its top (unless a place to restore or a position to show says otherwise).
        self.pending_offset = Some(0.0);
        self.to_end = false;
    }

    fn sync_highlights(&mut self, input: &ReaderInput<'_>) {
        if self.highlights_revision == Some(input.highlights_revision)
            && self.highlights_len == input.highlights.len()
        {
            return;
        }
        self.highlights_revision = Some(input.highlights_revision);
        self.highlights_len = input.highlights.len();
        self.highlight_index = SpanIndex::build(input.highlights.iter().map(|h| h.span));
    }

    /// New wrap width or zoom: every galley is stale. Heights are kept per layout key for the
    /// last few keys (a window resized back and forth, zoom in and out), else re-estimated.
    /// The first paragraph on screen stays at the top.
    fn relayout(&mut self, key: LayoutKey) {
        let reading = self.placed.first().map(|p| p.chunk);
        if let Some(old) = self.layout_key.take() {
            let heights = std::mem::take(&mut self.heights);
            self.height_cache.retain(|(k, _)| *k != old);
            self.height_cache.push((old, heights));
            if self.height_cache.len() > KEPT_HEIGHT_INDEXES {
                self.height_cache.remove(0);
            }
        }
        self.layout_key = Some(key);
        self.galleys.clear();
        self.placed.clear();
        if let Some(at) = self.height_cache.iter().position(|(k, _)| *k == key) {
            self.heights = self.height_cache.remove(at).1;
        } else {
            self.heights = estimate_heights(&self.chunks, key);
        }
        if let Some(chunk) = reading
            && self.scroll_offset() > 0.0
        {
            // One point into the chunk, so rounding cannot land on the one before. (At the
            // top the story stays at its top.)
            self.pending_offset = Some(self.heights.top(chunk) as f32 + MARGIN + 1.0);
        }
    }

    fn chunk_of_char(&self, pos: usize) -> usize {
        self.chunks
            .partition_point(|c| (c.char_end as usize) < pos)
            .min(self.chunks.len().saturating_sub(1))
    }

    /// The scroll offset that puts char `pos` in the middle of a viewport `height` high.
    fn offset_centring(&mut self, ui: &Ui, text: &StoryText, pos: usize, height: f32) -> f32 {
        if self.chunks.is_empty() {
            return 0.0;
        }
        let pos = pos.min(text.len_chars());
        let i = self.chunk_of_char(pos);
        self.ensure_galley(ui, text, i);
        let top = self.heights.top(i) as f32;
        let within = self.galleys.get(&i).map_or(0.0, |g| {
            let local = pos.saturating_sub(self.chunks[i].char_start as usize);
            g.galley
                .pos_from_cursor(egui::text::CCursor::new(local))
                .center()
                .y
        });
        top + MARGIN + within - height / 2.0
    }

    /// Lays out chunk `i` (or takes it from egui's memo); records its real height.
    ///
    /// A galley points into egui's glyph atlas, which egui clears whenever the text options
    /// change (the theme sets them: light and dark text are rasterised differently), when
    /// fonts are added, or when the atlas fills up. A galley kept from before such a clear
    /// draws nothing or the wrong glyphs. So the galley is asked of egui's own memo each
    /// time (a hash lookup: egui knows when its atlas was cleared), and ours is replaced
    /// when egui hands back a different one. Ours still holds the geometry (row starts,
    /// heights) and the galleys of chunks off screen.
    fn ensure_galley(&mut self, ui: &Ui, text: &StoryText, i: usize) -> f32 {
        let frame = self.frame;
        let (Some(key), Some(chunk)) = (self.layout_key, self.chunks.get(i).copied()) else {
            return 0.0;
        };
        let s = text
            .as_str()
            .get(chunk.byte_start as usize..chunk.byte_end as usize)
            .unwrap_or_default();
        let format = egui::TextFormat {
            font_id: FontId::proportional(key.font_size),
            line_height: Some((key.font_size * LINE_SPACING).round()),
            color: Color32::PLACEHOLDER,
            ..Default::default()
        };
        let mut job = LayoutJob::single_section(s.to_owned(), format);
        job.wrap.max_width = key.wrap_width;
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        if let Some(g) = self.galleys.get_mut(&i) {
            g.last_used = frame;
            if Arc::ptr_eq(&g.galley, &galley) {
                return 0.0;
            }
        }
        self.galleys_laid_out += 1;
        let mut row_starts = Vec::with_capacity(galley.rows.len());
        let mut at = 0;
        for row in &galley.rows {
            row_starts.push(at);
            at += row.char_count_including_newline().0;
        }
        let gap = if chunk.ends_line {
            key.font_size * PARAGRAPH_GAP
        } else {
            0.0
        };
        let height = if chunk.chars() == 0 {
            blank_line_height(key)
        } else {
            galley.rect.height() + gap
        };
        let delta = self.heights.set_measured(i, height);
        self.galleys.insert(
            i,
            CachedGalley {
                galley,
                row_starts,
                last_used: frame,
            },
        );
        delta
    }

    fn evict_galleys(&mut self) {
        if self.galleys.len() <= MAX_CACHED_GALLEYS {
            return;
        }
        let mut ages: Vec<u64> = self.galleys.values().map(|g| g.last_used).collect();
        ages.sort_unstable();
        let cutoff = ages[ages.len() - MAX_CACHED_GALLEYS];
        self.galleys.retain(|_, g| g.last_used >= cutoff);
    }

    fn viewport_ui(
        &mut self,
        ui: &mut Ui,
        viewport: Rect,
        id: egui::Id,
        input: &ReaderInput<'_>,
        column: f32,
    ) -> ReaderOutput {
        let origin = ui.max_rect().min;
        self.view_top = origin.y + viewport.min.y;
        let full_width = ui.available_width();
        let left = origin.x + ((full_width - column) / 2.0).max(MARGIN);

        // Lay out what is on screen. When the first chunk starts above the viewport and its
        // first layout changes its height, everything after it moves: draw this frame shifted
        // and move the scroll offset by the same amount, so the text being read stays still.
        let mut placed = Vec::new();
        if !self.chunks.is_empty() {
            let first = self
                .heights
                .chunk_at((viewport.min.y - MARGIN).max(0.0) as f64);
            let mut i = first;
            let mut top = self.heights.top(first) as f32;
            let mut shift = 0.0;
            loop {
                let delta = self.ensure_galley(ui, input.text, i);
                if i == first && MARGIN + top < viewport.min.y && delta != 0.0 {
                    shift = delta;
                    self.pending_offset = Some(viewport.min.y + delta);
                }
                placed.push(Placed {
                    chunk: i,
                    pos: pos2(left, origin.y + MARGIN + top - shift),
                });
                top += self.heights.height(i);
                i += 1;
                if i >= self.chunks.len() || MARGIN + top - shift > viewport.max.y {
                    break;
                }
            }
        }

        let total = self.heights.total() as f32 + 2.0 * MARGIN;
        ui.set_min_size(vec2(full_width, total));
        if self.to_end {
            // Done once the end is on screen and this frame measured nothing new.
            let settled = self.viewport == Some(viewport) && viewport.max.y >= total - 1.0;
            if settled {
                self.to_end = false;
            } else {
                ui.ctx().request_repaint();
            }
        }
        self.viewport = Some(viewport);

        let clip = ui.clip_rect();
        let response = ui.interact(clip, id, Sense::click_and_drag());
        let mut output = ReaderOutput {
            selection: None,
            clicked: None,
            hovered: None,
            response: response.clone(),
        };

        if std::mem::take(&mut self.focus_next) {
            response.request_focus();
        }
        self.accessibility_ui(ui, id, &response, &placed, input);
        let tooltip = self.handle_pointer(ui, &response, &placed, input, &mut output);
        if response.has_focus() {
            self.handle_keys(ui, id, &placed, input);
        }
        self.cleaned = self
            .selection
            .and_then(|(a, h)| input.text.clean_selection(Span::new(a.min(h), a.max(h))));
        output.selection = self.cleaned;

        self.paint(ui, &placed, input);
        self.placed = placed;
        self.evict_galleys();

        if let Some(tooltip) = tooltip {
            output.response = output.response.on_hover_text_at_pointer(tooltip);
        }
        output
    }

    /// What a screen reader is told: the reader is a document named "Story", described by
    /// the highlight selected in it (label, statement, verdict, status) or the text
    /// selection; each paragraph piece on screen is a paragraph node holding its text. Only
    /// what is drawn gets a node, so a 10 MB story costs what a screenful does.
    fn accessibility_ui(
        &self,
        ui: &Ui,
        id: egui::Id,
        response: &egui::Response,
        placed: &[Placed],
        input: &ReaderInput<'_>,
    ) {
        let selected = input
            .selected
            .and_then(|sel| input.highlights.iter().find(|h| &h.id == sel));
        let description = match (selected, self.cleaned) {
            (Some(h), _) if !h.tooltip.is_empty() => {
                format!("Selected highlight: {}", h.tooltip.replace('\n', ". "))
            }
            (_, Some(span)) => format!(
                "Selected text: {}",
                input.text.slice_chars(span.start..span.end)
            ),
            _ => String::new(),
        };
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::accesskit::Role::Document, true, "Story")
        });
        ui.ctx().accesskit_node_builder(id, |node| {
            if !description.is_empty() {
                node.set_description(description);
            }
        });
        for pl in placed {
            let (text, chunk) = self.chunk_text(input.text, pl.chunk);
            if chunk.chars() == 0 {
                continue;
            }
            let size = vec2(
                self.galleys
                    .get(&pl.chunk)
                    .map_or(0.0, |g| g.galley.rect.width()),
                self.heights.height(pl.chunk),
            );
            let r = ui.interact(
                Rect::from_min_size(pl.pos, size),
                id.with(("paragraph", pl.chunk)),
                Sense::hover(),
            );
            r.widget_info(|| {
                egui::WidgetInfo::labeled(egui::accesskit::Role::Paragraph, true, text.trim_end())
            });
        }
    }

    /// The caret position (char) nearest to screen point `p`.
    fn cursor_at(&self, placed: &[Placed], p: Pos2) -> Option<usize> {
        let (first, last) = (placed.first()?, placed.last()?);
        let target = placed
            .iter()
            .find(|pl| p.y < pl.pos.y + self.heights.height(pl.chunk))
            .unwrap_or(last);
        let chunk = self.chunks[target.chunk];
        if p.y < first.pos.y {
            return Some(self.chunks[first.chunk].char_start as usize);
        }
        let g = self.galleys.get(&target.chunk)?;
        let local = g.galley.cursor_from_pos(p - target.pos).index.0;
        Some(chunk.char_start as usize + local.min(chunk.chars()))
    }

    /// The char whose glyph is under screen point `p`, if any.
    fn char_under(&self, placed: &[Placed], p: Pos2) -> Option<usize> {
        for pl in placed {
            let g = self.galleys.get(&pl.chunk)?;
            let local = p - pl.pos;
            for (r, row) in g.galley.rows.iter().enumerate() {
                if local.y < row.min_y() || local.y >= row.max_y() {
                    continue;
                }
                let x = local.x - row.pos.x;
                let col = row
                    .glyphs
                    .iter()
                    .position(|gl| gl.pos.x <= x && x < gl.max_x())?;
                return Some(self.chunks[pl.chunk].char_start as usize + g.row_starts[r] + col);
            }
        }
        None
    }

    fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        placed: &[Placed],
        input: &ReaderInput<'_>,
        output: &mut ReaderOutput,
    ) -> Option<String> {
        // A click's own modifiers count too: the platform may report them only there.
        let shift = ui.input(|i| {
            i.modifiers.shift
                || i.events.iter().any(|e| {
                    matches!(e, egui::Event::PointerButton { pressed: true, modifiers, .. }
                        if modifiers.shift)
                })
        });
        let mut hovered = None;
        if let Some(p) = response.hover_pos()
            && let Some(c) = self.char_under(placed, p)
            && let Some(hit) = self.highlight_index.innermost_at(c)
            && let Some(h) = input.highlights.get(hit.item)
        {
            output.hovered = Some(h.id.clone());
            hovered = Some(h);
        }

        let pressed = ui.input(|i| i.pointer.primary_pressed());
        if response.double_clicked() {
            if let Some(p) = response.interact_pointer_pos()
                && let Some(c) = self.cursor_at(placed, p)
            {
                self.selection = self.word_at(input.text, c);
            }
            return tooltip_of(hovered);
        }
        if pressed && response.is_pointer_button_down_on() {
            response.request_focus();
            // Where the button went down, not where the pointer is by this frame: the press
            // and the first move can arrive together.
            let origin = ui
                .input(|i| i.pointer.press_origin())
                .or(response.interact_pointer_pos());
            if let Some(p) = origin
                && let Some(c) = self.cursor_at(placed, p)
            {
                let anchor = match (shift, self.selection) {
                    (true, Some((anchor, _))) => anchor,
                    _ => c,
                };
                self.selection = Some((anchor, c));
                self.drag_from = Some(anchor);
            }
        }
        let dragging = response.dragged_by(egui::PointerButton::Primary);
        // The frame the button comes up still counts: the last move can come with it.
        let released = response.drag_stopped_by(egui::PointerButton::Primary);
        if !pressed
            && (dragging || released)
            && let Some(p) = ui.input(|i| i.pointer.latest_pos())
        {
            let by_char = ui.input(|i| i.modifiers.alt);
            if let Some(c) = self.cursor_at(placed, p)
                && let Some(from) = self.drag_from
            {
                self.selection = Some(if by_char {
                    (from, c)
                } else {
                    self.snap_to_words(input.text, from, c)
                });
            }
            // Dragging past the top or bottom edge scrolls.
            let clip = ui.clip_rect();
            let dy = if p.y < clip.top() {
                clip.top() - p.y
            } else if p.y > clip.bottom() {
                clip.bottom() - p.y
            } else {
                0.0
            };
            if dragging && dy != 0.0 {
                ui.scroll_with_delta(vec2(0.0, dy.clamp(-40.0, 40.0)));
                ui.ctx().request_repaint();
            }
        }
        if response.clicked()
            && !shift
            && let Some(p) = response.interact_pointer_pos()
            && let Some(c) = self.char_under(placed, p)
            && let Some(hit) = self.highlight_index.innermost_at(c)
        {
            output.clicked = input.highlights.get(hit.item).map(|h| h.id.clone());
        }
        tooltip_of(hovered)
    }

    fn handle_keys(&mut self, ui: &Ui, id: egui::Id, placed: &[Placed], input: &ReaderInput<'_>) {
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                id,
                egui::EventFilter {
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    ..Default::default()
                },
            )
        });
        let Some((anchor, mut head)) = self.selection else {
            return;
        };
        let events = ui.input(|i| i.events.clone());
        for event in events {
            let egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                continue;
            };
            if !modifiers.shift {
                continue;
            }
            let by_word = modifiers.command || modifiers.alt;
            head = match key {
                Key::ArrowLeft if by_word => self.word_left(input.text, head),
                Key::ArrowRight if by_word => self.word_right(input.text, head),
                Key::ArrowLeft => grapheme_step(input.text, head, false),
                Key::ArrowRight => grapheme_step(input.text, head, true),
                Key::ArrowUp | Key::ArrowDown => {
                    let down = key == Key::ArrowDown;
                    self.row_step(placed, head, down).unwrap_or(head)
                }
                _ => head,
            };
        }
        self.selection = Some((anchor, head));
    }

    /// The screen position of caret `c`, if its chunk is on screen.
    fn caret_rect(&self, placed: &[Placed], c: usize) -> Option<Rect> {
        let pl = placed.iter().find(|pl| {
            let ch = self.chunks[pl.chunk];
            (ch.char_start as usize..=ch.char_end as usize).contains(&c)
        })?;
        let g = self.galleys.get(&pl.chunk)?;
        let local = c - self.chunks[pl.chunk].char_start as usize;
        Some(
            g.galley
                .pos_from_cursor(egui::text::CCursor::new(local))
                .translate(pl.pos.to_vec2()),
        )
    }

    fn row_step(&self, placed: &[Placed], c: usize, down: bool) -> Option<usize> {
        let r = self.caret_rect(placed, c)?;
        let y = if down {
            r.bottom() + r.height() / 2.0
        } else {
            r.top() - r.height() / 2.0
        };
        self.cursor_at(placed, pos2(r.left(), y))
    }
}

fn tooltip_of(h: Option<&Highlight>) -> Option<String> {
    h.map(|h| h.tooltip.clone()).filter(|t| !t.is_empty())
}

/// An empty line between paragraphs adds a little space, not a whole row: stories that
/// separate paragraphs with blank lines would otherwise read double-spaced.
fn blank_line_height(key: LayoutKey) -> f32 {
    (key.font_size * 0.4).round()
}

/// Heights for chunks never laid out at this key: body text averages about half an em per
/// char, which keeps the scroll bar honest to within a few percent.
fn estimate_heights(chunks: &[Chunk], key: LayoutKey) -> HeightIndex {
    let row = (key.font_size * LINE_SPACING).round();
    let gap = key.font_size * PARAGRAPH_GAP;
    let chars_per_row = (key.wrap_width / (key.font_size * 0.5)).max(1.0);
    HeightIndex::new(
        chunks
            .iter()
            .map(|c| {
                if c.chars() == 0 {
                    return blank_line_height(key);
                }
                let rows = (c.chars() as f32 / chars_per_row).ceil().max(1.0);
                rows * row + if c.ends_line { gap } else { 0.0 }
            })
            .collect(),
    )
}
