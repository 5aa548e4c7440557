//! HTML stories: the article's main text, readability-style, through `dom_smoothie`, with
//! its title, byline, outlet, date and canonical URL.
//!
//! The canonical text is the extracted article, one paragraph per block separated by an
//! empty line ([`super::tidy_paragraphs`]), never the markup: navigation, ads, footers and
//! scripts are not part of the story. The metadata comes from `<link rel=canonical>`,
//! `og:` / `article:` meta tags and JSON-LD `NewsArticle` (the last two read by
//! `dom_smoothie`).
//!
//! What it must not do: read files or fetch anything (a page's relative links stay as
//! they are), or depend on another factmark module.

use dom_smoothie::{Config, Readability, TextMode};

use super::{Extracted, Extractor, SourceError, StoryMeta, normalise_url, tidy_paragraphs};

/// The version of `dom_smoothie` this build uses (checked against `Cargo.lock` by a
/// test), and of factmark's own rules around it. Either changing means the extracted text
/// may change, so both are recorded.
const DOM_SMOOTHIE: &str = "0.19.0";
const RULES: u32 = 1;

/// The extractor recorded in the sidecars of HTML stories.
pub fn extractor() -> Extractor {
    Extractor {
        name: "dom_smoothie".to_owned(),
        version: format!("{DOM_SMOOTHIE}+factmark.{RULES}"),
    }
}

/// Elements marked as advertising by their class or id.
const AD_SELECTOR: &str = ".ad, .ads, .advert, .advertisement, .sponsored, .promo, \
    [id^=\"ad-\"], [id^=\"ads-\"], [class*=\"advert\"], [data-ad], [aria-label=\"Advertisement\"]";

/// Below this many chars of text a page is taken to have no article (a cookie wall, an
/// index page): better one clear sentence than a story made of menu items.
const MIN_ARTICLE_CHARS: usize = 80;

/// The article in `html` and what the page says about it.
pub fn extract(html: &str) -> Result<Extracted, SourceError> {
    let doc = dom_query::Document::from(html);
    let canonical = doc
        .select("link[rel~=canonical]")
        .attr("href")
        .map(|h| h.to_string());
    // factmark's own rule (part of RULES): readability keeps an ad block that sits next to
    // the article inside the same container, so blocks marked as ads go first.
    doc.select(AD_SELECTOR).remove();
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut reader = Readability::with_document(doc, None, Some(config))
        .map_err(|e| SourceError::Html(e.to_string()))?;
    let article = reader.parse().map_err(|_| SourceError::NoArticle)?;
    let text = tidy_paragraphs(article.text_content.lines());
    if text.chars().filter(|c| !c.is_whitespace()).count() < MIN_ARTICLE_CHARS {
        return Err(SourceError::NoArticle);
    }
    // A canonical link says which address is the story's own; og:url and JSON-LD `url`
    // (what dom_smoothie reports) come next. Relative or broken addresses are dropped.
    let url = canonical
        .iter()
        .chain(article.url.iter())
        .find_map(|u| normalise_url(u).ok())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let clean = |s: Option<&str>| {
        s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let meta = StoryMeta {
        url,
        headline: clean(Some(&article.title)),
        outlet: clean(article.site_name.as_deref()),
        author: clean(article.byline.as_deref()),
        published: article.published_time.as_deref().and_then(leading_date),
    };
    Ok(Extracted { text, meta })
}

/// The `YYYY-MM-DD` an RFC 3339 / ISO 8601 timestamp starts with.
fn leading_date(s: &str) -> Option<jiff::civil::Date> {
    s.trim().get(..10)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_version_is_the_one_built() {
        let lock = include_str!("../../Cargo.lock");
        let at = lock.find("name = \"dom_smoothie\"\nversion = \"");
        let version = at.and_then(|i| lock[i..].lines().nth(1)).unwrap_or("");
        assert_eq!(version, format!("version = \"{DOM_SMOOTHIE}\""));
    }

    #[test]
    fn a_page_without_an_article_is_refused() {
        let page = "<html><head><title>Log in</title></head><body><nav><a href=/>Home</a></nav>\
                    <form><input name=u></form></body></html>";
        assert_eq!(extract(page), Err(SourceError::NoArticle));
    }

    #[test]
    fn dates_are_read_from_timestamps() {
        assert_eq!(
            leading_date("2026-03-14T09:30:00+01:00"),
            Some(jiff::civil::date(2026, 3, 14))
        );
        assert_eq!(leading_date("March 14"), None);
    }
}
