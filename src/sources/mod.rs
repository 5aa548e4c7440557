//! Story sources (SPEC 11): what a story file is (plain text, an HTML page, a Word
//! document), how its canonical text and metadata are extracted, and the story metadata
//! itself ([`StoryMeta`]). Also the one URL normaliser ([`normalise_url`]) every URL that
//! enters factmark goes through (inspector, import, settings, HTML metadata, the CLI).
//!
//! - [`html`]: an article's main text, title, byline, date and canonical URL (`dom_smoothie`).
//! - [`docx`]: a Word document's paragraphs, title and author (`zip` + `quick-xml`).
//!
//! Extraction is deterministic (the same bytes give the same text) and versioned: the
//! [`Extractor`] that produced a text is recorded in the sidecar, so a newer extractor that
//! changes the text is noticed through the text's hash and re-anchors like an edited story.
//!
//! What it must not do: read or write files (the caller passes bytes; [`crate::text`]
//! reads the story), or import any other factmark module: it sits at the bottom of the
//! module map so `text`, `model` and `sidecar` can all use it.

pub mod docx;
pub mod html;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What kind of file a story is, by extension.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceFormat {
    /// `.txt`, `.md` and anything else: the decoded file is the canonical text.
    #[default]
    Text,
    /// `.html`, `.htm`: the article's extracted main text.
    Html,
    /// `.docx`: the paragraphs' text.
    Docx,
}

impl SourceFormat {
    /// The format of a story file, from its extension (case-insensitive).
    pub fn of_path(path: &std::path::Path) -> Self {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => SourceFormat::Html,
            "docx" => SourceFormat::Docx,
            _ => SourceFormat::Text,
        }
    }

    /// The extractor that turns this format into canonical text; `None` for plain text.
    pub fn extractor(self) -> Option<Extractor> {
        match self {
            SourceFormat::Text => None,
            SourceFormat::Html => Some(html::extractor()),
            SourceFormat::Docx => Some(docx::extractor()),
        }
    }
}

/// Which code produced a story's canonical text, and which version of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Extractor {
    pub name: String,
    pub version: String,
}

/// A story's public identity: where and by whom it was published. Every field is optional;
/// exports use what is known and never invent the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryMeta {
    /// The story's public address, normalised ([`normalise_url`]).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub headline: String,
    /// The publication (newspaper, site) that ran the story.
    #[serde(default)]
    pub outlet: String,
    #[serde(default)]
    pub author: String,
    /// The day the story was published.
    #[serde(default)]
    pub published: Option<jiff::civil::Date>,
}

impl StoryMeta {
    pub fn is_empty(&self) -> bool {
        *self == StoryMeta::default()
    }

    /// `self`, with each empty field filled from `other` (what a person typed wins over what
    /// was extracted from the page).
    pub fn or(&self, other: &StoryMeta) -> StoryMeta {
        let text = |a: &String, b: &String| {
            if a.trim().is_empty() {
                b.clone()
            } else {
                a.clone()
            }
        };
        StoryMeta {
            url: self.url.clone().or_else(|| other.url.clone()),
            headline: text(&self.headline, &other.headline),
            outlet: text(&self.outlet, &other.outlet),
            author: text(&self.author, &other.author),
            published: self.published.or(other.published),
        }
    }
}

/// Why a story file could not be read as its format. Each is one sentence for the user.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SourceError {
    #[error(
        "the page has no article text that could be extracted (is it an index or a login page?)"
    )]
    NoArticle,
    #[error("the page could not be read as HTML: {0}")]
    Html(String),
    #[error("the file is not a Word document (the zip archive is broken or incomplete)")]
    BrokenZip,
    #[error("the Word document is password-protected; save an unprotected copy and open that")]
    Encrypted,
    #[error("the Word document could not be read: {0}")]
    Docx(String),
    #[error("the Word document has no text")]
    EmptyDocument,
}

/// A story format's output: the canonical text and what the file says about the story.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    pub meta: StoryMeta,
}

/// Why a URL was refused.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("\"{input}\" is not a web address: {reason}")]
pub struct UrlError {
    pub input: String,
    pub reason: String,
}

/// Parses `input` as an absolute URL and returns its normalised form (the `url` crate's
/// serialisation: lower-case scheme and host, IDNA host, spaces and non-ASCII
/// percent-encoded, default port dropped), so every export carries a valid URI.
/// `https://de.example.org/bericht/straße 0` becomes
/// `https://de.example.org/bericht/stra%C3%9Fe%200`. Leading and trailing blanks are
/// ignored. `urn:` and other non-hierarchical URIs are kept as the crate writes them.
pub fn normalise_url(input: &str) -> Result<String, UrlError> {
    let trimmed = input.trim();
    url::Url::parse(trimmed)
        .map(String::from)
        .map_err(|e| UrlError {
            input: trimmed.to_owned(),
            reason: e.to_string(),
        })
}

/// [`normalise_url`] for the address of a web page (a story's public URL): it must be http
/// or https and name a host, so no export ever names a local file (`file:///home/...`).
pub fn normalise_web_url(input: &str) -> Result<String, UrlError> {
    let url = normalise_url(input)?;
    let refuse = |reason: &str| UrlError {
        input: input.trim().to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(&url).map_err(|e| refuse(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse("use the page's full http:// or https:// address"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(refuse("it names no host"));
    }
    Ok(url)
}

/// Collapses a text's runs of blanks inside lines, trims each line, keeps at most one empty
/// line between paragraphs, and ends with one newline: the shape of every extracted text,
/// so two extractions of equivalent markup give the same canonical text.
pub(crate) fn tidy_paragraphs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for p in paragraphs {
        let line = p.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&line);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_url_is_http_or_https_with_a_host() {
        assert_eq!(
            normalise_web_url(" https://News.example/a b ").as_deref(),
            Ok("https://news.example/a%20b")
        );
        for bad in [
            "file:///home/ana/story.txt",
            "mailto:desk@news.example",
            "no url",
        ] {
            let e = normalise_web_url(bad).expect_err(bad);
            assert_eq!(e.input, bad);
        }
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalise_url(" https://de.example.org/bericht/straße 0 ").as_deref(),
            Ok("https://de.example.org/bericht/stra%C3%9Fe%200")
        );
        assert_eq!(
            normalise_url("HTTPS://Example.ORG:443/a").as_deref(),
            Ok("https://example.org/a")
        );
        assert_eq!(
            normalise_url("https://bücher.example/").as_deref(),
            Ok("https://xn--bcher-kva.example/")
        );
        assert!(normalise_url("not a url").is_err());
        assert!(normalise_url("/home/me/story.txt").is_err());
    }

    #[test]
    fn formats_by_extension() {
        use std::path::Path;
        assert_eq!(
            SourceFormat::of_path(Path::new("a/B.HTM")),
            SourceFormat::Html
        );
        assert_eq!(
            SourceFormat::of_path(Path::new("x.docx")),
            SourceFormat::Docx
        );
        assert_eq!(
            SourceFormat::of_path(Path::new("x.txt")),
            SourceFormat::Text
        );
        assert_eq!(SourceFormat::Text.extractor(), None);
    }

    #[test]
    fn typed_metadata_wins_over_extracted() {
        let typed = StoryMeta {
            headline: "Typed".into(),
            ..Default::default()
        };
        let page = StoryMeta {
            headline: "From page".into(),
            author: "A. Writer".into(),
            ..Default::default()
        };
        let m = typed.or(&page);
        assert_eq!(
            (m.headline.as_str(), m.author.as_str()),
            ("Typed", "A. Writer")
        );
    }
}
