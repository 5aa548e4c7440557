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
//! This module must not depend on any UI crate.

use crate::anchor::{Anchor, AnchorState, Span};
use crate::model::Annotation;
use crate::text::StoryText;

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
}

/// Finds one anchor in `text`.
pub fn reanchor_one(text: &StoryText, anchor: &Anchor) -> Outcome {
    if anchor.quote.is_empty() {
        return Outcome::Orphaned;
    }
    if anchor.holds_in(text) {
        return Outcome::Kept;
    }
    if let Some(span) = best_exact(text, anchor) {
        return Outcome::Moved(span);
    }
    Outcome::Orphaned
}

/// Re-anchors every annotation. When the text is unchanged (`drifted == false`) only anchors
/// that do not hold (a hand-edited sidecar) are searched for.
pub fn reanchor_all(text: &StoryText, annotations: &[Annotation], drifted: bool) -> Reanchored {
    let _ = drifted; // every anchor is verified either way; verification is cheap
    let mut out = Reanchored::default();
    out.outcomes.reserve(annotations.len());
    for a in annotations {
        let outcome = reanchor_one(text, &a.anchor);
        out.counts.count(&outcome, a.state);
        out.outcomes.push(outcome);
    }
    out
}

/// The annotation with its outcome applied: a new anchor (quote and context re-read from
/// the text) and state. Orphans keep their anchor and every field.
pub fn apply(text: &StoryText, annotation: &Annotation, outcome: &Outcome) -> Annotation {
    let mut a = annotation.clone();
    match outcome {
        Outcome::Kept => {}
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

/// The exact occurrence of the quote that agrees best with the stored context, nearest the
/// old position on a tie.
fn best_exact(text: &StoryText, anchor: &Anchor) -> Option<Span> {
    let hay = text.as_str();
    let quote_chars = anchor.quote.chars().count();
    let mut best: Option<(usize, usize, Span)> = None; // (context score, distance, span)
    for (byte, _) in hay.match_indices(anchor.quote.as_str()) {
        let start = text.byte_to_char(byte);
        let span = Span::new(start, start + quote_chars);
        let score = context_agreement(text, span, anchor);
        let distance = start.abs_diff(anchor.start);
        let better = match best {
            None => true,
            Some((s, d, _)) => score > s || (score == s && distance < d),
        };
        if better {
            best = Some((score, distance, span));
        }
    }
    best.map(|(_, _, span)| span)
}

/// How many chars of the stored prefix (read backwards) and suffix agree with the text
/// around `span`.
fn context_agreement(text: &StoryText, span: Span, anchor: &Anchor) -> usize {
    let n = crate::anchor::CONTEXT_CHARS;
    let before = text.slice_chars(span.start.saturating_sub(n)..span.start);
    let after = text.slice_chars(span.end..span.end + n);
    let pre = before
        .chars()
        .rev()
        .zip(anchor.prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let suf = after
        .chars()
        .zip(anchor.suffix.chars())
        .take_while(|(a, b)| a == b)
        .count();
    pre + suf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_quote_prefers_matching_context() {
        let old = StoryText::new("A said the tax rose. B said the tax rose. End.".to_owned());
        // B's "the tax rose."
        let anchor = Anchor::from_span(&old, Span::new(28, 41));
        assert_eq!(anchor.quote, "the tax rose.");
        let new =
            StoryText::new("Intro. A said the tax rose. Then B said the tax rose. End.".to_owned());
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
        let t = StoryText::new("One claim here. Another claim there.".to_owned());
        let a = Anchor::from_span(&t, Span::new(4, 9));
        assert_eq!(reanchor_one(&t, &a), Outcome::Kept);
        let gone = StoryText::new("Nothing left.".to_owned());
        assert_eq!(reanchor_one(&gone, &a), Outcome::Orphaned);
    }
}
