//! The sidecar in memory (SPEC 5): the [`Sidecar`] type, its on-disk shape, versions and
//! migration, and the fast codec (`write.rs`, `read.rs`) with the `ron` crate as the reference.
//!
//! What this module promises:
//! - **Deterministic**: the same [`Sidecar`] always gives the same bytes (annotations sorted
//!   by `(start, end, id)`, fixed field order, pretty-printed, trailing newline).
//! - **Versioned**: older versions are migrated on parse (`migrate.rs`); newer ones are
//!   refused with [`StoreError::NewerVersion`] so the caller opens the story read-only.
//! - **Fast, with ron as the reference**: the bytes are written by a hand-made encoder and
//!   read by a hand-made reader for the canonical layout, several times faster than serde
//!   through the `ron` crate on large sidecars. The writer's output is proven byte-identical
//!   to ron's pretty printer (`tests/sidecar_codec.rs`); whatever the fast reader does not
//!   understand (comments, hand edits in other layouts, errors) is parsed by the `ron`
//!   crate, which also gives the line and column of errors.
//!
//! What it must not do: any file I/O (reading, locking and saving atomically is
//! [`crate::store`]'s job), or depend on `store` or `merge`. [`StoreError`] lives here
//! because parsing produces it; its I/O variants are filled in by `store`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{Annotation, AnnotationSet, Label, RatingScale};
use crate::sources::{Extractor, SourceFormat, StoryMeta};

mod migrate;
mod read;
mod write;

use migrate::migrate;
use read as ron_fast_read;
use write as ron_fast_write;

/// The `format` tag every sidecar starts with.
pub const FORMAT: &str = "factmark";
/// The sidecar version this build writes.
pub const VERSION: u32 = 1;
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("could not read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "could not save {path}: {source}; the previous sidecar is unchanged and your edits are kept: \
         make the folder writable (or free space) and save again"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a valid sidecar: line {line}, column {column}: {message}; \
         it is left as it is: fix it there, or restore {path}.bak"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path} is not a factmark sidecar (its format tag is \"{found}\")")]
    NotASidecar { path: PathBuf, found: String },
    #[error(
        "{path} was written by a newer factmark (sidecar version {version}, this one knows up to {VERSION}); \
         it is opened read-only so nothing is lost: update factmark to edit it"
    )]
    NewerVersion { path: PathBuf, version: u32 },
    #[error("{path} is too large to be a sidecar ({size} bytes)")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("could not encode the sidecar: {0}")]
    Encode(String),
}

impl StoreError {
    /// True when the file on disk exists but could not be understood: it must not be
    /// overwritten, and the story opens read-only.
    pub fn is_unreadable_file(&self) -> bool {
        !matches!(self, StoreError::Write { .. } | StoreError::Encode(_))
    }
}

/// Everything a sidecar holds, in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Sidecar {
    /// The story's file name (not a path: the sidecar sits next to it).
    pub story: String,
    /// SHA-256 of the story's canonical text when the annotations were last anchored.
    pub text_sha256: String,
    /// Length of that text in chars.
    pub text_chars: usize,
    /// The encoding the story was decoded with, e.g. `UTF-8` or `windows-1252`.
    pub encoding: String,
    /// Per-story label overrides; `None` = folder settings or defaults.
    pub labels: Option<Vec<Label>>,
    /// Per-story rating scale override.
    pub rating_scale: Option<RatingScale>,
    // Story sources (SPEC 11). `None` for plain-text stories and for sidecars written
    // before they existed; omitted from the file then, so old sidecars keep their bytes.
    /// What kind of file the story is (`Some` for HTML and Word stories).
    pub source_format: Option<SourceFormat>,
    /// The extractor (and version) the canonical text came from.
    pub extractor: Option<Extractor>,
    /// The story's public URL, headline, outlet, author and date, as confirmed or typed.
    pub meta: Option<StoryMeta>,
    pub annotations: AnnotationSet,
    /// Suggested claims (SPEC 13) someone dismissed for this story, so the window hides
    /// them for everyone who opens it. Kept in the order they were dismissed.
    pub dismissed_suggestions: Vec<DismissedSuggestion>,
}

/// A suggestion someone decided is not worth checking: where it was (re-anchored like a
/// highlight when the story changes), who dismissed it and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DismissedSuggestion {
    pub anchor: crate::anchor::Anchor,
    pub by: String,
    pub at: jiff::Timestamp,
}

impl DismissedSuggestion {
    /// Two dismissals are of the same suggestion when they hide the same text at the same
    /// place (who and when do not matter; the merge unions by this key).
    pub fn same_place(&self, other: &DismissedSuggestion) -> bool {
        self.anchor.quote == other.anchor.quote
            && self.anchor.start == other.anchor.start
            && self.anchor.end == other.anchor.end
    }
}

impl Sidecar {
    /// An empty sidecar for a story.
    pub fn new(story: &str, text_sha256: &str, text_chars: usize, encoding: &str) -> Self {
        Self {
            story: story.to_owned(),
            text_sha256: text_sha256.to_owned(),
            text_chars,
            encoding: encoding.to_owned(),
            labels: None,
            rating_scale: None,
            source_format: None,
            extractor: None,
            meta: None,
            annotations: AnnotationSet::default(),
            dismissed_suggestions: Vec::new(),
        }
    }

    /// Records where the story's text came from (SPEC 11): its format and extractor (a
    /// newer extractor shows as a changed text hash, and re-anchors like an edited story),
    /// and the file's own metadata unless the sidecar already has some (a person's edits
    /// are never replaced by what the page says).
    pub fn record_source(&mut self, format: SourceFormat, meta: &StoryMeta) {
        self.source_format = (format != SourceFormat::Text).then_some(format);
        self.extractor = format.extractor();
        if self.meta.is_none() && !meta.is_empty() {
            self.meta = Some(meta.clone());
        }
    }

    /// The exact bytes this sidecar is saved as.
    ///
    /// Written by a hand-made encoder (`write.rs`) that produces the same bytes as the
    /// ron crate's pretty printer ([`Sidecar::to_ron_reference`]) several times faster.
    pub fn to_ron(&self) -> Result<String, StoreError> {
        let mut text = ron_fast_write::write(&self.file_ref());
        text.push('\n');
        Ok(text)
    }

    /// The same bytes as [`Sidecar::to_ron`], through the ron crate's serializer: the
    /// reference the fast encoder is tested against. Not for production use.
    #[doc(hidden)]
    pub fn to_ron_reference(&self) -> Result<String, StoreError> {
        self.to_ron_with(false)
    }

    /// The layout of sidecars written before strings were unescaped (every string through
    /// `char::escape_debug`): what older files on disk look like. For tests of the reader.
    #[doc(hidden)]
    pub fn to_ron_escaped_reference(&self) -> Result<String, StoreError> {
        self.to_ron_with(true)
    }

    fn to_ron_with(&self, escape_strings: bool) -> Result<String, StoreError> {
        let config = ron::ser::PrettyConfig::new()
            .indentor("    ")
            .new_line("\n")
            .struct_names(false)
            .separate_tuple_members(false)
            .enumerate_arrays(false)
            .compact_arrays(false)
            // Sidecars are read and diffed by people: no `\'`, accents and line breaks as
            // typed. Strings holding `"` or `\` become raw strings, which ron reads back.
            .escape_strings(escape_strings);
        let mut text = ron::ser::to_string_pretty(&self.file_ref(), config)
            .map_err(|e| StoreError::Encode(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    fn file_ref(&self) -> FileRef<'_> {
        // No `..`: a field added to `Sidecar` must be given to the writer to compile.
        let Sidecar {
            story,
            text_sha256,
            text_chars,
            encoding,
            labels,
            rating_scale,
            source_format,
            extractor,
            meta,
            annotations,
            dismissed_suggestions,
        } = self;
        FileRef {
            format: FORMAT,
            version: VERSION,
            story,
            text_sha256,
            text_chars: *text_chars,
            encoding,
            labels: labels.as_ref(),
            rating_scale: rating_scale.as_ref(),
            source_format: source_format.as_ref(),
            extractor: extractor.as_ref(),
            meta: meta.as_ref(),
            annotations: annotations.as_slice(),
            dismissed_suggestions,
        }
    }

    /// Gives `text` to the fast reader and to the ron crate and describes any disagreement:
    /// the fast reader accepting what ron rejects, or the two reading different values.
    /// The fast reader declining (`None`, "not sure") is no disagreement: the ron crate
    /// then reads the file. For the fuzz target and `tests/sidecar_codec.rs`.
    #[doc(hidden)]
    pub fn fast_reader_disagreement(text: &str) -> Option<String> {
        let fast = ron_fast_read::read(text)?;
        match ron::from_str::<FileV1>(text) {
            Err(e) => Some(format!("the fast reader accepts what ron rejects: {e}")),
            Ok(reference) => {
                // Debug text, not `==`: a NaN confidence is the same value to both readers.
                let (a, b) = (format!("{fast:?}"), format!("{reference:?}"));
                (a != b).then(|| format!("fast reader: {a}\nron crate:   {b}"))
            }
        }
    }

    /// The fast reader alone: `None` when it does not understand the text (the real
    /// [`Sidecar::from_ron`] then falls back to the ron crate). For tests and benches.
    #[doc(hidden)]
    pub fn from_ron_fast(text: &str) -> Option<Sidecar> {
        let file = ron_fast_read::read(text)?;
        let (annotations, duplicates) = AnnotationSet::from_vec(file.annotations);
        duplicates.is_empty().then_some(Sidecar {
            story: file.story,
            text_sha256: file.text_sha256,
            text_chars: file.text_chars,
            encoding: file.encoding,
            labels: file.labels,
            rating_scale: file.rating_scale,
            source_format: file.source_format,
            extractor: file.extractor,
            meta: file.meta,
            annotations,
            dismissed_suggestions: file.dismissed_suggestions,
        })
    }

    /// [`Sidecar::from_ron`] without the fast reader: the ron crate alone. For tests.
    #[doc(hidden)]
    pub fn from_ron_reference(text: &str, path: &Path) -> Result<Loaded, StoreError> {
        Ok(Self::from_file(Self::parse_with_ron(text, path)?))
    }

    /// Parses sidecar text. `path` is only used in error messages.
    pub fn from_ron(text: &str, path: &Path) -> Result<Loaded, StoreError> {
        // The fast reader handles what factmark itself writes; anything it does not
        // understand (comments, hand edits in another layout, errors) goes to the ron crate,
        // which stays the reference and reports errors with line and column.
        match ron_fast_read::read(text) {
            Some(file) if file.format == FORMAT && file.version == VERSION => {
                Ok(Self::from_file((file, VERSION)))
            }
            _ => Ok(Self::from_file(Self::parse_with_ron(text, path)?)),
        }
    }

    /// The ron crate's path. The common case, a sidecar of the current version, is parsed
    /// in one pass. Anything else reads the header alone first, so a newer or foreign file
    /// is told apart from a broken one.
    fn parse_with_ron(text: &str, path: &Path) -> Result<(FileV1, u32), StoreError> {
        match ron::from_str::<FileV1>(text) {
            Ok(file) if file.format == FORMAT && file.version == VERSION => Ok((file, VERSION)),
            _ => Self::parse_with_header(text, path),
        }
    }

    /// Builds the sidecar from its on-disk shape; a repeated id gets a new one.
    fn from_file((file, version): (FileV1, u32)) -> Loaded {
        let (annotations, duplicates) = AnnotationSet::from_vec(file.annotations);
        let mut sidecar = Sidecar {
            story: file.story,
            text_sha256: file.text_sha256,
            text_chars: file.text_chars,
            encoding: file.encoding,
            labels: file.labels,
            rating_scale: file.rating_scale,
            source_format: file.source_format,
            extractor: file.extractor,
            meta: file.meta,
            annotations,
            dismissed_suggestions: file.dismissed_suggestions,
        };
        // A hand-edited file may repeat an id. Nothing is dropped: the copy gets a new id,
        // `<id>-2`, `<id>-3`... The renaming is deterministic, so every reader of the same
        // file (another editor's factmark, the merge driver, this process parsing its merge
        // base again) gives the copy the same id.
        let mut renamed = Vec::new();
        for mut dup in duplicates {
            let old = dup.id.clone();
            let mut n = 2;
            while sidecar.annotations.get(&dup.id).is_some() {
                dup.id = crate::model::AnnotationId(format!("{old}-{n}"));
                n += 1;
            }
            renamed.push((old, dup.id.clone()));
            sidecar.annotations.insert(dup);
        }
        Loaded {
            sidecar,
            migrated_from: (version != VERSION).then_some(version),
            renamed_duplicates: renamed,
        }
    }

    /// Reads the format tag and version on their own, then the rest as that version says.
    fn parse_with_header(text: &str, path: &Path) -> Result<(FileV1, u32), StoreError> {
        let header: Header = ron::from_str(text).map_err(|e| parse_error(path, text, &e))?;
        if header.format != FORMAT {
            return Err(StoreError::NotASidecar {
                path: path.to_owned(),
                found: header.format,
            });
        }
        if header.version > VERSION {
            return Err(StoreError::NewerVersion {
                path: path.to_owned(),
                version: header.version,
            });
        }
        let file = migrate(header.version, text, path)?;
        Ok((file, header.version))
    }
}

/// A parsed sidecar and what loading had to fix.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub sidecar: Sidecar,
    /// The version it was migrated from, if it was older.
    pub migrated_from: Option<u32>,
    /// Duplicate ids found in the file: `(old id, new id)` of each copy that was renamed.
    pub renamed_duplicates: Vec<(crate::model::AnnotationId, crate::model::AnnotationId)>,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// The on-disk shape, for writing (borrowed, so saving does not clone the set).
#[derive(Serialize)]
pub(crate) struct FileRef<'a> {
    format: &'a str,
    version: u32,
    story: &'a str,
    text_sha256: &'a str,
    text_chars: usize,
    encoding: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<&'a Vec<Label>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rating_scale: Option<&'a RatingScale>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_format: Option<&'a SourceFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extractor: Option<&'a Extractor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<&'a StoryMeta>,
    annotations: &'a [Annotation],
    // Omitted when empty, so sidecars without dismissals keep their bytes.
    #[serde(skip_serializing_if = "<[DismissedSuggestion]>::is_empty")]
    dismissed_suggestions: &'a [DismissedSuggestion],
}

/// The on-disk shape of the current version, for reading.
#[derive(Debug, Deserialize)]
pub(crate) struct FileV1 {
    format: String,
    version: u32,
    story: String,
    text_sha256: String,
    text_chars: usize,
    encoding: String,
    #[serde(default)]
    labels: Option<Vec<Label>>,
    #[serde(default)]
    rating_scale: Option<RatingScale>,
    #[serde(default)]
    source_format: Option<SourceFormat>,
    #[serde(default)]
    extractor: Option<Extractor>,
    #[serde(default)]
    meta: Option<StoryMeta>,
    #[serde(default)]
    annotations: Vec<Annotation>,
    #[serde(default)]
    dismissed_suggestions: Vec<DismissedSuggestion>,
}

pub(super) fn parse_error(path: &Path, text: &str, e: &ron::error::SpannedError) -> StoreError {
    let (line, column) = error_position(text, e);
    StoreError::Parse {
        path: path.to_owned(),
        line,
        column,
        message: e.code.to_string(),
    }
}

/// Where a RON error is, as 1-based (line, column) in chars, pointing at the offending
/// token. Shared with the other RON files factmark reads (folder settings).
pub(crate) fn error_position(text: &str, e: &ron::error::SpannedError) -> (usize, usize) {
    first_non_blank(text, e.span.start, e.span.end)
}

/// RON's error span starts before the whitespace it skipped on the way to the offending
/// token; the user should be pointed at the token itself: the first non-blank char in
/// `start..end` (1-based line and column in chars), or `start` if there is none.
fn first_non_blank(
    text: &str,
    start: ron::error::Position,
    end: ron::error::Position,
) -> (usize, usize) {
    let (mut line, mut col) = (start.line, start.col);
    for l in text.split('\n').skip(start.line.saturating_sub(1)) {
        let skip = if line == start.line {
            start.col.saturating_sub(1)
        } else {
            0
        };
        for c in l.chars().skip(skip) {
            if (line, col) >= (end.line, end.col) || !c.is_whitespace() {
                return (line, col);
            }
            col += 1;
        }
        if line >= end.line {
            break;
        }
        line += 1;
        col = 1;
    }
    (start.line, start.col)
}
