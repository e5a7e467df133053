//! The range and resolution of a native histogram's buckets.
//!
//! At schema `s`, bucket `i` holds the values in `(2^((i-1)/2^s), 2^(i/2^s)]`
//! seconds. A call site keeps the buckets from [`ZERO_THRESHOLD`] to
//! [`LARGEST`] seconds, plus one zero bucket.

/// The finest resolution a call site can ask for.
pub const MAX_SCHEMA: u8 = 4;

/// The schema of `native` when none is given: 4.3% quantile error.
pub const DEFAULT_SCHEMA: u8 = 3;

/// Observations at or below this many seconds, 2⁻²⁰ (about 0.95 µs), go to
/// the zero bucket.
#[allow(clippy::cast_precision_loss)] // a power of two, exact
pub const ZERO_THRESHOLD: f64 = 1.0 / (1_u64 << 20) as f64;

/// Powers of two the range spans: from 2⁻²⁰ to 2⁷.
pub const OCTAVES: usize = 27;

/// The top of the range, 2⁷ = 128 seconds: slower calls count in the top
/// bucket.
pub const LARGEST: f64 = 128.0;

/// Cells per series of a native histogram at `schema`: the zero bucket,
/// then each bucket from the lowest up.
///
/// ```
/// assert_eq!(bizmetrics_facts::native::cells_per_series(3), 1 + 27 * 8);
/// ```
pub const fn cells_per_series(schema: u8) -> usize {
    1 + (OCTAVES << schema)
}
