//! `factmark search` and `factmark similar` (SPEC 12): open the memory of the given paths,
//! refresh it, answer, print text or JSON.
//!
//! It owns the output shapes (JSON fields, lines of text) and the paths as the user gave
//! them; it must not rank or analyse anything itself ([`super::Memory`] does).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use super::{Memory, MemoryError, Place, Probe, Root};
use crate::model::AnnotationId;

/// At most this many search hits are printed.
const SEARCH_LIMIT: usize = 200;

/// `factmark search QUERY [--json] PATH...`
pub fn run_search(query: &str, json: bool, paths: &[PathBuf]) -> ExitCode {
    let result = (|| {
        let memory = open(paths)?;
        memory.search(query, SEARCH_LIMIT).map(|h| (memory, h))
    })();
    let (memory, hits) = match result {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let shown = |root: usize, story: &str| shown_path(&memory, paths, root, story);
    if json {
        let items: Vec<Value> = hits
            .iter()
            .map(|h| match &h.place {
                Place::Text { start, end } => json!({
                    "story": shown(h.root, &h.story),
                    "start": start,
                    "end": end,
                    "snippet": h.snippet,
                }),
                Place::Field { id, field } => json!({
                    "story": shown(h.root, &h.story),
                    "id": id,
                    "field": field,
                    "snippet": h.snippet,
                }),
            })
            .collect();
        print_json(&Value::Array(items));
    } else {
        let mut out = String::new();
        for h in &hits {
            let story = shown(h.root, &h.story);
            match &h.place {
                Place::Text { start, end } => {
                    out.push_str(&format!("{story} [{start}..{end}]: {}\n", h.snippet));
                }
                Place::Field { id, field } => {
                    out.push_str(&format!("{story} #{id} {field}: {}\n", h.snippet));
                }
            }
        }
        if hits.is_empty() {
            eprintln!("factmark: nothing matches {query:?}");
        }
        print_text(&out);
    }
    ExitCode::SUCCESS
}

/// `factmark similar (--text TEXT | --story STORY --id ID) [--top N] [--json] PATH...`
pub fn run_similar(
    text: Option<String>,
    claim: Option<(PathBuf, String)>,
    top: usize,
    json: bool,
    paths: &[PathBuf],
) -> ExitCode {
    let probe = match (text, claim) {
        (Some(t), _) => Probe::Text(t),
        (None, Some((story, id))) => Probe::Claim {
            story,
            id: AnnotationId(id),
        },
        (None, None) => {
            eprintln!("factmark: give the claim with --text TEXT, or --story STORY --id ID");
            return ExitCode::from(2);
        }
    };
    let result = (|| {
        let memory = open(paths)?;
        memory.similar(&probe, top).map(|s| (memory, s))
    })();
    let (memory, found) = match result {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let shown = |root: usize, story: &str| shown_path(&memory, paths, root, story);
    if json {
        let items: Vec<Value> = found
            .iter()
            .map(|c| {
                json!({
                    "story": shown(c.root, &c.story),
                    "id": c.id,
                    "quote": c.quote,
                    "statement": c.statement,
                    "verdict": c.verdict,
                    "status": c.status,
                    "date": c.date,
                    "score": (f64::from(c.score) * 1000.0).round() / 1000.0,
                    "reasons": c.reasons,
                    "library": c.library,
                })
            })
            .collect();
        print_json(&Value::Array(items));
    } else {
        let mut out = String::new();
        for c in &found {
            out.push_str(&format!(
                "{:.2}  {}  {} #{} ({}, {})\n      {}\n      {}\n",
                c.score,
                c.verdict.as_deref().unwrap_or("no verdict"),
                shown(c.root, &c.story),
                c.id,
                c.status,
                c.date,
                if c.statement.is_empty() {
                    &c.quote
                } else {
                    &c.statement
                },
                c.reasons.join("; ")
            ));
        }
        if found.is_empty() {
            eprintln!("factmark: no annotated claim looks like this one");
        }
        print_text(&out);
    }
    ExitCode::SUCCESS
}

/// Opens and refreshes the memory of `paths` (each a folder or a story).
fn open(paths: &[PathBuf]) -> Result<Memory, MemoryError> {
    let roots: Vec<Root> = paths.iter().map(Root::folder).collect();
    let mut memory = Memory::open(&roots)?;
    let report = memory.refresh(&mut |_| {})?;
    for p in &report.problems {
        eprintln!("factmark: {p}");
    }
    for b in &report.busy {
        eprintln!(
            "factmark: {} is being indexed by another factmark; these results may be behind",
            b.display()
        );
    }
    Ok(memory)
}

/// A story's path as the user would write it: under the folder they gave, or the story
/// they gave.
fn shown_path(memory: &Memory, given: &[PathBuf], root: usize, story: &str) -> String {
    let Some(path) = given.get(root) else {
        return story.to_owned();
    };
    if memory.roots().get(root).is_some_and(|r| r.path.is_dir()) {
        Path::new(path).join(story).display().to_string()
    } else {
        crate::store::story_path_for(path)
            .unwrap_or_else(|| path.clone())
            .display()
            .to_string()
    }
}

fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "[]".to_owned());
    print_text(&format!("{text}\n"));
}

fn print_text(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn fail(e: &MemoryError) -> ExitCode {
    eprintln!("factmark: {e}");
    ExitCode::from(1)
}
