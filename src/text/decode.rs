//! Decoding a story file into canonical text (SPEC 2): BOMs, UTF-8, legacy encodings,
//! line endings; refusing binary, empty and oversized files.
//!
//! This module never writes a story file.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::index::StoryText;
use crate::sources::{SourceError, SourceFormat, StoryMeta};

/// Turns `\r\n` and lone `\r` into `\n`; returns `text` itself when there is nothing to
/// change. Copies runs between `\r`s found by `memchr` rather than going char by char:
/// a 10 MB CRLF story costs a few milliseconds, not tens.
pub fn canonicalize(text: String) -> String {
    let bytes = text.as_bytes();
    let Some(first) = memchr::memchr(b'\r', bytes) else {
        return text;
    };
    let mut out = String::with_capacity(text.len());
    let mut run_start = 0;
    let mut at = Some(first);
    while let Some(cr) = at {
        // `\r` is ASCII, so every slice boundary here falls between chars.
        out.push_str(&text[run_start..cr]);
        out.push('\n');
        run_start = if bytes.get(cr + 1) == Some(&b'\n') {
            cr + 2
        } else {
            cr + 1
        };
        at = memchr::memchr(b'\r', &bytes[run_start..]).map(|i| run_start + i);
    }
    out.push_str(&text[run_start..]);
    out
}

/// Stories larger than this are refused: 64 MiB is far beyond any news story, and keeps
/// memory bounded (the text, its index and the window's caches).
pub const MAX_STORY_BYTES: u64 = 64 * 1024 * 1024;

/// A loaded story: its canonical text and how it was decoded.
#[derive(Clone, Debug)]
pub struct Story {
    pub path: PathBuf,
    pub text: StoryText,
    /// The encoding assumed, e.g. `UTF-8`, `UTF-16LE`, `windows-1252`.
    pub encoding: &'static str,
    /// True when the encoding was guessed (no BOM, not valid UTF-8): the UI says so.
    pub encoding_guessed: bool,
    /// What kind of file it is; HTML and Word stories' text is extracted (SPEC 11).
    pub format: SourceFormat,
    /// What the file says about the story (HTML meta, Word properties); empty for text.
    pub meta: StoryMeta,
}

impl Story {
    /// The story's file name, as stored in its sidecar.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

#[derive(Debug, Error)]
pub enum TextError {
    #[error("could not read {path}: {source}; check the path and that the file may be read")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is a folder, not a story file")]
    IsFolder { path: PathBuf },
    #[error("{path} looks like a binary file, not text; open a plain-text story (.txt, .md)")]
    Binary { path: PathBuf },
    #[error("{path} is empty: there is nothing to annotate")]
    Empty { path: PathBuf },
    #[error(
        "{path} is too large ({size} bytes; the limit is {limit} bytes); split it into smaller stories"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path} could not be opened: {source}")]
    Source { path: PathBuf, source: SourceError },
}

/// A decoded file: canonical text plus the encoding used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub guessed: bool,
}

/// Why bytes could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    Binary,
}

/// Decodes file bytes into canonical text (SPEC 2): a BOM decides (and is dropped), valid
/// UTF-8 is UTF-8, anything else is detected; binary data is refused, never "decoded".
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] for a buffer the caller gives up: plain UTF-8 becomes the text in place.
pub(super) fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    match String::from_utf8(bytes) {
        Ok(text)
            if encoding_rs::Encoding::for_bom(text.as_bytes()).is_none()
                && utf16_without_bom(text.as_bytes()).is_none()
                && !text.contains('\0') =>
        {
            if looks_binary_text(&text) {
                return Err(DecodeError::Binary);
            }
            Ok(Decoded {
                text: canonicalize(text),
                encoding: "UTF-8",
                guessed: false,
            })
        }
        Ok(text) => decode_legacy(text.as_bytes()),
        Err(e) => decode_legacy(e.as_bytes()),
    }
}

/// Everything but plain UTF-8: BOMs, UTF-16 without BOM, binary, detected legacy encodings.
fn decode_legacy(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if looks_binary_text(&text) {
            return Err(DecodeError::Binary);
        }
        return Ok(Decoded {
            text: canonicalize(text.into_owned()),
            encoding: encoding.name(),
            guessed: false,
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        if !looks_binary_text(&text) {
            return Ok(Decoded {
                text: canonicalize(text.into_owned()),
                encoding: encoding.name(),
                guessed: true,
            });
        }
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if looks_binary_text(text) {
            return Err(DecodeError::Binary);
        }
        return Ok(Decoded {
            text: canonicalize(text.to_owned()),
            encoding: "UTF-8",
            guessed: false,
        });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    if looks_binary_text(&text) {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded {
        text: canonicalize(text.into_owned()),
        encoding: encoding.name(),
        guessed: true,
    })
}

/// UTF-16 without a BOM shows as a NUL in every other byte of ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 >= pairs * 7 && even_nul * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Text that is mostly control characters (other than whitespace) is not a story.
fn looks_binary_text(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    if sample.is_empty() {
        return false;
    }
    let control = sample
        .iter()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || **c == '\u{fffd}'
        })
        .count();
    sample.contains(&'\0') || control * 10 > sample.len()
}

/// Reads, checks and decodes a story file.
pub fn load_story(path: &Path) -> Result<Story, TextError> {
    let read_err = |source| TextError::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(TextError::IsFolder {
            path: path.to_owned(),
        });
    }
    if meta.len() > MAX_STORY_BYTES {
        return Err(TextError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit: MAX_STORY_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let format = SourceFormat::of_path(path);
    let source_err = |source| TextError::Source {
        path: path.to_owned(),
        source,
    };
    let (decoded, meta) = match format {
        SourceFormat::Docx => {
            let got = crate::sources::docx::extract(&bytes).map_err(source_err)?;
            let decoded = Decoded {
                text: canonicalize(got.text),
                encoding: "UTF-8",
                guessed: false,
            };
            (decoded, got.meta)
        }
        SourceFormat::Text | SourceFormat::Html => {
            let mut decoded =
                decode_owned(bytes).map_err(|DecodeError::Binary| TextError::Binary {
                    path: path.to_owned(),
                })?;
            let mut meta = StoryMeta::default();
            if format == SourceFormat::Html {
                // The article, not the markup, is the canonical text.
                let got = crate::sources::html::extract(&decoded.text).map_err(source_err)?;
                decoded.text = canonicalize(got.text);
                meta = got.meta;
            }
            (decoded, meta)
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(TextError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(Story {
        path: path.to_owned(),
        text: StoryText::new(decoded.text),
        encoding: decoded.encoding,
        encoding_guessed: decoded.guessed,
        format,
        meta,
    })
}
