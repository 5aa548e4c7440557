//! Splitting a story into candidate units: sentences by the Unicode sentence rules (UAX #29,
//! through `unicode-segmentation`), then clauses at semicolons.
//!
//! Units are reported as char spans into the canonical text (the coordinate system of
//! [`crate::anchor`]): half-open, never empty, trimmed of blank grapheme clusters, and
//! always on grapheme boundaries, so a unit never starts inside a Devanagari conjunct or
//! between a letter and its combining mark. This module owns only the cutting; it knows
//! nothing about scores and must not depend on any UI crate.

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// A candidate unit: its char span and the byte range of the same text (kept so callers can
/// slice without counting chars again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// First char of the unit.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The same unit in bytes of the text.
    pub bytes: std::ops::Range<usize>,
}

/// Words after which a full stop does not end a sentence, although UAX #29 breaks there
/// ("Mr. Smith said" must stay one unit, or the claimant is lost). Lowercase, without the
/// stop.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "st", "jr",
    "sr", "vs", "mt", "ft", "inc", "corp", "ltd", "u.s", "u.k", "e.g", "i.e", "approx", "jan",
    "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "mme", "mlle", "nr", "bzw",
    "vgl", "z.b", "тис", "млн", "млрд", "грн", "руб", "ім", "им",
];

/// Semicolon-separated parts shorter than this many words stay joined to their neighbour:
/// a clause needs to say something on its own to be worth a suggestion.
const MIN_CLAUSE_WORDS: usize = 4;

/// Splits `text` into trimmed, grapheme-safe sentence and clause units, in text order.
pub fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    // Char position of `byte_at`: advanced piece by piece, so the whole split counts each
    // char once (linear in the story).
    let mut chars_at = 0usize;
    let mut byte_at = 0usize;
    let mut to_char = |b: usize| {
        debug_assert!(b >= byte_at);
        chars_at += text[byte_at..b].chars().count();
        byte_at = b;
        chars_at
    };
    for range in sentence_ranges(text) {
        for clause in clauses(text, range) {
            if let Some(trimmed) = trim(text, clause) {
                let start = to_char(trimmed.start);
                let end = to_char(trimmed.end);
                out.push(Unit {
                    start,
                    end,
                    bytes: trimmed,
                });
            }
        }
    }
    out
}

/// Sentence byte ranges covering `text`, with false breaks after abbreviations and
/// initials ("J. K. Rowling") joined again, and every cut on a grapheme boundary.
fn sentence_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut pending: Option<std::ops::Range<usize>> = None;
    for (start, piece) in text.split_sentence_bound_indices() {
        let range = start..start + piece.len();
        let current = match pending.take() {
            Some(p) => p.start..range.end,
            None => range,
        };
        let at_end = current.end == text.len();
        if !at_end
            && (ends_in_abbreviation(&text[current.clone()])
                || !is_grapheme_boundary(text, current.end))
        {
            pending = Some(current);
        } else {
            out.push(current);
        }
    }
    out.extend(pending);
    out
}

/// True when the sentence ends with "Mr." or a single-letter initial followed by spaces
/// only (not a line break: a line that ends in "No." is still its own line).
fn ends_in_abbreviation(sentence: &str) -> bool {
    // A line break ends the unit whatever precedes it (trailing spaces are not trimmed
    // here, so a sentence ending in a newline still ends with it).
    let trimmed = sentence.trim_end_matches([' ', '\t', '\u{a0}']);
    if trimmed.ends_with('\n') {
        return false;
    }
    let Some(body) = trimmed.strip_suffix('.') else {
        return false;
    };
    let word = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '«')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    let single_capital = {
        let mut cs = word.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    };
    single_capital || ABBREVIATIONS.contains(&lower.as_str())
}

/// Cuts a sentence at semicolons when both sides have at least [`MIN_CLAUSE_WORDS`] words.
fn clauses(text: &str, sentence: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let s = &text[sentence.clone()];
    if !s.contains([';', '；', '؛']) {
        return vec![sentence];
    }
    let mut out = Vec::new();
    let mut from = 0usize;
    for (i, c) in s.char_indices() {
        if matches!(c, ';' | '；' | '؛') {
            let cut = i + c.len_utf8();
            let left = &s[from..cut];
            let right = &s[cut..];
            if word_count(left) >= MIN_CLAUSE_WORDS && word_count(right) >= MIN_CLAUSE_WORDS {
                out.push(sentence.start + from..sentence.start + cut);
                from = cut;
            }
        }
    }
    out.push(sentence.start + from..sentence.end);
    out
}

fn word_count(s: &str) -> usize {
    s.unicode_words().count()
}

/// Drops blank grapheme clusters at both ends; `None` when nothing else is left. Whole
/// clusters are dropped, so a range on grapheme boundaries stays on them.
fn trim(text: &str, range: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let s = &text[range.clone()];
    let blank = |g: &(usize, &str)| g.1.chars().all(char::is_whitespace);
    let mut graphemes = s.grapheme_indices(true);
    let first = graphemes.find(|g| !blank(g))?;
    let last = s
        .grapheme_indices(true)
        .rev()
        .find(|g| !blank(g))
        .unwrap_or(first);
    Some(range.start + first.0..range.start + last.0 + last.1.len())
}

fn is_grapheme_boundary(text: &str, b: usize) -> bool {
    GraphemeCursor::new(b, text.len(), true)
        .is_boundary(text, 0)
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The units of `text` as strings, checked against their spans on the way.
    fn texts(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        units(text)
            .into_iter()
            .map(|u| {
                let by_chars: String = chars[u.start..u.end].iter().collect();
                assert_eq!(
                    by_chars,
                    &text[u.bytes.clone()],
                    "char and byte spans agree"
                );
                assert!(is_grapheme_boundary(text, u.bytes.start));
                assert!(is_grapheme_boundary(text, u.bytes.end));
                assert_eq!(by_chars.trim(), by_chars, "trimmed");
                by_chars
            })
            .collect()
    }

    #[test]
    fn english_sentences_keep_titles_and_initials() {
        let t = "Mr. Smith said prices rose. J. K. Rowling agreed.\nNext line";
        assert_eq!(
            texts(t),
            [
                "Mr. Smith said prices rose.",
                "J. K. Rowling agreed.",
                "Next line"
            ]
        );
    }

    #[test]
    fn japanese_sentences_split_at_ideographic_full_stop() {
        let t = "政府は予算を三割増やした。野党は反対した。";
        assert_eq!(texts(t), ["政府は予算を三割増やした。", "野党は反対した。"]);
    }

    #[test]
    fn ukrainian_sentences_and_trimming() {
        let t = "  Уряд заявив, що ціни зросли на 5%.   Опозиція не погодилася!  ";
        assert_eq!(
            texts(t),
            [
                "Уряд заявив, що ціни зросли на 5%.",
                "Опозиція не погодилася!"
            ]
        );
    }

    #[test]
    fn arabic_sentences_split_at_arabic_question_mark_and_full_stop() {
        let t = "هل ارتفعت الأسعار؟ قال الوزير إن النسبة بلغت عشرة في المئة.";
        let got = texts(t);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], "هل ارتفعت الأسعار؟");
    }

    #[test]
    fn hindi_sentences_split_at_danda_without_breaking_conjuncts() {
        // "क्ष" and "त्र" are conjuncts: several chars, one grapheme each.
        let t = "मंत्री ने कहा कि क्षेत्र में वृद्धि हुई। यह सच है।";
        let got = texts(t);
        assert_eq!(got, ["मंत्री ने कहा कि क्षेत्र में वृद्धि हुई।", "यह सच है।"]);
    }

    #[test]
    fn combining_marks_stay_with_their_letter_at_the_edges() {
        // A space carrying a combining mark is one cluster and not blank: trimming keeps it
        // whole rather than drop the space and strand the mark at the start of a unit.
        let t = "First one. \u{301}Second one.";
        assert_eq!(texts(t), ["First one. \u{301}", "Second one."]);
    }

    #[test]
    fn semicolons_cut_clauses_only_when_both_sides_say_something() {
        let t = "Exports rose by a third last year; imports fell by half since then. Yes; no.";
        assert_eq!(
            texts(t),
            [
                "Exports rose by a third last year;",
                "imports fell by half since then.",
                "Yes; no."
            ]
        );
    }

    #[test]
    fn blank_text_has_no_units_and_char_offsets_count_chars() {
        assert!(units(" \n\t ").is_empty());
        let t = "Ціна — 5 гривень. Next.";
        let u = units(t);
        assert_eq!(u.len(), 2);
        assert_eq!(u[1].start, "Ціна — 5 гривень. ".chars().count());
    }
}
