//! The reader's unit of layout: a story cut into chunks, and a height index over them.
//!
//! A chunk is one line of the canonical text (a paragraph), or a piece of a very long line cut
//! at whitespace so that no single galley gets huge. [`HeightIndex`] keeps one height per
//! chunk (measured, or estimated until the chunk is first laid out) in a Fenwick tree, so
//! "which chunk is at y?" and "where does chunk i start?" cost O(log n) on a 10 MB story.
//!
//! Pure geometry and text arithmetic: this module must not depend on egui.

use crate::text::StoryText;

/// Longest chunk, in bytes. Long enough that ordinary paragraphs stay whole, short enough
/// that laying one out stays well under a millisecond.
pub(crate) const MAX_CHUNK_BYTES: usize = 2_000;

/// A piece of one line of the story, never containing `\n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub byte_start: u32,
    pub byte_end: u32,
    pub char_start: u32,
    pub char_end: u32,
    /// True for the last chunk of its line: paragraph spacing follows it.
    pub ends_line: bool,
}

impl Chunk {
    pub fn chars(&self) -> usize {
        (self.char_end - self.char_start) as usize
    }
}

/// Cuts `text` into chunks: every line, with lines longer than `max_bytes` split after
/// whitespace (or, for a run without any, at a char boundary).
pub(crate) fn split_into_chunks(text: &StoryText, max_bytes: usize) -> Vec<Chunk> {
    let s = text.as_str();
    let max_bytes = max_bytes.max(16);
    let mut chunks = Vec::with_capacity(text.line_count());
    for line in 0..text.line_count() {
        let bytes = text.line_bytes(line);
        let mut start = bytes.start;
        loop {
            let end = if bytes.end - start <= max_bytes {
                bytes.end
            } else {
                cut_point(s, start, start + max_bytes)
            };
            chunks.push(Chunk {
                byte_start: start as u32,
                byte_end: end as u32,
                char_start: text.byte_to_char(start) as u32,
                char_end: text.byte_to_char(end) as u32,
                ends_line: end == bytes.end,
            });
            if end == bytes.end {
                break;
            }
            start = end;
        }
    }
    chunks
}

/// Where to end a chunk that starts at `start` and may not pass `limit`: right after the
/// last whitespace in the second half of the window, so words are never cut.
fn cut_point(s: &str, start: usize, limit: usize) -> usize {
    let mut limit = limit.min(s.len());
    while !s.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &s[start..limit];
    let half = window.len() / 2;
    let after_space = window
        .char_indices()
        .rev()
        .take_while(|(i, _)| *i >= half)
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, c)| start + i + c.len_utf8());
    match after_space {
        Some(cut) if cut > start => cut,
        _ if limit > start => limit,
        // A single char longer than the limit: take it whole.
        _ => start + s[start..].chars().next().map_or(0, char::len_utf8),
    }
}

/// Per-chunk heights with O(log n) prefix sums and lookup by position.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeightIndex {
    heights: Vec<f32>,
    /// Fenwick tree (1-based) over `heights`, in f64 so 10 MB of text stays exact enough.
    tree: Vec<f64>,
}

impl HeightIndex {
    pub fn new(heights: Vec<f32>) -> Self {
        let n = heights.len();
        let mut tree = vec![0.0f64; n + 1];
        for (i, &h) in heights.iter().enumerate() {
            tree[i + 1] += h as f64;
            let parent = (i + 1) + lowest_bit(i + 1);
            if parent <= n {
                let v = tree[i + 1];
                tree[parent] += v;
            }
        }
        Self { heights, tree }
    }

    pub fn height(&self, i: usize) -> f32 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Records the real height of chunk `i`; returns how much it changed.
    pub fn set_measured(&mut self, i: usize, height: f32) -> f32 {
        let Some(old) = self.heights.get(i).copied() else {
            return 0.0;
        };
        let delta = height - old;
        if delta != 0.0 {
            self.heights[i] = height;
            let mut k = i + 1;
            while k < self.tree.len() {
                self.tree[k] += delta as f64;
                k += lowest_bit(k);
            }
        }
        delta
    }

    /// Sum of the heights of chunks `0..i`: the top of chunk `i`.
    pub fn top(&self, i: usize) -> f64 {
        let mut k = i.min(self.heights.len());
        let mut sum = 0.0;
        while k > 0 {
            sum += self.tree[k];
            k -= lowest_bit(k);
        }
        sum
    }

    pub fn total(&self) -> f64 {
        self.top(self.heights.len())
    }

    /// The chunk covering position `y` (clamped to the first / last chunk).
    pub fn chunk_at(&self, y: f64) -> usize {
        let n = self.heights.len();
        if n == 0 {
            return 0;
        }
        // Walk down the tree to the largest prefix whose sum is <= y.
        let mut pos = 0;
        let mut remaining = y;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= remaining {
                pos = next;
                remaining -= self.tree[next];
            }
            step /= 2;
        }
        pos.min(n - 1)
    }
}

fn lowest_bit(k: usize) -> usize {
    k & k.wrapping_neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_text_and_respect_the_limit() {
        let long = "word ".repeat(100) + &"x".repeat(70) + " é";
        let text = StoryText::new(format!("first line\n\n{long}\nlast"));
        let chunks = split_into_chunks(&text, 64);
        let mut joined = String::new();
        for (i, c) in chunks.iter().enumerate() {
            let piece = &text.as_str()[c.byte_start as usize..c.byte_end as usize];
            assert!(
                piece.len() <= 64 || !piece.contains(' '),
                "chunk {i}: {piece:?}"
            );
            assert_eq!(
                text.slice_chars(c.char_start as usize..c.char_end as usize),
                piece
            );
            joined.push_str(piece);
            if c.ends_line && i + 1 < chunks.len() {
                joined.push('\n');
            }
        }
        assert_eq!(joined, text.as_str());
        // Pieces of the long line end after a space; only the run of x's, which has no
        // space to cut at, is cut hard.
        let inner: Vec<_> = chunks.iter().filter(|c| !c.ends_line).collect();
        let mut after_space = 0;
        for c in &inner {
            let piece = &text.as_str()[c.byte_start as usize..c.byte_end as usize];
            if piece.ends_with(' ') {
                after_space += 1;
            } else {
                assert!(
                    !piece[piece.len() / 2..].contains(' '),
                    "cut inside a word: {piece:?}"
                );
            }
        }
        assert!(
            after_space > 5 && after_space < inner.len(),
            "{after_space} of {}",
            inner.len()
        );
    }

    #[test]
    fn height_index_prefix_sums_and_lookup() {
        let mut idx = HeightIndex::new(vec![10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(idx.total(), 150.0);
        assert_eq!(idx.top(3), 60.0);
        assert_eq!(idx.chunk_at(0.0), 0);
        assert_eq!(idx.chunk_at(29.9), 1);
        assert_eq!(idx.chunk_at(30.0), 2);
        assert_eq!(idx.chunk_at(1e9), 4);
        assert_eq!(idx.set_measured(1, 5.0), -15.0);
        assert_eq!(idx.top(3), 45.0);
        assert_eq!(idx.chunk_at(15.0), 2);
        assert_eq!(idx.total(), 135.0);
    }
}
