//! ClaimReview export (schema.org JSON-LD): one `ClaimReview` per claim with a verdict, as
//! a JSON array ready to paste into a CMS.
//!
//! Each review has `claimReviewed` (the statement, or the quote when there is none),
//! `reviewRating` (`ratingValue` from the rating scale, `bestRating` / `worstRating` of the
//! scale, `alternateName` = the verdict's name), `itemReviewed` (a `Claim` with its
//! `author` = the claimant and `appearance` = the story), `author` (the publishing
//! organisation), `datePublished` (the day the claim was last changed, UTC), `reviewBody`
//! (the rationale) and `url` when the publication page is known.
//!
//! Claims (label `Claim`) without a verdict, or whose verdict is not on the story's rating
//! scale, are returned as [`Skipped`] for the caller to report; other labels (sources,
//! notes) are not claims and are left out silently.
//!
//! Limitation: the story's own URL and publication date are not known to factmark yet, so
//! `appearance` names the story and `itemReviewed.datePublished` is omitted.
//! This module must not depend on any UI crate.

use serde_json::{Map, Value, json};

use crate::model::Annotation;

use super::{ExportOptions, ExportSet, ExportStory, Skipped};

pub const CONTEXT: &str = "https://schema.org";

/// The caller ([`super::export`]) has checked that the organisation has a name.
pub fn to_claimreview(
    set: &ExportSet,
    options: &ExportOptions,
) -> Result<(Vec<u8>, Vec<Skipped>), String> {
    let mut reviews = Vec::new();
    let mut skipped = Vec::new();
    for story in &set.stories {
        for a in story
            .annotations
            .iter()
            .filter(|a| ExportStory::is_claim(a))
        {
            match review(story, a, options) {
                Ok(v) => reviews.push(v),
                Err(reason) => skipped.push(Skipped {
                    story: story.name.clone(),
                    id: a.id.clone(),
                    reason,
                }),
            }
        }
    }
    let mut out = serde_json::to_vec_pretty(&Value::Array(reviews)).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok((out, skipped))
}

fn review(story: &ExportStory, a: &Annotation, options: &ExportOptions) -> Result<Value, String> {
    let verdict = a
        .verdict
        .as_deref()
        .ok_or_else(|| "it has no verdict yet".to_owned())?;
    let rating = story
        .scale
        .find(verdict)
        .ok_or_else(|| format!("its verdict \"{verdict}\" is not on the rating scale"))?;

    let mut claim = Map::new();
    claim.insert("@type".into(), "Claim".into());
    if !a.claimant.is_empty() {
        claim.insert(
            "author".into(),
            json!({ "@type": "Person", "name": a.claimant }),
        );
    }
    claim.insert(
        "appearance".into(),
        json!({ "@type": "CreativeWork", "name": story.name }),
    );

    let mut org = Map::new();
    org.insert("@type".into(), "Organization".into());
    org.insert("name".into(), options.organisation.name.clone().into());
    if let Some(url) = &options.organisation.url {
        org.insert("url".into(), url.clone().into());
    }

    let mut r = Map::new();
    r.insert("@context".into(), CONTEXT.into());
    r.insert("@type".into(), "ClaimReview".into());
    let reviewed = if a.statement.trim().is_empty() {
        &a.anchor.quote
    } else {
        &a.statement
    };
    r.insert("claimReviewed".into(), reviewed.clone().into());
    r.insert(
        "reviewRating".into(),
        json!({
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": story.scale.best(),
            "worstRating": story.scale.worst(),
            "alternateName": rating.name,
        }),
    );
    r.insert("itemReviewed".into(), Value::Object(claim));
    r.insert("author".into(), Value::Object(org));
    r.insert(
        "datePublished".into(),
        a.modified.strftime("%Y-%m-%d").to_string().into(),
    );
    if !a.rationale.is_empty() {
        r.insert("reviewBody".into(), a.rationale.clone().into());
    }
    if let Some(url) = &options.review_url {
        r.insert("url".into(), url.clone().into());
    }
    Ok(Value::Object(r))
}
