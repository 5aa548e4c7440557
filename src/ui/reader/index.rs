//! Finding the highlights that touch a range of the story without scanning them all.
//!
//! [`SpanIndex`] sorts spans by `(start, end)` and keeps the largest `end` of every block of
//! [`BLOCK`] spans: a query looks at the block maxima (n / 64 numbers) and scans only blocks
//! that can hold an overlapping span. It also assigns every span a *lane*: the lowest
//! nesting slot not used by an overlapping span that started earlier, so nested and
//! overlapping highlights can be drawn with stacked underlines that stay put while scrolling.
//!
//! Pure arithmetic on spans: this module must not depend on egui.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::anchor::Span;

const BLOCK: usize = 64;

#[derive(Clone, Debug, Default)]
pub(crate) struct SpanIndex {
    /// Positions in the caller's slice, sorted by (start, end).
    order: Vec<u32>,
    starts: Vec<usize>,
    ends: Vec<usize>,
    lanes: Vec<u16>,
    block_max_end: Vec<usize>,
}

/// One span found by a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Position in the slice the index was built from.
    pub item: usize,
    pub span: Span,
    pub lane: u16,
}

impl SpanIndex {
    pub fn build(spans: impl ExactSizeIterator<Item = Span>) -> Self {
        let mut entries: Vec<(Span, u32)> = spans.enumerate().map(|(i, s)| (s, i as u32)).collect();
        entries.sort_unstable_by_key(|&(s, i)| (s.start, s.end, i));
        let order = entries.iter().map(|&(_, i)| i).collect();
        let starts: Vec<usize> = entries.iter().map(|(s, _)| s.start).collect();
        let ends: Vec<usize> = entries.iter().map(|(s, _)| s.end).collect();
        let block_max_end = ends
            .chunks(BLOCK)
            .map(|b| b.iter().copied().max().unwrap_or(0))
            .collect();
        let lanes = assign_lanes(&starts, &ends);
        Self {
            order,
            starts,
            ends,
            lanes,
            block_max_end,
        }
    }

    /// Every span sharing at least one char with `range`, in (start, end) order.
    pub fn overlapping(&self, range: Span, out: &mut Vec<Hit>) {
        out.clear();
        let k = self.starts.partition_point(|&s| s < range.end);
        if k == 0 {
            return;
        }
        let last_block = (k - 1) / BLOCK;
        for block in (0..=last_block).rev() {
            if self.block_max_end[block] <= range.start {
                continue;
            }
            let lo = block * BLOCK;
            let hi = ((block + 1) * BLOCK).min(k);
            for i in (lo..hi).rev() {
                if self.ends[i] > range.start {
                    out.push(self.hit(i));
                }
            }
        }
        out.reverse();
    }

    /// The innermost (shortest) span containing char `pos`; ties go to the later start.
    pub fn innermost_at(&self, pos: usize) -> Option<Hit> {
        let mut hits = Vec::new();
        self.overlapping(Span::new(pos, pos + 1), &mut hits);
        hits.into_iter()
            .min_by_key(|h| (h.span.len(), Reverse(h.span.start)))
    }

    fn hit(&self, i: usize) -> Hit {
        Hit {
            item: self.order[i] as usize,
            span: Span::new(self.starts[i], self.ends[i]),
            lane: self.lanes[i],
        }
    }
}

/// Greedy interval colouring in start order: optimal, so the number of lanes equals the
/// deepest overlap.
fn assign_lanes(starts: &[usize], ends: &[usize]) -> Vec<u16> {
    let mut lanes = Vec::with_capacity(starts.len());
    let mut active: BinaryHeap<Reverse<(usize, u16)>> = BinaryHeap::new();
    let mut free: BinaryHeap<Reverse<u16>> = BinaryHeap::new();
    let mut next_lane: u16 = 0;
    for (&start, &end) in starts.iter().zip(ends) {
        while let Some(&Reverse((e, lane))) = active.peek() {
            if e > start {
                break;
            }
            active.pop();
            free.push(Reverse(lane));
        }
        let lane = match free.pop() {
            Some(Reverse(l)) => l,
            None => {
                let l = next_lane;
                next_lane = next_lane.saturating_add(1);
                l
            }
        };
        active.push(Reverse((end, lane)));
        lanes.push(lane);
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(spans: &[Span], range: Span) -> Vec<usize> {
        let mut v: Vec<usize> = (0..spans.len())
            .filter(|&i| spans[i].overlaps(range))
            .collect();
        v.sort_by_key(|&i| (spans[i].start, spans[i].end, i));
        v
    }

    #[test]
    fn overlapping_matches_a_full_scan() {
        // A deterministic scatter of short spans plus a few very long ones.
        let mut spans = Vec::new();
        let mut x: u64 = 7;
        for i in 0..1_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let start = (x >> 33) as usize % 10_000;
            let len = if i % 97 == 0 {
                5_000
            } else {
                1 + (x >> 20) as usize % 40
            };
            spans.push(Span::new(start, start + len));
        }
        let index = SpanIndex::build(spans.iter().copied());
        let mut out = Vec::new();
        for q in [
            (0, 1),
            (500, 700),
            (9_990, 20_000),
            (4_321, 4_322),
            (15_000, 15_001),
        ] {
            let range = Span::new(q.0, q.1);
            index.overlapping(range, &mut out);
            let got: Vec<usize> = out.iter().map(|h| h.item).collect();
            assert_eq!(got, naive(&spans, range), "query {q:?}");
        }
    }

    #[test]
    fn lanes_separate_overlaps_and_innermost_wins() {
        let spans = [
            Span::new(0, 20),
            Span::new(5, 10),
            Span::new(6, 8),
            Span::new(12, 30),
        ];
        let index = SpanIndex::build(spans.iter().copied());
        let mut out = Vec::new();
        index.overlapping(Span::new(0, 40), &mut out);
        let lanes: Vec<u16> = out.iter().map(|h| h.lane).collect();
        // 12..30 starts after 5..10 and 6..8 ended, so it reuses lane 1.
        assert_eq!(lanes, vec![0, 1, 2, 1]);
        assert_eq!(index.innermost_at(7).map(|h| h.item), Some(2));
        assert_eq!(index.innermost_at(9).map(|h| h.item), Some(1));
        assert_eq!(index.innermost_at(15).map(|h| h.item), Some(3));
        assert_eq!(index.innermost_at(30), None);
    }
}
