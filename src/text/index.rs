//! The position index of a story's canonical text: char <-> byte <-> line in O(1)-ish time.
//!
//! [`StoryText`] owns the canonical text together with an index that maps chars to bytes and
//! lines without scanning the text: a lookup costs at most one block of [`BLOCK`] bytes,
//! whatever the story's size. It must not read files (that is [`super::decode`]).

use std::ops::Range;

use sha2::{Digest, Sha256};
use unicode_segmentation::GraphemeCursor;

use super::span::Span;

/// Bytes per index block. A lookup scans at most this many bytes.
const BLOCK: usize = 256;

/// A story's canonical text with its position index and content hash.
#[derive(Clone, Debug)]
pub struct StoryText {
    text: String,
    /// `block_chars[i]` = number of chars that start before byte `i * BLOCK`.
    block_chars: Vec<u32>,
    /// Byte offset of the start of every line (the first is always 0).
    line_starts: Vec<u32>,
    len_chars: usize,
    sha256: String,
}

impl StoryText {
    /// Indexes `text`, which must already be canonical (no `\r`). Use [`canonicalize`](super::canonicalize) first
    /// for text from elsewhere.
    pub fn new(text: String) -> Self {
        debug_assert!(
            text.len() < u32::MAX as usize,
            "stories are size-limited on load"
        );
        let bytes = text.as_bytes();
        let mut block_chars = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0u32;
        for chunk in bytes.chunks(BLOCK) {
            block_chars.push(chars);
            chars += count_char_starts(chunk);
        }
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0u32);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| (i + 1) as u32));
        let sha256 = sha256_hex(&text);
        Self {
            text,
            block_chars,
            line_starts,
            len_chars: chars as usize,
            sha256,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in chars.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    pub fn len_bytes(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Lower-case hex SHA-256 of the canonical text's UTF-8 bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Byte offset of char position `c` (clamped to the end of the text).
    pub fn char_to_byte(&self, c: usize) -> usize {
        if c >= self.len_chars {
            return self.text.len();
        }
        // Last block whose first char is <= c.
        let block = self.block_chars.partition_point(|&n| n as usize <= c) - 1;
        let mut remaining = c - self.block_chars[block] as usize;
        let bytes = self.text.as_bytes();
        let mut i = block * BLOCK;
        // Skip continuation bytes that belong to a char started in the previous block.
        while i < bytes.len() && is_continuation(bytes[i]) {
            i += 1;
        }
        loop {
            if remaining == 0 {
                return i;
            }
            i += 1;
            while i < bytes.len() && is_continuation(bytes[i]) {
                i += 1;
            }
            remaining -= 1;
        }
    }

    /// Char position of byte offset `b`; a byte inside a char maps to that char.
    pub fn byte_to_char(&self, b: usize) -> usize {
        if b >= self.text.len() {
            return self.len_chars;
        }
        let block = b / BLOCK;
        let start = block * BLOCK;
        let counted = count_char_starts(&self.text.as_bytes()[start..=b]) as usize;
        // The char holding `b` is the last one that starts at or before it; when `b` is a
        // continuation byte of a char begun in an earlier block, `counted` is 0 and the
        // block's base count already includes that char.
        (self.block_chars[block] as usize + counted).saturating_sub(1)
    }

    /// The text of a char range (clamped to the text).
    pub fn slice_chars(&self, range: Range<usize>) -> &str {
        let start = self.char_to_byte(range.start);
        let end = self.char_to_byte(range.end.max(range.start));
        &self.text[start..end]
    }

    /// Byte range of a char span.
    pub fn byte_range(&self, span: Span) -> Range<usize> {
        self.char_to_byte(span.start)..self.char_to_byte(span.end.max(span.start))
    }

    /// Number of lines (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line (0-based) that holds byte offset `b`.
    pub fn line_of_byte(&self, b: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= b) - 1
    }

    /// The line (0-based) that holds char position `c`.
    pub fn line_of_char(&self, c: usize) -> usize {
        self.line_of_byte(self.char_to_byte(c))
    }

    /// Byte range of line `line`, without its `\n`.
    pub fn line_bytes(&self, line: usize) -> Range<usize> {
        let start = self.line_starts[line] as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map(|&s| s as usize - 1)
            .unwrap_or(self.text.len());
        start..end
    }

    /// Char range of line `line`, without its `\n`.
    pub fn line_chars(&self, line: usize) -> Range<usize> {
        let r = self.line_bytes(line);
        self.byte_to_char(r.start)..self.byte_to_char(r.end)
    }

    /// 1-based line and column (in chars) of a char position, for messages.
    pub fn line_col(&self, c: usize) -> (usize, usize) {
        let line = self.line_of_char(c);
        let col = c - self.byte_to_char(self.line_starts[line] as usize);
        (line + 1, col + 1)
    }

    /// True when char position `c` is on a grapheme cluster boundary.
    pub fn is_grapheme_boundary(&self, c: usize) -> bool {
        let b = self.char_to_byte(c);
        let mut cursor = GraphemeCursor::new(b, self.text.len(), true);
        let (chunk_start, chunk) = self.grapheme_context();
        cursor.is_boundary(chunk, chunk_start).unwrap_or(true)
    }

    /// Widens `span` so that it neither starts nor ends inside a grapheme cluster.
    pub fn snap_to_graphemes(&self, span: Span) -> Span {
        let start = self.grapheme_boundary_at_or_before(span.start.min(self.len_chars));
        let end = self.grapheme_boundary_at_or_after(span.end.min(self.len_chars));
        Span::new(start, end.max(start))
    }

    /// Shrinks `span` to drop leading and trailing blank grapheme clusters (clusters made only
    /// of whitespace); `None` if nothing is left. Whole clusters are dropped, never single
    /// chars, so a span on grapheme boundaries stays on them (a space carrying a combining
    /// mark, `" \u{301}"`, is one cluster and not blank).
    pub fn trim_span(&self, span: Span) -> Option<Span> {
        use unicode_segmentation::UnicodeSegmentation;
        let s = self.slice_chars(span.start..span.end);
        let blank = |g: &&str| g.chars().all(char::is_whitespace);
        let chars_of = |g: &str| g.chars().count();
        let lead: usize = s.graphemes(true).take_while(blank).map(chars_of).sum();
        let len = s.chars().count();
        if lead >= len {
            return None;
        }
        let trail: usize = s
            .graphemes(true)
            .rev()
            .take_while(blank)
            .map(chars_of)
            .sum();
        Some(Span::new(span.start + lead, span.start + len - trail))
    }

    /// Snaps to graphemes and trims whitespace: what a user's selection becomes.
    pub fn clean_selection(&self, span: Span) -> Option<Span> {
        let snapped = self.snap_to_graphemes(Span::new(
            span.start.min(span.end),
            span.end.max(span.start),
        ));
        self.trim_span(snapped)
    }

    fn grapheme_boundary_at_or_before(&self, c: usize) -> usize {
        let b = self.char_to_byte(c);
        let (chunk_start, chunk) = self.grapheme_context();
        let mut cursor = GraphemeCursor::new(b, self.text.len(), true);
        if cursor.is_boundary(chunk, chunk_start).unwrap_or(true) {
            return c;
        }
        match cursor.prev_boundary(chunk, chunk_start) {
            Ok(Some(p)) => self.byte_to_char(p),
            _ => c,
        }
    }

    fn grapheme_boundary_at_or_after(&self, c: usize) -> usize {
        let b = self.char_to_byte(c);
        let (chunk_start, chunk) = self.grapheme_context();
        let mut cursor = GraphemeCursor::new(b, self.text.len(), true);
        if cursor.is_boundary(chunk, chunk_start).unwrap_or(true) {
            return c;
        }
        match cursor.next_boundary(chunk, chunk_start) {
            Ok(Some(p)) => self.byte_to_char(p),
            _ => c,
        }
    }

    /// Context for a [`GraphemeCursor`]: the whole text. The cursor only reads
    /// the chars next to `b` (and back over a run of regional indicators or extenders), so
    /// this costs nothing more than a smaller chunk; a smaller chunk (the line, as this once
    /// was) makes the cursor ask for more context, and unanswered that gave wrong answers
    /// (a flag right after a newline was cut in half).
    fn grapheme_context(&self) -> (usize, &str) {
        (0, &self.text)
    }
}

fn is_continuation(b: u8) -> bool {
    (b & 0xC0) == 0x80
}

fn count_char_starts(bytes: &[u8]) -> u32 {
    // Written as a plain fold so the compiler vectorises it.
    bytes.iter().map(|&b| (!is_continuation(b)) as u32).sum()
}

/// Lower-case hex SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write;
        let _ = write!(out, "{byte:02x}");
    }
    out
}
