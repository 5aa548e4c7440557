//! W3C import through the command line: round trip, idempotence, Hypothesis shapes,
//! re-anchoring, and bad input that must fail cleanly without writing anything.

use crate::export_fixture;

use std::path::Path;

use assert_cmd::Command;
use factmark::anchor::AnchorState;
use factmark::model::Annotation;
use factmark::store::{self, sidecar_path};

fn factmark() -> Command {
    Command::cargo_bin("factmark").expect("binary")
}

fn sidecar_annotations(story: &Path) -> Vec<Annotation> {
    store::load(&sidecar_path(story))
        .expect("load")
        .expect("sidecar exists")
        .0
        .sidecar
        .annotations
        .into_vec()
}

fn import(file: &Path, story: &Path) -> (bool, String, String) {
    let out = factmark()
        .args(["import", "--format", "w3c"])
        .arg(file)
        .arg("--story")
        .arg(story)
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn w3c_round_trip_keeps_anchors_and_fields_and_never_duplicates() {
    let src = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(src.path(), true);
    let exported = src.path().join("out.jsonld");
    factmark()
        .args(["export", "--format", "w3c"])
        .arg(&story)
        .arg("-o")
        .arg(&exported)
        .assert()
        .success();

    let dst = tempfile::tempdir().expect("dir");
    let fresh = export_fixture::write_story(dst.path(), false);
    let (ok, stdout, stderr) = import(&exported, &fresh);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("6 added (6 anchored, 0 re-anchored, 0 orphaned)"),
        "{stdout}"
    );

    let original = export_fixture::annotations();
    let imported = sidecar_annotations(&fresh);
    assert_eq!(imported.len(), original.len());
    for a in &original {
        let b = imported.iter().find(|b| b.id == a.id).expect("same id");
        assert_eq!(b, a, "annotation {} changed in the round trip", a.id);
    }

    let before = std::fs::read(sidecar_path(&fresh)).expect("sidecar");
    let (ok, stdout, _) = import(&exported, &fresh);
    assert!(ok);
    assert!(
        stdout.contains("0 added") && stdout.contains("6 already present"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(sidecar_path(&fresh)).expect("sidecar"),
        before
    );
}

#[test]
fn hypothesis_shape_with_utf16_positions_is_anchored() {
    let dir = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(dir.path(), false);
    let text = export_fixture::text();
    let quote = "a \"historic\" high";
    let span = export_fixture::span_of(&text, quote);
    // The story has one astral-plane emoji before the quote: UTF-16 counts it twice.
    let utf16_start = text.as_str()[..text.char_to_byte(span.start)]
        .encode_utf16()
        .count();
    assert_eq!(utf16_start, span.start + 1);
    let json = serde_json::json!([{
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hypothes.is/a/Xy12",
        "created": "2024-03-04T05:06:07.123456+00:00",
        "creator": "acct:reviewer@hypothes.is",
        "body": [
            {"type": "TextualBody", "value": "Is it really?", "format": "text/markdown"},
            {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
            {"type": "TextualBody", "purpose": "tagging", "value": "history"}
        ],
        "target": [{
            "source": "https://news.example/city-budget",
            "selector": [
                {"type": "RangeSelector", "startContainer": "/p[2]", "endContainer": "/p[2]",
                 "startOffset": 3, "endOffset": 20},
                {"type": "XPathSelector", "value": "/p[2]"},
                {"type": "TextPositionSelector", "start": utf16_start,
                 "end": utf16_start + quote.len()},
                {"type": "TextQuoteSelector", "exact": quote, "prefix": "🚀, ", "suffix": ".\n=SUM"}
            ]
        }]
    }]);
    let file = dir.path().join("hypothesis.json");
    std::fs::write(&file, json.to_string()).expect("write");
    let (ok, stdout, stderr) = import(&file, &story);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("1 added (1 anchored"), "{stdout}");
    let anns = sidecar_annotations(&story);
    let a = &anns[0];
    assert_eq!(a.id.as_str(), "https://hypothes.is/a/Xy12");
    assert_eq!((a.anchor.start, a.anchor.end), (span.start, span.end));
    assert_eq!(a.label, "Claim");
    assert_eq!(a.tags, vec!["history"]);
    assert_eq!(a.author, "reviewer@hypothes.is");
    assert_eq!(a.comments.len(), 1);
    assert_eq!(a.comments[0].text, "Is it really?");
}

#[test]
fn edited_story_reanchors_by_quote_and_orphans_what_is_gone() {
    let src = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(src.path(), true);
    let exported = src.path().join("out.jsonld");
    factmark()
        .args(["export", "--format", "w3c", "--label", "claim"])
        .arg(&story)
        .arg("-o")
        .arg(&exported)
        .assert()
        .success();
    let dst = tempfile::tempdir().expect("dir");
    let edited = dst.path().join(export_fixture::STORY_NAME);
    let new_text = format!(
        "BREAKING. An update was added at the top.\n{}",
        export_fixture::STORY.replace("قال الوزير إن الميزانية متوازنة.", "")
    );
    std::fs::write(&edited, &new_text).expect("write");
    let (ok, stdout, stderr) = import(&exported, &edited);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("5 added (0 anchored, 4 re-anchored, 1 orphaned)"),
        "{stdout}"
    );
    let anns = sidecar_annotations(&edited);
    let text = factmark::text::StoryText::new(new_text);
    for a in &anns {
        if a.state == AnchorState::Orphaned {
            assert_eq!(a.anchor.quote, "قال الوزير إن الميزانية متوازنة.");
        } else {
            assert!(a.anchor.holds_in(&text), "{} misplaced", a.id);
        }
    }
}

#[test]
fn malformed_json_names_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(dir.path(), false);
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        "{\n  \"type\": \"Annotation\",\n  \"target\": [\n}\n",
    )
    .expect("write");
    let (ok, _, stderr) = import(&file, &story);
    assert!(!ok);
    assert!(stderr.contains("line 4, column 1"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
    assert!(!sidecar_path(&story).exists());
}

#[test]
fn no_usable_selector_is_an_error() {
    let dir = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(dir.path(), false);
    let file = dir.path().join("xpath.json");
    let json = r#"{"type":"Annotation","id":"urn:uuid:00000000-0000-4000-8000-000000000000",
        "target":{"source":"https://x.example","selector":{"type":"XPathSelector","value":"/p"}}}"#;
    std::fs::write(&file, json).expect("write");
    let (ok, _, stderr) = import(&file, &story);
    assert!(!ok);
    assert!(stderr.contains("usable selector"), "{stderr}");
    assert!(!sidecar_path(&story).exists());
}

#[test]
fn unknown_import_format_and_non_story_fail() {
    let dir = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(dir.path(), false);
    let file = dir.path().join("a.json");
    std::fs::write(&file, "[]").expect("write");
    let out = factmark()
        .args(["import", "--format", "csv"])
        .arg(&file)
        .arg("--story")
        .arg(&story)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown import format"));

    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, [0u8, 1, 2, 3, 0, 0, 255, 254, 0]).expect("write");
    let (ok, _, stderr) = import(&file, &binary);
    assert!(!ok);
    assert!(stderr.contains("binary"), "{stderr}");
    assert!(!sidecar_path(&binary).exists());
}

/// A folder-wide export into one story takes only that story's annotations, whether the
/// targets are `file:` URIs or publishable `urn:` identifiers carrying the text's SHA-256.
/// Regression: with `urn:` targets every other story's annotation arrived as an orphan.
#[test]
fn folder_wide_file_imports_only_the_target_storys_annotations() {
    let dir = tempfile::tempdir().expect("dir");
    let a_text = "Story A says the budget is 3 billion.";
    let b_text = "Story B says unemployment fell to 4 percent.";
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, a_text).expect("a");
    std::fs::write(&b, b_text).expect("b");
    let hash = |t: &str| {
        factmark::text::StoryText::new(t.to_owned())
            .sha256()
            .to_owned()
    };
    let item = |id: &str, source: &str, quote: &str| {
        serde_json::json!({"type": "Annotation", "id": format!("urn:uuid:{id}"),
            "target": {"source": source, "selector": {"type": "TextQuoteSelector", "exact": quote}}})
    };
    let forms = [
        (
            "file:///news/a.txt".to_owned(),
            "file:///news/b.txt".to_owned(),
        ),
        (
            format!("urn:sha256:{}", hash(a_text)),
            format!("urn:sha256:{}", hash(b_text)),
        ),
    ];
    for (n, (src_a, src_b)) in forms.iter().enumerate() {
        let doc = serde_json::json!({"type": "AnnotationCollection", "first": {"items": [
            item(&format!("00000000-0000-4000-8000-00000000000{n}"), src_a, "the budget is 3 billion"),
            item(&format!("00000000-0000-4000-8000-00000000001{n}"), src_b, "unemployment fell"),
            item(&format!("00000000-0000-4000-8000-00000000002{n}"), src_b, "4 percent"),
        ]}});
        let file = dir.path().join(format!("folder{n}.jsonld"));
        std::fs::write(&file, doc.to_string()).expect("write");
        let (ok, stdout, stderr) = import(&file, &a);
        assert!(ok, "{stderr}");
        assert!(
            stdout.contains("1 added (0 anchored, 1 re-anchored, 0 orphaned)")
                && stdout.contains("2 skipped for targeting another story"),
            "{src_a}: {stdout}"
        );
    }
    let on_a = sidecar_annotations(&a);
    assert_eq!(on_a.len(), 2, "one per form");
    assert!(on_a.iter().all(|x| x.state == AnchorState::Anchored));

    // Several stories, none of them this one: nothing is imported, and the user is told.
    let c = dir.path().join("c.txt");
    std::fs::write(&c, "Story C is about something else.").expect("c");
    let (ok, _, stderr) = import(&dir.path().join("folder1.jsonld"), &c);
    assert!(!ok);
    assert!(stderr.contains("none of the 3 annotations"), "{stderr}");
    assert!(!sidecar_path(&c).exists());
}
