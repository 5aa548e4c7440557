//! Golden-file tests: every export format of the shared fixture story must match the files
//! in `tests/golden/` byte for byte. After a deliberate format change, regenerate them with
//! `UPDATE_GOLDEN=1 cargo test --test export_golden` and review the diff.

use crate::export_fixture;

use std::path::PathBuf;

use factmark::export::{self, Filter, Format};

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn check(format: Format, file: &str) {
    let set = export_fixture::set(&Filter::default());
    let out = export::export(&set, format, &export_fixture::options()).expect("export");
    let path = golden(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &out.bytes).expect("write golden");
    }
    let want = std::fs::read(&path).expect("golden file exists (UPDATE_GOLDEN=1 creates it)");
    assert!(
        out.bytes == want,
        "{format} export differs from {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.bytes)
    );
}

#[test]
fn csv_matches_golden() {
    check(Format::Csv, "city_budget.csv");
}

#[test]
fn json_matches_golden() {
    check(Format::Json, "city_budget.json");
}

#[test]
fn w3c_matches_golden() {
    check(Format::W3c, "city_budget.w3c.jsonld");
}

#[test]
fn claimreview_matches_golden() {
    check(Format::ClaimReview, "city_budget.claimreview.jsonld");
}

#[test]
fn markdown_matches_golden() {
    check(Format::Markdown, "city_budget.md");
}

#[test]
fn html_matches_golden() {
    check(Format::Html, "city_budget.html");
}

#[test]
fn exports_are_deterministic_across_runs() {
    let a = export_fixture::set(&Filter::default());
    let b = export_fixture::set(&Filter::default());
    for format in Format::ALL {
        let x = export::export(&a, format, &export_fixture::options()).expect("export");
        let y = export::export(&b, format, &export_fixture::options()).expect("export");
        assert_eq!(x.bytes, y.bytes, "{format}");
    }
}
