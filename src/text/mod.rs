//! Story text: decoding a file into canonical text, and fast char / byte / line mapping.
//!
//! The **canonical text** (SPEC 2) is what every position refers to: the decoded file with
//! `\r\n` and lone `\r` turned into `\n`, and nothing else changed. [`StoryText`] owns it
//! together with an index that maps chars to bytes and lines without scanning the text:
//! a lookup costs at most one block of [`BLOCK`] bytes, whatever the story's size.
//!
//! Decoding ([`decode()`], [`load_story`]) lives here too. This module never writes a story
//! file and must not depend on any UI crate.
//!
//! - [`decode`]: bytes -> canonical text ([`decode()`], [`load_story`]).
//! - [`index`]: [`StoryText`], the char / byte / line index.
//! - [`span`]: [`Span`] and the one coordinate system every position uses.

pub mod decode;
pub mod index;
pub mod span;

pub use decode::{
    DecodeError, Decoded, MAX_STORY_BYTES, Story, TextError, canonicalize, decode, load_story,
};
pub use index::{StoryText, sha256_hex};
pub use span::Span;

#[cfg(test)]
mod tests {
    use super::decode::decode_owned;
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
