//! Three-way merge of annotation sets by id, field by field, and of whole sidecars.
//!
//! Used when a sidecar changed on disk while it was open (base = the version last loaded or
//! saved, ours = memory, theirs = disk), and by the git merge driver
//! (`factmark merge-driver`, through [`merge_sidecars`]). The rules:
//! - added on one side: kept; added on both sides with the same id (no common base): one
//!   annotation, every field the two disagree on is a conflict;
//! - deleted on one side and untouched on the other: deleted; deleted on one side and edited
//!   on the other: kept (the edit wins, nothing is lost);
//! - edited on both sides: per [`Field`], whichever side changed it wins; both changed it to
//!   different values: ours stays in the field and theirs is recorded as a [`Conflict`];
//!   two highlights on the same span with the same quote are not a conflict (they differ only
//!   in context or anchoring state, e.g. both sides re-anchored): the better-anchored wins;
//!   between two equally good ones the choice does not depend on which side is ours;
//! - comments: a union, except that a comment one side deleted stays deleted; new ones are
//!   sorted by time;
//! - recorded conflicts: a union, except that one resolved (removed) on one side stays
//!   resolved;
//! - `author`, `created`: whichever side changed it; `modified`: the later.
//! - dismissed suggestions: a three-way set merge keyed by quote and span
//!   ([`merge_dismissed`]); a dismissal one side undid stays undone.
//!
//! The result does not depend on argument order beyond "ours stays in the field", and merging
//! a set with itself, or with an unchanged base, gives it back unchanged.
//!
//! This module must not depend on any UI crate and does no I/O: the caller reads the files
//! and the story and writes the result.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use crate::anchor::AnchorState;
use crate::model::{
    Annotation, AnnotationId, AnnotationSet, Comment, Conflict, Field, FieldValue, Label, Link,
    Rating, RatingScale,
};
use crate::reanchor::{self, ReanchorCounts};
use crate::sidecar::{DismissedSuggestion, Sidecar};
use crate::text::Story;

/// What a merge did, for the message the user sees.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Annotations that came in from the other side.
    pub added: usize,
    /// Annotations the other side deleted (and we had not edited).
    pub removed: usize,
    /// Annotations that took at least one field from the other side.
    pub updated: usize,
    /// `(annotation, field)` pairs changed differently on both sides.
    pub conflicts: Vec<(AnnotationId, Field)>,
}

impl MergeReport {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }

    pub fn changed_anything(&self) -> bool {
        self.added + self.removed + self.updated > 0 || !self.conflicts.is_empty()
    }

    /// "3 added, 1 updated by another editor; 1 conflict to resolve".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.added > 0 {
            parts.push(format!("{} added", self.added));
        }
        if self.removed > 0 {
            parts.push(format!("{} removed", self.removed));
        }
        if self.updated > 0 {
            parts.push(format!("{} updated", self.updated));
        }
        let mut s = if parts.is_empty() {
            "no changes from the other editor".to_owned()
        } else {
            format!("{} by another editor", parts.join(", "))
        };
        if !self.conflicts.is_empty() {
            let n = self.conflicts.len();
            s.push_str(&format!(
                "; {n} conflict{} to resolve",
                if n == 1 { "" } else { "s" }
            ));
        }
        s
    }
}

/// Merges `ours` and `theirs`, both descended from `base`.
pub fn merge3(
    base: &AnnotationSet,
    ours: &AnnotationSet,
    theirs: &AnnotationSet,
) -> (AnnotationSet, MergeReport) {
    // Borrowed indexes: only annotations that end up in the result are cloned.
    let base_ix = index(base);
    let (ours_ix, theirs_ix) = (index(ours), index(theirs));
    // Sorted ids make the report's order (and so the driver's messages) deterministic.
    let ids: BTreeSet<&AnnotationId> = ours_ix.keys().chain(theirs_ix.keys()).copied().collect();
    let mut report = MergeReport::default();
    let mut merged = Vec::with_capacity(ids.len());

    for id in ids {
        let b = base_ix.get(id).copied();
        match (ours_ix.get(id).copied(), theirs_ix.get(id).copied()) {
            (Some(o), None) => match b {
                // They deleted it: follow unless we edited it since.
                Some(b) if b == o => report.removed += 1,
                _ => merged.push(o.clone()),
            },
            (None, Some(t)) => match b {
                // We deleted it: stay deleted unless they edited it since.
                Some(b) if b == t => {}
                Some(_) => {
                    report.updated += 1;
                    merged.push(t.clone());
                }
                None => {
                    report.added += 1;
                    merged.push(t.clone());
                }
            },
            (Some(o), Some(t)) => {
                let (a, took_theirs, conflicts) = merge_annotation(b, o, t);
                if took_theirs {
                    report.updated += 1;
                }
                report
                    .conflicts
                    .extend(conflicts.into_iter().map(|f| (id.clone(), f)));
                merged.push(a);
            }
            (None, None) => {}
        }
    }
    let (set, _duplicates) = AnnotationSet::from_vec(merged);
    (set, report)
}

fn index(set: &AnnotationSet) -> HashMap<&AnnotationId, &Annotation> {
    set.iter().map(|a| (&a.id, a)).collect()
}

/// The value of a plain attribute after a three-way merge: whichever side changed it, ours
/// when both did.
fn pick3<'a, T: PartialEq>(base: Option<&T>, ours: &'a T, theirs: &'a T) -> &'a T {
    if ours != theirs && base == Some(ours) {
        theirs
    } else {
        ours
    }
}

/// Merges one annotation; returns it, whether any field came from theirs, and the fields in
/// conflict.
fn merge_annotation(
    base: Option<&Annotation>,
    ours: &Annotation,
    theirs: &Annotation,
) -> (Annotation, bool, Vec<Field>) {
    if ours == theirs {
        return (ours.clone(), false, Vec::new());
    }
    let mut out = ours.clone();
    let mut took_theirs = false;
    let mut new_conflicts = Vec::new();
    for field in Field::ALL {
        let o = ours.get(field);
        let t = theirs.get(field);
        if o == t {
            continue;
        }
        let b = base.map(|b| b.get(field));
        if let (FieldValue::Comments(oc), FieldValue::Comments(tc)) = (&o, &t) {
            let base_comments = base.map(|b| b.comments.as_slice());
            if let Some(all) = merge_comments(base_comments, oc, tc) {
                out.comments = all;
                took_theirs = true;
            }
            continue;
        }
        if let (FieldValue::Links(ol), FieldValue::Links(tl)) = (&o, &t) {
            // A set: links added on either side are kept, removed on either side go.
            let merged = merge_links(base.map(|b| b.links.as_slice()), ol, tl);
            if merged != *ol {
                out.links = merged;
                took_theirs = true;
            }
            continue;
        }
        if b.as_ref() == Some(&o) {
            out.set(field, t);
            took_theirs = true;
        } else if b.as_ref() == Some(&t) {
            // Only we changed it: keep ours.
        } else if let Some(take_theirs) = same_place(&o, &t) {
            if take_theirs {
                out.set(field, t);
                took_theirs = true;
            }
        } else {
            // Both changed it (or there is no common base): keep ours, record theirs.
            new_conflicts.push(Conflict { field, theirs: t });
        }
    }

    // Recorded conflicts, three-way as a set: kept unless one side resolved it.
    let in_base = |c: &Conflict| base.is_some_and(|b| b.conflicts.contains(c));
    let mut conflicts: Vec<Conflict> = ours
        .conflicts
        .iter()
        .filter(|c| !in_base(c) || theirs.conflicts.contains(c))
        .cloned()
        .collect();
    for c in &theirs.conflicts {
        if !in_base(c) && !conflicts.contains(c) {
            conflicts.push(c.clone());
        }
    }
    let mut fields = Vec::new();
    for c in new_conflicts {
        fields.push(c.field);
        if !conflicts.contains(&c) {
            conflicts.push(c);
        }
    }
    if conflicts != ours.conflicts {
        out.conflicts = conflicts;
    }

    out.author = pick3(base.map(|b| &b.author), &ours.author, &theirs.author).clone();
    out.created = *pick3(base.map(|b| &b.created), &ours.created, &theirs.created);
    out.modified = match base.map(|b| b.modified) {
        Some(b) if b == ours.modified => theirs.modified,
        Some(b) if b == theirs.modified => ours.modified,
        _ => ours.modified.max(theirs.modified),
    };
    (out, took_theirs, fields)
}

/// Links merged as a set, three-way: each side's additions are kept, and a link either
/// side removed (present in the base) goes. The result does not depend on which side is
/// ours: when only one side changed the set, that side's list is taken as it is; otherwise
/// the base's surviving links keep their order and the additions follow, sorted.
fn merge_links(base: Option<&[Link]>, ours: &[Link], theirs: &[Link]) -> Vec<Link> {
    let base = base.unwrap_or_default();
    let set = |l: &[Link]| l.iter().cloned().collect::<BTreeSet<Link>>();
    let (base_set, ours_set, theirs_set) = (set(base), set(ours), set(theirs));
    let dedup = |l: &[Link]| {
        let mut seen = BTreeSet::new();
        l.iter()
            .filter(|x| seen.insert(*x))
            .cloned()
            .collect::<Vec<Link>>()
    };
    match (ours_set == base_set, theirs_set == base_set) {
        (true, true) => return dedup(base),
        (false, true) => return dedup(ours),
        (true, false) => return dedup(theirs),
        (false, false) => {}
    }
    let kept = |l: &Link| {
        let removed = |side: &BTreeSet<Link>| base_set.contains(l) && !side.contains(l);
        !removed(&ours_set) && !removed(&theirs_set)
    };
    let mut out = dedup(base);
    out.retain(|l| kept(l));
    let added: BTreeSet<Link> = ours_set
        .union(&theirs_set)
        .filter(|l| !base_set.contains(*l))
        .cloned()
        .collect();
    out.extend(added);
    out
}

/// Comments, three-way: everything either side has, minus what one side deleted from the
/// base. `None` when that is exactly ours (so ours keeps its order); exactly theirs keeps
/// theirs' order; anything else is sorted by time.
fn merge_comments(
    base: Option<&[Comment]>,
    ours: &[Comment],
    theirs: &[Comment],
) -> Option<Vec<Comment>> {
    let base = base.unwrap_or_default();
    let theirs_set: BTreeSet<&Comment> = theirs.iter().collect();
    let ours_set: BTreeSet<&Comment> = ours.iter().collect();
    let base_set: BTreeSet<&Comment> = base.iter().collect();
    let deleted_by_theirs = |c: &Comment| base_set.contains(c) && !theirs_set.contains(c);
    let added_by_theirs: Vec<&Comment> = theirs
        .iter()
        .filter(|c| !ours_set.contains(c) && !base_set.contains(c))
        .collect();
    if added_by_theirs.is_empty() && !ours.iter().any(deleted_by_theirs) {
        return None;
    }
    let all: Vec<Comment> = ours
        .iter()
        .filter(|c| !deleted_by_theirs(c))
        .chain(added_by_theirs)
        .cloned()
        .collect();
    let all_set: BTreeSet<&Comment> = all.iter().collect();
    if all_set == theirs_set {
        // Exactly theirs (only they changed the comments): keep their order too.
        return Some(theirs.to_vec());
    }
    let mut all = all;
    all.dedup();
    // Stable: comments with the same time keep ours-then-theirs order.
    all.sort_by_key(|a| a.time);
    Some(all)
}

/// Two anchors on the same span with the same quote are the same highlight, even when their
/// context or state differ (both sides re-anchored, one confirmed it): not a conflict.
/// Returns whether to take theirs: the better-anchored one; between equally anchored ones
/// the choice depends only on the values (not on which side is ours), so both clones of a
/// repository merge to the same bytes. `None` when the values are not two such anchors.
fn same_place(ours: &FieldValue, theirs: &FieldValue) -> Option<bool> {
    let (FieldValue::Anchor(oa, os), FieldValue::Anchor(ta, ts)) = (ours, theirs) else {
        return None;
    };
    if (oa.start, oa.end, &oa.quote) != (ta.start, ta.end, &ta.quote) {
        return None;
    }
    let rank = |s: &AnchorState| match s {
        AnchorState::Anchored => (2, 0.0f32),
        AnchorState::Reanchored { confidence } => (1, *confidence),
        AnchorState::Orphaned => (0, 0.0),
    };
    let (or, tr) = (rank(os), rank(ts));
    let by_state = tr.0.cmp(&or.0).then(tr.1.total_cmp(&or.1));
    let by_context = (&ta.prefix, &ta.suffix).cmp(&(&oa.prefix, &oa.suffix));
    Some(by_state.then(by_context).is_gt())
}

/// What merging two sidecars did.
#[derive(Clone, Debug)]
pub struct SidecarMerge {
    pub sidecar: Sidecar,
    pub report: MergeReport,
    /// Set when the annotations were re-anchored against the story (the sides had been
    /// anchored against different texts).
    pub reanchored: Option<ReanchorCounts>,
    /// Sidecar settings both sides changed differently, one sentence each. Ours is kept
    /// for what both define, theirs adds what only it defines.
    pub settings_conflicts: Vec<String>,
}

impl SidecarMerge {
    pub fn is_clean(&self) -> bool {
        self.report.is_clean() && self.settings_conflicts.is_empty()
    }
}

/// Merges whole sidecars: the annotation sets with [`merge3`], and the header (story name,
/// text hash and length, encoding, label and rating-scale overrides) three-way.
///
/// `story` is the story as it is on disk now. It is taken as the merged story, and every
/// side anchored against another text is re-anchored against it before merging, when it is
/// known to be the merged one: its hash is what the three sides' text hashes merge to (only
/// one side changed the story, or both made the same change), or, when both sides changed
/// the story differently, a text neither side had (so the stories were merged already).
/// Otherwise (git runs merge drivers before it updates the working tree, so the file on
/// disk is still our side's version) anchors are left alone; the window re-anchors them
/// when the story is opened.
pub fn merge_sidecars(
    base: Option<&Sidecar>,
    ours: &Sidecar,
    theirs: &Sidecar,
    story: Option<&Story>,
) -> SidecarMerge {
    let hash = |s: &Sidecar| (s.text_sha256.clone(), s.text_chars);
    let base_hash = base.map(hash);
    let (ours_hash, theirs_hash) = (hash(ours), hash(theirs));
    let merged_hash = if ours_hash == theirs_hash {
        Some(&ours_hash)
    } else if base_hash.as_ref() == Some(&ours_hash) {
        Some(&theirs_hash)
    } else if base_hash.as_ref() == Some(&theirs_hash) {
        Some(&ours_hash)
    } else {
        None
    };
    let story = story.filter(|s| {
        let h = s.text.sha256();
        match merged_hash {
            Some((m, _)) => m == h,
            None => {
                h != ours_hash.0
                    && h != theirs_hash.0
                    && base_hash.as_ref().is_none_or(|b| b.0 != h)
            }
        }
    });

    let empty = AnnotationSet::default();
    let mut sets = [
        Cow::Borrowed(base.map_or(&empty, |b| &b.annotations)),
        Cow::Borrowed(&ours.annotations),
        Cow::Borrowed(&theirs.annotations),
    ];
    if let Some(story) = story {
        let sides = [base, Some(ours), Some(theirs)];
        for (set, side) in sets.iter_mut().zip(sides) {
            if side.is_some_and(|s| s.text_sha256 != story.text.sha256()) {
                *set = Cow::Owned(reanchor_set(story, set));
            }
        }
    }
    let (annotations, report) = merge3(&sets[0], &sets[1], &sets[2]);

    let mut settings_conflicts = Vec::new();
    let labels = merge_overrides(
        base.map(|b| &b.labels),
        &ours.labels,
        &theirs.labels,
        |l: &Label| l.name.clone(),
    )
    .unwrap_or_else(|(kept, names)| {
        settings_conflicts.push(format!(
            "both sides changed the label overrides: kept ours for {names}, added theirs' other labels"
        ));
        kept
    });
    let rating_scale = merge_overrides(
        base.map(|b| b.rating_scale.as_ref().map(|s| &s.ratings).cloned()).as_ref(),
        &ours.rating_scale.as_ref().map(|s| s.ratings.clone()),
        &theirs.rating_scale.as_ref().map(|s| s.ratings.clone()),
        |r: &Rating| r.name.clone(),
    )
    .unwrap_or_else(|(kept, names)| {
        settings_conflicts.push(format!(
            "both sides changed the rating scale: kept ours for {names}, added theirs' other ratings"
        ));
        kept
    })
    .map(|ratings| RatingScale { ratings });

    let mut sidecar = Sidecar {
        story: pick3(base.map(|b| &b.story), &ours.story, &theirs.story).clone(),
        text_sha256: String::new(),
        text_chars: 0,
        encoding: pick3(base.map(|b| &b.encoding), &ours.encoding, &theirs.encoding).clone(),
        labels,
        rating_scale,
        source_format: *pick3(
            base.map(|b| &b.source_format),
            &ours.source_format,
            &theirs.source_format,
        ),
        extractor: pick3(
            base.map(|b| &b.extractor),
            &ours.extractor,
            &theirs.extractor,
        )
        .clone(),
        meta: pick3(base.map(|b| &b.meta), &ours.meta, &theirs.meta).clone(),
        annotations,
        dismissed_suggestions: merge_dismissed(
            base.map_or(&[][..], |b| &b.dismissed_suggestions),
            &ours.dismissed_suggestions,
            &theirs.dismissed_suggestions,
        ),
    };
    if let Some(story) = story
        && let Some(found) =
            reanchor::reanchor_dismissed(&story.text, &sidecar.dismissed_suggestions)
    {
        sidecar.dismissed_suggestions = found;
    }
    let mut reanchored = None;
    match story {
        Some(story) => {
            sidecar.text_sha256 = story.text.sha256().to_owned();
            sidecar.text_chars = story.text.len_chars();
            sidecar.encoding = story.encoding.to_owned();
            if [base, Some(ours), Some(theirs)]
                .into_iter()
                .flatten()
                .any(|s| s.text_sha256 != story.text.sha256())
            {
                reanchored = Some(verify_anchors(story, &mut sidecar.annotations));
            }
        }
        None => {
            let (h, n) = pick3(base_hash.as_ref(), &ours_hash, &theirs_hash).clone();
            sidecar.text_sha256 = h;
            sidecar.text_chars = n;
        }
    }
    SidecarMerge {
        sidecar,
        report,
        reanchored,
        settings_conflicts,
    }
}

/// The sidecar's fields beside its annotations, merged three-way into `ours`: the dismissed
/// suggestions (a set) and the story's details. Every merge of a whole sidecar (a save that
/// finds the file changed, a reload of an outside change) calls this after [`merge3`].
pub fn merge_story_fields(base: &Sidecar, ours: &mut Sidecar, theirs: &Sidecar) {
    ours.dismissed_suggestions = merge_dismissed(
        &base.dismissed_suggestions,
        &ours.dismissed_suggestions,
        &theirs.dismissed_suggestions,
    );
    ours.meta = merge_meta(&base.meta, &ours.meta, &theirs.meta);
}

/// Three-way merge of dismissed suggestions, as a set keyed by quote and span
/// ([`DismissedSuggestion::same_place`]): one both sides hold is kept (ours, with our
/// `by`/`at`); one only one side holds is kept if that side added it (it is not in the
/// base) and dropped if the other side removed it (an undone dismissal stays undone).
/// Ours come first, then theirs' additions, so the order is stable.
pub fn merge_dismissed(
    base: &[DismissedSuggestion],
    ours: &[DismissedSuggestion],
    theirs: &[DismissedSuggestion],
) -> Vec<DismissedSuggestion> {
    let has = |list: &[DismissedSuggestion], d: &DismissedSuggestion| {
        list.iter().any(|x| x.same_place(d))
    };
    let mut out: Vec<DismissedSuggestion> = Vec::with_capacity(ours.len());
    for d in ours {
        if (has(theirs, d) || !has(base, d)) && !has(&out, d) {
            out.push(d.clone());
        }
    }
    for d in theirs {
        if !has(ours, d) && !has(base, d) && !has(&out, d) {
            out.push(d.clone());
        }
    }
    out
}

/// Three-way merge of the story's details (SPEC 11), taken whole: theirs when we did not
/// change them since the base, else ours (details typed in this window win over an older
/// save, and an outside edit is not reverted by a save that did not touch them).
pub fn merge_meta(
    base: &Option<crate::sources::StoryMeta>,
    ours: &Option<crate::sources::StoryMeta>,
    theirs: &Option<crate::sources::StoryMeta>,
) -> Option<crate::sources::StoryMeta> {
    pick3(Some(base), ours, theirs).clone()
}

/// A set re-anchored against `story` (outcomes applied; orphans keep every field).
fn reanchor_set(story: &Story, set: &AnnotationSet) -> AnnotationSet {
    let (updated, _) = reanchor::reanchor_set(&story.text, set, true);
    updated.unwrap_or_else(|| set.clone())
}

/// Re-anchors the merged set in place (a field taken from one side may carry an anchor
/// from it) and counts the outcomes.
fn verify_anchors(story: &Story, set: &mut AnnotationSet) -> ReanchorCounts {
    let (updated, counts) = reanchor::reanchor_set(&story.text, set, true);
    if let Some(updated) = updated {
        *set = updated;
    }
    counts
}

/// Three-way merge of an optional list override (labels, ratings) keyed by name.
/// When both sides changed it, the result is ours' entries, then theirs' entries with names
/// ours does not have; that is `Err((union, names))` when both define a name differently
/// (theirs' value for `names` is not kept), `Ok` otherwise.
#[allow(clippy::type_complexity)]
fn merge_overrides<T: Clone + PartialEq>(
    base: Option<&Option<Vec<T>>>,
    ours: &Option<Vec<T>>,
    theirs: &Option<Vec<T>>,
    name: impl Fn(&T) -> String,
) -> Result<Option<Vec<T>>, (Option<Vec<T>>, String)> {
    if ours == theirs || base == Some(theirs) {
        return Ok(ours.clone());
    }
    if base == Some(ours) {
        return Ok(theirs.clone());
    }
    let (o, t) = (
        ours.as_deref().unwrap_or_default(),
        theirs.as_deref().unwrap_or_default(),
    );
    let mut union = o.to_vec();
    let mut differing = Vec::new();
    for item in t {
        match o.iter().find(|x| name(x) == name(item)) {
            None => union.push(item.clone()),
            Some(x) if x != item => differing.push(format!("“{}”", name(item))),
            Some(_) => {}
        }
    }
    if differing.is_empty() {
        // Only additions and removals: the union loses no one's value.
        return Ok(Some(union));
    }
    Err((Some(union), differing.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::{Anchor, Span};
    use crate::model::Status;
    use crate::text::StoryText;

    fn set(v: Vec<Annotation>) -> AnnotationSet {
        AnnotationSet::from_vec(v).0
    }

    #[test]
    fn links_added_on_both_sides_merge_the_same_whichever_side_is_ours() {
        let link = |id: &str| Link {
            kind: crate::model::LinkKind::SameClaim,
            story: "other.txt".into(),
            id: AnnotationId(id.into()),
        };
        let a = [link("b"), link("a")];
        let b = [link("c"), link("a")];
        let merged = merge_links(None, &a, &b);
        assert_eq!(merged, merge_links(None, &b, &a));
        assert_eq!(merged, vec![link("a"), link("b"), link("c")]);
        // Only one side changed the set: that side's list, as it is.
        assert_eq!(merge_links(Some(&a), &a, &b), b.to_vec());
        assert_eq!(merge_links(Some(&a), &b, &a), b.to_vec());
    }

    #[test]
    fn links_merge_as_a_set() {
        let link = |id: &str| Link {
            kind: crate::model::LinkKind::SameClaim,
            story: "other.txt".into(),
            id: AnnotationId(id.into()),
        };
        let mut base = base_ann();
        base.links = vec![link("kept"), link("gone")];
        let mut ours = base.clone();
        ours.links = vec![link("kept"), link("gone"), link("ours")];
        let mut theirs = base.clone();
        theirs.links = vec![link("kept"), link("theirs")];
        let (merged, _) = merge3(&set(vec![base]), &set(vec![ours]), &set(vec![theirs]));
        let a = &merged.as_slice()[0];
        assert_eq!(a.links, vec![link("kept"), link("ours"), link("theirs")]);
        assert!(a.conflicts.is_empty());
    }

    fn base_ann() -> Annotation {
        let text = StoryText::new("The council spent 3 million on the bridge.".to_owned());
        Annotation::new(Anchor::from_span(&text, Span::new(4, 11)), "Claim", "ana")
    }

    #[test]
    fn different_fields_take_both_edits() {
        let a = base_ann();
        let mut o = a.clone();
        o.verdict = Some("False".into());
        let mut t = a.clone();
        t.status = Status::Approved;
        let (m, r) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t]));
        let got = m.get(&a.id).expect("kept");
        assert_eq!(got.verdict.as_deref(), Some("False"));
        assert_eq!(got.status, Status::Approved);
        assert!(r.is_clean());
        assert_eq!(r.updated, 1);
    }

    #[test]
    fn same_field_is_a_visible_conflict() {
        let a = base_ann();
        let mut o = a.clone();
        o.verdict = Some("False".into());
        let mut t = a.clone();
        t.verdict = Some("True".into());
        let (m, r) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t]));
        let got = m.get(&a.id).expect("kept");
        assert_eq!(got.verdict.as_deref(), Some("False"));
        assert_eq!(
            got.conflicts,
            vec![Conflict {
                field: Field::Verdict,
                theirs: FieldValue::Verdict(Some("True".into()))
            }]
        );
        assert_eq!(r.conflicts, vec![(a.id.clone(), Field::Verdict)]);
    }

    #[test]
    fn adds_deletes_and_comment_union() {
        let a = base_ann();
        let mut b = base_ann();
        b.id = AnnotationId("b".into());
        let mut c = base_ann();
        c.id = AnnotationId("c".into());
        let comment = |text: &str| Comment {
            author: "x".into(),
            time: a.created,
            text: text.into(),
        };
        let mut o_a = a.clone();
        o_a.comments.push(comment("ours"));
        let mut t_a = a.clone();
        t_a.comments.push(comment("theirs"));
        // base {a, b}; ours {a', c}: deleted b, added c; theirs {a'', b}.
        let (m, r) = merge3(
            &set(vec![a.clone(), b.clone()]),
            &set(vec![o_a, c.clone()]),
            &set(vec![t_a, b.clone()]),
        );
        assert!(
            m.get(&b.id).is_none(),
            "our delete of an untouched one holds"
        );
        assert!(m.get(&c.id).is_some(), "our add is kept");
        assert_eq!(m.get(&a.id).map(|x| x.comments.len()), Some(2));
        assert!(r.is_clean());
    }

    #[test]
    fn delete_against_edit_keeps_the_edit() {
        let a = base_ann();
        let mut t = a.clone();
        t.claimant = "The mayor".into();
        let (m, _) = merge3(&set(vec![a.clone()]), &set(vec![]), &set(vec![t.clone()]));
        assert_eq!(m.get(&a.id), Some(&t));
    }

    #[test]
    fn identity_merges() {
        let a = base_ann();
        let s = set(vec![a]);
        assert_eq!(merge3(&s, &s, &s).0, s);
        assert_eq!(merge3(&AnnotationSet::default(), &s, &s).0, s);
    }

    #[test]
    fn added_on_both_sides_without_base_is_one_annotation_with_conflicts() {
        let a = base_ann();
        let mut o = a.clone();
        o.verdict = Some("False".into());
        o.tags = vec!["budget".into()];
        let mut t = a.clone();
        t.verdict = Some("True".into());
        t.tags = vec!["budget".into()];
        let (m, r) = merge3(&AnnotationSet::default(), &set(vec![o]), &set(vec![t]));
        assert_eq!(m.len(), 1);
        let got = m.get(&a.id).expect("kept");
        assert_eq!(got.verdict.as_deref(), Some("False"));
        assert_eq!(got.tags, vec!["budget".to_owned()], "agreeing fields merge");
        assert_eq!(r.conflicts, vec![(a.id.clone(), Field::Verdict)]);
        assert_eq!(r.added, 0, "ours had it already");
    }

    #[test]
    fn a_conflict_resolved_on_one_side_stays_resolved() {
        let mut a = base_ann();
        a.verdict = Some("False".into());
        a.conflicts = vec![Conflict {
            field: Field::Verdict,
            theirs: FieldValue::Verdict(Some("True".into())),
        }];
        // Ours picked theirs' value; they only changed the claimant.
        let mut o = a.clone();
        o.verdict = Some("True".into());
        o.conflicts.clear();
        let mut t = a.clone();
        t.claimant = "The mayor".into();
        let (m, r) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t]));
        let got = m.get(&a.id).expect("kept");
        assert!(got.conflicts.is_empty(), "{:?}", got.conflicts);
        assert_eq!(got.verdict.as_deref(), Some("True"));
        assert_eq!(got.claimant, "The mayor");
        assert!(r.is_clean());
    }

    #[test]
    fn conflicts_recorded_on_both_sides_are_kept_once() {
        let a = base_ann();
        let c1 = Conflict {
            field: Field::Claimant,
            theirs: FieldValue::Text("A".into()),
        };
        let c2 = Conflict {
            field: Field::Status,
            theirs: FieldValue::Status(Status::Disputed),
        };
        let mut o = a.clone();
        o.conflicts = vec![c1.clone()];
        let mut t = a.clone();
        t.conflicts = vec![c1.clone(), c2.clone()];
        let (m, _) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t]));
        assert_eq!(
            m.get(&a.id).map(|x| x.conflicts.clone()),
            Some(vec![c1, c2])
        );
    }

    #[test]
    fn same_span_anchors_are_not_a_conflict_and_the_confirmed_one_wins() {
        let a = base_ann();
        let mut o = a.clone();
        o.anchor.prefix = "Our council ".into();
        o.state = AnchorState::Reanchored { confidence: 0.8 };
        let mut t = a.clone();
        t.anchor.prefix = "Their council ".into();
        let (m, r) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t.clone()]));
        assert!(r.is_clean());
        let got = m.get(&a.id).expect("kept");
        assert_eq!(got.anchor, t.anchor);
        assert_eq!(got.state, AnchorState::Anchored);

        // Different spans on both sides: a real conflict.
        let mut o = a.clone();
        o.anchor.start = 5;
        let mut t = a.clone();
        t.anchor.end = 10;
        let (_, r) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t]));
        assert_eq!(r.conflicts, vec![(a.id.clone(), Field::Anchor)]);
    }

    #[test]
    fn a_comment_deleted_on_one_side_stays_deleted() {
        let mut a = base_ann();
        let comment = |text: &str, s: i64| Comment {
            author: "x".into(),
            time: jiff::Timestamp::from_second(s).expect("time"),
            text: text.into(),
        };
        a.comments = vec![comment("old", 10), comment("keep", 20)];
        let mut o = a.clone();
        o.comments.remove(0);
        let mut t = a.clone();
        t.comments.push(comment("new", 5));
        let (m, _) = merge3(&set(vec![a.clone()]), &set(vec![o]), &set(vec![t]));
        let texts: Vec<String> = m
            .get(&a.id)
            .expect("kept")
            .comments
            .iter()
            .map(|c| c.text.clone())
            .collect();
        assert_eq!(texts, vec!["new", "keep"]);
    }

    #[test]
    fn attributes_follow_the_side_that_changed_them() {
        let a = base_ann();
        let mut t = a.clone();
        t.author = "bo".into();
        t.modified = jiff::Timestamp::from_second(1).expect("time");
        let (m, _) = merge3(
            &set(vec![a.clone()]),
            &set(vec![a.clone()]),
            &set(vec![t.clone()]),
        );
        assert_eq!(
            m.get(&a.id),
            Some(&t),
            "an older time from theirs is still theirs' change"
        );
    }

    fn sidecar(hash: &str, anns: Vec<Annotation>) -> Sidecar {
        let mut s = Sidecar::new("story.txt", hash, 42, "UTF-8");
        s.annotations = set(anns);
        s
    }

    #[test]
    fn sidecar_header_and_overrides_merge_three_way() {
        let base = sidecar("h0", vec![]);
        let mut ours = base.clone();
        ours.labels = Some(vec![Label::new("Claim", "#ff0000", 'c')]);
        let mut theirs = base.clone();
        theirs.encoding = "windows-1252".into();
        theirs.rating_scale = Some(RatingScale::default());
        let m = merge_sidecars(Some(&base), &ours, &theirs, None);
        assert!(m.is_clean());
        assert_eq!(m.sidecar.labels, ours.labels);
        assert_eq!(m.sidecar.rating_scale, theirs.rating_scale);
        assert_eq!(m.sidecar.encoding, "windows-1252");

        // Both define "Claim" differently: ours kept, theirs' extra label added, reported.
        let mut theirs = base.clone();
        theirs.labels = Some(vec![
            Label::new("Claim", "#00ff00", 'c'),
            Label::new("Quote", "#0000ff", 'q'),
        ]);
        let m = merge_sidecars(Some(&base), &ours, &theirs, None);
        assert!(!m.is_clean());
        let names: Vec<&str> = m
            .sidecar
            .labels
            .iter()
            .flatten()
            .map(|l| l.color.as_str())
            .collect();
        assert_eq!(names, vec!["#ff0000", "#0000ff"]);
        assert!(m.settings_conflicts[0].contains("“Claim”"));
    }

    #[test]
    fn sidecars_anchored_against_different_texts_are_reanchored_to_the_merged_story() {
        let old = StoryText::new("The council spent 3 million on the bridge.".to_owned());
        let new_text = "Update: the council spent 3 million on the bridge.";
        let new = StoryText::new(new_text.to_owned());
        let story = Story {
            path: "story.txt".into(),
            text: new.clone(),
            encoding: "UTF-8",
            encoding_guessed: false,
            format: Default::default(),
            meta: Default::default(),
        };
        // Base and theirs anchored on the old text; ours edited the story and re-anchored.
        let a = base_ann();
        let base = sidecar(old.sha256(), vec![a.clone()]);
        let mut theirs = base.clone();
        let mut b = Annotation::new(Anchor::from_span(&old, Span::new(18, 27)), "Claim", "bo");
        b.id = AnnotationId("b".into());
        theirs.annotations.insert(b.clone());
        let mut moved = a.clone();
        moved.anchor = Anchor::from_span(&new, Span::new(12, 19));
        let ours = sidecar(new.sha256(), vec![moved.clone()]);

        let m = merge_sidecars(Some(&base), &ours, &theirs, Some(&story));
        assert!(m.is_clean(), "{:?}", m.report);
        assert_eq!(m.sidecar.text_sha256, new.sha256());
        assert_eq!(
            m.sidecar.annotations.get(&a.id).map(|x| &x.anchor),
            Some(&moved.anchor)
        );
        let got_b = m.sidecar.annotations.get(&b.id).expect("theirs' add kept");
        assert_eq!(got_b.anchor.quote, "3 million");
        assert!(got_b.anchor.holds_in(&new), "{:?}", got_b.anchor);

        // The story on disk being our pre-merge text while theirs changed it: not used.
        let m = merge_sidecars(Some(&ours), &ours, &base, Some(&story));
        assert_eq!(m.sidecar.text_sha256, old.sha256());
        assert!(m.reanchored.is_none());
    }

    #[test]
    fn dismissed_suggestions_merge_as_a_set_keyed_by_quote_and_span() {
        use crate::sidecar::DismissedSuggestion;
        let text = crate::text::StoryText::new("One. Two. Three. Four.".to_owned());
        let d = |start, end, by: &str| DismissedSuggestion {
            anchor: crate::anchor::Anchor::from_span(&text, crate::anchor::Span::new(start, end)),
            by: by.to_owned(),
            at: crate::model::now(),
        };
        let (one, two, three, four) = (d(0, 4, "a"), d(5, 9, "a"), d(10, 16, "b"), d(17, 22, "b"));
        let base = vec![one.clone(), two.clone()];
        // Ours undid `two` and added `three`; theirs added `four` and (again) `three`.
        let ours = vec![one.clone(), three.clone()];
        let theirs = vec![
            one.clone(),
            two.clone(),
            d(10, 16, "someone else"),
            four.clone(),
        ];
        let merged = merge_dismissed(&base, &ours, &theirs);
        assert_eq!(merged, vec![one.clone(), three.clone(), four.clone()]);
        // Merging with an unchanged side gives the other back.
        assert_eq!(merge_dismissed(&base, &base, &ours), ours);
        assert_eq!(
            merge_dismissed(&[], &[], &[]),
            Vec::<DismissedSuggestion>::new()
        );
    }
}
