//! Every export read back with an independent parser (the csv crate, serde_json), checking
//! the fields consumers rely on, plus the safety promises (formula cells, live script).

use crate::export_fixture;

use factmark::export::{self, Filter, Format};
use serde_json::Value;

fn bytes(format: Format) -> export::Exported {
    export::export(
        &export_fixture::set(&Filter::default()),
        format,
        &export_fixture::options(),
    )
    .expect("export")
}

fn column(headers: &csv::StringRecord, name: &str) -> usize {
    headers
        .iter()
        .position(|h| h == name)
        .expect("column exists")
}

#[test]
fn csv_reads_back_with_every_field_and_no_formulas() {
    let out = bytes(Format::Csv);
    let mut r = csv::Reader::from_reader(out.bytes.as_slice());
    let headers = r.headers().expect("header").clone();
    for required in [
        "story",
        "id",
        "label",
        "start",
        "end",
        "quote",
        "statement",
        "claimant",
        "verdict",
        "status",
        "sources",
        "tags",
        "author",
        "created",
        "modified",
    ] {
        assert!(headers.iter().any(|h| h == required), "missing {required}");
    }
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    let anns = export_fixture::annotations();
    assert_eq!(rows.len(), anns.len());
    let quote = column(&headers, "quote");
    let id = column(&headers, "id");
    for row in &rows {
        let a = anns.iter().find(|a| a.id.as_str() == &row[id]).expect("id");
        // Formula-looking cells gain one leading quote; everything else is byte-exact.
        let expected = if a.anchor.quote.starts_with('=') {
            format!("'{}", a.anchor.quote)
        } else {
            a.anchor.quote.clone()
        };
        assert_eq!(&row[quote], expected);
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    let bridge = rows
        .iter()
        .find(|r| r[id].ends_with("C01"))
        .expect("bridge row");
    assert_eq!(
        &bridge[column(&headers, "rationale")],
        "Invoices show 6.1 million,\nnot 4 million."
    );
    assert_eq!(&bridge[column(&headers, "tags")], "budget; infrastructure");
    assert_eq!(
        &bridge[column(&headers, "story")],
        export_fixture::STORY_NAME
    );
}

#[test]
fn csv_excel_flag_adds_a_bom_only() {
    let plain = bytes(Format::Csv).bytes;
    let mut opts = export_fixture::options();
    opts.excel = true;
    let excel = export::export(&export_fixture::set(&Filter::default()), Format::Csv, &opts)
        .expect("export")
        .bytes;
    assert_eq!(&excel[..3], b"\xEF\xBB\xBF");
    assert_eq!(&excel[3..], plain.as_slice());
}

#[test]
fn json_is_the_native_model() {
    let v: Value = serde_json::from_slice(&bytes(Format::Json).bytes).expect("json");
    assert_eq!(v["format"], "factmark-export");
    assert_eq!(v["version"], 1);
    let story = &v["stories"][0];
    assert_eq!(story["story"], export_fixture::STORY_NAME);
    let anns = story["annotations"].as_array().expect("array");
    let model = export_fixture::annotations();
    assert_eq!(anns.len(), model.len());
    // Each entry deserialises back into the model unchanged.
    for (json, a) in anns.iter().zip(&model) {
        let back: factmark::model::Annotation =
            serde_json::from_value(json.clone()).expect("model");
        assert_eq!(&back, a);
    }
}

#[test]
fn w3c_has_the_required_fields() {
    let v: Value = serde_json::from_slice(&bytes(Format::W3c).bytes).expect("json");
    assert_eq!(v["type"], "AnnotationCollection");
    let context =
        serde_json::json!(["http://www.w3.org/ns/anno.jsonld", {"factmark": "urn:factmark:"}]);
    assert_eq!(v["@context"], context);
    let items = v["first"]["items"].as_array().expect("items");
    assert_eq!(v["total"], items.len());
    let text = export_fixture::text();
    for item in items {
        assert_eq!(item["@context"], context);
        assert_eq!(item["type"], "Annotation");
        for key in ["id", "created", "modified", "motivation", "creator"] {
            assert!(!item[key].is_null(), "{key} missing in {item}");
        }
        // No URL known: the text's hash names the story, never its folder.
        assert_eq!(
            item["target"]["source"],
            format!("urn:sha256:{}", text.sha256())
        );
        let sels = item["target"]["selector"].as_array().expect("selectors");
        let quote = sels
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .expect("quote selector");
        let pos = sels
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .expect("position selector");
        let (start, end) = (
            pos["start"].as_u64().expect("start") as usize,
            pos["end"].as_u64().expect("end") as usize,
        );
        // Positions count code points of the story text.
        assert_eq!(text.slice_chars(start..end), quote["exact"]);
        let bodies = item["body"].as_array().expect("bodies");
        assert!(
            bodies
                .iter()
                .any(|b| b["purpose"] == "tagging" && b["value"].is_string())
        );
    }
    let bridge = items
        .iter()
        .find(|i| i["id"] == "urn:factmark:01HY0000000000000000000C01")
        .expect("bridge");
    let purposes: Vec<&str> = bridge["body"]
        .as_array()
        .expect("bodies")
        .iter()
        .filter_map(|b| b["purpose"].as_str())
        .collect();
    for p in [
        "tagging",
        "describing",
        "assessing",
        "commenting",
        "linking",
    ] {
        assert!(purposes.contains(&p), "no {p} body");
    }
    assert!(
        items
            .iter()
            .any(|i| i["id"] == "urn:uuid:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b")
    );
}

#[test]
fn claimreview_has_the_required_fields_and_skips_unrated_claims() {
    let out = bytes(Format::ClaimReview);
    let v: Value = serde_json::from_slice(&out.bytes).expect("json");
    let reviews = v.as_array().expect("array");
    let rated = export_fixture::annotations()
        .iter()
        .filter(|a| a.verdict.is_some())
        .count();
    assert_eq!(reviews.len(), rated);
    for r in reviews {
        assert_eq!(r["@context"], "https://schema.org");
        assert_eq!(r["@type"], "ClaimReview");
        assert!(r["claimReviewed"].as_str().is_some_and(|s| !s.is_empty()));
        let rating = &r["reviewRating"];
        // Numbers only for points on the true..false line, and then within the bounds.
        match rating["ratingValue"].as_i64() {
            Some(value) => {
                let (best, worst) = (&rating["bestRating"], &rating["worstRating"]);
                assert!(value >= worst.as_i64().expect("worst"), "{rating}");
                assert!(value <= best.as_i64().expect("best"), "{rating}");
            }
            None => {
                assert!(rating["bestRating"].is_null() && rating["worstRating"].is_null());
                let name = rating["alternateName"].as_str().unwrap_or_default();
                assert!(["Misleading", "Unproven"].contains(&name), "{rating}");
            }
        }
        assert!(rating["alternateName"].is_string());
        assert_eq!(r["itemReviewed"]["@type"], "Claim");
        assert!(r["itemReviewed"]["author"]["name"].is_string());
        assert!(r["itemReviewed"]["appearance"].is_object());
        assert_eq!(r["author"]["name"], "Example Fact Desk");
        assert!(r["datePublished"].is_string());
        let url = r["url"].as_str().unwrap_or_default();
        assert!(
            url.starts_with("https://factdesk.example/checks/city-budget#claim-"),
            "{url}"
        );
    }
    let false_one = reviews
        .iter()
        .find(|r| r["reviewRating"]["alternateName"] == "False")
        .expect("False review");
    assert_eq!(false_one["reviewRating"]["ratingValue"], 1);
    assert_eq!(out.skipped.len(), 1);
    assert!(out.skipped[0].id.as_str().ends_with("C04"));
}

#[test]
fn claimreview_without_organisation_is_refused() {
    let mut opts = export_fixture::options();
    opts.organisation.name.clear();
    let err = export::export(
        &export_fixture::set(&Filter::default()),
        Format::ClaimReview,
        &opts,
    )
    .expect_err("no org");
    assert!(err.to_string().contains("--org-name"));
}

#[test]
fn html_report_contains_no_live_script() {
    let html = String::from_utf8(bytes(Format::Html).bytes).expect("utf8");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "live script tag");
    assert!(!lower.contains("<img"), "live img tag from user text");
    assert!(!lower.contains("href=\"javascript:"), "script link");
    assert!(!lower.contains("<b>"), "user markup passed through");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; is harmless"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(!lower.contains("src=\"http"), "no network resources");
}

#[test]
fn markdown_report_escapes_markup_and_counts_verdicts() {
    let md = String::from_utf8(bytes(Format::Markdown).bytes).expect("utf8");
    assert!(!md.contains("<script"));
    assert!(!md.contains("](<javascript:"));
    assert!(md.contains("| False | 1 |"));
    assert!(md.contains("| No verdict yet | 1 |"));
    assert!(
        md.contains("[Invoices, 2024 \"final\"](<https://example.org/invoices?year=2024&city=x>)")
    );
}

#[test]
fn filters_select_annotations() {
    let only = |f: Filter| {
        export_fixture::set(&f).stories[0]
            .annotations
            .iter()
            .map(|a| a.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        only(Filter {
            labels: vec!["source".into()],
            ..Default::default()
        }),
        vec!["01HY0000000000000000000S02"]
    );
    assert_eq!(
        only(Filter {
            verdicts: vec!["FALSE".into(), "unproven".into()],
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        only(Filter {
            tags: vec!["budget".into()],
            statuses: vec![factmark::model::Status::Approved],
            ..Default::default()
        }),
        vec!["01HY0000000000000000000C01"]
    );
    assert!(
        only(Filter {
            tags: vec!["budget".into()],
            statuses: vec![factmark::model::Status::Draft],
            ..Default::default()
        })
        .is_empty()
    );
}
