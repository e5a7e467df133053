//! The quantiles a latency alert or objective can name: `p50` to `p999`.

/// A quantile of the call duration, as `alert(p99 = "300ms")` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quantile {
    /// The median.
    P50,
    /// The 75th percentile.
    P75,
    /// The 90th percentile.
    P90,
    /// The 95th percentile.
    P95,
    /// The 99th percentile.
    P99,
    /// The 99.9th percentile.
    P999,
}

impl Quantile {
    /// Every quantile, smallest first.
    pub const ALL: [Quantile; 6] = [
        Quantile::P50,
        Quantile::P75,
        Quantile::P90,
        Quantile::P95,
        Quantile::P99,
        Quantile::P999,
    ];

    /// As a fraction, for `histogram_quantile`: 0.99 for `p99`.
    pub fn value(self) -> f64 {
        match self {
            Quantile::P50 => 0.5,
            Quantile::P75 => 0.75,
            Quantile::P90 => 0.9,
            Quantile::P95 => 0.95,
            Quantile::P99 => 0.99,
            Quantile::P999 => 0.999,
        }
    }

    /// As written in the attribute: `p99`.
    pub fn name(self) -> &'static str {
        match self {
            Quantile::P50 => "p50",
            Quantile::P75 => "p75",
            Quantile::P90 => "p90",
            Quantile::P95 => "p95",
            Quantile::P99 => "p99",
            Quantile::P999 => "p999",
        }
    }

    /// The quantile written as `name`, if it is one.
    ///
    /// ```
    /// use bizmetrics_facts::Quantile;
    /// assert_eq!(Quantile::from_name("p99"), Some(Quantile::P99));
    /// assert_eq!(Quantile::from_name("p98"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Quantile> {
        Quantile::ALL.into_iter().find(|q| q.name() == name)
    }
}
