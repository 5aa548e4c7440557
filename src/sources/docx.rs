//! Word stories (`.docx`): the text of the document's paragraphs, in order, and the title
//! and author from its document properties (`docProps/core.xml`).
//!
//! A `.docx` is a zip of XML parts; `word/document.xml` holds the body. Only `w:t` runs
//! are text (deleted text of tracked changes, `w:delText`, and field codes are not), a
//! `w:tab` is a space, a `w:br` ends a line, and each `w:p` is a paragraph. A
//! password-protected document is not a zip at all but an OLE compound file, recognised by
//! its signature.
//!
//! What it must not do: read files (it is given the bytes), or depend on another factmark
//! module.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Extracted, Extractor, SourceError, StoryMeta, tidy_paragraphs};

/// factmark's own reading rules; bump when they change the extracted text.
const RULES: u32 = 1;

/// Parts above this size are refused rather than inflated (a zip bomb guard).
const MAX_PART_BYTES: u64 = 64 << 20;

/// The extractor recorded in the sidecars of Word stories.
pub fn extractor() -> Extractor {
    Extractor {
        name: "factmark-docx".to_owned(),
        version: RULES.to_string(),
    }
}

/// The signature of an OLE compound file: what Word writes for an encrypted document.
const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The paragraphs and properties of the Word document in `bytes`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, SourceError> {
    if bytes.starts_with(&OLE_SIGNATURE) {
        return Err(SourceError::Encrypted);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| SourceError::BrokenZip)?;
    if zip
        .file_names()
        .any(|n| n.is_ok_and(|n| n == "EncryptedPackage"))
    {
        return Err(SourceError::Encrypted);
    }
    let body = part(&mut zip, "word/document.xml")?
        .ok_or_else(|| SourceError::Docx("it has no word/document.xml part".to_owned()))?;
    let paragraphs = paragraphs(&body)?;
    let text = tidy_paragraphs(paragraphs.iter().map(String::as_str));
    if text.trim().is_empty() {
        return Err(SourceError::EmptyDocument);
    }
    let meta = match part(&mut zip, "docProps/core.xml")? {
        Some(core) => properties(&core)?,
        None => StoryMeta::default(),
    };
    Ok(Extracted { text, meta })
}

/// One part of the archive as text; `None` when the document has no such part.
fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, SourceError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
            return Err(SourceError::Encrypted);
        }
        Err(_) => return Err(SourceError::BrokenZip),
    };
    if file.encrypted() {
        return Err(SourceError::Encrypted);
    }
    if file.size() > MAX_PART_BYTES {
        return Err(SourceError::Docx(format!("its part {name} is too large")));
    }
    let mut text = String::new();
    file.take(MAX_PART_BYTES)
        .read_to_string(&mut text)
        .map_err(|_| SourceError::BrokenZip)?;
    Ok(Some(text))
}

fn xml_error(e: impl std::fmt::Display) -> SourceError {
    SourceError::Docx(format!("its XML is malformed ({e})"))
}

/// The text of an entity or character reference (`&amp;`, `&#8217;`).
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String, SourceError> {
    if let Some(c) = r.resolve_char_ref().map_err(xml_error)? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(xml_error)?;
    Ok(quick_xml::escape::resolve_xml_entity(&name)
        .unwrap_or_default()
        .to_owned())
}

/// Each `w:p`'s text, in document order (tables' cells are paragraphs too).
fn paragraphs(xml: &str) -> Result<Vec<String>, SourceError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"p" => current.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => current.push(' '),
                // A line break inside a paragraph: a paragraph break in the canonical text
                // would change how a re-export groups it, a space keeps the sentence.
                b"br" | b"cr" => current.push(' '),
                b"p" => out.push(String::new()),
                _ => {}
            },
            Event::Text(t) if in_text => current.push_str(&t.xml10_content().map_err(xml_error)?),
            Event::GeneralRef(r) if in_text => current.push_str(&reference(&r)?),
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => out.push(std::mem::take(&mut current)),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `dc:title` and `dc:creator` of the core properties.
fn properties(xml: &str) -> Result<StoryMeta, SourceError> {
    let mut reader = Reader::from_str(xml);
    let mut meta = StoryMeta::default();
    let mut field: Option<&'static str> = None;
    let mut value = String::new();
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) => {
                field = match e.local_name().as_ref() {
                    b"title" => Some("title"),
                    b"creator" => Some("creator"),
                    _ => None,
                };
                value.clear();
            }
            Event::Text(t) if field.is_some() => {
                value.push_str(&t.xml10_content().map_err(xml_error)?)
            }
            Event::GeneralRef(r) if field.is_some() => value.push_str(&reference(&r)?),
            Event::End(_) => {
                let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
                match field.take() {
                    Some("title") => meta.headline = v,
                    Some("creator") => meta.author = v,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_and_protected_documents_are_told_apart() {
        assert_eq!(
            extract(b"PK\x03\x04 not really"),
            Err(SourceError::BrokenZip)
        );
        let mut ole = OLE_SIGNATURE.to_vec();
        ole.extend_from_slice(&[0; 504]);
        assert_eq!(extract(&ole), Err(SourceError::Encrypted));
    }

    #[test]
    fn paragraphs_skip_deleted_text_and_resolve_entities() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>Tom &amp; Jerry</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">say &#8220;hi&#8221;</w:t></w:r></w:p>
            <w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:t>kept</w:t></w:r></w:p>
            <w:p/>
        </w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml).ok(),
            Some(vec![
                "Tom & Jerry say \u{201c}hi\u{201d}".to_owned(),
                "kept".to_owned(),
                String::new()
            ])
        );
    }
}
