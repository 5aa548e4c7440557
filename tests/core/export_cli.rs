//! `factmark export` on real files: formats, folders, filters, standard output, and bad
//! input that must fail in one sentence without leaving an output file behind.

use crate::export_fixture;

use assert_cmd::Command;

fn factmark() -> Command {
    Command::cargo_bin("factmark").expect("binary")
}

#[test]
fn every_format_exports_a_folder_to_a_file() {
    let dir = tempfile::tempdir().expect("dir");
    let sub = dir.path().join("desk");
    std::fs::create_dir(&sub).expect("mkdir");
    export_fixture::write_story(&sub, true);
    std::fs::write(sub.join("empty-notes.md"), "No annotations here.\n").expect("write");
    for format in ["csv", "json", "w3c", "claimreview", "markdown", "html"] {
        let out = dir.path().join(format!("out.{format}"));
        factmark()
            .args(["export", "--format", format, "--org-name", "Desk"])
            .arg(&sub)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let bytes = std::fs::read(&out).expect("output written");
        assert!(!bytes.is_empty(), "{format}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).expect("json"))
            .expect("parse");
    let stories = json["stories"].as_array().expect("stories");
    assert_eq!(stories.len(), 2);
    assert_eq!(stories[0]["story"], export_fixture::STORY_NAME);
    assert_eq!(stories[1]["annotations"].as_array().map(Vec::len), Some(0));
}

#[test]
fn stdout_filters_and_skipped_claims_on_stderr() {
    let dir = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(dir.path(), true);
    let out = factmark()
        .args(["export", "--format", "claimreview", "--org-name", "Desk"])
        .args(["--review-url", "https://desk.example/checks/city"])
        .args(["--status", "draft"])
        .arg(&story)
        .output()
        .expect("run");
    assert!(out.status.success());
    let reviews: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // Draft claims: the formula one (no verdict), the Arabic one and the script one.
    assert_eq!(reviews.as_array().map(Vec::len), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("01HY0000000000000000000C04") && stderr.contains("no verdict"));

    let csv = factmark()
        .args(["export", "--format", "csv", "--verdict", "none", "--excel"])
        .arg(store_sidecar(&story))
        .output()
        .expect("run");
    assert!(csv.status.success());
    assert!(csv.stdout.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&csv.stdout[3..]);
    assert_eq!(
        r.records().count(),
        2,
        "the Source highlight and the formula claim"
    );
}

fn store_sidecar(story: &std::path::Path) -> std::path::PathBuf {
    factmark::store::sidecar_path(story)
}

#[test]
fn bad_input_fails_in_one_sentence_without_output() {
    let dir = tempfile::tempdir().expect("dir");
    let story = export_fixture::write_story(dir.path(), true);
    let out_file = dir.path().join("report.html");
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        (
            vec!["--format".into(), "pdf".into(), story.clone().into()],
            "unknown export format",
        ),
        (
            vec![
                "--format".into(),
                "html".into(),
                dir.path().join("missing.txt").into(),
            ],
            "does not exist",
        ),
        (
            vec![
                "--format".into(),
                "claimreview".into(),
                story.clone().into(),
            ],
            "--org-name",
        ),
        (
            vec![
                "--format".into(),
                "csv".into(),
                "--status".into(),
                "maybe".into(),
                story.clone().into(),
            ],
            "unknown status",
        ),
    ];
    for (args, message) in cases {
        let out = factmark()
            .arg("export")
            .args(&args)
            .arg("-o")
            .arg(&out_file)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(!out_file.exists(), "{args:?} left an output file");
    }
    // A broken sidecar: refused, and the output file that existed is left untouched.
    std::fs::write(&out_file, "old report").expect("write");
    std::fs::write(
        factmark::store::sidecar_path(&story),
        "(format: \"factmark\", version: 1, oops",
    )
    .expect("write");
    let out = factmark()
        .args(["export", "--format", "html"])
        .arg(&story)
        .arg("-o")
        .arg(&out_file)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
    assert_eq!(
        std::fs::read_to_string(&out_file).expect("old"),
        "old report"
    );
    let leftovers = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

// ------------------------------------------------ the CLI agrees with the folder settings

/// A folder whose `factmark.ron` sets German labels, a two-step scale and the
/// organisation, with one story whose sidecar has no overrides: a "Zitat" rated "Falsch".
fn folder_with_settings() -> (tempfile::TempDir, std::path::PathBuf) {
    use factmark::anchor::{Anchor, Span};
    use factmark::model::{Annotation, Label, Rating, RatingScale};
    use factmark::settings::{FolderSettings, Organisation};
    use factmark::store::{Sidecar, sidecar_path};
    use factmark::text::StoryText;

    let dir = tempfile::tempdir().expect("dir");
    let rating = |name: &str, value| Rating {
        name: name.to_owned(),
        value,
        color: "#808080".to_owned(),
    };
    FolderSettings {
        labels: Some(vec![Label::new("Zitat", "#123456", 'z')]),
        rating_scale: Some(RatingScale {
            ratings: vec![rating("Richtig", 2), rating("Falsch", 1)],
        }),
        organisation: Some(Organisation {
            name: "Prüfstelle".into(),
            url: Some("https://example.org/pruefstelle".into()),
        }),
    }
    .save(dir.path())
    .expect("settings");
    let desk = dir.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    let story = desk.join("steuern.txt");
    let text = StoryText::new("Der Bürgermeister sagte, die Steuern seien gesunken.\n".into());
    std::fs::write(&story, text.as_str()).expect("story");
    let mut sidecar = Sidecar::new("steuern.txt", text.sha256(), text.len_chars(), "UTF-8");
    let mut a = Annotation::new(Anchor::from_span(&text, Span::new(25, 51)), "Zitat", "ana");
    a.verdict = Some("Falsch".into());
    sidecar.annotations.insert(a);
    std::fs::write(sidecar_path(&story), sidecar.to_ron().expect("ron")).expect("sidecar");
    (dir, story)
}

#[test]
fn check_takes_labels_and_verdicts_from_the_folder_settings() {
    // Regression: a verdict from the folder's scale was "not on the rating scale".
    let (_dir, story) = folder_with_settings();
    let out = factmark().arg("check").arg(&story).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("not on the rating scale"), "{stdout}");
    assert!(!stdout.contains("unknown label"), "{stdout}");
}

#[test]
fn claimreview_takes_the_organisation_and_scale_from_the_folder_settings() {
    // Regression: without --org-name the folder's organisation was ignored.
    let (_dir, story) = folder_with_settings();
    let out = factmark()
        .args(["export", "--format", "claimreview"])
        .args(["--review-url", "https://desk.example/checks/1"])
        .arg(&story)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reviews: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let review = &reviews[0];
    assert_eq!(review["author"]["name"], "Prüfstelle");
    assert_eq!(review["author"]["url"], "https://example.org/pruefstelle");
    assert_eq!(review["reviewRating"]["alternateName"], "Falsch");
    assert_eq!(review["reviewRating"]["ratingValue"], 1);
    assert_eq!(review["reviewRating"]["bestRating"], 2);
    // The flag still wins over the folder.
    let out = factmark()
        .args(["export", "--format", "claimreview", "--org-name", "Desk"])
        .args(["--review-url", "https://desk.example/checks/1"])
        .arg(&story)
        .output()
        .expect("run");
    let reviews: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(reviews[0]["author"]["name"], "Desk");
}

#[test]
fn csv_and_report_use_the_folder_labels_and_scale() {
    let (_dir, story) = folder_with_settings();
    let out = factmark()
        .args(["export", "--format", "csv", "--label", "zitat"])
        .arg(&story)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let row = csv.lines().nth(1).expect("one row");
    assert!(row.contains(",Zitat,") && row.contains(",Falsch,"), "{row}");
    let out = factmark()
        .args(["export", "--format", "markdown"])
        .arg(&story)
        .output()
        .expect("run");
    let md = String::from_utf8(out.stdout).expect("utf-8");
    // Every rating of the folder's scale is listed, the unused one too.
    assert!(md.contains("Richtig") && md.contains("Falsch"), "{md}");
    assert!(
        !md.contains("Mostly true"),
        "the default scale is not in force: {md}"
    );
}
