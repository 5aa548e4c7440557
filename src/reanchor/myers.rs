//! Myers' bit-parallel approximate string matching (J. ACM 46(3), 1999), on chars, in
//! blocks of 64 pattern chars, with Ukkonen's cut-off (only the blocks that can still be
//! within the error limit are computed) as in the paper's block-based algorithm.
//!
//! Pure string matching on chars: it knows nothing of anchors, budgets or stories.

/// Pattern chars per block.
const W: usize = 64;

/// A pattern prepared for matching: for every char, a bit mask per block of the
/// positions where it occurs.
pub struct Pattern {
    len: usize,
    blocks: usize,
    /// Masks of the ASCII chars, `128 * blocks`.
    ascii: Vec<u64>,
    /// Other chars: direct-mapped on the low 8 bits of the code point, then a sorted
    /// list for the rare collisions.
    slots: Vec<Slot>,
    overflow: Vec<(char, usize)>,
    masks: Vec<u64>,
    zeros: Vec<u64>,
    /// The bit of each block's last row.
    last_row: Vec<u64>,
}

#[derive(Clone, Copy)]
struct Slot {
    owner: char,
    offset: usize,
    used: bool,
    shared: bool,
}

impl Pattern {
    pub fn new(chars: impl Iterator<Item = char>) -> Self {
        let chars: Vec<char> = chars.collect();
        let len = chars.len();
        let blocks = len.div_ceil(W).max(1);
        let mut ascii = vec![0u64; 128 * blocks];
        let mut others: Vec<(char, usize)> = Vec::new();
        let mut masks = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let (b, bit) = (i / W, 1u64 << (i % W));
            if c.is_ascii() {
                ascii[c as usize * blocks + b] |= bit;
            } else {
                let offset = match others.iter().find(|(o, _)| *o == c) {
                    Some(&(_, offset)) => offset,
                    None => {
                        let offset = masks.len();
                        masks.resize(offset + blocks, 0);
                        others.push((c, offset));
                        offset
                    }
                };
                masks[offset + b] |= bit;
            }
        }
        let empty = Slot {
            owner: '\0',
            offset: 0,
            used: false,
            shared: false,
        };
        let mut slots = vec![empty; 256];
        let mut overflow = Vec::new();
        for &(c, offset) in &others {
            let slot = &mut slots[c as usize & 0xFF];
            if !slot.used {
                *slot = Slot {
                    owner: c,
                    offset,
                    used: true,
                    shared: false,
                };
            } else {
                slot.shared = true;
                overflow.push((c, offset));
            }
        }
        overflow.sort_unstable();
        let mut last_row = vec![1u64 << (W - 1); blocks];
        if len > 0 {
            last_row[blocks - 1] = 1u64 << ((len - 1) % W);
        }
        Self {
            len,
            blocks,
            ascii,
            slots,
            overflow,
            masks,
            zeros: vec![0; blocks],
            last_row,
        }
    }

    /// The mask of `c` in a one-block pattern.
    #[inline(always)]
    fn peq1(&self, c: char) -> u64 {
        if c.is_ascii() {
            return self.ascii[c as usize];
        }
        self.peq(c)[0]
    }

    #[inline(always)]
    fn peq(&self, c: char) -> &[u64] {
        if c.is_ascii() {
            let o = c as usize * self.blocks;
            return &self.ascii[o..o + self.blocks];
        }
        let slot = &self.slots[c as usize & 0xFF];
        let offset = if slot.used && slot.owner == c {
            Some(slot.offset)
        } else if slot.shared {
            self.overflow
                .binary_search_by_key(&c, |&(o, _)| o)
                .ok()
                .map(|i| self.overflow[i].1)
        } else {
            None
        };
        match offset {
            Some(o) => &self.masks[o..o + self.blocks],
            None => &self.zeros,
        }
    }

    /// Every text position where the pattern ends with at most `k` errors (edit
    /// operations), against any substring ending there. `text` yields
    /// `(position after the char, char)`; `found(column, position, errors)` is called
    /// in text order. Returns the work done, in block steps.
    pub fn search(
        &self,
        text: impl Iterator<Item = (usize, char)>,
        k: usize,
        mut found: impl FnMut(usize, usize, usize),
    ) -> u64 {
        let m = self.len;
        if m == 0 {
            return 0;
        }
        let k = k.min(m) as i64;
        if self.blocks == 1 {
            // One machine word: no blocks to activate or retire.
            let last = self.last_row[0];
            let (mut pv, mut mv, mut score) = (!0u64, 0u64, m as i64);
            let mut cols = 0u64;
            for (col, (pos, c)) in text.enumerate() {
                score += advance(&mut pv, &mut mv, self.peq1(c), 0, last) as i64;
                if score <= k {
                    found(col, pos, score as usize);
                }
                cols += 1;
            }
            return cols;
        }
        let bmax = self.blocks - 1;
        let mut pv = vec![!0u64; self.blocks];
        let mut mv = vec![0u64; self.blocks];
        // Score of each block's last row.
        let mut score: Vec<i64> = (0..self.blocks).map(|b| ((b + 1) * W) as i64).collect();
        score[bmax] = m as i64;
        let mut y = ((k as usize).div_ceil(W)).saturating_sub(1);
        let mut work = 0u64;
        for (col, (pos, c)) in text.enumerate() {
            let peq = self.peq(c);
            let mut carry = 0i32;
            let active = pv[..=y]
                .iter_mut()
                .zip(&mut mv[..=y])
                .zip(&mut score[..=y])
                .zip(peq[..=y].iter().zip(&self.last_row[..=y]));
            for (((p, m), sc), (&eq, &last)) in active {
                carry = advance(p, m, eq, carry, last);
                *sc += carry as i64;
            }
            work += (y + 1) as u64;
            if score[y] - carry as i64 <= k && y < bmax && ((peq[y + 1] & 1) != 0 || carry < 0) {
                y += 1;
                pv[y] = !0;
                mv[y] = 0;
                let rows = if y == bmax { m - bmax * W } else { W };
                let out = advance(&mut pv[y], &mut mv[y], peq[y], carry, self.last_row[y]);
                score[y] = score[y - 1] + rows as i64 - carry as i64 + out as i64;
            } else {
                while y > 0 && score[y] >= k + W as i64 {
                    y -= 1;
                }
            }
            if y == bmax && score[y] <= k {
                found(col, pos, score[y] as usize);
            }
        }
        work
    }

    /// The fewest errors of the pattern against a *prefix* of `text` (the pattern's
    /// first char aligned with the text's first), and how many text chars that prefix
    /// has (the shortest on a tie).
    pub fn anchored(&self, text: impl Iterator<Item = char>) -> (usize, usize) {
        let mut best = (self.len, 0);
        self.anchored_scores(text, |cols, errors| {
            if errors < best.0 {
                best = (errors, cols);
            }
        });
        best
    }

    /// The length of the longest common subsequence of the pattern and `text`
    /// (Allison and Dix 1986, Hyyrö 2004: one addition per block and char).
    pub fn lcs(&self, text: impl Iterator<Item = char>) -> usize {
        if self.len == 0 {
            return 0;
        }
        let mut v = vec![!0u64; self.blocks];
        for c in text {
            let peq = self.peq(c);
            let mut carry = false;
            for (b, vb) in v.iter_mut().enumerate() {
                let u = *vb & peq[b];
                let (sum, c1) = vb.overflowing_add(u);
                let (sum, c2) = sum.overflowing_add(carry as u64);
                carry = c1 || c2;
                *vb = sum | (*vb & !peq[b]);
            }
        }
        let full = self.len / W;
        let mut zeros: usize = v[..full].iter().map(|b| b.count_zeros() as usize).sum();
        let rest = self.len % W;
        if rest > 0 {
            let mask = (1u64 << rest) - 1;
            zeros += (!v[full] & mask).count_ones() as usize;
        }
        zeros
    }

    /// The edit distance between the pattern and the whole of `text`.
    pub fn distance(&self, text: impl Iterator<Item = char>) -> usize {
        let mut last = self.len;
        self.anchored_scores(text, |_, errors| last = errors);
        last
    }

    /// Like [`Pattern::anchored`] over at most `max_cols` chars, returning the text
    /// position reached (from `text`'s `(position, char)` pairs) instead of a count; on
    /// a tie, the length nearest `ideal` chars.
    pub fn anchored_nearest(
        &self,
        text: impl Iterator<Item = (usize, char)>,
        max_cols: usize,
        ideal: usize,
    ) -> (usize, Option<usize>) {
        let mut best: (usize, usize, Option<usize>) = (usize::MAX, usize::MAX, None);
        let mut positions = Vec::with_capacity(max_cols.min(1 << 16));
        let text = text.take(max_cols).map(|(p, c)| {
            positions.push(p);
            c
        });
        self.anchored_scores(text, |cols, errors| {
            let off = cols.abs_diff(ideal);
            if cols > 0 && (errors < best.0 || (errors == best.0 && off < best.1)) {
                best = (errors, off, Some(cols));
            }
        });
        match best.2 {
            Some(cols) => (best.0, Some(positions[cols - 1])),
            None => (self.len, None),
        }
    }

    /// Calls `f(columns consumed, errors)` for every prefix of `text`, starting with
    /// the empty one. Global alignment at the start: the top row of the dynamic
    /// programming matrix grows by one per column.
    fn anchored_scores(&self, text: impl Iterator<Item = char>, mut f: impl FnMut(usize, usize)) {
        let m = self.len;
        f(0, m);
        if m == 0 {
            return;
        }
        if self.blocks == 1 {
            let last = self.last_row[0];
            let (mut pv, mut mv, mut score) = (!0u64, 0u64, m as i64);
            for (col, c) in text.enumerate() {
                score += advance(&mut pv, &mut mv, self.peq1(c), 1, last) as i64;
                f(col + 1, score as usize);
            }
            return;
        }
        let mut pv = vec![!0u64; self.blocks];
        let mut mv = vec![0u64; self.blocks];
        let mut score = m as i64;
        for (col, c) in text.enumerate() {
            let peq = self.peq(c);
            let mut carry = 1i32;
            for b in 0..self.blocks {
                carry = advance(&mut pv[b], &mut mv[b], peq[b], carry, self.last_row[b]);
            }
            score += carry as i64;
            f(col + 1, score as usize);
        }
    }
}

/// One block of one column (Myers 1999, fig. 8, in Hyyrö's form with a horizontal
/// carry in and out of {-1, 0, +1}).
#[inline(always)]
fn advance(pv: &mut u64, mv: &mut u64, eq: u64, h_in: i32, last_row: u64) -> i32 {
    let p = *pv;
    let mneg = *mv;
    let h_in_neg = (h_in < 0) as u64;
    let eq = eq | h_in_neg;
    let xv = eq | mneg;
    let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
    let mut ph = mneg | !(xh | p);
    let mut mh = p & xh;
    let h_out = ((ph & last_row) != 0) as i32 - ((mh & last_row) != 0) as i32;
    ph <<= 1;
    mh <<= 1;
    mh |= h_in_neg;
    ph |= (h_in > 0) as u64;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    h_out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain dynamic programming: fewest errors of `p` against any substring of `t`
    /// ending at each position.
    fn naive_ends(p: &[char], t: &[char]) -> Vec<usize> {
        let mut prev: Vec<usize> = (0..=p.len()).collect();
        let mut out = Vec::new();
        for &tc in t {
            let mut cur = vec![0; p.len() + 1];
            for i in 1..=p.len() {
                let sub = prev[i - 1] + (p[i - 1] != tc) as usize;
                cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
            }
            out.push(cur[p.len()]);
            prev = cur;
        }
        out
    }

    fn naive_anchored(p: &[char], t: &[char]) -> Vec<usize> {
        let mut prev: Vec<usize> = (0..=p.len()).collect();
        let mut out = vec![p.len()];
        for (j, &tc) in t.iter().enumerate() {
            let mut cur = vec![j + 1; p.len() + 1];
            for i in 1..=p.len() {
                let sub = prev[i - 1] + (p[i - 1] != tc) as usize;
                cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
            }
            out.push(cur[p.len()]);
            prev = cur;
        }
        out
    }

    fn naive_lcs(p: &[char], t: &[char]) -> usize {
        let mut prev = vec![0usize; t.len() + 1];
        for &pc in p {
            let mut cur = vec![0usize; t.len() + 1];
            for (j, &tc) in t.iter().enumerate() {
                cur[j + 1] = if pc == tc {
                    prev[j] + 1
                } else {
                    cur[j].max(prev[j + 1])
                };
            }
            prev = cur;
        }
        prev[t.len()]
    }

    /// A small deterministic generator, so the test needs no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn string(&mut self, len: usize, alphabet: &[char]) -> Vec<char> {
            (0..len)
                .map(|_| alphabet[self.next() as usize % alphabet.len()])
                .collect()
        }
    }

    #[test]
    fn search_agrees_with_dynamic_programming() {
        let alphabet = ['a', 'b', 'c', 'é', 'Ж', 'ā', '😀'];
        let mut rng = Lcg(7);
        for round in 0..300 {
            let m = 1 + rng.next() as usize % if round % 3 == 0 { 200 } else { 70 };
            let p = rng.string(m, &alphabet[..2 + round % 6]);
            let n = rng.next() as usize % 400;
            let t = rng.string(n, &alphabet[..2 + round % 6]);
            let k = rng.next() as usize % (m + 1);
            let expected = naive_ends(&p, &t);
            let pattern = Pattern::new(p.iter().copied());
            let mut got = vec![None; t.len()];
            pattern.search(t.iter().copied().enumerate(), k, |col, pos, e| {
                assert_eq!(col, pos);
                got[col] = Some(e);
            });
            for (j, &e) in expected.iter().enumerate() {
                if e <= k {
                    assert_eq!(got[j], Some(e), "round {round} col {j} m {m} k {k}");
                } else {
                    assert_eq!(got[j], None, "round {round} col {j} m {m} k {k}");
                }
            }
            let mut anchored = Vec::new();
            pattern.anchored_scores(t.iter().copied(), |_, e| anchored.push(e));
            assert_eq!(anchored, naive_anchored(&p, &t), "round {round}");
            assert_eq!(
                pattern.lcs(t.iter().copied()),
                naive_lcs(&p, &t),
                "round {round}"
            );
        }
    }
}
