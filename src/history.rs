//! Undoable edits of an [`AnnotationSet`].
//!
//! An [`Edit`] is data: applying it to a set returns its inverse, so undo is "apply the
//! inverse" and redo is "apply the inverse of the inverse". [`History`] keeps the two
//! stacks, with a label per step for menus ("Undo Set verdict").
//!
//! Consecutive edits of the same annotation with the same label (typing in the statement
//! box, say) are merged into one undo step when `coalesce` is asked for, so undo does not
//! go back one keystroke at a time.
//!
//! Limitations: history is linear (a new edit after undo drops the redo stack), and it is
//! in memory only; it is not saved with the sidecar.
//!
//! Dismissing a suggestion ([`Edit::Dismiss`]) and editing the story's details
//! ([`Edit::SetMeta`]) are edits too, of a whole [`Sidecar`] ([`Editable`]), so they are
//! undone in the same history as the highlights.
//!
//! This module must not depend on any UI crate.

use thiserror::Error;

use crate::anchor::AnchorState;
use crate::model::{Annotation, AnnotationId, AnnotationSet, Status, WordingDecision};
use crate::sidecar::{DismissedSuggestion, Sidecar};
use crate::sources::StoryMeta;

/// What an [`Edit`] changes: the annotations, and (for a whole sidecar) the dismissed
/// suggestions, so dismissing a suggestion is undone in the same history as a highlight.
pub trait Editable {
    fn annotations_mut(&mut self) -> &mut AnnotationSet;
    /// `None` for a bare annotation set, which keeps no dismissals.
    fn dismissed_mut(&mut self) -> Option<&mut Vec<DismissedSuggestion>>;
    /// The story's details (SPEC 11); `None` for a bare annotation set.
    fn meta_mut(&mut self) -> Option<&mut Option<StoryMeta>>;
}

impl Editable for AnnotationSet {
    fn annotations_mut(&mut self) -> &mut AnnotationSet {
        self
    }
    fn dismissed_mut(&mut self) -> Option<&mut Vec<DismissedSuggestion>> {
        None
    }
    fn meta_mut(&mut self) -> Option<&mut Option<StoryMeta>> {
        None
    }
}

impl Editable for Sidecar {
    fn annotations_mut(&mut self) -> &mut AnnotationSet {
        &mut self.annotations
    }
    fn dismissed_mut(&mut self) -> Option<&mut Vec<DismissedSuggestion>> {
        Some(&mut self.dismissed_suggestions)
    }
    fn meta_mut(&mut self) -> Option<&mut Option<StoryMeta>> {
        Some(&mut self.meta)
    }
}

/// A change to an annotation set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add a new annotation.
    Insert(Annotation),
    /// Remove the annotation with this id.
    Remove(AnnotationId),
    /// Replace the annotation that has the same id.
    Replace(Annotation),
    /// Several edits applied in order, undone in reverse.
    Batch(Vec<Edit>),
    /// Hide a suggestion (appended to the sidecar's dismissed list).
    Dismiss(DismissedSuggestion),
    /// Show a dismissed suggestion again (the entry at the same place is removed).
    Undismiss(DismissedSuggestion),
    /// Replace the story's details (URL, headline, outlet, author, date); `None` clears
    /// them. Its inverse sets the previous details back.
    SetMeta(Option<StoryMeta>),
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EditError {
    #[error("an annotation with id {0} already exists")]
    DuplicateId(AnnotationId),
    #[error("no annotation with id {0}")]
    UnknownId(AnnotationId),
    #[error("this edit needs a whole sidecar (dismissed suggestions)")]
    NoDismissals,
    #[error("this edit needs a whole sidecar (the story's details)")]
    NoMeta,
    #[error("the suggestion \"{0}\" is already dismissed")]
    AlreadyDismissed(String),
    #[error("the suggestion \"{0}\" is not dismissed")]
    NotDismissed(String),
}

impl Edit {
    /// Applies the edit and returns the edit that undoes it. On error the set is unchanged
    /// (a failing batch is rolled back).
    pub fn apply<T: Editable + ?Sized>(self, target: &mut T) -> Result<Edit, EditError> {
        match self {
            Edit::Dismiss(d) => {
                let list = target.dismissed_mut().ok_or(EditError::NoDismissals)?;
                if list.iter().any(|x| x.same_place(&d)) {
                    return Err(EditError::AlreadyDismissed(d.anchor.quote));
                }
                list.push(d.clone());
                Ok(Edit::Undismiss(d))
            }
            Edit::Undismiss(d) => {
                let list = target.dismissed_mut().ok_or(EditError::NoDismissals)?;
                match list.iter().position(|x| x.same_place(&d)) {
                    Some(i) => Ok(Edit::Dismiss(list.remove(i))),
                    None => Err(EditError::NotDismissed(d.anchor.quote)),
                }
            }
            Edit::SetMeta(meta) => {
                let slot = target.meta_mut().ok_or(EditError::NoMeta)?;
                Ok(Edit::SetMeta(std::mem::replace(slot, meta)))
            }
            other => other.apply_to_set(target),
        }
    }

    fn apply_to_set<T: Editable + ?Sized>(self, target: &mut T) -> Result<Edit, EditError> {
        match self {
            Edit::Dismiss(_) | Edit::Undismiss(_) | Edit::SetMeta(_) => self.apply(target),
            Edit::Insert(a) => {
                let id = a.id.clone();
                if target.annotations_mut().insert(a) {
                    Ok(Edit::Remove(id))
                } else {
                    Err(EditError::DuplicateId(id))
                }
            }
            Edit::Remove(id) => target
                .annotations_mut()
                .remove(&id)
                .map(Edit::Insert)
                .ok_or(EditError::UnknownId(id)),
            Edit::Replace(a) => {
                let id = a.id.clone();
                target
                    .annotations_mut()
                    .replace(a)
                    .map(Edit::Replace)
                    .ok_or(EditError::UnknownId(id))
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(target) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(e) => {
                            // Roll back what was applied so the set is as before.
                            for inverse in inverses.into_iter().rev() {
                                let _ = inverse.apply(target);
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    /// The single annotation this edit touches, if it touches exactly one.
    fn target(&self) -> Option<&AnnotationId> {
        match self {
            Edit::Insert(a) | Edit::Replace(a) => Some(&a.id),
            Edit::Remove(id) => Some(id),
            Edit::Batch(_) | Edit::Dismiss(_) | Edit::Undismiss(_) | Edit::SetMeta(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Step {
    label: String,
    /// The edit that reverts this step (for the undo stack) or re-does it (redo stack).
    edit: Edit,
    coalescible: bool,
}

/// Undo and redo stacks for one annotation set.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Bumped on every change, so views can tell when to refresh caches.
    revision: u64,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `edit` to `set` and records it under `label`. With `coalesce`, a
    /// `Replace` of the same annotation under the same label as the previous step joins
    /// that step instead of making a new one.
    pub fn apply<T: Editable + ?Sized>(
        &mut self,
        set: &mut T,
        label: &str,
        edit: Edit,
        coalesce: bool,
    ) -> Result<(), EditError> {
        let target = edit.target().cloned();
        let is_replace = matches!(edit, Edit::Replace(_));
        let inverse = edit.apply(set)?;
        self.revision += 1;
        self.redo.clear();
        if coalesce
            && is_replace
            && let Some(last) = self.undo.last()
            && last.coalescible
            && last.label == label
            && matches!(last.edit, Edit::Replace(_))
            && last.edit.target() == target.as_ref()
        {
            // The older inverse already restores the state before the first keystroke.
            return Ok(());
        }
        self.undo.push(Step {
            label: label.to_owned(),
            edit: inverse,
            coalescible: coalesce && is_replace,
        });
        Ok(())
    }

    /// Ends coalescing: the next edit starts a new undo step even if it looks the same.
    pub fn seal(&mut self) {
        if let Some(last) = self.undo.last_mut() {
            last.coalescible = false;
        }
    }

    /// Undoes the last step; returns its label.
    pub fn undo<T: Editable + ?Sized>(&mut self, set: &mut T) -> Option<String> {
        let step = self.undo.pop()?;
        match step.edit.apply(set) {
            Ok(redo) => {
                self.revision += 1;
                self.redo.push(Step {
                    label: step.label.clone(),
                    edit: redo,
                    coalescible: false,
                });
                Some(step.label)
            }
            // The set no longer matches the history (it was replaced underneath, e.g. by a
            // reload); history that cannot apply is dropped rather than half-applied.
            Err(_) => {
                self.clear();
                None
            }
        }
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo<T: Editable + ?Sized>(&mut self, set: &mut T) -> Option<String> {
        let step = self.redo.pop()?;
        match step.edit.apply(set) {
            Ok(undo) => {
                self.revision += 1;
                self.undo.push(Step {
                    label: step.label.clone(),
                    edit: undo,
                    coalescible: false,
                });
                Some(step.label)
            }
            Err(_) => {
                self.clear();
                None
            }
        }
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// A number that changes whenever the set is changed through this history.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Forgets all steps (after the set was replaced wholesale).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.revision += 1;
    }
}

/// Confirms a highlight found again after its story changed (SPEC 9), as one `Replace`:
/// its place is confirmed, and if its wording changed the decision is recorded with `who`
/// and `at`. Unless `keep_verdict` (the person says the change does not affect the
/// verdict), an Approved claim goes back to Needs review, since its verdict was given on
/// other words. Undoing the edit restores the old status and the pending wording.
pub fn confirm_wording(
    annotation: &Annotation,
    keep_verdict: bool,
    who: &str,
    at: jiff::Timestamp,
) -> Edit {
    let mut a = annotation.clone();
    if a.state.needs_confirming() {
        a.state = AnchorState::Anchored;
    }
    if let Some(from) = a.checked_wording.take()
        && from != a.anchor.quote
    {
        if !keep_verdict && a.status == Status::Approved {
            a.status = Status::NeedsReview;
        }
        a.wording_decision = Some(WordingDecision {
            from,
            to: a.anchor.quote.clone(),
            verdict_kept: keep_verdict,
            by: who.to_owned(),
            at,
        });
    }
    a.modified = at;
    Edit::Replace(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::{Anchor, Span};
    use crate::text::StoryText;

    fn sample() -> (AnnotationSet, Annotation) {
        let text = StoryText::new("The mayor said taxes fell by 4 percent.".to_owned());
        let a = Annotation::new(Anchor::from_span(&text, Span::new(4, 9)), "Claim", "t");
        (AnnotationSet::default(), a)
    }

    #[test]
    fn undo_redo_insert_replace_remove() {
        let (mut set, a) = sample();
        let mut h = History::new();
        h.apply(&mut set, "Add claim", Edit::Insert(a.clone()), false)
            .expect("insert");
        let mut b = a.clone();
        b.verdict = Some("False".into());
        h.apply(&mut set, "Set verdict", Edit::Replace(b.clone()), false)
            .expect("replace");
        h.apply(&mut set, "Delete", Edit::Remove(a.id.clone()), false)
            .expect("remove");
        assert!(set.is_empty());
        assert_eq!(h.undo(&mut set).as_deref(), Some("Delete"));
        assert_eq!(set.get(&a.id), Some(&b));
        assert_eq!(h.undo(&mut set).as_deref(), Some("Set verdict"));
        assert_eq!(set.get(&a.id), Some(&a));
        assert_eq!(h.redo(&mut set).as_deref(), Some("Set verdict"));
        assert_eq!(set.get(&a.id), Some(&b));
    }

    #[test]
    fn typing_coalesces_into_one_step() {
        let (mut set, a) = sample();
        let mut h = History::new();
        h.apply(&mut set, "Add", Edit::Insert(a.clone()), false)
            .expect("insert");
        let mut b = a.clone();
        for ch in "Taxes".chars() {
            b.statement.push(ch);
            h.apply(&mut set, "Edit statement", Edit::Replace(b.clone()), true)
                .expect("replace");
        }
        assert_eq!(h.undo(&mut set).as_deref(), Some("Edit statement"));
        assert_eq!(set.get(&a.id), Some(&a));
    }

    fn changed_approved_claim() -> (AnnotationSet, Annotation) {
        let text = StoryText::new("The plan costs $4 billion.".to_owned());
        let mut a = Annotation::new(Anchor::from_span(&text, Span::new(0, 25)), "Claim", "t");
        a.status = Status::Approved;
        a.verdict = Some("True".into());
        a.state = AnchorState::Reanchored { confidence: 0.9 };
        a.checked_wording = Some("The plan costs $1 billion".into());
        let (set, _) = AnnotationSet::from_vec(vec![a.clone()]);
        (set, a)
    }

    #[test]
    fn confirming_a_changed_approved_claim_sends_it_back_to_review_undoably() {
        let (mut set, a) = changed_approved_claim();
        let mut h = History::new();
        let at = jiff::Timestamp::from_second(1_800_000_000).expect("time");
        h.apply(
            &mut set,
            "Confirm",
            confirm_wording(&a, false, "ana", at),
            false,
        )
        .expect("confirm");
        let got = set.get(&a.id).expect("kept");
        assert_eq!(got.status, Status::NeedsReview);
        assert_eq!(got.state, AnchorState::Anchored);
        assert_eq!(got.checked_wording, None);
        let d = got.wording_decision.as_ref().expect("decision recorded");
        assert_eq!(
            (
                d.from.as_str(),
                d.to.as_str(),
                d.verdict_kept,
                d.by.as_str(),
                d.at
            ),
            (
                "The plan costs $1 billion",
                "The plan costs $4 billion",
                false,
                "ana",
                at
            )
        );
        assert_eq!(h.undo(&mut set).as_deref(), Some("Confirm"));
        assert_eq!(set.get(&a.id), Some(&a));
    }

    #[test]
    fn does_not_affect_the_verdict_keeps_approved_and_records_who() {
        let (mut set, a) = changed_approved_claim();
        let at = jiff::Timestamp::from_second(1_800_000_000).expect("time");
        confirm_wording(&a, true, "bo", at)
            .apply(&mut set)
            .expect("confirm");
        let got = set.get(&a.id).expect("kept");
        assert_eq!(got.status, Status::Approved);
        assert!(!got.wording_changed());
        let d = got.wording_decision.as_ref().expect("decision recorded");
        assert!(d.verdict_kept);
        assert_eq!((d.by.as_str(), d.at), ("bo", at));
    }

    #[test]
    fn confirming_an_unchanged_wording_records_no_decision() {
        let (_, mut a) = changed_approved_claim();
        a.checked_wording = None;
        let Edit::Replace(got) = confirm_wording(&a, false, "ana", crate::model::now()) else {
            panic!("a replace");
        };
        assert_eq!(got.status, Status::Approved);
        assert_eq!(got.wording_decision, None);
        assert_eq!(got.state, AnchorState::Anchored);
    }

    #[test]
    fn failing_batch_leaves_set_unchanged() {
        let (mut set, a) = sample();
        let before = set.clone();
        let err = Edit::Batch(vec![
            Edit::Insert(a.clone()),
            Edit::Remove(AnnotationId("missing".into())),
        ])
        .apply(&mut set);
        assert!(err.is_err());
        assert_eq!(set, before);
    }

    #[test]
    fn story_details_are_undone_and_need_a_sidecar() {
        let mut sidecar = Sidecar::new("s.txt", "x", 39, "UTF-8");
        let meta = StoryMeta {
            url: Some("https://news.example/story".into()),
            headline: "Bridge budget".into(),
            ..StoryMeta::default()
        };
        let mut h = History::new();
        h.apply(
            &mut sidecar,
            "Edit story details",
            Edit::SetMeta(Some(meta.clone())),
            false,
        )
        .expect("set");
        assert_eq!(sidecar.meta.as_ref(), Some(&meta));
        assert_eq!(h.undo(&mut sidecar).as_deref(), Some("Edit story details"));
        assert_eq!(sidecar.meta, None);
        assert_eq!(h.redo(&mut sidecar).as_deref(), Some("Edit story details"));
        assert_eq!(sidecar.meta.as_ref(), Some(&meta));
        let mut set = AnnotationSet::default();
        assert_eq!(Edit::SetMeta(None).apply(&mut set), Err(EditError::NoMeta));
    }

    #[test]
    fn dismissing_is_undone_and_needs_a_sidecar() {
        let text = StoryText::new("The mayor said taxes fell by 4 percent.".to_owned());
        let d = DismissedSuggestion {
            anchor: Anchor::from_span(&text, Span::new(0, 39)),
            by: "t".into(),
            at: crate::model::now(),
        };
        let mut sidecar = Sidecar::new("s.txt", "x", 39, "UTF-8");
        let mut h = History::new();
        h.apply(&mut sidecar, "Dismiss", Edit::Dismiss(d.clone()), false)
            .expect("dismiss");
        assert_eq!(sidecar.dismissed_suggestions, vec![d.clone()]);
        assert!(
            Edit::Dismiss(d.clone()).apply(&mut sidecar).is_err(),
            "twice is refused"
        );
        assert_eq!(h.undo(&mut sidecar).as_deref(), Some("Dismiss"));
        assert!(sidecar.dismissed_suggestions.is_empty());
        assert_eq!(h.redo(&mut sidecar).as_deref(), Some("Dismiss"));
        assert_eq!(sidecar.dismissed_suggestions, vec![d.clone()]);
        let mut set = AnnotationSet::default();
        assert_eq!(
            Edit::Dismiss(d).apply(&mut set),
            Err(EditError::NoDismissals)
        );
    }
}
