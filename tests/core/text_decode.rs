//! Story text as a whole: every fixture and every encoding decodes to the same canonical
//! text; bad files are refused with one clear sentence; the char / byte / line index agrees
//! with a naive implementation on any text; a cleaned selection never splits a grapheme.

use crate::support;

use std::fs;

use factmark::anchor::Span;
use factmark::text::{
    DecodeError, MAX_STORY_BYTES, StoryText, TextError, canonicalize, decode, load_story,
};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

#[test]
fn every_fixture_is_plain_utf8_and_canonical() {
    for name in support::STORIES {
        let story = load_story(&support::fixture(name)).expect(name);
        let raw = fs::read_to_string(support::fixture(name)).expect("read");
        assert_eq!(story.encoding, "UTF-8", "{name}");
        assert!(!story.encoding_guessed, "{name}");
        assert_eq!(story.text.as_str(), raw, "{name}");
        assert_eq!(story.text.len_chars(), raw.chars().count(), "{name}");
        assert_eq!(story.text.line_count(), raw.split('\n').count(), "{name}");
    }
}

/// Each fixture, re-encoded every way a story arrives, decodes to the very same text (and
/// so to the same hash, which is what keeps anchors valid).
#[test]
fn boms_utf16_and_crlf_decode_to_the_same_canonical_text() {
    for name in support::STORIES {
        let text = fs::read_to_string(support::fixture(name)).expect("read");
        let crlf = text.replace('\n', "\r\n");
        let cr = text.replace('\n', "\r");
        let variants: Vec<(&str, Vec<u8>, &str)> = vec![
            ("utf-8", text.clone().into_bytes(), "UTF-8"),
            ("utf-8 crlf", crlf.clone().into_bytes(), "UTF-8"),
            ("utf-8 cr", cr.into_bytes(), "UTF-8"),
            (
                "utf-8 bom crlf",
                [&[0xEF, 0xBB, 0xBF][..], crlf.as_bytes()].concat(),
                "UTF-8",
            ),
            ("utf-16le bom", support::utf16le_with_bom(&crlf), "UTF-16LE"),
            ("utf-16be bom", support::utf16be_with_bom(&text), "UTF-16BE"),
        ];
        let expected = StoryText::new(text.clone());
        for (what, bytes, encoding) in variants {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{name} {what}: {e:?}"));
            assert_eq!(d.encoding, encoding, "{name} {what}");
            assert!(
                !d.guessed,
                "{name} {what}: a BOM or valid UTF-8 is not a guess"
            );
            assert_eq!(d.text, text, "{name} {what}");
            assert_eq!(StoryText::new(d.text).sha256(), expected.sha256());
        }
    }
}

#[test]
fn utf16_without_bom_is_detected() {
    let text = "The council voted 7 to 2 on Tuesday.\nLe conseil a voté.\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    let d = decode(&le).expect("le");
    assert_eq!(
        (d.text.as_str(), d.encoding, d.guessed),
        (text, "UTF-16LE", true)
    );
    let d = decode(&be).expect("be");
    assert_eq!(
        (d.text.as_str(), d.encoding, d.guessed),
        (text, "UTF-16BE", true)
    );
}

#[test]
fn windows_1252_is_detected_from_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("maire.txt");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(support::FRENCH_1252);
    assert!(!unmappable);
    fs::write(&path, &bytes).expect("write");
    let story = load_story(&path).expect("load");
    assert_eq!(story.encoding, "windows-1252");
    assert!(story.encoding_guessed, "the UI must say it was a guess");
    assert_eq!(
        story.text.as_str(),
        canonicalize(support::FRENCH_1252.to_owned())
    );
    assert!(!story.text.as_str().contains('\r'));
}

#[test]
fn other_legacy_encodings_are_detected() {
    // Cyrillic in windows-1251 and KOI8-R are both common in old Russian archives.
    let ru = fs::read_to_string(support::fixture("zavod_ru.txt")).expect("read");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&ru);
    assert!(!unmappable);
    let d = decode(&bytes).expect("1251");
    assert_eq!((d.encoding, d.guessed), ("windows-1251", true));
    assert_eq!(d.text, ru);

    let zh = "市交通局局长表示：新线路开通后，从东站到机场只需十八分钟。据本报记者实地测试，高峰时段全程用时约二十七分钟。";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(zh);
    assert!(!unmappable);
    let d = decode(&bytes).expect("gbk");
    assert!(d.guessed);
    assert_eq!(d.text, zh, "decoded as {}", d.encoding);
}

fn load_err(name: &str, bytes: &[u8]) -> (tempfile::TempDir, TextError) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    fs::write(&path, bytes).expect("write");
    let err = load_story(&path).expect_err(name);
    (dir, err)
}

#[test]
fn binary_files_are_refused_with_a_clear_message() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
    let (_dir, err) = load_err("photo.txt", png);
    assert!(matches!(err, TextError::Binary { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("photo.txt") && msg.contains("binary"), "{msg}");
    assert!(msg.contains("open a plain-text story"), "{msg}");

    // A gzip file has no NUL early on but is mostly unprintable.
    let gz: Vec<u8> = (0u32..4000)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .filter(|&b| b != 0)
        .collect();
    assert_eq!(decode(&gz), Err(DecodeError::Binary));
}

#[test]
fn empty_and_blank_stories_are_refused() {
    for (what, bytes) in [
        ("empty", &b""[..]),
        ("blank", &b"  \r\n\t\n"[..]),
        ("bom only", &b"\xEF\xBB\xBF"[..]),
    ] {
        let (_dir, err) = load_err("empty.txt", bytes);
        assert!(matches!(err, TextError::Empty { .. }), "{what}: {err:?}");
        assert!(err.to_string().contains("empty.txt is empty"), "{err}");
    }
}

#[test]
fn a_story_over_the_size_limit_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.txt");
    // A sparse file: the limit is checked from the metadata, before reading anything.
    let f = fs::File::create(&path).expect("create");
    f.set_len(MAX_STORY_BYTES + 1).expect("set_len");
    let err = load_story(&path).expect_err("too large");
    assert!(
        matches!(err, TextError::TooLarge { size, limit, .. } if size == MAX_STORY_BYTES + 1 && limit == MAX_STORY_BYTES),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("huge.txt is too large") && msg.contains("split it"),
        "{msg}"
    );
}

#[test]
fn a_missing_story_or_a_folder_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("gone.txt");
    let err = load_story(&missing).expect_err("missing");
    assert!(matches!(err, TextError::Read { .. }), "{err:?}");
    assert!(err.to_string().starts_with("could not read "), "{err}");
    assert!(err.to_string().contains("gone.txt"), "{err}");
    let err = load_story(dir.path()).expect_err("folder");
    assert!(matches!(err, TextError::IsFolder { .. }), "{err:?}");
}

#[test]
fn invalid_utf8_is_never_decoded_silently() {
    // Not UTF-8, and half ASCII control bytes (controls in every encoding): refused,
    // never turned into text.
    let c1: Vec<u8> = [0x01, 0xFF, 0x02, 0xFE, 0x1B, 0xC3, 0x7F, 0xE9].repeat(40);
    let (_dir, err) = load_err("c1.txt", &c1);
    assert!(matches!(err, TextError::Binary { .. }), "{err:?}");

    // UTF-8 Cyrillic whose continuation bytes were lost. Some single-byte encoding always
    // reads such bytes without error, so it cannot be refused; it must then be flagged as
    // a guess, under its encoding's name, never passed off as UTF-8.
    let mangled: Vec<u8> = "Сообщение о заводе: рабочих мест стало больше, но не в десять раз. "
        .repeat(20)
        .into_bytes()
        .into_iter()
        .filter(|b| !(0x80..0xC0).contains(b))
        .collect();
    assert!(std::str::from_utf8(&mangled).is_err());
    let d = decode(&mangled).expect("some legacy encoding");
    assert!(d.guessed);
    assert_ne!(d.encoding, "UTF-8");
}

// ---------------------------------------------------------------- index properties

/// Text built from pieces that stress the index and grapheme rules: multi-byte chars of
/// every width, combining marks, ZWJ emoji, flags, Hangul jamo, prepend marks, CR-free
/// newlines and whitespace next to combining marks.
fn story_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a",
        "The ",
        "é",
        "e\u{301}",
        "\u{301}",
        " \u{301}",
        "\u{600}",
        "\u{600} ",
        "ж",
        "中文",
        "😀",
        "👨\u{200d}👩\u{200d}👧",
        "🇫🇷",
        "🇫",
        "👎🏽",
        "\u{1100}\u{1161}\u{11a8}",
        "\n",
        "\n\n",
        " ",
        "\t",
        "\u{a0}",
        "\u{3000}",
        "\u{200d}",
        "ـ",
        "لا",
        "क्षि",
        "\u{fe0f}",
    ]);
    prop_oneof![
        prop::collection::vec(piece, 0..200).prop_map(|v| v.concat()),
        prop::collection::vec(
            any::<char>().prop_filter("canonical", |c| *c != '\r'),
            0..300
        )
        .prop_map(|v| v.into_iter().collect()),
    ]
}

fn naive_char_to_byte(s: &str, c: usize) -> usize {
    s.char_indices().nth(c).map(|(b, _)| b).unwrap_or(s.len())
}

fn grapheme_boundaries(s: &str) -> Vec<usize> {
    // As char positions, including 0 and the end.
    let mut out: Vec<usize> = s
        .grapheme_indices(true)
        .map(|(b, _)| s[..b].chars().count())
        .collect();
    out.push(s.chars().count());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn index_matches_a_naive_implementation(s in story_text()) {
        let t = StoryText::new(s.clone());
        prop_assert_eq!(t.len_chars(), s.chars().count());
        prop_assert_eq!(t.len_bytes(), s.len());
        for c in 0..=t.len_chars() + 2 {
            let b = naive_char_to_byte(&s, c);
            prop_assert_eq!(t.char_to_byte(c), b, "char_to_byte({})", c);
        }
        for b in 0..=s.len() + 2 {
            // A byte inside a char maps to that char.
            let naive = s.char_indices().take_while(|(i, _)| *i <= b).count().saturating_sub(1);
            let naive = if b >= s.len() { s.chars().count() } else { naive };
            prop_assert_eq!(t.byte_to_char(b), naive, "byte_to_char({})", b);
        }
        let lines: Vec<&str> = s.split('\n').collect();
        prop_assert_eq!(t.line_count(), lines.len());
        let mut byte = 0;
        let mut chr = 0;
        for (i, line) in lines.iter().enumerate() {
            prop_assert_eq!(&s[t.line_bytes(i)], *line);
            let n = line.chars().count();
            prop_assert_eq!(t.line_chars(i), chr..chr + n);
            prop_assert_eq!(t.line_of_byte(byte), i);
            prop_assert_eq!(t.line_of_char(chr), i);
            prop_assert_eq!(t.line_col(chr + n), (i + 1, n + 1));
            byte += line.len() + 1;
            chr += n + 1;
        }
    }

    #[test]
    fn slices_are_the_naive_slices(s in story_text(), a in 0usize..400, b in 0usize..400) {
        let t = StoryText::new(s.clone());
        let (start, end) = (a.min(b), a.max(b));
        let naive: String = s.chars().skip(start).take(end - start).collect();
        prop_assert_eq!(t.slice_chars(start..end), naive.as_str());
    }

    #[test]
    fn grapheme_boundaries_agree_with_unicode_segmentation(s in story_text()) {
        let t = StoryText::new(s.clone());
        let boundaries = grapheme_boundaries(&s);
        for c in 0..=t.len_chars() {
            prop_assert_eq!(
                t.is_grapheme_boundary(c),
                boundaries.binary_search(&c).is_ok(),
                "position {}", c
            );
        }
    }

    /// What a user's selection becomes: starts and ends on grapheme boundaries, covers
    /// every grapheme the selection touched that is not blank, and is never empty.
    #[test]
    fn clean_selection_never_splits_a_grapheme(
        s in story_text(),
        a in 0usize..400,
        b in 0usize..400,
    ) {
        let t = StoryText::new(s.clone());
        let boundaries = grapheme_boundaries(&s);
        let span = Span::new(a.min(t.len_chars()), b.min(t.len_chars()));
        let snapped = t.snap_to_graphemes(Span::new(span.start.min(span.end), span.end.max(span.start)));
        prop_assert!(boundaries.binary_search(&snapped.start).is_ok());
        prop_assert!(boundaries.binary_search(&snapped.end).is_ok());
        prop_assert!(snapped.start <= span.start.min(span.end) && snapped.end >= span.end.max(span.start));
        if let Some(clean) = t.clean_selection(span) {
            prop_assert!(clean.start < clean.end);
            prop_assert!(boundaries.binary_search(&clean.start).is_ok(), "start {} splits a grapheme in {:?}", clean.start, s);
            prop_assert!(boundaries.binary_search(&clean.end).is_ok(), "end {} splits a grapheme in {:?}", clean.end, s);
            prop_assert!(clean.start >= snapped.start && clean.end <= snapped.end);
            let text = t.slice_chars(clean.start..clean.end);
            let blank = |g: &str| g.chars().all(char::is_whitespace);
            prop_assert!(!text.graphemes(true).next().is_some_and(blank), "{:?}", text);
            prop_assert!(!text.graphemes(true).next_back().is_some_and(blank), "{:?}", text);
        } else {
            // Nothing but blank graphemes was selected.
            let text = t.slice_chars(snapped.start..snapped.end);
            prop_assert!(text.graphemes(true).all(|g| g.chars().all(char::is_whitespace)), "{:?}", text);
        }
    }
}
