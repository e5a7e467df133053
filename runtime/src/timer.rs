//! The drop guard behind `#[timed]`: records a duration on every way out.
//!
//! Durations come from `quanta`, which reads the CPU's invariant TSC,
//! calibrated against the OS monotonic clock, where there is one, and the
//! OS clock otherwise. A TSC read costs about a third of `Instant::now()`.
//! Between calibrations its rate can drift from the OS clock by a few
//! parts per million, far below the width of any histogram bucket.

use crate::cell::{Counter, Gauge, Histogram};
use crate::outcome::Outcome;
use crate::LabelValue;

/// Started when an annotated function's body starts; records when it ends.
///
/// [`Timer::finish`] records a returned value's outcome. If the guard is
/// dropped instead, the body either panicked (recorded as `panic`) or its
/// future was dropped mid-flight (recorded as `cancelled`).
#[must_use = "a timer records when finished or dropped"]
pub struct Timer {
    metrics: &'static Timed,
    series: usize,
    start: quanta::Instant,
}

/// Everything one `#[timed]` call site records into.
///
/// Each metric has the call site's labels; `series` indexes them. The
/// histogram adds the outcome and the error counter the error kind, each as
/// the last, fastest-varying dimension.
#[derive(Debug)]
pub struct Timed {
    /// Durations by outcome.
    pub histogram: &'static Histogram,
    /// `errors`: calls that returned `Err`, and how many error kinds there are.
    pub errors: Option<(&'static Counter, usize)>,
    /// `in_flight`: calls under way.
    pub in_flight: Option<&'static Gauge>,
    /// `slow`: calls that took longer than the threshold, in nanoseconds.
    pub slow: Option<(&'static Counter, u64)>,
}

impl Timer {
    /// Starts timing call-site series `series`.
    #[inline]
    pub fn start(metrics: &'static Timed, series: usize) -> Self {
        if let Some(gauge) = metrics.in_flight {
            gauge.inc(series);
        }
        Timer {
            metrics,
            series,
            start: quanta::Instant::now(),
        }
    }

    /// Records the call as ended with `outcome`; `error_kind` is the
    /// ordinal of the error's kind when it returned `Err`.
    #[inline]
    pub fn finish(self, outcome: Outcome, error_kind: usize) {
        self.record(outcome, error_kind);
        std::mem::forget(self);
    }

    #[inline]
    fn record(&self, outcome: Outcome, error_kind: usize) {
        let ns = u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let metrics = self.metrics;
        let series = self.series;
        metrics
            .histogram
            .observe_ns(series * Outcome::CARDINALITY + outcome.ordinal(), ns);
        if let (Some((errors, kinds)), Outcome::Error) = (metrics.errors, outcome) {
            errors.inc(series * kinds + error_kind);
        }
        if let Some((slow, threshold_ns)) = metrics.slow {
            if ns > threshold_ns {
                slow.inc(series);
            }
        }
        if let Some(gauge) = metrics.in_flight {
            gauge.dec(series);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let outcome = if std::thread::panicking() {
            Outcome::Panic
        } else {
            Outcome::Cancelled
        };
        self.record(outcome, 0);
    }
}
