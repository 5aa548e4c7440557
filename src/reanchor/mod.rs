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
//! # Files
//! - `mod.rs` (this file): the API and the policy: thresholds, [`Outcome`], [`apply`].
//! - `engine.rs`: the search, pass by pass.
//! - `budget.rs`: [`Budget`] and the work accounting against it.
//! - `myers.rs`: Myers' bit-parallel approximate matcher.
//!
//! This module must not depend on any UI crate, read files, or know about sidecars.

use crate::anchor::{Anchor, AnchorState, Span};
use crate::model::{Annotation, AnnotationSet};
use crate::text::StoryText;

mod budget;
mod engine;
mod myers;

pub use budget::Budget;
use engine::{Engine, Found, Query, shift};

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

/// The one re-anchor-and-apply path: re-anchors every annotation of `set` against `text`
/// ([`reanchor_all`], default budget), applies each outcome ([`apply`]) and rebuilds the
/// set. Returns the new set, or `None` when there was nothing to apply (the text did not
/// drift and every anchor held), so the common case copies nothing; and the counts.
///
/// A drifted text is always applied, even when every anchor was kept, so contexts edited
/// around a quote are refreshed. The document, the workspace, `check` and `merge` use it.
pub fn reanchor_set(
    text: &StoryText,
    set: &AnnotationSet,
    drifted: bool,
) -> (Option<AnnotationSet>, ReanchorCounts) {
    let result = reanchor_all(text, set.as_slice(), drifted);
    let moved = result.outcomes.iter().any(|o| !matches!(o, Outcome::Kept));
    if !drifted && !moved {
        return (None, result.counts);
    }
    let updated: Vec<Annotation> = set
        .iter()
        .zip(&result.outcomes)
        .map(|(a, o)| apply(text, a, o))
        .collect();
    // Ids were unique before and `apply` keeps them, so nothing can be a duplicate here.
    (Some(AnnotationSet::from_vec(updated).0), result.counts)
}

/// Dismissed suggestions re-found in `text`, as highlights are: each moves with its quote,
/// and one that cannot be found (an orphan) is dropped, since a suggestion that is no
/// longer in the story is no longer worth hiding. Returns `None` when every anchor still
/// holds where it was (the common case copies nothing).
pub fn reanchor_dismissed(
    text: &StoryText,
    dismissed: &[crate::sidecar::DismissedSuggestion],
) -> Option<Vec<crate::sidecar::DismissedSuggestion>> {
    if dismissed.iter().all(|d| d.anchor.holds_in(text)) {
        return None;
    }
    let kept = dismissed
        .iter()
        .filter_map(|d| {
            let span = if d.anchor.holds_in(text) {
                d.anchor.span()
            } else {
                reanchor_one(text, &d.anchor).span(d.anchor.span())?
            };
            let mut d = d.clone();
            d.anchor = Anchor::from_span(text, span);
            Some(d)
        })
        .collect();
    Some(kept)
}

/// The annotation with its outcome applied: a new anchor (quote and context re-read from
/// the text) and state. Orphans keep their anchor and every field.
///
/// When the new quote differs from the old one (an approximate match), the wording the
/// annotation was checked against is kept in `checked_wording` until a person decides
/// (SPEC 9); the first checked wording is kept through later edits, and it is dropped only
/// when the story goes back to it.
pub fn apply(text: &StoryText, annotation: &Annotation, outcome: &Outcome) -> Annotation {
    let mut a = apply_anchor(text, annotation, outcome);
    if a.anchor.quote != annotation.anchor.quote {
        match &a.checked_wording {
            None => a.checked_wording = Some(annotation.anchor.quote.clone()),
            Some(checked) if *checked == a.anchor.quote => a.checked_wording = None,
            Some(_) => {}
        }
    }
    a
}

fn apply_anchor(text: &StoryText, annotation: &Annotation, outcome: &Outcome) -> Annotation {
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
    fn changed_wording_keeps_the_checked_wording_until_the_story_goes_back() {
        let old = text("Intro. The plan costs $1 billion over ten years, officials said. End.");
        let mut ann = Annotation::new(
            anchor_of(&old, "The plan costs $1 billion over ten years"),
            "Claim",
            "t",
        );
        ann.status = crate::model::Status::Approved;
        let new = text("Intro. The plan costs $4 billion over ten years, officials said. End.");
        let (set, _) = AnnotationSet::from_vec(vec![ann.clone()]);
        let (updated, counts) = reanchor_set(&new, &set, true);
        let got = updated.expect("drifted").into_vec().remove(0);
        assert_eq!(counts.unconfirmed, 1);
        assert_eq!(got.anchor.quote, "The plan costs $4 billion over ten years");
        assert_eq!(
            got.checked_wording.as_deref(),
            Some("The plan costs $1 billion over ten years")
        );
        assert!(got.wording_changed());
        // A second edit keeps the wording that was checked, not the intermediate one.
        let newer = text("Intro. The plan costs $5 billion over ten years, officials said. End.");
        let again = apply(&newer, &got, &reanchor_one(&newer, &got.anchor));
        assert_eq!(
            again.anchor.quote,
            "The plan costs $5 billion over ten years"
        );
        assert_eq!(again.checked_wording, ann.anchor.quote.clone().into());
        // Back to the checked wording: nothing is pending any more.
        let back = apply(&old, &again, &reanchor_one(&old, &again.anchor));
        assert_eq!(back.anchor.quote, ann.anchor.quote);
        assert_eq!(back.checked_wording, None);
        assert!(!back.wording_changed());
    }

    #[test]
    fn a_moved_quote_with_the_same_words_is_not_a_wording_change() {
        let old = text("A. The tax rose by four percent last year. B.");
        let ann = Annotation::new(
            anchor_of(&old, "The tax rose by four percent"),
            "Claim",
            "t",
        );
        let new = text("New intro here. A. The tax rose by four percent last year. B.");
        let got = apply(&new, &ann, &reanchor_one(&new, &ann.anchor));
        assert_ne!(got.anchor.start, ann.anchor.start);
        assert_eq!(got.checked_wording, None);
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
