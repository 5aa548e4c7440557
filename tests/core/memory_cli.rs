//! `factmark search` and `factmark similar` end to end (SPEC 12): the real binary on a folder
//! of fixture stories in several scripts, written here. Each test has its own cache folder
//! (`FACTMARK_CACHE_DIR`), so the index is built from nothing, then refreshed or rebuilt.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use factmark::anchor::{Anchor, Span};
use factmark::model::{Annotation, Status};
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;

const BRIDGES: &str = "City hall, Monday.\n\nMayor Ellen Brandt said the city spent $4bn on \
bridge inspections last year. Critics disagree.\n\nThe council meets in May.\n";
const PONTS: &str = "Selon la maire Ellen Brandt, la ville a dépensé 4 milliards de dollars \
pour l'inspection des ponts.\n";
const MOSTY: &str = "Мэр Эллен Брандт заявила, что город потратил 4 млрд долларов на \
проверку мостов.\n";
const BEIJING: &str = "新闻。北京大学的研究人员说，北京今年春天将种植150万棵树。\n";
const SCHOOLS: &str = "Governor Alvarez said 3,500 teaching posts are unfilled.\n";

/// One claim to annotate: the quote (found in the story), and the fields to set.
struct Claim<'a> {
    quote: &'a str,
    verdict: Option<&'a str>,
    rationale: &'a str,
    tags: &'a [&'a str],
}

fn claim(quote: &str) -> Claim<'_> {
    Claim {
        quote,
        verdict: Some("False"),
        rationale: "",
        tags: &[],
    }
}

/// Writes `text` as `dir/name` with a sidecar annotating `claims`; returns their ids.
fn story(dir: &Path, name: &str, text: &str, claims: &[Claim]) -> Vec<String> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("folder");
    }
    let text = StoryText::new(text.to_owned());
    fs::write(&path, text.as_str()).expect("write story");
    let file = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let mut sidecar = Sidecar::new(&file, text.sha256(), text.len_chars(), "UTF-8");
    let mut ids = Vec::new();
    for c in claims {
        let at = text.as_str().find(c.quote).expect("quote in story");
        let start = text.as_str()[..at].chars().count();
        let span = Span::new(start, start + c.quote.chars().count());
        let mut a = Annotation::new(Anchor::from_span(&text, span), "Claim", "ana");
        a.verdict = c.verdict.map(str::to_owned);
        a.rationale = c.rationale.to_owned();
        a.tags = c.tags.iter().map(|t| (*t).to_owned()).collect();
        a.status = Status::Approved;
        ids.push(a.id.to_string());
        sidecar.annotations.insert(a);
    }
    fs::write(sidecar_path(&path), sidecar.to_ron().expect("encode")).expect("write sidecar");
    ids
}

struct Fixture {
    stories: tempfile::TempDir,
    cache: tempfile::TempDir,
    bridges_claim: String,
    ponts_claim: String,
}

fn fixture() -> Fixture {
    let stories = tempfile::tempdir().expect("temp");
    let cache = tempfile::tempdir().expect("temp");
    let dir = stories.path();
    let bridges = story(
        dir,
        "en/bridges.txt",
        BRIDGES,
        &[Claim {
            rationale: "Budget records show $1.2bn, not four billion.",
            tags: &["infrastructure"],
            ..claim("the city spent $4bn on bridge inspections last year")
        }],
    );
    let ponts = story(
        dir,
        "fr/ponts.txt",
        PONTS,
        &[claim(
            "la ville a dépensé 4 milliards de dollars pour l'inspection des ponts",
        )],
    );
    story(
        dir,
        "ru/mosty.txt",
        MOSTY,
        &[claim("город потратил 4 млрд долларов")],
    );
    story(
        dir,
        "zh/beijing.txt",
        BEIJING,
        &[claim("北京今年春天将种植150万棵树")],
    );
    story(
        dir,
        "en/schools.txt",
        SCHOOLS,
        &[claim("3,500 teaching posts are unfilled")],
    );
    Fixture {
        stories,
        cache,
        bridges_claim: bridges[0].clone(),
        ponts_claim: ponts[0].clone(),
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Vec<Value> {
        assert_eq!(self.code, 0, "{}{}", self.stdout, self.stderr);
        match serde_json::from_str(&self.stdout) {
            Ok(Value::Array(items)) => items,
            other => panic!("not a JSON array: {other:?}\n{}", self.stdout),
        }
    }
}

fn factmark(f: &Fixture, args: &[&str]) -> Run {
    let out = Command::cargo_bin("factmark")
        .expect("the factmark binary")
        .env("FACTMARK_CACHE_DIR", f.cache.path())
        .args(args)
        .output()
        .expect("run factmark");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8"),
        stderr: String::from_utf8(out.stderr).expect("utf-8"),
    }
}

fn root(f: &Fixture) -> String {
    f.stories.path().display().to_string()
}

fn story_path(f: &Fixture, name: &str) -> String {
    f.stories.path().join(name).display().to_string()
}

/// The chars `[start, end)` of a story of the fixture.
fn chars(f: &Fixture, name: &str, hit: &Value) -> String {
    let text = fs::read_to_string(f.stories.path().join(name)).expect("read");
    let start = hit["start"].as_u64().expect("start") as usize;
    let end = hit["end"].as_u64().expect("end") as usize;
    text.chars().skip(start).take(end - start).collect()
}

fn text_hits<'a>(items: &'a [Value], story: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|h| h["story"] == story && h.get("start").is_some())
        .collect()
}

#[test]
fn search_json_gives_exact_char_spans_in_every_script() {
    let f = fixture();
    let items = factmark(&f, &["search", "Brandt", "--json", &root(&f)]).json();
    for (name, expected) in [
        ("en/bridges.txt", "Brandt"),
        ("fr/ponts.txt", "Brandt"),
        // The same name in Cyrillic is found by its transliteration.
        ("ru/mosty.txt", "Брандт"),
    ] {
        let hits = text_hits(&items, &story_path(&f, name));
        assert_eq!(hits.len(), 1, "{name}: {items:?}");
        assert_eq!(chars(&f, name, hits[0]), expected);
        assert!(
            hits[0]["snippet"]
                .as_str()
                .expect("snippet")
                .contains(expected)
        );
    }
    let zh = factmark(&f, &["search", "北京", "--json", &root(&f)]).json();
    let hits = text_hits(&zh, &story_path(&f, "zh/beijing.txt"));
    assert_eq!(hits.len(), 1, "one hit per paragraph: {zh:?}");
    assert_eq!(chars(&f, "zh/beijing.txt", hits[0]), "北京");
    assert_eq!(hits[0]["start"], 3);
}

#[test]
fn search_phrases_numbers_and_stems() {
    let f = fixture();
    let bridges = story_path(&f, "en/bridges.txt");
    let phrase = factmark(
        &f,
        &["search", "\"bridge inspections\"", "--json", &root(&f)],
    )
    .json();
    let hits = text_hits(&phrase, &bridges);
    assert_eq!(hits.len(), 1, "{phrase:?}");
    assert_eq!(chars(&f, "en/bridges.txt", hits[0]), "bridge inspections");
    // Word order matters inside quotes.
    let reversed = factmark(
        &f,
        &["search", "\"inspections bridge\"", "--json", &root(&f)],
    )
    .json();
    assert!(text_hits(&reversed, &bridges).is_empty(), "{reversed:?}");
    // "4 billion dollars" finds "$4bn", and the French and Russian spellings.
    let number = factmark(&f, &["search", "4 billion dollars", "--json", &root(&f)]).json();
    let hits = text_hits(&number, &bridges);
    assert_eq!(hits.len(), 1, "{number:?}");
    assert_eq!(chars(&f, "en/bridges.txt", hits[0]), "$4bn");
    let fr = text_hits(&number, &story_path(&f, "fr/ponts.txt"));
    assert_eq!(chars(&f, "fr/ponts.txt", fr[0]), "4 milliards");
    assert_eq!(text_hits(&number, &story_path(&f, "ru/mosty.txt")).len(), 1);
    // A stem: "inspected" finds "inspections".
    let stem = factmark(&f, &["search", "inspected", "--json", &root(&f)]).json();
    assert_eq!(
        chars(&f, "en/bridges.txt", text_hits(&stem, &bridges)[0]),
        "inspections"
    );
}

#[test]
fn search_finds_annotation_fields() {
    let f = fixture();
    let items = factmark(&f, &["search", "budget records", "--json", &root(&f)]).json();
    let field_hits: Vec<&Value> = items.iter().filter(|h| h.get("field").is_some()).collect();
    assert_eq!(field_hits.len(), 1, "{items:?}");
    let hit = field_hits[0];
    assert_eq!(hit["story"], story_path(&f, "en/bridges.txt"));
    assert_eq!(hit["id"], f.bridges_claim.as_str());
    assert_eq!(hit["field"], "rationale");
    assert!(
        hit["snippet"]
            .as_str()
            .expect("snippet")
            .contains("Budget records")
    );
    let tags = factmark(&f, &["search", "infrastructure", "--json", &root(&f)]).json();
    assert!(tags.iter().any(|h| h["field"] == "tags"), "{tags:?}");
    // Plain output: one line per hit.
    let plain = factmark(&f, &["search", "budget records", &root(&f)]);
    assert_eq!(plain.code, 0);
    assert!(
        plain.stdout.contains("rationale: Budget records"),
        "{}",
        plain.stdout
    );
}

#[test]
fn similar_text_lists_the_claim_with_score_and_reasons() {
    let f = fixture();
    let items = factmark(
        &f,
        &[
            "similar",
            "--text",
            "Brandt claims 4 billion dollars went into inspecting bridges",
            "--json",
            &root(&f),
        ],
    )
    .json();
    let first = &items[0];
    assert_eq!(first["story"], story_path(&f, "en/bridges.txt"));
    assert_eq!(first["id"], f.bridges_claim.as_str());
    assert_eq!(
        first["quote"],
        "the city spent $4bn on bridge inspections last year"
    );
    assert_eq!(first["statement"], first["quote"]);
    assert_eq!(first["verdict"], "False");
    assert_eq!(first["status"], "Approved");
    assert!(
        first["date"].as_str().is_some_and(|d| d.len() == 10),
        "{first}"
    );
    let score = first["score"].as_f64().expect("score");
    assert!(score > 0.0 && score <= 1.0, "{score}");
    let reasons: Vec<&str> = first["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(reasons.contains(&"number: 4 billion"), "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("words: ") && r.contains("inspections"))
    );
    // Best first, and the Alvarez claim (nothing in common) is not listed.
    let scores: Vec<f64> = items.iter().filter_map(|i| i["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(
        items
            .iter()
            .all(|i| i["story"] != story_path(&f, "en/schools.txt"))
    );
}

#[test]
fn similar_story_id_finds_the_same_claim_in_other_languages_not_itself() {
    let f = fixture();
    let bridges = story_path(&f, "en/bridges.txt");
    let run = factmark(
        &f,
        &[
            "similar",
            "--story",
            &bridges,
            "--id",
            &f.bridges_claim,
            "--top",
            "2",
            "--json",
            &root(&f),
        ],
    );
    let items = run.json();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        items.iter().all(|i| i["id"] != f.bridges_claim.as_str()),
        "itself is left out"
    );
    let stories: Vec<&str> = items.iter().filter_map(|i| i["story"].as_str()).collect();
    assert!(
        stories.contains(&story_path(&f, "fr/ponts.txt").as_str()),
        "{stories:?}"
    );
    assert!(
        stories.contains(&story_path(&f, "ru/mosty.txt").as_str()),
        "{stories:?}"
    );
    let missing = factmark(
        &f,
        &[
            "similar",
            "--story",
            &bridges,
            "--id",
            "NOPE",
            "--json",
            &root(&f),
        ],
    );
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("has no annotation with id NOPE"),
        "{}",
        missing.stderr
    );
}

#[test]
fn an_outside_change_is_seen_by_the_next_command() {
    let f = fixture();
    let ask = |f: &Fixture| {
        factmark(
            f,
            &[
                "similar",
                "--text",
                "3,500 unfilled teaching posts",
                "--json",
                &root(f),
            ],
        )
        .json()
    };
    assert_eq!(ask(&f).len(), 1);
    // Someone adds a story with the same claim, and removes the French one.
    story(
        f.stories.path(),
        "en/schools2.txt",
        "Alvarez: three thousand five hundred teaching posts are unfilled.\n",
        &[claim(
            "three thousand five hundred teaching posts are unfilled",
        )],
    );
    fs::remove_file(f.stories.path().join("fr/ponts.txt")).expect("remove");
    fs::remove_file(sidecar_path(&f.stories.path().join("fr/ponts.txt"))).expect("remove");
    let after = ask(&f);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after
            .iter()
            .any(|i| i["story"] == story_path(&f, "en/schools2.txt"))
    );
    let gone = factmark(&f, &["search", "Brandt", "--json", &root(&f)]).json();
    assert!(
        gone.iter()
            .all(|h| h["story"] != story_path(&f, "fr/ponts.txt"))
    );
    assert!(gone.iter().all(|h| h["id"] != f.ponts_claim.as_str()));
}

#[test]
fn a_corrupt_index_is_rebuilt_and_answers() {
    let f = fixture();
    let args = ["search", "Brandt", "--json"];
    let before = factmark(&f, &[&args[..], &[&root(&f)]].concat()).json();
    let mut damaged = 0;
    for file in files_under(f.cache.path()) {
        fs::write(&file, b"\x00garbage, not an index\xff").expect("damage");
        damaged += 1;
    }
    assert!(damaged > 3, "the index has files to damage");
    let after = factmark(&f, &[&args[..], &[&root(&f)]].concat());
    assert!(after.stderr.is_empty(), "{}", after.stderr);
    assert_eq!(after.json(), before);
}

#[test]
fn the_index_never_lands_beside_the_stories() {
    let f = fixture();
    let before = files_under(f.stories.path());
    factmark(&f, &["search", "Brandt", "--json", &root(&f)]).json();
    factmark(&f, &["similar", "--text", "Brandt", "--json", &root(&f)]).json();
    assert_eq!(files_under(f.stories.path()), before);
    assert!(!files_under(f.cache.path()).is_empty());
}

#[test]
fn a_single_story_path_is_shown_as_given() {
    let f = fixture();
    let given = story_path(&f, "en/bridges.txt");
    let items = factmark(&f, &["search", "Brandt", "--json", &given]).json();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["story"], given.as_str());
    let missing = factmark(&f, &["search", "x", "/no/such/folder"]);
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr.trim(),
        "factmark: /no/such/folder does not exist"
    );
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
