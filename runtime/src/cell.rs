//! The atomic cells a call site writes to: the whole of the hot path.
//!
//! Each call site owns its cells, so recording never hashes, locks or
//! allocates. Writes are `Relaxed`: a scrape may see a histogram's bucket
//! before its sum, and is exact again on the next scrape.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A fresh array of zeroed cells, for a call site's `static`.
pub const fn cells<const N: usize>() -> [AtomicU64; N] {
    [const { AtomicU64::new(0) }; N]
}

/// The counter cells of one call site, one per series.
#[derive(Debug)]
pub struct Counter {
    cells: &'static [AtomicU64],
}

impl Counter {
    /// Wraps a call site's cells, one per series.
    pub const fn new(cells: &'static [AtomicU64]) -> Self {
        Counter { cells }
    }

    /// Adds one to `series`: a single relaxed atomic add.
    #[inline]
    pub fn inc(&self, series: usize) {
        self.cells[series].fetch_add(1, Relaxed);
    }

    /// The current value of `series`.
    pub fn get(&self, series: usize) -> u64 {
        self.cells[series].load(Relaxed)
    }
}

/// The gauge cells of one call site, one per series: calls in flight.
///
/// Stored as two's complement in a `u64`, so increments and decrements are
/// single wrapping atomic adds.
#[derive(Debug)]
pub struct Gauge {
    cells: &'static [AtomicU64],
}

impl Gauge {
    /// Wraps a call site's cells, one per series.
    pub const fn new(cells: &'static [AtomicU64]) -> Self {
        Gauge { cells }
    }

    /// Adds one to `series`.
    #[inline]
    pub fn inc(&self, series: usize) {
        self.cells[series].fetch_add(1, Relaxed);
    }

    /// Takes one from `series`.
    #[inline]
    pub fn dec(&self, series: usize) {
        self.cells[series].fetch_sub(1, Relaxed);
    }

    /// The current value of `series`.
    #[allow(clippy::cast_possible_wrap)] // two's complement by design
    pub fn get(&self, series: usize) -> i64 {
        self.cells[series].load(Relaxed) as i64
    }
}

/// The histogram cells of one call site.
///
/// Each series takes `buckets.len() + 2` cells: one count per bucket
/// (not cumulative, the last one is `+Inf`), then the sum in nanoseconds.
/// The total count is derived from the buckets at scrape time, which saves
/// one atomic add per call.
#[derive(Debug)]
pub struct Histogram {
    buckets: &'static [f64],
    bounds_ns: &'static [u64],
    cells: &'static [AtomicU64],
}

/// One histogram series read at scrape time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistogramSnapshot {
    /// Per-bucket counts, not cumulative, `+Inf` last.
    pub counts: Vec<u64>,
    /// The sum of observations in nanoseconds.
    pub sum_ns: u64,
}

impl Histogram {
    /// Wraps a call site's cells for the given bucket upper bounds, in seconds.
    pub const fn new(
        buckets: &'static [f64],
        bounds_ns: &'static [u64],
        cells: &'static [AtomicU64],
    ) -> Self {
        Histogram {
            buckets,
            bounds_ns,
            cells,
        }
    }

    /// The finite bucket upper bounds in seconds; `+Inf` is implied.
    pub fn buckets(&self) -> &'static [f64] {
        self.buckets
    }

    fn stride(&self) -> usize {
        self.bounds_ns.len() + 2
    }

    /// Records one observation of `ns` nanoseconds into `series`.
    #[inline]
    pub fn observe_ns(&self, series: usize, ns: u64) {
        // Linear scan: most calls land in the first few buckets.
        let bucket = self
            .bounds_ns
            .iter()
            .position(|&bound| ns <= bound)
            .unwrap_or(self.bounds_ns.len());
        let base = series * self.stride();
        self.cells[base + bucket].fetch_add(1, Relaxed);
        self.cells[base + self.bounds_ns.len() + 1].fetch_add(ns, Relaxed);
    }

    /// Reads one series.
    pub fn snapshot(&self, series: usize) -> HistogramSnapshot {
        let base = series * self.stride();
        let cells = &self.cells[base..base + self.stride()];
        let (counts, sum) = cells.split_at(cells.len() - 1);
        HistogramSnapshot {
            counts: counts.iter().map(|c| c.load(Relaxed)).collect(),
            sum_ns: sum[0].load(Relaxed),
        }
    }
}

/// Bucket bounds in seconds turned into whole nanoseconds, at compile time.
///
/// An observation of `ns` falls in a bucket when `ns <= bound`, which is the
/// `le` test of Prometheus at nanosecond resolution.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub const fn bounds_ns<const N: usize>(buckets: [f64; N]) -> [u64; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        // Bounds are checked finite and non-negative by the macro.
        out[i] = (buckets[i] * 1e9 + 0.5) as u64;
        i += 1;
    }
    out
}

/// How many cells a histogram call site needs.
pub const fn histogram_cells(series: usize, buckets: usize) -> usize {
    series * (buckets + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_land_in_the_first_bucket_that_holds_them() {
        static CELLS: [AtomicU64; 8] = cells();
        static H: Histogram = Histogram::new(&[0.1, 0.5], &bounds_ns([0.1, 0.5]), &CELLS);
        H.observe_ns(0, 100_000_000); // exactly on the bound: le is inclusive
        H.observe_ns(0, 100_000_001);
        H.observe_ns(1, 9_000_000_000);
        assert_eq!(
            H.snapshot(0),
            HistogramSnapshot {
                counts: vec![1, 1, 0],
                sum_ns: 200_000_001
            }
        );
        assert_eq!(
            H.snapshot(1),
            HistogramSnapshot {
                counts: vec![0, 0, 1],
                sum_ns: 9_000_000_000
            }
        );
    }

    #[test]
    fn bounds_round_to_the_nearest_nanosecond() {
        assert_eq!(
            bounds_ns([0.1, 0.3, 0.005, 2.5]),
            [100_000_000, 300_000_000, 5_000_000, 2_500_000_000]
        );
    }
}
