//! Changed wording end to end in the core (SPEC 9): a story edited under an Approved claim,
//! opened as the window opens it ([`Document`]), confirmed, undone, saved, reopened, merged.

use std::fs;
use std::path::{Path, PathBuf};

use factmark::anchor::{Anchor, AnchorState, Span};
use factmark::document::Document;
use factmark::merge::merge3;
use factmark::model::{Annotation, AnnotationSet, Status};
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;
use factmark::workspace::{ClaimTable, Query, Workspace};

const OLD_QUOTE: &str = "The new bridge will cost $1 billion over ten years";
const NEW_QUOTE: &str = "The new bridge will cost $4 billion over ten years";

fn story_text(quote: &str) -> String {
    format!("City news. {quote}, the mayor said on Monday. Critics disagreed.\n")
}

/// A story with one Approved claim on `OLD_QUOTE`, then the story edited to `NEW_QUOTE`.
fn changed_story(dir: &Path) -> (PathBuf, Annotation) {
    let story = dir.join("bridge.txt");
    let old = StoryText::new(story_text(OLD_QUOTE));
    let start = old.byte_to_char(old.as_str().find(OLD_QUOTE).expect("quote"));
    let mut claim = Annotation::new(
        Anchor::from_span(&old, Span::new(start, start + OLD_QUOTE.chars().count())),
        "Claim",
        "ana",
    );
    claim.verdict = Some("True".into());
    claim.status = Status::Approved;
    let mut sidecar = Sidecar::new("bridge.txt", old.sha256(), old.len_chars(), "UTF-8");
    sidecar.annotations.insert(claim.clone());
    fs::write(sidecar_path(&story), sidecar.to_ron().expect("encode")).expect("sidecar");
    fs::write(&story, story_text(NEW_QUOTE)).expect("story");
    (story, claim)
}

#[test]
fn confirm_sends_back_to_review_undo_restores_and_the_pending_wording_survives_a_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (story, claim) = changed_story(dir.path());
    let mut doc = Document::open(&story).expect("open");
    let a = doc.get(&claim.id).expect("claim").clone();
    assert_eq!(a.anchor.quote, NEW_QUOTE);
    assert_eq!(a.checked_wording.as_deref(), Some(OLD_QUOTE));
    assert!(a.state.needs_confirming());
    assert_eq!(a.status, Status::Approved);

    doc.confirm_wording(&claim.id, false, "bo")
        .expect("confirm");
    let after = doc.get(&claim.id).expect("claim");
    assert_eq!(after.status, Status::NeedsReview);
    assert_eq!(after.state, AnchorState::Anchored);
    let d = after.wording_decision.as_ref().expect("decision");
    assert_eq!(
        (d.from.as_str(), d.to.as_str(), d.by.as_str()),
        (OLD_QUOTE, NEW_QUOTE, "bo")
    );
    assert!(!d.verdict_kept);

    assert_eq!(doc.undo().as_deref(), Some("Confirm changed wording"));
    assert_eq!(doc.get(&claim.id), Some(&a));

    // Saved undecided, the next open still shows the wording it was checked against, even
    // though the story no longer drifts from the sidecar.
    doc.save().expect("save");
    let text = fs::read_to_string(sidecar_path(&story)).expect("read sidecar");
    assert!(
        text.contains(&format!("checked_wording: Some(\"{OLD_QUOTE}\")")),
        "{text}"
    );
    let reopened = Document::open(&story).expect("reopen");
    let r = reopened.get(&claim.id).expect("claim");
    assert!(r.wording_changed());
    assert_eq!(r.status, Status::Approved);
}

#[test]
fn the_plain_confirm_never_keeps_an_approved_verdict_on_changed_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (story, claim) = changed_story(dir.path());
    let mut doc = Document::open(&story).expect("open");
    doc.confirm(&claim.id).expect("confirm");
    assert_eq!(
        doc.get(&claim.id).map(|a| a.status),
        Some(Status::NeedsReview)
    );
}

#[test]
fn keeping_the_verdict_is_recorded_and_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (story, claim) = changed_story(dir.path());
    let mut doc = Document::open(&story).expect("open");
    doc.confirm_wording(&claim.id, true, "bo").expect("confirm");
    doc.save().expect("save");
    let reopened = Document::open(&story).expect("reopen");
    let r = reopened.get(&claim.id).expect("claim");
    assert_eq!(r.status, Status::Approved);
    assert!(!r.wording_changed());
    let d = r.wording_decision.as_ref().expect("decision saved");
    assert!(d.verdict_kept);
    assert_eq!(d.by, "bo");
}

#[test]
fn two_editors_who_both_saw_the_change_merge_without_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (story, claim) = changed_story(dir.path());
    let doc = Document::open(&story).expect("open");
    let (base, _) = AnnotationSet::from_vec(vec![claim.clone()]);
    let ours = doc.annotations().clone();
    let theirs = doc.annotations().clone();
    let (merged, report) = merge3(&base, &ours, &theirs);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(
        merged
            .get(&claim.id)
            .and_then(|a| a.checked_wording.as_deref()),
        Some(OLD_QUOTE)
    );
    // One side decided, the other did not touch it: the decision wins, nothing pending.
    let mut decided = Document::open(&story).expect("open");
    decided
        .confirm_wording(&claim.id, false, "bo")
        .expect("confirm");
    let (merged, report) = merge3(&ours, decided.annotations(), &theirs);
    assert!(report.is_clean(), "{report:?}");
    let m = merged.get(&claim.id).expect("claim");
    assert!(!m.wording_changed());
    assert_eq!(m.status, Status::NeedsReview);
}

#[test]
fn the_folder_counts_and_filters_changed_wording() {
    let dir = tempfile::tempdir().expect("tempdir");
    changed_story(dir.path());
    let other = dir.path().join("other.txt");
    let text = StoryText::new("Nothing changed in this story at all.".to_owned());
    let mut sidecar = Sidecar::new("other.txt", text.sha256(), text.len_chars(), "UTF-8");
    sidecar.annotations.insert(Annotation::new(
        Anchor::from_span(&text, Span::new(0, 7)),
        "Claim",
        "ana",
    ));
    fs::write(&other, text.as_str()).expect("story");
    fs::write(sidecar_path(&other), sidecar.to_ron().expect("encode")).expect("sidecar");

    let ws = Workspace::open(dir.path()).expect("scan");
    assert_eq!(ws.totals().wording_changed, 1);
    let table = ClaimTable::new(&ws);
    assert_eq!(table.query(&Query::default()).len(), 2);
    let rows = table.query(&Query {
        wording_changed: true,
        ..Query::default()
    });
    assert_eq!(rows.len(), 1);
    let a = ws.annotation(rows[0]).expect("row");
    assert_eq!(a.anchor.quote, NEW_QUOTE);
}
