//! W3C Web Annotation import (SPEC 7): reading JSON-LD annotations made by factmark,
//! Hypothesis or any other Web Annotation tool into a story's sidecar.
//!
//! Accepted shapes: a single `Annotation`, a JSON array of them, an `AnnotationCollection`
//! (with its embedded `first` page and any embedded `next` pages), an `AnnotationPage`, and
//! the Hypothesis API's `{ "rows": [...] }` with its `text`, `tags` and `user` fields.
//! `target` may be an object or an array (the first target with a usable selector is
//! used); selectors other than `TextQuoteSelector` and `TextPositionSelector`
//! (`RangeSelector`, `XPathSelector`, `CssSelector` ...) are ignored.
//!
//! Placing: the quote and its context decide; the position is only a hint (SPEC 3). The
//! hint is tried as code points, then as UTF-16 units (what browser tools count; all hints
//! are converted in one pass over the text, sorted); then the whole set goes through the
//! engine that re-anchors a story when it is opened ([`reanchor::reanchor_all`]), so the
//! annotations found at their hint guide the search for the others, as neighbours do when
//! a story drifted. An annotation that cannot be found is still added, orphaned, so nothing
//! is lost.
//!
//! Which annotations are this story's (a folder-wide export holds several stories): a
//! target `source` names the story when it is a `file:` URI with the story's file name, or
//! contains the SHA-256 of the story's text (now, or as its sidecar last recorded it: the
//! `urn:` identifiers of publishable exports). When some annotation names the story, those
//! naming another are skipped; when none does and the file targets one source only (a
//! Hypothesis export of the story's web page), all are taken; when it targets several and
//! none is this story, none is taken rather than all arriving as orphans.
//!
//! Ids and bodies map back as in SPEC 7 (see [`crate::export::w3c`] for the other way);
//! an id already in the sidecar is skipped, so importing the same file twice adds nothing.
//! An annotation without an id gets one derived from its content, for the same reason.
//!
//! [`plan`] is pure (the window applies its result through history); [`import_w3c_file`]
//! is the command line's whole flow and saves through [`SidecarFile`] (atomic, merge-safe).
//! This module must not depend on any UI crate.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde_json::Value;
use thiserror::Error;

use crate::anchor::{Anchor, AnchorState};
use crate::context::StoryContext;
use crate::export::{id_of_iri, path_of_file_uri};
use crate::model::{
    Annotation, AnnotationId, AnnotationSet, ClaimantKind, Comment, Label, RatingScale, Source,
    Status, now,
};
use crate::reanchor::{self, Outcome};
use crate::settings::SettingsError;
use crate::store::{Sidecar, SidecarFile, StoreError};
use crate::text::{StoryText, TextError, load_story, sha256_hex};

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("unknown import format \"{0}\"; only w3c is supported")]
    UnknownFormat(String),
    #[error("could not read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid JSON: line {line}, column {column}: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path} holds no W3C Web Annotations")]
    NoAnnotations { path: PathBuf },
    #[error(
        "none of the {count} annotations in {path} has a usable selector (a TextQuoteSelector or TextPositionSelector)"
    )]
    NoUsableSelector { path: PathBuf, count: usize },
    #[error(
        "none of the {count} annotations in {path} targets {story} (they belong to {sources} other stories); nothing was imported"
    )]
    OtherStories {
        path: PathBuf,
        story: String,
        count: usize,
        sources: usize,
    },
    #[error("{0}")]
    Story(#[from] TextError),
    #[error("{0}")]
    Sidecar(#[from] StoreError),
    #[error("{0}")]
    Settings(#[from] SettingsError),
}

/// What an import did, for the message the user sees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Annotations found in the file.
    pub found: usize,
    /// Added where their position said (code points or UTF-16).
    pub anchored: usize,
    /// Added after finding their quote elsewhere by quote and context.
    pub reanchored: usize,
    /// Added, but their quote is not in the story.
    pub orphaned: usize,
    /// Skipped: their id is already in the sidecar (or earlier in the file).
    pub already_present: usize,
    /// Skipped: no TextQuoteSelector or TextPositionSelector that fits the story.
    pub unusable: usize,
    /// Skipped: they target another factmark story of the same export.
    pub other_story: usize,
}

impl ImportReport {
    pub fn added(&self) -> usize {
        self.anchored + self.reanchored + self.orphaned
    }

    /// "3 added (2 anchored, 1 re-anchored, 0 orphaned); 1 already present".
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} added ({} anchored, {} re-anchored, {} orphaned)",
            self.added(),
            self.anchored,
            self.reanchored,
            self.orphaned
        );
        for (n, what) in [
            (self.already_present, "already present"),
            (self.unusable, "skipped without a usable selector"),
            (self.other_story, "skipped for targeting another story"),
        ] {
            if n > 0 {
                s.push_str(&format!("; {n} {what}"));
            }
        }
        s
    }
}

/// New annotations to add to a story, and the counts.
#[derive(Clone, Debug, Default)]
pub struct Planned {
    pub annotations: Vec<Annotation>,
    pub report: ImportReport,
}

/// Parses W3C JSON-LD text. `path` is only used in messages.
pub fn parse_json(json: &str, path: &Path) -> Result<Value, ImportError> {
    serde_json::from_str(json).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        ImportError::Json {
            path: path.to_owned(),
            line,
            column,
            message,
        }
    })
}

/// Every annotation object in a parsed document, in document order.
pub fn annotations_in(doc: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    collect(doc, &mut out, 0);
    out
}

fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    // Containers nest a few levels at most; the bound keeps hostile input from recursing deep.
    if depth > 16 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out, depth + 1)),
        Value::Object(m) => {
            if has_type(v, "Annotation") || (m.contains_key("target") && !is_container(v)) {
                out.push(v);
                return;
            }
            for key in ["first", "items", "rows", "next"] {
                if let Some(inner) = m.get(key)
                    && (inner.is_object() || inner.is_array())
                {
                    collect(inner, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn is_container(v: &Value) -> bool {
    has_type(v, "AnnotationCollection") || has_type(v, "AnnotationPage")
}

fn has_type(v: &Value, name: &str) -> bool {
    let t = v.get("type").or_else(|| v.get("@type"));
    match t {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(name)),
        _ => false,
    }
}

/// The selectors found on an annotation's target.
#[derive(Clone, Debug, Default, PartialEq)]
struct Selectors {
    quote: Option<(String, String, String)>,
    position: Option<(usize, usize)>,
    source: Option<String>,
}

fn selectors(a: &Value) -> Selectors {
    let targets: Vec<&Value> = match a.get("target") {
        Some(Value::Array(t)) => t.iter().collect(),
        Some(t) => vec![t],
        None => Vec::new(),
    };
    let mut first_source = None;
    for t in targets {
        let source = t
            .get("source")
            .and_then(iri_of)
            .or_else(|| t.as_str().map(str::to_owned));
        if first_source.is_none() {
            first_source = source.clone();
        }
        let sels: Vec<&Value> = match t.get("selector") {
            Some(Value::Array(s)) => s.iter().collect(),
            Some(s) => vec![s],
            None => Vec::new(),
        };
        let mut found = Selectors {
            source,
            ..Default::default()
        };
        for s in sels {
            if has_type(s, "TextQuoteSelector") {
                let field = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                let exact = field("exact");
                if !exact.is_empty() && found.quote.is_none() {
                    found.quote = Some((exact, field("prefix"), field("suffix")));
                }
            } else if has_type(s, "TextPositionSelector") {
                let n = |k: &str| s.get(k).and_then(Value::as_u64).map(|v| v as usize);
                if let (Some(start), Some(end)) = (n("start"), n("end"))
                    && start < end
                    && found.position.is_none()
                {
                    found.position = Some((start, end));
                }
            }
        }
        if found.quote.is_some() || found.position.is_some() {
            return found;
        }
    }
    Selectors {
        source: first_source,
        ..Default::default()
    }
}

/// An IRI given as a string or as `{ "id": ... }`.
fn iri_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m
            .get("id")
            .or_else(|| m.get("@id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

/// A person's name from `creator` / `user`: a string (`acct:` dropped), an object's
/// `name` / `nickname` / `id`, or the first of a list.
fn person(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.strip_prefix("acct:").unwrap_or(s).to_owned()),
        Value::Object(m) => ["name", "nickname", "id"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str))
            .map(str::to_owned),
        Value::Array(a) => a.first().and_then(person),
        _ => None,
    }
}

fn timestamp(v: Option<&Value>) -> Option<Timestamp> {
    v.and_then(Value::as_str).and_then(|s| s.parse().ok())
}

/// Converts a UTF-16 offset into a char offset of `text` (`None` past the end or inside a
/// surrogate pair).
#[cfg(test)]
fn utf16_to_char(text: &str, units: usize) -> Option<usize> {
    utf16_to_chars(text, &[units])[0]
}

/// Converts many UTF-16 offsets at once: the offsets are visited in sorted order during one
/// walk over the text, so the cost is the text's length plus a sort, however many there are.
fn utf16_to_chars(text: &str, offsets: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut out = vec![None; offsets.len()];
    let mut chars = text.chars();
    let (mut units, mut count) = (0usize, 0usize);
    for i in order {
        let want = offsets[i];
        while units < want {
            match chars.next() {
                Some(c) => {
                    units += c.len_utf16();
                    count += 1;
                }
                None => break,
            }
        }
        if units == want {
            out[i] = Some(count);
        }
    }
    out
}

/// What identifies the story being imported into, to tell its annotations from other
/// stories' in a folder-wide export.
#[derive(Clone, Debug, Default)]
pub struct StoryTarget {
    /// The story's file name.
    pub name: String,
    /// SHA-256 hex of its text: the current text's, and the one its sidecar recorded.
    pub sha256: Vec<String>,
    /// Its public URL, when known (SPEC 11): exports name the story by it.
    pub url: Option<String>,
}

impl StoryTarget {
    /// Whether a target `source` names this story (see the module docs).
    fn names(&self, source: &str) -> bool {
        if let Some(path) = path_of_file_uri(source) {
            return path
                .file_name()
                .is_some_and(|n| n.to_string_lossy() == self.name);
        }
        if let Some(url) = &self.url
            && crate::model::normalise_url(source).is_ok_and(|s| &s == url)
        {
            return true;
        }
        let lower = source.to_ascii_lowercase();
        self.sha256
            .iter()
            .any(|h| !h.is_empty() && lower.contains(&h.to_ascii_lowercase()))
    }
}

/// Turns the annotations in `doc` into new annotations for the story `text` whose
/// current set is `existing`. `story_name` (the story's file name) and the text's hash tell
/// this story's annotations from other stories' in a multi-story export.
pub fn plan(
    doc: &Value,
    text: &StoryText,
    story_name: &str,
    existing: &AnnotationSet,
    labels: &[Label],
    scale: &RatingScale,
) -> Planned {
    let target = StoryTarget {
        name: story_name.to_owned(),
        sha256: vec![text.sha256().to_owned()],
        url: None,
    };
    plan_for(doc, text, &target, existing, labels, scale)
}

/// [`plan`] with every identifier of the story spelled out.
pub fn plan_for(
    doc: &Value,
    text: &StoryText,
    target: &StoryTarget,
    existing: &AnnotationSet,
    labels: &[Label],
    scale: &RatingScale,
) -> Planned {
    let found = annotations_in(doc);
    let mut planned = Planned::default();
    planned.report.found = found.len();
    let sels: Vec<Selectors> = found.iter().map(|a| selectors(a)).collect();
    let names_this_story = sels
        .iter()
        .any(|s| s.source.as_deref().is_some_and(|src| target.names(src)));
    let sources: HashSet<&str> = sels.iter().filter_map(|s| s.source.as_deref()).collect();
    // Nothing names this story: one source is taken to be it (a web page's export), but
    // several stories of which none is this one are not, or every one would be an orphan.
    let take_all = !names_this_story && sources.len() <= 1;
    let mut seen: HashSet<AnnotationId> = existing.iter().map(|a| a.id.clone()).collect();
    let mut annotations = Vec::new();
    let mut hints = Vec::new();
    for (value, sel) in found.into_iter().zip(sels) {
        let ours = match sel.source.as_deref() {
            Some(src) => take_all || target.names(src),
            None => true,
        };
        if !ours {
            planned.report.other_story += 1;
            continue;
        }
        let id = match value
            .get("id")
            .or_else(|| value.get("@id"))
            .and_then(Value::as_str)
        {
            Some(iri) if !iri.trim().is_empty() => id_of_iri(iri.trim()),
            _ => AnnotationId(format!(
                "imported-{}",
                &sha256_hex(&value.to_string())[..26]
            )),
        };
        if seen.contains(&id) {
            planned.report.already_present += 1;
            continue;
        }
        let Some(anchor) = start_from(text, &sel) else {
            planned.report.unusable += 1;
            continue;
        };
        seen.insert(id.clone());
        hints.push(sel.position.map(|(start, _)| start));
        annotations.push(fields(value, id, anchor, labels, scale));
    }
    place_all(text, &mut annotations, &hints);
    let result = reanchor::reanchor_all(text, &annotations, true);
    for (a, outcome) in annotations.iter().zip(&result.outcomes) {
        match outcome {
            Outcome::Kept => planned.report.anchored += 1,
            Outcome::Moved(_) | Outcome::Fuzzy { .. } => planned.report.reanchored += 1,
            Outcome::Orphaned => planned.report.orphaned += 1,
        }
        planned.annotations.push(reanchor::apply(text, a, outcome));
    }
    planned
}

/// The anchor an annotation starts from: its quote and context at its position hint taken
/// as code points; `None` when it has nothing to place it by.
fn start_from(text: &StoryText, sel: &Selectors) -> Option<Anchor> {
    match (&sel.quote, sel.position) {
        (Some((quote, prefix, suffix)), hint) => {
            let start = hint.map_or(0, |(s, _)| s);
            Some(Anchor {
                start,
                end: start + quote.chars().count(),
                quote: quote.clone(),
                prefix: prefix.clone(),
                suffix: suffix.clone(),
            })
        }
        // No quote to search for: the position is all there is, so it is trusted.
        (None, Some((start, end))) if end <= text.len_chars() => Some(Anchor::from_span(
            text,
            crate::anchor::Span::new(start, end),
        )),
        _ => None,
    }
}

/// Settles the position hints before the search: an anchor whose quote is not at its hint
/// read as code points starts from the hint read as UTF-16 units where that is a valid
/// offset (browser tools count so). The stored context is kept, not re-read from the text:
/// the engine then asks a quote that merely sits at its old offset for its context too, as
/// it does when a story drifted, so a short quote is not kept on the wrong words.
fn place_all(text: &StoryText, annotations: &mut [Annotation], hints: &[Option<usize>]) {
    let retry: Vec<(usize, usize)> = annotations
        .iter()
        .zip(hints)
        .enumerate()
        .filter_map(|(i, (a, h))| (!a.anchor.holds_in(text)).then_some((i, (*h)?)))
        .collect();
    let offsets: Vec<usize> = retry.iter().map(|&(_, h)| h).collect();
    let converted = utf16_to_chars(text.as_str(), &offsets);
    for ((i, _), start) in retry.into_iter().zip(converted) {
        let Some(start) = start else { continue };
        let anchor = &mut annotations[i].anchor;
        let len = anchor.end - anchor.start;
        anchor.start = start;
        anchor.end = start + len;
    }
}

/// Reads the bodies and metadata of one W3C annotation into the model.
fn fields(
    v: &Value,
    id: AnnotationId,
    anchor: Anchor,
    labels: &[Label],
    scale: &RatingScale,
) -> Annotation {
    let author = v
        .get("creator")
        .or_else(|| v.get("user"))
        .and_then(person)
        .unwrap_or_default();
    let created = timestamp(v.get("created")).unwrap_or_else(now);
    let modified = timestamp(v.get("modified").or_else(|| v.get("updated"))).unwrap_or(created);
    let mut label: Option<String> = None;
    let mut a = Annotation {
        id,
        anchor,
        state: AnchorState::Anchored,
        label: String::new(),
        statement: String::new(),
        claimant: str_field(v, "factmark:claimant"),
        verdict: None,
        rationale: String::new(),
        sources: Vec::new(),
        status: v
            .get("factmark:status")
            .and_then(Value::as_str)
            .and_then(Status::parse)
            .unwrap_or_default(),
        tags: Vec::new(),
        comments: Vec::new(),
        author,
        created,
        modified,
        conflicts: Vec::new(),
        claimant_kind: match str_field(v, "factmark:claimantKind").as_str() {
            "Organization" => ClaimantKind::Organization,
            _ => ClaimantKind::Person,
        },
        review_url: crate::model::normalise_url(&str_field(v, "factmark:reviewUrl")).ok(),
        // A changed wording exported by factmark stays pending (SPEC 9): importing must not
        // turn it into an unchanged approved claim.
        checked_wording: v
            .get("factmark:checkedWording")
            .and_then(Value::as_str)
            .map(str::to_owned),
        wording_decision: None,
        links: Vec::new(),
    };
    let mut tag = |a: &mut Annotation, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if label.is_none()
            && let Some(l) = labels.iter().find(|l| l.name.eq_ignore_ascii_case(value))
        {
            label = Some(l.name.clone());
        } else if !a.tags.iter().any(|t| t == value) {
            a.tags.push(value.to_owned());
        }
    };
    let bodies: Vec<&Value> = match v.get("body") {
        Some(Value::Array(b)) => b.iter().collect(),
        Some(b) => vec![b],
        None => Vec::new(),
    };
    for body in bodies {
        let purpose = match body.get("purpose") {
            Some(Value::String(p)) => p.as_str(),
            Some(Value::Array(p)) => p.first().and_then(Value::as_str).unwrap_or(""),
            _ => "",
        };
        let value = body.get("value").and_then(Value::as_str).unwrap_or("");
        let is_resource = has_type(body, "SpecificResource")
            || body.get("source").is_some()
            || body.is_string()
            || (value.is_empty() && body.get("id").is_some());
        match purpose {
            "tagging" | "classifying" => tag(&mut a, value),
            "describing" if !value.is_empty() => {
                if a.statement.is_empty() {
                    a.statement = value.to_owned();
                } else {
                    a.statement = format!("{}\n\n{value}", a.statement);
                }
            }
            "assessing" if !value.trim().is_empty() => {
                a.verdict = Some(
                    scale
                        .find(value)
                        .map(|r| r.name.clone())
                        .unwrap_or_else(|| value.trim().to_owned()),
                );
            }
            "linking" | "" if is_resource => {
                if let Some(s) = source(body) {
                    a.sources.push(s);
                }
            }
            _ if body.get("factmark:role").and_then(Value::as_str) == Some("rationale") => {
                a.rationale = value.to_owned();
            }
            _ if !value.trim().is_empty() => a.comments.push(Comment {
                author: body
                    .get("creator")
                    .and_then(person)
                    .unwrap_or_else(|| a.author.clone()),
                time: timestamp(body.get("created")).unwrap_or(a.created),
                text: value.to_owned(),
            }),
            _ => {}
        }
    }
    // Hypothesis API rows keep their text and tags outside `body`.
    if let Some(text) = v
        .get("bodyValue")
        .or_else(|| v.get("text"))
        .and_then(Value::as_str)
        && !text.trim().is_empty()
    {
        a.comments.push(Comment {
            author: a.author.clone(),
            time: a.created,
            text: text.to_owned(),
        });
    }
    if let Some(Value::Array(tags)) = v.get("tags") {
        for t in tags.iter().filter_map(Value::as_str) {
            tag(&mut a, t);
        }
    }
    a.label = label.unwrap_or_else(|| default_label(labels, a.verdict.is_some()));
    a
}

/// The label of an imported annotation that named none: `Claim` when it has a verdict,
/// else `Note` (what a highlight with remarks is), else the project's last label.
fn default_label(labels: &[Label], has_verdict: bool) -> String {
    let want = if has_verdict { "Claim" } else { "Note" };
    labels
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(want))
        .or(labels.last())
        .map(|l| l.name.clone())
        .unwrap_or_else(|| want.to_owned())
}

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn source(body: &Value) -> Option<Source> {
    let target = body
        .get("source")
        .and_then(iri_of)
        .or_else(|| body.as_str().map(str::to_owned))
        .or_else(|| iri_of(body))?;
    let note = str_field(body, "factmark:note");
    if body.get("factmark:highlight").and_then(Value::as_bool) == Some(true) {
        return Some(Source::Highlight {
            id: id_of_iri(&target),
            note,
        });
    }
    // Stored normalised so exports carry valid URIs; an IRI the url crate cannot parse
    // (rare: a relative link) is kept as given rather than dropped.
    let url = crate::model::normalise_url(&target).unwrap_or(target);
    Some(Source::External {
        url,
        title: str_field(body, "factmark:title"),
        note,
        accessed: body
            .get("factmark:accessed")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok()),
    })
}

/// The command line's import: reads `file`, places its annotations in `story` and saves
/// the story's sidecar (atomically, merging with changes made meanwhile). Nothing is
/// written when the file cannot be used or nothing is new.
pub fn import_w3c_file(file: &Path, story_path: &Path) -> Result<ImportReport, ImportError> {
    let json = std::fs::read_to_string(file).map_err(|source| ImportError::Read {
        path: file.to_owned(),
        source,
    })?;
    let doc = parse_json(&json, file)?;
    let story = load_story(story_path)?;
    let (mut sidecar_file, loaded) = SidecarFile::open(story_path)?;
    let mut sidecar = match loaded {
        Some(l) => l.sidecar,
        None => Sidecar::new(
            &story.file_name(),
            story.text.sha256(),
            story.text.len_chars(),
            story.encoding,
        ),
    };
    sidecar.record_source(story.format, &story.meta);
    // Imported labels and verdicts are matched against what is in force for the story:
    // the sidecar's override, else the nearest folder settings, else the defaults.
    let context = StoryContext::for_story(story_path, Some(&sidecar)).map_err(|(e, _)| e)?;
    let target = StoryTarget {
        name: story.file_name(),
        sha256: vec![story.text.sha256().to_owned(), sidecar.text_sha256.clone()],
        url: sidecar
            .meta
            .as_ref()
            .and_then(|m| m.url.clone())
            .or_else(|| story.meta.url.clone()),
    };
    let planned = plan_for(
        &doc,
        &story.text,
        &target,
        &sidecar.annotations,
        &context.labels,
        &context.scale,
    );
    let report = planned.report;
    if report.found == 0 {
        return Err(ImportError::NoAnnotations {
            path: file.to_owned(),
        });
    }
    if report.other_story == report.found {
        let sources: HashSet<String> = annotations_in(&doc)
            .iter()
            .filter_map(|a| selectors(a).source)
            .collect();
        return Err(ImportError::OtherStories {
            path: file.to_owned(),
            story: target.name,
            count: report.found,
            sources: sources.len(),
        });
    }
    if report.unusable > 0 && report.unusable + report.other_story == report.found {
        return Err(ImportError::NoUsableSelector {
            path: file.to_owned(),
            count: report.found,
        });
    }
    if !planned.annotations.is_empty() {
        for a in planned.annotations {
            sidecar.annotations.insert(a);
        }
        sidecar_file.save(&mut sidecar)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_convert() {
        let s = "a😀b";
        assert_eq!(utf16_to_char(s, 0), Some(0));
        assert_eq!(utf16_to_char(s, 1), Some(1));
        assert_eq!(utf16_to_char(s, 3), Some(2));
        assert_eq!(utf16_to_char(s, 4), Some(3));
        assert_eq!(utf16_to_char(s, 2), None, "inside a surrogate pair");
        assert_eq!(utf16_to_char(s, 9), None);
    }

    #[test]
    fn containers_are_flattened() {
        let doc: Value = serde_json::from_str(
            r#"{"type":"AnnotationCollection","first":{"type":"AnnotationPage","items":[
                {"type":"Annotation","target":"x"},{"type":"Annotation","target":"y"}],
                "next":{"type":"AnnotationPage","items":[{"type":"Annotation","target":"z"}]}}}"#,
        )
        .expect("json");
        assert_eq!(annotations_in(&doc).len(), 3);
        let rows: Value =
            serde_json::from_str(r#"{"total":1,"rows":[{"id":"h1","target":[{"source":"u"}]}]}"#)
                .expect("json");
        assert_eq!(annotations_in(&rows).len(), 1);
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = parse_json("{\n  \"a\": [1,\n}", Path::new("bad.json")).expect_err("bad");
        match err {
            ImportError::Json { line, column, .. } => assert_eq!((line, column), (3, 1)),
            other => panic!("unexpected {other:?}"),
        }
    }
}
