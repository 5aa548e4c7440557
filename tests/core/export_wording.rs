//! Changed wording in exports (SPEC 9): a claim whose story changed under it is marked in
//! every format (a CSV column, a JSON field, a `factmark:` W3C property, a report line), so
//! no export shows it as unchanged and approved; and the W3C export's JSON-LD keeps the
//! `factmark:` properties under the prefix its own context defines.

use std::path::Path;
use std::process::Command;

use factmark::anchor::{Anchor, Span};
use factmark::export::{self, ExportOptions, ExportSet, ExportStory, Filter, Format};
use factmark::model::{Annotation, RatingScale, Status, default_labels};
use factmark::text::StoryText;

const OLD: &str = "City news. The new bridge will cost $1 billion over ten years, the mayor said.";
const NEW: &str = "City news. The new bridge will cost $4 billion over ten years, the mayor said.";
const OLD_QUOTE: &str = "The new bridge will cost $1 billion over ten years";
const NEW_QUOTE: &str = "The new bridge will cost $4 billion over ten years";

/// An Approved claim made on `OLD`, exported against `NEW` (the story changed since).
fn changed_set() -> ExportSet {
    let old = StoryText::new(OLD.to_owned());
    let start = old.byte_to_char(OLD.find(OLD_QUOTE).expect("quote"));
    let mut claim = Annotation::new(
        Anchor::from_span(&old, Span::new(start, start + OLD_QUOTE.chars().count())),
        "Claim",
        "ana",
    );
    claim.verdict = Some("True".into());
    claim.status = Status::Approved;
    let new = StoryText::new(NEW.to_owned());
    let story = ExportStory::new(
        "bridge.txt",
        Path::new("/newsroom/bridge.txt"),
        &new,
        &[claim],
        default_labels(),
        RatingScale::default(),
        &Filter::default(),
    );
    ExportSet {
        stories: vec![story],
    }
}

fn render(format: Format) -> String {
    let out = export::export(&changed_set(), format, &ExportOptions::default()).expect("export");
    String::from_utf8(out.bytes).expect("utf-8")
}

#[test]
fn csv_has_the_checked_wording_column() {
    let csv = render(Format::Csv);
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().expect("header").split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "checked_wording")
        .expect("checked_wording column");
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let record = reader.records().next().expect("one row").expect("parse");
    assert_eq!(&record[col], OLD_QUOTE);
    assert!(record.iter().any(|c| c == NEW_QUOTE), "{record:?}");
}

#[test]
fn json_has_the_checked_wording_field() {
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("json");
    let a = &json["stories"][0]["annotations"][0];
    assert_eq!(a["checked_wording"], OLD_QUOTE);
    assert_eq!(a["anchor"]["quote"], NEW_QUOTE);
}

#[test]
fn w3c_carries_the_checked_wording_and_defines_the_prefix() {
    let json: serde_json::Value = serde_json::from_str(&render(Format::W3c)).expect("json");
    let a = &json["first"]["items"][0];
    assert_eq!(a["factmark:checkedWording"], OLD_QUOTE);
    assert_eq!(a["target"]["selector"][0]["exact"], NEW_QUOTE);
    for ctx in [&json["@context"], &a["@context"]] {
        assert_eq!(ctx[0], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(ctx[1]["factmark"], "urn:factmark:");
    }
}

#[test]
fn reports_say_the_verdict_was_given_on_other_words() {
    let md = render(Format::Markdown);
    assert!(md.contains("- **Wording changed:** the story"), "{md}");
    assert!(md.contains("$1 billion"), "{md}");
    let html = render(Format::Html);
    assert!(html.contains("<dt>Wording changed</dt>"), "{html}");
}

#[test]
fn an_unchanged_claim_has_no_wording_marks() {
    let new = StoryText::new(NEW.to_owned());
    let start = new.byte_to_char(NEW.find(NEW_QUOTE).expect("quote"));
    let claim = Annotation::new(
        Anchor::from_span(&new, Span::new(start, start + NEW_QUOTE.chars().count())),
        "Claim",
        "ana",
    );
    let set = ExportSet {
        stories: vec![ExportStory::new(
            "bridge.txt",
            Path::new("/newsroom/bridge.txt"),
            &new,
            &[claim],
            default_labels(),
            RatingScale::default(),
            &Filter::default(),
        )],
    };
    for format in [Format::Json, Format::W3c, Format::Markdown] {
        let out = export::export(&set, format, &ExportOptions::default()).expect("export");
        let text = String::from_utf8(out.bytes).expect("utf-8");
        assert!(!text.contains("checked_wording"), "{format}");
        assert!(!text.contains("checkedWording"), "{format}");
        assert!(!text.contains("Wording changed"), "{format}");
    }
}

/// JSON-LD processing (pyld, offline contexts from `../shared/validators`) keeps every term,
/// `factmark:checkedWording` included, expanded under the `factmark:` prefix the export
/// defines. Skipped with a note when Python's `pyld` is not installed, unless
/// `FACTMARK_REQUIRE_VALIDATORS=1`.
#[test]
fn json_ld_keeps_the_factmark_properties() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let contexts = root.join("../shared/validators/contexts");
    let have_pyld = Command::new("python3")
        .args(["-c", "import pyld, rfc3987"])
        .status()
        .is_ok_and(|s| s.success());
    if !have_pyld || !contexts.is_dir() {
        assert!(
            std::env::var("FACTMARK_REQUIRE_VALIDATORS").as_deref() != Ok("1"),
            "pyld/rfc3987 or ../shared/validators/contexts missing"
        );
        eprintln!("skipped: python3 with pyld and rfc3987, and the shared contexts, are needed");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("changed.jsonld");
    std::fs::write(&file, render(Format::W3c)).expect("write");
    let out = Command::new("python3")
        .arg(root.join("tests/validate/jsonld_check.py"))
        .arg(&contexts)
        .arg(&file)
        .output()
        .expect("run jsonld_check.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(", 0 problems"), "{stdout}");
}
