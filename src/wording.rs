//! Changed wording (SPEC 9): what a verdict was checked against versus what the story says
//! now, word by word.
//!
//! [`diff_words`] splits both wordings into words, spaces and punctuation and aligns them
//! (longest common subsequence of tokens), so the inspector can show old and new side by
//! side with the changed words marked, and numbers (the usual thing a story corrects:
//! "$1 billion" to "$4 billion") flagged for emphasis. [`changes`] lists the annotations of
//! a set whose wording changed, for `check`, the exports and the review filters.
//!
//! Limitations: the alignment is quadratic in the number of tokens, so wordings longer than
//! [`MAX_TOKENS`] tokens are shown as one removed and one added segment instead. Quotes are
//! a sentence or a paragraph, far below that.
//!
//! This module must not depend on any UI crate and does no I/O.

use crate::model::{Annotation, AnnotationId, AnnotationSet};

/// Above this many tokens on either side the diff gives up aligning (see the module doc).
pub const MAX_TOKENS: usize = 2_000;

/// Which side(s) of the diff a segment belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// In both wordings.
    Same,
    /// Only in the checked (old) wording.
    Removed,
    /// Only in the current wording.
    Added,
}

/// A run of text with one [`Change`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub change: Change,
    pub text: String,
    /// True when the segment contains a digit: a changed number deserves the reader's eye.
    pub has_number: bool,
}

/// The word-level diff of `old` and `new`: segments in reading order, `Same` segments shared
/// by both sides, `Removed` ones only in `old`, `Added` ones only in `new`. Concatenating the
/// `Same` and `Removed` segments gives `old`; the `Same` and `Added` ones give `new`.
pub fn diff_words(old: &str, new: &str) -> Vec<Segment> {
    let a = tokens(old);
    let b = tokens(new);
    let mut out: Vec<Segment> = Vec::new();
    if a.len() > MAX_TOKENS || b.len() > MAX_TOKENS {
        push(&mut out, Change::Removed, old);
        push(&mut out, Change::Added, new);
        return out;
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let w = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            push(&mut out, Change::Same, a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            // Removed before added on a tie, so "$1" reads before "$4".
            push(&mut out, Change::Removed, a[i]);
            i += 1;
        } else {
            push(&mut out, Change::Added, b[j]);
            j += 1;
        }
    }
    out
}

/// Appends `text` to the last segment when it has the same change, so runs stay whole.
fn push(out: &mut Vec<Segment>, change: Change, text: &str) {
    if text.is_empty() {
        return;
    }
    let has_number = text.chars().any(|c| c.is_numeric());
    match out.last_mut() {
        Some(last) if last.change == change => {
            last.text.push_str(text);
            last.has_number |= has_number;
        }
        _ => out.push(Segment {
            change,
            text: text.to_owned(),
            has_number,
        }),
    }
}

/// Words (letters and digits, with `.` or `,` between digits, a currency sign before and
/// `%` after a number), runs of white space, and single other chars. "$1.5 billion" is
/// `$1.5`, ` `, `billion`, so a changed figure is one token, not a few digits.
fn tokens(s: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let digit_at = |k: usize| chars.get(k).is_some_and(|&(_, c)| c.is_numeric());
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let mut j = i + 1;
        if c.is_whitespace() {
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
        } else if is_word(c) || (matches!(c, '$' | '€' | '£' | '¥') && digit_at(i + 1)) {
            while j < chars.len() {
                let inside_number =
                    matches!(chars[j].1, '.' | ',') && digit_at(j - 1) && digit_at(j + 1);
                if is_word(chars[j].1) || inside_number {
                    j += 1;
                } else {
                    break;
                }
            }
            if j < chars.len() && chars[j].1 == '%' && digit_at(j - 1) {
                j += 1;
            }
        }
        let end = chars.get(j).map_or(s.len(), |&(b, _)| b);
        out.push(&s[start..end]);
        i = j;
    }
    out
}

/// One annotation whose wording changed, as `check` and the exports report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordingChange {
    pub id: AnnotationId,
    pub label: String,
    /// The wording the annotation was checked against.
    pub checked: String,
    /// The story's wording now.
    pub current: String,
}

/// The annotations of `set` whose wording changed and wait for a decision, in reading order.
pub fn changes(set: &AnnotationSet) -> Vec<WordingChange> {
    set.iter().filter_map(change_of).collect()
}

/// The pending wording change of one annotation, if any.
pub fn change_of(a: &Annotation) -> Option<WordingChange> {
    let checked = a.checked_wording.as_ref()?;
    a.wording_changed().then(|| WordingChange {
        id: a.id.clone(),
        label: a.label.clone(),
        checked: checked.clone(),
        current: a.anchor.quote.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(segments: &[Segment], skip: Change) -> String {
        segments
            .iter()
            .filter(|s| s.change != skip)
            .map(|s| s.text.as_str())
            .collect()
    }

    #[test]
    fn a_changed_figure_is_one_segment_each_side_and_flagged_as_a_number() {
        let old = "The plan costs $1 billion over ten years.";
        let new = "The plan costs $4 billion over ten years.";
        let d = diff_words(old, new);
        assert_eq!(side(&d, Change::Added), old);
        assert_eq!(side(&d, Change::Removed), new);
        let changed: Vec<(&str, Change, bool)> = d
            .iter()
            .filter(|s| s.change != Change::Same)
            .map(|s| (s.text.as_str(), s.change, s.has_number))
            .collect();
        assert_eq!(
            changed,
            vec![("$1", Change::Removed, true), ("$4", Change::Added, true)]
        );
    }

    #[test]
    fn decimals_percents_and_words() {
        let d = diff_words("rose 1.5% in 2023", "rose 2.5% in 2024, officials said");
        let removed: Vec<&str> = d
            .iter()
            .filter(|s| s.change == Change::Removed)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(removed, vec!["1.5%", "2023"]);
        assert_eq!(
            side(&d, Change::Removed),
            "rose 2.5% in 2024, officials said"
        );
        let words = diff_words("the mayor said", "the governor said");
        assert!(
            words
                .iter()
                .any(|s| s.change == Change::Added && s.text == "governor" && !s.has_number)
        );
    }

    #[test]
    fn identical_and_empty_wordings() {
        assert_eq!(
            diff_words("same words", "same words"),
            vec![Segment {
                change: Change::Same,
                text: "same words".into(),
                has_number: false
            }]
        );
        assert!(diff_words("", "").is_empty());
        let d = diff_words("", "new");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].change, Change::Added);
    }

    #[test]
    fn very_long_wordings_fall_back_to_whole_replacement() {
        let old = "word ".repeat(MAX_TOKENS);
        let new = format!("{old}more");
        let d = diff_words(&old, &new);
        assert_eq!(d.len(), 2);
        assert_eq!(side(&d, Change::Added), old);
        assert_eq!(side(&d, Change::Removed), new);
    }
}
