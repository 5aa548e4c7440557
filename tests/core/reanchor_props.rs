//! Properties of re-anchoring on arbitrary stories, anchors and edits: it never panics,
//! every span it returns is in bounds, non-empty and on grapheme boundaries, exact outcomes
//! hold the quote, and an unchanged story keeps every anchor exactly.

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use factmark::anchor::{Anchor, Span};
use factmark::model::Annotation;
use factmark::reanchor::{self, Outcome};
use factmark::text::StoryText;

/// Pieces that make stories hard: repeated words, combining marks, emoji sequences, flags,
/// Cyrillic, line breaks.
const PIECES: &[&str] = &[
    "the ",
    "tax ",
    "rose ",
    "mayor ",
    "said ",
    "a",
    "b",
    ". ",
    " ",
    "\n",
    "\n\n",
    "é",
    "e\u{301}",
    "👨\u{200d}👩\u{200d}👧",
    "🇺🇦",
    "Жук ",
    "x",
    "48 ",
    "«",
    "»",
    "\u{200d}",
];

fn story() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..120).prop_map(|v| v.concat())
}

/// An edit as fractions of the text, so it applies to any text: delete `len` chars at
/// `at`, then insert some pieces there.
fn edits() -> impl Strategy<Value = Vec<(f64, usize, Vec<&'static str>)>> {
    prop::collection::vec(
        (
            0.0..1.0f64,
            0usize..12,
            prop::collection::vec(prop::sample::select(PIECES), 0..6),
        ),
        0..6,
    )
}

fn apply_edits(text: &str, edits: &[(f64, usize, Vec<&'static str>)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, len, insert) in edits {
        let at = ((chars.len() as f64) * at) as usize;
        let end = (at + len).min(chars.len());
        chars.splice(at..end, insert.concat().chars());
    }
    chars.into_iter().collect()
}

/// Anchors as the window makes them: snapped to graphemes and trimmed. Spans that still
/// split a grapheme cluster are left out: `clean_selection` can make them (it trims a space
/// off a space + ZWJ cluster, and `snap_to_graphemes` can stop inside a ZWJ sequence), and
/// re-anchoring keeps such an anchor's edges as they were when its context is unchanged.
fn anchors(text: &StoryText, spans: &[(f64, usize)]) -> Vec<Annotation> {
    spans
        .iter()
        .filter_map(|&(at, len)| {
            let start = ((text.len_chars() as f64) * at) as usize;
            let span = text.clean_selection(Span::new(start, start + len))?;
            (is_boundary(text, span.start) && is_boundary(text, span.end))
                .then(|| Annotation::new(Anchor::from_span(text, span), "Claim", "prop"))
        })
        .collect()
}

fn spans() -> impl Strategy<Value = Vec<(f64, usize)>> {
    prop::collection::vec((0.0..1.0f64, 1usize..60), 1..12)
}

/// True when char position `c` is a grapheme cluster boundary: an oracle independent of
/// the code under test.
fn is_boundary(text: &StoryText, c: usize) -> bool {
    let s = text.as_str();
    let b = text.char_to_byte(c);
    b == s.len() || s.grapheme_indices(true).any(|(i, _)| i == b)
}

/// Every returned span is usable in `text`; exact outcomes hold the quote.
fn check_outcome(
    text: &StoryText,
    anchor: &Anchor,
    outcome: &Outcome,
) -> Result<(), TestCaseError> {
    if let Some(span) = outcome.span(anchor.span()) {
        prop_assert!(span.start < span.end, "empty span {span:?}");
        prop_assert!(
            span.end <= text.len_chars(),
            "{span:?} beyond {}",
            text.len_chars()
        );
        prop_assert!(
            is_boundary(text, span.start),
            "{span:?} starts inside a grapheme"
        );
        prop_assert!(
            is_boundary(text, span.end),
            "{span:?} ends inside a grapheme"
        );
    }
    match outcome {
        Outcome::Kept => prop_assert_eq!(text.slice_chars(anchor.start..anchor.end), &anchor.quote),
        Outcome::Moved(span) => {
            prop_assert_eq!(text.slice_chars(span.start..span.end), &anchor.quote)
        }
        Outcome::Fuzzy { confidence, .. } => {
            prop_assert!((0.0..=1.0).contains(confidence), "confidence {confidence}")
        }
        Outcome::Orphaned => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn unchanged_story_keeps_every_anchor(text in story(), spans in spans()) {
        let text = StoryText::new(text);
        let annotations = anchors(&text, &spans);
        for drifted in [false, true] {
            let r = reanchor::reanchor_all(&text, &annotations, drifted);
            prop_assert!(r.outcomes.iter().all(|o| *o == Outcome::Kept), "{:?}", r.outcomes);
            prop_assert_eq!(r.counts.kept, annotations.len());
        }
        for a in &annotations {
            prop_assert_eq!(reanchor::reanchor_one(&text, &a.anchor), Outcome::Kept);
        }
    }

    #[test]
    fn drifted_story_gives_valid_spans(text in story(), spans in spans(), edits in edits()) {
        let old = StoryText::new(text);
        let annotations = anchors(&old, &spans);
        let new = StoryText::new(apply_edits(old.as_str(), &edits));
        let r = reanchor::reanchor_all(&new, &annotations, true);
        prop_assert_eq!(r.outcomes.len(), annotations.len());
        let c = r.counts;
        prop_assert_eq!(c.kept + c.moved + c.unconfirmed + c.orphaned, annotations.len());
        for (a, o) in annotations.iter().zip(&r.outcomes) {
            check_outcome(&new, &a.anchor, o)?;
            let one = reanchor::reanchor_one(&new, &a.anchor);
            check_outcome(&new, &a.anchor, &one)?;
            // Applying an outcome gives an anchor that holds (or an untouched orphan).
            let applied = reanchor::apply(&new, a, o);
            if *o == Outcome::Orphaned {
                prop_assert_eq!(&applied.anchor, &a.anchor);
            } else {
                prop_assert!(applied.anchor.holds_in(&new));
            }
        }
    }

    #[test]
    fn arbitrary_anchors_never_panic(
        text in story(),
        start in 0usize..400,
        len in 0usize..400,
        quote in story(),
        prefix in prop::option::of(story()),
        suffix in prop::option::of(story()),
    ) {
        // A hand-edited sidecar can hold anything.
        let text = StoryText::new(text);
        let anchor = Anchor {
            start,
            end: start + len,
            quote: quote.chars().take(80).collect(),
            prefix: prefix.unwrap_or_default().chars().take(40).collect(),
            suffix: suffix.unwrap_or_default().chars().take(40).collect(),
        };
        let outcome = reanchor::reanchor_one(&text, &anchor);
        if let Some(span) = outcome.span(anchor.span()).filter(|_| outcome != Outcome::Kept) {
            prop_assert!(span.start < span.end && span.end <= text.len_chars());
            prop_assert!(is_boundary(&text, span.start) && is_boundary(&text, span.end));
        }
        let r = reanchor::reanchor_all(&text, &[Annotation::new(anchor, "Claim", "p")], true);
        prop_assert_eq!(r.outcomes.len(), 1);
    }

    #[test]
    fn story_shifted_as_a_whole_keeps_every_quote(text in story(), spans in spans(), pad in story()) {
        // Text added before the whole story: every anchor, with its full context, is
        // found again exactly.
        let old = StoryText::new(text);
        let annotations = anchors(&old, &spans);
        let new = StoryText::new(format!("{pad}\n\n{}", old.as_str()));
        let r = reanchor::reanchor_all(&new, &annotations, true);
        for (a, o) in annotations.iter().zip(&r.outcomes) {
            check_outcome(&new, &a.anchor, o)?;
            // Its old place, shifted, is one right answer; a copy of quote and context in
            // the padding is another: either way, the exact quote.
            let s = o.span(a.anchor.span());
            prop_assert!(s.is_some(), "lost {:?}", a.anchor);
            if let Some(s) = s {
                prop_assert_eq!(new.slice_chars(s.start..s.end), &a.anchor.quote);
            }
        }
    }
}
