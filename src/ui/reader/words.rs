//! Words and graphemes in the reader: word segments around a position, the whole-word
//! snapping of a drag, double-click words and Ctrl+Shift+arrow steps. Geometry-free: it
//! reads only the chunks and the story text.

use unicode_segmentation::UnicodeSegmentation;

use super::{Chunk, Reader};
use crate::anchor::Span;
use crate::text::StoryText;

impl Reader {
    pub(super) fn chunk_text<'t>(&self, text: &'t StoryText, i: usize) -> (&'t str, Chunk) {
        let ch = self.chunks[i];
        let s = text
            .as_str()
            .get(ch.byte_start as usize..ch.byte_end as usize)
            .unwrap_or_default();
        (s, ch)
    }

    /// Word segments of the chunk holding `c`, as char ranges in the story.
    pub(super) fn words_around(&self, text: &StoryText, c: usize) -> Vec<(Span, bool)> {
        if self.chunks.is_empty() {
            return Vec::new();
        }
        let (s, ch) = self.chunk_text(text, self.chunk_of_char(c));
        let mut out = Vec::new();
        let mut at = ch.char_start as usize;
        for word in s.split_word_bounds() {
            let n = word.chars().count();
            let is_word = word.chars().any(|ch| ch.is_alphanumeric());
            out.push((Span::new(at, at + n), is_word));
            at += n;
        }
        out
    }

    /// The word segment (a word, a run of spaces, a punctuation mark) holding char `c`.
    pub(super) fn segment_at(&self, text: &StoryText, c: usize) -> Option<Span> {
        self.words_around(text, c)
            .into_iter()
            .map(|(s, _)| s)
            .find(|s| s.contains(c))
    }

    /// A drag from caret `from` to caret `to`, as word processors take it: inside one word
    /// it is exact; once it crosses into another word both ends take in their whole words.
    /// Returns (anchor, head), head on the side the drag went.
    pub(super) fn snap_to_words(&self, text: &StoryText, from: usize, to: usize) -> (usize, usize) {
        if from == to {
            return (from, to);
        }
        let (lo, hi) = (from.min(to), from.max(to));
        let (Some(first), Some(last)) = (self.segment_at(text, lo), self.segment_at(text, hi - 1))
        else {
            return (from, to);
        };
        if first == last {
            return (from, to);
        }
        if to > from {
            (first.start, last.end)
        } else {
            (last.end, first.start)
        }
    }

    pub(super) fn word_at(&self, text: &StoryText, c: usize) -> Option<(usize, usize)> {
        let words = self.words_around(text, c);
        let hit = words
            .iter()
            .find(|(s, _)| s.contains(c))
            .or_else(|| words.iter().rev().find(|(s, _)| s.end == c))?;
        Some((hit.0.start, hit.0.end))
    }

    pub(super) fn word_right(&self, text: &StoryText, c: usize) -> usize {
        let words = self.words_around(text, c);
        match words.iter().find(|(s, w)| *w && s.end > c) {
            Some((s, _)) => s.end,
            None => grapheme_step(text, words.last().map_or(c, |(s, _)| s.end), true),
        }
    }

    pub(super) fn word_left(&self, text: &StoryText, c: usize) -> usize {
        let words = self.words_around(text, c);
        match words.iter().rev().find(|(s, w)| *w && s.start < c) {
            Some((s, _)) => s.start,
            None => grapheme_step(text, words.first().map_or(c, |(s, _)| s.start), false),
        }
    }
}

/// The next grapheme boundary after (or before) `c`.
pub(super) fn grapheme_step(text: &StoryText, c: usize, forward: bool) -> usize {
    let mut c = c.min(text.len_chars());
    loop {
        if forward {
            if c >= text.len_chars() {
                return c;
            }
            c += 1;
        } else {
            if c == 0 {
                return 0;
            }
            c -= 1;
        }
        if text.is_grapheme_boundary(c) {
            return c;
        }
    }
}
