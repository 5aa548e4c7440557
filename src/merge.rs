//! Three-way merge of annotation sets by id, field by field.
//!
//! Used when a sidecar changed on disk while it was open (base = the version last loaded or
//! saved, ours = memory, theirs = disk), and by the git merge driver. The rules:
//! - added on one side: kept;
//! - deleted on one side and untouched on the other: deleted; deleted on one side and edited
//!   on the other: kept (the edit wins, nothing is lost);
//! - edited on both sides: per [`Field`], whichever side changed it wins; both changed it to
//!   different values: ours stays in the field and theirs is recorded as a [`Conflict`];
//! - comments are merged as a union, sorted by time.
//!
//! The result does not depend on argument order beyond "ours stays in the field", and merging
//! a set with itself, or with an unchanged base, gives it back unchanged.
//!
//! This module must not depend on any UI crate.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Annotation, AnnotationId, AnnotationSet, Conflict, Field, FieldValue};

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
    let index = |set: &AnnotationSet| -> BTreeMap<AnnotationId, Annotation> {
        set.iter().map(|a| (a.id.clone(), a.clone())).collect()
    };
    let (base, ours, theirs) = (index(base), index(ours), index(theirs));
    let ids: BTreeSet<&AnnotationId> = ours.keys().chain(theirs.keys()).collect();
    let mut report = MergeReport::default();
    let mut merged = Vec::with_capacity(ids.len());

    for id in ids {
        match (base.get(id), ours.get(id), theirs.get(id)) {
            (_, Some(o), None) => match base.get(id) {
                // They deleted it: follow unless we edited it since.
                Some(b) if b == o => report.removed += 1,
                _ => merged.push(o.clone()),
            },
            (_, None, Some(t)) => match base.get(id) {
                // We deleted it: stay deleted unless they edited it since.
                Some(b) if b == t => {}
                Some(_) => merged.push(t.clone()),
                None => {
                    report.added += 1;
                    merged.push(t.clone());
                }
            },
            (b, Some(o), Some(t)) => {
                let (a, took_theirs, conflicts) = merge_annotation(b, o, t);
                if took_theirs {
                    report.updated += 1;
                }
                report
                    .conflicts
                    .extend(conflicts.into_iter().map(|f| (id.clone(), f)));
                merged.push(a);
            }
            (_, None, None) => {}
        }
    }
    let (set, _duplicates) = AnnotationSet::from_vec(merged);
    (set, report)
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
    let mut conflicts = Vec::new();
    for field in Field::ALL {
        let o = ours.get(field);
        let t = theirs.get(field);
        if o == t {
            continue;
        }
        if field == Field::Comments {
            let (FieldValue::Comments(oc), FieldValue::Comments(tc)) = (o, t) else {
                continue;
            };
            let union: BTreeSet<_> = oc.into_iter().chain(tc).collect();
            let mut all: Vec<_> = union.into_iter().collect();
            all.sort_by(|a, b| (a.time, &a.author, &a.text).cmp(&(b.time, &b.author, &b.text)));
            out.comments = all;
            took_theirs = true;
            continue;
        }
        let b = base.map(|b| b.get(field));
        if b.as_ref() == Some(&o) {
            out.set(field, t);
            took_theirs = true;
        } else if b.as_ref() == Some(&t) {
            // Only we changed it: keep ours.
        } else {
            // Both changed it (or there is no common base): keep ours, record theirs,
            // unless that exact conflict is already recorded.
            let conflict = Conflict { field, theirs: t };
            if !out.conflicts.contains(&conflict) {
                out.conflicts.push(conflict);
            }
            conflicts.push(field);
        }
    }
    // Conflicts recorded on their side are carried over too.
    for c in &theirs.conflicts {
        if !out.conflicts.contains(c) {
            out.conflicts.push(c.clone());
        }
    }
    out.modified = ours.modified.max(theirs.modified);
    (out, took_theirs, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::{Anchor, Span};
    use crate::model::{Comment, Status};
    use crate::text::StoryText;

    fn set(v: Vec<Annotation>) -> AnnotationSet {
        AnnotationSet::from_vec(v).0
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
}
