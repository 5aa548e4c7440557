//! Tokens of one unit: the word-bound pieces of UAX #29 (words, numbers, punctuation),
//! with their byte offsets in the unit and a lowercase form for lexicon look-ups.
//!
//! Owns only this cutting and the small predicates on a token (capitalised, number, year).
//! Feature detection and claimant guessing build on it; it must not depend on any UI crate.

use unicode_segmentation::UnicodeSegmentation;

/// One non-blank piece of a unit.
#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    /// The piece as written.
    pub text: &'a str,
    /// Byte offsets in the unit.
    pub start: usize,
    pub end: usize,
    /// Lowercase, with the typographic apostrophe turned into `'` so "d’après" and
    /// "d'après" look the same to the lexicon.
    pub lower: String,
    /// Whitespace separates this token from the previous one.
    pub space_before: bool,
}

impl Token<'_> {
    /// Contains a letter or a digit (not punctuation or a symbol).
    pub fn is_word(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }

    /// Starts with an uppercase letter (only scripts with case have any).
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Starts with a digit of any script (ASCII, Arabic-Indic, Devanagari, full-width ...).
    pub fn is_number(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_numeric)
    }

    /// The token's value when it is written only in digits of one of the common scripts.
    pub fn digits_value(&self) -> Option<u64> {
        let mut value: u64 = 0;
        for c in self.text.chars() {
            let d = digit_value(c)?;
            value = value.checked_mul(10)?.checked_add(u64::from(d))?;
        }
        Some(value)
    }

    /// A year between 1800 and 2100, written in four digits.
    pub fn is_year(&self) -> bool {
        self.text.chars().count() == 4
            && self
                .digits_value()
                .is_some_and(|v| (1800..=2100).contains(&v))
    }
}

/// The decimal value of a digit in the scripts news stories commonly use.
fn digit_value(c: char) -> Option<u32> {
    // Each of these scripts encodes 0..9 as ten consecutive code points.
    const ZEROS: &[u32] = &[0x30, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10];
    let cp = c as u32;
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&cp))
        .map(|z| cp - z)
}

/// The tokens of `unit`, blanks dropped.
pub(crate) fn tokenize(unit: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut space_before = false;
    for (start, piece) in unit.split_word_bound_indices() {
        if piece.chars().all(char::is_whitespace) {
            space_before = true;
            continue;
        }
        out.push(Token {
            text: piece,
            start,
            end: start + piece.len(),
            lower: lowercase(piece),
            space_before,
        });
        space_before = false;
    }
    out
}

pub(crate) fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.to_lowercase().replace(['\u{2019}', '\u{2bc}'], "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_offsets_spaces_and_lowercase() {
        let t = tokenize("Selon d’après $110 million");
        let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(texts, ["Selon", "d’après", "$", "110", "million"]);
        assert_eq!(t[1].lower, "d'après");
        assert!(t[2].space_before && !t[3].space_before);
        assert_eq!(&"Selon d’après $110 million"[t[3].start..t[3].end], "110");
    }

    #[test]
    fn digits_of_other_scripts_have_values_and_years_are_recognised() {
        let t = tokenize("٢٠١٧ २०२४ 2017 ۲۵ 12");
        let values: Vec<Option<u64>> = t.iter().map(Token::digits_value).collect();
        assert_eq!(
            values,
            [Some(2017), Some(2024), Some(2017), Some(25), Some(12)]
        );
        assert!(t[0].is_year() && t[1].is_year() && t[2].is_year());
        assert!(!t[3].is_year() && !t[4].is_year());
        assert!(t.iter().all(Token::is_number));
    }
}
