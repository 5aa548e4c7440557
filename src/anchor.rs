//! Anchors: where a highlight sits in a story, and how to find it again.
//!
//! Positions are chars into the canonical text: the coordinate system is documented once, on
//! [`Span`] in [`crate::text::span`].
//!
//! An [`Anchor`] stores the span *and* the quoted text with up to [`CONTEXT_CHARS`] chars of
//! context on each side, so a highlight can be found again after the story was edited
//! (re-anchoring lives in [`crate::reanchor`]).
//!
//! This module must not depend on any UI crate.

use serde::{Deserialize, Serialize};

pub use crate::text::Span;
use crate::text::StoryText;

/// How many chars of context an anchor keeps on each side of its quote.
pub const CONTEXT_CHARS: usize = 32;

/// A highlight's position plus the text selectors needed to find it again.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    /// The exact highlighted text.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] chars right before the quote.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] chars right after the quote.
    pub suffix: String,
}

impl Anchor {
    /// Builds the anchor of `span` in `text`. The span must be in bounds; it is clamped if not.
    pub fn from_span(text: &StoryText, span: Span) -> Self {
        let len = text.len_chars();
        let end = span.end.min(len);
        let start = span.start.min(end);
        let pre_start = start.saturating_sub(CONTEXT_CHARS);
        let suf_end = (end + CONTEXT_CHARS).min(len);
        Self {
            start,
            end,
            quote: text.slice_chars(start..end).to_owned(),
            prefix: text.slice_chars(pre_start..start).to_owned(),
            suffix: text.slice_chars(end..suf_end).to_owned(),
        }
    }

    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    /// True when the stored position still holds the stored quote.
    pub fn holds_in(&self, text: &StoryText) -> bool {
        self.start < self.end
            && self.end <= text.len_chars()
            && self.quote.chars().count() == self.end - self.start
            && text.slice_chars(self.start..self.end) == self.quote
    }
}

/// Whether an annotation's anchor is known to be right.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum AnchorState {
    /// The span holds the quote in the current text.
    #[default]
    Anchored,
    /// Found again after the story changed, by an approximate match; the user should
    /// confirm it. `confidence` is in `0.0..=1.0`.
    Reanchored { confidence: f32 },
    /// Could not be found in the current text. The anchor keeps its last known span and
    /// quote; the annotation keeps all its fields until the user re-attaches it.
    Orphaned,
}

impl Eq for AnchorState {}

impl AnchorState {
    pub fn is_orphaned(&self) -> bool {
        matches!(self, AnchorState::Orphaned)
    }

    pub fn needs_confirming(&self) -> bool {
        matches!(self, AnchorState::Reanchored { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_keeps_quote_and_context() {
        let text = StoryText::new("The mayor said the bridge cost 4 million.".to_owned());
        let a = Anchor::from_span(&text, Span::new(4, 9));
        assert_eq!(a.quote, "mayor");
        assert_eq!(a.prefix, "The ");
        assert_eq!(a.suffix, " said the bridge cost 4 million.");
        assert!(a.holds_in(&text));
        let shifted = StoryText::new("Then the mayor said the bridge cost 4 million.".to_owned());
        assert!(!a.holds_in(&shifted));
    }

    #[test]
    fn context_is_capped_and_counts_chars() {
        let body = "é".repeat(40) + "QUOTE" + &"ü".repeat(40);
        let text = StoryText::new(body);
        let a = Anchor::from_span(&text, Span::new(40, 45));
        assert_eq!(a.quote, "QUOTE");
        assert_eq!(a.prefix.chars().count(), CONTEXT_CHARS);
        assert_eq!(a.suffix.chars().count(), CONTEXT_CHARS);
    }
}
