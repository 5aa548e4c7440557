//! History as a whole: any sequence of edits (inserts, removals, replacements, batches,
//! coalesced typing, failing edits, undos and redos in between), once fully undone, gives
//! back the original set; fully redone, it gives back the furthest edited one.

use crate::support;

use factmark::history::{Edit, History};
use factmark::model::{Annotation, AnnotationId, AnnotationSet};
use proptest::prelude::*;

/// One thing a user (or a bug) can do. Indices pick an existing annotation, modulo the
/// set's size at the time, so every generated sequence is meaningful.
#[derive(Clone, Debug)]
enum Op {
    Insert(Annotation),
    Remove(usize),
    /// Replace an existing annotation by `template` carrying its id (anchor and every
    /// field may change, so its place in the sorted set may too).
    Replace {
        pick: usize,
        template: Annotation,
        label: usize,
        coalesce: bool,
    },
    /// Several primitive edits as one step; may fail half-way (then nothing changes).
    Batch(Vec<Op>),
    RemoveUnknown,
    InsertDuplicate(usize),
    Undo,
    Redo,
    Seal,
}

const LABELS: [&str; 3] = ["Edit statement", "Set verdict", "Move highlight"];

fn primitive() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => support::any_annotation().prop_map(Op::Insert),
        2 => any::<usize>().prop_map(Op::Remove),
        4 => (any::<usize>(), support::any_annotation(), 0..LABELS.len(), any::<bool>())
            .prop_map(|(pick, template, label, coalesce)| Op::Replace { pick, template, label, coalesce }),
        1 => Just(Op::RemoveUnknown),
        1 => any::<usize>().prop_map(Op::InsertDuplicate),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => primitive(),
        2 => prop::collection::vec(primitive(), 0..4).prop_map(Op::Batch),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
        1 => Just(Op::Seal),
    ]
}

fn pick(set: &AnnotationSet, i: usize) -> Option<&Annotation> {
    (!set.is_empty()).then(|| &set.as_slice()[i % set.len()])
}

/// Turns an op into an edit against `set` as it is now; `None` when the op does not apply
/// (e.g. removing from an empty set).
fn to_edit(op: &Op, set: &AnnotationSet) -> Option<(Edit, &'static str, bool)> {
    match op {
        Op::Insert(a) => Some((Edit::Insert(a.clone()), "Add highlight", false)),
        Op::Remove(i) => pick(set, *i).map(|a| (Edit::Remove(a.id.clone()), "Delete", false)),
        Op::Replace {
            pick: i,
            template,
            label,
            coalesce,
        } => pick(set, *i).map(|a| {
            let mut new = template.clone();
            new.id = a.id.clone();
            (Edit::Replace(new), LABELS[*label], *coalesce)
        }),
        Op::RemoveUnknown => Some((
            Edit::Remove(AnnotationId("\u{0}no such id\u{0}".into())),
            "Delete",
            false,
        )),
        Op::InsertDuplicate(i) => pick(set, *i).map(|a| {
            let mut dup = a.clone();
            dup.statement.push_str(" (copy)");
            (Edit::Insert(dup), "Add highlight", false)
        }),
        Op::Batch(ops) => {
            // Resolve each inner op against the set as the batch would have changed it, so
            // a batch can remove what it just inserted, and so on.
            let mut scratch = set.clone();
            let mut edits = Vec::new();
            for inner in ops {
                if let Some((edit, _, _)) = to_edit(inner, &scratch) {
                    // Applying may fail: keep the edit anyway (the batch must then fail and
                    // roll back), but only evolve `scratch` on success.
                    let _ = edit.clone().apply(&mut scratch);
                    edits.push(edit);
                }
            }
            Some((Edit::Batch(edits), "Apply to selection", false))
        }
        Op::Undo | Op::Redo | Op::Seal => None,
    }
}

/// Runs the ops; checks on the way that a failed edit changes nothing and records nothing.
fn run(ops: &[Op], set: &mut AnnotationSet, history: &mut History) -> Result<(), TestCaseError> {
    for op in ops {
        match op {
            Op::Undo => {
                history.undo(set);
            }
            Op::Redo => {
                history.redo(set);
            }
            Op::Seal => history.seal(),
            other => {
                let Some((edit, label, coalesce)) = to_edit(other, set) else {
                    continue;
                };
                let before = set.clone();
                let undo_label = history.undo_label().map(str::to_owned);
                let revision = history.revision();
                match history.apply(set, label, edit, coalesce) {
                    Ok(()) => prop_assert!(history.revision() > revision),
                    Err(_) => {
                        prop_assert_eq!(&*set, &before);
                        prop_assert_eq!(history.undo_label().map(str::to_owned), undo_label);
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn undoing_everything_restores_the_original_and_redo_restores_the_edit(
        original in support::any_set(5),
        ops in prop::collection::vec(op(), 0..24),
    ) {
        let mut set = original.clone();
        let mut history = History::new();
        run(&ops, &mut set, &mut history)?;
        // Trailing undos leave steps to redo: the furthest state is the one redo reaches.
        while history.can_redo() {
            prop_assert!(history.redo(&mut set).is_some(), "a redo step failed to apply");
        }
        let edited = set.clone();

        let mut undone = 0;
        while history.can_undo() {
            prop_assert!(history.undo(&mut set).is_some(), "an undo step failed to apply");
            undone += 1;
            prop_assert!(undone <= ops.len() * 8, "undo never ends");
        }
        prop_assert_eq!(&set, &original);

        while history.can_redo() {
            prop_assert!(history.redo(&mut set).is_some(), "a redo step failed to apply");
        }
        prop_assert_eq!(&set, &edited);
        // The set stays a set: sorted by (start, end, id) with unique ids.
        let (rebuilt, dups) = AnnotationSet::from_vec(set.clone().into_vec());
        prop_assert!(dups.is_empty());
        prop_assert_eq!(rebuilt, set);
    }

    /// A run of coalesced edits of one annotation is one undo step, whatever it changed.
    #[test]
    fn coalesced_typing_is_one_step(
        original in support::any_set(4).prop_filter("needs an annotation", |s| !s.is_empty()),
        pick_one in any::<usize>(),
        templates in prop::collection::vec(support::any_annotation(), 1..8),
    ) {
        let mut set = original.clone();
        let mut history = History::new();
        let id = pick(&set, pick_one).expect("non-empty").id.clone();
        for t in templates {
            let mut new = t;
            new.id = id.clone();
            history.apply(&mut set, "Edit statement", Edit::Replace(new), true).expect("replace");
        }
        let label = history.undo(&mut set);
        prop_assert_eq!(label.as_deref(), Some("Edit statement"));
        prop_assert!(!history.can_undo());
        prop_assert_eq!(set, original);
    }
}
