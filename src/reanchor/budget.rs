//! How much work re-anchoring may do ([`Budget`]) and the accounting against it (`Work`).
//!
//! Budgets are counted in units of work, not time, so a busy machine gives the same result
//! as an idle one; the wall-clock limit is only a safety net. This file must not search.

use std::time::{Duration, Instant};

/// How much work re-anchoring may do.
///
/// Work is counted in units of one 64-char block of a quote compared against one char of
/// text (a few nanoseconds); scanning the text for an exact quote or context costs one
/// unit per 64 bytes.
/// The work budgets decide what is searched, so the outcome is the same on a fast or a
/// busy machine; the time limit is only a safety net for a very slow one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Units the whole-text searches of one anchor may use.
    pub per_anchor: u64,
    /// Units the whole-text searches of one call may use together.
    pub total: u64,
    /// Units the approximate searches near the anchors' expected places (between found
    /// neighbours, next to surviving context) may use together in one call.
    pub local: u64,
    /// Wall-clock limit for one call; once it is past, anchors get only the exact search
    /// near their expected place.
    pub time: Option<Duration>,
}

impl Budget {
    /// No limits: every anchor may be searched for in the whole text. For tests and tools.
    pub const UNLIMITED: Budget = Budget {
        per_anchor: u64::MAX,
        total: u64::MAX,
        local: u64::MAX,
        time: None,
    };
}

impl Default for Budget {
    /// Whole-text searches: 1.5 M units per anchor (a blind search of a 1 MB story with up
    /// to 63 errors) and 4 M per call. A normal re-anchoring needs no blind search at all:
    /// quotes, prefixes and suffixes that still occur exactly anywhere, and edited quotes
    /// near their old place, are found by the local searches.
    ///
    /// Local searches: 64 M units per call (about 0.4 s on the 2-core development machine).
    /// A 10 MB story with 10,000 annotations after 5 % of it was edited uses 14 M; only a
    /// story replaced by another one (every annotation orphaned) would use far more.
    ///
    /// Time: 1 s per call, which a normal re-anchoring never comes near even on a busy
    /// machine, so results do not depend on the machine's load.
    fn default() -> Self {
        Budget {
            per_anchor: 3 << 19,
            total: 4 << 20,
            local: 64 << 20,
            time: Some(Duration::from_secs(1)),
        }
    }
}

/// Work accounting against a [`Budget`].
pub(super) struct Work {
    pub(super) budget: Budget,
    pub(super) anchor_left: u64,
    pub(super) total_left: u64,
    pub(super) local_left: u64,
    pub(super) deadline: Option<Instant>,
    /// True when the current anchor's search skipped something for lack of budget.
    pub(super) cut_short: bool,
}

impl Work {
    pub(super) fn new(budget: &Budget) -> Self {
        Self {
            budget: *budget,
            anchor_left: budget.per_anchor,
            total_left: budget.total,
            local_left: budget.local,
            deadline: budget.time.and_then(|t| Instant::now().checked_add(t)),
            cut_short: false,
        }
    }

    pub(super) fn start_anchor(&mut self) {
        self.anchor_left = self.budget.per_anchor;
        self.cut_short = false;
    }

    /// Takes `units` if the budget allows; otherwise marks the anchor as cut short.
    pub(super) fn take(&mut self, units: u64) -> bool {
        if self.expired() || units > self.anchor_left || units > self.total_left {
            self.cut_short = true;
            return false;
        }
        self.anchor_left -= units;
        self.total_left -= units;
        true
    }

    /// Takes `units` of local search if the call's allowance has them; otherwise marks the
    /// anchor as cut short.
    pub(super) fn take_local(&mut self, units: u64) -> bool {
        if units > self.local_left {
            self.cut_short = true;
            return false;
        }
        self.local_left -= units;
        true
    }

    /// The most units the current anchor may still take (0 past the deadline).
    pub(super) fn available(&self) -> u64 {
        if self.expired() {
            return 0;
        }
        self.anchor_left.min(self.total_left)
    }

    pub(super) fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}
