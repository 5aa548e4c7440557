//! Suggested claims in the window (SPEC 13): the per-story state and its command handlers.
//!
//! The story is scored once per open story on a background thread ([`crate::suggest`] is
//! linear in the text, but a 1 MB story still takes longer than a frame). What the reader
//! shows is that ranked list minus every candidate that overlaps a highlight or a dismissed
//! suggestion, the same rule as [`crate::suggest::suggest_skipping`]; the filter is redone
//! only when the document's revision changes, so a frame never scores anything.
//!
//! The commands that use this state (toggle, walk, accept, dismiss) are in
//! [`crate::app::suggestion_commands`].

use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::anchor::Span;
use crate::document::Document;
use crate::suggest::Suggestion;

/// One story's suggestions.
#[derive(Default)]
pub struct Suggestions {
    /// Whether the reader marks them (the toggle).
    pub on: bool,
    /// Every candidate of the text, best first; `None` until scored.
    all: Option<Vec<Suggestion>>,
    job: Option<Receiver<Vec<Suggestion>>>,
    /// The candidates shown (not annotated, not dismissed), best first.
    shown: Vec<Suggestion>,
    /// The (revision, dismissed count) `shown` was filtered for.
    shown_for: Option<(u64, usize)>,
    /// The spans of `shown`, sorted by start, for the reader.
    spans: Vec<Span>,
    /// Index into `shown` of the candidate walked to.
    current: Option<usize>,
    /// Whether the stretch on screen was scored while the whole story still is.
    previewed: bool,
}

/// How much text from the top of the screen is scored at once while the whole story is
/// scored on a thread: a screen and more (about a millisecond of scoring).
const PREVIEW_BYTES: usize = 16 * 1024;

impl Suggestions {
    /// True while the story is being scored (the frame loop polls until it is done).
    pub fn pending(&self) -> bool {
        self.job.is_some()
    }

    /// The candidates shown, best first.
    pub fn shown(&self) -> &[Suggestion] {
        &self.shown
    }

    /// Their spans, sorted by start (for the reader).
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Where the candidate walked to is among those shown (0 is the best).
    pub fn current_index(&self) -> Option<usize> {
        self.current
    }

    /// The candidate walked to.
    pub fn current(&self) -> Option<&Suggestion> {
        self.shown.get(self.current?)
    }

    /// Starts scoring, takes in a finished score and refilters when the document changed.
    /// Cheap when nothing changed: call it every frame. `top_char` is the first char on
    /// screen: while the whole story is scored on a thread, the stretch from there is scored
    /// at once, so what is on screen is marked in the first frame.
    pub fn refresh(&mut self, doc: &Document, top_char: usize) {
        if !self.on {
            return;
        }
        if self.all.is_none() && self.job.is_none() {
            let text = doc.story.text.as_str().to_owned();
            let (tx, rx) = mpsc::channel();
            // The receiver may be gone (story closed) when the thread finishes: nothing to do.
            std::thread::spawn(move || {
                let _ = tx.send(crate::suggest::suggest(&text, None));
            });
            self.job = Some(rx);
        }
        if self.all.is_none() && !self.previewed {
            self.previewed = true;
            let text = &doc.story.text;
            let top_char = top_char.min(text.len_chars());
            let from = text.char_to_byte(top_char);
            let to = text.as_str().floor_char_boundary(from + PREVIEW_BYTES);
            let on_screen = crate::suggest::suggest_in(text.as_str(), from..to, top_char);
            self.set_shown(unskipped(&on_screen, doc));
        }
        if let Some(rx) = &self.job {
            match rx.try_recv() {
                Ok(all) => {
                    self.all = Some(all);
                    self.job = None;
                    self.shown_for = None;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    // The scorer panicked: show none rather than retrying every frame.
                    self.all = Some(Vec::new());
                    self.job = None;
                }
            }
        }
        let key = (doc.revision(), doc.sidecar().dismissed_suggestions.len());
        if let Some(all) = &self.all
            && self.shown_for != Some(key)
        {
            let keep = self.current().map(|s| (s.start, s.end));
            let shown = unskipped(all, doc);
            self.set_shown(shown);
            self.current = keep.and_then(|k| self.shown.iter().position(|s| (s.start, s.end) == k));
            self.shown_for = Some(key);
        }
    }

    fn set_shown(&mut self, shown: Vec<Suggestion>) {
        self.shown = shown;
        self.spans = self
            .shown
            .iter()
            .map(|s| Span::new(s.start, s.end))
            .collect();
        self.spans.sort_by_key(|s| (s.start, s.end));
    }

    /// Blocks until scoring is done (tests, and `FactmarkApp::settle`).
    pub fn wait(&mut self, doc: &Document) {
        if let Some(rx) = self.job.take() {
            self.all = Some(rx.recv().unwrap_or_default());
            self.shown_for = None;
        }
        self.refresh(doc, 0);
    }

    pub(super) fn step(&mut self, delta: isize) -> Option<&Suggestion> {
        let n = self.shown.len() as isize;
        if n == 0 {
            self.current = None;
            return None;
        }
        let next = match self.current {
            None if delta > 0 => 0,
            None => n - 1,
            Some(c) => (c as isize + delta).rem_euclid(n),
        };
        self.current = Some(next as usize);
        self.current()
    }
}

/// `all` without the candidates overlapping a highlight or a dismissed suggestion (any
/// overlap, as `suggest_skipping` does), in the same order.
fn unskipped(all: &[Suggestion], doc: &Document) -> Vec<Suggestion> {
    let mut skip: Vec<Span> = doc
        .annotations()
        .iter()
        .filter(|a| !a.state.is_orphaned())
        .map(|a| a.span())
        .chain(
            doc.sidecar()
                .dismissed_suggestions
                .iter()
                .map(|d| d.anchor.span()),
        )
        .filter(|s| s.start < s.end)
        .collect();
    skip.sort_by_key(|s| s.start);
    all.iter()
        .filter(|s| {
            let before_end = skip.partition_point(|r| r.start < s.end);
            !skip[..before_end].iter().any(|r| r.end > s.start)
        })
        .cloned()
        .collect()
}

/// "score 0.82 · quantity: $110 million; attributed: Peskov told reporters · claimant: Peskov".
pub fn describe(s: &Suggestion) -> String {
    let reasons: Vec<String> = s.reasons.iter().map(|r| r.to_string()).collect();
    let mut t = format!("score {:.2}", s.score);
    if !reasons.is_empty() {
        t.push_str(&format!(" · {}", reasons.join("; ")));
    }
    if let Some(c) = &s.claimant {
        t.push_str(&format!(" · claimant: {c}"));
    }
    t
}
