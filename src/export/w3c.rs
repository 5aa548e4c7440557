//! W3C Web Annotation export (JSON-LD): one `AnnotationCollection` whose first (and only)
//! `AnnotationPage` holds every annotation of the set.
//!
//! Each `Annotation` carries its own `@context` so it stands alone when copied out, targets
//! its story's `file:` URI with a `TextQuoteSelector` (`exact`, `prefix`, `suffix`) and a
//! `TextPositionSelector` (`start`, `end` in chars, i.e. Unicode code points), and has
//! bodies with a `purpose`:
//! - `tagging`: the label, then each tag;
//! - `describing`: the statement;
//! - `assessing`: the verdict;
//! - `commenting`: the rationale (marked `"factmark:role": "rationale"`) and each comment
//!   (with its `creator` and `created`);
//! - `linking`: each source, as a `SpecificResource` (a highlight source points at the
//!   other annotation's id and is marked `"factmark:highlight": true`).
//!
//! What the model has and W3C has no term for (claimant, status, a source's title, note and
//! accessed date) travels in `factmark:` properties, which JSON-LD keeps as absolute IRIs
//! and other readers ignore. [`crate::import`] reads all of it back.
//! This module must not depend on any UI crate.

use serde_json::{Map, Value, json};

use crate::model::{Annotation, Source};
use crate::text::sha256_hex;

use super::{ExportSet, ExportStory, annotation_iri};

/// The JSON-LD context of the Web Annotation model.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

pub fn to_w3c(set: &ExportSet) -> Result<Vec<u8>, String> {
    let items: Vec<Value> = set
        .stories
        .iter()
        .flat_map(|story| story.annotations.iter().map(move |a| annotation(story, a)))
        .collect();
    // The collection needs an IRI; derive a stable one from what it covers.
    let uris: Vec<String> = set.stories.iter().map(ExportStory::uri).collect();
    let collection_id = format!(
        "urn:factmark:collection:{}",
        &sha256_hex(&uris.join("\n"))[..16]
    );
    let doc = json!({
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": collection_label(set),
        "total": items.len(),
        "first": {
            "id": format!("{collection_id}:page:0"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
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

/// One annotation as a W3C `Annotation`.
pub fn annotation(story: &ExportStory, a: &Annotation) -> Value {
    let mut obj = Map::new();
    obj.insert("@context".into(), CONTEXT.into());
    obj.insert("id".into(), annotation_iri(&a.id).into());
    obj.insert("type".into(), "Annotation".into());
    obj.insert("motivation".into(), motivation(a).into());
    obj.insert("created".into(), a.created.to_string().into());
    obj.insert("modified".into(), a.modified.to_string().into());
    if !a.author.is_empty() {
        obj.insert("creator".into(), person(&a.author));
    }
    obj.insert("body".into(), Value::Array(bodies(story, a)));
    obj.insert(
        "target".into(),
        json!({
            "source": story.uri(),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.anchor.quote,
                    "prefix": a.anchor.prefix,
                    "suffix": a.anchor.suffix,
                },
                {
                    "type": "TextPositionSelector",
                    "start": a.anchor.start,
                    "end": a.anchor.end,
                },
            ],
        }),
    );
    if !a.claimant.is_empty() {
        obj.insert("factmark:claimant".into(), a.claimant.clone().into());
    }
    obj.insert(
        "factmark:status".into(),
        serde_json::to_value(a.status).unwrap_or(Value::Null),
    );
    Value::Object(obj)
}

fn motivation(a: &Annotation) -> &'static str {
    match a.label.to_lowercase().as_str() {
        "claim" => "assessing",
        "source" => "identifying",
        _ if a.verdict.is_some() => "assessing",
        _ => "highlighting",
    }
}

fn person(name: &str) -> Value {
    json!({ "type": "Person", "name": name })
}

fn textual(purpose: &str, value: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), "TextualBody".into());
    m.insert("purpose".into(), purpose.into());
    m.insert("value".into(), value.into());
    m
}

fn bodies(story: &ExportStory, a: &Annotation) -> Vec<Value> {
    let mut out = Vec::with_capacity(3 + a.tags.len() + a.sources.len() + a.comments.len());
    out.push(Value::Object(textual("tagging", &a.label)));
    for tag in &a.tags {
        out.push(Value::Object(textual("tagging", tag)));
    }
    if !a.statement.is_empty() {
        out.push(Value::Object(textual("describing", &a.statement)));
    }
    if let Some(verdict) = &a.verdict {
        // The scale's spelling, so readers matching names exactly agree with us.
        let name = story.scale.find(verdict).map_or(verdict, |r| &r.name);
        out.push(Value::Object(textual("assessing", name)));
    }
    if !a.rationale.is_empty() {
        let mut m = textual("commenting", &a.rationale);
        m.insert("factmark:role".into(), "rationale".into());
        out.push(Value::Object(m));
    }
    for c in &a.comments {
        let mut m = textual("commenting", &c.text);
        m.insert("creator".into(), person(&c.author));
        m.insert("created".into(), c.time.to_string().into());
        out.push(Value::Object(m));
    }
    for s in &a.sources {
        out.push(source(s));
    }
    out
}

fn source(s: &Source) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), "SpecificResource".into());
    m.insert("purpose".into(), "linking".into());
    match s {
        Source::External {
            url,
            title,
            note,
            accessed,
        } => {
            m.insert("source".into(), url.clone().into());
            if !title.is_empty() {
                m.insert("factmark:title".into(), title.clone().into());
            }
            if !note.is_empty() {
                m.insert("factmark:note".into(), note.clone().into());
            }
            if let Some(d) = accessed {
                m.insert("factmark:accessed".into(), d.to_string().into());
            }
        }
        Source::Highlight { id, note } => {
            m.insert("source".into(), annotation_iri(id).into());
            m.insert("factmark:highlight".into(), true.into());
            if !note.is_empty() {
                m.insert("factmark:note".into(), note.clone().into());
            }
        }
    }
    Value::Object(m)
}
