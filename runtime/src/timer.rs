//! The drop guard behind `#[timed]`: records a duration on every way out.

use std::time::Instant;

use crate::cell::Histogram;
use crate::outcome::Outcome;

/// Started when an annotated function's body starts; records when it ends.
///
/// [`Timer::finish`] records a returned value's outcome. If the guard is
/// dropped instead, the body either panicked (recorded as `panic`) or its
/// future was dropped mid-flight (recorded as `cancelled`).
#[must_use = "a timer records when finished or dropped"]
pub struct Timer {
    histogram: &'static Histogram,
    series: usize,
    start: Instant,
}

impl Timer {
    /// Starts timing. `series` counts in whole groups of outcomes: the
    /// outcome is the last, fastest-varying dimension.
    #[inline]
    pub fn start(histogram: &'static Histogram, series: usize) -> Self {
        Timer {
            histogram,
            series,
            start: Instant::now(),
        }
    }

    /// Records the call as ended with `outcome`.
    #[inline]
    pub fn finish(self, outcome: Outcome) {
        self.record(outcome);
        std::mem::forget(self);
    }

    #[inline]
    fn record(&self, outcome: Outcome) {
        let ns = u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let series = self.series * Outcome::VALUES.len() + outcome as usize;
        self.histogram.observe_ns(series, ns);
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let outcome = if std::thread::panicking() {
            Outcome::Panic
        } else {
            Outcome::Cancelled
        };
        self.record(outcome);
    }
}
