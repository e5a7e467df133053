//! The facts that bizmetrics' attribute macros and its runtime must agree
//! on, stated once.
//!
//! The macros settle a call site's cell layout, its buckets and its alert
//! settings at compile time; the runtime reads them back at every scrape
//! and export. Both depend on this crate, so neither keeps a copy of the
//! other's numbers or grammar. Users depend on `bizmetrics`, which
//! re-exports what is public here.

pub mod count;
pub mod duration;
pub mod layout;
pub mod names;
pub mod native;
pub mod quantile;
pub mod severity;
pub mod slo;

pub use count::Count;
pub use quantile::Quantile;
pub use severity::Severity;

/// The most series one metric may have: the product of its label values'
/// counts, summed over its call sites.
///
/// Every series is kept forever by Prometheus and exported from startup, so
/// a metric over the limit is refused: at compile time when one call site
/// is over it, and by `bizmetrics::init` when several together are.
pub const MAX_SERIES: usize = 10_000;

/// The upper bounds, in seconds, that `#[timed]` uses unless told otherwise.
///
/// They are the Prometheus client default buckets, from 5 ms to 10 s.
pub const DEFAULT_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// `per` of `alert(...)` when not given, in milliseconds: five minutes, as
/// the article's low-activity alert has it.
pub const DEFAULT_ALERT_WINDOW_MS: u64 = 300_000;
