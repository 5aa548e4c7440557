//! Words and numbers as the window shows them: plurals and one-line previews.
//!
//! Pure string helpers shared by the panels; no egui, no state.

/// "1 claim", "2 claims".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
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
        assert_eq!(preview("a\nb", 10), "a b");
        assert_eq!(preview("abcdef", 4), "abc…");
    }
}
