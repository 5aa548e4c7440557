//! Attribution and the claimant guess: does a unit report what someone said, and who?
//!
//! Patterns, tried in this order (English, French, German, Ukrainian, Russian):
//! - an introduction before the speaker: "according to X", "selon X", "за словами X",
//!   "по словам X", "laut X";
//! - a postposition after the speaker: "X zufolge", "X によると";
//! - a speech verb with the speaker before it: "X said", "X told reporters",
//!   "X a déclaré", "X заявив", with an apposition skipped: "X, the Kremlin spokesperson,
//!   said";
//! - a speech verb with the speaker after it, as after a quotation: `"…," said X`,
//!   `«…», — сказав X`.
//!
//! A speaker is a capitalised run ("Dmitry Peskov"), or a short noun phrase from a
//! determiner ("the defence ministry"), or a bare noun before the verb ("analysts said").
//! A pronoun ("he said") still counts as attribution but names no claimant: resolving it
//! would need the previous sentences, which this module does not look at. It only reads the
//! unit's tokens and must not depend on any UI crate.

use std::sync::LazyLock;

use super::token::{Token, tokenize};

/// What the unit attributes, and to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    /// The claimant's name or description, as written; `None` for a pronoun.
    pub claimant: Option<String>,
    /// The words that show the attribution ("Peskov told reporters").
    pub words: String,
}

#[rustfmt::skip]
const SPEECH_VERBS: &[&str] = &[
    "said", "says", "told", "tells", "stated", "states", "announced", "claimed", "claims",
    "added", "insisted", "argued", "wrote", "writes", "declared", "confirmed", "denied",
    "warned", "estimated", "reported", "noted", "explained", "admitted", "boasted",
    "predicted", "revealed", "alleged", "testified", "tweeted", "acknowledged",
    // French (participles; the auxiliary "a" is skipped).
    "déclaré", "dit", "affirmé", "annoncé", "assuré", "indiqué", "précisé", "expliqué",
    "estimé", "souligné", "déclare", "affirme", "estime", "assure", "explique", "souligne",
    // German.
    "sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "sagten", "berichtete",
    "warnte", "schrieb",
    // Ukrainian.
    "сказав", "сказала", "сказали", "заявив", "заявила", "заявили", "повідомив",
    "повідомила", "повідомили", "зазначив", "зазначила", "наголосив", "наголосила", "додав",
    "додала", "розповів", "розповіла", "пояснив", "пояснила", "каже", "заявляє",
    // Russian.
    "сказал", "заявил", "заявила", "сообщил", "сообщила", "сообщили", "отметил",
    "отметила", "подчеркнул", "подчеркнула", "добавил", "добавила", "рассказал",
    "рассказала", "пояснил", "говорит", "заявляет",
];

#[rustfmt::skip]
const INTRODUCTIONS: &[&str] = &[
    "according to", "selon", "d'après", "за словами", "згідно з", "згідно із", "за даними",
    "по словам", "по данным", "согласно", "laut", "nach angaben",
];

#[rustfmt::skip]
const POSTPOSITIONS: &[&str] = &["zufolge", "によると", "によれば"];

/// Who was told, kept with the verb: "told reporters".
#[rustfmt::skip]
const AUDIENCES: &[&str] = &[
    "reporters", "journalists", "the press", "parliament", "lawmakers", "congress",
    "a news conference", "a press conference", "the bbc", "the senate", "the committee",
    "aux journalistes", "journalisten", "журналістам", "журналистам",
];

#[rustfmt::skip]
const AUXILIARIES: &[&str] = &["a", "ont", "has", "have", "had", "hat", "haben"];

#[rustfmt::skip]
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "il", "elle", "ils", "elles", "on", "er", "sie",
    "es", "wir", "ich", "він", "вона", "вони", "ми", "я", "он", "она", "они", "мы",
];

#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "le", "la", "les", "l'", "un", "une", "der", "die", "das", "dem",
    "den", "des", "ein", "eine",
];

/// Words that make an apposition a role: "X, the Kremlin spokesperson, said".
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "spokes", "minister", "president", "secretary", "chief", "head", "director", "adviser",
    "advisor", "official", "chair", "mayor", "governor", "senator", "leader", "ceo",
    "economist", "analyst", "professor", "porte-parole", "ministre", "président", "directeur",
    "речни", "міністр", "президент", "голова", "представни", "очільни", "пресс-секретар",
    "министр", "представител", "глава", "sprecher", "präsident", "chef",
];

/// Words that end a speaker's noun phrase read forward ("said the minister on Monday").
#[rustfmt::skip]
const STOPS: &[&str] = &[
    "on", "in", "at", "that", "to", "for", "with", "after", "before", "during", "who",
    "which", "and", "que", "qui", "dans", "à", "en", "pour", "et", "що", "у", "в", "на", "і",
    "что", "и", "dass", "am", "im", "und", "when", "while",
];

#[rustfmt::skip]
const NAME_CONNECTORS: &[&str] = &["of", "de", "du", "des", "la", "von", "van", "der", "al", "bin", "-"];

/// Longest speaker phrase taken, in words.
const MAX_PHRASE_WORDS: usize = 5;

struct Phrases {
    introductions: Vec<Vec<String>>,
    postpositions: Vec<Vec<String>>,
    audiences: Vec<Vec<String>>,
}

static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
    let cut = |list: &[&str]| -> Vec<Vec<String>> {
        list.iter()
            .map(|p| tokenize(p).into_iter().map(|t| t.lower).collect())
            .collect()
    };
    Phrases {
        introductions: cut(INTRODUCTIONS),
        postpositions: cut(POSTPOSITIONS),
        audiences: cut(AUDIENCES),
    }
});

/// A speaker found among the tokens: tokens `first..end`.
#[derive(Clone, Copy, Debug)]
struct Speaker {
    first: usize,
    end: usize,
}

/// The attribution in a unit, if any.
pub(crate) fn detect(unit: &str, tokens: &[Token<'_>]) -> Option<Attribution> {
    let slice =
        |first: usize, end: usize| unit[tokens[first].start..tokens[end - 1].end].to_owned();
    let phrases = &*PHRASES;
    for i in 0..tokens.len() {
        if let Some(end) = longest_phrase(&phrases.introductions, tokens, i) {
            // "according to official figures": a source without a name still attributes.
            let speaker = forward(tokens, end).or_else(|| bare_forward(tokens, end));
            return Some(Attribution {
                claimant: speaker.map(|s| slice(s.first, s.end)),
                words: slice(i, speaker.map_or(end, |s| s.end)),
            });
        }
        if let Some(end) = longest_phrase(&phrases.postpositions, tokens, i) {
            let speaker = backward(tokens, i);
            return Some(Attribution {
                claimant: speaker.map(|s| slice(s.first, s.end)),
                words: slice(speaker.map_or(i, |s| s.first), end),
            });
        }
    }
    let mut pronoun_only = None;
    for i in 0..tokens.len() {
        if !SPEECH_VERBS.contains(&tokens[i].lower.as_str()) {
            continue;
        }
        let verb_end = longest_phrase(&phrases.audiences, tokens, i + 1).unwrap_or(i + 1);
        let mut before = i;
        if before > 0 && AUXILIARIES.contains(&tokens[before - 1].lower.as_str()) {
            before -= 1;
        }
        let after_quote = before == 0 || !tokens[before - 1].is_word();
        if after_quote && let Some(s) = forward(tokens, verb_end) {
            return Some(Attribution {
                claimant: Some(slice(s.first, s.end)),
                words: slice(before, s.end),
            });
        }
        if before > 0 && PRONOUNS.contains(&tokens[before - 1].lower.as_str()) {
            pronoun_only.get_or_insert_with(|| Attribution {
                claimant: None,
                words: slice(before - 1, verb_end),
            });
            continue;
        }
        if let Some(s) = backward(tokens, before) {
            let name = slice(s.first, s.end);
            // Next to the verb the words are quoted as written; across an apposition the
            // name and the verb are joined, so the reason stays short.
            let words = if s.end == before {
                slice(s.first, verb_end)
            } else {
                format!("{name} {}", slice(before, verb_end))
            };
            return Some(Attribution {
                claimant: Some(name),
                words,
            });
        }
        pronoun_only.get_or_insert_with(|| Attribution {
            claimant: None,
            words: slice(before, verb_end),
        });
    }
    pronoun_only
}

/// The end of the longest phrase of `list` that starts at token `i`.
fn longest_phrase(list: &[Vec<String>], tokens: &[Token<'_>], i: usize) -> Option<usize> {
    list.iter()
        .filter(|p| {
            tokens
                .get(i..i + p.len())
                .is_some_and(|w| w.iter().zip(p.iter()).all(|(t, want)| t.lower == *want))
        })
        .map(|p| i + p.len())
        .max()
}

fn is_name_word(t: &Token<'_>) -> bool {
    t.is_word() && t.is_capitalised() && !PRONOUNS.contains(&t.lower.as_str())
}

/// The capitalised run starting at `i`, read forward ("Dmitry Peskov", "Bank of England").
fn name_forward(tokens: &[Token<'_>], i: usize) -> Option<usize> {
    if !tokens.get(i).is_some_and(is_name_word) {
        return None;
    }
    let mut end = i + 1;
    loop {
        match tokens.get(end) {
            Some(t) if is_name_word(t) => end += 1,
            Some(t)
                if NAME_CONNECTORS.contains(&t.lower.as_str())
                    && tokens.get(end + 1).is_some_and(is_name_word) =>
            {
                end += 2
            }
            _ => return Some(end),
        }
    }
}

/// The capitalised run ending just before `end`, read backward.
fn name_backward(tokens: &[Token<'_>], end: usize) -> Option<usize> {
    let mut first = end;
    while first > 0 {
        let t = &tokens[first - 1];
        if is_name_word(t) {
            first -= 1;
        } else if first >= 2
            && first < end
            && NAME_CONNECTORS.contains(&t.lower.as_str())
            && is_name_word(&tokens[first - 2])
        {
            first -= 2;
        } else {
            break;
        }
    }
    (first < end).then_some(first)
}

/// The speaker that starts at token `i`: a name, or a determiner and a few words.
fn forward(tokens: &[Token<'_>], i: usize) -> Option<Speaker> {
    if let Some(end) = name_forward(tokens, i) {
        return Some(Speaker { first: i, end });
    }
    let t = tokens.get(i)?;
    if !DETERMINERS.contains(&t.lower.as_str()) {
        return None;
    }
    let mut end = i + 1;
    while end < tokens.len() && end - i <= MAX_PHRASE_WORDS {
        let t = &tokens[end];
        if !t.is_word() || STOPS.contains(&t.lower.as_str()) {
            break;
        }
        end += 1;
    }
    (end > i + 1).then_some(Speaker { first: i, end })
}

/// A few lowercase words from `i` up to punctuation or a stop word ("official figures").
fn bare_forward(tokens: &[Token<'_>], i: usize) -> Option<Speaker> {
    let mut end = i;
    while end < tokens.len() && end - i < MAX_PHRASE_WORDS {
        let t = &tokens[end];
        if !t.is_word() || STOPS.contains(&t.lower.as_str()) {
            break;
        }
        end += 1;
    }
    (end > i).then_some(Speaker { first: i, end })
}

/// The speaker that ends just before token `end`: a name (skipping an apposition with a
/// role), or a noun phrase back to its determiner or to a name, or a bare noun phrase that
/// starts the clause.
fn backward(tokens: &[Token<'_>], end: usize) -> Option<Speaker> {
    if end == 0 {
        return None;
    }
    if tokens[end - 1].text == "," {
        return apposition(tokens, end - 1);
    }
    if let Some(first) = name_backward(tokens, end) {
        return Some(Speaker { first, end });
    }
    let mut first = end;
    while first > 0 && end - first < MAX_PHRASE_WORDS {
        let t = &tokens[first - 1];
        if DETERMINERS.contains(&t.lower.as_str()) {
            return Some(Speaker {
                first: first - 1,
                end,
            });
        }
        if is_name_word(t) {
            let name_first = name_backward(tokens, first).unwrap_or(first - 1);
            return Some(Speaker {
                first: name_first,
                end,
            });
        }
        if !t.is_word() || STOPS.contains(&t.lower.as_str()) || PRONOUNS.contains(&t.lower.as_str())
        {
            break;
        }
        first -= 1;
    }
    // A bare noun phrase counts only when it starts the unit or follows punctuation
    // ("…, analysts said"), not when the word limit cut it.
    let clause_start = first == 0 || !tokens[first - 1].is_word();
    (first < end && clause_start).then_some(Speaker { first, end })
}

/// "X, the Kremlin spokesperson," before a verb: `comma` is the apposition's closing comma.
fn apposition(tokens: &[Token<'_>], comma: usize) -> Option<Speaker> {
    let opening = (comma.saturating_sub(12)..comma)
        .rev()
        .find(|&k| tokens[k].text == ",")?;
    let has_role = tokens[opening + 1..comma]
        .iter()
        .any(|t| ROLES.iter().any(|r| t.lower.starts_with(r)));
    if !has_role {
        return None;
    }
    let first = name_backward(tokens, opening)?;
    Some(Speaker {
        first,
        end: opening,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(unit: &str) -> Option<(Option<String>, String)> {
        let tokens = tokenize(unit);
        detect(unit, &tokens).map(|a| (a.claimant, a.words))
    }

    fn claimant(unit: &str) -> Option<String> {
        guess(unit).and_then(|g| g.0)
    }

    #[test]
    fn name_said() {
        assert_eq!(
            claimant("Prices will fall, Olena Koval said on Monday."),
            Some("Olena Koval".into())
        );
        assert_eq!(
            claimant("The defence ministry said 40 drones were downed."),
            Some("The defence ministry".into())
        );
        assert_eq!(
            claimant("Prices rose sharply, analysts said."),
            Some("analysts".into())
        );
    }

    #[test]
    fn name_told_reporters_keeps_the_audience_in_the_reason() {
        let g = guess("Peskov told reporters the talks had stalled.");
        assert_eq!(
            g,
            Some((Some("Peskov".into()), "Peskov told reporters".into()))
        );
    }

    #[test]
    fn said_name_after_a_quotation() {
        let unit =
            "\u{201c}Nothing has changed,\u{201d} said Dmitry Peskov, the Kremlin spokesman.";
        assert_eq!(claimant(unit), Some("Dmitry Peskov".into()));
        assert_eq!(
            claimant("\"We are ready,\" said the minister on Monday."),
            Some("the minister".into())
        );
    }

    #[test]
    fn quotation_followed_by_its_speaker() {
        assert_eq!(
            claimant("\"We doubled exports,\" Zelensky said."),
            Some("Zelensky".into())
        );
    }

    #[test]
    fn according_to() {
        let g = guess("According to the central bank, inflation reached 9%.");
        assert_eq!(
            g,
            Some((
                Some("the central bank".into()),
                "According to the central bank".into()
            ))
        );
    }

    #[test]
    fn according_to_an_unnamed_source() {
        let g = guess("According to official figures, 40 schools closed.");
        assert_eq!(
            g,
            Some((
                Some("official figures".into()),
                "According to official figures".into()
            ))
        );
    }

    #[test]
    fn apposition_with_a_role() {
        let unit = "Maria Zakharova, the foreign ministry spokeswoman, told reporters that 12 envoys left.";
        let g = guess(unit);
        assert_eq!(
            g,
            Some((
                Some("Maria Zakharova".into()),
                "Maria Zakharova told reporters".into()
            ))
        );
    }

    #[test]
    fn a_pronoun_attributes_without_a_claimant() {
        assert_eq!(
            guess("\"It works,\" he said."),
            Some((None, "he said".into()))
        );
        assert_eq!(guess("Exports rose by a third."), None);
    }

    #[test]
    fn french() {
        assert_eq!(
            claimant("Selon Emmanuel Macron, le chômage a baissé."),
            Some("Emmanuel Macron".into())
        );
        assert_eq!(
            claimant("« Nous avons gagné », a déclaré Anne Hidalgo."),
            Some("Anne Hidalgo".into())
        );
        assert_eq!(
            claimant("Le ministre a déclaré que la dette avait doublé."),
            Some("Le ministre".into())
        );
    }

    #[test]
    fn ukrainian_and_russian() {
        assert_eq!(
            claimant("«Ми готові», — сказав Володимир Зеленський."),
            Some("Володимир Зеленський".into())
        );
        assert_eq!(
            claimant("За словами Олени Коваль, ціни зросли на 5%."),
            Some("Олени Коваль".into())
        );
        assert_eq!(
            claimant("Песков заявил журналистам, что переговоры идут."),
            Some("Песков".into())
        );
        assert_eq!(
            guess("Песков заявил журналистам, что переговоры идут.").map(|g| g.1),
            Some("Песков заявил журналистам".into())
        );
    }

    #[test]
    fn german() {
        assert_eq!(
            claimant("Laut Olaf Scholz ist die Inflation gesunken."),
            Some("Olaf Scholz".into())
        );
        assert_eq!(
            claimant("Dem Ministerium zufolge stiegen die Preise."),
            Some("Dem Ministerium".into())
        );
    }
}
