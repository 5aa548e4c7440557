//! Workspace search: a query of words, numbers and "quoted phrases" in any script, and the
//! exact places it matches in story text (char spans) and in annotation fields.
//!
//! What it owns: reading a query into parts (each part a sequence of analysis keys: a word,
//! a number, a phrase; a run of Han or kana is a phrase of bigrams), and finding, inside a
//! paragraph the index returned, the smallest span holding every part, so a hit's span is
//! exact and the same every time. The index only narrows the search; this module decides.
//! It must not touch the index or the disk.

use super::analyze::{Kind, Term, analyze};

/// One part of a query: the keys that must follow each other.
pub type Part = Vec<String>;

/// Reads a query. Words outside quotes are separate parts (stop words dropped, unless the
/// query has nothing else); text inside double quotes, and a run of Han, kana or Hangul
/// characters, is one phrase.
pub fn parse_query(query: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut stops = Vec::new();
    for (n, piece) in query.split(['"', '“', '”', '«', '»']).enumerate() {
        let terms = analyze(piece).terms;
        if n % 2 == 1 {
            let phrase: Part = terms.into_iter().map(|t| t.key).collect();
            if !phrase.is_empty() {
                parts.push(phrase);
            }
            continue;
        }
        let mut run: Option<(usize, Part)> = None;
        for t in terms {
            if t.kind == Kind::Cjk {
                // Bigrams of one run overlap; a gap ends the phrase.
                match &mut run {
                    Some((end, keys)) if t.range.start < *end => {
                        keys.push(t.key);
                        *end = t.range.end;
                    }
                    _ => {
                        if let Some((_, keys)) = run.take() {
                            parts.push(keys);
                        }
                        run = Some((t.range.end, vec![t.key]));
                    }
                }
                continue;
            }
            if let Some((_, keys)) = run.take() {
                parts.push(keys);
            }
            if t.stop {
                stops.push(vec![t.key]);
            } else {
                parts.push(vec![t.key]);
            }
        }
        if let Some((_, keys)) = run.take() {
            parts.push(keys);
        }
    }
    if parts.is_empty() { stops } else { parts }
}

/// The smallest byte range of `text` that holds every part, if it holds them all.
pub fn locate(text: &str, parts: &[Part]) -> Option<std::ops::Range<usize>> {
    let terms = analyze(text).terms;
    locate_in(&terms, parts)
}

fn locate_in(terms: &[Term], parts: &[Part]) -> Option<std::ops::Range<usize>> {
    if parts.is_empty() {
        return None;
    }
    // Every occurrence of every part: (start byte, end byte, part).
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return None;
        }
        for at in 0..terms.len().saturating_sub(part.len() - 1) {
            let window = &terms[at..at + part.len()];
            if window.iter().zip(part).all(|(t, k)| &t.key == k) {
                hits.push((window[0].range.start, window[part.len() - 1].range.end, p));
            }
        }
    }
    hits.sort_unstable();
    // Sliding window over the occurrences, in text order, covering every part.
    let mut count = vec![0usize; parts.len()];
    let mut covered = 0;
    let mut best: Option<(usize, usize)> = None;
    let mut left = 0;
    for right in 0..hits.len() {
        let p = hits[right].2;
        count[p] += 1;
        if count[p] == 1 {
            covered += 1;
        }
        while covered == parts.len() {
            let start = hits[left].0;
            let end = hits[left..=right]
                .iter()
                .map(|h| h.1)
                .max()
                .unwrap_or(start);
            if best.is_none_or(|(s, e)| end - start < e - s) {
                best = Some((start, end));
            }
            let q = hits[left].2;
            count[q] -= 1;
            if count[q] == 0 {
                covered -= 1;
            }
            left += 1;
        }
    }
    best.map(|(s, e)| s..e)
}

/// About this many chars of context on each side of a match in a snippet.
const CONTEXT: usize = 60;

/// The match in `text` with some context, on one line, `…` where text was cut.
pub fn snippet(text: &str, range: std::ops::Range<usize>) -> String {
    let mut start = range.start;
    for (n, (b, _)) in text[..range.start].char_indices().rev().enumerate() {
        start = b;
        if n + 1 >= CONTEXT {
            break;
        }
    }
    let mut end = range.end;
    for (n, (b, c)) in text[range.end..].char_indices().enumerate() {
        end = range.end + b + c.len_utf8();
        if n + 1 >= CONTEXT {
            break;
        }
    }
    // Cut at a space when there is one near, so words are whole.
    if start > 0
        && let Some(space) = text[start..range.start].find(char::is_whitespace)
    {
        start += space;
    }
    if end < text.len()
        && let Some(space) = text[range.end..end].rfind(char::is_whitespace)
    {
        end = range.end + space;
    }
    let body: String = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{}{body}{}",
        if start > 0 { "…" } else { "" },
        if end < text.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_and_words_become_parts() {
        let parts = parse_query("\"bridge inspections\" Brandt the");
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert_eq!(parts[0].len(), 2);
        assert_eq!(parse_query("北京大学").len(), 1);
        assert_eq!(
            parse_query("the").len(),
            1,
            "a query of stop words still searches"
        );
        assert_eq!(parse_query("$4bn"), parse_query("4 billion dollars"));
    }

    #[test]
    fn locate_finds_the_smallest_span_with_every_part() {
        let text = "Bridges were checked. Brandt said bridge inspections fell by $4bn.";
        let r = locate(text, &parse_query("inspections Brandt")).expect("a match");
        assert_eq!(&text[r], "Brandt said bridge inspections");
        let r = locate(text, &parse_query("\"bridge inspections\"")).expect("a match");
        assert_eq!(&text[r], "bridge inspections");
        let r = locate(text, &parse_query("4 billion")).expect("a match");
        assert_eq!(&text[r], "$4bn");
        assert!(locate(text, &parse_query("\"inspections bridge\"")).is_none());
        assert!(locate(text, &parse_query("tunnel")).is_none());
    }

    #[test]
    fn snippets_keep_words_whole() {
        let text = format!("{} needle {}", "alpha ".repeat(30), "omega ".repeat(30));
        let at = text.find("needle").expect("needle");
        let s = snippet(&text, at..at + 6);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains(" needle "), "{s}");
        assert!(!s.contains("alph ") && !s.contains(" omeg…"), "{s}");
    }
}
