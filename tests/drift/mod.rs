//! Shared by the re-anchoring tests and bench (`benches/reanchor.rs` includes this file):
//! generated stories, a drift generator that knows where every annotation truly went, a
//! Hypothesis-style baseline, and accuracy scoring.
//!
//! Everything is deterministic: a seed gives the same story, annotations and edits.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use factmark::anchor::{Anchor, Span};
use factmark::model::Annotation;
use factmark::reanchor::Outcome;
use factmark::text::StoryText;

/// SplitMix64: small, fast, good enough for generating test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo).max(1))
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// Roughly Zipf-distributed in `0..n`: small indexes are far more frequent.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u)) as usize)
            .saturating_sub(1)
            .min(n - 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "her",
    "all",
    "she",
    "there",
    "would",
    "their",
    "we",
    "him",
    "been",
    "has",
    "when",
    "who",
    "will",
    "more",
    "no",
    "if",
    "out",
    "so",
    "said",
    "what",
    "up",
    "its",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "do",
    "first",
    "any",
    "my",
    "now",
    "such",
    "like",
    "our",
    "over",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "government",
    "minister",
    "percent",
    "million",
    "budget",
    "council",
    "report",
    "police",
    "court",
    "tax",
    "bridge",
    "mayor",
    "rose",
    "fell",
];

const BOILERPLATE: &[&str] = &[
    "the ministry said in a statement",
    "according to official figures",
    "the mayor told reporters",
    "officials declined to comment",
    "the report found that",
];

const LATIN_ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br",
    "cr", "dr", "fl", "gr", "pl", "pr", "st", "str", "th", "ch", "sh", "tr",
];
const LATIN_VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "é", "e\u{301}", "ü", "ø",
];
const CYRILLIC_ONSETS: &[&str] = &[
    "б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ц", "ч", "ш",
    "ст", "пр", "кр", "зв",
];
const CYRILLIC_VOWELS: &[&str] = &["а", "е", "и", "о", "у", "я", "ю", "і", "ї", "є", "о\u{301}"];
const EMOJI: &[&str] = &["👍", "🇺🇦", "👨‍👩‍👧", "🙂", "☕️"];

/// A vocabulary: function words and generated content words, in Latin and Cyrillic.
pub struct Vocabulary {
    latin: Vec<String>,
    cyrillic: Vec<String>,
}

impl Vocabulary {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let word = |onsets: &[&str], vowels: &[&str], rng: &mut Rng| {
            let syllables = 1 + rng.zipf(4);
            let mut w = String::new();
            for _ in 0..=syllables {
                w.push_str(onsets[rng.below(onsets.len())]);
                w.push_str(vowels[rng.below(vowels.len())]);
            }
            if rng.chance(0.4) {
                w.push_str(onsets[rng.below(onsets.len())]);
            }
            w
        };
        let latin = (0..4000)
            .map(|_| word(LATIN_ONSETS, LATIN_VOWELS, &mut rng))
            .collect();
        let cyrillic = (0..1500)
            .map(|_| word(CYRILLIC_ONSETS, CYRILLIC_VOWELS, &mut rng))
            .collect();
        Self { latin, cyrillic }
    }

    fn word(&self, rng: &mut Rng, cyrillic: bool) -> String {
        if cyrillic {
            return self.cyrillic[rng.zipf(self.cyrillic.len())].clone();
        }
        if rng.chance(0.5) {
            return FUNCTION_WORDS[rng.zipf(FUNCTION_WORDS.len())].to_owned();
        }
        self.latin[rng.zipf(self.latin.len())].clone()
    }

    /// Some words, each followed by a space.
    pub fn words(&self, rng: &mut Rng, n: usize) -> String {
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(&self.word(rng, false));
            s.push(' ');
        }
        s
    }

    fn sentence(&self, rng: &mut Rng, cyrillic: bool) -> String {
        let n = rng.range(6, 28);
        let mut words: Vec<String> = Vec::with_capacity(n + 4);
        for i in 0..n {
            let mut w = match rng.below(40) {
                0 => format!("{}", rng.range(2, 2100)),
                1 => format!("{}.{} million", rng.range(1, 99), rng.below(10)),
                2 => format!("{}%", rng.range(1, 99)),
                3 if !cyrillic => BOILERPLATE[rng.below(BOILERPLATE.len())].to_owned(),
                4 if rng.chance(0.2) => EMOJI[rng.below(EMOJI.len())].to_owned(),
                _ => self.word(rng, cyrillic),
            };
            if i == 0 {
                let mut chars = w.chars();
                if let Some(first) = chars.next() {
                    w = first.to_uppercase().collect::<String>() + chars.as_str();
                }
            }
            if i + 1 < n && rng.chance(0.08) {
                w.push(',');
            }
            words.push(w);
        }
        let mut s = words.join(" ");
        if rng.chance(0.1) {
            s = format!("\u{201c}{s}\u{201d}");
        }
        s.push(if rng.chance(0.9) { '.' } else { '?' });
        s
    }

    /// A story of about `chars` chars: paragraphs of sentences separated by blank lines;
    /// one paragraph in ten is in Cyrillic.
    pub fn story(&self, rng: &mut Rng, chars: usize) -> String {
        let mut s = String::with_capacity(chars * 11 / 10);
        let mut count = 0;
        while count < chars {
            let cyrillic = rng.chance(0.1);
            let sentences = rng.range(2, 8);
            let mut para = String::new();
            for i in 0..sentences {
                if i > 0 {
                    para.push(' ');
                }
                para.push_str(&self.sentence(rng, cyrillic));
            }
            count += para.chars().count() + 2;
            s.push_str(&para);
            s.push_str("\n\n");
        }
        s.pop();
        s
    }
}

/// Char positions where a word starts (after a space or a newline, or at 0).
fn word_starts(chars: &[char]) -> Vec<usize> {
    (0..chars.len())
        .filter(|&i| !chars[i].is_whitespace() && (i == 0 || chars[i - 1].is_whitespace()))
        .collect()
}

/// The end (exclusive) of the word starting at `i`.
fn word_end(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() && !chars[j].is_whitespace() {
        j += 1;
    }
    j
}

/// `n` annotations at word boundaries: single words, phrases, sentences, a few paragraphs
/// and a few very long spans, snapped and trimmed as the window would.
pub fn annotate(rng: &mut Rng, text: &StoryText, n: usize) -> Vec<Annotation> {
    let chars: Vec<char> = text.as_str().chars().collect();
    let starts = word_starts(&chars);
    let mut out = Vec::with_capacity(n);
    let mut tries = 0;
    while out.len() < n && tries < n * 20 {
        tries += 1;
        let wi = rng.below(starts.len());
        let start = starts[wi];
        let kind = rng.below(100);
        let end = if kind < 10 {
            word_end(&chars, start)
        } else if kind < 50 {
            let k = rng.range(2, 9).min(starts.len() - wi);
            word_end(&chars, starts[wi + k - 1])
        } else if kind < 85 {
            // To the end of the sentence.
            let mut j = start;
            while j < chars.len() && !matches!(chars[j], '.' | '?' | '\n') {
                j += 1;
            }
            (j + 1).min(chars.len())
        } else if kind < 97 {
            let want = rng.range(150, 700);
            let mut j = (start + want).min(chars.len());
            while j < chars.len() && !chars[j].is_whitespace() {
                j += 1;
            }
            j
        } else {
            let want = rng.range(1000, 5000);
            let mut j = (start + want).min(chars.len());
            while j < chars.len() && !chars[j].is_whitespace() {
                j += 1;
            }
            j
        };
        let Some(span) = text.clean_selection(Span::new(start, end)) else {
            continue;
        };
        let anchor = Anchor::from_span(text, span);
        out.push(Annotation::new(anchor, "Claim", "generator"));
    }
    out
}

/// What a drift did to a text, in old char positions: `range` replaced by `insert`.
#[derive(Clone, Debug)]
pub struct Edit {
    pub range: Range<usize>,
    pub insert: String,
    pub kind: EditKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EditKind {
    InsertWords,
    DeleteWords,
    ContextWordChange,
    InsideQuote,
    DuplicateParagraph,
    DeleteQuote,
}

/// Where an annotation truly is after a drift.
#[derive(Clone, Debug, PartialEq)]
pub struct Truth {
    /// `None` when the quote was deleted (less than half of it is left).
    pub span: Option<Span>,
    /// Equally right places: the copy of the quote in a duplicated paragraph.
    pub alternates: Vec<Span>,
    /// True when the quote and both its stored contexts are unchanged at `span`.
    pub intact: bool,
}

/// A story after a drift, with the truth for each annotation.
pub struct Drifted {
    pub new: String,
    pub truths: Vec<Truth>,
    pub edits: Vec<Edit>,
    /// Chars deleted plus chars inserted.
    pub edited_chars: usize,
}

/// Edits about `fraction` of `old` (chars deleted + inserted) with the mix of edits the
/// issue lists, and maps every annotation through them.
pub fn drift(
    rng: &mut Rng,
    vocab: &Vocabulary,
    old: &StoryText,
    annotations: &[Annotation],
    fraction: f64,
) -> Drifted {
    let chars: Vec<char> = old.as_str().chars().collect();
    let starts = word_starts(&chars);
    let target = ((chars.len() as f64) * fraction) as usize;
    // Occupied old ranges (start -> end, end exclusive, an insertion occupies one char
    // slot): edits never touch each other, so mapping positions stays exact.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let free = |taken: &BTreeMap<usize, usize>, r: &Range<usize>| {
        let lo = r.start.saturating_sub(1);
        let hi = r.end.max(r.start + 1) + 1;
        if let Some((_, &e)) = taken.range(..hi).next_back()
            && e > lo
        {
            return false;
        }
        true
    };
    let mut edits: Vec<Edit> = Vec::new();
    let mut edited = 0;
    let mut tries = 0;
    while edited < target && tries < 100_000 {
        tries += 1;
        let roll = rng.below(100);
        let edit = if roll < 30 || annotations.is_empty() {
            let at = starts[rng.below(starts.len())];
            let n = rng.range(1, 25);
            Edit {
                range: at..at,
                insert: vocab.words(rng, n),
                kind: EditKind::InsertWords,
            }
        } else if roll < 50 {
            let wi = rng.below(starts.len());
            let n = rng.range(1, 12).min(starts.len() - wi);
            let end = if wi + n < starts.len() {
                starts[wi + n]
            } else {
                chars.len()
            };
            Edit {
                range: starts[wi]..end,
                insert: String::new(),
                kind: EditKind::DeleteWords,
            }
        } else {
            let a = &annotations[rng.below(annotations.len())].anchor;
            if roll < 70 {
                // A word changed in the prefix or suffix.
                let (lo, hi) = if rng.chance(0.5) {
                    (a.start.saturating_sub(32), a.start)
                } else {
                    (a.end, (a.end + 32).min(chars.len()))
                };
                let cands: Vec<usize> = starts
                    .iter()
                    .copied()
                    .filter(|&s| s >= lo && s < hi && word_end(&chars, s) <= hi)
                    .collect();
                if cands.is_empty() {
                    continue;
                }
                let s = *rng.pick(&cands);
                Edit {
                    range: s..word_end(&chars, s),
                    insert: vocab.words(rng, 1).trim_end().to_owned(),
                    kind: EditKind::ContextWordChange,
                }
            } else if roll < 85 {
                // Inside the quote: a word inserted, deleted or replaced.
                let inner: Vec<usize> = starts
                    .iter()
                    .copied()
                    .filter(|&s| s > a.start && s < a.end && word_end(&chars, s) < a.end)
                    .collect();
                if inner.is_empty() {
                    continue;
                }
                let s = *rng.pick(&inner);
                match rng.below(3) {
                    0 => Edit {
                        range: s..s,
                        insert: {
                            let n = rng.range(1, 3);
                            vocab.words(rng, n)
                        },
                        kind: EditKind::InsideQuote,
                    },
                    1 => Edit {
                        range: s..(word_end(&chars, s) + 1).min(a.end),
                        insert: String::new(),
                        kind: EditKind::InsideQuote,
                    },
                    _ => Edit {
                        range: s..word_end(&chars, s),
                        insert: vocab.words(rng, 1).trim_end().to_owned(),
                        kind: EditKind::InsideQuote,
                    },
                }
            } else if roll < 90 {
                // The paragraph holding the quote, duplicated right after itself.
                let ps = chars[..a.start]
                    .windows(2)
                    .rposition(|w| w == ['\n', '\n'])
                    .map_or(0, |p| p + 2);
                let pe = chars[a.end..]
                    .windows(2)
                    .position(|w| w == ['\n', '\n'])
                    .map_or(chars.len(), |p| a.end + p);
                if pe - ps > 20_000 || !free(&taken, &(ps..pe)) {
                    continue;
                }
                // Reserve the paragraph: its copy must equal it.
                taken.insert(ps, pe);
                let para: String = chars[ps..pe].iter().collect();
                Edit {
                    range: pe..pe,
                    insert: format!("\n\n{para}"),
                    kind: EditKind::DuplicateParagraph,
                }
            } else {
                // The quote deleted, alone or with its sentence.
                let range = if rng.chance(0.5) {
                    a.start..a.end
                } else {
                    let mut s = a.start;
                    while s > 0 && !matches!(chars[s - 1], '.' | '?' | '\n') {
                        s -= 1;
                    }
                    let mut e = a.end;
                    while e < chars.len() && !matches!(chars[e - 1], '.' | '?' | '\n') {
                        e += 1;
                    }
                    s..e
                };
                Edit {
                    range,
                    insert: String::new(),
                    kind: EditKind::DeleteQuote,
                }
            }
        };
        if edit.kind != EditKind::DuplicateParagraph && !free(&taken, &edit.range) {
            continue;
        }
        if edit.kind != EditKind::DuplicateParagraph {
            taken.insert(edit.range.start, edit.range.end.max(edit.range.start + 1));
        } else {
            taken.insert(edit.range.start, edit.range.start + 1);
        }
        edited += edit.range.len() + edit.insert.chars().count();
        edits.push(edit);
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));

    let mut new = String::with_capacity(old.len_bytes() * 11 / 10);
    let mut at = 0;
    for e in &edits {
        new.extend(&chars[at..e.range.start]);
        new.push_str(&e.insert);
        at = e.range.end;
    }
    new.extend(&chars[at..]);

    let new_text = StoryText::new(new.clone());
    let truths = annotations
        .iter()
        .map(|a| truth_of(&a.anchor, &edits, &new_text))
        .collect();
    Drifted {
        new,
        truths,
        edits,
        edited_chars: edited,
    }
}

/// Maps an old position through the (sorted, non-touching) edits. A start sticks to the
/// text after it (an insertion right before the quote stays outside), an end to the text
/// before it; a position inside a replaced range goes to the replacement's start (for a
/// start) or end (for an end), so the replacement counts as part of the quote.
fn map_pos(edits: &[Edit], x: usize, is_start: bool) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        let (a, b) = (e.range.start, e.range.end);
        let ins = e.insert.chars().count() as isize;
        if a == b {
            if a < x || (is_start && a == x) {
                delta += ins;
            } else {
                break;
            }
        } else if b <= x {
            delta += ins - (b - a) as isize;
        } else if a < x {
            let base = (a as isize + delta) as usize;
            return if is_start { base } else { base + ins as usize };
        } else {
            break;
        }
    }
    (x as isize + delta) as usize
}

fn truth_of(a: &Anchor, edits: &[Edit], new: &StoryText) -> Truth {
    let m = a.end - a.start;
    let deleted: usize = edits
        .iter()
        .map(|e| {
            let lo = e.range.start.max(a.start);
            let hi = e.range.end.min(a.end);
            hi.saturating_sub(lo)
        })
        .sum();
    let start = map_pos(edits, a.start, true);
    let end = map_pos(edits, a.end, false);
    let span = (2 * (m - deleted) >= m && start < end).then(|| Span::new(start, end));
    let alternates = edits
        .iter()
        .filter(|e| e.kind == EditKind::DuplicateParagraph)
        .filter_map(|e| {
            let para_len = e.insert.chars().count() - 2;
            let pe = e.range.start;
            let ps = pe - para_len;
            (ps <= a.start && a.end <= pe).then(|| {
                let copy = map_pos(edits, pe, false) + 2;
                Span::new(copy + (a.start - ps), copy + (a.end - ps))
            })
        })
        .collect();
    let intact = span.is_some_and(|s| {
        let now = Anchor::from_span(new, s);
        now.quote == a.quote && now.prefix == a.prefix && now.suffix == a.suffix
    });
    Truth {
        span,
        alternates,
        intact,
    }
}

/// The file a story would be saved as: optionally with CRLF line ends and a UTF-8 BOM.
pub fn file_bytes(text: &str, crlf: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    if crlf {
        out.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    } else {
        out.extend_from_slice(text.as_bytes());
    }
    out
}

/// Accuracy figures over many annotations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accuracy {
    /// Annotations whose quote is still (at least half) there.
    pub present: usize,
    /// Placed exactly on the true span (or on the copy in a duplicated paragraph).
    pub correct: usize,
    /// Placed overlapping the true span by at least half (intersection over union) but
    /// with other edges: an edit at the quote's edge.
    pub near: usize,
    /// Placed elsewhere without asking: the worst outcome.
    pub wrong_silent: usize,
    /// Placed elsewhere but flagged for confirming.
    pub wrong_flagged: usize,
    /// Orphaned although the quote is there.
    pub missed: usize,
    /// Annotations whose quote was deleted.
    pub gone: usize,
    pub gone_orphaned: usize,
    pub gone_placed_silent: usize,
    pub gone_placed_flagged: usize,
    /// Present annotations whose quote and context are unchanged, and how many of those
    /// were placed wrongly (must be 0).
    pub intact: usize,
    pub intact_wrong: usize,
    /// Right (correct or near) but flagged for confirming.
    pub right_flagged: usize,
}

impl Accuracy {
    pub fn add(&mut self, o: &Accuracy) {
        self.present += o.present;
        self.correct += o.correct;
        self.near += o.near;
        self.wrong_silent += o.wrong_silent;
        self.wrong_flagged += o.wrong_flagged;
        self.missed += o.missed;
        self.gone += o.gone;
        self.gone_orphaned += o.gone_orphaned;
        self.gone_placed_silent += o.gone_placed_silent;
        self.gone_placed_flagged += o.gone_placed_flagged;
        self.intact += o.intact;
        self.intact_wrong += o.intact_wrong;
        self.right_flagged += o.right_flagged;
    }

    /// Judges one placement (`None` = orphaned) against the truth.
    pub fn judge(&mut self, truth: &Truth, placed: Option<Span>, flagged: bool) {
        let Some(true_span) = truth.span else {
            self.gone += 1;
            match (placed, flagged) {
                (None, _) => self.gone_orphaned += 1,
                (Some(_), false) => self.gone_placed_silent += 1,
                (Some(_), true) => self.gone_placed_flagged += 1,
            }
            return;
        };
        self.present += 1;
        if truth.intact {
            self.intact += 1;
        }
        let Some(p) = placed else {
            self.missed += 1;
            return;
        };
        let targets = std::iter::once(true_span).chain(truth.alternates.iter().copied());
        let mut best = 0.0f64;
        let mut exact = false;
        for t in targets {
            exact |= t == p;
            best = best.max(iou(t, p));
        }
        if exact || best >= 0.5 {
            if exact {
                self.correct += 1;
            } else {
                self.near += 1;
            }
            if flagged {
                self.right_flagged += 1;
            }
        } else {
            if truth.intact {
                self.intact_wrong += 1;
            }
            if flagged {
                self.wrong_flagged += 1;
            } else {
                self.wrong_silent += 1;
            }
        }
    }

    pub fn right(&self) -> usize {
        self.correct + self.near
    }
}

fn iou(a: Span, b: Span) -> f64 {
    let inter = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.end.max(b.end) - a.start.min(b.start);
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / of as f64)
    }
}

impl fmt::Display for Accuracy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = self.present + self.gone;
        let right_outcomes = self.right() + self.gone_orphaned;
        write!(
            f,
            "all {all}: right outcome {right_outcomes} ({}); present {}: right {} ({}; exact {}, near {}; flagged {}), wrong {} silent + {} flagged ({}), orphaned {} ({}); \
             gone {}: orphaned {} ({}), placed {} silent + {} flagged; intact {}: wrong {}",
            pct(right_outcomes, all),
            self.present,
            self.right(),
            pct(self.right(), self.present),
            self.correct,
            self.near,
            self.right_flagged,
            self.wrong_silent,
            self.wrong_flagged,
            pct(self.wrong_silent + self.wrong_flagged, self.present),
            self.missed,
            pct(self.missed, self.present),
            self.gone,
            self.gone_orphaned,
            pct(self.gone_orphaned, self.gone),
            self.gone_placed_silent,
            self.gone_placed_flagged,
            self.intact,
            self.intact_wrong,
        )
    }
}

/// Judges factmark's outcomes.
pub fn judge_outcomes(
    truths: &[Truth],
    annotations: &[Annotation],
    outcomes: &[Outcome],
) -> Accuracy {
    let mut acc = Accuracy::default();
    for ((t, a), o) in truths.iter().zip(annotations).zip(outcomes) {
        acc.judge(
            t,
            o.span(a.anchor.span()),
            matches!(o, Outcome::Fuzzy { .. }),
        );
    }
    acc
}

/// Judges the baseline's placements (it never flags).
pub fn judge_baseline(truths: &[Truth], placed: &[Option<Span>]) -> Accuracy {
    let mut acc = Accuracy::default();
    for (t, p) in truths.iter().zip(placed) {
        acc.judge(t, *p, false);
    }
    acc
}

/// One generated case: an annotated story and its drifted version.
pub struct Case {
    pub old: StoryText,
    pub annotations: Vec<Annotation>,
    pub drifted: Drifted,
    pub new: StoryText,
}

/// A story of `chars` chars with `n` annotations, `fraction` of it edited.
pub fn case(seed: u64, chars: usize, n: usize, fraction: f64) -> Case {
    let vocab = Vocabulary::new(1);
    let mut rng = Rng::new(seed);
    let old = StoryText::new(vocab.story(&mut rng, chars));
    let annotations = annotate(&mut rng, &old, n);
    let drifted = drift(&mut rng, &vocab, &old, &annotations, fraction);
    let new = StoryText::new(drifted.new.clone());
    Case {
        old,
        annotations,
        drifted,
        new,
    }
}

/// A Hypothesis-style re-anchoring baseline, written from the description of Hypothesis's
/// client (`match-quote.ts` on top of the `approx-string-match` package): for the
/// benchmark and the accuracy comparison only.
///
/// 1. The position selector is used when the text there equals the quote.
/// 2. Otherwise every exact occurrence of the quote is a candidate; when there is none, the
///    approximate matches with the fewest errors (at most `min(256, len / 2)`), found by
///    Myers' algorithm over the whole text.
/// 3. Candidates are scored `50 * quote + 20 * prefix + 20 * suffix + 2 * position`,
///    normalised, where quote = 1 - errors / len, prefix / suffix = 1 - (fewest errors of
///    the stored context in the same number of chars next to the match) / its length, and
///    position = 1 - |start - old start| / text length. The best is taken, with no
///    threshold: the baseline never orphans an annotation that has any match.
///
/// Positions are in chars (Hypothesis counts UTF-16 code units; the stories here have no
/// chars outside the Basic Multilingual Plane except emoji, which are never quoted alone).
pub mod hypothesis {
    use std::collections::HashMap;

    use factmark::anchor::{Anchor, Span};

    /// A story prepared once: its chars, and the char index of each byte.
    pub struct Text {
        pub s: String,
        pub chars: Vec<char>,
        byte_to_char: Vec<u32>,
    }

    impl Text {
        pub fn new(s: &str) -> Self {
            let chars: Vec<char> = s.chars().collect();
            let mut byte_to_char = vec![0u32; s.len() + 1];
            for (ci, (bi, c)) in s.char_indices().enumerate() {
                for k in 0..c.len_utf8() {
                    byte_to_char[bi + k] = ci as u32;
                }
            }
            byte_to_char[s.len()] = chars.len() as u32;
            Self {
                s: s.to_owned(),
                chars,
                byte_to_char,
            }
        }
    }

    #[derive(Clone, Copy, Debug)]
    struct Match {
        start: usize,
        end: usize,
        errors: usize,
    }

    /// Where the baseline puts `anchor` in `text`; `None` when nothing matches.
    pub fn reanchor(text: &Text, anchor: &Anchor) -> Option<Span> {
        let quote: Vec<char> = anchor.quote.chars().collect();
        if quote.is_empty() {
            return None;
        }
        if anchor.end <= text.chars.len()
            && anchor.end - anchor.start == quote.len()
            && text.chars[anchor.start..anchor.end] == quote[..]
        {
            return Some(anchor.span());
        }
        let max_errors = (quote.len() / 2).min(256);
        let matches = search_whole(text, &anchor.quote, &quote, max_errors);
        let prefix: Vec<char> = anchor.prefix.chars().collect();
        let suffix: Vec<char> = anchor.suffix.chars().collect();
        let n = text.chars.len();
        let score = |m: &Match| {
            let quote_score = 1.0 - m.errors as f64 / quote.len() as f64;
            let prefix_score = if prefix.is_empty() {
                1.0
            } else {
                let from = m.start.saturating_sub(prefix.len());
                text_match_score(&text.chars[from..m.start], &prefix)
            };
            let suffix_score = if suffix.is_empty() {
                1.0
            } else {
                let to = (m.end + suffix.len()).min(n);
                text_match_score(&text.chars[m.end..to], &suffix)
            };
            let pos_score = 1.0 - m.start.abs_diff(anchor.start) as f64 / n.max(1) as f64;
            (50.0 * quote_score + 20.0 * prefix_score + 20.0 * suffix_score + 2.0 * pos_score)
                / 92.0
        };
        let mut best: Option<(f64, Match)> = None;
        for m in matches {
            let s = score(&m);
            // A stable sort by descending score keeps the first of equals.
            if best.is_none_or(|(bs, _)| s > bs) {
                best = Some((s, m));
            }
        }
        best.map(|(_, m)| Span::new(m.start, m.end))
    }

    /// Exact occurrences in the whole text, or else the fewest-error approximate ones.
    fn search_whole(text: &Text, quote: &str, pattern: &[char], max_errors: usize) -> Vec<Match> {
        let exact: Vec<Match> = memchr::memmem::find_iter(text.s.as_bytes(), quote.as_bytes())
            .map(|b| {
                let start = text.byte_to_char[b] as usize;
                Match {
                    start,
                    end: start + pattern.len(),
                    errors: 0,
                }
            })
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        approx_search(&text.chars, pattern, max_errors)
    }

    /// Similarity of `slice` to `context`: 1 - fewest errors of `context` against any part
    /// of `slice`, over its length.
    fn text_match_score(slice: &[char], context: &[char]) -> f64 {
        if slice.is_empty() || context.is_empty() {
            return 0.0;
        }
        let exact = slice.windows(context.len()).any(|w| w == context);
        let errors = if exact {
            0
        } else {
            approx_search(slice, context, context.len())
                .first()
                .map_or(context.len(), |m| m.errors)
        };
        1.0 - errors as f64 / context.len() as f64
    }

    /// The matches of `pattern` in `text` with the fewest errors (at most `max_errors`).
    fn approx_search(text: &[char], pattern: &[char], max_errors: usize) -> Vec<Match> {
        let ends = match_ends(text, pattern, max_errors);
        let reversed: Vec<char> = pattern.iter().rev().copied().collect();
        ends.into_iter()
            .map(|(end, errors)| {
                // The start: reversed pattern against the reversed text before `end`, with
                // the same error count; the longest such match.
                let from = end.saturating_sub(pattern.len() + errors);
                let before: Vec<char> = text[from..end].iter().rev().copied().collect();
                let longest = match_ends(&before, &reversed, errors)
                    .into_iter()
                    .map(|(e, _)| e)
                    .max()
                    .unwrap_or(0);
                Match {
                    start: end - longest,
                    end,
                    errors,
                }
            })
            .collect()
    }

    struct Peq {
        blocks: usize,
        ascii: Vec<u64>,
        other: HashMap<char, Vec<u64>>,
        zeros: Vec<u64>,
    }

    impl Peq {
        fn new(pattern: &[char]) -> Self {
            let blocks = pattern.len().div_ceil(64);
            let mut ascii = vec![0u64; 128 * blocks];
            let mut other: HashMap<char, Vec<u64>> = HashMap::new();
            for (i, &c) in pattern.iter().enumerate() {
                let bit = 1u64 << (i % 64);
                if c.is_ascii() {
                    ascii[c as usize * blocks + i / 64] |= bit;
                } else {
                    other.entry(c).or_insert_with(|| vec![0; blocks])[i / 64] |= bit;
                }
            }
            Self {
                blocks,
                ascii,
                other,
                zeros: vec![0; blocks],
            }
        }

        fn get(&self, c: char) -> &[u64] {
            if c.is_ascii() {
                let o = c as usize * self.blocks;
                &self.ascii[o..o + self.blocks]
            } else {
                self.other.get(&c).map_or(&self.zeros[..], |v| &v[..])
            }
        }
    }

    fn advance(pv: &mut u64, mv: &mut u64, eq: u64, h_in: i32, last: u64) -> i32 {
        let (p, m) = (*pv, *mv);
        let neg = (h_in < 0) as u64;
        let eq = eq | neg;
        let xv = eq | m;
        let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
        let mut ph = m | !(xh | p);
        let mut mh = p & xh;
        let out = ((ph & last) != 0) as i32 - ((mh & last) != 0) as i32;
        ph <<= 1;
        mh <<= 1;
        mh |= neg;
        ph |= (h_in > 0) as u64;
        *pv = mh | !(xv | ph);
        *mv = ph & xv;
        out
    }

    /// Ends (exclusive) and error counts of the fewest-error matches: the block-based
    /// algorithm of Myers (1999, fig. 9), lowering the limit each time a better match is
    /// seen, as `approx-string-match` does.
    fn match_ends(text: &[char], pattern: &[char], max_errors: usize) -> Vec<(usize, usize)> {
        let m = pattern.len();
        if m == 0 {
            return Vec::new();
        }
        let mut k = max_errors.min(m) as i64;
        let peq = Peq::new(pattern);
        let bmax = peq.blocks - 1;
        let mut last = vec![1u64 << 63; peq.blocks];
        last[bmax] = 1u64 << ((m - 1) % 64);
        let mut pv = vec![!0u64; peq.blocks];
        let mut mv = vec![0u64; peq.blocks];
        let mut score: Vec<i64> = (0..peq.blocks).map(|b| ((b + 1) * 64) as i64).collect();
        score[bmax] = m as i64;
        let mut y = (k as usize).div_ceil(64).saturating_sub(1);
        let mut out = Vec::new();
        for (j, &c) in text.iter().enumerate() {
            let eq = peq.get(c);
            let mut carry = 0;
            for b in 0..=y {
                carry = advance(&mut pv[b], &mut mv[b], eq[b], carry, last[b]);
                score[b] += carry as i64;
            }
            if score[y] - carry as i64 <= k && y < bmax && ((eq[y + 1] & 1) != 0 || carry < 0) {
                y += 1;
                pv[y] = !0;
                mv[y] = 0;
                let rows = if y == bmax { m - bmax * 64 } else { 64 };
                let o = advance(&mut pv[y], &mut mv[y], eq[y], carry, last[y]);
                score[y] = score[y - 1] + rows as i64 - carry as i64 + o as i64;
            } else {
                while y > 0 && score[y] >= k + 64 {
                    y -= 1;
                }
            }
            if y == bmax && score[y] <= k {
                if score[y] < k {
                    out.clear();
                }
                out.push((j + 1, score[y] as usize));
                k = score[y];
            }
        }
        out
    }
}
