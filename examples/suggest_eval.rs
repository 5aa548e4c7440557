//! Prints how well the suggestion ranking finds the check-worthy sentences of the labelled
//! sample in `tests/suggest_eval/` (stories written for the purpose, one a political speech,
//! one Ukrainian, one French): precision among the first ten, and recall within the top
//! quarter of each story's units, per story and overall (micro-averaged), then the misses.
//!
//! Run: `cargo run --no-default-features --example suggest_eval`.

use std::path::Path;
use std::process::ExitCode;

use factmark::suggest::eval::{StoryEval, evaluate};

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suggest_eval");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".txt").map(str::to_owned))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    names.sort();
    let mut total = StoryEval::default();
    println!(
        "{:<16} {:>5} {:>9} {:>8} {:>14}",
        "story", "units", "positive", "P@10", "R@top quarter"
    );
    let mut details = Vec::new();
    for name in &names {
        let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}")));
        let (Ok(text), Ok(labels)) = (read("txt"), read("labels")) else {
            eprintln!("{name}: needs both {name}.txt and {name}.labels");
            return ExitCode::FAILURE;
        };
        let labels: Vec<&str> = labels.lines().collect();
        let e = evaluate(&text, &labels);
        println!(
            "{:<16} {:>5} {:>9} {:>7.0}% {:>6.0}% ({}/{} in top {}; best possible {:.0}%)",
            name,
            e.units,
            e.positives,
            100.0 * e.precision_at_10(),
            100.0 * e.recall_in_top_quarter(),
            e.found_in_quarter,
            e.positives,
            e.top_quarter,
            100.0 * e.best_possible_recall(),
        );
        total.add(&e);
        details.push((name.clone(), e));
    }
    println!(
        "{:<16} {:>5} {:>9} {:>7.0}% {:>6.0}% ({}/{}; best possible {:.0}%)",
        "overall",
        total.units,
        total.positives,
        100.0 * total.precision_at_10(),
        100.0 * total.recall_in_top_quarter(),
        total.found_in_quarter,
        total.positives,
        100.0 * total.best_possible_recall(),
    );
    for (name, e) in &details {
        for l in &e.unmatched_labels {
            println!("{name}: label matches no unit: {l}");
        }
        for (score, text) in &e.missed {
            println!("{name}: missed ({score:.3}): {text}");
        }
        for (score, text) in &e.false_alarms {
            println!("{name}: false alarm in top 10 ({score:.3}): {text}");
        }
    }
    ExitCode::SUCCESS
}
