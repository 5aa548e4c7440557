//! The claim-matching quality floor: on the evaluation set of `tests/memory_eval/pairs.txt`
//! (claims reworded the way outlets do, with distractors), `similar` must rank the original
//! first for most rewordings and within the first three for nearly all. The figures are
//! printed by `cargo run --example memory_eval`.

#[path = "memory_eval/harness.rs"]
#[path = "../memory_eval/harness.rs"]
mod harness;

#[test]
fn similar_finds_reworded_claims_above_distractors() {
    let outcomes = harness::run();
    assert!(
        outcomes.len() >= 30,
        "the set has {} rewordings",
        outcomes.len()
    );
    let at1 = harness::recall_at(&outcomes, 1);
    let at3 = harness::recall_at(&outcomes, 3);
    let misses: Vec<String> = outcomes
        .iter()
        .filter(|o| o.rank != Some(1))
        .map(|o| format!("{:?} -> {:?} (top: {:?})", o.query, o.rank, o.top))
        .collect();
    assert!(
        at1 >= 0.80,
        "recall@1 {at1:.2}; misses:\n{}",
        misses.join("\n")
    );
    assert!(
        at3 >= 0.90,
        "recall@3 {at3:.2}; misses:\n{}",
        misses.join("\n")
    );
}
