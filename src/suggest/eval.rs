//! Measuring the ranking against a labelled story: precision among the first ten units and
//! recall within the top quarter (the measure issue 17 sets: random ranking finds 25 %).
//!
//! Labels are the check-worthy sentences, written exactly as in the story; a unit is
//! check-worthy when it contains one. Pure computation on strings: reading the files is
//! the caller's job (`examples/suggest_eval.rs`, `tests/suggest_eval.rs`). Must not depend
//! on any UI crate.

use super::{rank, score_units};

/// How one story ranks.
#[derive(Clone, Debug, Default)]
pub struct StoryEval {
    /// Units in the story.
    pub units: usize,
    /// Check-worthy units.
    pub positives: usize,
    /// Check-worthy units among the first `min(10, units)`.
    pub hits_at_10: usize,
    /// How many units precision@10 looks at: `min(10, units)`.
    pub considered_at_10: usize,
    /// `ceil(units / 4)`.
    pub top_quarter: usize,
    /// Check-worthy units within the top quarter.
    pub found_in_quarter: usize,
    /// Labels that match no unit (a segmentation or labelling error).
    pub unmatched_labels: Vec<String>,
    /// Check-worthy units outside the top quarter, with their scores.
    pub missed: Vec<(f64, String)>,
    /// Units in the top ten that are not check-worthy, with their scores.
    pub false_alarms: Vec<(f64, String)>,
}

impl StoryEval {
    pub fn precision_at_10(&self) -> f64 {
        ratio(self.hits_at_10, self.considered_at_10)
    }

    pub fn recall_in_top_quarter(&self) -> f64 {
        ratio(self.found_in_quarter, self.positives)
    }

    /// The recall a perfect ranking would reach: when a story has more check-worthy units
    /// than a quarter of its units, not all of them fit in the top quarter.
    pub fn best_possible_recall(&self) -> f64 {
        ratio(self.top_quarter.min(self.positives), self.positives)
    }

    /// Adds another story's counts (micro-averaging).
    pub fn add(&mut self, other: &StoryEval) {
        self.units += other.units;
        self.positives += other.positives;
        self.hits_at_10 += other.hits_at_10;
        self.considered_at_10 += other.considered_at_10;
        self.top_quarter += other.top_quarter;
        self.found_in_quarter += other.found_in_quarter;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Ranks every unit of `text` and scores the ranking against `labels`.
pub fn evaluate(text: &str, labels: &[&str]) -> StoryEval {
    let labels: Vec<&str> = labels
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut units = score_units(text);
    rank(&mut units);
    let positive: Vec<bool> = units
        .iter()
        .map(|u| labels.iter().any(|l| u.text.contains(l)))
        .collect();
    let unmatched_labels = labels
        .iter()
        .filter(|l| !units.iter().any(|u| u.text.contains(*l)))
        .map(|l| (*l).to_owned())
        .collect();
    let n = units.len();
    let considered_at_10 = n.min(10);
    let top_quarter = n.div_ceil(4);
    let count = |k: usize| positive[..k].iter().filter(|p| **p).count();
    StoryEval {
        units: n,
        positives: positive.iter().filter(|p| **p).count(),
        hits_at_10: count(considered_at_10),
        considered_at_10,
        top_quarter,
        found_in_quarter: count(top_quarter),
        unmatched_labels,
        missed: units
            .iter()
            .zip(&positive)
            .skip(top_quarter)
            .filter(|(_, p)| **p)
            .map(|(u, _)| (u.score, u.text.clone()))
            .collect(),
        false_alarms: units
            .iter()
            .zip(&positive)
            .take(considered_at_10)
            .filter(|(_, p)| !**p)
            .map(|(u, _)| (u.score, u.text.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hits_and_misses() {
        let text = "Exports rose by 40% in 2024. It was a nice day. Imports fell 3%. We love you.";
        let e = evaluate(
            text,
            &[
                "Exports rose by 40% in 2024.",
                "Imports fell 3%.",
                "Not in it.",
            ],
        );
        assert_eq!((e.units, e.positives, e.top_quarter), (4, 2, 1));
        assert_eq!(e.found_in_quarter, 1);
        assert_eq!(e.hits_at_10, 2);
        assert_eq!(e.unmatched_labels, ["Not in it."]);
        assert!((e.recall_in_top_quarter() - 0.5).abs() < 1e-9);
        assert!((e.precision_at_10() - 0.5).abs() < 1e-9);
    }
}
