//! Shared helpers for the integration tests: where the fixtures are, copying them into a
//! scratch folder, and proptest strategies for arbitrary annotations.
//!
//! Not every test binary uses every helper, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use factmark::anchor::{Anchor, AnchorState};
use factmark::model::{
    Annotation, AnnotationId, AnnotationSet, ClaimantKind, Comment, Conflict, Field, FieldValue,
    Label, Link, LinkKind, Rating, RatingScale, Source, Status, WordingDecision,
};
use factmark::sources::{Extractor, SourceFormat, StoryMeta};
use factmark::store::Sidecar;
use jiff::Timestamp;
use jiff::civil::Date;
use proptest::prelude::*;

/// The committed UTF-8 fixture stories, one per script.
pub const STORIES: &[&str] = &[
    "pont_fr.txt",
    "zavod_ru.txt",
    "miyah_ar.txt",
    "tielu_zh.txt",
    "emoji_marks.txt",
];

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

/// Copies fixture files (stories and, when asked, their sidecars) into a fresh temp folder.
pub fn scratch_with(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in names {
        std::fs::copy(fixture(name), dir.path().join(name)).expect("copy fixture");
    }
    dir
}

/// A French paragraph that only windows-1252 (not Latin-1 or UTF-8) encodes as written:
/// curly quotes, the euro sign and the ellipsis live in 0x80..0x9F there.
pub const FRENCH_1252: &str = "Le maire a déclaré que le pont coûtera « 48 millions d’euros », \
     soit 2 € par habitant… Ça dépasse l’été dernier, où l’on parlait de 20 000 €.\r\n\
     Les élus de l’opposition réclament un audit indépendant.\r\n";

pub fn utf16le_with_bom(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect()
}

pub fn utf16be_with_bom(text: &str) -> Vec<u8> {
    [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
        .collect()
}

// ---------------------------------------------------------------- proptest strategies

/// Any text: every Unicode scalar value is possible, with proptest's bias towards the
/// awkward ones (controls, quotes, backslashes, surrogates' neighbours, non-characters).
pub fn any_text() -> impl Strategy<Value = String> {
    // Chars the sidecar's unescaped strings treat specially (quotes, backslashes, `#` runs
    // of raw strings, line breaks) come up often, not once in a million.
    let c = prop_oneof![
        2 => any::<char>(),
        1 => prop::sample::select(vec!['"', '\\', '#', '\n', '\'', 'r', 'é', '\u{301}']),
    ];
    prop::collection::vec(c, 0..12).prop_map(|v| v.into_iter().collect())
}

pub fn any_timestamp() -> impl Strategy<Value = Timestamp> {
    // The whole range jiff can represent, with nanoseconds.
    (
        Timestamp::MIN.as_second()..=Timestamp::MAX.as_second() - 1,
        0i32..1_000_000_000,
    )
        .prop_map(|(s, n)| Timestamp::new(s, n).expect("in range"))
}

pub fn any_date() -> impl Strategy<Value = Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).expect("valid"))
}

pub fn any_anchor() -> impl Strategy<Value = Anchor> {
    (
        0usize..100_000,
        1usize..500,
        any_text(),
        any_text(),
        any_text(),
    )
        .prop_map(|(start, len, quote, prefix, suffix)| Anchor {
            start,
            end: start + len,
            quote,
            prefix,
            suffix,
        })
}

pub fn any_dismissed() -> impl Strategy<Value = factmark::sidecar::DismissedSuggestion> {
    (any_anchor(), any_text(), any_timestamp())
        .prop_map(|(anchor, by, at)| factmark::sidecar::DismissedSuggestion { anchor, by, at })
}

pub fn any_state() -> impl Strategy<Value = AnchorState> {
    prop_oneof![
        Just(AnchorState::Anchored),
        Just(AnchorState::Orphaned),
        (0.0f32..=1.0).prop_map(|confidence| AnchorState::Reanchored { confidence }),
    ]
}

pub fn any_source() -> impl Strategy<Value = Source> {
    prop_oneof![
        (
            any_text(),
            any_text(),
            any_text(),
            prop::option::of(any_date())
        )
            .prop_map(|(url, title, note, accessed)| Source::External {
                url,
                title,
                note,
                accessed,
            }),
        (any_text(), any_text()).prop_map(|(id, note)| Source::Highlight {
            id: AnnotationId(id),
            note,
        }),
    ]
}

pub fn any_comment() -> impl Strategy<Value = Comment> {
    (any_text(), any_timestamp(), any_text()).prop_map(|(author, time, text)| Comment {
        author,
        time,
        text,
    })
}

pub fn any_status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

pub fn any_field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        (any_anchor(), any_state()).prop_map(|(a, s)| FieldValue::Anchor(a, s)),
        any_text().prop_map(FieldValue::Text),
        prop::option::of(any_text()).prop_map(FieldValue::Verdict),
        prop::collection::vec(any_source(), 0..3).prop_map(FieldValue::Sources),
        any_status().prop_map(FieldValue::Status),
        prop::collection::vec(any_text(), 0..3).prop_map(FieldValue::Tags),
        prop::collection::vec(any_comment(), 0..3).prop_map(FieldValue::Comments),
        any_claimant_kind().prop_map(FieldValue::ClaimantKind),
        prop::option::of(any_text()).prop_map(FieldValue::Url),
        (
            prop::option::of(any_text()),
            prop::option::of(any_wording_decision())
        )
            .prop_map(|(c, d)| FieldValue::Wording(c, d)),
        prop::collection::vec(any_link(), 0..3).prop_map(FieldValue::Links),
    ]
}

pub fn any_link() -> impl Strategy<Value = Link> {
    (
        prop::sample::select(vec![LinkKind::SameClaim, LinkKind::VerdictFrom]),
        any_text(),
        any_text(),
    )
        .prop_map(|(kind, story, id)| Link {
            kind,
            story,
            id: AnnotationId(id),
        })
}

pub fn any_wording_decision() -> impl Strategy<Value = WordingDecision> {
    (
        any_text(),
        any_text(),
        any::<bool>(),
        any_text(),
        any_timestamp(),
    )
        .prop_map(|(from, to, verdict_kept, by, at)| WordingDecision {
            from,
            to,
            verdict_kept,
            by,
            at,
        })
}

pub fn any_conflict() -> impl Strategy<Value = Conflict> {
    (prop::sample::select(Field::ALL.to_vec()), any_field_value())
        .prop_map(|(field, theirs)| Conflict { field, theirs })
}

/// The fields of an annotation other than its id and anchor.
#[derive(Clone, Debug)]
pub struct Body {
    pub state: AnchorState,
    pub label: String,
    pub statement: String,
    pub claimant: String,
    pub verdict: Option<String>,
    pub rationale: String,
    pub sources: Vec<Source>,
    pub status: Status,
    pub tags: Vec<String>,
    pub comments: Vec<Comment>,
    pub author: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    pub conflicts: Vec<Conflict>,
    pub checked_wording: Option<String>,
    pub wording_decision: Option<WordingDecision>,
    pub claimant_kind: ClaimantKind,
    pub review_url: Option<String>,
    pub links: Vec<Link>,
}

pub fn any_claimant_kind() -> impl Strategy<Value = ClaimantKind> {
    prop::sample::select(vec![ClaimantKind::Person, ClaimantKind::Organization])
}

fn any_body() -> impl Strategy<Value = Body> {
    (
        (
            any_state(),
            any_text(),
            any_text(),
            any_text(),
            prop::option::of(any_text()),
            any_text(),
            prop::collection::vec(any_source(), 0..3),
        ),
        (
            any_status(),
            prop::collection::vec(any_text(), 0..3),
            prop::collection::vec(any_comment(), 0..3),
            any_text(),
            any_timestamp(),
            any_timestamp(),
            prop::collection::vec(any_conflict(), 0..2),
        ),
        (any_claimant_kind(), prop::option::of(any_text())),
        (
            prop::option::of(any_text()),
            prop::option::of(any_wording_decision()),
            prop::collection::vec(any_link(), 0..3),
        ),
    )
        .prop_map(
            |(
                (state, label, statement, claimant, verdict, rationale, sources),
                (status, tags, comments, author, created, modified, conflicts),
                (claimant_kind, review_url),
                (checked_wording, wording_decision, links),
            )| Body {
                state,
                label,
                statement,
                claimant,
                verdict,
                rationale,
                sources,
                status,
                tags,
                comments,
                author,
                created,
                modified,
                conflicts,
                claimant_kind,
                review_url,
                checked_wording,
                wording_decision,
                links,
            },
        )
}

pub fn any_annotation() -> impl Strategy<Value = Annotation> {
    (any_text(), any_anchor(), any_body()).prop_map(|(id, anchor, b)| Annotation {
        id: AnnotationId(id),
        anchor,
        state: b.state,
        label: b.label,
        statement: b.statement,
        claimant: b.claimant,
        verdict: b.verdict,
        rationale: b.rationale,
        sources: b.sources,
        status: b.status,
        tags: b.tags,
        comments: b.comments,
        author: b.author,
        created: b.created,
        modified: b.modified,
        conflicts: b.conflicts,
        claimant_kind: b.claimant_kind,
        review_url: b.review_url,
        checked_wording: b.checked_wording,
        wording_decision: b.wording_decision,
        links: b.links,
    })
}

/// A set with unique ids (repeated ids from the generator are dropped before the test).
pub fn any_set(max: usize) -> impl Strategy<Value = AnnotationSet> {
    prop::collection::vec(any_annotation(), 0..max).prop_map(|v| AnnotationSet::from_vec(v).0)
}

pub fn any_label() -> impl Strategy<Value = Label> {
    (any_text(), any_text(), prop::option::of(any::<char>())).prop_map(|(name, color, key)| Label {
        name,
        color,
        key,
    })
}

pub fn any_scale() -> impl Strategy<Value = RatingScale> {
    prop::collection::vec(
        (any_text(), any::<i32>(), any_text()).prop_map(|(name, value, color)| Rating {
            name,
            value,
            color,
        }),
        0..4,
    )
    .prop_map(|ratings| RatingScale { ratings })
}

/// A sidecar's story-source fields (SPEC 11).
pub fn any_story_source()
-> impl Strategy<Value = (Option<SourceFormat>, Option<Extractor>, Option<StoryMeta>)> {
    let format = prop::option::of(prop::sample::select(vec![
        SourceFormat::Text,
        SourceFormat::Html,
        SourceFormat::Docx,
    ]));
    let extractor = prop::option::of(
        (any_text(), any_text()).prop_map(|(name, version)| Extractor { name, version }),
    );
    let meta = prop::option::of(
        (
            prop::option::of(any_text()),
            any_text(),
            any_text(),
            any_text(),
            prop::option::of(any_date()),
        )
            .prop_map(|(url, headline, outlet, author, published)| StoryMeta {
                url,
                headline,
                outlet,
                author,
                published,
            }),
    );
    (format, extractor, meta)
}

pub fn any_sidecar(max_annotations: usize) -> impl Strategy<Value = Sidecar> {
    (
        (any_text(), any_text(), any::<usize>(), any_text()),
        prop::option::of(prop::collection::vec(any_label(), 0..3)),
        prop::option::of(any_scale()),
        any_set(max_annotations),
        any_story_source(),
        // Mostly empty, as in real sidecars, so the "omitted when empty" path is covered too.
        prop::collection::vec(any_dismissed(), 0..3),
    )
        .prop_map(
            |(
                (story, text_sha256, text_chars, encoding),
                labels,
                rating_scale,
                annotations,
                (source_format, extractor, meta),
                dismissed_suggestions,
            )| {
                Sidecar {
                    source_format,
                    extractor,
                    meta,
                    story,
                    text_sha256,
                    text_chars,
                    encoding,
                    labels,
                    rating_scale,
                    annotations,
                    dismissed_suggestions,
                }
            },
        )
}
