//! Native histograms: Prometheus' sparse, exponential buckets, which need
//! no bucket bounds chosen by hand.
//!
//! At schema `s`, bucket `i` holds the values in `(2^((i-1)/2^s), 2^(i/2^s)]`
//! seconds, so a quantile read from it is off by at most half a bucket's
//! width: 2.2% at schema 4, 4.3% at 3, 8.6% at 2.
//!
//! A call site keeps the buckets from about 1 µs ([`ZERO_THRESHOLD`]) to
//! 128 s: `27 × 2^s` of them, and one zero bucket for
//! anything at or below the threshold. Calls over 128 s count in the top
//! bucket. These cells are not striped, unlike the rest of a call site's:
//! observations spread over hundreds of buckets, and the hot count and sum
//! stay in the striped classic cells that are kept alongside.

use std::f64::consts::FRAC_1_SQRT_2;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

pub use bizmetrics_facts::native::{cells_per_series, MAX_SCHEMA, OCTAVES, ZERO_THRESHOLD};

/// `frac` in `[0.5, 1)` where bucket bounds fall within each power of two,
/// by schema: `2^(j/2^s - 1)`, as `client_golang` tabulates them.
const BOUNDS: [&[f64]; MAX_SCHEMA as usize + 1] = [
    &[0.5],
    &[0.5, FRAC_1_SQRT_2],
    &[
        0.5,
        0.594_603_557_501_360_5,
        FRAC_1_SQRT_2,
        0.840_896_415_253_714_5,
    ],
    &[
        0.5,
        0.545_253_866_332_628_8,
        0.594_603_557_501_360_5,
        0.648_419_777_325_504_8,
        FRAC_1_SQRT_2,
        0.771_105_412_703_970_4,
        0.840_896_415_253_714_5,
        0.917_004_043_204_671_2,
    ],
    &[
        0.5,
        0.522_136_891_213_706_9,
        0.545_253_866_332_628_8,
        0.569_394_317_378_345_8,
        0.594_603_557_501_360_5,
        0.620_928_906_036_742,
        0.648_419_777_325_504_8,
        0.677_127_773_468_446_3,
        FRAC_1_SQRT_2,
        0.738_413_072_969_749_7,
        0.771_105_412_703_970_4,
        0.805_245_165_974_627_1,
        0.840_896_415_253_714_5,
        0.878_126_080_186_649_7,
        0.917_004_043_204_671_2,
        0.957_603_280_698_573_7,
    ],
];

/// Prometheus' index of the bucket holding `seconds` (above zero) at
/// `schema`: `ceil(log2(seconds) × 2^schema)`, read off the float's bits
/// with no `log` call.
pub fn bucket_index(seconds: f64, schema: u8) -> i32 {
    // `seconds = frac × 2^exp` with `frac` in [0.5, 1), as C's frexp.
    let bits = seconds.to_bits();
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let exp = ((bits >> 52) & 0x7ff) as i32 - 1022;
    let frac = f64::from_bits((bits & ((1 << 52) - 1)) | (1022 << 52));
    let bounds = BOUNDS[usize::from(schema)];
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let within = bounds.partition_point(|&bound| bound < frac) as i32;
    within + ((exp - 1) << schema)
}

/// The index of the lowest bucket kept, just above the zero bucket.
pub fn lowest_index(schema: u8) -> i32 {
    bucket_index(ZERO_THRESHOLD, schema) + 1
}

/// The cell, within a series' [`cells_per_series`], that an observation
/// of `ns` nanoseconds counts in.
#[inline]
pub fn cell(ns: u64, schema: u8) -> usize {
    #[allow(clippy::cast_precision_loss)] // exact below 104 days
    let seconds = ns as f64 / 1e9;
    if seconds <= ZERO_THRESHOLD {
        return 0;
    }
    let offset = bucket_index(seconds, schema) - lowest_index(schema);
    #[allow(clippy::cast_sign_loss)] // above the threshold, so at least 0
    let bucket = offset as usize;
    1 + bucket.min((OCTAVES << schema) - 1)
}

/// One series read for the exposition: the zero bucket's count, then the
/// populated buckets as Prometheus' spans and deltas.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sparse {
    /// Observations in the zero bucket.
    pub zero_count: u64,
    /// `(offset, length)`: runs of buckets, each offset from where the
    /// last run ended (the first from index 0).
    pub spans: Vec<(i32, u32)>,
    /// Each bucket's count minus the previous bucket's, in span order.
    pub deltas: Vec<i64>,
    /// All observations.
    pub count: u64,
}

/// Reads a series' cells (the zero bucket first) into spans and deltas,
/// adding the counts of every slice in `cells`: the sources of one series.
#[allow(clippy::cast_possible_wrap)] // counts stay far below 2^63
pub fn read(cells: &[&[AtomicU64]], schema: u8) -> Sparse {
    let total = |cell: usize| {
        cells
            .iter()
            .map(|cells| cells[cell].load(Relaxed))
            .fold(0u64, u64::wrapping_add)
    };
    let mut sparse = Sparse {
        zero_count: total(0),
        ..Sparse::default()
    };
    sparse.count = sparse.zero_count;
    let lowest = lowest_index(schema);
    let (mut previous_count, mut next_index) = (0u64, 0i32);
    let mut in_span = false;
    for bucket in 0..OCTAVES << schema {
        let count = total(1 + bucket);
        if count == 0 {
            in_span = false;
            continue;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        let index = lowest + bucket as i32;
        match sparse.spans.last_mut() {
            Some((_, length)) if in_span => *length += 1,
            _ => {
                let offset = if sparse.spans.is_empty() {
                    index
                } else {
                    index - next_index
                };
                sparse.spans.push((offset, 1));
            }
        }
        in_span = true;
        next_index = index + 1;
        sparse.deltas.push(count as i64 - previous_count as i64);
        previous_count = count;
        sparse.count += count;
    }
    sparse
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `2^(i/2^s)`, a bucket's upper bound, computed the slow way.
    fn bound(index: i32, schema: u8) -> f64 {
        (f64::from(index) / f64::from(1 << schema)).exp2()
    }

    #[test]
    #[allow(clippy::cast_precision_loss)] // at most 16
    fn the_bounds_table_is_two_to_the_fractions() {
        for (schema, bounds) in BOUNDS.iter().enumerate() {
            for (j, &b) in bounds.iter().enumerate() {
                let exact = ((j as f64) / (bounds.len() as f64) - 1.0).exp2();
                assert!(
                    (b - exact).abs() <= f64::EPSILON,
                    "schema {schema} bound {j}"
                );
            }
        }
    }

    #[test]
    fn values_on_a_bound_belong_below_it_and_just_above_belong_above() {
        for schema in 0..=MAX_SCHEMA {
            for index in [-20 << schema, -7, -1, 0, 1, 5, 17, 7 << schema] {
                let upper = bound(index, schema);
                assert_eq!(
                    bucket_index(upper, schema),
                    index,
                    "on the bound, schema {schema}"
                );
                let above = f64::from_bits(upper.to_bits() + 1);
                assert_eq!(
                    bucket_index(above, schema),
                    index + 1,
                    "above, schema {schema}"
                );
                let below = f64::from_bits(upper.to_bits() - 1);
                assert_eq!(bucket_index(below, schema), index, "below, schema {schema}");
            }
        }
        // Powers of two are exact bounds at every schema: 1 s is bucket 0.
        assert_eq!(bucket_index(1.0, 3), 0);
        assert_eq!(bucket_index(0.5, 3), -8);
        assert_eq!(bucket_index(0.3, 3), -13); // 2^(-14/8) = 0.297 < 0.3 <= 2^(-13/8) = 0.324
    }

    #[test]
    fn the_zero_bucket_and_the_top_bucket_bound_the_range() {
        let schema = 3;
        assert_eq!(cells_per_series(schema), 1 + 27 * 8);
        assert_eq!(cell(0, schema), 0);
        assert_eq!(cell(953, schema), 0, "953 ns is below 2^-20 s");
        assert_eq!(cell(954, schema), 1, "954 ns is the lowest bucket");
        assert_eq!(
            cell(128_000_000_000, schema),
            27 * 8,
            "128 s is the top bucket"
        );
        assert_eq!(
            cell(3_600_000_000_000, schema),
            27 * 8,
            "an hour counts in the top bucket"
        );
        assert_eq!(lowest_index(schema), -159);
    }

    #[test]
    fn series_read_as_spans_and_deltas() {
        let schema = 0;
        let cells: Vec<AtomicU64> = (0..cells_per_series(schema))
            .map(|_| AtomicU64::new(0))
            .collect();
        let add = |ns: u64, n: u64| cells[cell(ns, schema)].fetch_add(n, Relaxed);
        add(0, 2); // zero bucket
        add(1_000_000_000, 3); // 1 s: bucket 0
        add(1_500_000_000, 1); // (1, 2]: bucket 1
        add(10_000_000_000, 4); // (8, 16]: bucket 4
        let other: Vec<AtomicU64> = (0..cells_per_series(schema))
            .map(|_| AtomicU64::new(0))
            .collect();
        other[cell(1_000_000_000, schema)].fetch_add(1, Relaxed);
        let sparse = read(&[&cells, &other], schema);
        assert_eq!(
            sparse,
            Sparse {
                zero_count: 2,
                spans: vec![(0, 2), (2, 1)],
                deltas: vec![4, -3, 3],
                count: 11,
            }
        );
    }
}
