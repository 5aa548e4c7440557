//! The fast sidecar writer: produces **exactly** the bytes `ron::ser::to_string_pretty`
//! produces for the same data with the sidecar's `PrettyConfig` (4-space indent, no struct
//! names, strings unescaped (`escape_strings(false)`: raw strings when they hold `"` or `\`),
//! chars escaped only for `\` and `'`, floats
//! in `Debug` form, timestamps and dates in jiff's display form), without going through
//! serde's generic machinery (which costs most of the time of a save, see
//! docs/PERFORMANCE.md). `tests/sidecar_codec.rs` proves the equality with a proptest against
//! the ron-based encoder; any change to the model's serde shape must be mirrored here (and in
//! [`super::read`]), or that test fails.
//!
//! What it must not do: touch files (saving is [`crate::store`]'s job).

use std::fmt::Write as _;

use super::{DismissedSuggestion, FileRef};
use crate::anchor::Anchor;
use crate::anchor::AnchorState;
use crate::model::{
    Annotation, Comment, Conflict, Field, FieldValue, Label, Link, Rating, RatingScale, Source,
    Status, WordingDecision,
};
use crate::sources::{SourceFormat, StoryMeta};

const INDENT: &str = "    ";

/// Serialises `file` exactly as the ron pretty printer would (without the final newline
/// `Sidecar::to_ron` adds).
pub(super) fn write(file: &FileRef<'_>) -> String {
    // Annotations dominate the size; ~1.3 KB each is typical of real sidecars.
    // Every struct is destructured without `..`: a field added to the model and not
    // written here fails to compile instead of being silently dropped on save.
    let FileRef {
        format,
        version,
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
    } = file;
    let mut w = Writer {
        out: String::with_capacity(1024 + annotations.len() * 1400),
    };
    w.open_struct();
    w.field(1, "format");
    w.str(format);
    w.end_field();
    w.field(1, "version");
    w.display(version);
    w.end_field();
    w.field(1, "story");
    w.str(story);
    w.end_field();
    w.field(1, "text_sha256");
    w.str(text_sha256);
    w.end_field();
    w.field(1, "text_chars");
    w.display(text_chars);
    w.end_field();
    w.field(1, "encoding");
    w.str(encoding);
    w.end_field();
    if let Some(labels) = labels {
        w.field(1, "labels");
        w.out.push_str("Some(");
        w.list(1, labels, Writer::label);
        w.out.push(')');
        w.end_field();
    }
    if let Some(scale) = rating_scale {
        w.field(1, "rating_scale");
        w.out.push_str("Some(");
        w.rating_scale(1, scale);
        w.out.push(')');
        w.end_field();
    }
    if let Some(format) = source_format {
        w.field(1, "source_format");
        w.out.push_str("Some(");
        w.out.push_str(source_format_name(**format));
        w.out.push(')');
        w.end_field();
    }
    if let Some(x) = extractor {
        w.field(1, "extractor");
        w.out.push_str("Some(");
        w.open_struct();
        w.field(2, "name");
        w.str(&x.name);
        w.end_field();
        w.field(2, "version");
        w.str(&x.version);
        w.end_field();
        w.close_struct(1);
        w.out.push(')');
        w.end_field();
    }
    if let Some(m) = meta {
        w.field(1, "meta");
        w.out.push_str("Some(");
        w.story_meta(1, m);
        w.out.push(')');
        w.end_field();
    }
    w.field(1, "annotations");
    w.list(1, annotations, Writer::annotation);
    w.end_field();
    if !dismissed_suggestions.is_empty() {
        w.field(1, "dismissed_suggestions");
        w.list(1, dismissed_suggestions, Writer::dismissed);
        w.end_field();
    }
    w.close_struct(0);
    w.out
}

struct Writer {
    out: String,
}

impl Writer {
    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }

    /// `(` of a struct with at least one field (every struct written here has one).
    fn open_struct(&mut self) {
        self.out.push_str("(\n");
    }

    fn close_struct(&mut self, depth: usize) {
        self.indent(depth);
        self.out.push(')');
    }

    /// The start of a field of a struct whose own `(` sits at `depth - 1`.
    fn field(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.out.push_str(name);
        self.out.push_str(": ");
    }

    fn end_field(&mut self) {
        self.out.push_str(",\n");
    }

    fn display(&mut self, v: impl std::fmt::Display) {
        // Writing to a String cannot fail.
        let _ = write!(self.out, "{v}");
    }

    /// A string as ron writes it without `escape_strings`, so a sidecar reads as a person
    /// wrote it (no `\'`, non-ASCII and line breaks as they are): plain `"..."` unless the
    /// text holds `"` or `\`, then a raw string `r#"..."#` with one `#` more than the
    /// longest run of `#` inside.
    fn str(&mut self, s: &str) {
        if memchr::memchr2(b'"', b'\\', s.as_bytes()).is_none() {
            self.out.push('"');
            self.out.push_str(s);
            self.out.push('"');
            return;
        }
        let mut longest = 0;
        let mut run = 0;
        for b in s.bytes() {
            run = if b == b'#' { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        self.out.push('r');
        for _ in 0..=longest {
            self.out.push('#');
        }
        self.out.push('"');
        self.out.push_str(s);
        self.out.push('"');
        for _ in 0..=longest {
            self.out.push('#');
        }
    }

    /// A value ron writes through `collect_str` (jiff timestamps and dates).
    fn display_str(&mut self, v: impl std::fmt::Display) {
        // Their display forms are plain ASCII with nothing `escape_debug` would change,
        // but go through the escaper anyway so the bytes match ron's by construction.
        let s = v.to_string();
        self.str(&s);
    }

    /// A list whose `[` sits at `depth`.
    fn list<T>(&mut self, depth: usize, items: &[T], mut item: impl FnMut(&mut Self, usize, &T)) {
        if items.is_empty() {
            self.out.push_str("[]");
            return;
        }
        self.out.push_str("[\n");
        for x in items {
            self.indent(depth + 1);
            item(self, depth + 1, x);
            self.out.push_str(",\n");
        }
        self.indent(depth);
        self.out.push(']');
    }

    fn label(&mut self, depth: usize, l: &Label) {
        let Label { name, color, key } = l;
        self.open_struct();
        self.field(depth + 1, "name");
        self.str(name);
        self.end_field();
        self.field(depth + 1, "color");
        self.str(color);
        self.end_field();
        self.field(depth + 1, "key");
        match *key {
            Some(c) => {
                self.out.push_str("Some('");
                if c == '\\' || c == '\'' {
                    self.out.push('\\');
                }
                self.out.push(c);
                self.out.push_str("')");
            }
            None => self.out.push_str("None"),
        }
        self.end_field();
        self.close_struct(depth);
    }

    fn story_meta(&mut self, depth: usize, m: &StoryMeta) {
        // Exhaustive, like the others: a new metadata field must be written here.
        let StoryMeta {
            url: _,
            headline: _,
            outlet: _,
            author: _,
            published: _,
        } = m;
        let d = depth + 1;
        self.open_struct();
        self.field(d, "url");
        self.opt_string(&m.url);
        self.end_field();
        self.field(d, "headline");
        self.str(&m.headline);
        self.end_field();
        self.field(d, "outlet");
        self.str(&m.outlet);
        self.end_field();
        self.field(d, "author");
        self.str(&m.author);
        self.end_field();
        self.field(d, "published");
        match m.published {
            Some(date) => {
                self.out.push_str("Some(");
                self.display_str(date);
                self.out.push(')');
            }
            None => self.out.push_str("None"),
        }
        self.end_field();
        self.close_struct(depth);
    }

    fn rating_scale(&mut self, depth: usize, scale: &RatingScale) {
        self.open_struct();
        let RatingScale { ratings } = scale;
        self.field(depth + 1, "ratings");
        self.list(depth + 1, ratings, Self::rating);
        self.end_field();
        self.close_struct(depth);
    }

    fn rating(&mut self, depth: usize, r: &Rating) {
        let Rating { name, value, color } = r;
        self.open_struct();
        self.field(depth + 1, "name");
        self.str(name);
        self.end_field();
        self.field(depth + 1, "value");
        self.display(value);
        self.end_field();
        self.field(depth + 1, "color");
        self.str(color);
        self.end_field();
        self.close_struct(depth);
    }

    fn dismissed(&mut self, depth: usize, d: &DismissedSuggestion) {
        self.open_struct();
        self.field(depth + 1, "anchor");
        self.anchor(depth + 1, &d.anchor);
        self.end_field();
        self.field(depth + 1, "by");
        self.str(&d.by);
        self.end_field();
        self.field(depth + 1, "at");
        self.display_str(d.at);
        self.end_field();
        self.close_struct(depth);
    }

    fn anchor(&mut self, depth: usize, a: &Anchor) {
        let Anchor {
            start,
            end,
            quote,
            prefix,
            suffix,
        } = a;
        self.open_struct();
        self.field(depth + 1, "start");
        self.display(start);
        self.end_field();
        self.field(depth + 1, "end");
        self.display(end);
        self.end_field();
        self.field(depth + 1, "quote");
        self.str(quote);
        self.end_field();
        self.field(depth + 1, "prefix");
        self.str(prefix);
        self.end_field();
        self.field(depth + 1, "suffix");
        self.str(suffix);
        self.end_field();
        self.close_struct(depth);
    }

    fn anchor_state(&mut self, depth: usize, s: &AnchorState) {
        match s {
            AnchorState::Anchored => self.out.push_str("Anchored"),
            AnchorState::Orphaned => self.out.push_str("Orphaned"),
            AnchorState::Reanchored { confidence } => {
                self.out.push_str("Reanchored");
                self.open_struct();
                self.field(depth + 1, "confidence");
                if confidence.is_nan() && confidence.is_sign_negative() {
                    self.out.push('-');
                }
                let _ = write!(self.out, "{confidence:?}");
                self.end_field();
                self.close_struct(depth);
            }
        }
    }

    fn opt_string(&mut self, v: &Option<String>) {
        match v {
            Some(s) => {
                self.out.push_str("Some(");
                self.str(s);
                self.out.push(')');
            }
            None => self.out.push_str("None"),
        }
    }

    fn source(&mut self, depth: usize, s: &Source) {
        match s {
            Source::External {
                url,
                title,
                note,
                accessed,
            } => {
                self.out.push_str("External");
                self.open_struct();
                self.field(depth + 1, "url");
                self.str(url);
                self.end_field();
                self.field(depth + 1, "title");
                self.str(title);
                self.end_field();
                self.field(depth + 1, "note");
                self.str(note);
                self.end_field();
                self.field(depth + 1, "accessed");
                match accessed {
                    Some(d) => {
                        self.out.push_str("Some(");
                        self.display_str(d);
                        self.out.push(')');
                    }
                    None => self.out.push_str("None"),
                }
                self.end_field();
                self.close_struct(depth);
            }
            Source::Highlight { id, note } => {
                self.out.push_str("Highlight");
                self.open_struct();
                self.field(depth + 1, "id");
                self.str(id.as_str());
                self.end_field();
                self.field(depth + 1, "note");
                self.str(note);
                self.end_field();
                self.close_struct(depth);
            }
        }
    }

    fn comment(&mut self, depth: usize, c: &Comment) {
        let Comment { author, time, text } = c;
        self.open_struct();
        self.field(depth + 1, "author");
        self.str(author);
        self.end_field();
        self.field(depth + 1, "time");
        self.display_str(time);
        self.end_field();
        self.field(depth + 1, "text");
        self.str(text);
        self.end_field();
        self.close_struct(depth);
    }

    fn status(&mut self, s: Status) {
        self.out.push_str(match s {
            Status::Draft => "Draft",
            Status::NeedsReview => "NeedsReview",
            Status::Approved => "Approved",
            Status::Disputed => "Disputed",
        });
    }

    fn conflict(&mut self, depth: usize, c: &Conflict) {
        let Conflict { field, theirs } = c;
        self.open_struct();
        self.field(depth + 1, "field");
        self.out.push_str(field_name(*field));
        self.end_field();
        self.field(depth + 1, "theirs");
        // Newtype and tuple variants do not indent their contents in ron's printer: a
        // struct inside opens at the variant's own depth.
        let d = depth + 1;
        match theirs {
            FieldValue::Anchor(a, s) => {
                self.out.push_str("Anchor(");
                self.anchor(d, a);
                self.out.push_str(", ");
                self.anchor_state(d, s);
            }
            FieldValue::Text(t) => {
                self.out.push_str("Text(");
                self.str(t);
            }
            FieldValue::Verdict(v) => {
                self.out.push_str("Verdict(");
                self.opt_string(v);
            }
            FieldValue::Sources(s) => {
                self.out.push_str("Sources(");
                self.list(d, s, Self::source);
            }
            FieldValue::Status(s) => {
                self.out.push_str("Status(");
                self.status(*s);
            }
            FieldValue::Tags(t) => {
                self.out.push_str("Tags(");
                self.list(d, t, |w, _, t| w.str(t));
            }
            FieldValue::Comments(c) => {
                self.out.push_str("Comments(");
                self.list(d, c, Self::comment);
            }
            FieldValue::ClaimantKind(k) => {
                self.out.push_str("ClaimantKind(");
                self.out.push_str(k.name());
            }
            FieldValue::Url(u) => {
                self.out.push_str("Url(");
                self.opt_string(u);
            }
            FieldValue::Wording(checked, decision) => {
                self.out.push_str("Wording(");
                self.opt_string(checked);
                self.out.push_str(", ");
                self.opt_wording_decision(d, decision.as_ref());
            }
            FieldValue::Links(l) => {
                self.out.push_str("Links(");
                self.list(d, l, Self::link);
            }
        }
        self.out.push(')');
        self.end_field();
        self.close_struct(depth);
    }

    fn annotation(&mut self, depth: usize, a: &Annotation) {
        let Annotation {
            id,
            anchor,
            state,
            label,
            statement,
            claimant,
            verdict,
            rationale,
            sources,
            status,
            tags,
            comments,
            author,
            created,
            modified,
            conflicts,
            claimant_kind,
            review_url,
            checked_wording,
            wording_decision,
            links,
        } = a;
        let d = depth + 1;
        self.open_struct();
        self.field(d, "id");
        self.str(id.as_str());
        self.end_field();
        self.field(d, "anchor");
        self.anchor(d, anchor);
        self.end_field();
        self.field(d, "state");
        self.anchor_state(d, state);
        self.end_field();
        self.field(d, "label");
        self.str(label);
        self.end_field();
        self.field(d, "statement");
        self.str(statement);
        self.end_field();
        self.field(d, "claimant");
        self.str(claimant);
        self.end_field();
        self.field(d, "verdict");
        self.opt_string(verdict);
        self.end_field();
        self.field(d, "rationale");
        self.str(rationale);
        self.end_field();
        self.field(d, "sources");
        self.list(d, sources, Self::source);
        self.end_field();
        self.field(d, "status");
        self.status(*status);
        self.end_field();
        self.field(d, "tags");
        self.list(d, tags, |w, _, t| w.str(t));
        self.end_field();
        self.field(d, "comments");
        self.list(d, comments, Self::comment);
        self.end_field();
        self.field(d, "author");
        self.str(author);
        self.end_field();
        self.field(d, "created");
        self.display_str(created);
        self.end_field();
        self.field(d, "modified");
        self.display_str(modified);
        self.end_field();
        if !conflicts.is_empty() {
            self.field(d, "conflicts");
            self.list(d, conflicts, Self::conflict);
            self.end_field();
        }
        if !claimant_kind.is_person() {
            self.field(d, "claimant_kind");
            self.out.push_str(claimant_kind.name());
            self.end_field();
        }
        if let Some(url) = review_url {
            self.field(d, "review_url");
            self.out.push_str("Some(");
            self.str(url);
            self.out.push(')');
            self.end_field();
        }
        if let Some(old) = checked_wording {
            self.field(d, "checked_wording");
            self.out.push_str("Some(");
            self.str(old);
            self.out.push(')');
            self.end_field();
        }
        if let Some(decision) = wording_decision {
            self.field(d, "wording_decision");
            self.opt_wording_decision(d, Some(decision));
            self.end_field();
        }
        if !links.is_empty() {
            self.field(d, "links");
            self.list(d, links, Self::link);
            self.end_field();
        }
        self.close_struct(depth);
    }

    fn link(&mut self, depth: usize, l: &Link) {
        let Link { kind, story, id } = l;
        self.open_struct();
        self.field(depth + 1, "kind");
        self.out.push_str(kind.name());
        self.end_field();
        self.field(depth + 1, "story");
        self.str(story);
        self.end_field();
        self.field(depth + 1, "id");
        self.str(id.as_str());
        self.end_field();
        self.close_struct(depth);
    }

    fn opt_wording_decision(&mut self, depth: usize, v: Option<&WordingDecision>) {
        let Some(WordingDecision {
            from,
            to,
            verdict_kept,
            by,
            at,
        }) = v
        else {
            self.out.push_str("None");
            return;
        };
        self.out.push_str("Some(");
        self.open_struct();
        self.field(depth + 1, "from");
        self.str(from);
        self.end_field();
        self.field(depth + 1, "to");
        self.str(to);
        self.end_field();
        self.field(depth + 1, "verdict_kept");
        self.display(verdict_kept);
        self.end_field();
        self.field(depth + 1, "by");
        self.str(by);
        self.end_field();
        self.field(depth + 1, "at");
        self.display_str(at);
        self.end_field();
        self.close_struct(depth);
        self.out.push(')');
    }
}

pub(super) fn source_format_name(f: SourceFormat) -> &'static str {
    match f {
        SourceFormat::Text => "Text",
        SourceFormat::Html => "Html",
        SourceFormat::Docx => "Docx",
    }
}

pub(super) fn field_name(f: Field) -> &'static str {
    match f {
        Field::Anchor => "Anchor",
        Field::Label => "Label",
        Field::Statement => "Statement",
        Field::Claimant => "Claimant",
        Field::Verdict => "Verdict",
        Field::Rationale => "Rationale",
        Field::Sources => "Sources",
        Field::Status => "Status",
        Field::Tags => "Tags",
        Field::Comments => "Comments",
        Field::ClaimantKind => "ClaimantKind",
        Field::ReviewUrl => "ReviewUrl",
        Field::Wording => "Wording",
        Field::Links => "Links",
    }
}
