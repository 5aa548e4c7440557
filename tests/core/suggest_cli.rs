//! `factmark suggest` end to end (SPEC 13): the real binary on stories written here. The
//! JSON shape (fields, types, char spans that slice the story, best first), `--top`, the
//! human blocks, and a missing story.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const STORY: &str = "Harbour news\n\n\
    It was a lovely morning in Kessmouth.\n\
    The harbour now employs 2,300 people, more than double the number in 2019, \
    Mayor Ira Moss told reporters.\n\
    Ціни на житло зросли на 12% з 2021 року, заявила Оксана Дідух.\n\
    We must keep going.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn suggest(story: &Path, extra: &[&str]) -> Run {
    let out = Command::cargo_bin("factmark")
        .expect("the factmark binary")
        .arg("suggest")
        .arg(story)
        .args(extra)
        .output()
        .expect("run factmark");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn story_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("harbour.txt");
    std::fs::write(&path, STORY).expect("write story");
    (dir, path)
}

#[test]
fn json_is_an_array_of_candidates_best_first_with_char_spans() {
    let (_dir, path) = story_file();
    let run = suggest(&path, &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 2, "{items:#?}");
    let chars: Vec<char> = STORY.chars().collect();
    let mut last = f64::INFINITY;
    for item in items {
        let start = item["start"].as_u64().expect("start") as usize;
        let end = item["end"].as_u64().expect("end") as usize;
        let text = item["text"].as_str().expect("text");
        assert_eq!(
            chars[start..end].iter().collect::<String>(),
            text,
            "span slices the story"
        );
        assert_eq!(text.trim(), text, "trimmed");
        let score = item["score"].as_f64().expect("score");
        assert!(
            (0.0..=1.0).contains(&score) && score <= last,
            "best first, 0..1"
        );
        last = score;
        let reasons = item["reasons"].as_array().expect("reasons");
        assert!(reasons.iter().all(Value::is_string));
    }
    let english = items
        .iter()
        .find(|i| {
            i["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("The harbour"))
        })
        .expect("the harbour sentence");
    assert_eq!(english["claimant"], "Mayor Ira Moss");
    let reasons: Vec<&str> = english["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for want in [
        "quantity: 2,300 people",
        "comparison: more than double",
        "time: in 2019",
        "attributed: Mayor Ira Moss told reporters",
    ] {
        assert!(reasons.contains(&want), "{want} in {reasons:?}");
    }
    let ukrainian = items
        .iter()
        .find(|i| i["text"].as_str().is_some_and(|t| t.starts_with("Ціни")))
        .expect("the Ukrainian sentence");
    assert_eq!(ukrainian["claimant"], "Оксана Дідух");
}

#[test]
fn top_limits_the_list() {
    let (_dir, path) = story_file();
    let run = suggest(&path, &["--json", "--top", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

#[test]
fn human_output_has_one_block_per_candidate() {
    let (_dir, path) = story_file();
    let run = suggest(&path, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let blocks: Vec<&str> = run.stdout.split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{}", run.stdout);
    let first: Vec<&str> = blocks[0].lines().collect();
    assert!(first[0].contains("chars "), "{first:?}");
    assert!(
        first[1].trim_start().starts_with("The harbour")
            || first[1].trim_start().starts_with("Ціни")
    );
    assert!(run.stdout.contains("quantity: 2,300 people"));
    assert!(run.stdout.contains("claimant: Mayor Ira Moss"));
}

#[test]
fn a_story_without_candidates_says_so_and_json_is_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("calm.txt");
    std::fs::write(&path, "What a lovely morning. We must keep going.\n").expect("write");
    let run = suggest(&path, &["--json"]);
    assert_eq!((run.code, run.stdout.trim()), (0, "[]"));
    let run = suggest(&path, &[]);
    assert!(
        run.stdout.contains("no sentence looks worth checking"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_story_fails_with_a_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = suggest(&dir.path().join("nope.txt"), &["--json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("factmark: could not read"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}
