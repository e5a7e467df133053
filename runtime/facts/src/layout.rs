//! How a call site's cells are laid out: stripes, cache lines, and the
//! cells each histogram series takes.
//!
//! The macros size each call site's `static` from these at compile time;
//! the runtime indexes into it with the same numbers.

/// How many copies (stripes) of its cells each call site keeps, so that
/// threads writing to one call site rarely share a cache line.
pub const STRIPES: usize = 8;

/// Cells per 128 bytes: two cache lines, since x86 prefetches in pairs.
/// Each stripe is padded to a whole number of them.
pub const CELLS_PER_LINE_PAIR: usize = 16;

/// The length of the cell array of a call site that needs `cells` cells:
/// every stripe padded to whole line pairs.
///
/// ```
/// assert_eq!(bizmetrics_facts::layout::striped_len(1), 128);
/// assert_eq!(bizmetrics_facts::layout::striped_len(17), 256);
/// ```
pub const fn striped_len(cells: usize) -> usize {
    cells.div_ceil(CELLS_PER_LINE_PAIR) * CELLS_PER_LINE_PAIR * STRIPES
}

/// Cells per classic histogram series with `buckets` finite bounds: one
/// per bucket, `+Inf`, then the sum.
///
/// ```
/// assert_eq!(bizmetrics_facts::layout::histogram_stride(11), 13);
/// ```
pub const fn histogram_stride(buckets: usize) -> usize {
    buckets + 2
}

/// The outcomes each `#[timed]` series is split by: ok, error, panic and
/// cancelled. Every histogram and native series has one row per outcome.
pub const OUTCOMES: usize = 4;
