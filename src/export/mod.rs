//! Exports (SPEC 7): turning an annotation set into CSV, JSON, W3C Web Annotation,
//! ClaimReview, Markdown or HTML bytes.
//!
//! The flow is always the same: build an [`ExportSet`] (one story's annotations or a whole
//! folder's, filtered by [`Filter`]), then call [`export`] with a [`Format`] and
//! [`ExportOptions`], then write the bytes with [`write_file`] (atomic: a temp file renamed
//! into place, so a failed export never leaves a half-written file) or to standard output.
//! The window calls the same three functions.
//!
//! Every format writes annotations in the set's order: stories in the order given (folders
//! sorted by path), annotations by `(start, end, id)`. Positions are chars (SPEC 3).
//!
//! Each format lives in its own file and is a pure function of the set and options: no
//! clock, no environment, so the same set always gives the same bytes (golden tests rely
//! on it). This module must not depend on any UI crate and never writes a sidecar.

pub mod claimreview;
pub mod csv;
pub mod json;
pub mod report;
pub mod w3c;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use thiserror::Error;

use crate::anchor::AnchorState;
use crate::context::StoryContext;
use crate::model::{Annotation, AnnotationId, Label, RatingScale, Status};
use crate::reanchor;
use crate::settings::SettingsError;
use crate::sources::{StoryMeta, UrlError, normalise_url};
use crate::store::{self, StoreError};
use crate::text::{StoryText, TextError, load_story};
use crate::workspace;

/// The formats `factmark export --format` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Json,
    W3c,
    ClaimReview,
    Markdown,
    Html,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Csv,
        Format::Json,
        Format::W3c,
        Format::ClaimReview,
        Format::Markdown,
        Format::Html,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::W3c => "w3c",
            Format::ClaimReview => "claimreview",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// The usual file extension, for save dialogs.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::W3c => "jsonld",
            Format::ClaimReview => "jsonld",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ExportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase();
        let key = match key.as_str() {
            "md" => "markdown",
            "htm" => "html",
            "claim-review" => "claimreview",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == key)
            .ok_or_else(|| ExportError::UnknownFormat(s.to_owned()))
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(
        "unknown export format \"{0}\"; use one of csv, json, w3c, claimreview, markdown, html"
    )]
    UnknownFormat(String),
    #[error("unknown status \"{0}\"; use one of Draft, NeedsReview, Approved, Disputed")]
    UnknownStatus(String),
    #[error("{0}")]
    Story(#[from] TextError),
    #[error("{0}")]
    Sidecar(#[from] StoreError),
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error("could not list the folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} does not exist")]
    Missing { path: PathBuf },
    #[error(
        "ClaimReview needs the name of the organisation that publishes the reviews (--org-name)"
    )]
    NoOrganisation,
    #[error("{0}")]
    BadUrl(UrlError),
    #[error(
        "--source-uri gives one story its address, but this export has {0} stories; export them one at a time"
    )]
    SourceUriForMany(usize),
    #[error("could not encode the {format} export: {message}")]
    Encode { format: Format, message: String },
}

/// Which annotations to export. Within one kind the values are alternatives (any may match);
/// kinds combine (all must match). Empty kinds match everything. Names compare
/// case-insensitively.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub labels: Vec<String>,
    pub statuses: Vec<Status>,
    /// Rating names; `none` matches claims without a verdict.
    pub verdicts: Vec<String>,
    pub tags: Vec<String>,
}

impl Filter {
    /// Parses status names as typed on the command line (`needs-review` works).
    pub fn parse_statuses(names: &[String]) -> Result<Vec<Status>, ExportError> {
        names
            .iter()
            .map(|n| Status::parse(n).ok_or_else(|| ExportError::UnknownStatus(n.clone())))
            .collect()
    }

    pub fn matches(&self, a: &Annotation) -> bool {
        let eq = |x: &str, y: &str| x.trim().to_lowercase() == y.trim().to_lowercase();
        (self.labels.is_empty() || self.labels.iter().any(|l| eq(l, &a.label)))
            && (self.statuses.is_empty() || self.statuses.contains(&a.status))
            && (self.verdicts.is_empty()
                || self.verdicts.iter().any(|v| match &a.verdict {
                    Some(verdict) => eq(v, verdict),
                    None => eq(v, "none"),
                }))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| a.tags.iter().any(|tag| eq(t, tag))))
    }
}

/// One story's part of an export.
#[derive(Clone, Debug)]
pub struct ExportStory {
    /// How the story is named in exports: its path relative to the folder that was
    /// exported, or its file name.
    pub name: String,
    /// The story's file, absolute when it was found on disk.
    pub path: PathBuf,
    /// SHA-256 of the canonical text the annotations are anchored to.
    pub text_sha256: String,
    pub labels: Vec<Label>,
    pub scale: RatingScale,
    /// The publisher of ClaimReviews in force for this story ([`StoryContext`]); the
    /// `--org-name` flag ([`ExportOptions::organisation`]) overrides it.
    pub organisation: Option<Organisation>,
    /// The selected annotations, in reading order.
    pub annotations: Vec<Annotation>,
    /// The story's public identity (SPEC 11): the sidecar's, filled in from the page.
    pub meta: StoryMeta,
    /// Quotes of every annotation of the story (selected or not), so a source that links to
    /// another highlight can show its text.
    quotes: std::collections::HashMap<AnnotationId, String>,
}

impl ExportStory {
    /// Builds a story's part from its text and all its annotations; anchors that no longer
    /// hold in `text` are re-anchored in memory first so exported positions are right.
    pub fn new(
        name: &str,
        path: &Path,
        text: &StoryText,
        all: &[Annotation],
        labels: Vec<Label>,
        scale: RatingScale,
        filter: &Filter,
    ) -> Self {
        let quotes = all
            .iter()
            .map(|a| (a.id.clone(), a.anchor.quote.clone()))
            .collect();
        let annotations = all
            .iter()
            .filter(|a| filter.matches(a))
            .map(|a| {
                if a.anchor.holds_in(text) || a.state == AnchorState::Orphaned {
                    a.clone()
                } else {
                    reanchor::apply(text, a, &reanchor::reanchor_one(text, &a.anchor))
                }
            })
            .collect::<Vec<_>>();
        let mut story = Self {
            name: name.to_owned(),
            path: path.to_owned(),
            text_sha256: text.sha256().to_owned(),
            labels,
            scale,
            organisation: None,
            meta: StoryMeta::default(),
            annotations,
            quotes,
        };
        story
            .annotations
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        story
    }

    /// The quote of another highlight of this story, if it exists.
    pub fn quote_of(&self, id: &AnnotationId) -> Option<&str> {
        self.quotes.get(id).map(String::as_str)
    }

    /// The story's identifier in exports (the W3C target `source`): its public URL when
    /// known, else `urn:sha256:` + the canonical text's hash. Never a `file:` URI: exports
    /// get published, and a path would show the newsroom's folders (SPEC 7).
    pub fn uri(&self) -> String {
        match &self.meta.url {
            Some(url) => url.clone(),
            None => text_urn(&self.text_sha256),
        }
    }
}

/// The annotations to export: one story's or several.
#[derive(Clone, Debug, Default)]
pub struct ExportSet {
    pub stories: Vec<ExportStory>,
}

impl ExportSet {
    /// Loads every story under `paths` (stories, sidecars or folders) with its sidecar and
    /// keeps the annotations `filter` selects. A story without a sidecar contributes no
    /// annotations; a path that is not a readable story, or a sidecar that cannot be
    /// parsed, is an error (an export never silently leaves work out).
    pub fn load(paths: &[PathBuf], filter: &Filter) -> Result<Self, ExportError> {
        let mut set = ExportSet::default();
        for path in paths {
            if path.is_dir() {
                let root = absolute(path);
                let stories =
                    workspace::find_stories(&root).map_err(|source| ExportError::Folder {
                        path: path.clone(),
                        source,
                    })?;
                for story in stories {
                    let name = story
                        .strip_prefix(&root)
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_else(|_| story.to_string_lossy().into_owned());
                    set.stories.push(load_story_part(&story, &name, filter)?);
                }
            } else {
                let story = store::story_path_for(path).unwrap_or_else(|| path.clone());
                if !story.exists() {
                    return Err(ExportError::Missing { path: story });
                }
                let story = absolute(&story);
                let name = story
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                set.stories.push(load_story_part(&story, &name, filter)?);
            }
        }
        Ok(set)
    }

    /// Gives the story its public address for this export (`--source-uri`), normalised. A
    /// set of several stories has no one address, so it is refused there.
    pub fn set_source_uri(&mut self, uri: &str) -> Result<(), ExportError> {
        let normal = normalise_url(uri).map_err(ExportError::BadUrl)?;
        match self.stories.as_mut_slice() {
            [one] => {
                one.meta.url = Some(normal);
                Ok(())
            }
            many => Err(ExportError::SourceUriForMany(many.len())),
        }
    }

    /// Number of selected annotations over all stories.
    pub fn len(&self) -> usize {
        self.stories.iter().map(|s| s.annotations.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn load_story_part(story: &Path, name: &str, filter: &Filter) -> Result<ExportStory, ExportError> {
    let loaded_story = load_story(story)?;
    let sidecar = store::load(&store::sidecar_path(story))?.map(|(loaded, _)| loaded.sidecar);
    // The labels, scale and organisation in force, as the window sees them.
    let context = StoryContext::for_story(story, sidecar.as_ref()).map_err(|(e, _)| e)?;
    let sidecar_meta = sidecar.as_ref().and_then(|s| s.meta.clone());
    let annotations = sidecar
        .map(|s| s.annotations.into_vec())
        .unwrap_or_default();
    let mut part = ExportStory::new(
        name,
        story,
        &loaded_story.text,
        &annotations,
        context.labels,
        context.scale,
        filter,
    );
    part.organisation = context.organisation;
    part.meta = sidecar_meta.unwrap_or_default().or(&loaded_story.meta);
    Ok(part)
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
}

/// The publisher of ClaimReviews: the one type, in [`crate::settings`]. It comes from the
/// `--org-name` / `--org-url` flags, else from the story's [`crate::context::StoryContext`].
pub use crate::settings::Organisation;

/// Knobs some formats read; the defaults suit every format.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// CSV: start with a UTF-8 byte order mark so Excel reads the file as UTF-8.
    pub excel: bool,
    /// ClaimReview: the organisation that publishes the reviews.
    pub organisation: Organisation,
    /// ClaimReview: the page where the fact-check is published, when known (normalised);
    /// each claim's `url` is this plus `#claim-<id>` unless the claim has its own.
    pub review_url: Option<String>,
}

/// A claim ClaimReview could not include, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub story: String,
    pub id: AnnotationId,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: claim {} skipped: {}",
            self.story, self.id, self.reason
        )
    }
}

/// The bytes of an export, and what it had to leave out.
#[derive(Clone, Debug, Default)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub skipped: Vec<Skipped>,
}

/// Renders `set` in `format`.
pub fn export(
    set: &ExportSet,
    format: Format,
    options: &ExportOptions,
) -> Result<Exported, ExportError> {
    let encode = |e: String| ExportError::Encode { format, message: e };
    let mut skipped = Vec::new();
    let bytes = match format {
        Format::Csv => csv::to_csv(set, options).map_err(encode)?,
        Format::Json => json::to_json(set).map_err(encode)?,
        Format::W3c => w3c::to_w3c(set).map_err(encode)?,
        Format::ClaimReview => {
            let named = |o: &Organisation| !o.name.trim().is_empty();
            if !named(&options.organisation)
                && !set
                    .stories
                    .iter()
                    .all(|s| s.organisation.as_ref().is_some_and(named))
            {
                return Err(ExportError::NoOrganisation);
            }
            let (bytes, s) = claimreview::to_claimreview(set, options).map_err(encode)?;
            skipped = s;
            bytes
        }
        Format::Markdown => report::to_markdown(set).into_bytes(),
        Format::Html => report::to_html(set).into_bytes(),
    };
    Ok(Exported { bytes, skipped })
}

/// Writes an export atomically: a temp file in the same folder, synced, renamed over
/// `path`. On any error `path` is left as it was.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    store::write_atomic(path, bytes, false).map_err(ExportError::Sidecar)
}

/// The identifier of a story known only by its text: `urn:sha256:<hex>`. It names no
/// path, and two copies of the same text get the same one.
pub fn text_urn(sha256: &str) -> String {
    format!("urn:sha256:{sha256}")
}

/// A `file:` URI for a path: `/news/a b.txt` -> `file:///news/a%20b.txt`.
pub fn file_uri(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("file://");
    if !s.starts_with('/') {
        // A Windows drive path (`C:/...`) or a relative one: URIs need the third slash.
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path of a `file:` URI made by [`file_uri`] (percent-decoded); `None` for other URIs.
pub fn path_of_file_uri(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if raw[i] == b'%'
            && i + 2 < raw.len()
            && let (Some(hi), Some(lo)) = (hex(raw[i + 1]), hex(raw[i + 2]))
        {
            let v = (hi * 16 + lo) as u8;
            bytes.push(v);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

/// A few words of context on each side of a quote, for reports: the tail of the stored
/// prefix and the head of the stored suffix, at most `words` words each, line breaks as
/// spaces. A word cut in half by the stored context's length limit is dropped.
pub fn context_words(a: &Annotation, words: usize) -> (String, String) {
    let limit = crate::anchor::CONTEXT_CHARS;
    let flat = |s: &str| s.replace('\n', " ");
    let prefix = flat(&a.anchor.prefix);
    let suffix = flat(&a.anchor.suffix);
    let mut before: Vec<&str> = prefix.split(' ').collect();
    if a.anchor.prefix.chars().count() >= limit && before.len() > 1 {
        before.remove(0);
    }
    // The last piece is what touches the quote (often empty, i.e. a space before it).
    let keep = before.len().min(words + 1);
    let before = before[before.len() - keep..].join(" ");
    let mut after: Vec<&str> = suffix.split(' ').collect();
    if a.anchor.suffix.chars().count() >= limit && after.len() > 1 {
        after.pop();
    }
    let after = after[..after.len().min(words + 1)].join(" ");
    (before, after)
}

/// The W3C / JSON-LD id of an annotation (SPEC 7): UUIDs as `urn:uuid:X`, ids that are
/// already IRIs as they are, anything else (our ULIDs) as `urn:factmark:X`.
pub fn annotation_iri(id: &AnnotationId) -> String {
    let s = id.as_str();
    if is_uuid(s) {
        format!("urn:uuid:{s}")
    } else if s.contains(':') {
        s.to_owned()
    } else {
        format!("urn:factmark:{s}")
    }
}

/// The inverse of [`annotation_iri`].
pub fn id_of_iri(iri: &str) -> AnnotationId {
    let lower = iri.get(..13).map(str::to_ascii_lowercase);
    let stripped = match lower.as_deref() {
        Some(p) if p.starts_with("urn:uuid:") => &iri[9..],
        Some("urn:factmark:") => &iri[13..],
        _ => iri,
    };
    AnnotationId(stripped.to_owned())
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse_back() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().ok(), Some(f));
        }
        assert_eq!("MD".parse::<Format>().ok(), Some(Format::Markdown));
        assert!(matches!(
            "xml".parse::<Format>(),
            Err(ExportError::UnknownFormat(_))
        ));
    }

    #[test]
    fn ids_round_trip_through_iris() {
        for id in [
            "01HZX3V6K9Q2W8E4R7T5Y1U0IP",
            "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b",
            "https://hypothes.is/a/AbC123",
            "AbC123",
        ] {
            let id = AnnotationId(id.to_owned());
            assert_eq!(id_of_iri(&annotation_iri(&id)), id);
        }
        assert_eq!(
            annotation_iri(&AnnotationId(
                "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b".to_owned()
            )),
            "urn:uuid:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
        );
        assert_eq!(
            id_of_iri("URN:UUID:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b").as_str(),
            "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
        );
    }

    #[test]
    fn file_uris_escape_and_decode() {
        let p = Path::new("/news/ünï code/a b#1.txt");
        let uri = file_uri(p);
        assert_eq!(uri, "file:///news/%C3%BCn%C3%AF%20code/a%20b%231.txt");
        assert_eq!(path_of_file_uri(&uri).as_deref(), Some(p));
    }
}
