//! Any three annotation sets (base, ours, theirs) built from the input: the merge never
//! panics, keeps ids unique, invents no id, and is the identity when nobody changed
//! anything.
#![no_main]

use std::collections::BTreeSet;

use factmark::anchor::{Anchor, Span};
use factmark::merge::merge3;
use factmark::model::{Annotation, AnnotationId, AnnotationSet, Status};
use factmark::text::StoryText;
use libfuzzer_sys::fuzz_target;

const STORY: &str = "The mayor said the bridge cost 48 million euros; critics said «twice that».";

/// Each 4-byte chunk is one annotation: which set(s) it is in, its id, a span and a field.
fn sets(data: &[u8], text: &StoryText) -> [AnnotationSet; 3] {
    let fixed: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().expect("timestamp");
    let mut out: [Vec<Annotation>; 3] = Default::default();
    let len = text.len_chars();
    for chunk in data.chunks_exact(4) {
        let start = chunk[2] as usize % (len - 1);
        let end = start + 1 + chunk[3] as usize % (len - start);
        let mut a = Annotation::new(Anchor::from_span(text, Span::new(start, end)), "Claim", "f");
        a.id = AnnotationId(format!("id{}", chunk[1] % 12));
        a.created = fixed;
        a.modified = fixed;
        a.verdict = (chunk[3] & 1 == 1).then(|| "False".to_owned());
        a.rationale = format!("r{}", chunk[0] >> 3);
        a.status = if chunk[0] & 0x80 != 0 {
            Status::Approved
        } else {
            Status::Draft
        };
        for (i, set) in out.iter_mut().enumerate() {
            if chunk[0] & (1 << i) != 0 {
                set.push(a.clone());
            }
        }
    }
    out.map(|v| AnnotationSet::from_vec(v).0)
}

fn ids(set: &AnnotationSet) -> BTreeSet<AnnotationId> {
    set.iter().map(|a| a.id.clone()).collect()
}

fuzz_target!(|data: &[u8]| {
    let text = StoryText::new(STORY.to_owned());
    let [base, ours, theirs] = sets(data, &text);
    let (merged, report) = merge3(&base, &ours, &theirs);
    let merged_ids = ids(&merged);
    assert_eq!(merged_ids.len(), merged.len(), "ids stay unique");
    let known: BTreeSet<_> = ids(&ours).union(&ids(&theirs)).cloned().collect();
    assert!(merged_ids.is_subset(&known), "no id is invented");
    for a in &theirs {
        if base.get(&a.id).is_none() && ours.get(&a.id).is_none() {
            assert!(merged.get(&a.id).is_some(), "their new annotation is kept");
        }
    }
    let (same, same_report) = merge3(&base, &base, &base);
    assert_eq!(same, base);
    assert!(same_report.is_clean() && !same_report.changed_anything());
    let _ = report.summary();
});
