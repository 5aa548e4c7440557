//! The published formats against the validators in `../shared/validators/`: the W3C Web
//! Annotation test suite's MUST assertions, JSON-LD processing with nothing dropped (W3C
//! and ClaimReview), and schema.org's vocabulary plus Google's ClaimReview requirements.
//!
//! The fixture is this test's own: three stories in a folder, with an orphaned annotation,
//! Misleading and Unproven verdicts, a source URL stored with a space and non-ASCII (as
//! older sidecars have them), an Organization claimant, a story with its public URL and one
//! without. It is exported with the command line, as a newsroom would.
//!
//! The checkers are python scripts (`tests/validate/`); they need python modules (`MODULES`
//! below), which [`python`] finds or installs into `target/validators-venv` itself. Missing
//! tools fail the test, they never skip it: a green run must mean the exports were checked.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use factmark::anchor::{Anchor, AnchorState, Span};
use factmark::model::{Annotation, AnnotationId, ClaimantKind, Source};
use factmark::sources::StoryMeta;
use factmark::store::{Sidecar, sidecar_path};
use factmark::text::StoryText;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validators() -> PathBuf {
    let dir = root().join("../shared/validators");
    assert!(
        dir.is_dir(),
        "the validators are missing: {}",
        dir.display()
    );
    dir
}

/// The checkers' modules, pinned so every machine checks against the same validators.
const MODULES: &[&str] = &[
    "jsonschema==4.26.0",
    "rfc3987==1.3.8",
    "rfc3339-validator==0.1.4",
    "PyLD==3.3.0",
];

fn has_modules(python: &Path) -> bool {
    Process::new(python)
        .args([
            "-c",
            "import jsonschema, referencing, rfc3987, rfc3339_validator, pyld",
        ])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The python that runs the checkers: `FACTMARK_PYTHON` if set, else `python3` when it has
/// the modules, else a private virtual environment under `target/` that this function makes
/// once (`python3 -m venv`, then pip from PyPI), so `cargo test` alone sets everything up on
/// a fresh machine. Fails (never skips) when none of that works: a green run must mean the
/// exports were checked.
fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(find_or_make_python)
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn find_or_make_python() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("FACTMARK_PYTHON") {
        let p = PathBuf::from(p);
        return if has_modules(&p) {
            Ok(p)
        } else {
            Err(format!(
                "FACTMARK_PYTHON={} lacks the validator modules; install: pip install {}",
                p.display(),
                MODULES.join(" ")
            ))
        };
    }
    let system = PathBuf::from("python3");
    if has_modules(&system) {
        return Ok(system);
    }
    let venv = root().join("target/validators-venv");
    let python = venv.join("bin/python3");
    if has_modules(&python) {
        return Ok(python);
    }
    let run = |cmd: &mut Process, what: &str| -> Result<(), String> {
        let out = cmd
            .output()
            .map_err(|e| format!("could not run python3 to {what}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "could not {what} (on Debian: apt-get install python3-venv):\n{}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    run(
        Process::new("python3").args(["-m", "venv"]).arg(&venv),
        "make a virtual environment for the export validators",
    )?;
    run(
        Process::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(MODULES),
        "install the export validators' python modules from PyPI",
    )?;
    if has_modules(&python) {
        Ok(python)
    } else {
        Err(format!(
            "{} still lacks the validator modules after installing them",
            python.display()
        ))
    }
}

fn checker(script: &str, data: &Path, export: &Path) {
    let out = Process::new(python())
        .arg(root().join("tests/validate").join(script))
        .arg(data)
        .arg(export)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{script} rejected {}:\n{}{}",
        export.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().expect("timestamp")
}

fn claim(text: &StoryText, id: &str, needle: &str, verdict: Option<&str>) -> Annotation {
    let byte = text.as_str().find(needle).expect("needle in story");
    let start = text.byte_to_char(byte);
    let span = Span::new(start, start + needle.chars().count());
    let mut a = Annotation::new(Anchor::from_span(text, span), "Claim", "Ana Costa");
    a.id = AnnotationId(id.to_owned());
    a.verdict = verdict.map(str::to_owned);
    a.created = ts("2026-03-01T09:00:00Z");
    a.modified = ts("2026-03-02T10:00:00Z");
    a
}

fn write_story(
    dir: &Path,
    name: &str,
    body: &str,
    annotations: Vec<Annotation>,
    meta: Option<StoryMeta>,
) {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write story");
    let text = StoryText::new(body.to_owned());
    let mut sidecar = Sidecar::new(name, text.sha256(), text.len_chars(), "UTF-8");
    sidecar.meta = meta;
    for a in annotations {
        sidecar.annotations.insert(a);
    }
    std::fs::write(sidecar_path(&path), sidecar.to_ron().expect("encode")).expect("write sidecar");
}

fn fixture_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = "The mayor said the bridge will cost 48 million euros.\n\
                  Auditors put it at 96 million. Traffic fell by 12% in March.\n";
    let t = StoryText::new(bridge.to_owned());
    let mut a = claim(
        &t,
        "01JV0000000000000000000001",
        "the bridge will cost 48 million euros",
        Some("False"),
    );
    a.claimant = "Jonas Berg".into();
    a.rationale = "The audit office puts the cost at 96 million.".into();
    a.sources = vec![Source::External {
        // As an older sidecar stored it: a space and non-ASCII, not a valid URI yet.
        url: "https://de.example.org/bericht/straße 0".into(),
        title: "Prüfbericht".into(),
        note: String::new(),
        accessed: Some(jiff::civil::date(2026, 3, 1)),
    }];
    let mut b = claim(
        &t,
        "01JV0000000000000000000002",
        "Traffic fell by 12% in March",
        Some("Misleading"),
    );
    b.claimant = "Harbour Authority".into();
    b.claimant_kind = ClaimantKind::Organization;
    b.review_url = Some("https://desk.example/prüfung/traffic".into());
    let mut orphan = claim(
        &t,
        "01JV0000000000000000000003",
        "Auditors put it at 96 million",
        Some("Unproven"),
    );
    // Its words were cut from the story: only the quote may travel.
    orphan.anchor.quote = "a sentence the story no longer has".into();
    orphan.state = AnchorState::Orphaned;
    let meta = StoryMeta {
        url: Some("https://ledger.example/news/bridge".into()),
        headline: "Bridge to cost twice the estimate".into(),
        outlet: "The Northern Ledger".into(),
        author: "Mara Lindqvist".into(),
        published: Some(jiff::civil::date(2026, 3, 1)),
    };
    write_story(
        dir.path(),
        "bridge.txt",
        bridge,
        vec![a, b, orphan],
        Some(meta),
    );

    let budget = "Le ministre a déclaré que le budget est équilibré.\n";
    let t = StoryText::new(budget.to_owned());
    let mut c = claim(
        &t,
        "01JV0000000000000000000004",
        "le budget est équilibré",
        Some("Unproven"),
    );
    c.claimant = "Ministère des Finances".into();
    c.claimant_kind = ClaimantKind::Organization;
    write_story(dir.path(), "budget fr.txt", budget, vec![c], None);

    let note = "Schools got 41% of the budget, the council said.\n";
    let t = StoryText::new(note.to_owned());
    let d = claim(
        &t,
        "01JV0000000000000000000005",
        "Schools got 41% of the budget",
        Some("Mostly true"),
    );
    write_story(dir.path(), "schools.txt", note, vec![d], None);
    dir
}

fn export(dir: &Path, format: &str) -> PathBuf {
    let out = dir.join(format!("export.{format}.jsonld"));
    let run = Command::cargo_bin("factmark")
        .expect("binary")
        .args(["export", "--format", format, "--org-name", "Check Desk"])
        .args(["--org-url", "https://desk.example"])
        .args(["--review-url", "https://desk.example/checks/märz 2026"])
        .arg("-o")
        .arg(&out)
        .arg(dir)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn w3c_export_passes_the_suites_musts_and_keeps_every_term() {
    let dir = fixture_folder();
    let file = export(dir.path(), "w3c");
    checker(
        "w3c_musts.py",
        &validators().join("web-annotation-tests"),
        &file,
    );
    checker("jsonld_check.py", &validators().join("contexts"), &file);

    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    let items = doc["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    let orphan = items
        .iter()
        .find(|i| i["factmark:anchorState"] == "orphaned")
        .expect("the orphan is marked");
    let selectors = orphan["target"]["selector"].as_array().expect("selectors");
    assert_eq!(
        selectors.len(),
        1,
        "an orphan keeps its quote only: {orphan}"
    );
    assert_eq!(selectors[0]["type"], "TextQuoteSelector");
    let text = String::from_utf8_lossy(&std::fs::read(&file).expect("read")).into_owned();
    assert!(
        text.contains("https://de.example.org/bericht/stra%C3%9Fe%200"),
        "{text}"
    );
    assert!(!text.contains("file:"), "a path leaked: {text}");
    assert!(
        text.contains("urn:sha256:"),
        "stories without URL get a text URN"
    );
}

#[test]
fn claimreview_export_passes_schemaorg_and_google_requirements() {
    let dir = fixture_folder();
    let file = export(dir.path(), "claimreview");
    checker(
        "schemaorg.py",
        &validators().join("schemaorg/schemaorg-current-https.jsonld"),
        &file,
    );
    checker("jsonld_check.py", &validators().join("contexts"), &file);

    let reviews: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    let reviews = reviews.as_array().expect("array");
    assert_eq!(reviews.len(), 5);
    let by_claim = |needle: &str| {
        reviews
            .iter()
            .find(|r| {
                r["claimReviewed"]
                    .as_str()
                    .is_some_and(|c| c.contains(needle))
            })
            .unwrap_or_else(|| panic!("no review of {needle}"))
    };
    let traffic = by_claim("Traffic");
    assert_eq!(traffic["itemReviewed"]["author"]["@type"], "Organization");
    assert_eq!(traffic["url"], "https://desk.example/pr%C3%BCfung/traffic");
    assert!(traffic["reviewRating"].get("ratingValue").is_none());
    let bridge = by_claim("bridge");
    assert_eq!(bridge["itemReviewed"]["author"]["@type"], "Person");
    assert_eq!(
        bridge["url"],
        "https://desk.example/checks/m%C3%A4rz%202026#claim-01JV0000000000000000000001"
    );
    let appearance = &bridge["itemReviewed"]["appearance"];
    assert_eq!(appearance["url"], "https://ledger.example/news/bridge");
    assert_eq!(appearance["headline"], "Bridge to cost twice the estimate");
    assert_eq!(appearance["datePublished"], "2026-03-01");
    assert_eq!(appearance["publisher"]["name"], "The Northern Ledger");
}

#[test]
fn a_claim_without_a_review_url_is_skipped_with_the_reason() {
    let dir = fixture_folder();
    let run = Command::cargo_bin("factmark")
        .expect("binary")
        .args([
            "export",
            "--format",
            "claimreview",
            "--org-name",
            "Check Desk",
        ])
        .arg(dir.path())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    let reviews: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    // Only the claim with its own review URL is published.
    assert_eq!(reviews.as_array().map(Vec::len), Some(1), "{stderr}");
    assert_eq!(stderr.matches("has no review URL").count(), 4, "{stderr}");
}
