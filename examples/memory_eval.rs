//! Prints the claim-matching figures of factmark's claim memory on the evaluation set in
//! `tests/memory_eval/pairs.txt`: recall@1/@3/@5, mean reciprocal rank, distractors ranked
//! above the true match, and every miss.
//!
//! `cargo run --release --no-default-features --example memory_eval`

#[path = "../tests/memory_eval/harness.rs"]
mod harness;

fn main() {
    let outcomes = harness::run();
    let n = outcomes.len();
    let mrr: f64 = outcomes
        .iter()
        .map(|o| o.rank.map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / n.max(1) as f64;
    let above: usize = outcomes.iter().map(|o| o.distractors_above).sum();
    let queries_with_above = outcomes.iter().filter(|o| o.distractors_above > 0).count();
    println!("claim pairs (rewordings asked): {n}");
    println!("recall@1: {:.1}%", 100.0 * harness::recall_at(&outcomes, 1));
    println!("recall@3: {:.1}%", 100.0 * harness::recall_at(&outcomes, 3));
    println!("recall@5: {:.1}%", 100.0 * harness::recall_at(&outcomes, 5));
    println!("mean reciprocal rank: {mrr:.3}");
    println!("results ranked above the true match: {above} (in {queries_with_above} queries)");
    let scores: Vec<f32> = outcomes
        .iter()
        .filter(|o| o.rank.is_some())
        .map(|o| o.score)
        .collect();
    if !scores.is_empty() {
        let min = scores.iter().copied().fold(f32::MAX, f32::min);
        let mean = scores.iter().sum::<f32>() / scores.len() as f32;
        println!("score of the true match: mean {mean:.2}, lowest {min:.2}");
    }
    for o in outcomes.iter().filter(|o| o.rank != Some(1)) {
        println!("\nmiss (rank {:?}): {}", o.rank, o.query);
        println!("  expected: {}", o.expected);
        if let Some(top) = &o.top {
            println!("  ranked first: {top}");
        }
    }
}
