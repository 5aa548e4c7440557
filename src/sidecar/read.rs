//! The fast sidecar reader: a recursive-descent reader for the layout [`super::write`]
//! produces, tolerant of other whitespace, trailing commas and fields in any order. It
//! returns `None` on anything else (comments, struct names, unknown or repeated
//! fields, unusual escapes, a value it cannot parse); the caller then falls back to the `ron`
//! crate, which stays the reference and reports errors with line and column. Correctness
//! therefore never depends on this reader accepting a file, only on it never accepting one
//! wrongly.
//!
//! What it must not do: report errors (that is the ron crate's job), accept input the ron
//! crate would read differently, or touch files.

use jiff::Timestamp;
use jiff::civil::Date;

use super::write::field_name;
use super::{DismissedSuggestion, FileV1};
use crate::anchor::{Anchor, AnchorState};
use crate::model::{
    Annotation, AnnotationId, ClaimantKind, Comment, Conflict, Field, FieldValue, Label, Link,
    LinkKind, Rating, RatingScale, Source, Status, WordingDecision,
};
use crate::sources::{Extractor, SourceFormat, StoryMeta};

/// and field order). `None` means "not sure": the caller must use the ron crate instead.
pub(super) fn read(text: &str) -> Option<FileV1> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    let mut format = None;
    let mut version = None;
    let mut story = None;
    let mut text_sha256 = None;
    let mut text_chars = None;
    let mut encoding = None;
    let mut labels = None;
    let mut rating_scale = None;
    let mut annotations = None;
    let mut source_format = None;
    let mut extractor = None;
    let mut meta = None;
    let mut dismissed = None;
    p.structure(|p, name| match name {
        "format" => set(&mut format, p.string()?),
        "version" => set(&mut version, p.unsigned::<u32>()?),
        "story" => set(&mut story, p.string()?),
        "text_sha256" => set(&mut text_sha256, p.string()?),
        "text_chars" => set(&mut text_chars, p.unsigned::<usize>()?),
        "encoding" => set(&mut encoding, p.string()?),
        "labels" => set(
            &mut labels,
            p.option(|p| p.list(|p| p.label(), Vec::new()))?,
        ),
        "rating_scale" => set(&mut rating_scale, p.option(Parser::rating_scale)?),
        "source_format" => set(&mut source_format, p.option(Parser::source_format)?),
        "extractor" => set(&mut extractor, p.option(Parser::extractor)?),
        "meta" => set(&mut meta, p.option(Parser::story_meta)?),
        "annotations" => set(
            &mut annotations,
            p.list(|p| p.annotation(), Vec::with_capacity(text.len() / 1400))?,
        ),
        "dismissed_suggestions" => set(&mut dismissed, p.list(|p| p.dismissed(), Vec::new())?),
        _ => None,
    })?;
    p.ws();
    if p.i != p.s.len() {
        return None;
    }
    Some(FileV1 {
        format: format?,
        version: version?,
        story: story?,
        text_sha256: text_sha256?,
        text_chars: text_chars?,
        encoding: encoding?,
        labels: labels.unwrap_or_default(),
        rating_scale: rating_scale.unwrap_or_default(),
        annotations: annotations.unwrap_or_default(),
        source_format: source_format.unwrap_or_default(),
        extractor: extractor.unwrap_or_default(),
        meta: meta.unwrap_or_default(),
        dismissed_suggestions: dismissed.unwrap_or_default(),
    })
}

/// Stores a field's value; a field given twice is refused (serde refuses it too).
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    /// Skips blanks. Comments are not skipped: they send the file to the ron crate.
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.peek()? == b).then(|| self.i += 1)
    }

    fn try_eat(&mut self, b: u8) -> bool {
        self.ws();
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// A plain ASCII identifier (field or variant name). `r#` identifiers are not taken.
    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.i;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek() {
            self.i += 1;
        }
        if start == self.i || self.s[start].is_ascii_digit() {
            return None;
        }
        self.text.get(start..self.i)
    }

    /// `( name: value, ... )` with an optional trailing comma; `field` reads each value.
    fn structure(&mut self, mut field: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.eat(b'(')?;
        loop {
            if self.try_eat(b')') {
                return Some(());
            }
            let name = self.ident()?;
            self.eat(b':')?;
            self.ws();
            field(self, name)?;
            if !self.try_eat(b',') {
                return self.eat(b')');
            }
        }
    }

    /// `[ item, ... ]` with an optional trailing comma.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Option<T>,
        mut out: Vec<T>,
    ) -> Option<Vec<T>> {
        self.eat(b'[')?;
        loop {
            if self.try_eat(b']') {
                return Some(out);
            }
            self.ws();
            out.push(item(self)?);
            if !self.try_eat(b',') {
                self.eat(b']')?;
                return Some(out);
            }
        }
    }

    fn option<T>(&mut self, inner: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.ident()? {
            "None" => Some(None),
            "Some" => {
                self.eat(b'(')?;
                self.ws();
                let v = inner(self)?;
                self.eat(b')')?;
                Some(Some(v))
            }
            _ => None,
        }
    }

    /// A `"..."` string (unescaped as factmark writes it now, or with the escapes
    /// `char::escape_debug` produced in older files), or a raw string `r#"..."#`.
    fn string(&mut self) -> Option<String> {
        self.ws();
        if self.peek()? == b'r' {
            return self.raw_string();
        }
        self.eat(b'"')?;
        let mut out = String::new();
        let mut start = self.i;
        loop {
            // Most strings have no escape: jump straight to the closing quote.
            self.i += memchr::memchr2(b'"', b'\\', self.s.get(self.i..)?)?;
            match self.peek()? {
                b'"' => {
                    out.push_str(self.text.get(start..self.i)?);
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(self.text.get(start..self.i)?);
                    self.i += 1;
                    let c = match self.peek()? {
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'0' => '\0',
                        b'\\' => '\\',
                        b'\'' => '\'',
                        b'"' => '"',
                        b'u' => {
                            self.i += 1;
                            self.unicode_escape()?
                        }
                        _ => return None,
                    };
                    // Past the escape's last byte (`unicode_escape` stops on its `}`).
                    self.i += 1;
                    out.push(c);
                    start = self.i;
                }
                _ => return None,
            }
        }
    }

    /// `r` + n `#` + `"` ... `"` + n `#`: the text between, as it is.
    fn raw_string(&mut self) -> Option<String> {
        self.eat(b'r')?;
        let mut hashes = 0;
        while self.peek()? == b'#' {
            hashes += 1;
            self.i += 1;
        }
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        loop {
            self.i += memchr::memchr(b'"', self.s.get(self.i..)?)?;
            let close = self.i;
            self.i += 1;
            let tail = self.s.get(self.i..self.i + hashes)?;
            if tail.iter().all(|&b| b == b'#') {
                self.i += hashes;
                return self.text.get(start..close).map(str::to_owned);
            }
        }
    }

    /// The `{hex}` of a `\u{...}` escape; leaves the cursor on the `}`.
    fn unicode_escape(&mut self) -> Option<char> {
        if self.peek()? != b'{' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while self.peek()?.is_ascii_hexdigit() {
            self.i += 1;
        }
        if self.peek()? != b'}' || self.i == start || self.i - start > 6 {
            return None;
        }
        let v = u32::from_str_radix(self.text.get(start..self.i)?, 16).ok()?;
        char::from_u32(v)
    }

    /// A `'c'` char as ron writes it (only `\` and `'` escaped).
    fn char_lit(&mut self) -> Option<char> {
        self.eat(b'\'')?;
        let rest = self.text.get(self.i..)?;
        let mut chars = rest.chars();
        let c = match chars.next()? {
            '\\' => match chars.next()? {
                c @ ('\\' | '\'') => c,
                _ => return None,
            },
            '\'' => return None,
            c => c,
        };
        self.i = self.s.len() - chars.as_str().len();
        (self.peek()? == b'\'').then(|| self.i += 1)?;
        Some(c)
    }

    /// The text of a number token: digits, sign, point and exponent.
    fn number_token(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.i;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.i += 1;
        }
        self.text.get(start..self.i).filter(|t| !t.is_empty())
    }

    fn unsigned<T: std::str::FromStr>(&mut self) -> Option<T> {
        let t = self.number_token()?;
        // Plain decimal digits only: ron's other forms (hex, `_`, `+`) go to ron.
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    }

    fn signed_i32(&mut self) -> Option<i32> {
        let t = self.number_token()?;
        let digits = t.strip_prefix('-').unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    }

    fn float(&mut self) -> Option<f32> {
        let t = self.number_token()?;
        // Only the finite forms `{:?}` writes; NaN and inf go to ron.
        if !t.contains(['.', 'e']) {
            return None;
        }
        t.parse().ok()
    }

    fn timestamp(&mut self) -> Option<Timestamp> {
        self.string()?.parse().ok()
    }

    fn date(&mut self) -> Option<Date> {
        self.string()?.parse().ok()
    }

    fn label(&mut self) -> Option<Label> {
        let (mut name, mut color, mut key) = (None, None, None);
        self.structure(|p, f| match f {
            "name" => set(&mut name, p.string()?),
            "color" => set(&mut color, p.string()?),
            "key" => set(&mut key, p.option(Parser::char_lit)?),
            _ => None,
        })?;
        Some(Label {
            name: name?,
            color: color?,
            key: key.unwrap_or_default(),
        })
    }

    fn rating_scale(&mut self) -> Option<RatingScale> {
        let mut ratings = None;
        self.structure(|p, f| match f {
            "ratings" => set(&mut ratings, p.list(Parser::rating, Vec::new())?),
            _ => None,
        })?;
        Some(RatingScale { ratings: ratings? })
    }

    fn rating(&mut self) -> Option<Rating> {
        let (mut name, mut value, mut color) = (None, None, None);
        self.structure(|p, f| match f {
            "name" => set(&mut name, p.string()?),
            "value" => set(&mut value, p.signed_i32()?),
            "color" => set(&mut color, p.string()?),
            _ => None,
        })?;
        Some(Rating {
            name: name?,
            value: value?,
            color: color?,
        })
    }

    fn dismissed(&mut self) -> Option<DismissedSuggestion> {
        let (mut anchor, mut by, mut at) = (None, None, None);
        self.structure(|p, f| match f {
            "anchor" => set(&mut anchor, p.anchor()?),
            "by" => set(&mut by, p.string()?),
            "at" => set(&mut at, p.timestamp()?),
            _ => None,
        })?;
        Some(DismissedSuggestion {
            anchor: anchor?,
            by: by?,
            at: at?,
        })
    }

    fn anchor(&mut self) -> Option<Anchor> {
        let (mut start, mut end, mut quote, mut prefix, mut suffix) =
            (None, None, None, None, None);
        self.structure(|p, f| match f {
            "start" => set(&mut start, p.unsigned()?),
            "end" => set(&mut end, p.unsigned()?),
            "quote" => set(&mut quote, p.string()?),
            "prefix" => set(&mut prefix, p.string()?),
            "suffix" => set(&mut suffix, p.string()?),
            _ => None,
        })?;
        Some(Anchor {
            start: start?,
            end: end?,
            quote: quote?,
            prefix: prefix?,
            suffix: suffix?,
        })
    }

    fn anchor_state(&mut self) -> Option<AnchorState> {
        match self.ident()? {
            "Anchored" => Some(AnchorState::Anchored),
            "Orphaned" => Some(AnchorState::Orphaned),
            "Reanchored" => {
                let mut confidence = None;
                self.structure(|p, f| match f {
                    "confidence" => set(&mut confidence, p.float()?),
                    _ => None,
                })?;
                Some(AnchorState::Reanchored {
                    confidence: confidence?,
                })
            }
            _ => None,
        }
    }

    fn status(&mut self) -> Option<Status> {
        match self.ident()? {
            "Draft" => Some(Status::Draft),
            "NeedsReview" => Some(Status::NeedsReview),
            "Approved" => Some(Status::Approved),
            "Disputed" => Some(Status::Disputed),
            _ => None,
        }
    }

    fn source(&mut self) -> Option<Source> {
        match self.ident()? {
            "External" => {
                let (mut url, mut title, mut note, mut accessed) = (None, None, None, None);
                self.structure(|p, f| match f {
                    "url" => set(&mut url, p.string()?),
                    "title" => set(&mut title, p.string()?),
                    "note" => set(&mut note, p.string()?),
                    "accessed" => set(&mut accessed, p.option(Parser::date)?),
                    _ => None,
                })?;
                Some(Source::External {
                    url: url?,
                    title: title.unwrap_or_default(),
                    note: note.unwrap_or_default(),
                    accessed: accessed.unwrap_or_default(),
                })
            }
            "Highlight" => {
                let (mut id, mut note) = (None, None);
                self.structure(|p, f| match f {
                    "id" => set(&mut id, AnnotationId(p.string()?)),
                    "note" => set(&mut note, p.string()?),
                    _ => None,
                })?;
                Some(Source::Highlight {
                    id: id?,
                    note: note.unwrap_or_default(),
                })
            }
            _ => None,
        }
    }

    fn comment(&mut self) -> Option<Comment> {
        let (mut author, mut time, mut text) = (None, None, None);
        self.structure(|p, f| match f {
            "author" => set(&mut author, p.string()?),
            "time" => set(&mut time, p.timestamp()?),
            "text" => set(&mut text, p.string()?),
            _ => None,
        })?;
        Some(Comment {
            author: author?,
            time: time?,
            text: text?,
        })
    }

    fn field(&mut self) -> Option<Field> {
        let name = self.ident()?;
        Field::ALL.into_iter().find(|f| field_name(*f) == name)
    }

    fn field_value(&mut self) -> Option<FieldValue> {
        let variant = self.ident()?;
        self.eat(b'(')?;
        self.ws();
        let v = match variant {
            "Anchor" => {
                let a = self.anchor()?;
                self.eat(b',')?;
                let s = self.anchor_state()?;
                // A tuple may end with a comma too.
                self.try_eat(b',');
                FieldValue::Anchor(a, s)
            }
            "Text" => FieldValue::Text(self.string()?),
            "Verdict" => FieldValue::Verdict(self.option(Parser::string)?),
            "Sources" => FieldValue::Sources(self.list(Parser::source, Vec::new())?),
            "Status" => FieldValue::Status(self.status()?),
            "Tags" => FieldValue::Tags(self.list(Parser::string, Vec::new())?),
            "Comments" => FieldValue::Comments(self.list(Parser::comment, Vec::new())?),
            "ClaimantKind" => FieldValue::ClaimantKind(self.claimant_kind()?),
            "Url" => FieldValue::Url(self.option(Parser::string)?),
            "Wording" => {
                let checked = self.option(Parser::string)?;
                self.eat(b',')?;
                self.ws();
                let decision = self.option(Parser::wording_decision)?;
                self.try_eat(b',');
                FieldValue::Wording(checked, decision)
            }
            "Links" => FieldValue::Links(self.list(Parser::link, Vec::new())?),
            _ => return None,
        };
        self.eat(b')')?;
        Some(v)
    }

    fn boolean(&mut self) -> Option<bool> {
        match self.ident()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    fn wording_decision(&mut self) -> Option<WordingDecision> {
        let (mut from, mut to, mut verdict_kept, mut by, mut at) = (None, None, None, None, None);
        self.structure(|p, f| match f {
            "from" => set(&mut from, p.string()?),
            "to" => set(&mut to, p.string()?),
            "verdict_kept" => set(&mut verdict_kept, p.boolean()?),
            "by" => set(&mut by, p.string()?),
            "at" => set(&mut at, p.timestamp()?),
            _ => None,
        })?;
        Some(WordingDecision {
            from: from?,
            to: to?,
            verdict_kept: verdict_kept?,
            by: by?,
            at: at?,
        })
    }

    fn link(&mut self) -> Option<Link> {
        let (mut kind, mut story, mut id) = (None, None, None);
        self.structure(|p, f| match f {
            "kind" => set(
                &mut kind,
                match p.ident()? {
                    "SameClaim" => LinkKind::SameClaim,
                    "VerdictFrom" => LinkKind::VerdictFrom,
                    _ => return None,
                },
            ),
            "story" => set(&mut story, p.string()?),
            "id" => set(&mut id, AnnotationId(p.string()?)),
            _ => None,
        })?;
        Some(Link {
            kind: kind?,
            story: story.unwrap_or_default(),
            id: id?,
        })
    }

    fn conflict(&mut self) -> Option<Conflict> {
        let (mut field, mut theirs) = (None, None);
        self.structure(|p, f| match f {
            "field" => set(&mut field, p.field()?),
            "theirs" => set(&mut theirs, p.field_value()?),
            _ => None,
        })?;
        Some(Conflict {
            field: field?,
            theirs: theirs?,
        })
    }

    fn claimant_kind(&mut self) -> Option<ClaimantKind> {
        match self.ident()? {
            "Person" => Some(ClaimantKind::Person),
            "Organization" => Some(ClaimantKind::Organization),
            _ => None,
        }
    }

    fn source_format(&mut self) -> Option<SourceFormat> {
        match self.ident()? {
            "Text" => Some(SourceFormat::Text),
            "Html" => Some(SourceFormat::Html),
            "Docx" => Some(SourceFormat::Docx),
            _ => None,
        }
    }

    fn extractor(&mut self) -> Option<Extractor> {
        let mut name = None;
        let mut version = None;
        self.structure(|p, f| match f {
            "name" => set(&mut name, p.string()?),
            "version" => set(&mut version, p.string()?),
            _ => None,
        })?;
        Some(Extractor {
            name: name?,
            version: version?,
        })
    }

    fn story_meta(&mut self) -> Option<StoryMeta> {
        let mut url = None;
        let mut headline = None;
        let mut outlet = None;
        let mut author = None;
        let mut published = None;
        self.structure(|p, f| match f {
            "url" => set(&mut url, p.option(Parser::string)?),
            "headline" => set(&mut headline, p.string()?),
            "outlet" => set(&mut outlet, p.string()?),
            "author" => set(&mut author, p.string()?),
            "published" => set(&mut published, p.option(Parser::date)?),
            _ => None,
        })?;
        Some(StoryMeta {
            url: url.unwrap_or_default(),
            headline: headline.unwrap_or_default(),
            outlet: outlet.unwrap_or_default(),
            author: author.unwrap_or_default(),
            published: published.unwrap_or_default(),
        })
    }

    fn annotation(&mut self) -> Option<Annotation> {
        let mut id = None;
        let mut anchor = None;
        let mut state = None;
        let mut label = None;
        let mut statement = None;
        let mut claimant = None;
        let mut verdict = None;
        let mut rationale = None;
        let mut sources = None;
        let mut status = None;
        let mut tags = None;
        let mut comments = None;
        let mut author = None;
        let mut created = None;
        let mut modified = None;
        let mut conflicts = None;
        let mut claimant_kind = None;
        let mut review_url = None;
        let mut checked_wording = None;
        let mut wording_decision = None;
        let mut links = None;
        self.structure(|p, f| match f {
            "id" => set(&mut id, AnnotationId(p.string()?)),
            "anchor" => set(&mut anchor, p.anchor()?),
            "state" => set(&mut state, p.anchor_state()?),
            "label" => set(&mut label, p.string()?),
            "statement" => set(&mut statement, p.string()?),
            "claimant" => set(&mut claimant, p.string()?),
            "verdict" => set(&mut verdict, p.option(Parser::string)?),
            "rationale" => set(&mut rationale, p.string()?),
            "sources" => set(&mut sources, p.list(Parser::source, Vec::new())?),
            "status" => set(&mut status, p.status()?),
            "tags" => set(&mut tags, p.list(Parser::string, Vec::new())?),
            "comments" => set(&mut comments, p.list(Parser::comment, Vec::new())?),
            "author" => set(&mut author, p.string()?),
            "created" => set(&mut created, p.timestamp()?),
            "modified" => set(&mut modified, p.timestamp()?),
            "conflicts" => set(&mut conflicts, p.list(Parser::conflict, Vec::new())?),
            "claimant_kind" => set(&mut claimant_kind, p.claimant_kind()?),
            "review_url" => set(&mut review_url, p.option(Parser::string)?),
            "checked_wording" => set(&mut checked_wording, p.option(Parser::string)?),
            "wording_decision" => set(&mut wording_decision, p.option(Parser::wording_decision)?),
            "links" => set(&mut links, p.list(Parser::link, Vec::new())?),
            _ => None,
        })?;
        Some(Annotation {
            id: id?,
            anchor: anchor?,
            state: state.unwrap_or_default(),
            label: label?,
            statement: statement.unwrap_or_default(),
            claimant: claimant.unwrap_or_default(),
            verdict: verdict.unwrap_or_default(),
            rationale: rationale.unwrap_or_default(),
            sources: sources.unwrap_or_default(),
            status: status.unwrap_or_default(),
            tags: tags.unwrap_or_default(),
            comments: comments.unwrap_or_default(),
            author: author.unwrap_or_default(),
            created: created?,
            modified: modified?,
            conflicts: conflicts.unwrap_or_default(),
            claimant_kind: claimant_kind.unwrap_or_default(),
            review_url: review_url.unwrap_or_default(),
            checked_wording: checked_wording.unwrap_or_default(),
            wording_decision: wording_decision.unwrap_or_default(),
            links: links.unwrap_or_default(),
        })
    }
}
