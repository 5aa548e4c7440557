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

use serde::Serialize;

use crate::model::Annotation;

use super::{ExportOptions, ExportSet, ExportStory, Skipped};

pub const CONTEXT: &str = "https://schema.org";

// Typed, borrowing structs (not `serde_json::Value`): fast on big sets, fixed key order.

#[derive(Serialize)]
struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "reviewRating")]
    review_rating: Rating<'a>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
    author: Organization<'a>,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "reviewBody", skip_serializing_if = "str::is_empty")]
    review_body: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue")]
    rating_value: i32,
    #[serde(rename = "bestRating")]
    best_rating: i32,
    #[serde(rename = "worstRating")]
    worst_rating: i32,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    appearance: Named<'a>,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The caller ([`super::export`]) has checked that the organisation has a name.
pub fn to_claimreview(
    set: &ExportSet,
    options: &ExportOptions,
) -> Result<(Vec<u8>, Vec<Skipped>), String> {
    let mut reviews = Vec::new();
    let mut skipped = Vec::new();
    for story in &set.stories {
        for a in story.annotations.iter().filter(|a| a.is_claim()) {
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
    let mut out = serde_json::to_vec_pretty(&reviews).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok((out, skipped))
}

fn review<'a>(
    story: &'a ExportStory,
    a: &'a Annotation,
    options: &'a ExportOptions,
) -> Result<ClaimReview<'a>, String> {
    // The flag wins; else the story's folder settings (`export` refuses to run without one).
    let organisation = match &story.organisation {
        Some(o) if options.organisation.name.trim().is_empty() => o,
        _ => &options.organisation,
    };
    let verdict = a
        .verdict
        .as_deref()
        .ok_or_else(|| "it has no verdict yet".to_owned())?;
    let rating = story
        .scale
        .find(verdict)
        .ok_or_else(|| format!("its verdict \"{verdict}\" is not on the rating scale"))?;
    let claim_reviewed = if a.statement.trim().is_empty() {
        &a.anchor.quote
    } else {
        &a.statement
    };
    Ok(ClaimReview {
        context: CONTEXT,
        kind: "ClaimReview",
        claim_reviewed,
        review_rating: Rating {
            kind: "Rating",
            rating_value: rating.value,
            best_rating: story.scale.best(),
            worst_rating: story.scale.worst(),
            alternate_name: &rating.name,
        },
        item_reviewed: Claim {
            kind: "Claim",
            author: (!a.claimant.is_empty()).then_some(Named {
                kind: "Person",
                name: &a.claimant,
            }),
            appearance: Named {
                kind: "CreativeWork",
                name: &story.name,
            },
        },
        author: Organization {
            kind: "Organization",
            name: &organisation.name,
            url: organisation.url.as_deref(),
        },
        date_published: a.modified.strftime("%Y-%m-%d").to_string(),
        review_body: &a.rationale,
        url: options.review_url.as_deref(),
    })
}
