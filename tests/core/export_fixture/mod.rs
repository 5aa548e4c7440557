//! The story and annotations the export and import tests share: quotes, commas, line
//! breaks, emoji, right-to-left text, a claim starting with `=` and one full of markup.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use factmark::anchor::{Anchor, Span};
use factmark::export::{ExportOptions, ExportSet, ExportStory, Filter, Organisation};
use factmark::model::{
    Annotation, AnnotationId, Comment, RatingScale, Source, Status, default_labels,
};
use factmark::store::Sidecar;
use factmark::text::StoryText;

pub const STORY_NAME: &str = "city budget.txt";
/// Where the golden exports say the story lives (a fixed path keeps them reproducible).
pub const STORY_PATH: &str = "/newsroom/2024/city budget.txt";

pub const STORY: &str = "City budget: \"record\" spending, officials say\n\
\n\
The mayor said on Monday that the bridge cost 4 million, \"far less than planned\".\n\
According to Bloomberg, the city's debt rose by 12% in 2023 🚀, a \"historic\" high.\n\
=SUM(A1:A9) is what the spreadsheet team typed, said the clerk, \"and it was wrong.\"\n\
قال الوزير إن الميزانية متوازنة. The minister's office later repeated it.\n\
Residents, however, were <script>alert(\"x\")</script> unconvinced.\n";

pub fn text() -> StoryText {
    StoryText::new(STORY.to_owned())
}

/// The char span of the first occurrence of `needle`.
pub fn span_of(text: &StoryText, needle: &str) -> Span {
    let byte = text.as_str().find(needle).expect("needle in story");
    let start = text.byte_to_char(byte);
    Span::new(start, start + needle.chars().count())
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().expect("timestamp")
}

fn ann(text: &StoryText, id: &str, needle: &str, label: &str) -> Annotation {
    let mut a = Annotation::new(
        Anchor::from_span(text, span_of(text, needle)),
        label,
        "Ana Costa",
    );
    a.id = AnnotationId(id.to_owned());
    a.created = ts("2024-05-01T09:30:00Z");
    a.modified = ts("2024-05-02T16:45:00Z");
    a
}

pub fn annotations() -> Vec<Annotation> {
    let t = text();
    let mut bridge = ann(
        &t,
        "01HY0000000000000000000C01",
        "the bridge cost 4 million, \"far less than planned\"",
        "Claim",
    );
    bridge.statement = "The bridge cost 4 million euros, \"far less\" than planned".into();
    bridge.claimant = "The mayor".into();
    bridge.verdict = Some("False".into());
    bridge.rationale = "Invoices show 6.1 million,\nnot 4 million.".into();
    bridge.status = Status::Approved;
    bridge.tags = vec!["budget".into(), "infrastructure".into()];
    bridge.sources = vec![
        Source::External {
            url: "https://example.org/invoices?year=2024&city=x".into(),
            title: "Invoices, 2024 \"final\"".into(),
            note: "page 3".into(),
            accessed: Some("2024-05-01".parse().expect("date")),
        },
        Source::Highlight {
            id: AnnotationId("01HY0000000000000000000S02".into()),
            note: String::new(),
        },
    ];
    bridge.comments = vec![Comment {
        author: "Rui (editor)".into(),
        time: ts("2024-05-02T08:00:00Z"),
        text: "Checked twice, ok.\nApprove?".into(),
    }];

    let mut bloomberg = ann(
        &t,
        "01HY0000000000000000000S02",
        "According to Bloomberg",
        "Source",
    );
    bloomberg.statement = String::new();

    let mut debt = ann(
        &t,
        "01HY0000000000000000000C03",
        "the city's debt rose by 12% in 2023 🚀",
        "Claim",
    );
    debt.claimant = "Bloomberg".into();
    debt.verdict = Some("Mostly true".into());
    debt.status = Status::NeedsReview;
    debt.tags = vec!["debt".into()];
    debt.sources = vec![Source::External {
        url: "javascript:alert(document.cookie)".into(),
        title: "a bad link".into(),
        note: String::new(),
        accessed: None,
    }];

    let mut formula = ann(
        &t,
        "01HY0000000000000000000C04",
        "=SUM(A1:A9) is what the spreadsheet team typed",
        "Claim",
    );
    formula.claimant = "-the clerk".into();
    formula.tags = vec!["@ops".into()];

    let mut rtl = ann(
        &t,
        "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b",
        "قال الوزير إن الميزانية متوازنة.",
        "Claim",
    );
    rtl.claimant = "الوزير".into();
    rtl.verdict = Some("Unproven".into());
    rtl.author = "ليلى".into();

    let mut script = ann(
        &t,
        "01HY0000000000000000000C06",
        "<script>alert(\"x\")</script>",
        "Claim",
    );
    script.statement = "<script>alert(\"x\")</script> is harmless".into();
    script.claimant = "<b>Residents</b>".into();
    script.verdict = Some("Misleading".into());
    script.rationale = "<img src=x onerror=alert(1)> & more".into();

    vec![bridge, bloomberg, debt, formula, rtl, script]
}

pub fn set(filter: &Filter) -> ExportSet {
    ExportSet {
        stories: vec![ExportStory::new(
            STORY_NAME,
            Path::new(STORY_PATH),
            &text(),
            &annotations(),
            default_labels(),
            RatingScale::default(),
            filter,
        )],
    }
}

pub fn options() -> ExportOptions {
    ExportOptions {
        excel: false,
        organisation: Organisation {
            name: "Example Fact Desk".into(),
            url: Some("https://factdesk.example".into()),
        },
        review_url: Some("https://factdesk.example/checks/city-budget".into()),
    }
}

/// Writes the story (and, with `with_sidecar`, its sidecar) into `dir`; returns the story.
pub fn write_story(dir: &Path, with_sidecar: bool) -> PathBuf {
    let story = dir.join(STORY_NAME);
    std::fs::write(&story, STORY).expect("write story");
    if with_sidecar {
        let t = text();
        let mut sidecar = Sidecar::new(STORY_NAME, t.sha256(), t.len_chars(), "UTF-8");
        for a in annotations() {
            sidecar.annotations.insert(a);
        }
        let ron = sidecar.to_ron().expect("ron");
        std::fs::write(factmark::store::sidecar_path(&story), ron).expect("write sidecar");
    }
    story
}
