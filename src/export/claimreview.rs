//! ClaimReview export (schema.org JSON-LD): one `ClaimReview` per claim with a verdict, as
//! a JSON array ready to paste into a CMS.
//!
//! Each review has `claimReviewed` (the statement, or the quote when there is none),
//! `reviewRating`, `itemReviewed` (a `Claim` with its `author` = the claimant, a `Person`
//! or an `Organization` as the claim says, and `appearance` = the story: its URL, headline,
//! date, author and outlet when known), `author` (the publishing organisation),
//! `datePublished` (the day the claim was last changed, UTC), `reviewBody` (the rationale)
//! and `url` (the page where the fact-check is published).
//!
//! Ratings. A verdict on the true..false line (value >= 1) gets `ratingValue` with the
//! scale's `bestRating` / `worstRating`, so the value always lies within them. A verdict
//! off that line (the default scale's Misleading 0 and Unproven -1) is not a degree of
//! truth: it carries only `name` and `alternateName`. (The other choice, declaring a worst
//! of -1, would tell aggregators that "Unproven" is less true than "False".)
//!
//! `url` is the claim's own review URL, else `--review-url` plus `#claim-<id>` (one page,
//! one anchor per claim). Claims without a verdict, with a verdict not on the story's
//! rating scale, or without any review URL are returned as [`Skipped`] with the reason;
//! other labels (sources, notes) are not claims and are left out silently.
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
    url: String,
}

#[derive(Serialize)]
struct Rating<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    rating_value: Option<i32>,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    best_rating: Option<i32>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    worst_rating: Option<i32>,
    name: &'a str,
    #[serde(rename = "alternateName")]
    alternate_name: &'a str,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    appearance: Appearance<'a>,
}

/// The story the claim appeared in (a schema.org `CreativeWork`).
#[derive(Serialize)]
struct Appearance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    headline: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
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
    let url = match (&a.review_url, &options.review_url) {
        (Some(own), _) => own.clone(),
        (None, Some(page)) => format!("{}#claim-{}", page.split('#').next().unwrap_or(page), a.id),
        (None, None) => {
            return Err(
                "it has no review URL (set the claim's, or give --review-url for the page)"
                    .to_owned(),
            );
        }
    };
    // Stored URLs entered normalised; one written before that is normalised here, so the
    // published `url` is always a valid URI.
    let url = crate::sources::normalise_url(&url).unwrap_or(url);
    // Off the true..false line (below the scale's worst true-false point): a name only.
    let on_line = rating.value >= story.scale.worst();
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
            rating_value: on_line.then_some(rating.value),
            best_rating: on_line.then(|| story.scale.best()),
            worst_rating: on_line.then(|| story.scale.worst()),
            name: &rating.name,
            alternate_name: &rating.name,
        },
        item_reviewed: Claim {
            kind: "Claim",
            author: (!a.claimant.is_empty()).then_some(Named {
                kind: a.claimant_kind.name(),
                name: &a.claimant,
            }),
            appearance: appearance(story),
        },
        author: Organization {
            kind: "Organization",
            name: &organisation.name,
            url: organisation.url.as_deref(),
        },
        date_published: a.modified.strftime("%Y-%m-%d").to_string(),
        review_body: &a.rationale,
        url,
    })
}

fn appearance(story: &ExportStory) -> Appearance<'_> {
    let m = &story.meta;
    Appearance {
        kind: "CreativeWork",
        url: m.url.as_deref(),
        headline: &m.headline,
        // Without a headline the story's file name is all a reader has to go on; it names
        // no folder.
        name: if m.headline.trim().is_empty() {
            &story.name
        } else {
            ""
        },
        date_published: m.published.map(|d| d.to_string()),
        author: (!m.author.trim().is_empty()).then_some(Named {
            kind: "Person",
            name: &m.author,
        }),
        publisher: (!m.outlet.trim().is_empty()).then_some(Named {
            kind: "Organization",
            name: &m.outlet,
        }),
    }
}
