//! [`Span`]: a half-open range of chars, and the one coordinate system.
//!
//! # One coordinate system
//! Every position in factmark's files and exports is a count of Unicode scalar values
//! (Rust `char`s) into the story's canonical text (see [`super`]). A [`Span`] is
//! half-open, `start..end`, and never empty:
//!
//! ```text
//!   text:  T h e   m a y o r   s a i d
//!   char:  0 1 2 3 4 5 6 7 8 9 ...
//!   span 4..9 = "mayor"
//! ```
//!
//! Code may convert to byte offsets internally ([`super::StoryText`] does it in
//! O(1)-ish time); nothing outside this crate sees bytes.
//!
//! This module imports nothing from the rest of the crate: every other module may use it.

use serde::{Deserialize, Serialize};

/// A half-open range of chars, `start..end`, with `start < end` for any stored span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two spans share at least one char.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_overlap() {
        assert!(Span::new(0, 5).overlaps(Span::new(4, 6)));
        assert!(!Span::new(0, 5).overlaps(Span::new(5, 6)));
    }
}
