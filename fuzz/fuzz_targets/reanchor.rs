//! Any story and any stored anchor (as a hand-edited sidecar could hold): re-anchoring
//! never panics, and a kept or moved anchor really holds its quote in the text.
#![no_main]

use factmark::anchor::{Anchor, Span};
use factmark::model::Annotation;
use factmark::reanchor::{Outcome, apply, reanchor_all, reanchor_one};
use factmark::text::StoryText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let start = u16::from_le_bytes([data[0], data[1]]) as usize;
    let end = u16::from_le_bytes([data[2], data[3]]) as usize;
    let rest = String::from_utf8_lossy(&data[4..]);
    // Fields separated by U+0001: story, quote, prefix, suffix.
    let mut parts = rest.split('\u{1}');
    let story = parts.next().unwrap_or_default().replace('\r', "\n");
    let quote = parts.next().unwrap_or_default().to_owned();
    let prefix = parts.next().unwrap_or_default().to_owned();
    let suffix = parts.next().unwrap_or_default().to_owned();
    let text = StoryText::new(story);
    let anchor = Anchor {
        start,
        end,
        quote: quote.clone(),
        prefix,
        suffix,
    };
    let outcome = reanchor_one(&text, &anchor);
    match &outcome {
        Outcome::Kept => assert!(anchor.holds_in(&text)),
        Outcome::Moved(span) | Outcome::Fuzzy { span, .. } => {
            assert!(span.start < span.end && span.end <= text.len_chars());
            if let Outcome::Moved(_) = outcome {
                assert_eq!(text.slice_chars(span.start..span.end), quote);
            }
        }
        Outcome::Orphaned => {}
    }
    let mut annotation = Annotation::new(
        Anchor::from_span(&text, Span::new(0, text.len_chars().min(1))),
        "Claim",
        "fuzz",
    );
    annotation.anchor = anchor;
    let applied = apply(&text, &annotation, &outcome);
    if !matches!(outcome, Outcome::Orphaned) {
        assert!(applied.anchor.holds_in(&text) || applied.anchor.quote.is_empty());
    }
    let all = reanchor_all(&text, std::slice::from_ref(&annotation), true);
    assert_eq!(all.outcomes, vec![outcome]);
});
