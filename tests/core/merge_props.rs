//! Three-way merges as a whole: for any sets (and any edits of them), merging is
//! deterministic, merging a set with itself or with an unchanged base gives it back, and
//! swapping the sides changes nothing but which value sits in a conflicted field.

use crate::support;

use std::collections::BTreeSet;

use factmark::merge::{merge_sidecars, merge3};
use factmark::model::{Annotation, AnnotationSet, Field};
use proptest::prelude::*;
use support::{any_annotation, any_set, any_sidecar};

/// One side's edits of a base: some annotations deleted, some with one field replaced by
/// the same field of a generated annotation, some new ones.
#[derive(Clone, Debug)]
struct Edits {
    delete: Vec<prop::sample::Index>,
    change: Vec<(prop::sample::Index, prop::sample::Index, Annotation)>,
    add: Vec<Annotation>,
}

fn any_edits() -> impl Strategy<Value = Edits> {
    (
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                any_annotation(),
            ),
            0..4,
        ),
        prop::collection::vec(any_annotation(), 0..3),
    )
        .prop_map(|(delete, change, add)| Edits {
            delete,
            change,
            add,
        })
}

fn apply(base: &AnnotationSet, edits: &Edits) -> AnnotationSet {
    let mut v: Vec<Annotation> = base.as_slice().to_vec();
    for (pick, field, donor) in &edits.change {
        if v.is_empty() {
            break;
        }
        let i = pick.index(v.len());
        let f = Field::ALL[field.index(Field::ALL.len())];
        v[i].set(f, donor.get(f));
    }
    for d in &edits.delete {
        if !v.is_empty() {
            let i = d.index(v.len());
            v.remove(i);
        }
    }
    v.extend(edits.add.iter().cloned());
    AnnotationSet::from_vec(v).0
}

/// An anchor edit that keeps the span and quote (only context or state change), as when a
/// side re-anchors or confirms: exercises the same-place rule, which must not depend on
/// which side is ours either.
fn touch_anchors(set: &AnnotationSet, salt: &str) -> AnnotationSet {
    let v = set
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a.anchor.prefix.push_str(salt);
            a
        })
        .collect();
    AnnotationSet::from_vec(v).0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merging_is_deterministic(base in any_set(6), o in any_edits(), t in any_edits()) {
        let (ours, theirs) = (apply(&base, &o), apply(&base, &t));
        let first = merge3(&base, &ours, &theirs);
        let second = merge3(&base, &ours.clone(), &theirs.clone());
        prop_assert_eq!(&first, &second);
        // Same input, same order: the result is already in sidecar order.
        let sorted = AnnotationSet::from_vec(first.0.clone().into_vec()).0;
        prop_assert_eq!(&first.0, &sorted);
    }

    #[test]
    fn merging_with_itself_or_an_unchanged_base_is_the_identity(
        base in any_set(6),
        edits in any_edits(),
    ) {
        let x = apply(&base, &edits);
        prop_assert_eq!(&merge3(&x, &x, &x).0, &x);
        prop_assert_eq!(&merge3(&base, &x, &x).0, &x);
        prop_assert_eq!(&merge3(&base, &x, &base).0, &x);
        prop_assert_eq!(&merge3(&base, &base, &x).0, &x);
        prop_assert_eq!(&merge3(&AnnotationSet::default(), &x, &x).0, &x);
    }

    #[test]
    fn swapping_sides_only_swaps_conflicted_values(
        base in any_set(6),
        o in any_edits(),
        t in any_edits(),
        touch in any::<bool>(),
    ) {
        let (ours, theirs) = (apply(&base, &o), apply(&base, &t));
        let (ours, theirs) = if touch {
            (touch_anchors(&ours, "x"), touch_anchors(&theirs, "y"))
        } else {
            (ours, theirs)
        };
        let (a, ra) = merge3(&base, &ours, &theirs);
        let (b, rb) = merge3(&base, &theirs, &ours);
        // Same annotations; their order may differ when an anchor is in conflict.
        let ids = |s: &AnnotationSet| s.iter().map(|x| x.id.clone()).collect::<BTreeSet<_>>();
        prop_assert_eq!(ids(&a), ids(&b));
        let conflicted: BTreeSet<_> = ra.conflicts.iter().cloned().collect();
        prop_assert_eq!(&conflicted, &rb.conflicts.iter().cloned().collect::<BTreeSet<_>>());
        for x in a.iter() {
            let y = b.get(&x.id).expect("same ids");
            for f in Field::ALL {
                // Fields in conflict hold each side's own value; merged comments may keep
                // one side's order, so compare them as sets.
                if conflicted.contains(&(x.id.clone(), f)) {
                    continue;
                }
                if f == Field::Comments {
                    let cx: BTreeSet<_> = x.comments.iter().collect();
                    let cy: BTreeSet<_> = y.comments.iter().collect();
                    prop_assert_eq!(cx, cy);
                } else {
                    prop_assert_eq!(x.get(f), y.get(f), "{:?} of {}", f, x.id);
                }
            }
        }
    }

    #[test]
    fn whole_sidecars_merge_deterministically_and_to_themselves(
        s in any_sidecar(4),
        other in any_sidecar(4),
    ) {
        let m = merge_sidecars(Some(&s), &s, &s, None);
        prop_assert_eq!(&m.sidecar, &s);
        prop_assert!(m.is_clean());
        let a = merge_sidecars(Some(&s), &s, &other, None);
        let b = merge_sidecars(Some(&s), &s, &other, None);
        prop_assert_eq!(a.sidecar.to_ron().ok(), b.sidecar.to_ron().ok());
        // An unchanged ours gives theirs back.
        prop_assert_eq!(&a.sidecar, &other);
    }
}
