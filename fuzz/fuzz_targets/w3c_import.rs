//! Any text given as a W3C Web Annotation import: parsing and planning never panic, every
//! planned annotation is new and unique, and every one that is not orphaned holds its
//! quote in the story.
#![no_main]

use std::collections::HashSet;
use std::path::Path;

use factmark::import::{parse_json, plan};
use factmark::model::{AnnotationSet, RatingScale, default_labels};
use factmark::text::StoryText;
use libfuzzer_sys::fuzz_target;

const STORY: &str =
    "The mayor said the bridge cost 48 million euros.\nCritics said «twice that» 😀.\n";

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = parse_json(json, Path::new("fuzz.json")) else {
        return;
    };
    let text = StoryText::new(STORY.to_owned());
    let planned = plan(
        &doc,
        &text,
        "story.txt",
        &AnnotationSet::default(),
        &default_labels(),
        &RatingScale::default(),
    );
    let mut ids = HashSet::new();
    for a in &planned.annotations {
        assert!(ids.insert(a.id.clone()), "duplicate id {}", a.id.as_str());
        if !a.state.is_orphaned() {
            assert!(a.anchor.holds_in(&text), "{:?}", a.anchor);
        }
    }
    let r = planned.report;
    assert_eq!(r.added(), planned.annotations.len());
    assert!(r.added() + r.already_present + r.unusable + r.other_story <= r.found);
});
