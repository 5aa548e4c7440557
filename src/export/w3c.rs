//! W3C Web Annotation export (JSON-LD): one `AnnotationCollection` whose first (and only)
//! `AnnotationPage` holds every annotation of the set.
//!
//! Each `Annotation` carries its own `@context` so it stands alone when copied out, targets
//! its story ([`ExportStory::uri`]: the public URL, else a `urn:sha256:` of the text, never
//! a path) with a `TextQuoteSelector` (`exact`, `prefix`, `suffix`) and a
//! `TextPositionSelector` (`start`, `end` in chars, i.e. Unicode code points), and has
//! bodies with a `purpose`. An orphaned annotation (its words are gone from the story) has
//! the quote selector only, and `"factmark:anchorState": "orphaned"`: its old position
//! would place it on the wrong words in any importer.
//! Bodies:
//! - `tagging`: the label, then each tag;
//! - `describing`: the statement;
//! - `assessing`: the verdict;
//! - `commenting`: the rationale (marked `"factmark:role": "rationale"`) and each comment
//!   (with its `creator` and `created`);
//! - `linking`: each source, as a `SpecificResource` (a highlight source points at the
//!   other annotation's id and is marked `"factmark:highlight": true`).
//!
//! What the model has and W3C has no term for (claimant and its kind, status, review URL,
//! anchor state, a source's title, note and accessed date) travels in `factmark:`
//! properties. The `@context` defines the `factmark` prefix ([`NAMESPACE`]), so JSON-LD
//! processors expand them to full IRIs instead of guessing; other readers ignore them.
//! [`crate::import`] reads all of it back.
//! This module must not depend on any UI crate.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::{Annotation, Source};
use crate::text::sha256_hex;

use super::{ExportSet, ExportStory, annotation_iri};

/// The JSON-LD context of the Web Annotation model.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The IRI factmark's own terms expand to (`factmark:status` -> `urn:factmark:status`). A
/// URN, so it claims no web domain and is never fetched.
pub const NAMESPACE: &str = "urn:factmark:";

/// The `@context` of the collection and of each annotation: the Web Annotation context,
/// then the `factmark` prefix.
#[derive(Serialize, Clone, Copy)]
struct Context(&'static str, FactmarkPrefix);

#[derive(Serialize, Clone, Copy)]
struct FactmarkPrefix {
    factmark: &'static str,
}

const FULL_CONTEXT: Context = Context(
    CONTEXT,
    FactmarkPrefix {
        factmark: NAMESPACE,
    },
);

// Typed, borrowing structs rather than `serde_json::Value`: an order of magnitude faster on
// big sets, and the key order stays the one written here.

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: Context,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<W3cAnnotation<'a>>,
}

#[derive(Serialize)]
struct W3cAnnotation<'a> {
    #[serde(rename = "@context")]
    context: Context,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: String,
    modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Person<'a>>,
    body: Vec<Body<'a>>,
    target: Target<'a>,
    #[serde(rename = "factmark:claimant", skip_serializing_if = "str::is_empty")]
    claimant: &'a str,
    #[serde(
        rename = "factmark:claimantKind",
        skip_serializing_if = "Option::is_none"
    )]
    claimant_kind: Option<&'static str>,
    #[serde(rename = "factmark:status")]
    status: crate::model::Status,
    #[serde(rename = "factmark:reviewUrl", skip_serializing_if = "Option::is_none")]
    review_url: Option<&'a str>,
    #[serde(
        rename = "factmark:anchorState",
        skip_serializing_if = "Option::is_none"
    )]
    anchor_state: Option<&'static str>,
    /// SPEC 9: the wording the verdict was checked against, while the story says otherwise.
    #[serde(
        rename = "factmark:checkedWording",
        skip_serializing_if = "Option::is_none"
    )]
    checked_wording: Option<&'a str>,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

fn person(name: &str) -> Person<'_> {
    Person {
        kind: "Person",
        name,
    }
}

#[derive(Serialize)]
struct Target<'a> {
    source: &'a str,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Selector<'a> {
    Quote(QuoteSelector<'a>),
    Position(PositionSelector),
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// Every body shape in one struct; absent parts are left out of the JSON.
#[derive(Serialize, Default)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Person<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(rename = "factmark:role", skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    #[serde(rename = "factmark:highlight", skip_serializing_if = "Option::is_none")]
    highlight: Option<bool>,
    #[serde(rename = "factmark:title", skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(rename = "factmark:note", skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(rename = "factmark:accessed", skip_serializing_if = "Option::is_none")]
    accessed: Option<String>,
}

fn textual<'a>(purpose: &'static str, value: &'a str) -> Body<'a> {
    Body {
        kind: "TextualBody",
        purpose,
        value: Some(value),
        ..Default::default()
    }
}

pub fn to_w3c(set: &ExportSet) -> Result<Vec<u8>, String> {
    let uris: Vec<String> = set.stories.iter().map(ExportStory::uri).collect();
    let items: Vec<W3cAnnotation> = set
        .stories
        .iter()
        .zip(&uris)
        .flat_map(|(story, uri)| {
            story
                .annotations
                .iter()
                .map(move |a| annotation(story, uri, a))
        })
        .collect();
    // The collection needs an IRI; derive a stable one from what it covers.
    let collection_id = format!(
        "urn:factmark:collection:{}",
        &sha256_hex(&uris.join("\n"))[..16]
    );
    let doc = Collection {
        context: FULL_CONTEXT,
        id: collection_id.clone(),
        kind: "AnnotationCollection",
        label: collection_label(set),
        total: items.len(),
        first: Page {
            id: format!("{collection_id}:page:0"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(out)
}

fn collection_label(set: &ExportSet) -> String {
    match set.stories.as_slice() {
        [one] => format!("factmark annotations of {}", one.name),
        many => format!("factmark annotations of {} stories", many.len()),
    }
}

fn annotation<'a>(story: &'a ExportStory, uri: &'a str, a: &'a Annotation) -> W3cAnnotation<'a> {
    let orphaned = a.state.is_orphaned();
    W3cAnnotation {
        context: FULL_CONTEXT,
        id: annotation_iri(&a.id),
        kind: "Annotation",
        motivation: motivation(a),
        created: a.created.to_string(),
        modified: a.modified.to_string(),
        creator: (!a.author.is_empty()).then(|| person(&a.author)),
        body: bodies(story, a),
        target: Target {
            source: uri,
            selector: selectors(a),
        },
        claimant: &a.claimant,
        claimant_kind: (!a.claimant.is_empty() && !a.claimant_kind.is_person())
            .then(|| a.claimant_kind.name()),
        status: a.status,
        review_url: a.review_url.as_deref(),
        anchor_state: orphaned.then_some("orphaned"),
        checked_wording: a.checked_wording.as_deref().filter(|_| a.wording_changed()),
    }
}

/// The quote always; the position only while it still points at the quote's words.
fn selectors(a: &Annotation) -> Vec<Selector<'_>> {
    let mut out = vec![Selector::Quote(QuoteSelector {
        kind: "TextQuoteSelector",
        exact: &a.anchor.quote,
        prefix: &a.anchor.prefix,
        suffix: &a.anchor.suffix,
    })];
    if !a.state.is_orphaned() {
        out.push(Selector::Position(PositionSelector {
            kind: "TextPositionSelector",
            start: a.anchor.start,
            end: a.anchor.end,
        }));
    }
    out
}

fn motivation(a: &Annotation) -> &'static str {
    match a.label.to_lowercase().as_str() {
        "claim" => "assessing",
        "source" => "identifying",
        _ if a.verdict.is_some() => "assessing",
        _ => "highlighting",
    }
}

fn bodies<'a>(story: &'a ExportStory, a: &'a Annotation) -> Vec<Body<'a>> {
    let mut out = Vec::with_capacity(3 + a.tags.len() + a.sources.len() + a.comments.len());
    out.push(textual("tagging", &a.label));
    for tag in &a.tags {
        out.push(textual("tagging", tag));
    }
    if !a.statement.is_empty() {
        out.push(textual("describing", &a.statement));
    }
    if let Some(verdict) = &a.verdict {
        // The scale's spelling, so readers matching names exactly agree with us.
        let name = story.scale.find(verdict).map_or(verdict, |r| &r.name);
        out.push(textual("assessing", name));
    }
    if !a.rationale.is_empty() {
        out.push(Body {
            role: Some("rationale"),
            ..textual("commenting", &a.rationale)
        });
    }
    for c in &a.comments {
        out.push(Body {
            creator: Some(person(&c.author)),
            created: Some(c.time.to_string()),
            ..textual("commenting", &c.text)
        });
    }
    for s in &a.sources {
        out.push(source(s));
    }
    out
}

fn non_empty(t: &str) -> Option<&str> {
    (!t.is_empty()).then_some(t)
}

fn source(s: &Source) -> Body<'_> {
    let resource = Body {
        kind: "SpecificResource",
        purpose: "linking",
        ..Default::default()
    };
    match s {
        Source::External {
            url,
            title,
            note,
            accessed,
        } => Body {
            // Sources stored before URLs were normalised on entry are normalised here.
            source: Some(
                crate::sources::normalise_url(url).map_or(Cow::Borrowed(url.as_str()), Cow::Owned),
            ),
            title: non_empty(title),
            note: non_empty(note),
            accessed: accessed.map(|d| d.to_string()),
            ..resource
        },
        Source::Highlight { id, note } => Body {
            source: Some(Cow::Owned(annotation_iri(id))),
            highlight: Some(true),
            note: non_empty(note),
            ..resource
        },
    }
}
