//! The re-ranker of `similar`: compares a claim with a candidate found by the index and says,
//! in words, why they look alike.
//!
//! What it owns: the features of a claim (content words, numbers, names, from
//! [`super::analyze`]) and one transparent score in `0..=1`:
//! - **words**: cosine of the two sets of content words, each weighted by its rarity in
//!   the index (inverse document frequency), so "bridge" counts more than "said";
//! - **numbers**: the share of numbers in common (of the side with fewer); a claim with
//!   numbers compared with one whose numbers all differ scores 0 here, which is what keeps
//!   "$3bn" apart from "$4bn" when every word is the same;
//! - **names**: the share of names in common, names being known from either side.
//!
//! The three are averaged with fixed weights over the parts either side has (a part only
//! one side has counts half, as 0). Every part that contributes yields a reason string.
//! It must not do I/O or touch the index: document frequencies come in as a function.

use std::collections::{BTreeMap, BTreeSet};

use super::analyze::{Kind, analyze};

/// How much each part weighs when both sides have it.
const WORDS: f32 = 0.5;
const NUMBERS: f32 = 0.3;
const NAMES: f32 = 0.2;
/// At most this many shared words are named in the reason.
const WORDS_SHOWN: usize = 6;

/// What a claim is compared on: keys to the form shown in reasons.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub words: BTreeMap<String, String>,
    pub numbers: BTreeMap<String, String>,
    pub names: BTreeSet<String>,
}

impl Features {
    pub fn of(text: &str) -> Self {
        let mut f = Features::default();
        for t in analyze(text).terms {
            match t.kind {
                Kind::Number => {
                    f.numbers.entry(t.key).or_insert(t.shown);
                }
                _ if t.stop => {}
                Kind::Word | Kind::Cjk => {
                    if t.name {
                        f.names.insert(t.key.clone());
                    }
                    f.words.entry(t.key).or_insert(t.shown);
                }
            }
        }
        f
    }

    /// Every key the index is asked about: words, then numbers.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.words
            .keys()
            .chain(self.numbers.keys())
            .map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.numbers.is_empty()
    }
}

/// A candidate's score and the reasons for it, best reasons first.
#[derive(Clone, Debug, PartialEq)]
pub struct Likeness {
    pub score: f32,
    pub reasons: Vec<String>,
}

/// Compares `claim` with `candidate`. `idf` weighs a word key by its rarity (> 0).
pub fn compare(claim: &Features, candidate: &Features, idf: &dyn Fn(&str) -> f32) -> Likeness {
    let mut reasons = Vec::new();
    let mut total = 0.0f32;
    let mut weight = 0.0f32;

    // Numbers.
    let shared_numbers: Vec<&String> = claim
        .numbers
        .keys()
        .filter(|k| candidate.numbers.contains_key(*k))
        .collect();
    match (claim.numbers.is_empty(), candidate.numbers.is_empty()) {
        (false, false) => {
            let fewer = claim.numbers.len().min(candidate.numbers.len()) as f32;
            total += NUMBERS * shared_numbers.len() as f32 / fewer;
            weight += NUMBERS;
            if shared_numbers.is_empty() {
                let theirs: Vec<&str> = candidate.numbers.values().map(String::as_str).collect();
                let ours: Vec<&str> = claim.numbers.values().map(String::as_str).collect();
                reasons.push(format!(
                    "different numbers: {} (not {})",
                    theirs.join(", "),
                    ours.join(", ")
                ));
            }
        }
        (true, true) => {}
        _ => weight += NUMBERS / 2.0,
    }
    for k in &shared_numbers {
        reasons.push(format!("number: {}", claim.numbers[*k]));
    }

    // Names: a word is a name when either side writes it as one.
    let is_name = |k: &String| claim.names.contains(k) || candidate.names.contains(k);
    let ours: BTreeSet<&String> = claim.words.keys().filter(|k| is_name(k)).collect();
    let theirs: BTreeSet<&String> = candidate.words.keys().filter(|k| is_name(k)).collect();
    let shared_names: Vec<&&String> = ours.intersection(&theirs).collect();
    match (ours.is_empty(), theirs.is_empty()) {
        (false, false) => {
            let fewer = ours.len().min(theirs.len()) as f32;
            total += NAMES * shared_names.len() as f32 / fewer;
            weight += NAMES;
        }
        (true, true) => {}
        _ => weight += NAMES / 2.0,
    }
    for k in &shared_names {
        reasons.push(format!("name: {}", candidate.words[**k]));
    }

    // Words, weighted by rarity: cosine of the two weighted sets.
    let norm = |f: &Features| f.words.keys().map(|k| idf(k).powi(2)).sum::<f32>().sqrt();
    let (a, b) = (norm(claim), norm(candidate));
    let mut shared_words: Vec<(&String, f32)> = claim
        .words
        .keys()
        .filter(|k| candidate.words.contains_key(*k))
        .map(|k| (k, idf(k)))
        .collect();
    if a > 0.0 && b > 0.0 {
        let dot: f32 = shared_words.iter().map(|(_, w)| w * w).sum();
        total += WORDS * (dot / (a * b)).min(1.0);
        weight += WORDS;
    } else if a > 0.0 || b > 0.0 {
        weight += WORDS / 2.0;
    }
    shared_words.retain(|(k, _)| !is_name(k));
    shared_words.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
    if !shared_words.is_empty() {
        let shown: Vec<&str> = shared_words
            .iter()
            .take(WORDS_SHOWN)
            .map(|(k, _)| candidate.words[*k].as_str())
            .collect();
        reasons.push(format!("words: {}", shown.join(", ")));
    }

    let score = if weight > 0.0 {
        (total / weight).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Likeness { score, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(_: &str) -> f32 {
        1.0
    }

    #[test]
    fn the_same_claim_reworded_scores_above_a_different_number() {
        let claim = Features::of("Brandt said the bridge inspection budget was cut by $4bn.");
        let reworded = Features::of(
            "The inspection budget for bridges fell by 4 billion dollars, according to Brandt.",
        );
        let other_number =
            Features::of("Brandt said the bridge inspection budget was cut by $3bn last year.");
        let same = compare(&claim, &reworded, &flat);
        let different = compare(&claim, &other_number, &flat);
        assert!(same.score > different.score, "{same:?} vs {different:?}");
        assert!(
            same.reasons.contains(&"number: 4 billion".to_owned()),
            "{same:?}"
        );
        assert!(
            same.reasons.contains(&"name: Brandt".to_owned()),
            "{same:?}"
        );
        let words = same
            .reasons
            .iter()
            .find(|r| r.starts_with("words: "))
            .expect("a words reason");
        assert!(
            words.contains("inspection") && words.contains("bridge"),
            "{words}"
        );
        assert!(
            different
                .reasons
                .iter()
                .any(|r| r.starts_with("different numbers: 3 billion")),
            "{different:?}"
        );
        assert!((0.0..=1.0).contains(&same.score));
    }

    #[test]
    fn identical_claims_score_one_and_unrelated_ones_zero() {
        let a = Features::of("Unemployment fell to 4% in Ohio.");
        assert!((compare(&a, &a, &flat).score - 1.0).abs() < 1e-6);
        let b = Features::of("Le chat dort sur le canapé.");
        let c = compare(&a, &b, &flat);
        assert_eq!(c.score, 0.0, "{c:?}");
        assert!(c.reasons.is_empty(), "{c:?}");
    }

    #[test]
    fn rare_words_weigh_more() {
        let claim = Features::of("vaccine trial enrolled volunteers");
        let rare = Features::of("vaccine trial results");
        let common = Features::of("enrolled volunteers results");
        let idf = |k: &str| {
            if k.starts_with("vaccin") || k == "trial" {
                3.0
            } else {
                1.0
            }
        };
        assert!(compare(&claim, &rare, &idf).score > compare(&claim, &common, &idf).score);
    }
}
