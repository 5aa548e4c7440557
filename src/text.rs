//! Story text: decoding a file into canonical text, and fast char / byte / line mapping.
//!
//! The **canonical text** (SPEC 2) is what every position refers to: the decoded file with
//! `\r\n` and lone `\r` turned into `\n`, and nothing else changed. [`StoryText`] owns it
//! together with an index that maps chars to bytes and lines without scanning the text:
//! a lookup costs at most one block of [`BLOCK`] bytes, whatever the story's size.
//!
//! Decoding ([`decode`], [`load_story`]) lives here too. This module never writes a story
//! file and must not depend on any UI crate.

use std::ops::Range;
use std::path::{Path, PathBuf};

use thiserror::Error;

use sha2::{Digest, Sha256};
use unicode_segmentation::GraphemeCursor;

use crate::anchor::Span;

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
    /// Indexes `text`, which must already be canonical (no `\r`). Use [`canonicalize`] first
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

/// Turns `\r\n` and lone `\r` into `\n`; returns `text` itself when there is nothing to
/// change. Copies runs between `\r`s found by `memchr` rather than going char by char:
/// a 10 MB CRLF story costs a few milliseconds, not tens.
pub fn canonicalize(text: String) -> String {
    let bytes = text.as_bytes();
    let Some(first) = memchr::memchr(b'\r', bytes) else {
        return text;
    };
    let mut out = String::with_capacity(text.len());
    let mut run_start = 0;
    let mut at = Some(first);
    while let Some(cr) = at {
        // `\r` is ASCII, so every slice boundary here falls between chars.
        out.push_str(&text[run_start..cr]);
        out.push('\n');
        run_start = if bytes.get(cr + 1) == Some(&b'\n') {
            cr + 2
        } else {
            cr + 1
        };
        at = memchr::memchr(b'\r', &bytes[run_start..]).map(|i| run_start + i);
    }
    out.push_str(&text[run_start..]);
    out
}

/// Stories larger than this are refused: 64 MiB is far beyond any news story, and keeps
/// memory bounded (the text, its index and the window's caches).
pub const MAX_STORY_BYTES: u64 = 64 * 1024 * 1024;

/// A loaded story: its canonical text and how it was decoded.
#[derive(Clone, Debug)]
pub struct Story {
    pub path: PathBuf,
    pub text: StoryText,
    /// The encoding assumed, e.g. `UTF-8`, `UTF-16LE`, `windows-1252`.
    pub encoding: &'static str,
    /// True when the encoding was guessed (no BOM, not valid UTF-8): the UI says so.
    pub encoding_guessed: bool,
}

impl Story {
    /// The story's file name, as stored in its sidecar.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

#[derive(Debug, Error)]
pub enum TextError {
    #[error("could not read {path}: {source}; check the path and that the file may be read")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is a folder, not a story file")]
    IsFolder { path: PathBuf },
    #[error("{path} looks like a binary file, not text; open a plain-text story (.txt, .md)")]
    Binary { path: PathBuf },
    #[error("{path} is empty: there is nothing to annotate")]
    Empty { path: PathBuf },
    #[error(
        "{path} is too large ({size} bytes; the limit is {limit} bytes); split it into smaller stories"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
}

/// A decoded file: canonical text plus the encoding used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub guessed: bool,
}

/// Why bytes could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    Binary,
}

/// Decodes file bytes into canonical text (SPEC 2): a BOM decides (and is dropped), valid
/// UTF-8 is UTF-8, anything else is detected; binary data is refused, never "decoded".
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] for a buffer the caller gives up: plain UTF-8 becomes the text in place.
fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    match String::from_utf8(bytes) {
        Ok(text)
            if encoding_rs::Encoding::for_bom(text.as_bytes()).is_none()
                && utf16_without_bom(text.as_bytes()).is_none()
                && !text.contains('\0') =>
        {
            if looks_binary_text(&text) {
                return Err(DecodeError::Binary);
            }
            Ok(Decoded {
                text: canonicalize(text),
                encoding: "UTF-8",
                guessed: false,
            })
        }
        Ok(text) => decode_legacy(text.as_bytes()),
        Err(e) => decode_legacy(e.as_bytes()),
    }
}

/// Everything but plain UTF-8: BOMs, UTF-16 without BOM, binary, detected legacy encodings.
fn decode_legacy(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if looks_binary_text(&text) {
            return Err(DecodeError::Binary);
        }
        return Ok(Decoded {
            text: canonicalize(text.into_owned()),
            encoding: encoding.name(),
            guessed: false,
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        if !looks_binary_text(&text) {
            return Ok(Decoded {
                text: canonicalize(text.into_owned()),
                encoding: encoding.name(),
                guessed: true,
            });
        }
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if looks_binary_text(text) {
            return Err(DecodeError::Binary);
        }
        return Ok(Decoded {
            text: canonicalize(text.to_owned()),
            encoding: "UTF-8",
            guessed: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    if looks_binary_text(&text) {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded {
        text: canonicalize(text.into_owned()),
        encoding: encoding.name(),
        guessed: true,
    })
}

/// UTF-16 without a BOM shows as a NUL in every other byte of ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Text that is mostly control characters (other than whitespace) is not a story.
fn looks_binary_text(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    if sample.is_empty() {
        return false;
    }
    let control = sample
        .iter()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || **c == '\u{fffd}'
        })
        .count();
    sample.contains(&'\0') || control * 10 > sample.len()
}

/// Reads, checks and decodes a story file.
pub fn load_story(path: &Path) -> Result<Story, TextError> {
    let read_err = |source| TextError::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(TextError::IsFolder {
            path: path.to_owned(),
        });
    }
    if meta.len() > MAX_STORY_BYTES {
        return Err(TextError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit: MAX_STORY_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let decoded = decode_owned(bytes).map_err(|DecodeError::Binary| TextError::Binary {
        path: path.to_owned(),
    })?;
    if decoded.text.trim().is_empty() {
        return Err(TextError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(Story {
        path: path.to_owned(),
        text: StoryText::new(decoded.text),
        encoding: decoded.encoding,
        encoding_guessed: decoded.guessed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_char_to_byte(s: &str, c: usize) -> usize {
        s.char_indices().nth(c).map(|(b, _)| b).unwrap_or(s.len())
    }

    #[test]
    fn char_byte_mapping_matches_naive_across_blocks() {
        let s: String = "aé€😀\nЖ".repeat(300);
        let t = StoryText::new(s.clone());
        assert_eq!(t.len_chars(), s.chars().count());
        for c in 0..=t.len_chars() {
            let b = naive_char_to_byte(&s, c);
            assert_eq!(t.char_to_byte(c), b, "char {c}");
            assert_eq!(t.byte_to_char(b), c, "byte {b}");
        }
    }

    #[test]
    fn lines_are_indexed() {
        let t = StoryText::new("one\ntwo\n\nfour".to_owned());
        assert_eq!(t.line_count(), 4);
        assert_eq!(&t.as_str()[t.line_bytes(1)], "two");
        assert_eq!(&t.as_str()[t.line_bytes(2)], "");
        assert_eq!(t.line_chars(3), 9..13);
        assert_eq!(t.line_col(5), (2, 2));
    }

    #[test]
    fn decodes_boms_legacy_and_refuses_binary() {
        let utf8_bom = b"\xEF\xBB\xBFcaf\xC3\xA9\r\n";
        let d = decode(utf8_bom).expect("utf8");
        assert_eq!((d.text.as_str(), d.encoding), ("café\n", "UTF-8"));
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Жук\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode(&utf16le).expect("utf16");
        assert_eq!((d.text.as_str(), d.encoding), ("Жук\n", "UTF-16LE"));
        let french = "Le maire a déclaré que le pont coûtera « 48 millions d’euros », soit deux fois plus qu’prévu. Ça dépasse l’été.";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(french);
        let d = decode(&cp1252).expect("legacy");
        assert!(d.guessed);
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, french);
        assert_eq!(
            decode(b"\x7fELF\x02\x01\x01\0\0\0\0\0"),
            Err(DecodeError::Binary)
        );
    }

    #[test]
    fn canonical_line_endings() {
        assert_eq!(canonicalize("a\r\nb\rc\n".to_owned()), "a\nb\nc\n");
        assert_eq!(canonicalize("\r\r\nж\r".to_owned()), "\n\nж\n");
        assert_eq!(canonicalize("é\r\n\r\n".to_owned()), "é\n\n");
        assert_eq!(canonicalize("no returns".to_owned()), "no returns");
    }

    #[test]
    fn owned_and_borrowed_decoding_agree() {
        let inputs: [&[u8]; 5] = [
            b"plain\r\ntext",
            b"\xEF\xBB\xBFbom",
            b"caf\xE9 cr\xE8me br\xFBl\xE9e",
            b"bin\0ary",
            b"a\0b\0c\0d\0",
        ];
        for bytes in inputs {
            assert_eq!(decode(bytes), decode_owned(bytes.to_vec()), "{bytes:?}");
        }
    }

    #[test]
    fn flag_after_newline_is_one_grapheme() {
        // Regression: the grapheme cursor got only the current line as context and, asked
        // for more, the answer defaulted to "boundary" in the middle of the flag.
        let t = StoryText::new("\n🇫🇷".to_owned());
        assert!(t.is_grapheme_boundary(1));
        assert!(!t.is_grapheme_boundary(2));
        assert_eq!(t.snap_to_graphemes(Span::new(2, 3)), Span::new(1, 3));
    }

    #[test]
    fn trimming_keeps_a_space_that_carries_a_combining_mark() {
        // Regression: trimming char by char cut " \u{301}" (one cluster) after the space.
        let t = StoryText::new("a \u{301}b  ".to_owned());
        assert_eq!(t.clean_selection(Span::new(1, 5)), Some(Span::new(1, 4)));
        assert_eq!(t.clean_selection(Span::new(4, 6)), None);
    }

    #[test]
    fn selection_snaps_to_graphemes_and_trims() {
        // "e" + combining acute, then a family emoji made of several chars.
        let t = StoryText::new(" cafe\u{301} 👨‍👩‍👧 x".to_owned());
        // Ending right after "e" would split "é": the span must grow over the accent.
        let s = t.clean_selection(Span::new(0, 5)).expect("non-empty");
        assert_eq!(t.slice_chars(s.start..s.end), "cafe\u{301}");
        // Starting inside the emoji sequence snaps back to its start.
        let s = t.clean_selection(Span::new(9, 12)).expect("non-empty");
        assert_eq!(t.slice_chars(s.start..s.end), "👨‍👩‍👧");
        assert_eq!(t.clean_selection(Span::new(0, 1)), None);
    }
}
