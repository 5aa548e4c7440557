//! Re-anchoring (SPEC 3): finding highlights again after their story changed.
//!
//! For each anchor, in order:
//! 1. the stored position still holds the quote -> kept;
//! 2. the quote occurs exactly elsewhere -> the occurrence whose prefix / suffix agree best,
//!    nearest the old position on a tie -> moved;
//! 3. an approximate match of the quote above a confidence threshold -> re-anchored and
//!    flagged for the user to confirm;
//! 4. otherwise orphaned: the annotation keeps its last span, quote and every field.
//!
//! Only the sidecar is needed (quote, prefix, suffix, old position); the old text is not.
//!
//! # How it stays correct
//! - An exact occurrence whose stored prefix *and* suffix both agree ("perfect") always wins;
//!   among several perfect ones, the one nearest the expected position. That is the only
//!   way an anchor is kept or moved without a score, so an annotation whose quote and
//!   context survived an edit is never placed wrongly.
//! - When the text drifted, step 1 also asks for the perfect context: a short quote that
//!   merely happens to sit at its old offset (text of the same length was swapped in around
//!   it) is scored like any other candidate instead of being kept blindly.
//! - Every other candidate, exact or approximate, gets a [confidence](Outcome::Fuzzy):
//!   quote, prefix and suffix similarity (1 - edit distance / length), weighted by their
//!   lengths in chars. A long quote carries its own evidence; a 3-char quote is only as
//!   good as its context. Exact candidates at or above [`MOVE_CONFIDENCE`] are moved;
//!   anything else at or above [`MIN_CONFIDENCE`] is re-anchored and flagged; below it,
//!   orphaned. Being placed wrongly is worse than being orphaned, so the thresholds lean
//!   towards orphaning.
//! - Where the stored prefix and suffix both still occur exactly with text between them,
//!   that text is a candidate too, judged by the share of the quote's chars it still holds
//!   in order (longest common subsequence, bit-parallel): a quote with words inserted into
//!   or removed from it is found, and flagged.
//! - A quote of 16 chars or more that occurs exactly once in the whole text is flagged
//!   there rather than orphaned, whatever happened to its context.
//! - Spans never split a grapheme cluster: exact occurrences that would are skipped, and
//!   approximate spans are widened to cluster boundaries. The one exception
//!   is a quote found with its whole context unchanged: it keeps the edges it was made
//!   with, so an anchor that split a cluster when it was made still does.
//!
//! # How it stays fast
//! - An unchanged story (`drifted == false`) is only verified: one index lookup and one
//!   byte comparison per anchor.
//! - [`reanchor_all`] walks anchors in reading order and predicts each one's new position
//!   from the shift of the previous one, so the exact search ([`memchr::memmem`]) looks in a
//!   few KB around it first (pass 1). Anchors not found that way are looked for in pass 2,
//!   between the neighbours found so far: exact occurrences, the text between the stored
//!   prefix and suffix where both still occur, and approximate matches. Only when that gives
//!   nothing acceptable is the whole text searched: exactly for the quote and its context
//!   (a few memory scans), then approximately, within budget.
//! - The approximate search is Myers' bit-parallel algorithm (64 quote chars per machine
//!   word, blocks for longer quotes, Ukkonen's cut-off so only `max errors / 64 + 1` blocks
//!   are computed per text char). Its maximum error count grows with the quote's length
//!   (see `max_errors`) up to 256; quotes of 11 chars or fewer are found exactly, or
//!   between their exact prefix and suffix, or not at all.
//! - A [`Budget`] bounds the whole-text work per anchor and per call, the approximate work
//!   near the anchors per call, and (as a safety net) the wall-clock time of a call: no
//!   quote, however long or short, and no orphan can take seconds. The limits are counted
//!   in units of work, not time, so a busy machine gives the same result as an idle one.
//!   Work skipped for lack of budget is counted in [`Reanchored::cut_short`]; such anchors
//!   may be orphaned where an unbounded search would have found them.
//!
//! # Limitations
//! - Positions are predicted from neighbours assuming edits keep the order of the text; a
//!   moved *and* edited paragraph whose prefix and suffix both changed is found only by the
//!   whole-text search, within budget.
//! - The old text is not used even when it is known: a diff would place quotes edited
//!   beyond recognition, which this can only orphan.
//! - Orphans keep their old positions, so on the next run they are predicted from
//!   neighbours in the new text's coordinates: a little less precise, never wrong.
//! - Similarity is by chars, not words: a quote rewritten with the same meaning but
//!   different words is orphaned, by design.
//!
//! This module must not depend on any UI crate.

use std::cell::OnceCell;
use std::ops::Range;
use std::time::{Duration, Instant};

use memchr::memmem;
use unicode_segmentation::GraphemeCursor;

use crate::anchor::{Anchor, AnchorState, CONTEXT_CHARS, Span};
use crate::model::Annotation;
use crate::text::StoryText;

/// Below this confidence a candidate is not used: the annotation is orphaned.
pub const MIN_CONFIDENCE: f32 = 0.7;

/// An exact occurrence of the quote with at least this confidence is moved without asking;
/// one below it (its context differs a lot) is re-anchored and flagged for confirming.
pub const MOVE_CONFIDENCE: f32 = 0.85;

/// What re-anchoring found for one anchor.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The stored span still holds the quote.
    Kept,
    /// The exact quote was found at another span.
    Moved(Span),
    /// An approximate match; the user should confirm it.
    Fuzzy { span: Span, confidence: f32 },
    /// Not found.
    Orphaned,
}

impl Outcome {
    /// The span the annotation has after this outcome, given its stored one; `None` for
    /// an orphan.
    pub fn span(&self, stored: Span) -> Option<Span> {
        match self {
            Outcome::Kept => Some(stored),
            Outcome::Moved(span) | Outcome::Fuzzy { span, .. } => Some(*span),
            Outcome::Orphaned => None,
        }
    }
}

/// Counts for the banner and `factmark check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReanchorCounts {
    pub kept: usize,
    pub moved: usize,
    /// Re-anchored approximately (now or earlier) and not yet confirmed.
    pub unconfirmed: usize,
    pub orphaned: usize,
}

impl ReanchorCounts {
    /// "42 kept, 3 moved, 2 need confirming, 1 orphaned".
    pub fn summary(&self) -> String {
        format!(
            "{} kept, {} moved, {} need confirming, {} orphaned",
            self.kept, self.moved, self.unconfirmed, self.orphaned
        )
    }

    fn count(&mut self, outcome: &Outcome, previous: AnchorState) {
        match outcome {
            Outcome::Kept if previous.needs_confirming() => self.unconfirmed += 1,
            Outcome::Kept => self.kept += 1,
            Outcome::Moved(_) => self.moved += 1,
            Outcome::Fuzzy { .. } => self.unconfirmed += 1,
            Outcome::Orphaned => self.orphaned += 1,
        }
    }
}

/// The outcome for every annotation, in the same order, and their counts.
#[derive(Clone, Debug, Default)]
pub struct Reanchored {
    pub outcomes: Vec<Outcome>,
    pub counts: ReanchorCounts,
    /// How many anchors had their search cut short by the [`Budget`] (the whole-text
    /// approximate search was skipped). Those not found are among the orphans.
    pub cut_short: usize,
}

/// How much work re-anchoring may do.
///
/// Work is counted in units of one 64-char block of a quote compared against one char of
/// text (a few nanoseconds); scanning the text for an exact quote or context costs one
/// unit per 64 bytes.
/// The work budgets decide what is searched, so the outcome is the same on a fast or a
/// busy machine; the time limit is only a safety net for a very slow one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Units the whole-text searches of one anchor may use.
    pub per_anchor: u64,
    /// Units the whole-text searches of one call may use together.
    pub total: u64,
    /// Units the approximate searches near the anchors' expected places (between found
    /// neighbours, next to surviving context) may use together in one call.
    pub local: u64,
    /// Wall-clock limit for one call; once it is past, anchors get only the exact search
    /// near their expected place.
    pub time: Option<Duration>,
}

impl Budget {
    /// No limits: every anchor may be searched for in the whole text. For tests and tools.
    pub const UNLIMITED: Budget = Budget {
        per_anchor: u64::MAX,
        total: u64::MAX,
        local: u64::MAX,
        time: None,
    };
}

impl Default for Budget {
    /// Whole-text searches: 1.5 M units per anchor (a blind search of a 1 MB story with up
    /// to 63 errors) and 4 M per call. A normal re-anchoring needs no blind search at all:
    /// quotes, prefixes and suffixes that still occur exactly anywhere, and edited quotes
    /// near their old place, are found by the local searches.
    ///
    /// Local searches: 64 M units per call (about 0.4 s on the 2-core development machine).
    /// A 10 MB story with 10,000 annotations after 5 % of it was edited uses 14 M; only a
    /// story replaced by another one (every annotation orphaned) would use far more.
    ///
    /// Time: 1 s per call, which a normal re-anchoring never comes near even on a busy
    /// machine, so results do not depend on the machine's load.
    fn default() -> Self {
        Budget {
            per_anchor: 3 << 19,
            total: 4 << 20,
            local: 64 << 20,
            time: Some(Duration::from_secs(1)),
        }
    }
}

/// Finds one anchor in `text` (which is taken to have drifted), with the default budget.
pub fn reanchor_one(text: &StoryText, anchor: &Anchor) -> Outcome {
    let mut engine = Engine::new(text, &Budget::default());
    engine.work.start_anchor();
    let query = Query::new(anchor);
    let expected = text.char_to_byte(anchor.start);
    match engine.quick(&query, anchor.start, true) {
        Some(found) => engine.outcome(anchor, found),
        None => {
            let found = engine.full(&query, expected, None);
            engine.outcome(anchor, found)
        }
    }
}

/// Re-anchors every annotation, with the default [`Budget`]. When the text is unchanged
/// (`drifted == false`) only anchors that do not hold (a hand-edited sidecar) are searched
/// for.
pub fn reanchor_all(text: &StoryText, annotations: &[Annotation], drifted: bool) -> Reanchored {
    reanchor_all_within(text, annotations, drifted, &Budget::default())
}

/// [`reanchor_all`] with an explicit budget.
pub fn reanchor_all_within(
    text: &StoryText,
    annotations: &[Annotation],
    drifted: bool,
    budget: &Budget,
) -> Reanchored {
    let mut engine = Engine::new(text, budget);
    let mut found: Vec<Option<Found>> = vec![None; annotations.len()];
    let mut cut_short = vec![false; annotations.len()];

    // Reading order, so each anchor's shift predicts the next one's.
    let mut order: Vec<usize> = (0..annotations.len()).collect();
    order.sort_by_key(|&i| (annotations[i].anchor.start, annotations[i].anchor.end));

    // Pass 1: verification, and the exact quote with its context near where it should be.
    let mut delta: isize = 0;
    let mut deferred = Vec::new();
    for &i in &order {
        let a = &annotations[i].anchor;
        let query = Query::new(a);
        let expected_char = shift(a.start, delta, text.len_chars());
        match engine.quick(&query, expected_char, drifted) {
            Some(f) => {
                match f {
                    Found::Kept { .. } => delta = 0,
                    _ => {
                        if let Some((start, _)) = f.span() {
                            delta = text.byte_to_char(start) as isize - a.start as isize;
                        }
                    }
                }
                found[i] = Some(f);
            }
            None => deferred.push(i),
        }
    }

    // Pass 2: everything else, between the neighbours found so far, around where the
    // context still occurs, then in the whole text. Neighbours after an anchor come from
    // pass 1; those before it also from this pass.
    if !deferred.is_empty() {
        let span_of = |f: &Option<Found>| f.as_ref().and_then(Found::span);
        // For each rank, the nearest later rank found in pass 1.
        let mut next_found: Vec<Option<usize>> = vec![None; order.len()];
        let mut next = None;
        for r in (0..order.len()).rev() {
            next_found[r] = next;
            if span_of(&found[order[r]]).is_some() {
                next = Some(r);
            }
        }
        let mut prev: Option<usize> = None; // rank
        for r in 0..order.len() {
            let i = order[r];
            if found[i].is_none() {
                let a = &annotations[i].anchor;
                let prev_span = prev.and_then(|p| span_of(&found[order[p]]).map(|s| (p, s)));
                let next_span =
                    next_found[r].and_then(|n| span_of(&found[order[n]]).map(|s| (n, s)));
                // Where the neighbours went: between two, in proportion.
                let moved = |(n, (s, _)): (usize, (usize, usize))| {
                    (annotations[order[n]].anchor.start, text.byte_to_char(s))
                };
                let expected_char = match (prev_span.map(moved), next_span.map(moved)) {
                    (Some((po, pn)), Some((no, nn))) if no > po && nn >= pn => {
                        let f = (a.start.saturating_sub(po)) as f64 / (no - po) as f64;
                        pn + ((nn - pn) as f64 * f.min(1.0)) as usize
                    }
                    (Some((o, n)), _) | (None, Some((o, n))) => {
                        shift(a.start, n as isize - o as isize, text.len_chars())
                    }
                    (None, None) => a.start,
                };
                let expected = text.char_to_byte(expected_char.min(text.len_chars()));
                let bounds = match (prev_span, next_span) {
                    (None, None) => None,
                    (p, n) => Some(
                        p.map_or(0, |(_, (s, _))| s)..n.map_or(text.len_bytes(), |(_, (s, _))| s),
                    ),
                };
                let query = Query::new(a);
                engine.work.start_anchor();
                found[i] = Some(engine.full(&query, expected, bounds));
                cut_short[i] = engine.work.cut_short;
            }
            if span_of(&found[i]).is_some() {
                prev = Some(r);
            }
        }
    }

    let mut out = Reanchored::default();
    out.outcomes.reserve(annotations.len());
    for (i, a) in annotations.iter().enumerate() {
        let f = found[i].take().unwrap_or(Found::Orphaned);
        let outcome = engine.outcome(&a.anchor, f);
        out.counts.count(&outcome, a.state);
        out.outcomes.push(outcome);
    }
    out.cut_short = cut_short.iter().filter(|&&c| c).count();
    out
}

/// The annotation with its outcome applied: a new anchor (quote and context re-read from
/// the text) and state. Orphans keep their anchor and every field.
pub fn apply(text: &StoryText, annotation: &Annotation, outcome: &Outcome) -> Annotation {
    let mut a = annotation.clone();
    match outcome {
        Outcome::Kept => {
            // Refresh the context, which may have been edited around the quote, so the
            // next re-anchoring starts from the current text.
            if a.anchor.holds_in(text) {
                a.anchor = Anchor::from_span(text, a.anchor.span());
            }
            if a.state.is_orphaned() {
                a.state = AnchorState::Anchored;
            }
        }
        Outcome::Moved(span) => {
            a.anchor = Anchor::from_span(text, *span);
            if !a.state.needs_confirming() {
                a.state = AnchorState::Anchored;
            }
        }
        Outcome::Fuzzy { span, confidence } => {
            a.anchor = Anchor::from_span(text, *span);
            a.state = AnchorState::Reanchored {
                confidence: *confidence,
            };
        }
        Outcome::Orphaned => a.state = AnchorState::Orphaned,
    }
    a
}

/// `pos + delta`, clamped to `0..=len`.
fn shift(pos: usize, delta: isize, len: usize) -> usize {
    pos.saturating_add_signed(delta).min(len)
}

/// The most edit operations an approximate match of a quote of `m` chars may have.
///
/// 40 % of the quote for quotes of 32 chars or more, but never more than 256 (the cost of
/// the search grows with it; a long quote edited more than that is still found between its
/// surviving prefix and suffix); less, down to none at 11 chars and below, for shorter
/// ones: two errors in an 8-char quote match half the words of a story.
fn max_errors(m: usize) -> usize {
    if m <= 11 {
        return 0;
    }
    let scale = (m as f64 / 32.0).min(1.0);
    (((m - 4) as f64 * 0.4 * scale) as usize).min(MAX_ERRORS)
}

/// A result in byte offsets, before it becomes an [`Outcome`].
#[derive(Clone, Copy, Debug, PartialEq)]
enum Found {
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
    fn span(&self) -> Option<(usize, usize)> {
        match self {
            Found::Kept { start, end } | Found::Exact { start, end } => Some((*start, *end)),
            Found::Scored(c) => Some((c.start, c.end)),
            Found::Orphaned => None,
        }
    }
}

/// A place the quote might be, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Candidate {
    start: usize,
    end: usize,
    errors: usize,
    confidence: f32,
    /// Bytes from the expected position, for ties.
    distance: usize,
}

impl Candidate {
    fn better_than(&self, other: &Candidate) -> bool {
        const EPS: f32 = 1e-6;
        if (self.confidence - other.confidence).abs() > EPS {
            return self.confidence > other.confidence;
        }
        (self.errors, self.distance) < (other.errors, other.distance)
    }
}

fn keep_best(best: &mut Option<Candidate>, c: Candidate) {
    if best.is_none_or(|b| c.better_than(&b)) {
        *best = Some(c);
    }
}

/// One anchor, prepared for searching. Bit-parallel patterns are built only when needed.
struct Query<'a> {
    anchor: &'a Anchor,
    quote: &'a [u8],
    prefix: &'a [u8],
    suffix: &'a [u8],
    /// Lengths in chars.
    m: usize,
    lp: usize,
    ls: usize,
    k: usize,
    finder: OnceCell<memmem::Finder<'a>>,
    forward: OnceCell<myers::Pattern>,
    backward: OnceCell<myers::Pattern>,
    prefix_backward: OnceCell<myers::Pattern>,
    suffix_forward: OnceCell<myers::Pattern>,
    /// The first [`HEAD_CHARS`] chars, forwards and backwards, for long quotes.
    head: OnceCell<(myers::Pattern, myers::Pattern)>,
}

impl<'a> Query<'a> {
    fn new(anchor: &'a Anchor) -> Self {
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

    fn finder(&self) -> &memmem::Finder<'a> {
        self.finder.get_or_init(|| memmem::Finder::new(self.quote))
    }

    fn forward(&self) -> &myers::Pattern {
        self.forward
            .get_or_init(|| myers::Pattern::new(self.anchor.quote.chars()))
    }

    fn backward(&self) -> &myers::Pattern {
        self.backward
            .get_or_init(|| myers::Pattern::new(self.anchor.quote.chars().rev()))
    }

    fn head(&self) -> &(myers::Pattern, myers::Pattern) {
        self.head.get_or_init(|| {
            let head: Vec<char> = self.anchor.quote.chars().take(HEAD_CHARS).collect();
            (
                myers::Pattern::new(head.iter().copied()),
                myers::Pattern::new(head.iter().rev().copied()),
            )
        })
    }

    fn prefix_backward(&self) -> &myers::Pattern {
        self.prefix_backward
            .get_or_init(|| myers::Pattern::new(self.anchor.prefix.chars().rev()))
    }

    fn suffix_forward(&self) -> &myers::Pattern {
        self.suffix_forward
            .get_or_init(|| myers::Pattern::new(self.anchor.suffix.chars()))
    }
}

/// Where the stored context still occurs exactly (bytes): the ends of the prefix and the
/// starts of the suffix nearest the expected position.
#[derive(Default)]
struct Probes {
    prefix_ends: Vec<usize>,
    suffix_starts: Vec<usize>,
}

/// Work accounting against a [`Budget`].
struct Work {
    budget: Budget,
    anchor_left: u64,
    total_left: u64,
    local_left: u64,
    deadline: Option<Instant>,
    /// True when the current anchor's search skipped something for lack of budget.
    cut_short: bool,
}

impl Work {
    fn new(budget: &Budget) -> Self {
        Self {
            budget: *budget,
            anchor_left: budget.per_anchor,
            total_left: budget.total,
            local_left: budget.local,
            deadline: budget.time.and_then(|t| Instant::now().checked_add(t)),
            cut_short: false,
        }
    }

    fn start_anchor(&mut self) {
        self.anchor_left = self.budget.per_anchor;
        self.cut_short = false;
    }

    /// Takes `units` if the budget allows; otherwise marks the anchor as cut short.
    fn take(&mut self, units: u64) -> bool {
        if self.expired() || units > self.anchor_left || units > self.total_left {
            self.cut_short = true;
            return false;
        }
        self.anchor_left -= units;
        self.total_left -= units;
        true
    }

    /// Takes `units` of local search if the call's allowance has them; otherwise marks the
    /// anchor as cut short.
    fn take_local(&mut self, units: u64) -> bool {
        if units > self.local_left {
            self.cut_short = true;
            return false;
        }
        self.local_left -= units;
        true
    }

    /// The most units the current anchor may still take (0 past the deadline).
    fn available(&self) -> u64 {
        if self.expired() {
            return 0;
        }
        self.anchor_left.min(self.total_left)
    }

    fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Radii (bytes) around the expected position for the exact search with full context.
const QUICK_RADII: [usize; 2] = [4 << 10, 64 << 10];
/// How many exact occurrences, best context first, get a full score.
const EXACT_SHORTLIST: usize = 8;
/// How many approximate matches per window get a full score.
const FUZZY_SHORTLIST: usize = 8;
/// How many occurrences of the stored prefix / suffix are tried as places for the quote.
const CONTEXT_PROBES: usize = 3;
/// The most errors an approximate match may have, whatever the quote's length.
const MAX_ERRORS: usize = 256;
/// Quotes longer than this (chars) find their start from their first [`HEAD_CHARS`] chars
/// instead of a full alignment, and skip the costlier refinements.
const LONG_QUOTE: usize = 256;
const HEAD_CHARS: usize = 64;
/// A quote at least this long (chars) that occurs exactly once is re-anchored there (and
/// flagged, when its context differs a lot) rather than orphaned.
const UNIQUE_MIN_CHARS: usize = 16;
/// The share of a quote's chars that must still be there, in order, between its exact
/// prefix and suffix, for that text to be taken as the quote edited.
const BRACKET_MIN_KEPT: f32 = 0.6;
/// Largest window between found neighbours that is searched approximately.
const MAX_NEIGHBOUR_WINDOW: usize = 256 << 10;

struct Engine<'t> {
    text: &'t StoryText,
    hay: &'t [u8],
    work: Work,
}

impl<'t> Engine<'t> {
    fn new(text: &'t StoryText, budget: &Budget) -> Self {
        Self {
            text,
            hay: text.as_str().as_bytes(),
            work: Work::new(budget),
        }
    }

    fn outcome(&self, anchor: &Anchor, found: Found) -> Outcome {
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
    fn quick(&mut self, q: &Query, expected_char: usize, drifted: bool) -> Option<Found> {
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
    fn full(&mut self, q: &Query, expected: usize, bounds: Option<Range<usize>>) -> Found {
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
    fn approximate(
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
    fn holds(&self, q: &Query) -> Option<usize> {
        let a = q.anchor;
        if a.start >= a.end || a.end > self.text.len_chars() || a.end - a.start != q.m {
            return None;
        }
        let start = self.text.char_to_byte(a.start);
        self.hay[start..].starts_with(q.quote).then_some(start)
    }

    /// True when the stored prefix ends right at `start` and the suffix starts right after
    /// the quote.
    fn perfect(&self, q: &Query, start: usize) -> bool {
        let end = start + q.quote.len();
        self.hay[..start].ends_with(q.prefix)
            && self.hay[end..].starts_with(q.suffix)
            && self.edges_match(q, start)
    }

    /// A stored context shorter than [`CONTEXT_CHARS`] means the text began (or ended)
    /// there: it still must, for the context to be the same.
    fn edges_match(&self, q: &Query, start: usize) -> bool {
        let end = start + q.quote.len();
        (q.lp >= CONTEXT_CHARS || start == q.prefix.len())
            && (q.ls >= CONTEXT_CHARS || end + q.suffix.len() == self.hay.len())
    }

    /// How many bytes of the stored context agree with the text around an occurrence,
    /// counting outwards from the quote.
    fn agreement(&self, q: &Query, start: usize) -> usize {
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
    fn snap(&self, span: Span) -> Span {
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

    fn on_boundaries(&self, start: usize, end: usize) -> bool {
        self.is_boundary(start) && self.is_boundary(end)
    }

    fn is_boundary(&self, b: usize) -> bool {
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
    fn window(&self, center: usize, radius: usize, len: usize) -> Range<usize> {
        self.clamp_window(
            center.saturating_sub(radius),
            center.saturating_add(radius).saturating_add(len),
        )
    }

    fn clamp_window(&self, lo: usize, hi: usize) -> Range<usize> {
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
    fn nearest_perfect(
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
    fn exact_in(
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
    fn score(
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
    fn local_windows(
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
    fn probes(&mut self, q: &Query, region: Range<usize>, expected: usize) -> Probes {
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
    fn context_candidates(&self, q: &Query, probes: &Probes, expected: usize) -> Vec<Candidate> {
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
    fn fuzzy_in(
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
    fn match_start(&self, q: &Query, base: usize, end: usize, k: usize) -> Option<(usize, usize)> {
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
    fn context_edge(&self, context: &[u8], at: usize, reach: usize, before: bool) -> Option<usize> {
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

/// Myers' bit-parallel approximate string matching (J. ACM 46(3), 1999), on chars, in
/// blocks of 64 pattern chars, with Ukkonen's cut-off (only the blocks that can still be
/// within the error limit are computed) as in the paper's block-based algorithm.
mod myers {
    /// Pattern chars per block.
    const W: usize = 64;

    /// A pattern prepared for matching: for every char, a bit mask per block of the
    /// positions where it occurs.
    pub struct Pattern {
        len: usize,
        blocks: usize,
        /// Masks of the ASCII chars, `128 * blocks`.
        ascii: Vec<u64>,
        /// Other chars: direct-mapped on the low 8 bits of the code point, then a sorted
        /// list for the rare collisions.
        slots: Vec<Slot>,
        overflow: Vec<(char, usize)>,
        masks: Vec<u64>,
        zeros: Vec<u64>,
        /// The bit of each block's last row.
        last_row: Vec<u64>,
    }

    #[derive(Clone, Copy)]
    struct Slot {
        owner: char,
        offset: usize,
        used: bool,
        shared: bool,
    }

    impl Pattern {
        pub fn new(chars: impl Iterator<Item = char>) -> Self {
            let chars: Vec<char> = chars.collect();
            let len = chars.len();
            let blocks = len.div_ceil(W).max(1);
            let mut ascii = vec![0u64; 128 * blocks];
            let mut others: Vec<(char, usize)> = Vec::new();
            let mut masks = Vec::new();
            for (i, &c) in chars.iter().enumerate() {
                let (b, bit) = (i / W, 1u64 << (i % W));
                if c.is_ascii() {
                    ascii[c as usize * blocks + b] |= bit;
                } else {
                    let offset = match others.iter().find(|(o, _)| *o == c) {
                        Some(&(_, offset)) => offset,
                        None => {
                            let offset = masks.len();
                            masks.resize(offset + blocks, 0);
                            others.push((c, offset));
                            offset
                        }
                    };
                    masks[offset + b] |= bit;
                }
            }
            let empty = Slot {
                owner: '\0',
                offset: 0,
                used: false,
                shared: false,
            };
            let mut slots = vec![empty; 256];
            let mut overflow = Vec::new();
            for &(c, offset) in &others {
                let slot = &mut slots[c as usize & 0xFF];
                if !slot.used {
                    *slot = Slot {
                        owner: c,
                        offset,
                        used: true,
                        shared: false,
                    };
                } else {
                    slot.shared = true;
                    overflow.push((c, offset));
                }
            }
            overflow.sort_unstable();
            let mut last_row = vec![1u64 << (W - 1); blocks];
            if len > 0 {
                last_row[blocks - 1] = 1u64 << ((len - 1) % W);
            }
            Self {
                len,
                blocks,
                ascii,
                slots,
                overflow,
                masks,
                zeros: vec![0; blocks],
                last_row,
            }
        }

        /// The mask of `c` in a one-block pattern.
        #[inline(always)]
        fn peq1(&self, c: char) -> u64 {
            if c.is_ascii() {
                return self.ascii[c as usize];
            }
            self.peq(c)[0]
        }

        #[inline(always)]
        fn peq(&self, c: char) -> &[u64] {
            if c.is_ascii() {
                let o = c as usize * self.blocks;
                return &self.ascii[o..o + self.blocks];
            }
            let slot = &self.slots[c as usize & 0xFF];
            let offset = if slot.used && slot.owner == c {
                Some(slot.offset)
            } else if slot.shared {
                self.overflow
                    .binary_search_by_key(&c, |&(o, _)| o)
                    .ok()
                    .map(|i| self.overflow[i].1)
            } else {
                None
            };
            match offset {
                Some(o) => &self.masks[o..o + self.blocks],
                None => &self.zeros,
            }
        }

        /// Every text position where the pattern ends with at most `k` errors (edit
        /// operations), against any substring ending there. `text` yields
        /// `(position after the char, char)`; `found(column, position, errors)` is called
        /// in text order. Returns the work done, in block steps.
        pub fn search(
            &self,
            text: impl Iterator<Item = (usize, char)>,
            k: usize,
            mut found: impl FnMut(usize, usize, usize),
        ) -> u64 {
            let m = self.len;
            if m == 0 {
                return 0;
            }
            let k = k.min(m) as i64;
            if self.blocks == 1 {
                // One machine word: no blocks to activate or retire.
                let last = self.last_row[0];
                let (mut pv, mut mv, mut score) = (!0u64, 0u64, m as i64);
                let mut cols = 0u64;
                for (col, (pos, c)) in text.enumerate() {
                    score += advance(&mut pv, &mut mv, self.peq1(c), 0, last) as i64;
                    if score <= k {
                        found(col, pos, score as usize);
                    }
                    cols += 1;
                }
                return cols;
            }
            let bmax = self.blocks - 1;
            let mut pv = vec![!0u64; self.blocks];
            let mut mv = vec![0u64; self.blocks];
            // Score of each block's last row.
            let mut score: Vec<i64> = (0..self.blocks).map(|b| ((b + 1) * W) as i64).collect();
            score[bmax] = m as i64;
            let mut y = ((k as usize).div_ceil(W)).saturating_sub(1);
            let mut work = 0u64;
            for (col, (pos, c)) in text.enumerate() {
                let peq = self.peq(c);
                let mut carry = 0i32;
                let active = pv[..=y]
                    .iter_mut()
                    .zip(&mut mv[..=y])
                    .zip(&mut score[..=y])
                    .zip(peq[..=y].iter().zip(&self.last_row[..=y]));
                for (((p, m), sc), (&eq, &last)) in active {
                    carry = advance(p, m, eq, carry, last);
                    *sc += carry as i64;
                }
                work += (y + 1) as u64;
                if score[y] - carry as i64 <= k && y < bmax && ((peq[y + 1] & 1) != 0 || carry < 0)
                {
                    y += 1;
                    pv[y] = !0;
                    mv[y] = 0;
                    let rows = if y == bmax { m - bmax * W } else { W };
                    let out = advance(&mut pv[y], &mut mv[y], peq[y], carry, self.last_row[y]);
                    score[y] = score[y - 1] + rows as i64 - carry as i64 + out as i64;
                } else {
                    while y > 0 && score[y] >= k + W as i64 {
                        y -= 1;
                    }
                }
                if y == bmax && score[y] <= k {
                    found(col, pos, score[y] as usize);
                }
            }
            work
        }

        /// The fewest errors of the pattern against a *prefix* of `text` (the pattern's
        /// first char aligned with the text's first), and how many text chars that prefix
        /// has (the shortest on a tie).
        pub fn anchored(&self, text: impl Iterator<Item = char>) -> (usize, usize) {
            let mut best = (self.len, 0);
            self.anchored_scores(text, |cols, errors| {
                if errors < best.0 {
                    best = (errors, cols);
                }
            });
            best
        }

        /// The length of the longest common subsequence of the pattern and `text`
        /// (Allison and Dix 1986, Hyyrö 2004: one addition per block and char).
        pub fn lcs(&self, text: impl Iterator<Item = char>) -> usize {
            if self.len == 0 {
                return 0;
            }
            let mut v = vec![!0u64; self.blocks];
            for c in text {
                let peq = self.peq(c);
                let mut carry = false;
                for (b, vb) in v.iter_mut().enumerate() {
                    let u = *vb & peq[b];
                    let (sum, c1) = vb.overflowing_add(u);
                    let (sum, c2) = sum.overflowing_add(carry as u64);
                    carry = c1 || c2;
                    *vb = sum | (*vb & !peq[b]);
                }
            }
            let full = self.len / W;
            let mut zeros: usize = v[..full].iter().map(|b| b.count_zeros() as usize).sum();
            let rest = self.len % W;
            if rest > 0 {
                let mask = (1u64 << rest) - 1;
                zeros += (!v[full] & mask).count_ones() as usize;
            }
            zeros
        }

        /// The edit distance between the pattern and the whole of `text`.
        pub fn distance(&self, text: impl Iterator<Item = char>) -> usize {
            let mut last = self.len;
            self.anchored_scores(text, |_, errors| last = errors);
            last
        }

        /// Like [`Pattern::anchored`] over at most `max_cols` chars, returning the text
        /// position reached (from `text`'s `(position, char)` pairs) instead of a count; on
        /// a tie, the length nearest `ideal` chars.
        pub fn anchored_nearest(
            &self,
            text: impl Iterator<Item = (usize, char)>,
            max_cols: usize,
            ideal: usize,
        ) -> (usize, Option<usize>) {
            let mut best: (usize, usize, Option<usize>) = (usize::MAX, usize::MAX, None);
            let mut positions = Vec::with_capacity(max_cols.min(1 << 16));
            let text = text.take(max_cols).map(|(p, c)| {
                positions.push(p);
                c
            });
            self.anchored_scores(text, |cols, errors| {
                let off = cols.abs_diff(ideal);
                if cols > 0 && (errors < best.0 || (errors == best.0 && off < best.1)) {
                    best = (errors, off, Some(cols));
                }
            });
            match best.2 {
                Some(cols) => (best.0, Some(positions[cols - 1])),
                None => (self.len, None),
            }
        }

        /// Calls `f(columns consumed, errors)` for every prefix of `text`, starting with
        /// the empty one. Global alignment at the start: the top row of the dynamic
        /// programming matrix grows by one per column.
        fn anchored_scores(
            &self,
            text: impl Iterator<Item = char>,
            mut f: impl FnMut(usize, usize),
        ) {
            let m = self.len;
            f(0, m);
            if m == 0 {
                return;
            }
            if self.blocks == 1 {
                let last = self.last_row[0];
                let (mut pv, mut mv, mut score) = (!0u64, 0u64, m as i64);
                for (col, c) in text.enumerate() {
                    score += advance(&mut pv, &mut mv, self.peq1(c), 1, last) as i64;
                    f(col + 1, score as usize);
                }
                return;
            }
            let mut pv = vec![!0u64; self.blocks];
            let mut mv = vec![0u64; self.blocks];
            let mut score = m as i64;
            for (col, c) in text.enumerate() {
                let peq = self.peq(c);
                let mut carry = 1i32;
                for b in 0..self.blocks {
                    carry = advance(&mut pv[b], &mut mv[b], peq[b], carry, self.last_row[b]);
                }
                score += carry as i64;
                f(col + 1, score as usize);
            }
        }
    }

    /// One block of one column (Myers 1999, fig. 8, in Hyyrö's form with a horizontal
    /// carry in and out of {-1, 0, +1}).
    #[inline(always)]
    fn advance(pv: &mut u64, mv: &mut u64, eq: u64, h_in: i32, last_row: u64) -> i32 {
        let p = *pv;
        let mneg = *mv;
        let h_in_neg = (h_in < 0) as u64;
        let eq = eq | h_in_neg;
        let xv = eq | mneg;
        let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
        let mut ph = mneg | !(xh | p);
        let mut mh = p & xh;
        let h_out = ((ph & last_row) != 0) as i32 - ((mh & last_row) != 0) as i32;
        ph <<= 1;
        mh <<= 1;
        mh |= h_in_neg;
        ph |= (h_in > 0) as u64;
        *pv = mh | !(xv | ph);
        *mv = ph & xv;
        h_out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Plain dynamic programming: fewest errors of `p` against any substring of `t`
        /// ending at each position.
        fn naive_ends(p: &[char], t: &[char]) -> Vec<usize> {
            let mut prev: Vec<usize> = (0..=p.len()).collect();
            let mut out = Vec::new();
            for &tc in t {
                let mut cur = vec![0; p.len() + 1];
                for i in 1..=p.len() {
                    let sub = prev[i - 1] + (p[i - 1] != tc) as usize;
                    cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
                }
                out.push(cur[p.len()]);
                prev = cur;
            }
            out
        }

        fn naive_anchored(p: &[char], t: &[char]) -> Vec<usize> {
            let mut prev: Vec<usize> = (0..=p.len()).collect();
            let mut out = vec![p.len()];
            for (j, &tc) in t.iter().enumerate() {
                let mut cur = vec![j + 1; p.len() + 1];
                for i in 1..=p.len() {
                    let sub = prev[i - 1] + (p[i - 1] != tc) as usize;
                    cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
                }
                out.push(cur[p.len()]);
                prev = cur;
            }
            out
        }

        fn naive_lcs(p: &[char], t: &[char]) -> usize {
            let mut prev = vec![0usize; t.len() + 1];
            for &pc in p {
                let mut cur = vec![0usize; t.len() + 1];
                for (j, &tc) in t.iter().enumerate() {
                    cur[j + 1] = if pc == tc {
                        prev[j] + 1
                    } else {
                        cur[j].max(prev[j + 1])
                    };
                }
                prev = cur;
            }
            prev[t.len()]
        }

        /// A small deterministic generator, so the test needs no dependency.
        struct Lcg(u64);
        impl Lcg {
            fn next(&mut self) -> u64 {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                self.0 >> 33
            }
            fn string(&mut self, len: usize, alphabet: &[char]) -> Vec<char> {
                (0..len)
                    .map(|_| alphabet[self.next() as usize % alphabet.len()])
                    .collect()
            }
        }

        #[test]
        fn search_agrees_with_dynamic_programming() {
            let alphabet = ['a', 'b', 'c', 'é', 'Ж', 'ā', '😀'];
            let mut rng = Lcg(7);
            for round in 0..300 {
                let m = 1 + rng.next() as usize % if round % 3 == 0 { 200 } else { 70 };
                let p = rng.string(m, &alphabet[..2 + round % 6]);
                let n = rng.next() as usize % 400;
                let t = rng.string(n, &alphabet[..2 + round % 6]);
                let k = rng.next() as usize % (m + 1);
                let expected = naive_ends(&p, &t);
                let pattern = Pattern::new(p.iter().copied());
                let mut got = vec![None; t.len()];
                pattern.search(t.iter().copied().enumerate(), k, |col, pos, e| {
                    assert_eq!(col, pos);
                    got[col] = Some(e);
                });
                for (j, &e) in expected.iter().enumerate() {
                    if e <= k {
                        assert_eq!(got[j], Some(e), "round {round} col {j} m {m} k {k}");
                    } else {
                        assert_eq!(got[j], None, "round {round} col {j} m {m} k {k}");
                    }
                }
                let mut anchored = Vec::new();
                pattern.anchored_scores(t.iter().copied(), |_, e| anchored.push(e));
                assert_eq!(anchored, naive_anchored(&p, &t), "round {round}");
                assert_eq!(
                    pattern.lcs(t.iter().copied()),
                    naive_lcs(&p, &t),
                    "round {round}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> StoryText {
        StoryText::new(s.to_owned())
    }

    fn anchor_of(t: &StoryText, quote: &str) -> Anchor {
        let byte = t.as_str().find(quote).expect("quote in text");
        let start = t.byte_to_char(byte);
        Anchor::from_span(t, Span::new(start, start + quote.chars().count()))
    }

    #[test]
    fn moved_quote_prefers_matching_context() {
        let old = text("A said the tax rose. B said the tax rose. End.");
        // B's "the tax rose."
        let anchor = Anchor::from_span(&old, Span::new(28, 41));
        assert_eq!(anchor.quote, "the tax rose.");
        let new = text("Intro. A said the tax rose. Then B said the tax rose. End.");
        match reanchor_one(&new, &anchor) {
            Outcome::Moved(span) => {
                assert_eq!(new.slice_chars(span.start..span.end), anchor.quote);
                assert!(new.slice_chars(0..span.start).ends_with("Then B said "));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unchanged_text_keeps_everything() {
        let t = text("One claim here. Another claim there.");
        let a = Anchor::from_span(&t, Span::new(4, 9));
        assert_eq!(reanchor_one(&t, &a), Outcome::Kept);
        let gone = text("Nothing left.");
        assert_eq!(reanchor_one(&gone, &a), Outcome::Orphaned);
    }

    #[test]
    fn edited_quote_is_found_approximately_and_flagged() {
        let old = text(
            "Background first. The mayor said the bridge will cost 48 million euros next year. \
             Critics disagreed.",
        );
        let a = anchor_of(&old, "the bridge will cost 48 million euros next year");
        let new = text(
            "Background first, and more of it. The mayor said the new bridge will cost 52 million \
             euros next year. Critics disagreed.",
        );
        match reanchor_one(&new, &a) {
            Outcome::Fuzzy { span, confidence } => {
                assert_eq!(
                    new.slice_chars(span.start..span.end),
                    "the new bridge will cost 52 million euros next year"
                );
                assert!((MIN_CONFIDENCE..1.0).contains(&confidence));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn short_quote_without_its_context_is_orphaned_not_misplaced() {
        let old = text("The council said taxes rose. Later, the weather was fine and tax was low.");
        // "rose" with its context, then the sentence is rewritten around another "rose".
        let a = anchor_of(&old, "rose");
        let new = text("Gardeners love a rose. Nothing else was said by anyone at all today.");
        assert_eq!(reanchor_one(&new, &a), Outcome::Orphaned);
    }

    #[test]
    fn kept_only_with_context_when_the_text_drifted() {
        // "tax" still sits at its old offset, but in a different sentence; its real place
        // moved further on.
        let old = text("Yes the tax rose by four percent. Done.");
        let a = anchor_of(&old, "tax");
        let new = text("Low, so tax. Yes the tax rose by four percent. Done.");
        assert_eq!(new.slice_chars(a.start..a.end), "tax");
        match reanchor_one(&new, &a) {
            Outcome::Moved(span) => assert_eq!(span, Span::new(21, 24)),
            other => panic!("unexpected {other:?}"),
        }
        // Not drifted: verification only.
        let r = reanchor_all(&new, &[Annotation::new(a, "Claim", "t")], false);
        assert_eq!(r.outcomes, vec![Outcome::Kept]);
    }

    #[test]
    fn spans_do_not_split_graphemes() {
        let old = text("Le café est fermé. Le cafe est ouvert.");
        let a = anchor_of(&old, "cafe");
        // The unaccented "cafe" is gone; "cafe\u{301}" (combining accent) holds the bytes
        // of "cafe" followed by a mark, which is not an occurrence.
        let new = text("Le café est fermé. Le cafe\u{301} est ouvert.");
        let out = reanchor_one(&new, &a);
        if let Some(span) = out.span(a.span()) {
            assert!(new.is_grapheme_boundary(span.start) && new.is_grapheme_boundary(span.end));
            assert!(matches!(out, Outcome::Fuzzy { .. }), "{out:?}");
        }
    }

    #[test]
    fn orphaned_then_found_again_is_anchored() {
        let t = text("A claim about taxes that is long enough.");
        let mut ann = Annotation::new(anchor_of(&t, "claim about taxes"), "Claim", "t");
        ann.state = AnchorState::Orphaned;
        let applied = apply(&t, &ann, &Outcome::Kept);
        assert_eq!(applied.state, AnchorState::Anchored);
    }

    #[test]
    fn work_budget_cuts_whole_text_search_short() {
        let filler = "lorem ipsum dolor sit amet consectetur ".repeat(20_000);
        let old = text(&format!(
            "{filler}The minister promised forty new hospitals by 2030."
        ));
        let a = anchor_of(&old, "The minister promised forty new hospitals by 2030.");
        let new = text(&filler);
        let ann = [Annotation::new(a, "Claim", "t")];
        let tight = Budget {
            per_anchor: 1000,
            total: 1000,
            local: u64::MAX,
            time: None,
        };
        let r = reanchor_all_within(&new, &ann, true, &tight);
        assert_eq!(r.outcomes, vec![Outcome::Orphaned]);
        assert_eq!(r.cut_short, 1);
        let r = reanchor_all_within(&new, &ann, true, &Budget::UNLIMITED);
        assert_eq!(r.outcomes, vec![Outcome::Orphaned]);
        assert_eq!(r.cut_short, 0);
    }

    #[test]
    fn a_long_unique_quote_in_a_short_story_is_flagged_not_orphaned() {
        // Regression: with the whole story inside the first search window, the
        // "long quote found once" rule never ran and this was orphaned.
        let old = StoryText::new("Crime rose 40 percent. Schools closed early.".to_owned());
        let a = Anchor::from_span(&old, Span::new(0, 22));
        let new = StoryText::new("Police say: Crime rose 40 percent. Parks reopened.".to_owned());
        match reanchor_one(&new, &a) {
            Outcome::Moved(span) | Outcome::Fuzzy { span, .. } => {
                assert_eq!(
                    new.slice_chars(span.start..span.end),
                    "Crime rose 40 percent."
                )
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
