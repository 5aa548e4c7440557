//! Check-worthy sentences (SPEC 13): which units of a story are worth checking, and why.
//!
//! Owns segmentation into candidate units ([`segment`]), evidence detection (`features`,
//! `claimant`) and the scorer below. It reads only the canonical text (positions are chars,
//! as everywhere in factmark: see [`crate::anchor`]), never the sidecar or the disk, and must
//! not depend on any UI crate. The window and the command line call [`suggest`] or
//! [`suggest_skipping`].
//!
//! # The scorer
//! Transparent by design: every unit gets evidence of eight kinds ([`Kind`]), each piece
//! naming the words that triggered it. Each kind present adds its weight from [`WEIGHTS`]
//! (once, or one and a half times when it occurs twice or more: repetition says little
//! more). Hedges and opinions have negative weights. The sum `raw` becomes a score with
//! `1 - e^-raw` (0 for nothing, approaching 1 for strong evidence), which a question or a
//! unit of very few words then scales down. There is no learned component: a fact-checker
//! can read the reasons and disagree with them.
//!
//! ```
//! use factmark::suggest::suggest;
//!
//! let story = "What a wonderful day it is. \
//!     Exports grew by $110 million since 2017, more than double the rate of imports, \
//!     Olena Koval told reporters.";
//! let found = suggest(story, Some(5));
//! assert_eq!(found.len(), 1, "the opinion sentence scores too low to be suggested");
//! let best = &found[0];
//! assert!(best.text.starts_with("Exports grew"));
//! assert_eq!(best.claimant.as_deref(), Some("Olena Koval"));
//! let reasons: Vec<String> = best.reasons.iter().map(|r| r.to_string()).collect();
//! assert!(reasons.contains(&"quantity: $110 million".to_owned()));
//! assert!(reasons.contains(&"comparison: more than double".to_owned()));
//! assert!(reasons.contains(&"time: since 2017".to_owned()));
//! assert!(reasons.contains(&"attributed: Olena Koval told reporters".to_owned()));
//! assert!(best.score > 0.9 && best.score <= 1.0);
//! ```
//!
//! # Limitations
//! Word lists cover English, French, German, Ukrainian and Russian (and a few Japanese
//! markers); other languages get digits, punctuation-based units and capitalised names only.
//! A pronoun speaker ("he said") is not resolved to a name.

mod claimant;
pub mod eval;
mod features;
mod lexicon;
pub mod segment;
mod token;

use std::ops::Range;

use serde::Serialize;

pub use lexicon::Kind;

/// How much each kind of evidence counts: the one place the scorer's judgement lives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub quantity: f64,
    pub comparison: f64,
    pub attribution: f64,
    pub causal: f64,
    pub time: f64,
    pub entity: f64,
    pub hedge: f64,
    pub opinion: f64,
    /// A question asks rather than claims: its score is multiplied by this.
    pub question: f64,
    /// A unit with fewer than [`Weights::short_words`] words is multiplied by this.
    pub short: f64,
    pub short_words: usize,
}

/// The weights in force.
pub const WEIGHTS: Weights = Weights {
    quantity: 1.0,
    comparison: 0.6,
    attribution: 0.5,
    causal: 0.5,
    time: 0.4,
    entity: 0.15,
    hedge: -0.3,
    opinion: -0.45,
    question: 0.5,
    short: 0.5,
    short_words: 5,
};

impl Weights {
    fn of(&self, kind: Kind) -> f64 {
        match kind {
            Kind::Quantity => self.quantity,
            Kind::Comparison => self.comparison,
            Kind::Attribution => self.attribution,
            Kind::Causal => self.causal,
            Kind::Time => self.time,
            Kind::Entity => self.entity,
            Kind::Hedge => self.hedge,
            Kind::Opinion => self.opinion,
        }
    }
}

/// [`suggest`] lists only units scoring at least this: below it, a unit has at most weak
/// evidence (a name, a date) and listing it would bury the real candidates.
pub const MIN_SCORE: f64 = 0.3;

/// Why a unit was picked (or marked down): the kind of evidence and the words that show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub kind: Kind,
    pub words: String,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.words)
    }
}

/// Reasons are strings in JSON (SPEC 13): `"quantity: $110 million"`.
impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A candidate unit: its char span in the canonical text, its score and its reasons.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// First char (on a grapheme boundary).
    pub start: usize,
    /// One past the last char (on a grapheme boundary); the text is trimmed.
    pub end: usize,
    pub text: String,
    /// 0..=1, rounded to three decimals.
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// Who the unit attributes its content to, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
}

/// Candidates in `text`, best first (ties in text order), scoring at least [`MIN_SCORE`];
/// at most `top` of them when given.
pub fn suggest(text: &str, top: Option<usize>) -> Vec<Suggestion> {
    suggest_skipping(text, top, &[])
}

/// As [`suggest`], leaving out every unit that overlaps one of the char spans in `skip`:
/// the spans already annotated, and the suggestions dismissed for this story. Any overlap
/// counts, because a sentence that carries a highlight has already been read.
pub fn suggest_skipping(text: &str, top: Option<usize>, skip: &[Range<usize>]) -> Vec<Suggestion> {
    let mut skip: Vec<Range<usize>> = skip.iter().filter(|r| r.start < r.end).cloned().collect();
    skip.sort_by_key(|r| r.start);
    let overlaps = |s: &Suggestion| {
        // Spans sorted by start: only those starting before the unit's end can overlap.
        let before_end = skip.partition_point(|r| r.start < s.end);
        skip[..before_end].iter().any(|r| r.end > s.start)
    };
    let mut out: Vec<Suggestion> = score_units(text)
        .into_iter()
        .filter(|s| s.score >= MIN_SCORE && !overlaps(s))
        .collect();
    rank(&mut out);
    if let Some(n) = top {
        out.truncate(n);
    }
    out
}

/// Every unit of `text` with its score and reasons, in text order, none left out (the
/// evaluation ranks all of them).
pub fn score_units(text: &str) -> Vec<Suggestion> {
    segment::units(text)
        .into_iter()
        .map(|u| score_unit(&text[u.bytes.clone()], u.start, u.end))
        .collect()
}

/// As [`suggest`] for one stretch of `text` only (the part on screen), widened to whole
/// lines: every unit found there is the unit [`suggest`] finds for the whole text, with the
/// same score, because sentences never run across a line break and a unit is scored on its
/// own words. The window shows these at once while the whole story is scored on a thread.
/// `bytes` must lie on char boundaries; `first_char` is the char offset of `bytes.start`.
pub fn suggest_in(text: &str, bytes: Range<usize>, first_char: usize) -> Vec<Suggestion> {
    let (from, to) = (bytes.start.min(text.len()), bytes.end.min(text.len()));
    let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let end = text[to..].find('\n').map_or(text.len(), |i| to + i);
    let first = first_char.saturating_sub(text[start..from].chars().count());
    let part = &text[start..end];
    let mut out: Vec<Suggestion> = segment::units(part)
        .into_iter()
        .map(|u| score_unit(&part[u.bytes], first + u.start, first + u.end))
        .filter(|s| s.score >= MIN_SCORE)
        .collect();
    rank(&mut out);
    out
}

/// Best first; equal scores keep text order (the sort is stable).
pub fn rank(suggestions: &mut [Suggestion]) {
    suggestions.sort_by(|a, b| b.score.total_cmp(&a.score));
}

/// The JSON of SPEC 13: an array of `{start, end, text, score, reasons, claimant?}`.
pub fn to_json(suggestions: &[Suggestion]) -> String {
    // Serialising plain strings and numbers cannot fail; an empty array is the fallback.
    let mut s = serde_json::to_string_pretty(suggestions).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}

/// One block per candidate for a person at a terminal:
///
/// ```text
/// 0.912  chars 31..140
///   Exports grew by $110 million since 2017, ...
///   quantity: $110 million · time: since 2017 · attributed: Olena Koval told reporters
///   claimant: Olena Koval
/// ```
pub fn to_human(suggestions: &[Suggestion], story: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if suggestions.is_empty() {
        let _ = writeln!(out, "{story}: no sentence looks worth checking.");
        return out;
    }
    for (i, s) in suggestions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let reasons: Vec<String> = s.reasons.iter().map(Reason::to_string).collect();
        let _ = writeln!(out, "{:.3}  chars {}..{}", s.score, s.start, s.end);
        let _ = writeln!(out, "  {}", s.text.replace('\n', " "));
        let _ = writeln!(out, "  {}", reasons.join(" · "));
        if let Some(c) = &s.claimant {
            let _ = writeln!(out, "  claimant: {c}");
        }
    }
    out
}

fn score_unit(unit: &str, start: usize, end: usize) -> Suggestion {
    let tokens = token::tokenize(unit);
    let evidence = features::detect(&tokens);
    let attribution = claimant::detect(unit, &tokens);
    let mut reasons: Vec<Reason> = evidence
        .iter()
        .map(|e| Reason {
            kind: e.kind,
            words: unit[e.start..e.end].to_owned(),
        })
        .collect();
    if let Some(a) = &attribution {
        reasons.push(Reason {
            kind: Kind::Attribution,
            words: a.words.clone(),
        });
    }
    reasons.sort_by_key(|r| r.kind);
    let raw: f64 = [
        Kind::Quantity,
        Kind::Comparison,
        Kind::Attribution,
        Kind::Causal,
        Kind::Time,
        Kind::Entity,
        Kind::Hedge,
        Kind::Opinion,
    ]
    .into_iter()
    .map(|kind| {
        let n = reasons.iter().filter(|r| r.kind == kind).count();
        let times = match n {
            0 => 0.0,
            1 => 1.0,
            _ => 1.5,
        };
        WEIGHTS.of(kind) * times
    })
    .sum();
    let mut score = 1.0 - (-raw.max(0.0)).exp();
    if unit
        .trim_end_matches(['"', '\u{201d}', '»', ')'])
        .ends_with(['?', '？', '؟'])
    {
        score *= WEIGHTS.question;
    }
    if tokens.iter().filter(|t| t.is_word()).count() < WEIGHTS.short_words {
        score *= WEIGHTS.short;
    }
    Suggestion {
        start,
        end,
        text: unit.to_owned(),
        score: (score * 1000.0).round() / 1000.0,
        reasons,
        claimant: attribution.and_then(|a| a.claimant),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_stretch_is_scored_as_the_whole_text_scores_it() {
        let text = "Kyiv said 12 drones were shot down overnight. Ça a coûté 3 millions d'euros.\n\
                    We love our city.\n\nThe budget rose by 40% since 2019, the mayor said.\n\
                    Prices fell because of cheaper gas, according to the ministry.\n";
        let whole = suggest(text, None);
        assert!(whole.len() >= 3, "{whole:?}");
        let story = crate::text::StoryText::new(text.to_owned());
        // Windows starting and ending mid-line, at line starts, and the whole text.
        for (a, b) in [
            (0, 10),
            (20, 95),
            (50, 130),
            (96, 97),
            (0, text.chars().count()),
        ] {
            let part = suggest_in(text, story.char_to_byte(a)..story.char_to_byte(b), a);
            assert!(!part.is_empty() || b - a < 5, "nothing in {a}..{b}");
            for s in &part {
                let same = whole.iter().find(|w| (w.start, w.end) == (s.start, s.end));
                let same = same.unwrap_or_else(|| panic!("{s:?} is not a unit of the whole"));
                assert_eq!(same.score, s.score);
                assert_eq!(same.text, s.text);
            }
        }
        let all = suggest_in(text, 0..text.len(), 0);
        assert_eq!(all.len(), whole.len());
    }
    use super::*;

    fn score(unit: &str) -> f64 {
        score_units(unit)[0].score
    }

    #[test]
    fn opinion_words_lower_the_score() {
        let plain = score("Exports rose by 40% last year.");
        let opinion = score("Exports rose by a wonderful 40% last year, we must say.");
        assert!(opinion < plain, "{opinion} < {plain}");
        let r = &score_units("We must build a wonderful future together for our children.")[0];
        assert_eq!(r.score, 0.0);
        assert!(r.reasons.iter().any(|r| r.to_string() == "opinion: must"));
    }

    #[test]
    fn hedges_lower_the_score() {
        assert!(
            score("Exports might rise by 40% next year.")
                < score("Exports will rise by 40% next year.")
        );
    }

    #[test]
    fn questions_and_very_short_units_are_marked_down() {
        assert!(
            score("Did exports rise by 40% last year?") < score("Exports rose by 40% last year.")
        );
        assert!(score("Up 40%.") < score("Exports rose by 40% last year."));
    }

    #[test]
    fn scores_stay_within_zero_and_one_and_ranking_is_best_first() {
        let text = "Nice. The budget grew by $3 billion, more than double, because of taxes, \
                    the minister said on 5 March 2024, citing the IMF and the World Bank. \
                    Spending rose 5%.";
        let all = suggest(text, None);
        assert_eq!(all.len(), 2);
        assert!(all[0].score >= all[1].score);
        assert!(all.iter().all(|s| (0.0..=1.0).contains(&s.score)));
        assert_eq!(all[0].claimant.as_deref(), Some("the minister"));
        assert_eq!(suggest(text, Some(1)).len(), 1);
    }

    #[test]
    fn spans_are_chars_into_the_text() {
        let text = "Ціна зросла. Уряд заявив, що ціни зросли на 5% у 2024 році.";
        let s = &suggest(text, None)[0];
        let by_chars: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(by_chars, s.text);
        assert_eq!(s.start, "Ціна зросла. ".chars().count());
    }

    #[test]
    fn skipped_spans_hide_overlapping_units_only() {
        let text = "Exports rose by 40% last year. Imports fell by 12% in 2023.";
        let all = suggest(text, None);
        assert_eq!(all.len(), 2);
        let first = all.iter().find(|s| s.start == 0).map(|s| s.start..s.end);
        let Some(first) = first else {
            panic!("first sentence suggested")
        };
        let left = suggest_skipping(
            text,
            None,
            std::slice::from_ref(&(first.start + 3..first.start + 5)),
        );
        assert_eq!(left.len(), 1);
        assert!(left[0].text.starts_with("Imports"));
        // An empty span hides nothing.
        assert_eq!(
            suggest_skipping(text, None, std::slice::from_ref(&(4..4))).len(),
            2
        );
    }

    #[test]
    fn json_has_the_spec_shape() {
        let s = &suggest(
            "Peskov told reporters that exports rose by 40% in 2024.",
            None,
        )[0];
        let v = serde_json::to_value(s).unwrap_or_default();
        assert_eq!(v["claimant"], "Peskov");
        assert_eq!(v["reasons"][0], "quantity: 40%");
        assert!(v["start"].is_u64() && v["end"].is_u64() && v["score"].is_f64());
        let unattributed = &suggest("Exports rose by 40% in 2024.", None)[0];
        let v = serde_json::to_value(unattributed).unwrap_or_default();
        assert!(v.get("claimant").is_none());
    }
}
