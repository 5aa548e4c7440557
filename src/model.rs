//! The annotation model (SPEC 4): what a fact-checker records about a highlight.
//!
//! An [`AnnotationSet`] holds one story's annotations, always sorted by
//! `(start, end, id)` so that reading order, file order and export order agree.
//! Annotations are changed through [`crate::history`] so every change can be undone; the
//! set itself only offers lookups and the primitive insert / remove / replace that history
//! builds on.
//!
//! For merging (see [`crate::merge`]) an annotation is also viewed as a list of [`Field`]s,
//! each read and written as a [`FieldValue`]; that is what three-way merges and conflict
//! resolution work on.
//!
//! This module must not depend on any UI crate.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::anchor::{Anchor, AnchorState, Span};

/// A stable, unique annotation id (a ULID for annotations made here; imported ones keep
/// the id they came with). Never reused.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(pub String);

impl AnnotationId {
    pub fn new_unique() -> Self {
        Self(ulid::Ulid::new().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The current time, to the second (sidecars stay short and diffs stable).
pub fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}

/// A highlight category with its colour, e.g. `Claim`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// The key that applies this label to a selection in the window, if any.
    #[serde(default)]
    pub key: Option<char>,
}

impl Label {
    pub fn new(name: &str, color: &str, key: char) -> Self {
        Self {
            name: name.to_owned(),
            color: color.to_owned(),
            key: Some(key),
        }
    }

    /// The colour as RGB; a malformed colour falls back to grey.
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_color(&self.color).unwrap_or([0x99, 0x99, 0x99])
    }
}

/// Parses `#rrggbb`.
pub fn parse_hex_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// The labels used when neither the sidecar nor the folder overrides them.
pub fn default_labels() -> Vec<Label> {
    vec![
        Label::new("Claim", "#e8a33d", 'c'),
        Label::new("Source", "#4a90d9", 's'),
        Label::new("Note", "#8e6bbf", 'n'),
    ]
}

/// One step of a rating scale, e.g. "Mostly false" with ClaimReview value 2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub name: String,
    /// `ratingValue` in ClaimReview; higher is more true.
    pub value: i32,
    /// `#rrggbb`, for charts and badges.
    pub color: String,
}

/// The verdicts a claim can get, best first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingScale {
    pub ratings: Vec<Rating>,
}

impl Default for RatingScale {
    fn default() -> Self {
        let r = |name: &str, value, color: &str| Rating {
            name: name.to_owned(),
            value,
            color: color.to_owned(),
        };
        // Misleading and Unproven are not points on the true..false line; they get the
        // values ClaimReview consumers treat as "not rated on the scale" (0 and below worst).
        Self {
            ratings: vec![
                r("True", 5, "#2e9d4f"),
                r("Mostly true", 4, "#7cbf3f"),
                r("Half true", 3, "#e0c02f"),
                r("Mostly false", 2, "#e8863d"),
                r("False", 1, "#d63b3b"),
                r("Misleading", 0, "#b0479a"),
                r("Unproven", -1, "#7d7d7d"),
            ],
        }
    }
}

impl RatingScale {
    /// The rating with this name, case-insensitively.
    pub fn find(&self, name: &str) -> Option<&Rating> {
        let name = name.trim().to_lowercase();
        self.ratings.iter().find(|r| r.name.to_lowercase() == name)
    }

    pub fn best(&self) -> i32 {
        self.ratings.iter().map(|r| r.value).max().unwrap_or(0)
    }

    pub fn worst(&self) -> i32 {
        self.ratings
            .iter()
            .map(|r| r.value)
            .filter(|&v| v >= 1)
            .min()
            .unwrap_or(1)
    }
}

/// Where a claim stands in review.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Status {
    #[default]
    Draft,
    NeedsReview,
    Approved,
    Disputed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::NeedsReview,
        Status::Approved,
        Status::Disputed,
    ];

    /// The name users see and type (`needs-review` style also parses).
    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::NeedsReview => "Needs review",
            Status::Approved => "Approved",
            Status::Disputed => "Disputed",
        }
    }

    /// Parses a status name, ignoring case, spaces, `-` and `_`.
    pub fn parse(s: &str) -> Option<Status> {
        let key: String = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        Status::ALL.into_iter().find(|st| {
            st.name()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
                == key
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Evidence for a verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// A document outside the story: a web page, a report, a dataset.
    External {
        url: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        note: String,
        /// When the source was consulted, `YYYY-MM-DD`.
        #[serde(default)]
        accessed: Option<jiff::civil::Date>,
    },
    /// Another highlight in the same story, e.g. the `Source` highlight
    /// "according to Bloomberg".
    Highlight {
        id: AnnotationId,
        #[serde(default)]
        note: String,
    },
}

/// A remark in the annotator / reviewer conversation about an annotation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    pub time: Timestamp,
    pub text: String,
}

/// One highlight and everything recorded about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub anchor: Anchor,
    #[serde(default)]
    pub state: AnchorState,
    pub label: String,
    /// The claim as a checkable sentence; defaults to the quote.
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub claimant: String,
    /// A rating's name from the scale, or `None` while undecided.
    #[serde(default)]
    pub verdict: Option<String>,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub comments: Vec<Comment>,
    #[serde(default)]
    pub author: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// Values another editor gave a field that this version also changed: kept here, never
    /// dropped, until the user picks one (see [`crate::merge`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    // Publishing (SPEC 7): who the claimant is, and where this claim's fact-check is
    // published. Omitted from the sidecar at their defaults so older files keep their bytes.
    /// Whether the claimant is a person or an organisation (ClaimReview `author` type).
    #[serde(default, skip_serializing_if = "ClaimantKind::is_person")]
    pub claimant_kind: ClaimantKind,
    /// The page where this claim's fact-check is published (normalised URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_url: Option<String>,
    /// SPEC 9. While the story's wording under this highlight differs from the wording it
    /// was checked against, that older wording (the quote before re-anchoring changed it);
    /// `None` when nothing is pending. Set only by [`crate::reanchor::apply`], cleared by a
    /// person's decision ([`crate::history::confirm_wording`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_wording: Option<String>,
    /// The last decision a person took on a changed wording: kept so reviewers and exports
    /// can see who accepted which change, and whether the verdict was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording_decision: Option<WordingDecision>,
    /// Typed links to other annotations, in this story or another (claim memory, SPEC 12):
    /// the same claim checked elsewhere, or where a verdict was copied from. Omitted when
    /// empty so older files keep their bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A typed link from one annotation to another, possibly in another story's sidecar.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The other story's path relative to this story's folder, with `/` between folders
    /// (`..` for a parent); empty for this same story.
    pub story: String,
    pub id: AnnotationId,
}

/// What a [`Link`] says about the two annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LinkKind {
    /// Both are the same claim (made in several stories); set on both annotations, so the
    /// claims table can group them.
    SameClaim,
    /// This annotation's verdict, rationale and sources were copied from the other one.
    VerdictFrom,
}

impl LinkKind {
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::SameClaim => "SameClaim",
            LinkKind::VerdictFrom => "VerdictFrom",
        }
    }
}

/// A person's decision on a changed wording (SPEC 9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordingDecision {
    /// The wording the annotation had been checked against.
    pub from: String,
    /// The wording that was accepted.
    pub to: String,
    /// True when the person recorded that the change does not affect the verdict (an
    /// Approved claim stayed Approved); false when it went back to review.
    pub verdict_kept: bool,
    pub by: String,
    pub at: Timestamp,
}

/// What kind of party made a claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClaimantKind {
    #[default]
    Person,
    Organization,
}

impl ClaimantKind {
    pub fn is_person(&self) -> bool {
        *self == ClaimantKind::Person
    }

    /// The schema.org type name.
    pub fn name(self) -> &'static str {
        match self {
            ClaimantKind::Person => "Person",
            ClaimantKind::Organization => "Organization",
        }
    }
}

/// The one URL normaliser (parsed with the `url` crate), for every URL that enters the
/// model: sources typed in the inspector, imported links, settings, review URLs.
pub use crate::sources::{UrlError, normalise_url};

impl Annotation {
    /// A fresh annotation on `anchor`, with the statement defaulting to the quote.
    pub fn new(anchor: Anchor, label: &str, author: &str) -> Self {
        let t = now();
        Self {
            id: AnnotationId::new_unique(),
            statement: anchor.quote.clone(),
            anchor,
            state: AnchorState::Anchored,
            label: label.to_owned(),
            claimant: String::new(),
            verdict: None,
            rationale: String::new(),
            sources: Vec::new(),
            status: Status::Draft,
            tags: Vec::new(),
            comments: Vec::new(),
            author: author.to_owned(),
            created: t,
            modified: t,
            conflicts: Vec::new(),
            claimant_kind: ClaimantKind::Person,
            review_url: None,
            checked_wording: None,
            wording_decision: None,
            links: Vec::new(),
        }
    }

    /// True while the story's wording under this highlight differs from the wording it was
    /// checked against and nobody has decided yet (SPEC 9).
    pub fn wording_changed(&self) -> bool {
        self.checked_wording
            .as_deref()
            .is_some_and(|old| old != self.anchor.quote)
    }

    /// True when the annotation is a claim: labelled `Claim` (in any case), or given a
    /// verdict. The one definition: counts, the claims table, review, CSV, reports and
    /// ClaimReview all use it.
    pub fn is_claim(&self) -> bool {
        self.label.eq_ignore_ascii_case("claim") || self.verdict.is_some()
    }

    pub fn span(&self) -> Span {
        self.anchor.span()
    }

    /// The order of annotations everywhere: reading order, ties broken by id.
    pub fn sort_key(&self) -> (usize, usize, &str) {
        (self.anchor.start, self.anchor.end, self.id.as_str())
    }

    /// Reads one field, for merging and conflict display.
    pub fn get(&self, field: Field) -> FieldValue {
        match field {
            Field::Anchor => FieldValue::Anchor(self.anchor.clone(), self.state),
            Field::Label => FieldValue::Text(self.label.clone()),
            Field::Statement => FieldValue::Text(self.statement.clone()),
            Field::Claimant => FieldValue::Text(self.claimant.clone()),
            Field::Verdict => FieldValue::Verdict(self.verdict.clone()),
            Field::Rationale => FieldValue::Text(self.rationale.clone()),
            Field::Sources => FieldValue::Sources(self.sources.clone()),
            Field::Status => FieldValue::Status(self.status),
            Field::Tags => FieldValue::Tags(self.tags.clone()),
            Field::Comments => FieldValue::Comments(self.comments.clone()),
            Field::ClaimantKind => FieldValue::ClaimantKind(self.claimant_kind),
            Field::ReviewUrl => FieldValue::Url(self.review_url.clone()),
            Field::Wording => {
                FieldValue::Wording(self.checked_wording.clone(), self.wording_decision.clone())
            }
            Field::Links => FieldValue::Links(self.links.clone()),
        }
    }

    /// Writes one field; a value of the wrong kind for the field is ignored (returns false).
    pub fn set(&mut self, field: Field, value: FieldValue) -> bool {
        match (field, value) {
            (Field::Anchor, FieldValue::Anchor(a, s)) => {
                self.anchor = a;
                self.state = s;
            }
            (Field::Label, FieldValue::Text(v)) => self.label = v,
            (Field::Statement, FieldValue::Text(v)) => self.statement = v,
            (Field::Claimant, FieldValue::Text(v)) => self.claimant = v,
            (Field::Verdict, FieldValue::Verdict(v)) => self.verdict = v,
            (Field::Rationale, FieldValue::Text(v)) => self.rationale = v,
            (Field::Sources, FieldValue::Sources(v)) => self.sources = v,
            (Field::Status, FieldValue::Status(v)) => self.status = v,
            (Field::Tags, FieldValue::Tags(v)) => self.tags = v,
            (Field::Comments, FieldValue::Comments(v)) => self.comments = v,
            (Field::ClaimantKind, FieldValue::ClaimantKind(v)) => self.claimant_kind = v,
            (Field::ReviewUrl, FieldValue::Url(v)) => self.review_url = v,
            (Field::Wording, FieldValue::Wording(checked, decision)) => {
                self.checked_wording = checked;
                self.wording_decision = decision;
            }
            (Field::Links, FieldValue::Links(v)) => self.links = v,
            _ => return false,
        }
        true
    }
}

/// The parts of an annotation that editors change independently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    Anchor,
    Label,
    Statement,
    Claimant,
    Verdict,
    Rationale,
    Sources,
    Status,
    Tags,
    Comments,
    ClaimantKind,
    ReviewUrl,
    /// The checked wording and the decision on it, merged as one (SPEC 9).
    Wording,
    /// Links to other annotations (merged as a set).
    Links,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Anchor,
        Field::Label,
        Field::Statement,
        Field::Claimant,
        Field::Verdict,
        Field::Rationale,
        Field::Sources,
        Field::Status,
        Field::Tags,
        Field::Comments,
        Field::ClaimantKind,
        Field::ReviewUrl,
        Field::Wording,
        Field::Links,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Anchor => "highlight",
            Field::Label => "label",
            Field::Statement => "statement",
            Field::Claimant => "claimant",
            Field::Verdict => "verdict",
            Field::Rationale => "rationale",
            Field::Sources => "sources",
            Field::Status => "status",
            Field::Tags => "tags",
            Field::Comments => "comments",
            Field::ClaimantKind => "claimant kind",
            Field::ReviewUrl => "review URL",
            Field::Wording => "checked wording",
            Field::Links => "links",
        }
    }
}

/// The value of one [`Field`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldValue {
    Anchor(Anchor, AnchorState),
    Text(String),
    Verdict(Option<String>),
    Sources(Vec<Source>),
    Status(Status),
    Tags(Vec<String>),
    Comments(Vec<Comment>),
    ClaimantKind(ClaimantKind),
    Url(Option<String>),
    /// `checked_wording` and `wording_decision`.
    Wording(Option<String>, Option<WordingDecision>),
    Links(Vec<Link>),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Anchor(a, _) => write!(f, "“{}” at {}..{}", a.quote, a.start, a.end),
            FieldValue::Text(t) => f.write_str(t),
            FieldValue::Verdict(v) => f.write_str(v.as_deref().unwrap_or("no verdict")),
            FieldValue::Sources(s) => {
                let parts: Vec<String> = s
                    .iter()
                    .map(|s| match s {
                        Source::External { url, .. } => url.clone(),
                        Source::Highlight { id, .. } => format!("highlight {id}"),
                    })
                    .collect();
                f.write_str(&parts.join(", "))
            }
            FieldValue::Status(s) => f.write_str(s.name()),
            FieldValue::Tags(t) => f.write_str(&t.join(", ")),
            FieldValue::Comments(c) => write!(f, "{} comments", c.len()),
            FieldValue::ClaimantKind(k) => f.write_str(k.name()),
            FieldValue::Url(u) => f.write_str(u.as_deref().unwrap_or("no URL")),
            FieldValue::Wording(Some(old), _) => write!(f, "checked as “{old}”"),
            FieldValue::Wording(None, Some(d)) => write!(f, "“{}” accepted by {}", d.to, d.by),
            FieldValue::Wording(None, None) => f.write_str("wording unchanged"),
            FieldValue::Links(l) => write!(f, "{} links", l.len()),
        }
    }
}

/// Another editor's value for a field that was also changed here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: Field,
    /// Their value; the annotation's own field holds ours.
    pub theirs: FieldValue,
}

/// One story's annotations, sorted by `(start, end, id)`, ids unique.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotationSet {
    annotations: Vec<Annotation>,
}

impl AnnotationSet {
    /// Builds a set, sorting it; later duplicates of an id are returned separately so the
    /// caller can report them instead of losing them silently.
    pub fn from_vec(mut annotations: Vec<Annotation>) -> (Self, Vec<Annotation>) {
        annotations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut seen = std::collections::HashSet::new();
        let mut duplicates = Vec::new();
        let mut kept = Vec::with_capacity(annotations.len());
        for a in annotations {
            if seen.insert(a.id.clone()) {
                kept.push(a);
            } else {
                duplicates.push(a);
            }
        }
        (Self { annotations: kept }, duplicates)
    }

    pub fn len(&self) -> usize {
        self.annotations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty()
    }

    /// All annotations in reading order.
    pub fn iter(&self) -> std::slice::Iter<'_, Annotation> {
        self.annotations.iter()
    }

    pub fn as_slice(&self) -> &[Annotation] {
        &self.annotations
    }

    pub fn into_vec(self) -> Vec<Annotation> {
        self.annotations
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.position(id).map(|i| &self.annotations[i])
    }

    /// Index of an annotation in reading order. O(n); callers that need many lookups per
    /// frame keep their own map.
    pub fn position(&self, id: &AnnotationId) -> Option<usize> {
        self.annotations.iter().position(|a| &a.id == id)
    }

    /// Inserts in sorted position. Returns false (and changes nothing) if the id exists.
    pub fn insert(&mut self, annotation: Annotation) -> bool {
        if self.position(&annotation.id).is_some() {
            return false;
        }
        let at = self
            .annotations
            .partition_point(|a| a.sort_key() < annotation.sort_key());
        self.annotations.insert(at, annotation);
        true
    }

    pub fn remove(&mut self, id: &AnnotationId) -> Option<Annotation> {
        self.position(id).map(|i| self.annotations.remove(i))
    }

    /// Replaces the annotation with the same id, keeping the order; returns the old one.
    pub fn replace(&mut self, annotation: Annotation) -> Option<Annotation> {
        let old = self.remove(&annotation.id)?;
        self.insert(annotation);
        Some(old)
    }

    /// Annotations whose span overlaps `span`, in reading order. Uses the sort order to
    /// stop early; for per-frame lookups on big sets use an interval index (the reader has one).
    pub fn overlapping(&self, span: Span) -> impl Iterator<Item = &Annotation> {
        let end = self
            .annotations
            .partition_point(|a| a.anchor.start < span.end);
        self.annotations[..end]
            .iter()
            .filter(move |a| a.anchor.end > span.start)
    }
}

impl<'a> IntoIterator for &'a AnnotationSet {
    type Item = &'a Annotation;
    type IntoIter = std::slice::Iter<'a, Annotation>;
    fn into_iter(self) -> Self::IntoIter {
        self.annotations.iter()
    }
}

/// Checks a source URL: only absolute `http` / `https` URLs with a host are accepted, so
/// nothing else (`file:`, `javascript:`, custom schemes) is ever opened from a source.
pub fn validate_source_url(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("Enter a web address (https://…).".to_owned());
    }
    let parsed = url::Url::parse(trimmed).map_err(|e| {
        format!("“{trimmed}” is not a web address ({e}); use a full https:// link.")
    })?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => {
            Ok(parsed.to_string())
        }
        "http" | "https" => Err(format!("“{trimmed}” has no host name.")),
        other => Err(format!(
            "Only http and https links can be sources (this one is “{other}:”)."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::StoryText;

    fn ann(text: &StoryText, start: usize, end: usize) -> Annotation {
        Annotation::new(
            Anchor::from_span(text, Span::new(start, end)),
            "Claim",
            "tester",
        )
    }

    #[test]
    fn set_stays_sorted_and_unique() {
        let text = StoryText::new("abcdefghij".to_owned());
        let (mut set, dups) = AnnotationSet::from_vec(vec![ann(&text, 5, 7), ann(&text, 1, 3)]);
        assert!(dups.is_empty());
        let a = ann(&text, 2, 4);
        assert!(set.insert(a.clone()));
        assert!(!set.insert(a.clone()));
        let starts: Vec<usize> = set.iter().map(|a| a.anchor.start).collect();
        assert_eq!(starts, vec![1, 2, 5]);
        let over: Vec<usize> = set
            .overlapping(Span::new(3, 6))
            .map(|a| a.anchor.start)
            .collect();
        assert_eq!(over, vec![2, 5]);
    }

    #[test]
    fn fields_round_trip() {
        let text = StoryText::new("abcdefghij".to_owned());
        let mut a = ann(&text, 1, 3);
        let mut b = a.clone();
        b.claimant = "The mayor".into();
        b.verdict = Some("False".into());
        b.tags = vec!["budget".into()];
        for f in Field::ALL {
            assert!(a.set(f, b.get(f)));
        }
        assert_eq!(a, b);
        assert!(!a.set(Field::Status, FieldValue::Text("x".into())));
    }

    #[test]
    fn only_web_urls_are_sources() {
        assert_eq!(
            validate_source_url(" https://example.org/report ").as_deref(),
            Ok("https://example.org/report")
        );
        for bad in [
            "",
            "example.org",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://",
        ] {
            assert!(validate_source_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_parsing() {
        assert_eq!(Status::parse("needs-review"), Some(Status::NeedsReview));
        assert_eq!(Status::parse("APPROVED"), Some(Status::Approved));
        assert_eq!(Status::parse("maybe"), None);
    }

    #[test]
    fn rating_lookup_ignores_case() {
        let scale = RatingScale::default();
        assert_eq!(scale.find("mostly FALSE").map(|r| r.value), Some(2));
        assert_eq!(scale.best(), 5);
        assert_eq!(scale.worst(), 1);
    }
}
