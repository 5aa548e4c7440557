//! Evidence in one unit: which words signal a quantity, a comparison, causality, a time,
//! a named entity, a hedge or an opinion. Attribution is found by [`super::claimant`].
//!
//! Lexicon phrases ([`super::lexicon`]) and a few rules written here (numbers in any
//! script's digits, years, "-est" superlatives, capitalised runs) produce matches over the
//! unit's tokens; touching matches of one kind are merged, so "$", "110" and "million"
//! become the one piece of evidence "$110 million". This module only finds evidence; the
//! weights live in [`super`]. It must not depend on any UI crate.

use super::lexicon::{Found, Kind, LEXICON, Role};
use super::token::Token;

/// One piece of evidence: its kind and the bytes of the unit that show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub kind: Kind,
    /// Byte range in the unit.
    pub start: usize,
    pub end: usize,
}

/// Words ending in "-est" that are not superlatives.
const NOT_SUPERLATIVE: &[&str] = &[
    "interest",
    "latest",
    "honest",
    "forest",
    "protest",
    "request",
    "suggest",
    "arrest",
    "contest",
    "invest",
    "manifest",
    "modest",
    "harvest",
    "digest",
    "earnest",
    "priest",
    "conquest",
    "detest",
    "attest",
    "southwest",
    "northwest",
    "midwest",
    "unrest",
    "greatest",
    "best",
    "biggest",
    "largest",
    "highest",
    "lowest",
    "interests",
    "protest",
];

/// Lowercase words between capitalised words that keep a name together ("Bank of England").
const NAME_CONNECTORS: &[&str] = &[
    "of", "de", "du", "des", "la", "von", "van", "der", "al", "bin", "-",
];

/// All evidence among a unit's tokens, ordered by kind then position.
pub(crate) fn detect(tokens: &[Token<'_>]) -> Vec<Evidence> {
    let mut found: Vec<Found> = Vec::new();
    for i in 0..tokens.len() {
        LEXICON.find_at(tokens, i, &mut found);
        if let Some(f) = rule_at(tokens, i) {
            found.push(f);
        }
    }
    let mut out = merge(found, tokens);
    out.extend(entities(tokens));
    // Spans of one kind cannot overlap after merging; an entity may cover words that are
    // also another kind of evidence, which is fine: they are different reasons.
    out.sort_by_key(|e| (e.kind, e.start));
    out
}

/// The rules no word list can express: numbers, years, dates and "-est" superlatives.
fn rule_at(tokens: &[Token<'_>], i: usize) -> Option<Found> {
    let tok = &tokens[i];
    let found = |kind| Found {
        kind,
        role: Role::Core,
        first: i,
        end: i + 1,
    };
    if tok.is_number() {
        if tok.is_year() {
            return Some(found(Kind::Time));
        }
        let near_month = |j: Option<usize>| {
            j.and_then(|j| tokens.get(j))
                .is_some_and(|t| LEXICON.is_month(t))
        };
        let day = tok.digits_value().is_some_and(|v| (1..=31).contains(&v));
        if day && (near_month(Some(i + 1)) || near_month(i.checked_sub(1))) {
            return Some(found(Kind::Time));
        }
        return Some(found(Kind::Quantity));
    }
    let lower = tok.lower.as_str();
    if tok.text.is_ascii()
        && lower.len() >= 6
        && lower.ends_with("est")
        && !NOT_SUPERLATIVE.contains(&lower)
    {
        return Some(found(Kind::Comparison));
    }
    None
}

/// Merges touching matches of one kind (only blanks between them), keeps groups that have a
/// core match, and trims a time expression after its last core word ("2019 and" → "2019").
fn merge(mut found: Vec<Found>, tokens: &[Token<'_>]) -> Vec<Evidence> {
    found.sort_by_key(|f| (f.kind, f.first, std::cmp::Reverse(f.end)));
    let mut out = Vec::new();
    let mut group: Option<(Kind, usize, usize, Option<usize>)> = None; // kind, first, end, last core end
    let flush = |g: Option<(Kind, usize, usize, Option<usize>)>, out: &mut Vec<Evidence>| {
        if let Some((kind, first, end, Some(core_end))) = g {
            let end = if kind == Kind::Time { core_end } else { end };
            out.push(Evidence {
                kind,
                start: tokens[first].start,
                end: tokens[end - 1].end,
            });
        }
    };
    for f in found {
        let core_end = (f.role == Role::Core).then_some(f.end);
        match &mut group {
            Some((kind, _, end, last_core)) if *kind == f.kind && f.first <= *end => {
                *end = (*end).max(f.end);
                if let Some(c) = core_end {
                    *last_core = Some(last_core.map_or(c, |l| l.max(c)));
                }
            }
            _ => {
                flush(group.take(), &mut out);
                group = Some((f.kind, f.first, f.end, core_end));
            }
        }
    }
    flush(group, &mut out);
    out
}

/// Capitalised runs ("Bank of England", "Dmitry Peskov", "NATO"), except a single word
/// that merely starts the sentence (or a quotation at its start).
fn entities(tokens: &[Token<'_>]) -> Vec<Evidence> {
    let mut out = Vec::new();
    let first_word = tokens.iter().position(Token::is_word);
    let mut i = 0;
    while i < tokens.len() {
        let tok = &tokens[i];
        if !(tok.is_word() && tok.is_capitalised()) || tok.text == "I" {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < tokens.len() {
            let t = &tokens[end];
            if t.is_word() && t.is_capitalised() && t.space_before {
                end += 1;
            } else if NAME_CONNECTORS.contains(&t.lower.as_str())
                && tokens.get(end + 1).is_some_and(Token::is_capitalised)
            {
                end += 2;
            } else {
                break;
            }
        }
        let words = end - start;
        if !(Some(start) == first_word && words == 1) {
            out.push(Evidence {
                kind: Kind::Entity,
                start: tokens[start].start,
                end: tokens[end - 1].end,
            });
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::token::tokenize;
    use super::*;

    /// The evidence of `kind` in `text`, as the words that show it.
    fn words(text: &str, kind: Kind) -> Vec<String> {
        let tokens = tokenize(text);
        detect(&tokens)
            .into_iter()
            .filter(|e| e.kind == kind)
            .map(|e| text[e.start..e.end].to_owned())
            .collect()
    }

    #[test]
    fn quantities_join_currency_magnitude_and_percent() {
        let t = "The plan costs $110 million, and 40% of it, nearly 3,000 jobs, is new.";
        assert_eq!(
            words(t, Kind::Quantity),
            ["$110 million", "40%", "nearly 3,000 jobs"]
        );
    }

    #[test]
    fn quantities_in_other_scripts_and_number_words() {
        assert_eq!(words("بلغت النسبة ١٥ في المئة", Kind::Quantity), ["١٥"]);
        assert_eq!(words("लागत ५०० करोड़ है", Kind::Quantity), ["५००"]);
        assert_eq!(
            words("Ціни зросли на п'ять відсотків", Kind::Quantity),
            ["п'ять відсотків"]
        );
        assert_eq!(
            words("La dette a atteint trois milliards d'euros", Kind::Quantity),
            ["trois milliards"]
        );
        assert_eq!(words("予算を三割増やした", Kind::Quantity), ["三割"]);
        assert_eq!(words("Twelve schools closed", Kind::Quantity), ["Twelve"]);
        assert!(words("One of the best days", Kind::Quantity).is_empty());
    }

    #[test]
    fn comparisons_and_superlatives() {
        let t = "Spending is more than double the 2010 level, the steepest rise on record.";
        assert_eq!(
            words(t, Kind::Comparison),
            ["more than double", "steepest rise", "record"]
        );
        assert_eq!(
            words("Безробіття зросло вдвічі", Kind::Comparison),
            ["зросло вдвічі"]
        );
        assert_eq!(
            words("Le chômage est en hausse", Kind::Comparison),
            ["hausse"]
        );
        assert!(words("We protest the latest interest", Kind::Comparison).is_empty());
    }

    #[test]
    fn causal_words_in_three_languages() {
        assert_eq!(
            words("Prices rose because of the drought", Kind::Causal),
            ["because of"]
        );
        assert_eq!(
            words("Les prix ont monté à cause de la sécheresse", Kind::Causal),
            ["à cause de"]
        );
        assert_eq!(
            words("Ціни зросли внаслідок посухи", Kind::Causal),
            ["внаслідок"]
        );
    }

    #[test]
    fn time_expressions_keep_their_preposition_but_not_trailing_words() {
        assert_eq!(
            words("Crime has fallen since 2017 and", Kind::Time),
            ["since 2017"]
        );
        assert_eq!(
            words("It opened on 5 March, last year", Kind::Time),
            ["5 March", "last year"]
        );
        assert_eq!(
            words("Завод закрили у 2019 році", Kind::Time),
            ["у 2019 році"]
        );
        // A day beside a month is a date, not a quantity.
        assert!(words("It opened on 5 March", Kind::Quantity).is_empty());
    }

    #[test]
    fn named_entities_are_capitalised_runs_not_sentence_openers() {
        let t = "Yesterday the Bank of England and Dmitry Peskov met NATO.";
        assert_eq!(
            words(t, Kind::Entity),
            ["Bank of England", "Dmitry Peskov", "NATO"]
        );
        assert_eq!(
            words("Вчора міністр Олена Коваль приїхала", Kind::Entity),
            ["Олена Коваль"]
        );
        assert!(
            words("これは東京です", Kind::Entity).is_empty(),
            "no case, no entities"
        );
    }

    #[test]
    fn hedges_and_opinions() {
        assert_eq!(
            words("Prices might fall, perhaps", Kind::Hedge),
            ["might", "perhaps"]
        );
        assert_eq!(
            words("We must build a wonderful future", Kind::Opinion),
            ["must", "wonderful future"]
        );
        assert_eq!(
            words("Ми мусимо бути разом", Kind::Opinion),
            ["Ми мусимо", "разом"]
        );
    }
}
