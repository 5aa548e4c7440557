//! Words and numbers as the window shows them: counts with the right plural, one-line
//! previews, and the few count sentences several panels share.
//!
//! Every count the window shows goes through [`plural`] (or [`count`] for a noun whose
//! plural is irregular), so "1 claim" and "2 claims" are right everywhere.
//! Pure string helpers shared by the panels; no egui, no state.

use crate::reanchor::ReanchorCounts;

/// "1 claim", "2 claims", "0 claims"; "1 story", "3 stories" (a consonant before a final
/// `y` makes `ies`); "2 matches" (after s, x, z, ch, sh). For other irregular nouns use [`count`].
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let stem = noun.strip_suffix('y').filter(|stem| {
        stem.chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() && !"aeiou".contains(c))
    });
    let hissing = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| noun.ends_with(end));
    match stem {
        Some(stem) => format!("{n} {stem}ies"),
        None if hissing => format!("{n} {noun}es"),
        None => format!("{n} {noun}s"),
    }
}

/// `n` with `one` or `many`: `count(1, "needs", "need")`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 of 4 annotations", "1 of 1 annotation": the noun agrees with the total.
pub fn of_total(shown: usize, total: usize, noun: &str) -> String {
    let all = plural(total, noun);
    format!("{shown} of {all}")
}

/// What re-anchoring did, naming only what happened: "1 moved, 1 needs confirming".
pub fn reanchor_summary(c: &ReanchorCounts) -> String {
    let mut parts = Vec::new();
    if c.kept > 0 {
        parts.push(format!("{} kept", c.kept));
    }
    if c.moved > 0 {
        parts.push(format!("{} moved", c.moved));
    }
    if c.unconfirmed > 0 {
        parts.push(format!(
            "{} confirming",
            count(c.unconfirmed, "needs", "need")
        ));
    }
    if c.orphaned > 0 {
        parts.push(format!("{} orphaned", c.orphaned));
    }
    if parts.is_empty() {
        "nothing to do".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The warning of a folder view that leaves out stories whose sidecar could not be read
/// (`None` when none is left out).
pub fn left_out(n: usize) -> Option<String> {
    match n {
        0 => None,
        1 => Some("1 story left out: its annotations could not be read".to_owned()),
        n => Some(format!(
            "{} left out: their annotations could not be read",
            plural(n, "story")
        )),
    }
}

/// The first `max` chars of `s` on one line, with an ellipsis when cut.
pub fn preview(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .take(max + 1)
        .collect();
    if one_line.chars().count() > max {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_preview() {
        assert_eq!(plural(1, "claim"), "1 claim");
        assert_eq!(plural(0, "claim"), "0 claims");
        assert_eq!(plural(2, "claim"), "2 claims");
        assert_eq!(preview("a\nb", 10), "a b");
        assert_eq!(preview("abcdef", 4), "abc…");
    }

    #[test]
    fn plurals_of_y_nouns_and_irregular_ones() {
        assert_eq!(plural(1, "story"), "1 story");
        assert_eq!(plural(3, "story"), "3 stories");
        assert_eq!(plural(2, "day"), "2 days", "a vowel before y keeps it");
        assert_eq!(plural(3, "match"), "3 matches");
        assert_eq!(plural(1, "match"), "1 match");
        assert_eq!(count(1, "needs", "need"), "1 needs");
        assert_eq!(count(2, "needs", "need"), "2 need");
        assert_eq!(of_total(1, 1, "annotation"), "1 of 1 annotation");
        assert_eq!(of_total(2, 4, "annotation"), "2 of 4 annotations");
    }

    #[test]
    fn reanchor_summary_names_only_what_happened() {
        let c = ReanchorCounts {
            kept: 0,
            moved: 0,
            unconfirmed: 1,
            orphaned: 0,
        };
        assert_eq!(reanchor_summary(&c), "1 needs confirming");
        let c = ReanchorCounts {
            kept: 2,
            moved: 1,
            unconfirmed: 2,
            orphaned: 1,
        };
        assert_eq!(
            reanchor_summary(&c),
            "2 kept, 1 moved, 2 need confirming, 1 orphaned"
        );
    }

    #[test]
    fn left_out_agrees_with_the_count() {
        assert_eq!(left_out(0), None);
        assert_eq!(
            left_out(1).as_deref(),
            Some("1 story left out: its annotations could not be read")
        );
        assert_eq!(
            left_out(2).as_deref(),
            Some("2 stories left out: their annotations could not be read")
        );
    }
}
