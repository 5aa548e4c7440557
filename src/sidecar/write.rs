//! The fast sidecar writer: produces **exactly** the bytes `ron::ser::to_string_pretty`
//! produces for the same data with the sidecar's `PrettyConfig` (4-space indent, no struct
//! names, strings escaped with `char::escape_debug`, chars escaped only for `\` and `'`, floats
//! in `Debug` form, timestamps and dates in jiff's display form), without going through
//! serde's generic machinery (which costs most of the time of a save, see
//! docs/PERFORMANCE.md). `tests/sidecar_codec.rs` proves the equality with a proptest against
//! the ron-based encoder; any change to the model's serde shape must be mirrored here (and in
//! [`super::read`]), or that test fails.
//!
//! What it must not do: touch files (saving is [`crate::store`]'s job).

use std::fmt::Write as _;
use std::sync::OnceLock;

use super::{DismissedSuggestion, FileRef};
use crate::anchor::Anchor;
use crate::anchor::AnchorState;
use crate::model::{
    Annotation, Comment, Conflict, Field, FieldValue, Label, Rating, RatingScale, Source, Status,
};

const INDENT: &str = "    ";

/// Serialises `file` exactly as the ron pretty printer would (without the final newline
/// `Sidecar::to_ron` adds).
pub(super) fn write(file: &FileRef<'_>) -> String {
    // Annotations dominate the size; ~1.3 KB each is typical of real sidecars.
    let mut w = Writer {
        out: String::with_capacity(1024 + file.annotations.len() * 1400),
    };
    w.open_struct();
    w.field(1, "format");
    w.str(file.format);
    w.end_field();
    w.field(1, "version");
    w.display(file.version);
    w.end_field();
    w.field(1, "story");
    w.str(file.story);
    w.end_field();
    w.field(1, "text_sha256");
    w.str(file.text_sha256);
    w.end_field();
    w.field(1, "text_chars");
    w.display(file.text_chars);
    w.end_field();
    w.field(1, "encoding");
    w.str(file.encoding);
    w.end_field();
    if let Some(labels) = file.labels {
        w.field(1, "labels");
        w.out.push_str("Some(");
        w.list(1, labels, Writer::label);
        w.out.push(')');
        w.end_field();
    }
    if let Some(scale) = file.rating_scale {
        w.field(1, "rating_scale");
        w.out.push_str("Some(");
        w.rating_scale(1, scale);
        w.out.push(')');
        w.end_field();
    }
    w.field(1, "annotations");
    w.list(1, file.annotations, Writer::annotation);
    w.end_field();
    if !file.dismissed_suggestions.is_empty() {
        w.field(1, "dismissed_suggestions");
        w.list(1, file.dismissed_suggestions, Writer::dismissed);
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

    /// A string as ron writes it with `escape_strings`: every char through
    /// `char::escape_debug`. Runs of chars that escape to themselves are copied in one go.
    fn str(&mut self, s: &str) {
        self.out.push('"');
        let mut start = 0;
        let mut chars = s.char_indices();
        while let Some((i, c)) = chars.next() {
            if escapes_to_itself(c) {
                continue;
            }
            self.out.push_str(&s[start..i]);
            self.out.extend(c.escape_debug());
            start = chars.offset();
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
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
        self.open_struct();
        self.field(depth + 1, "name");
        self.str(&l.name);
        self.end_field();
        self.field(depth + 1, "color");
        self.str(&l.color);
        self.end_field();
        self.field(depth + 1, "key");
        match l.key {
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

    fn rating_scale(&mut self, depth: usize, scale: &RatingScale) {
        self.open_struct();
        self.field(depth + 1, "ratings");
        self.list(depth + 1, &scale.ratings, Self::rating);
        self.end_field();
        self.close_struct(depth);
    }

    fn rating(&mut self, depth: usize, r: &Rating) {
        self.open_struct();
        self.field(depth + 1, "name");
        self.str(&r.name);
        self.end_field();
        self.field(depth + 1, "value");
        self.display(r.value);
        self.end_field();
        self.field(depth + 1, "color");
        self.str(&r.color);
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
        self.open_struct();
        self.field(depth + 1, "start");
        self.display(a.start);
        self.end_field();
        self.field(depth + 1, "end");
        self.display(a.end);
        self.end_field();
        self.field(depth + 1, "quote");
        self.str(&a.quote);
        self.end_field();
        self.field(depth + 1, "prefix");
        self.str(&a.prefix);
        self.end_field();
        self.field(depth + 1, "suffix");
        self.str(&a.suffix);
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
        self.open_struct();
        self.field(depth + 1, "author");
        self.str(&c.author);
        self.end_field();
        self.field(depth + 1, "time");
        self.display_str(c.time);
        self.end_field();
        self.field(depth + 1, "text");
        self.str(&c.text);
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
        self.open_struct();
        self.field(depth + 1, "field");
        self.out.push_str(field_name(c.field));
        self.end_field();
        self.field(depth + 1, "theirs");
        // Newtype and tuple variants do not indent their contents in ron's printer: a
        // struct inside opens at the variant's own depth.
        let d = depth + 1;
        match &c.theirs {
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
        }
        self.out.push(')');
        self.end_field();
        self.close_struct(depth);
    }

    fn annotation(&mut self, depth: usize, a: &Annotation) {
        let d = depth + 1;
        self.open_struct();
        self.field(d, "id");
        self.str(a.id.as_str());
        self.end_field();
        self.field(d, "anchor");
        self.anchor(d, &a.anchor);
        self.end_field();
        self.field(d, "state");
        self.anchor_state(d, &a.state);
        self.end_field();
        self.field(d, "label");
        self.str(&a.label);
        self.end_field();
        self.field(d, "statement");
        self.str(&a.statement);
        self.end_field();
        self.field(d, "claimant");
        self.str(&a.claimant);
        self.end_field();
        self.field(d, "verdict");
        self.opt_string(&a.verdict);
        self.end_field();
        self.field(d, "rationale");
        self.str(&a.rationale);
        self.end_field();
        self.field(d, "sources");
        self.list(d, &a.sources, Self::source);
        self.end_field();
        self.field(d, "status");
        self.status(a.status);
        self.end_field();
        self.field(d, "tags");
        self.list(d, &a.tags, |w, _, t| w.str(t));
        self.end_field();
        self.field(d, "comments");
        self.list(d, &a.comments, Self::comment);
        self.end_field();
        self.field(d, "author");
        self.str(&a.author);
        self.end_field();
        self.field(d, "created");
        self.display_str(a.created);
        self.end_field();
        self.field(d, "modified");
        self.display_str(a.modified);
        self.end_field();
        if !a.conflicts.is_empty() {
            self.field(d, "conflicts");
            self.list(d, &a.conflicts, Self::conflict);
            self.end_field();
        }
        self.close_struct(depth);
    }
}

/// True when `char::escape_debug` leaves `c` as it is. Deciding it for a non-ASCII char
/// takes Unicode table lookups, so the answer is cached per block of 256 chars of the Basic
/// Multilingual Plane (where nearly all story text lives), computed on first use.
fn escapes_to_itself(c: char) -> bool {
    static BLOCKS: [OnceLock<[u64; 4]>; 256] = [const { OnceLock::new() }; 256];
    let code = c as u32;
    if code < 0x80 {
        return matches!(c, ' '..='~') && !matches!(c, '"' | '\'' | '\\');
    }
    if code > 0xFFFF {
        return c.escape_debug().len() == 1;
    }
    let block = (code >> 8) as usize;
    let bits = BLOCKS[block].get_or_init(|| {
        let mut bits = [0u64; 4];
        for low in 0..256u32 {
            let plain = char::from_u32(((block as u32) << 8) | low)
                .is_some_and(|c| c.escape_debug().len() == 1);
            if plain {
                bits[(low / 64) as usize] |= 1 << (low % 64);
            }
        }
        bits
    });
    let low = code & 0xFF;
    bits[(low / 64) as usize] & (1 << (low % 64)) != 0
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
    }
}
