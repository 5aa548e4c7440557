//! Find in story: every occurrence of a query, as char spans.
//!
//! Matching ignores ASCII case (so "Mayor" finds "mayor") and is otherwise exact; a lower-cased
//! copy of the text is kept by the caller-owned [`Finder`] so each new query costs one
//! `memmem` pass, not a re-fold of a 10 MB story.
//!
//! This module must not depend on any UI crate.

use crate::anchor::Span;
use crate::text::StoryText;

/// At most this many matches are collected (the UI says "10000+").
pub const MAX_MATCHES: usize = 10_000;

/// Finds matches in one story; keeps its ASCII-folded copy between queries.
#[derive(Default)]
pub struct Finder {
    folded: Option<(String, String)>, // (sha256 of text, folded text)
}

impl Finder {
    /// All matches of `query` in `text`, in order, capped at [`MAX_MATCHES`].
    pub fn find_all(&mut self, text: &StoryText, query: &str) -> Vec<Span> {
        if query.is_empty() {
            return Vec::new();
        }
        let fresh = matches!(&self.folded, Some((hash, _)) if hash == text.sha256());
        if !fresh {
            self.folded = Some((text.sha256().to_owned(), text.as_str().to_ascii_lowercase()));
        }
        let Some((_, folded)) = &self.folded else {
            return Vec::new();
        };
        let needle = query.to_ascii_lowercase();
        let query_chars = needle.chars().count();
        memchr::memmem::find_iter(folded.as_bytes(), needle.as_bytes())
            .take(MAX_MATCHES)
            .map(|b| {
                let start = text.byte_to_char(b);
                Span::new(start, start + query_chars)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitively_in_chars() {
        let text = StoryText::new("Né: the Mayor said. The mayor left.".to_owned());
        let mut f = Finder::default();
        let m = f.find_all(&text, "MAYOR");
        assert_eq!(m, vec![Span::new(8, 13), Span::new(24, 29)]);
        assert_eq!(text.slice_chars(8..13), "Mayor");
        assert!(f.find_all(&text, "").is_empty());
        assert!(f.find_all(&text, "absent").is_empty());
    }
}
