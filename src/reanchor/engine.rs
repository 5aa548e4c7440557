//! The re-anchoring search: pass 1 (exact, near the predicted place), pass 2 (between found
//! neighbours: exact, bracketed by surviving context, approximate), and the whole-text
//! search within budget. The policy it serves is documented in [`super`].
//!
//! It must not decide thresholds (they are [`super`]'s) nor count work itself outside
//! [`super::budget`].

use std::cell::OnceCell;
use std::ops::Range;

use memchr::memmem;
use unicode_segmentation::GraphemeCursor;

use super::budget::{Budget, Work};
use super::myers;
use super::{MIN_CONFIDENCE, MOVE_CONFIDENCE, Outcome};
use crate::anchor::{Anchor, CONTEXT_CHARS, Span};
use crate::text::StoryText;

/// `pos + delta`, clamped to `0..=len`.
pub(super) fn shift(pos: usize, delta: isize, len: usize) -> usize {
    pos.saturating_add_signed(delta).min(len)
}

/// The most edit operations an approximate match of a quote of `m` chars may have.
///
/// 40 % of the quote for quotes of 32 chars or more, but never more than 256 (the cost of
/// the search grows with it; a long quote edited more than that is still found between its
/// surviving prefix and suffix); less, down to none at 11 chars and below, for shorter
/// ones: two errors in an 8-char quote match half the words of a story.
pub(super) fn max_errors(m: usize) -> usize {
    if m <= 11 {
        return 0;
    }
    let scale = (m as f64 / 32.0).min(1.0);
    (((m - 4) as f64 * 0.4 * scale) as usize).min(MAX_ERRORS)
}

/// A result in byte offsets, before it becomes an [`Outcome`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Found {
    /// The stored span (these bytes) holds the quote.
    Kept {
        start: usize,
        end: usize,
    },
    /// An exact occurrence with its whole context ("perfect").
    Exact {
        start: usize,
        end: usize,
    },
    /// A scored candidate.
    Scored(Candidate),
    Orphaned,
}

impl Found {
    pub(super) fn span(&self) -> Option<(usize, usize)> {
        match self {
            Found::Kept { start, end } | Found::Exact { start, end } => Some((*start, *end)),
            Found::Scored(c) => Some((c.start, c.end)),
            Found::Orphaned => None,
        }
    }
}

/// A place the quote might be, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Candidate {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) errors: usize,
    pub(super) confidence: f32,
    /// Bytes from the expected position, for ties.
    pub(super) distance: usize,
}

impl Candidate {
    pub(super) fn better_than(&self, other: &Candidate) -> bool {
        const EPS: f32 = 1e-6;
        if (self.confidence - other.confidence).abs() > EPS {
            return self.confidence > other.confidence;
        }
        (self.errors, self.distance) < (other.errors, other.distance)
    }
}

pub(super) fn keep_best(best: &mut Option<Candidate>, c: Candidate) {
    if best.is_none_or(|b| c.better_than(&b)) {
        *best = Some(c);
    }
}

/// One anchor, prepared for searching. Bit-parallel patterns are built only when needed.
pub(super) struct Query<'a> {
    pub(super) anchor: &'a Anchor,
    pub(super) quote: &'a [u8],
    pub(super) prefix: &'a [u8],
    pub(super) suffix: &'a [u8],
    /// Lengths in chars.
    pub(super) m: usize,
    pub(super) lp: usize,
    pub(super) ls: usize,
    pub(super) k: usize,
    pub(super) finder: OnceCell<memmem::Finder<'a>>,
    pub(super) forward: OnceCell<myers::Pattern>,
    pub(super) backward: OnceCell<myers::Pattern>,
    pub(super) prefix_backward: OnceCell<myers::Pattern>,
    pub(super) suffix_forward: OnceCell<myers::Pattern>,
    /// The first [`HEAD_CHARS`] chars, forwards and backwards, for long quotes.
    pub(super) head: OnceCell<(myers::Pattern, myers::Pattern)>,
}

impl<'a> Query<'a> {
    pub(super) fn new(anchor: &'a Anchor) -> Self {
        let m = anchor.quote.chars().count();
        Self {
            anchor,
            quote: anchor.quote.as_bytes(),
            prefix: anchor.prefix.as_bytes(),
            suffix: anchor.suffix.as_bytes(),
            m,
            lp: anchor.prefix.chars().count(),
            ls: anchor.suffix.chars().count(),
            k: max_errors(m),
            finder: OnceCell::new(),
            forward: OnceCell::new(),
            backward: OnceCell::new(),
            prefix_backward: OnceCell::new(),
            suffix_forward: OnceCell::new(),
            head: OnceCell::new(),
        }
    }

    pub(super) fn finder(&self) -> &memmem::Finder<'a> {
        self.finder.get_or_init(|| memmem::Finder::new(self.quote))
    }

    pub(super) fn forward(&self) -> &myers::Pattern {
        self.forward
            .get_or_init(|| myers::Pattern::new(self.anchor.quote.chars()))
    }

    pub(super) fn backward(&self) -> &myers::Pattern {
        self.backward
            .get_or_init(|| myers::Pattern::new(self.anchor.quote.chars().rev()))
    }

    pub(super) fn head(&self) -> &(myers::Pattern, myers::Pattern) {
        self.head.get_or_init(|| {
            let head: Vec<char> = self.anchor.quote.chars().take(HEAD_CHARS).collect();
            (
                myers::Pattern::new(head.iter().copied()),
                myers::Pattern::new(head.iter().rev().copied()),
            )
        })
    }

    pub(super) fn prefix_backward(&self) -> &myers::Pattern {
        self.prefix_backward
            .get_or_init(|| myers::Pattern::new(self.anchor.prefix.chars().rev()))
    }

    pub(super) fn suffix_forward(&self) -> &myers::Pattern {
        self.suffix_forward
            .get_or_init(|| myers::Pattern::new(self.anchor.suffix.chars()))
    }
}

/// Where the stored context still occurs exactly (bytes): the ends of the prefix and the
/// starts of the suffix nearest the expected position.
#[derive(Default)]
pub(super) struct Probes {
    pub(super) prefix_ends: Vec<usize>,
    pub(super) suffix_starts: Vec<usize>,
}

/// Radii (bytes) around the expected position for the exact search with full context.
pub(super) const QUICK_RADII: [usize; 2] = [4 << 10, 64 << 10];
/// How many exact occurrences, best context first, get a full score.
pub(super) const EXACT_SHORTLIST: usize = 8;
/// How many approximate matches per window get a full score.
pub(super) const FUZZY_SHORTLIST: usize = 8;
/// How many occurrences of the stored prefix / suffix are tried as places for the quote.
pub(super) const CONTEXT_PROBES: usize = 3;
/// The most errors an approximate match may have, whatever the quote's length.
pub(super) const MAX_ERRORS: usize = 256;
/// Quotes longer than this (chars) find their start from their first [`HEAD_CHARS`] chars
/// instead of a full alignment, and skip the costlier refinements.
pub(super) const LONG_QUOTE: usize = 256;
pub(super) const HEAD_CHARS: usize = 64;
/// A quote at least this long (chars) that occurs exactly once is re-anchored there (and
/// flagged, when its context differs a lot) rather than orphaned.
pub(super) const UNIQUE_MIN_CHARS: usize = 16;
/// The share of a quote's chars that must still be there, in order, between its exact
/// prefix and suffix, for that text to be taken as the quote edited.
pub(super) const BRACKET_MIN_KEPT: f32 = 0.6;
/// Largest window between found neighbours that is searched approximately.
pub(super) const MAX_NEIGHBOUR_WINDOW: usize = 256 << 10;

pub(super) struct Engine<'t> {
    pub(super) text: &'t StoryText,
    pub(super) hay: &'t [u8],
    pub(super) work: Work,
}

impl<'t> Engine<'t> {
    pub(super) fn new(text: &'t StoryText, budget: &Budget) -> Self {
        Self {
            text,
            hay: text.as_str().as_bytes(),
            work: Work::new(budget),
        }
    }

    pub(super) fn outcome(&self, anchor: &Anchor, found: Found) -> Outcome {
        let chars = |b: usize| self.text.byte_to_char(b);
        match found {
            Found::Kept { .. } => Outcome::Kept,
            Found::Orphaned => Outcome::Orphaned,
            Found::Exact { start, end } => {
                let span = Span::new(chars(start), chars(end));
                if span == anchor.span() {
                    Outcome::Kept
                } else {
                    Outcome::Moved(span)
                }
            }
            Found::Scored(c) => {
                let span = Span::new(chars(c.start), chars(c.end));
                // An exact match that splits a grapheme cluster (a mark or joiner now
                // follows it) is not the quote as it was: widened and flagged.
                if c.errors == 0
                    && c.confidence >= MOVE_CONFIDENCE
                    && self.on_boundaries(c.start, c.end)
                {
                    if span == anchor.span() {
                        Outcome::Kept
                    } else {
                        Outcome::Moved(span)
                    }
                } else {
                    let span = self.snap(span);
                    if span.is_empty() {
                        Outcome::Orphaned
                    } else {
                        Outcome::Fuzzy {
                            span,
                            confidence: c.confidence,
                        }
                    }
                }
            }
        }
    }

    /// Steps 1 and 2 where they are cheap: the stored span, then the nearest exact
    /// occurrence with its whole context within [`QUICK_RADII`] of `expected` (bytes).
    /// `None` when that settles nothing.
    pub(super) fn quick(
        &mut self,
        q: &Query,
        expected_char: usize,
        drifted: bool,
    ) -> Option<Found> {
        if q.quote.is_empty() {
            return Some(Found::Orphaned);
        }
        if let Some(start) = self.holds(q) {
            let end = start + q.quote.len();
            // With its whole context unchanged, the quote's edges are exactly what they
            // were (grapheme boundaries included).
            if !drifted || self.perfect(q, start) {
                return Some(Found::Kept { start, end });
            }
        }
        // Not held (or held without its context in a changed text; or, in an unchanged
        // text, a hand-edited sidecar): search.
        let expected = self.text.char_to_byte(expected_char);
        for radius in QUICK_RADII {
            let window = self.window(expected, radius, q.quote.len());
            if let Some((start, several)) = self.nearest_perfect(q, window.clone(), expected) {
                if several && start != expected {
                    // Identical copies, quote and context: pass 2 chooses between them
                    // knowing the neighbours on both sides.
                    return None;
                }
                return Some(Found::Exact {
                    start,
                    end: start + q.quote.len(),
                });
            }
            if window == (0..self.hay.len()) {
                break;
            }
        }
        None
    }

    /// Steps 2 to 4: near the expected position (between the found neighbours, when
    /// there are any) first; then, unless that gave an acceptable place, in the whole
    /// text, within budget.
    pub(super) fn full(
        &mut self,
        q: &Query,
        expected: usize,
        bounds: Option<Range<usize>>,
    ) -> Found {
        if q.quote.is_empty() {
            return Found::Orphaned;
        }
        if self.work.expired() {
            // Past the time budget: only what pass 1 found counts.
            self.work.cut_short = true;
            return Found::Orphaned;
        }
        let mut best: Option<Candidate> = None;

        // Near: the neighbourhood, or a fixed radius around the expected position.
        let near = match &bounds {
            Some(b) if b.end.saturating_sub(b.start) <= MAX_NEIGHBOUR_WINDOW => {
                self.clamp_window(b.start, b.end + q.quote.len())
            }
            _ => self.window(expected, QUICK_RADII[1], q.quote.len()),
        };
        // When the neighbourhood already is the whole text (a short story), the whole-text
        // rules (a long quote occurring once is flagged there) apply to it.
        let near_is_whole = near == (0..self.hay.len());
        if let Some(found) = self.exact_in(q, near.clone(), expected, near_is_whole, &mut best) {
            return found;
        }
        let probes = self.probes(q, near.clone(), expected);
        // The approximate search covers a neighbourhood whole; a mere radius only around
        // the expected position and the probes.
        let fuzzy_window = if bounds.is_some() { near.clone() } else { 0..0 };
        self.approximate(q, expected, &fuzzy_window, &probes, q.k, &mut best);
        // Between found neighbours, a place that is good enough is the place; without
        // neighbours, only a clearly good one.
        let enough = if bounds.is_some() {
            MIN_CONFIDENCE
        } else {
            MOVE_CONFIDENCE
        };
        if best.is_some_and(|c| c.confidence >= enough) {
            return Found::Scored(best.expect("checked"));
        }

        // Everywhere: step 2 over the whole text, then step 3 next to any surviving
        // context, then the whole text with as many errors as the budget affords.
        let whole = 0..self.hay.len();
        if near != whole {
            if self.work.take(self.hay.len() as u64 / 64)
                && let Some(found) = self.exact_in(q, whole.clone(), expected, true, &mut best)
            {
                return found;
            }
            if best.is_none_or(|c| c.confidence < MOVE_CONFIDENCE) {
                let probes = self.probes(q, whole.clone(), expected);
                let none = 0..0;
                self.approximate(q, expected, &none, &probes, q.k, &mut best);
            }
        }
        if q.k > 0 && best.is_none_or(|b| b.confidence < MIN_CONFIDENCE) && near != whole {
            let chars = self.text.len_chars() as u64;
            let blocks_needed = (q.k / 64 + 1) as u64;
            let affordable = self.work.available() / chars.max(1);
            let k = if affordable >= blocks_needed {
                Some(q.k)
            } else if affordable >= 1 {
                Some((affordable as usize * 64 - 1).min(q.k))
            } else {
                self.work.cut_short = true;
                None
            };
            if let Some(k) = k
                && self.work.take(chars * (k / 64 + 1) as u64)
            {
                if k < q.k {
                    self.work.cut_short = true;
                }
                for c in self.fuzzy_in(q, whole, k, expected) {
                    keep_best(&mut best, c);
                }
            }
        }
        match best {
            Some(c) if c.confidence >= MIN_CONFIDENCE => Found::Scored(c),
            _ => Found::Orphaned,
        }
    }

    /// Step 3 near the given places: next to the surviving context, and approximate
    /// matches in `window` and around the probes.
    pub(super) fn approximate(
        &mut self,
        q: &Query,
        expected: usize,
        window: &Range<usize>,
        probes: &Probes,
        k: usize,
        best: &mut Option<Candidate>,
    ) {
        for c in self.context_candidates(q, probes, expected) {
            keep_best(best, c);
        }
        // The quote between its own prefix and suffix, little changed: nothing nearby can
        // do better.
        if k == 0 || best.is_some_and(|c| c.confidence >= MOVE_CONFIDENCE) {
            return;
        }
        for w in self.local_windows(q, expected, window, probes) {
            // Bytes stand in for chars: the same for the ASCII most stories are made of,
            // an overcount elsewhere.
            if !self.work.take_local((w.len() * (k / 64 + 1)) as u64) {
                continue;
            }
            for c in self.fuzzy_in(q, w, k, expected) {
                keep_best(best, c);
            }
        }
    }

    /// Byte offset of the stored span when it still holds the quote.
    pub(super) fn holds(&self, q: &Query) -> Option<usize> {
        let a = q.anchor;
        if a.start >= a.end || a.end > self.text.len_chars() || a.end - a.start != q.m {
            return None;
        }
        let start = self.text.char_to_byte(a.start);
        self.hay[start..].starts_with(q.quote).then_some(start)
    }

    /// True when the stored prefix ends right at `start` and the suffix starts right after
    /// the quote.
    pub(super) fn perfect(&self, q: &Query, start: usize) -> bool {
        let end = start + q.quote.len();
        self.hay[..start].ends_with(q.prefix)
            && self.hay[end..].starts_with(q.suffix)
            && self.edges_match(q, start)
    }

    /// A stored context shorter than [`CONTEXT_CHARS`] means the text began (or ended)
    /// there: it still must, for the context to be the same.
    pub(super) fn edges_match(&self, q: &Query, start: usize) -> bool {
        let end = start + q.quote.len();
        (q.lp >= CONTEXT_CHARS || start == q.prefix.len())
            && (q.ls >= CONTEXT_CHARS || end + q.suffix.len() == self.hay.len())
    }

    /// How many bytes of the stored context agree with the text around an occurrence,
    /// counting outwards from the quote.
    pub(super) fn agreement(&self, q: &Query, start: usize) -> usize {
        let end = start + q.quote.len();
        let pre = self.hay[..start]
            .iter()
            .rev()
            .zip(q.prefix.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let suf = self.hay[end..]
            .iter()
            .zip(q.suffix)
            .take_while(|(a, b)| a == b)
            .count();
        pre + suf
    }

    /// Widens `span` so that it neither starts nor ends inside a grapheme cluster, like
    /// [`StoryText::snap_to_graphemes`] but with the whole text as context (that one looks
    /// at the current line only, and can stop inside an emoji ZWJ sequence).
    pub(super) fn snap(&self, span: Span) -> Span {
        let s = self.text.as_str();
        let mut start = self.text.char_to_byte(span.start);
        let mut end = self.text.char_to_byte(span.end);
        while !self.is_boundary(start) {
            start -= s[..start].chars().next_back().map_or(1, char::len_utf8);
        }
        while !self.is_boundary(end) {
            end += s[end..].chars().next().map_or(1, char::len_utf8);
        }
        Span::new(self.text.byte_to_char(start), self.text.byte_to_char(end))
    }

    pub(super) fn on_boundaries(&self, start: usize, end: usize) -> bool {
        self.is_boundary(start) && self.is_boundary(end)
    }

    pub(super) fn is_boundary(&self, b: usize) -> bool {
        if b == 0 || b >= self.hay.len() {
            return true;
        }
        // Between two ASCII chars there is always a boundary (the canonical text has no
        // `\r`, the only exception).
        if self.hay[b - 1].is_ascii() && self.hay[b].is_ascii() {
            return true;
        }
        // The whole text as context: the cursor looks only as far back as it must.
        let s = self.text.as_str();
        if !s.is_char_boundary(b) {
            return false;
        }
        GraphemeCursor::new(b, s.len(), true)
            .is_boundary(s, 0)
            .unwrap_or(true)
    }

    /// `radius` bytes either side of `center`, widened by `len`, on char boundaries.
    pub(super) fn window(&self, center: usize, radius: usize, len: usize) -> Range<usize> {
        self.clamp_window(
            center.saturating_sub(radius),
            center.saturating_add(radius).saturating_add(len),
        )
    }

    pub(super) fn clamp_window(&self, lo: usize, hi: usize) -> Range<usize> {
        let s = self.text.as_str();
        let mut lo = lo.min(s.len());
        let mut hi = hi.min(s.len()).max(lo);
        while !s.is_char_boundary(lo) {
            lo -= 1;
        }
        while !s.is_char_boundary(hi) {
            hi += 1;
        }
        lo..hi
    }

    /// The perfect occurrence nearest `expected` within `window`, and whether there is
    /// more than one.
    pub(super) fn nearest_perfect(
        &self,
        q: &Query,
        window: Range<usize>,
        expected: usize,
    ) -> Option<(usize, bool)> {
        let base = window.start;
        let mut best: Option<(usize, usize)> = None;
        let mut several = false;
        for p in q.finder().find_iter(&self.hay[window]) {
            let start = base + p;
            if !self.perfect(q, start) {
                continue;
            }
            let d = start.abs_diff(expected);
            several |= best.is_some();
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((start, d));
            }
        }
        best.map(|(s, _)| (s, several))
    }

    /// Step 2 in `window`: the nearest perfect occurrence, if any, as the answer; otherwise
    /// the best-scored occurrences go into `best`. `whole` says the window is the whole
    /// text, so a single occurrence is the only one.
    pub(super) fn exact_in(
        &self,
        q: &Query,
        window: Range<usize>,
        expected: usize,
        whole: bool,
        best: &mut Option<Candidate>,
    ) -> Option<Found> {
        // (agreement, distance, start), best first.
        let mut shortlist: Vec<(usize, usize, usize)> = Vec::with_capacity(EXACT_SHORTLIST + 1);
        let full = q.prefix.len() + q.suffix.len();
        let mut perfect: Option<(usize, usize)> = None;
        let mut occurrences = 0usize;
        let base = window.start;
        let hay = &self.hay[window];
        for p in q.finder().find_iter(hay) {
            let start = base + p;
            occurrences += 1;
            let d = start.abs_diff(expected);
            let agree = self.agreement(q, start);
            if agree == full && self.edges_match(q, start) {
                if perfect.is_none_or(|(_, pd)| d < pd) {
                    perfect = Some((start, d));
                }
                continue;
            }
            if perfect.is_some() {
                continue;
            }
            let key = (std::cmp::Reverse(agree), d);
            let pos = shortlist.partition_point(|&(a, dd, _)| (std::cmp::Reverse(a), dd) <= key);
            if pos < EXACT_SHORTLIST {
                shortlist.insert(pos, (agree, d, start));
                shortlist.truncate(EXACT_SHORTLIST);
            }
        }
        if let Some((start, _)) = perfect {
            return Some(Found::Exact {
                start,
                end: start + q.quote.len(),
            });
        }
        for (_, d, start) in shortlist {
            let end = start + q.quote.len();
            if self.on_boundaries(start, end) {
                let mut c = self.score(q, start, end, 0, d);
                if whole && occurrences == 1 && q.m >= UNIQUE_MIN_CHARS {
                    // The only copy of a quote this long is worth asking about, whatever
                    // happened to its context.
                    c.confidence = c.confidence.max(MIN_CONFIDENCE);
                }
                keep_best(best, c);
            }
        }
        None
    }

    /// A candidate with its confidence: quote, prefix and suffix similarity weighted by
    /// their lengths in chars.
    pub(super) fn score(
        &self,
        q: &Query,
        start: usize,
        end: usize,
        errors: usize,
        distance: usize,
    ) -> Candidate {
        let prefix_errors = if self.hay[..start].ends_with(q.prefix) {
            0
        } else {
            let before = &self.text.as_str()[..start];
            let cols = q.lp + q.lp / 2 + 1;
            q.prefix_backward()
                .anchored(before.chars().rev().take(cols))
                .0
        };
        let suffix_errors = if self.hay[end..].starts_with(q.suffix) {
            0
        } else {
            let after = &self.text.as_str()[end..];
            let cols = q.ls + q.ls / 2 + 1;
            q.suffix_forward().anchored(after.chars().take(cols)).0
        };
        let total = (q.m + q.lp + q.ls) as f32;
        let agreeing = (q.m.saturating_sub(errors)
            + q.lp.saturating_sub(prefix_errors)
            + q.ls.saturating_sub(suffix_errors)) as f32;
        Candidate {
            start,
            end,
            errors,
            confidence: agreeing / total,
            distance,
        }
    }

    /// Windows for the approximate search: around the expected position, `window` (the
    /// neighbourhood, when small enough) and the probes. Sorted and merged.
    pub(super) fn local_windows(
        &mut self,
        q: &Query,
        expected: usize,
        window: &Range<usize>,
        probes: &Probes,
    ) -> Vec<Range<usize>> {
        let quote_bytes = q.quote.len();
        let slack = 256 + 2 * q.k;
        let span_bytes = quote_bytes + 4 * q.k + slack;
        // The neighbourhood is bounded by its size, and all neighbourhoods together by the
        // budget's local allowance.
        let neighbourhood =
            !window.is_empty() && window.len() <= MAX_NEIGHBOUR_WINDOW + quote_bytes;
        // Without neighbours to bound it, the expected position is only a guess.
        let margin = if neighbourhood { 0 } else { 1024 };
        let mut windows = vec![self.clamp_window(
            expected.saturating_sub(slack + margin),
            expected + span_bytes + margin,
        )];
        if neighbourhood {
            windows.push(
                self.clamp_window(window.start.saturating_sub(slack), window.end + span_bytes),
            );
        }
        // Where the context survived, the quote (edited) probably sits next to it.
        for &at in &probes.prefix_ends {
            windows.push(self.clamp_window(at.saturating_sub(slack), at + span_bytes));
        }
        for &at in &probes.suffix_starts {
            let from = at.saturating_sub(quote_bytes);
            windows.push(self.clamp_window(from.saturating_sub(slack), from + span_bytes));
        }
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        merged
    }

    /// Where the stored prefix ends and the stored suffix starts exactly, nearest
    /// `expected` first: the text start / end stand for an empty prefix / suffix.
    /// Contexts shorter than 8 chars (other than empty) are too common to say anything.
    pub(super) fn probes(&mut self, q: &Query, region: Range<usize>, expected: usize) -> Probes {
        let mut probes = Probes::default();
        let whole = region == (0..self.hay.len());
        let base = region.start;
        for (context, chars, is_prefix) in [(q.prefix, q.lp, true), (q.suffix, q.ls, false)] {
            let found: Vec<usize> = if chars == 0 {
                vec![if is_prefix { 0 } else { self.hay.len() }]
            } else if chars < 8 || (whole && !self.work.take(self.hay.len() as u64 / 64)) {
                continue;
            } else {
                let hay = &self.hay[region.start..(region.end + context.len()).min(self.hay.len())];
                let mut near: Vec<(usize, usize)> = memmem::find_iter(hay, context)
                    .map(|p| {
                        let p = base + p;
                        let at = if is_prefix { p + context.len() } else { p };
                        let guess = if is_prefix {
                            at
                        } else {
                            at.saturating_sub(q.quote.len())
                        };
                        (guess.abs_diff(expected), at)
                    })
                    .collect();
                near.sort_unstable();
                near.iter()
                    .take(CONTEXT_PROBES)
                    .map(|&(_, at)| at)
                    .collect()
            };
            if is_prefix {
                probes.prefix_ends = found;
            } else {
                probes.suffix_starts = found;
            }
        }
        probes
    }

    /// Candidates next to surviving context: the text between an exact prefix and an exact
    /// suffix (however much was inserted into or deleted from the quote, if most of the
    /// quote's chars are still there, in order), and the best match of the quote right after
    /// an exact prefix or right before an exact suffix.
    pub(super) fn context_candidates(
        &self,
        q: &Query,
        probes: &Probes,
        expected: usize,
    ) -> Vec<Candidate> {
        let s = self.text.as_str();
        let mut out = Vec::new();
        let max_gap = 4 * q.quote.len() + 1024;
        for &p in &probes.prefix_ends {
            // The nearest suffix after this prefix only.
            let next = probes
                .suffix_starts
                .iter()
                .copied()
                .filter(|&e| e > p)
                .min();
            if let Some(e) = next {
                if e - p > max_gap || (q.lp == 0 && q.ls == 0) {
                    continue;
                }
                let region = &s[p..e];
                let n = region.chars().count();
                let lcs = q.forward().lcs(region.chars());
                // The share of the quote's chars still there, in order.
                let kept = lcs as f32 / q.m as f32;
                if kept < BRACKET_MIN_KEPT {
                    continue;
                }
                let errors = (q.m - lcs) + (n - lcs);
                let total = (q.m + q.lp + q.ls) as f32;
                out.push(Candidate {
                    start: p,
                    end: e,
                    errors: errors.max(1),
                    confidence: (lcs + q.lp + q.ls) as f32 / total,
                    distance: p.abs_diff(expected),
                });
            }
        }
        // One side only: the quote's best alignment starting at the prefix's end, or
        // ending at the suffix's start (short quotes: a long one's full alignment costs
        // too much, and its own search finds it).
        if q.m > LONG_QUOTE {
            out.retain(|c| self.on_boundaries(c.start, c.end));
            return out;
        }
        let max_cols = q.m + q.m / 2 + 16;
        for &p in &probes.prefix_ends {
            let (errors, cols) = q.forward().anchored(s[p..].chars().take(max_cols));
            if cols > 0 && errors * 2 <= q.m {
                let end = p + s[p..].chars().take(cols).map(char::len_utf8).sum::<usize>();
                out.push(self.score(q, p, end, errors, p.abs_diff(expected)));
            }
        }
        for &e in &probes.suffix_starts {
            let (errors, cols) = q.backward().anchored(s[..e].chars().rev().take(max_cols));
            if cols > 0 && errors * 2 <= q.m {
                let start = e - s[..e]
                    .chars()
                    .rev()
                    .take(cols)
                    .map(char::len_utf8)
                    .sum::<usize>();
                out.push(self.score(q, start, e, errors, start.abs_diff(expected)));
            }
        }
        out.retain(|c| self.on_boundaries(c.start, c.end));
        out
    }

    /// The best approximate matches of the quote in `window` (bytes) with at most `k`
    /// errors, scored.
    pub(super) fn fuzzy_in(
        &self,
        q: &Query,
        window: Range<usize>,
        k: usize,
        expected: usize,
    ) -> Vec<Candidate> {
        let s = self.text.as_str();
        let base = window.start;
        let pattern = q.forward();
        // Runs of adjacent ends: keep each run's best (the first with the fewest errors).
        let mut ends: Vec<(usize, usize)> = Vec::new(); // (errors, end byte)
        let mut run: Option<(usize, usize, usize)> = None; // (errors, end, last column)
        pattern.search(
            s[window]
                .char_indices()
                .map(|(i, c)| (base + i + c.len_utf8(), c)),
            k,
            |col, end, errors| match &mut run {
                Some((best_e, best_end, last)) if *last + 1 == col => {
                    if errors < *best_e {
                        *best_e = errors;
                        *best_end = end;
                    }
                    *last = col;
                }
                _ => {
                    if let Some((e, b, _)) = run.take() {
                        ends.push((e, b));
                    }
                    run = Some((errors, end, col));
                }
            },
        );
        if let Some((e, b, _)) = run {
            ends.push((e, b));
        }

        let expected_end = expected + q.quote.len();
        ends.sort_unstable_by_key(|&(e, end)| (e, end.abs_diff(expected_end)));
        ends.truncate(FUZZY_SHORTLIST);

        let mut out = Vec::with_capacity(ends.len());
        for (rank, (errors, end)) in ends.into_iter().enumerate() {
            let Some((start, start_errors)) = self.match_start(q, base, end, k) else {
                continue;
            };
            let errors = errors.max(start_errors);
            out.push(self.score(q, start, end, errors, start.abs_diff(expected)));
            // The fewest errors may cut an edit at the quote's edge the wrong way ("the
            // bridge" -> "the new bridge" matches best as "new bridge"): where the stored
            // prefix or suffix sits exactly next to the match, try those edges too.
            if rank >= 2 || q.m > 2 * LONG_QUOTE {
                continue;
            }
            let reach = 4 * k + 8;
            let start2 = self.context_edge(q.prefix, start, reach, true);
            let end2 = self.context_edge(q.suffix, end, reach, false);
            let mut variants = [None; 3];
            if let Some(s2) = start2 {
                variants[0] = Some((s2, end));
            }
            if let Some(e2) = end2 {
                variants[1] = Some((start, e2));
                if let Some(s2) = start2 {
                    variants[2] = Some((s2, e2));
                }
            }
            for (vs, ve) in variants.into_iter().flatten() {
                if vs >= ve || (vs, ve) == (start, end) {
                    continue;
                }
                let errors = q.forward().distance(s[vs..ve].chars());
                if errors <= k {
                    out.push(self.score(q, vs, ve, errors, vs.abs_diff(expected)));
                }
            }
        }
        out
    }

    /// Where a match of the quote ending at `end` starts (not before `base`), and with how
    /// many errors: the text before `end` read backwards against the reversed quote, fewest
    /// errors, length nearest the quote's. A long quote's start is where its first
    /// [`HEAD_CHARS`] chars match best, near `end - quote length`.
    pub(super) fn match_start(
        &self,
        q: &Query,
        base: usize,
        end: usize,
        k: usize,
    ) -> Option<(usize, usize)> {
        let s = self.text.as_str();
        if q.m <= LONG_QUOTE {
            let (errors, start) = q.backward().anchored_nearest(
                s[base..end]
                    .char_indices()
                    .rev()
                    .map(|(i, c)| (base + i, c)),
                q.m + k,
                q.m,
            );
            return start.filter(|&st| st < end).map(|st| (st, errors));
        }
        let (head, head_back) = q.head();
        let guess = end.saturating_sub(q.quote.len());
        let reach = 4 * k + 4 * HEAD_CHARS;
        let window = self.clamp_window(
            guess.saturating_sub(reach).max(base),
            (guess + reach).min(end),
        );
        let head_k = HEAD_CHARS / 4;
        let mut best: Option<(usize, usize, usize)> = None; // (errors, distance, head end)
        head.search(
            s[window.clone()]
                .char_indices()
                .map(|(i, c)| (window.start + i + c.len_utf8(), c)),
            head_k,
            |_, at, e| {
                let d = at.abs_diff(guess + HEAD_CHARS);
                if best.is_none_or(|(be, bd, _)| (e, d) < (be, bd)) {
                    best = Some((e, d, at));
                }
            },
        );
        let (_, _, head_end) = best?;
        let (_, start) = head_back.anchored_nearest(
            s[window.start..head_end]
                .char_indices()
                .rev()
                .map(|(i, c)| (window.start + i, c)),
            HEAD_CHARS + head_k,
            HEAD_CHARS,
        );
        // The errors of the whole match were counted at its end.
        start.filter(|&st| st < end).map(|st| (st, 0))
    }

    /// Where the end of the stored prefix (`before == true`) or the start of the stored
    /// suffix (up to 16 bytes of it, next to the quote) occurs exactly, within `reach`
    /// bytes of `at`, nearest `at`.
    pub(super) fn context_edge(
        &self,
        context: &[u8],
        at: usize,
        reach: usize,
        before: bool,
    ) -> Option<usize> {
        const EDGE: usize = 16;
        let context = if context.len() <= EDGE {
            context
        } else if before {
            let mut from = context.len() - EDGE;
            while from < context.len() && (context[from] & 0xC0) == 0x80 {
                from += 1;
            }
            &context[from..]
        } else {
            let mut to = EDGE;
            while to > 0 && (context[to] & 0xC0) == 0x80 {
                to -= 1;
            }
            &context[..to]
        };
        if context.len() < 4 {
            return None;
        }
        let window = self.clamp_window(
            at.saturating_sub(reach + if before { context.len() } else { 0 }),
            at + reach + if before { 0 } else { context.len() },
        );
        let base = window.start;
        memmem::find_iter(&self.hay[window], context)
            .map(|p| {
                if before {
                    base + p + context.len()
                } else {
                    base + p
                }
            })
            .filter(|&edge| edge != at)
            .min_by_key(|&edge| edge.abs_diff(at))
    }
}
