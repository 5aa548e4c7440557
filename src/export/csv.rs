//! CSV export: one row per annotation under a header row, RFC 4180 quoting (the `csv`
//! crate), safe to open in a spreadsheet.
//!
//! Formula injection: a cell whose text starts with `=`, `+`, `-`, `@`, tab or carriage
//! return would be run as a formula by Excel, LibreOffice or Sheets; such cells get a
//! leading `'`, which spreadsheets take as "show as text". Numbers (positions) are never
//! negative, so no real value is changed by this.
//!
//! Multi-valued fields share a cell: sources one per line (`title <url>`), tags joined
//! with `; `, comments one per line (`author (time): text`).
//! This module must not depend on any UI crate.

use crate::anchor::AnchorState;
use crate::model::{Annotation, Source};

use super::{ExportOptions, ExportSet, ExportStory};

/// The header row, in column order.
pub const COLUMNS: [&str; 19] = [
    "story",
    "id",
    "label",
    "start",
    "end",
    "quote",
    "statement",
    "claimant",
    "verdict",
    "rationale",
    "status",
    "sources",
    "tags",
    "comments",
    "author",
    "created",
    "modified",
    "anchor_state",
    // SPEC 9: the wording the verdict was checked against, when the story changed since.
    "checked_wording",
];

/// The UTF-8 byte order mark `--excel` puts first.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

pub fn to_csv(set: &ExportSet, options: &ExportOptions) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(set.len() * 256 + 256);
    if options.excel {
        out.extend_from_slice(BOM);
    }
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    let mut row: Vec<String> = Vec::with_capacity(COLUMNS.len());
    for story in &set.stories {
        for a in &story.annotations {
            row.clear();
            fill_row(story, a, &mut row);
            for cell in &row {
                w.write_field(neutralise(cell).as_bytes())
                    .map_err(|e| e.to_string())?;
            }
            w.write_record(None::<&[u8]>).map_err(|e| e.to_string())?;
        }
    }
    w.into_inner().map_err(|e| e.to_string())
}

fn fill_row(story: &ExportStory, a: &Annotation, row: &mut Vec<String>) {
    row.push(story.name.clone());
    row.push(a.id.to_string());
    row.push(a.label.clone());
    row.push(a.anchor.start.to_string());
    row.push(a.anchor.end.to_string());
    row.push(a.anchor.quote.clone());
    row.push(a.statement.clone());
    row.push(a.claimant.clone());
    row.push(a.verdict.clone().unwrap_or_default());
    row.push(a.rationale.clone());
    row.push(a.status.name().to_owned());
    row.push(
        a.sources
            .iter()
            .map(|s| source_text(story, s))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    row.push(a.tags.join("; "));
    row.push(
        a.comments
            .iter()
            .map(|c| format!("{} ({}): {}", c.author, c.time, c.text))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    row.push(a.author.clone());
    row.push(a.created.to_string());
    row.push(a.modified.to_string());
    row.push(
        match a.state {
            AnchorState::Anchored => "anchored",
            AnchorState::Reanchored { .. } => "needs confirming",
            AnchorState::Orphaned => "orphaned",
        }
        .to_owned(),
    );
    row.push(
        a.checked_wording
            .clone()
            .filter(|_| a.wording_changed())
            .unwrap_or_default(),
    );
}

fn source_text(story: &ExportStory, s: &Source) -> String {
    match s {
        Source::External { url, title, .. } if title.is_empty() => url.clone(),
        Source::External { url, title, .. } => format!("{title} <{url}>"),
        Source::Highlight { id, .. } => match story.quote_of(id) {
            Some(q) => format!("highlight \u{201c}{q}\u{201d}"),
            None => format!("highlight {id}"),
        },
    }
}

/// Prefixes a cell that a spreadsheet would read as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            let out = neutralise(bad);
            assert!(out.starts_with('\''), "{bad:?} -> {out:?}");
            assert_eq!(&out[1..], bad);
        }
        for fine in ["plain", "1-2", " =x", ""] {
            assert_eq!(neutralise(fine), fine);
        }
    }
}
