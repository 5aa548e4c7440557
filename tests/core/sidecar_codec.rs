//! The fast sidecar codec against the ron crate: the hand-written writer produces the same
//! bytes as ron's pretty printer for arbitrary sidecars; the fast reader reads them back to
//! the same sidecar the ron parser gives; files it does not understand (comments, other
//! layouts, unknown fields) still load through the ron fallback, and broken ones still get
//! ron's positioned errors.

use crate::support;

use std::path::Path;

use factmark::anchor::{Anchor, AnchorState};
use factmark::model::ClaimantKind;
use factmark::model::{
    Annotation, AnnotationId, Comment, Conflict, Field, FieldValue, Label, Link, LinkKind, Source,
    Status, WordingDecision,
};
use factmark::sources::{SourceFormat, StoryMeta};
use factmark::store::{Sidecar, StoreError};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The writer is byte-identical to the ron crate's serializer.
    #[test]
    fn writer_matches_ron_byte_for_byte(s in support::any_sidecar(6)) {
        let fast = s.to_ron().expect("fast encode");
        let reference = s.to_ron_reference().expect("ron encode");
        prop_assert_eq!(fast, reference);
    }

    /// fast-read(write(x)) == x == ron-read(write(x)).
    #[test]
    fn fast_reader_agrees_with_ron(s in support::any_sidecar(6)) {
        let text = s.to_ron().expect("encode");
        let fast = Sidecar::from_ron_fast(&text);
        prop_assert_eq!(fast.as_ref(), Some(&s), "fast reader refused or differs");
        let reference = Sidecar::from_ron_reference(&text, Path::new("s.ron"))
            .expect("ron parse")
            .sidecar;
        prop_assert_eq!(&reference, &s);
        let loaded = Sidecar::from_ron(&text, Path::new("s.ron")).expect("parse").sidecar;
        prop_assert_eq!(loaded, s);
    }

    /// Whitespace reflowed (every newline and indent squeezed to one space) still reads
    /// fast, to the same sidecar.
    #[test]
    fn fast_reader_ignores_layout(s in support::any_sidecar(3).prop_map(no_raw_newline_keys)) {
        // The escaped layout of older files: there strings never hold a raw newline
        // (escape_debug escapes it) and label keys are kept off newlines, so squeezing
        // only touches the layout. It also proves old sidecars still read.
        let text = s.to_ron_escaped_reference().expect("encode");
        let squeezed: String = text
            .split('\n')
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join(" ");
        prop_assert_eq!(Sidecar::from_ron_fast(&squeezed), Some(s));
    }

    /// The fuzz target's comparison (`fuzz/fuzz_targets/sidecar_codec.rs`) as a property:
    /// a written sidecar with bytes deleted, repeated or replaced by RON punctuation,
    /// escapes, digits or letters. Whatever the fast reader accepts, ron accepts and reads
    /// the same.
    #[test]
    fn fast_reader_never_disagrees_with_ron_on_mutated_files(
        s in support::any_sidecar(3),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, 0usize..MUTATIONS.len()), 1..6),
    ) {
        let mut text = s.to_ron().expect("encode").into_bytes();
        for (at, kind, with) in edits {
            if text.is_empty() {
                break;
            }
            let i = at.index(text.len());
            let piece = MUTATIONS[with].as_bytes();
            match kind {
                0 => {
                    let end = (i + piece.len()).min(text.len());
                    text.drain(i..end);
                }
                1 => {
                    text.splice(i..i, piece.iter().copied());
                }
                _ => {
                    let end = (i + piece.len()).min(text.len());
                    text.splice(i..end, piece.iter().copied());
                }
            }
        }
        let Ok(text) = String::from_utf8(text) else { return Ok(()) };
        let disagreement = Sidecar::fast_reader_disagreement(&text);
        prop_assert!(disagreement.is_none(), "{}\n--- input ---\n{}", disagreement.unwrap_or_default(), text);
    }
}

/// What the mutation property splices into written sidecars.
const MUTATIONS: &[&str] = &[
    ",",
    "(",
    ")",
    "[",
    "]",
    ":",
    "\"",
    "'",
    "\\",
    "\\u{41}",
    "\\x41",
    "\\n",
    " ",
    "\n",
    "0",
    "-1",
    "1e3",
    "0x1F",
    "NaN",
    "inf",
    "+",
    ".",
    "_",
    "Some(",
    "None",
    "r\"",
    "r#\"",
    "//",
    "/*",
    "*/",
    "é",
    "Anchored",
    "Orphaned",
    "Reanchored(confidence: ",
    "true",
    "format",
    "version: 2",
    "id: ",
    "Text(",
    "2024-01-01",
    "\u{0}",
    "\t",
    "b\"",
];

/// Label keys are written as ron writes chars, unescaped: a newline key is a raw newline
/// in the file, which the layout test must not squeeze.
fn no_raw_newline_keys(mut s: Sidecar) -> Sidecar {
    for label in s.labels.iter_mut().flatten() {
        if label.key.is_some_and(|k| k == '\n' || k == '\r') {
            label.key = Some('k');
        }
    }
    s
}

/// An annotation with every optional part filled, so each branch of the codec is used.
fn rich_sidecar() -> Sidecar {
    let mut s = Sidecar::new("pont.txt", "ab12", 42, "windows-1252");
    s.labels = Some(vec![
        Label::new("Claim", "#e8a33d", 'c'),
        Label {
            name: "Quote's \"edge\"".into(),
            color: "#000000".into(),
            key: Some('\''),
        },
        Label {
            name: "No key".into(),
            color: "#111111".into(),
            key: None,
        },
    ]);
    s.rating_scale = Some(Default::default());
    let anchor = Anchor {
        start: 3,
        end: 9,
        quote: "cafe\u{301} «48 M€»\n\ttab".into(),
        prefix: "l'été ".into(),
        suffix: "\\ \u{0} \u{7f} 👍".into(),
    };
    let time = jiff::Timestamp::new(1_700_000_000, 123_000_000).expect("time");
    let mut a = Annotation::new(anchor.clone(), "Claim", "ana");
    a.id = AnnotationId("01HX".into());
    a.state = AnchorState::Reanchored { confidence: 0.75 };
    a.verdict = Some("Mostly false".into());
    a.status = Status::Disputed;
    a.tags = vec!["budget".into(), String::new()];
    a.sources = vec![
        Source::External {
            url: "https://example.org/r".into(),
            title: "Rapport".into(),
            note: String::new(),
            accessed: Some(jiff::civil::date(2024, 3, 1)),
        },
        Source::Highlight {
            id: AnnotationId("01HY".into()),
            note: "n".into(),
        },
    ];
    a.comments = vec![Comment {
        author: "bo".into(),
        time,
        text: "checked".into(),
    }];
    a.created = time;
    a.modified = time;
    a.conflicts = vec![
        Conflict {
            field: Field::Anchor,
            theirs: FieldValue::Anchor(anchor, AnchorState::Reanchored { confidence: 1.0 }),
        },
        Conflict {
            field: Field::Sources,
            theirs: FieldValue::Sources(vec![Source::Highlight {
                id: AnnotationId("x".into()),
                note: String::new(),
            }]),
        },
        Conflict {
            field: Field::Verdict,
            theirs: FieldValue::Verdict(None),
        },
        Conflict {
            field: Field::Comments,
            theirs: FieldValue::Comments(Vec::new()),
        },
        Conflict {
            field: Field::ClaimantKind,
            theirs: FieldValue::ClaimantKind(ClaimantKind::Person),
        },
        Conflict {
            field: Field::Links,
            theirs: FieldValue::Links(vec![Link {
                kind: LinkKind::VerdictFrom,
                story: "2024/other \"one\".txt".into(),
                id: AnnotationId("y".into()),
            }]),
        },
        Conflict {
            field: Field::ReviewUrl,
            theirs: FieldValue::Url(Some("https://example.org/checks/1".into())),
        },
        Conflict {
            field: Field::Wording,
            theirs: FieldValue::Wording(
                Some("$1 billion".into()),
                Some(WordingDecision {
                    from: "$2 \"billion\"".into(),
                    to: "$3 billion".into(),
                    verdict_kept: false,
                    by: "bo".into(),
                    at: time,
                }),
            ),
        },
    ];
    a.claimant_kind = ClaimantKind::Organization;
    a.review_url = Some("https://example.org/checks/2#c1".into());
    a.checked_wording = Some("cost $1 billion".into());
    a.wording_decision = Some(WordingDecision {
        from: "cost $0 billion".into(),
        to: "cost $1 billion".into(),
        verdict_kept: true,
        by: "ana".into(),
        at: time,
    });
    a.links = vec![
        Link {
            kind: LinkKind::SameClaim,
            story: "../archive/brücke.txt".into(),
            id: AnnotationId("01J0".into()),
        },
        Link {
            kind: LinkKind::VerdictFrom,
            story: String::new(),
            id: AnnotationId("01J1".into()),
        },
    ];
    s.annotations.insert(a);
    s.source_format = Some(SourceFormat::Html);
    s.extractor = Some(factmark::sources::html::extractor());
    s.meta = Some(StoryMeta {
        url: Some("https://news.example/pont".into()),
        headline: "Le \"pont\" coûtera #1".into(),
        outlet: "La Gazette".into(),
        author: "Ana".into(),
        published: Some(jiff::civil::date(2026, 3, 14)),
    });
    s
}

/// A sidecar without the new optional fields keeps the bytes it had before they existed.
#[test]
fn new_fields_are_omitted_at_their_defaults() {
    let mut s = rich_sidecar();
    s.source_format = None;
    s.extractor = None;
    s.meta = None;
    let mut a = s.annotations.as_slice()[0].clone();
    a.claimant_kind = ClaimantKind::Person;
    a.review_url = None;
    a.conflicts.clear();
    a.links.clear();
    s.annotations.replace(a);
    let text = s.to_ron().expect("encode");
    for field in [
        "source_format",
        "extractor",
        "meta:",
        "claimant_kind",
        "review_url",
        "links",
    ] {
        assert!(!text.contains(field), "{field} written:\n{text}");
    }
}

#[test]
fn rich_sidecar_is_byte_identical_and_reads_back() {
    let s = rich_sidecar();
    let text = s.to_ron().expect("encode");
    assert_eq!(text, s.to_ron_reference().expect("ron encode"));
    // Written as a person would type it: no escapes, accents and line breaks as they are.
    assert!(
        text.contains("quote: \"cafe\u{301} «48 M€»\n\ttab\""),
        "{text}"
    );
    assert!(text.contains("prefix: \"l'été \""), "{text}");
    assert!(text.contains(r##"suffix: r#"\ "##), "{text}");
    // (A label key `'` stays `'\''`: a char literal needs its escape.)
    assert!(!text.contains("l\\'"), "{text}");
    assert_eq!(Sidecar::from_ron_fast(&text), Some(s));
}

/// Loads `text` and checks it gives `expected` through the ron fallback: the fast reader
/// must refuse it (or it would not be a fallback test) and `from_ron` must still load it.
fn loads_through_fallback(text: &str, expected: &Sidecar) {
    assert_eq!(
        Sidecar::from_ron_fast(text),
        None,
        "fast reader took:\n{text}"
    );
    let loaded = Sidecar::from_ron(text, Path::new("s.ron")).expect("fallback parse");
    assert_eq!(&loaded.sidecar, expected);
}

#[test]
fn hand_edits_load_through_the_ron_fallback() {
    let s = rich_sidecar();
    let text = s.to_ron().expect("encode");

    // A comment line and a block comment.
    let commented = text.replacen(
        "    story:",
        "    // added by hand\n    /* why */ story:",
        1,
    );
    loads_through_fallback(&commented, &s);

    // A struct name in front of a struct, which ron allows.
    let named = text.replacen(
        "    rating_scale: Some((",
        "    rating_scale: Some(RatingScale(",
        1,
    );
    loads_through_fallback(&named, &s);

    // An unknown field: serde ignores it, so ron loads the file; the fast reader does not
    // know whether to, so it leaves the decision to ron.
    let unknown = text.replacen("    story:", "    reviewer: \"ana\",\n    story:", 1);
    loads_through_fallback(&unknown, &s);

    // A raw string is what factmark itself writes for text with `"` or `\`: read fast.
    let raw = text.replacen("label: \"Claim\"", "label: r#\"Claim\"#", 1);
    assert_eq!(Sidecar::from_ron_fast(&raw).as_ref(), Some(&s));
}

#[test]
fn other_field_order_and_spacing_read_fast() {
    let s = rich_sidecar();
    let text = s.to_ron().expect("encode");
    // Move `story` after `encoding`, add blank lines and spaces before commas.
    let story_line = text
        .lines()
        .find(|l| l.starts_with("    story:"))
        .expect("story line");
    let moved = text
        .replacen(&format!("{story_line}\n"), "", 1)
        .replacen(
            "    encoding:",
            &format!("{story_line}\n\n    encoding :"),
            1,
        )
        .replacen("format: \"factmark\",", "format:\"factmark\" ,", 1);
    assert_ne!(moved, text);
    assert_eq!(Sidecar::from_ron_fast(&moved).as_ref(), Some(&s));
    assert_eq!(
        Sidecar::from_ron(&moved, Path::new("s.ron"))
            .expect("parse")
            .sidecar,
        s
    );
}

#[test]
fn missing_optional_fields_take_their_defaults() {
    let minimal = "(format: \"factmark\", version: 1, story: \"s.txt\", text_sha256: \"x\", \
        text_chars: 3, encoding: \"UTF-8\", annotations: [(id: \"a\", anchor: (start: 0, end: 1, \
        quote: \"q\", prefix: \"\", suffix: \"\"), label: \"Claim\", \
        created: \"2024-01-01T00:00:00Z\", modified: \"2024-01-01T00:00:00Z\",),],)";
    let fast = Sidecar::from_ron_fast(minimal).expect("fast reader takes it");
    let reference = Sidecar::from_ron_reference(minimal, Path::new("s.ron"))
        .expect("ron parse")
        .sidecar;
    assert_eq!(fast, reference);
    let a = fast.annotations.iter().next().expect("one annotation");
    assert_eq!(a.status, Status::Draft);
    assert!(a.verdict.is_none() && a.sources.is_empty() && a.conflicts.is_empty());
    assert!(a.checked_wording.is_none() && a.wording_decision.is_none());
    // Nothing pending and nothing decided: the new fields are not written at all, so
    // sidecars written before they existed keep their bytes.
    let text = fast.to_ron().expect("encode");
    assert!(!text.contains("checked_wording") && !text.contains("wording_decision"));
}

#[test]
fn repeated_field_is_left_to_ron() {
    let text = "(format: \"factmark\", format: \"factmark\", version: 1, story: \"s\", \
        text_sha256: \"x\", text_chars: 0, encoding: \"UTF-8\")";
    assert_eq!(Sidecar::from_ron_fast(text), None);
    // serde refuses a repeated field; the error comes from ron, with a position.
    assert!(matches!(
        Sidecar::from_ron(text, Path::new("s.ron")),
        Err(StoreError::Parse { .. })
    ));
}

#[test]
fn broken_file_still_gets_rons_positioned_error() {
    let text = rich_sidecar().to_ron().expect("encode");
    let broken = text.replacen("    label: \"Claim\",", "    label: Claim\",", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("label: Claim\""))
        .expect("edited line")
        + 1;
    assert_eq!(Sidecar::from_ron_fast(&broken), None);
    match Sidecar::from_ron(&broken, Path::new("s.ron")) {
        Err(StoreError::Parse { line: l, .. }) => assert_eq!(l, line),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn newer_version_is_still_refused() {
    let text = rich_sidecar()
        .to_ron()
        .expect("encode")
        .replacen("version: 1,", "version: 7,", 1);
    // The fast reader parses it, but from_ron must not take a version it does not know.
    assert!(Sidecar::from_ron_fast(&text).is_some());
    assert!(matches!(
        Sidecar::from_ron(&text, Path::new("s.ron")),
        Err(StoreError::NewerVersion { version: 7, .. })
    ));
}

/// The committed fixture sidecars take the fast path, read the same as through ron, and
/// are re-encoded to their exact bytes.
#[test]
fn fixture_sidecars_read_fast_and_reencode_identically() {
    for name in [
        "pont_fr.txt.annotations.ron",
        "zavod_ru.txt.annotations.ron",
    ] {
        let text = std::fs::read_to_string(support::fixture(name)).expect("read fixture");
        let fast = Sidecar::from_ron_fast(&text).expect("fast reader takes the fixture");
        let reference = Sidecar::from_ron_reference(&text, Path::new(name))
            .expect("ron parse")
            .sidecar;
        assert_eq!(fast, reference, "{name}");
        assert!(!fast.annotations.is_empty(), "{name} has annotations");
        assert_eq!(fast.to_ron().expect("encode"), text, "{name}");
    }
}

/// Dismissed suggestions (SPEC 13): written only when there are some, so the bytes of every
/// existing sidecar stay the same, and read back the same by both readers.
#[test]
fn dismissed_suggestions_round_trip_and_are_omitted_when_empty() {
    let plain = rich_sidecar();
    let before = plain.to_ron().expect("encode");
    assert!(!before.contains("dismissed_suggestions"));
    assert_eq!(before, plain.to_ron_reference().expect("reference"));

    let text = factmark::text::StoryText::new("Taxes rose by 4 percent, the minister said.".into());
    let mut s = plain.clone();
    s.dismissed_suggestions = vec![factmark::sidecar::DismissedSuggestion {
        anchor: factmark::anchor::Anchor::from_span(&text, factmark::anchor::Span::new(0, 24)),
        by: "Ana \"Desk\"".into(),
        at: "2026-03-14T09:30:00Z".parse().expect("timestamp"),
    }];
    let written = s.to_ron().expect("encode");
    assert_eq!(
        written,
        s.to_ron_reference().expect("reference"),
        "byte-identical to ron"
    );
    assert!(written.contains("dismissed_suggestions: ["));
    assert_eq!(
        Sidecar::from_ron_fast(&written).as_ref(),
        Some(&s),
        "fast reader"
    );
    let path = std::path::Path::new("s.ron");
    let reference = Sidecar::from_ron_reference(&written, path).expect("ron reads it");
    assert_eq!(reference.sidecar, s, "ron reader");
    // Before the dismissals the annotations part is unchanged byte for byte.
    assert!(written.starts_with(before.trim_end().trim_end_matches(')')));
}
