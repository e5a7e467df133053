//! The atomic cells a call site writes to: the whole of the hot path.
//!
//! Each call site owns its cells, so recording never hashes, locks or
//! allocates. The cells are kept in [`STRIPES`] copies, each on cache lines
//! of its own, and each thread writes to one of them: two threads hitting
//! one call site then rarely share a cache line, which would otherwise cost
//! five times the throughput. A scrape adds the stripes up.
//!
//! Writes are `Relaxed`: a scrape may see a histogram's bucket before its
//! sum, and is exact again on the next scrape.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

use crate::decl::layout::{histogram_stride, STRIPES};
use crate::decl::{NativeCells, DEFAULT_BUCKETS};

/// The cells of one call site: eight copies (stripes) of `N / 8` cells,
/// aligned so that no two stripes share a cache line.
#[repr(align(128))]
#[derive(Debug)]
pub struct Cells<const N: usize>(pub [AtomicU64; N]);

impl<const N: usize> Cells<N> {
    /// Zeroed cells, for a call site's `static`.
    pub const fn new() -> Self {
        Cells([const { AtomicU64::new(0) }; N])
    }
}

impl<const N: usize> Default for Cells<N> {
    fn default() -> Self {
        Self::new()
    }
}

static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static STRIPE: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// This thread's stripe, handed out round-robin on first use.
#[inline]
pub(crate) fn stripe() -> usize {
    let index = STRIPE.with(|stripe| {
        let mut index = stripe.get();
        if index == usize::MAX {
            index = NEXT_STRIPE.fetch_add(1, Relaxed) % STRIPES;
            stripe.set(index);
        }
        index
    });
    // Already below `STRIPES`; said again so that the compiler knows, and
    // drops the bounds checks of the cells a call writes.
    index % STRIPES
}

/// One stripe's length in a call site's cells.
pub(crate) const fn stripe_len(cells: &[AtomicU64]) -> usize {
    cells.len() / STRIPES
}

/// Adds up `cell` of every stripe.
fn total(cells: &[AtomicU64], cell: usize) -> u64 {
    cells
        .chunks_exact(stripe_len(cells))
        .fold(0, |sum, stripe| {
            sum.wrapping_add(stripe[cell].load(Relaxed))
        })
}

/// A counter's cells within a call site's: one per series, from `offset`
/// in every stripe. Read at scrape time; calls write through the site.
#[derive(Debug, Clone, Copy)]
pub struct Counter {
    pub(crate) cells: &'static [AtomicU64],
    pub(crate) offset: usize,
}

impl Counter {
    /// The current value of `series`.
    pub fn get(&self, series: usize) -> u64 {
        total(self.cells, self.cell(series))
    }

    /// The cell of `series`, within a stripe.
    pub fn cell(&self, series: usize) -> usize {
        self.offset + series
    }
}

/// A gauge's cells within a call site's, one per series: calls in flight.
///
/// Stored as two's complement in a `u64`, so increments and decrements are
/// single wrapping atomic adds. An async call may end on another thread
/// than it started, so only the sum over stripes is meaningful.
#[derive(Debug, Clone, Copy)]
pub struct Gauge {
    pub(crate) cells: &'static [AtomicU64],
    pub(crate) offset: usize,
}

impl Gauge {
    /// The current value of `series`.
    #[allow(clippy::cast_possible_wrap)] // two's complement by design
    pub fn get(&self, series: usize) -> i64 {
        total(self.cells, self.offset + series) as i64
    }
}

/// A histogram's cells within a call site's.
///
/// Each series takes [`histogram_stride`] cells: one count per bucket (not
/// cumulative, the last one is `+Inf`), then the sum in nanoseconds. The
/// total count is derived from the buckets at scrape time, which saves one
/// atomic add per call.
#[derive(Debug, Clone, Copy)]
pub struct Histogram {
    pub(crate) cells: &'static [AtomicU64],
    pub(crate) offset: usize,
    pub(crate) buckets: &'static [f64],
    /// The native histogram kept beside the buckets, if any.
    pub(crate) native: Option<NativeCells>,
}

impl Histogram {
    /// The finite bucket upper bounds in seconds; `+Inf` is implied.
    pub fn buckets(&self) -> &'static [f64] {
        self.buckets
    }

    /// The cell of `series`' bucket `bucket` (the last one is `+Inf`),
    /// within a stripe.
    pub fn bucket_cell(&self, series: usize, bucket: usize) -> usize {
        self.offset + series * histogram_stride(self.buckets.len()) + bucket
    }

    /// How many observations of `series` fell in bucket `bucket`: not
    /// cumulative.
    pub fn bucket(&self, series: usize, bucket: usize) -> u64 {
        total(self.cells, self.bucket_cell(series, bucket))
    }

    /// The sum of `series`' observations, in nanoseconds.
    pub fn sum_ns(&self, series: usize) -> u64 {
        total(self.cells, self.bucket_cell(series, self.buckets.len() + 1))
    }

    /// The native histogram's cells of `series` (its label values and
    /// outcome, as for [`bucket`](Self::bucket)), and its schema.
    pub fn native(&self, series: usize) -> Option<(&'static [AtomicU64], u8)> {
        self.native.map(|native| {
            let len = crate::native::cells_per_series(native.schema);
            (&native.cells[series * len..][..len], native.schema)
        })
    }
}

/// Records one observation of `ns` nanoseconds into the histogram series
/// whose cells start at `cells[0]`, with bucket bounds `bounds_ns`, and
/// returns the bucket it fell in.
#[inline]
pub(crate) fn observe(cells: &[AtomicU64], bounds_ns: &[u64], ns: u64) -> usize {
    // Linear scan: most calls land in the first few buckets.
    let bucket = bounds_ns
        .iter()
        .position(|&bound| ns <= bound)
        .unwrap_or(bounds_ns.len());
    cells[bucket].fetch_add(1, Relaxed);
    cells[bounds_ns.len() + 1].fetch_add(ns, Relaxed);
    bucket
}

/// Bucket bounds in seconds turned into whole nanoseconds.
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

/// [`DEFAULT_BUCKETS`] in nanoseconds, shared by every call site.
pub static DEFAULT_BOUNDS_NS: [u64; DEFAULT_BUCKETS.len()] = bounds_ns(DEFAULT_BUCKETS);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decl::layout::striped_len;

    #[test]
    fn observations_land_in_the_first_bucket_that_holds_them() {
        static CELLS: Cells<{ striped_len(8) }> = Cells::new();
        let bounds = bounds_ns([0.1, 0.5]);
        let h = Histogram {
            cells: &CELLS.0,
            offset: 0,
            buckets: &[0.1, 0.5],
            native: None,
        };
        // Exactly on the bound: `le` is inclusive.
        assert_eq!(observe(&CELLS.0, &bounds, 100_000_000), 0);
        assert_eq!(observe(&CELLS.0, &bounds, 100_000_001), 1);
        assert_eq!(observe(&CELLS.0[4..], &bounds, 9_000_000_000), 2);
        let read = |series| {
            let buckets: Vec<u64> = (0..3).map(|b| h.bucket(series, b)).collect();
            (buckets, h.sum_ns(series))
        };
        assert_eq!(read(0), (vec![1, 1, 0], 200_000_001));
        assert_eq!(read(1), (vec![0, 0, 1], 9_000_000_000));
        assert_eq!(h.bucket_cell(1, 2), 6);
    }

    #[test]
    fn threads_write_to_their_own_stripes_and_reads_add_them_up() {
        static CELLS: Cells<{ striped_len(2) }> = Cells::new();
        let counter = Counter {
            cells: &CELLS.0,
            offset: 0,
        };
        std::thread::scope(|scope| {
            for _ in 0..STRIPES * 2 {
                scope.spawn(|| {
                    for _ in 0..1000 {
                        CELLS.0[stripe() * stripe_len(&CELLS.0) + 1].fetch_add(1, Relaxed);
                    }
                });
            }
        });
        assert_eq!(counter.get(1), 16_000);
        assert_eq!(counter.get(0), 0);
        let stripes_used = CELLS
            .0
            .chunks_exact(CELLS.0.len() / STRIPES)
            .filter(|s| s[1].load(Relaxed) > 0);
        assert!(stripes_used.count() > 1, "threads spread over stripes");
        assert_eq!(std::mem::align_of_val(&CELLS), 128);
    }

    #[test]
    fn bounds_round_to_the_nearest_nanosecond() {
        assert_eq!(
            bounds_ns([0.1, 0.3, 0.005, 2.5]),
            [100_000_000, 300_000_000, 5_000_000, 2_500_000_000]
        );
    }
}
