//! A generated import fixture: a story of about `bytes` bytes, a W3C file of `count`
//! annotations made on it, and the story after edits (words inserted and deleted all over,
//! so every position hint after the first edit is off and some quotes changed), which is
//! what the annotations are imported into. Deterministic for a seed.

pub struct Fixture {
    /// The story as it is now (edited after the annotations were made).
    pub story: String,
    /// The W3C AnnotationCollection, as JSON text.
    pub w3c: String,
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "mayor",
    "said",
    "budget",
    "billion",
    "council",
    "report",
    "growth",
    "percent",
    "unemployment",
    "fell",
    "rose",
    "minister",
    "claimed",
    "figures",
    "show",
    "since",
    "year",
    "Zürich",
    "naïve",
    "coûte",
    "€",
    "über",
    "señor",
    "increase",
    "decrease",
    "tax",
    "schools",
];

pub fn generate(seed: u64, bytes: usize, count: usize) -> Fixture {
    let mut rng = Lcg(seed);
    let mut text = String::with_capacity(bytes + 1024);
    while text.len() < bytes {
        let n = 8 + rng.below(20);
        for w in 0..n {
            if w > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[rng.below(WORDS.len())]);
            if rng.below(7) == 0 {
                text.push_str(&rng.below(10_000).to_string());
            }
        }
        text.push_str(if rng.below(5) == 0 { ".\n\n" } else { ". " });
    }
    let chars: Vec<char> = text.chars().collect();
    // Annotations: spans of 20-80 chars, spread evenly, on word starts.
    let step = chars.len() / count.max(1);
    let mut items = Vec::with_capacity(count);
    for i in 0..count {
        let mut start = i * step + rng.below(step.saturating_sub(100).max(1));
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let end = (start + 20 + rng.below(60)).min(chars.len());
        let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        let prefix = slice(start.saturating_sub(32), start);
        let suffix = slice(end, (end + 32).min(chars.len()));
        items.push(serde_json::json!({
            "type": "Annotation",
            "id": format!("urn:factmark:bench-{i:06}"),
            "body": [{"type": "TextualBody", "purpose": "commenting", "value": "checked"}],
            "target": {"source": "file:///news/story.txt", "selector": [
                {"type": "TextQuoteSelector", "exact": slice(start, end), "prefix": prefix, "suffix": suffix},
                {"type": "TextPositionSelector", "start": start, "end": end}
            ]}
        }));
    }
    // Edits: one per ~50 KB, inserting a sentence or deleting a few words.
    let mut story: Vec<char> = chars;
    for _ in 0..(bytes / 50_000).max(4) {
        let at = rng.below(story.len());
        if rng.below(2) == 0 {
            let insert: Vec<char> = " UPDATE: the council corrected its figures. "
                .chars()
                .collect();
            story.splice(at..at, insert);
        } else {
            let end = (at + 5 + rng.below(40)).min(story.len());
            story.drain(at..end);
        }
    }
    let w3c = serde_json::json!({
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": items}
    })
    .to_string();
    Fixture {
        story: story.into_iter().collect(),
        w3c,
    }
}
