//! One open story's state in the window: the [`Document`] and everything that belongs to
//! it alone (selection, reader and inspector state, the find bar, banners, save state).
//!
//! A session is replaced whole when a story opens, so nothing of the previous story
//! (a selection, a half-typed source, a cached highlight) can leak into the next. It holds
//! state only; the dispatcher changes it and the panels draw it. It must not touch the disk.

use std::time::Instant;

use crate::anchor::Span;
use crate::document::Document;
use crate::find::Finder;
use crate::model::{Annotation, AnnotationId};
use crate::ui::fmt::preview;
use crate::ui::inspector::Inspector;
use crate::ui::list::{AnnotationList, label_color};
use crate::ui::reader::{Highlight, Reader, ReadingPlace};

/// Where the user was in a story, kept when another story opens so that coming back to it
/// finds the same place: the reader's scroll position and text selection, and the
/// annotation shown in the inspector.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryPlace {
    pub reading: ReadingPlace,
    pub selected: Option<AnnotationId>,
}

/// The find bar: the query, its matches and which one is current.
#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub query: String,
    /// (query, session serial) the matches were found for.
    searched: Option<(String, u64)>,
    pub matches: Vec<Span>,
    pub current: Option<usize>,
    /// Set when the bar should take the keyboard next frame.
    pub focus: bool,
    finder: Finder,
}

/// One open story.
pub struct StorySession {
    pub doc: Document,
    /// Bumped on every open, so the reader drops its caches.
    pub serial: u64,
    /// The annotation shown in the inspector.
    pub selected: Option<AnnotationId>,
    pub reader: Reader,
    pub inspector: Inspector,
    pub list: AnnotationList,
    pub find: FindBar,
    /// Where the reader scrolls next frame (a char position).
    pub scroll_to: Option<usize>,
    /// Keyboard scrolls for the reader's next frame.
    pub scrolls: Vec<crate::app::command::Scroll>,
    pub dismissed_banner: bool,
    /// Set when the story file changed on disk while open (`Some(false)`: it is gone).
    pub story_changed: Option<bool>,
    /// The last save failed: the banner offers "Save a copy as…" and autosave waits.
    pub save_failed: bool,
    /// A save is running on the worker.
    pub saving: bool,
    /// When the last unsaved edit was made (autosave counts from it).
    pub last_edit: Option<Instant>,
    pub highlights: HighlightCache,
    /// Suggested claims: the toggle, the scored candidates, the one walked to.
    pub suggestions: crate::app::suggestions::Suggestions,
    /// Claim memory's "Checked before" for the selected claim.
    pub checked_before: crate::app::memory::CheckedBefore,
    /// The story details window (public URL, headline...).
    pub story_meta: crate::ui::story_meta::StoryMetaPanel,
}

/// The reader's highlights, rebuilt only when the annotations changed.
#[derive(Default)]
pub struct HighlightCache {
    highlights: Vec<Highlight>,
    revision: Option<u64>,
}

impl HighlightCache {
    pub fn get(&mut self, doc: &Document) -> &[Highlight] {
        let revision = doc.revision();
        if self.revision != Some(revision) {
            let labels = doc.labels();
            self.highlights = doc
                .annotations()
                .iter()
                .filter(|a| !a.state.is_orphaned())
                .map(|a| Highlight {
                    id: a.id.clone(),
                    span: a.span(),
                    color: label_color(&labels, &a.label),
                    tooltip: tooltip(a),
                })
                .collect();
            self.revision = Some(revision);
        }
        &self.highlights
    }
}

impl StorySession {
    pub fn new(doc: Document, serial: u64) -> Self {
        Self {
            doc,
            serial,
            selected: None,
            reader: Reader::new(),
            inspector: Inspector::default(),
            list: AnnotationList::default(),
            find: FindBar::default(),
            scroll_to: None,
            scrolls: Vec::new(),
            dismissed_banner: false,
            story_changed: None,
            save_failed: false,
            saving: false,
            last_edit: None,
            highlights: HighlightCache::default(),
            suggestions: Default::default(),
            checked_before: Default::default(),
            story_meta: Default::default(),
        }
    }

    /// Where the user is in this story.
    pub fn place(&self) -> StoryPlace {
        StoryPlace {
            reading: self.reader.place(),
            selected: self.selected.clone(),
        }
    }

    /// Goes back to a place this story was left at (the annotation only if it still exists;
    /// the reader scrolls there on its next frame, without centring on the annotation).
    pub fn restore(&mut self, place: StoryPlace) {
        self.reader.restore(place.reading);
        self.selected = place.selected.filter(|id| self.doc.get(id).is_some());
        self.list.reveal_selected = self.selected.is_some();
    }

    /// The selected annotation, when it still exists.
    pub fn selected_annotation(&self) -> Option<&Annotation> {
        self.doc.get(self.selected.as_ref()?)
    }

    /// True when there are edits a save would write.
    pub fn needs_save(&self) -> bool {
        self.doc.is_dirty() && self.doc.read_only().is_none()
    }

    /// Notes an edit (autosave counts from the last one).
    pub fn edited(&mut self) {
        self.last_edit = Some(Instant::now());
    }

    /// Selects an annotation: inspector, list and reader follow.
    pub fn select(&mut self, id: AnnotationId) {
        if let Some(a) = self.doc.get(&id) {
            self.scroll_to = Some(a.anchor.start);
            if self.selected.as_ref() != Some(&id) {
                self.inspector.reset();
            }
            self.selected = Some(id);
            self.list.reveal_selected = true;
        }
    }

    /// Searches again when the query changed; jumps to the first match.
    pub fn refresh_find(&mut self) {
        let query = if self.find.open {
            self.find.query.clone()
        } else {
            String::new()
        };
        let key = (query, self.serial);
        if self.find.searched.as_ref() == Some(&key) {
            return;
        }
        self.find.matches = self.find.finder.find_all(&self.doc.story.text, &key.0);
        self.find.current = None;
        self.find.searched = Some(key);
        if let Some(first) = self.find.matches.first() {
            self.find.current = Some(0);
            self.scroll_to = Some(first.start);
        }
    }

    /// Closes the find bar. The match it was on becomes the text selection and the story
    /// takes the keyboard, as editors do: Ctrl+F, a word, Enter, Esc, then C marks it (or
    /// Shift+arrows adjust it first) without touching the mouse.
    pub fn close_find(&mut self) {
        self.find.open = false;
        if let Some(m) = self
            .find
            .current
            .and_then(|i| self.find.matches.get(i))
            .copied()
        {
            self.reader.set_selection(Some(m));
            self.reader.take_focus();
        }
    }

    /// Moves to the next (`delta` 1) or previous (-1) match, wrapping around.
    pub fn step_match(&mut self, delta: isize) {
        if self.find.matches.is_empty() {
            if !self.find.open {
                self.find.open = true;
                self.find.focus = true;
            }
            return;
        }
        let n = self.find.matches.len() as isize;
        let next = match self.find.current {
            None => 0,
            Some(c) => (c as isize + delta).rem_euclid(n),
        } as usize;
        self.find.current = Some(next);
        self.scroll_to = Some(self.find.matches[next].start);
    }

    /// Moves the selection through the list's visible rows.
    pub fn step_annotation(&mut self, delta: isize) {
        let rows = self
            .list
            .visible(self.doc.annotations(), self.doc.revision())
            .to_vec();
        if rows.is_empty() {
            return;
        }
        let all = self.doc.annotations().as_slice();
        let current = self
            .selected
            .as_ref()
            .and_then(|id| rows.iter().position(|&i| &all[i].id == id));
        let next = match current {
            None if delta > 0 => 0,
            None => rows.len() - 1,
            Some(c) => (c as isize + delta).clamp(0, rows.len() as isize - 1) as usize,
        };
        let id = all[rows[next]].id.clone();
        self.select(id);
    }
}

/// A highlight's hover text.
fn tooltip(a: &Annotation) -> String {
    let mut t = format!("{}: {}", a.label, preview(&a.statement, 200));
    if let Some(v) = &a.verdict {
        t.push_str(&format!("\nVerdict: {v}"));
    }
    t.push_str(&format!("\nStatus: {}", a.status));
    t
}
