//! Stories from the web and from Word (SPEC 11): golden extractions of an HTML page (with
//! navigation, ads, a footer, scripts and a canonical link) and of a `.docx` built here;
//! bad input refused with one sentence and nothing written; Hypothesis-style annotations
//! made on the page landing on their quotes; exports naming the page's URL, never a path.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use factmark::sources::{SourceError, SourceFormat, StoryMeta};
use factmark::store::{self, sidecar_path};
use factmark::text::{TextError, load_story};

const PAGE: &str = "harbour_bridge.html";
const CANONICAL: &str = "https://ledger.example/news/2026/03/harbour-bridge-repairs";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn factmark() -> Command {
    Command::cargo_bin("factmark").expect("binary")
}

/// Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).expect("write golden");
    }
    let want = std::fs::read_to_string(&path).expect("golden exists (UPDATE_GOLDEN=1)");
    assert_eq!(got, want, "{name} differs from its golden file");
}

/// The page copied into a fresh folder, so sidecars written by tests stay there.
fn page_in_tempdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join(PAGE);
    std::fs::copy(fixture(PAGE), &story).expect("copy page");
    (dir, story)
}

#[test]
fn html_page_reads_as_its_article_with_metadata() {
    let story = load_story(&fixture(PAGE)).expect("page loads");
    assert_eq!(story.format, SourceFormat::Html);
    let text = story.text.as_str();
    golden("harbour_bridge.txt", text);
    assert!(
        text.contains("\"will not exceed 48 million euros\""),
        "{text}"
    );
    for chrome in [
        "Advertisement",
        "Sport",
        "Ferry timetable",
        "mortgage",
        "All rights reserved",
        "dataLayer",
        "querySelectorAll",
        "float: right",
    ] {
        assert!(
            !text.contains(chrome),
            "page chrome {chrome:?} in the text:\n{text}"
        );
    }
    assert_eq!(
        story.meta,
        StoryMeta {
            // The canonical link wins over og:url.
            url: Some(CANONICAL.to_owned()),
            headline: "Harbour bridge repairs to cost twice the estimate".to_owned(),
            outlet: "The Northern Ledger".to_owned(),
            author: "Mara Lindqvist".to_owned(),
            published: Some(jiff::civil::date(2026, 3, 14)),
        }
    );
    // Deterministic: the same bytes give the same text.
    let again = load_story(&fixture(PAGE)).expect("page loads");
    assert_eq!(again.text.sha256(), story.text.sha256());
}

/// A minimal Word document: content types, the body and the core properties.
fn write_docx(path: &Path, body: &str, title: &str, creator: &str) {
    let file = std::fs::File::create(path).expect("create docx");
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, xml: String| {
        zip.start_file(name, opts).expect("start part");
        zip.write_all(xml.as_bytes()).expect("write part");
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_owned(),
    );
    part(
        "word/document.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        ),
    );
    part(
        "docProps/core.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></cp:coreProperties>"#
        ),
    );
    zip.finish().expect("finish docx");
}

#[test]
fn word_document_reads_as_its_paragraphs_with_title_and_author() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("press_release.docx");
    let body = concat!(
        r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>City announces budget surplus</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">The city ended 2025 with a surplus of </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>€12 million</w:t></w:r><w:r><w:t>, the treasurer said.</w:t></w:r></w:p>"#,
        r#"<w:p><w:del><w:r><w:delText>Draft figure: 9 million.</w:delText></w:r></w:del><w:r><w:t>Spending rose by 3 % &amp; income by 5 %.</w:t></w:r></w:p>"#,
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Schools</w:t></w:r><w:r><w:tab/><w:t>41 %</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        r#"<w:p/>"#,
    );
    write_docx(&path, body, "Budget surplus &amp; outlook", "Press Office");
    let story = load_story(&path).expect("docx loads");
    assert_eq!(story.format, SourceFormat::Docx);
    golden("press_release.docx.txt", story.text.as_str());
    assert_eq!(
        story.text.as_str(),
        "City announces budget surplus\n\nThe city ended 2025 with a surplus of €12 million, \
         the treasurer said.\n\nSpending rose by 3 % & income by 5 %.\n\nSchools 41 %\n"
    );
    assert_eq!(story.meta.headline, "Budget surplus & outlook");
    assert_eq!(story.meta.author, "Press Office");
}

#[test]
fn bad_story_files_give_one_sentence_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let login = dir.path().join("login.html");
    std::fs::write(
        &login,
        "<html><head><title>Sign in</title></head><body><nav><a href=/>Home</a></nav>\
         <form><input name=user><button>Sign in</button></form></body></html>",
    )
    .expect("write");
    let broken = dir.path().join("broken.docx");
    std::fs::write(&broken, b"PK\x03\x04\x14\0\0\0 this zip stops here").expect("write");
    let locked = dir.path().join("locked.docx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(&locked, ole).expect("write");

    let cases = [
        (&login, SourceError::NoArticle),
        (&broken, SourceError::BrokenZip),
        (&locked, SourceError::Encrypted),
    ];
    let hypothesis = dir.path().join("h.json");
    std::fs::write(&hypothesis, r#"{"rows": []}"#).expect("write");
    for (path, want) in cases {
        match load_story(path) {
            Err(TextError::Source { source, .. }) => assert_eq!(source, want),
            other => panic!("{}: {other:?}", path.display()),
        }
        let out_file = dir.path().join("out.json");
        let out = factmark()
            .args(["export", "--format", "json", "-o"])
            .arg(&out_file)
            .arg(path)
            .output()
            .expect("run");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
        assert!(err.contains(&want.to_string()), "{err}");
        assert!(!out_file.exists(), "nothing written for {}", path.display());
        let out = factmark()
            .args(["import", "--format", "w3c"])
            .arg(&hypothesis)
            .arg("--story")
            .arg(path)
            .output()
            .expect("run");
        assert!(!out.status.success());
        assert!(
            !sidecar_path(path).exists(),
            "no sidecar for {}",
            path.display()
        );
    }
    // The story files themselves are never written.
    assert_eq!(std::fs::read(&broken).expect("read").len(), 28);
}

/// What Hypothesis's API returns for annotations made on the live page: offsets into the
/// page's DOM text (not factmark's), quotes with the page's context.
fn hypothesis_rows() -> String {
    serde_json::json!({
        "total": 2,
        "rows": [
            {
                "id": "hyp-AAA111",
                "uri": CANONICAL,
                "user": "acct:ana@hypothes.is",
                "created": "2026-03-15T10:00:00.000000+00:00",
                "updated": "2026-03-15T10:05:00.000000+00:00",
                "text": "The audit office says 96 million.",
                "tags": ["Claim", "infrastructure"],
                "target": [{
                    "source": CANONICAL,
                    "selector": [
                        {"type": "RangeSelector", "startContainer": "/main[1]/article[1]/p[2]",
                         "startOffset": 52, "endContainer": "/main[1]/article[1]/p[2]", "endOffset": 84},
                        {"type": "TextPositionSelector", "start": 1412, "end": 1444},
                        {"type": "TextQuoteSelector", "exact": "will not exceed 48 million euros",
                         "prefix": "council on Monday that the repairs to the harbour bridge \"",
                         "suffix": "\", a figure he has repeated"}
                    ]
                }]
            },
            {
                "id": "hyp-BBB222",
                "uri": CANONICAL,
                "user": "acct:bo@hypothes.is",
                "created": "2026-03-15T11:00:00.000000+00:00",
                "text": "",
                "tags": ["Source"],
                "target": [{
                    "source": CANONICAL,
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "a report by the regional audit office",
                         "prefix": "According to ", "suffix": ", the works will"}
                    ]
                }]
            }
        ]
    })
    .to_string()
}

#[test]
fn hypothesis_annotations_on_the_page_land_on_their_quotes() {
    let (dir, story) = page_in_tempdir();
    let file = dir.path().join("hypothesis.json");
    std::fs::write(&file, hypothesis_rows()).expect("write");
    let out = factmark()
        .args(["import", "--format", "w3c"])
        .arg(&file)
        .arg("--story")
        .arg(&story)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let text = load_story(&story).expect("page loads").text;
    let sidecar = store::load(&sidecar_path(&story))
        .expect("load")
        .expect("sidecar written")
        .0
        .sidecar;
    let annotations = sidecar.annotations.into_vec();
    assert_eq!(annotations.len(), 2);
    for (a, quote) in annotations.iter().zip([
        "will not exceed 48 million euros",
        "a report by the regional audit office",
    ]) {
        assert_eq!(text.slice_chars(a.anchor.start..a.anchor.end), quote);
        assert!(!a.state.is_orphaned(), "{quote} orphaned");
    }
    // The sidecar records how the text was made, and the page's own identity.
    assert_eq!(sidecar.source_format, Some(SourceFormat::Html));
    assert_eq!(
        sidecar.extractor,
        Some(factmark::sources::html::extractor())
    );
    assert_eq!(sidecar.meta.and_then(|m| m.url).as_deref(), Some(CANONICAL));

    // And back out: every export names the page, none names the folder.
    for format in ["w3c", "json", "claimreview", "markdown", "html", "csv"] {
        let out = factmark()
            .args(["export", "--format", format, "--org-name", "Desk"])
            .args(["--review-url", "https://desk.example/checks/bridge"])
            .arg(&story)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(!body.contains("file:"), "{format} names a file: {body}");
        let folder = dir.path().to_string_lossy();
        assert!(!body.contains(folder.as_ref()), "{format} names the folder");
        if format == "w3c" {
            let doc: serde_json::Value = serde_json::from_str(&body).expect("json");
            for item in doc["first"]["items"].as_array().expect("items") {
                assert_eq!(item["target"]["source"], CANONICAL);
            }
        }
    }
}

#[test]
fn a_story_without_url_is_named_by_its_text_hash_or_source_uri() {
    let dir = tempfile::tempdir().expect("tempdir");
    let story = dir.path().join("plain.txt");
    std::fs::write(&story, "The minister said the budget is balanced.\n").expect("write");
    let text = load_story(&story).expect("loads").text;
    let rows = r#"{"rows": [{"id": "x1", "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "the budget is balanced"}]}], "tags": ["Claim"]}]}"#;
    let file = dir.path().join("h.json");
    std::fs::write(&file, rows).expect("write");
    let ok = factmark()
        .args(["import", "--format", "w3c"])
        .arg(&file)
        .arg("--story")
        .arg(&story)
        .output()
        .expect("run");
    assert!(ok.status.success());
    let export = |extra: &[&str]| {
        let out = factmark()
            .args(["export", "--format", "w3c"])
            .args(extra)
            .arg(&story)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        doc["first"]["items"][0]["target"]["source"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(export(&[]), format!("urn:sha256:{}", text.sha256()));
    assert_eq!(
        export(&["--source-uri", "https://de.example.org/bericht/straße 0"]),
        "https://de.example.org/bericht/stra%C3%9Fe%200"
    );
}

/// A sidecar written by an older extractor, whose text had an ad line in front of the
/// article: opening the page with this build re-anchors like an edited story and records
/// the new extractor.
#[test]
fn a_newer_extractor_reanchors_like_an_edited_story() {
    use factmark::anchor::{Anchor, Span};
    use factmark::model::Annotation;
    use factmark::sources::Extractor;
    use factmark::store::Sidecar;
    use factmark::text::StoryText;

    let (_dir, story) = page_in_tempdir();
    let now = load_story(&story).expect("page loads").text;
    let old = StoryText::new(format!("Advertisement: Win a cruise!\n\n{}", now.as_str()));
    let quote = "twice the figure the mayor gave";
    let at = |t: &StoryText| {
        let start = t.byte_to_char(t.as_str().find(quote).expect("quote"));
        Span::new(start, start + quote.chars().count())
    };
    let mut sidecar = Sidecar::new(PAGE, old.sha256(), old.len_chars(), "UTF-8");
    sidecar.source_format = Some(SourceFormat::Html);
    sidecar.extractor = Some(Extractor {
        name: "dom_smoothie".into(),
        version: "0.18.0+factmark.0".into(),
    });
    sidecar.annotations.insert(Annotation::new(
        Anchor::from_span(&old, at(&old)),
        "Claim",
        "ana",
    ));
    std::fs::write(sidecar_path(&story), sidecar.to_ron().expect("encode")).expect("write");

    let doc = factmark::document::Document::open(&story).expect("opens");
    let a = &doc.annotations().as_slice()[0];
    assert_eq!(a.anchor.span(), at(&now), "re-anchored onto the same words");
    assert_eq!(now.slice_chars(a.anchor.start..a.anchor.end), quote);
    assert_eq!(
        doc.sidecar().extractor,
        Some(factmark::sources::html::extractor())
    );
    assert_eq!(doc.sidecar().text_sha256, now.sha256());
}
