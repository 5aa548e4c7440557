//! The suggestion commands (SPEC 13): toggle the marks, walk them, accept one as an
//! annotation, dismiss one. Accepting makes one undoable Claim (statement and claimant
//! pre-filled); dismissing is an undoable [`Edit::Dismiss`] kept in the sidecar, so
//! colleagues do not see it either. The per-story state is [`crate::app::suggestions`].

use crate::anchor::{Anchor, Span};
use crate::app::dispatch::FactmarkApp;
use crate::app::suggestions::describe;
use crate::history::Edit;
use crate::model::Annotation;
use crate::sidecar::DismissedSuggestion;

impl FactmarkApp {
    pub(super) fn toggle_suggestions(&mut self) {
        let Some(s) = &mut self.session else { return };
        s.suggestions.on = !s.suggestions.on;
        let on = s.suggestions.on;
        s.suggestions.refresh(&s.doc, s.reader.place().top_char);
        self.info(if on {
            "Suggested claims are marked with a dotted line. Alt+J walks them; C accepts, X dismisses."
        } else {
            "Suggested claims hidden."
        });
    }

    pub(super) fn step_suggestion(&mut self, delta: isize) {
        let Some(s) = &mut self.session else { return };
        if !s.suggestions.on {
            s.suggestions.on = true;
        }
        s.suggestions.refresh(&s.doc, s.reader.place().top_char);
        if s.suggestions.pending() {
            self.info("Still looking for suggestions in this story…");
            return;
        }
        let total = s.suggestions.shown().len();
        let Some(current) = s.suggestions.step(delta).cloned() else {
            self.info("No suggested claims left in this story.");
            return;
        };
        s.scroll_to = Some(current.start);
        let n = s.suggestions.current_index().map_or(0, |c| c + 1);
        self.info(format!(
            "Suggestion {n} of {total}: {} (C accepts, X dismisses).",
            describe(&current)
        ));
    }

    /// Makes the current suggestion an annotation with `label` (the Claim label unless a
    /// label key said otherwise): statement and claimant pre-filled, one undo step.
    /// Returns false when there is no current suggestion.
    pub(super) fn accept_suggestion(&mut self, label: Option<String>) -> bool {
        let author = self.settings.author.clone();
        let label = label.unwrap_or_else(|| {
            self.labels()
                .into_iter()
                .find(|l| l.name.eq_ignore_ascii_case("claim"))
                .map_or_else(|| "Claim".to_owned(), |l| l.name)
        });
        let Some(s) = &mut self.session else {
            return false;
        };
        let Some(current) = s.suggestions.current().cloned() else {
            return false;
        };
        let anchor = Anchor::from_span(&s.doc.story.text, Span::new(current.start, current.end));
        let mut a = Annotation::new(anchor, &label, &author);
        a.statement = current.text.clone();
        a.claimant = current.claimant.clone().unwrap_or_default();
        let id = a.id.clone();
        match s.doc.apply("Accept suggestion", Edit::Insert(a), false) {
            Ok(()) => {
                s.selected = Some(id);
                s.inspector.reset();
                s.list.reveal_selected = true;
                s.edited();
                s.suggestions.refresh(&s.doc, s.reader.place().top_char);
                self.info(format!(
                    "Added a {label} from the suggestion. Ctrl+Z undoes; Alt+J goes on."
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
        true
    }

    pub(super) fn dismiss_suggestion(&mut self) {
        let by = self.settings.author.clone();
        let Some(s) = &mut self.session else { return };
        let Some(current) = s.suggestions.current().cloned() else {
            if s.suggestions.on {
                self.info("Walk to a suggestion first (Alt+J), then press X to dismiss it.");
            }
            return;
        };
        let d = DismissedSuggestion {
            anchor: Anchor::from_span(&s.doc.story.text, Span::new(current.start, current.end)),
            by,
            at: crate::model::now(),
        };
        match s.doc.apply("Dismiss suggestion", Edit::Dismiss(d), false) {
            Ok(()) => {
                s.edited();
                s.suggestions.refresh(&s.doc, s.reader.place().top_char);
                self.info("Dismissed the suggestion for this story (Ctrl+Z brings it back).");
            }
            Err(e) => self.error(e.to_string()),
        }
    }
}
