//! One annotated function's contribution to one metric family, as the
//! catalog reads it from the call sites, and the parts the macros describe
//! it with.

use crate::cell::{Counter, Gauge, Histogram};

/// One annotated function's contribution to one metric family.
#[derive(Debug)]
pub struct Site {
    /// The metric family name, for example `user_actions_total`.
    pub name: &'static str,
    /// The family's help text.
    pub help: Help,
    /// Labels whose values are fixed at compile time, as `(name, value)`.
    pub labels: &'static [(&'static str, &'static str)],
    /// Labels whose value is chosen per call from a fixed set.
    ///
    /// The site's series are laid out in row-major order over these
    /// dimensions: the last dimension varies fastest.
    pub dimensions: Vec<&'static Dimension>,
    /// The atomic cells the call site writes to.
    pub storage: Storage,
    /// The funnel step this call site's action is, if any.
    pub funnel: Option<FunnelStep>,
    /// The alerts declared with `alert(...)` on the attribute.
    #[cfg(feature = "monitoring")]
    pub alerts: &'static [Alert],
    /// Where the attribute was written.
    pub location: Location,
    /// The call site that owns the cells, and keeps their exemplars.
    pub owner: &'static crate::call::CallSite,
}

/// `funnel = "...", step = n` on a `#[business_metric]`.
#[derive(Debug, Clone, Copy)]
pub struct FunnelStep {
    /// The funnel's name.
    pub funnel: &'static str,
    /// The action that makes this step, the `action_type` label's value.
    pub action: &'static str,
    /// The step's number, from 1.
    pub step: u32,
}

/// `alert(...)` on an attribute: an alerting rule on the call site's
/// metric, written out by [`crate::monitoring`]. An objective of
/// `slo(...)` is one too, of its own [`Condition`]: its burn-rate alerts
/// take their windows, `for` and severities from the SRE workbook, so its
/// `per_ms` repeats the objective's window, `for_ms` is 0 and `severity`
/// is empty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alert {
    /// When it fires.
    pub condition: Condition,
    /// `per`: the rate window, in milliseconds.
    pub per_ms: u64,
    /// `for`: how long the condition must hold, in milliseconds.
    pub for_ms: u64,
    /// The `severity` label.
    pub severity: &'static str,
    /// The alert's name, if given; otherwise one is made from the app's.
    pub name: Option<&'static str>,
    /// The `summary` annotation, if given.
    pub summary: Option<&'static str>,
    /// The `description` annotation, if given.
    pub description: Option<&'static str>,
}

/// What an [`Alert`] watches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// `below = n`: fewer than `n` actions in the window.
    Below(f64),
    /// `p99 = "300ms"` and the like: the quantile of the call duration is
    /// above `seconds`.
    Latency {
        /// Such as p99.
        quantile: Quantile,
        /// The objective, in seconds.
        seconds: f64,
    },
    /// `error_ratio = r`: more than `r` of calls end in `error` or `panic`.
    ErrorRatio(f64),
    /// `slo(availability = "99.9%", window = "30d")`: at most
    /// `1 - objective` of calls over the window end in `error` or `panic`.
    Availability {
        /// The share of calls that must not fail, such as 0.999.
        objective: f64,
        /// The period the error budget covers, in milliseconds.
        window_ms: u64,
    },
    /// `slo(latency(p99 = "300ms"))`: at least `quantile`'s share of calls
    /// over the window finish within `seconds`, a bucket bound.
    LatencyObjective {
        /// Such as p99: 99% of calls.
        quantile: Quantile,
        /// The time, in seconds.
        seconds: f64,
        /// The period the error budget covers, in milliseconds.
        window_ms: u64,
    },
}

/// A quantile a latency objective can name, as `alert(p99 = "300ms")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// As a fraction, for `histogram_quantile`.
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
}

/// Help text: given by the user, or the attribute's default.
///
/// Only explicit help texts can conflict; a default defers to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Help {
    /// `help = "..."` was written on the attribute.
    Explicit(&'static str),
    /// The attribute's default help text.
    Default(&'static str),
}

impl Help {
    /// The text itself.
    pub fn text(self) -> &'static str {
        match self {
            Help::Explicit(text) | Help::Default(text) => text,
        }
    }
}

/// A label whose value is one of a fixed, known set, chosen per call.
#[derive(Debug)]
pub struct Dimension {
    /// The label name.
    pub name: &'static str,
    /// How many values the label can take.
    pub cardinality: usize,
    /// The label value at each ordinal, as [`crate::LabelValue::label`].
    pub label: fn(usize) -> &'static str,
}

/// The storage behind a call site, which also fixes the metric kind.
#[derive(Debug, Clone, Copy)]
pub enum Storage {
    /// A monotonic counter.
    Counter(Counter),
    /// A histogram of durations.
    Histogram(Histogram),
    /// A gauge of calls in flight.
    Gauge(Gauge),
}

/// A source location, `file:line:column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// As `file!()` gives it.
    pub file: &'static str,
    /// As `line!()` gives it.
    pub line: u32,
    /// As `column!()` gives it.
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Site {
    /// The value of its fixed label `name`, if it has one.
    #[cfg(feature = "monitoring")]
    pub fn label(&self, name: &str) -> Option<&'static str> {
        self.labels
            .iter()
            .find(|(label, _)| *label == name)
            .map(|&(_, value)| value)
    }

    /// The names of its fixed labels, as declared.
    #[cfg(feature = "monitoring")]
    pub fn label_names(&self) -> Vec<&'static str> {
        self.labels.iter().map(|&(name, _)| name).collect()
    }

    /// Whether it keeps a native histogram (`#[timed(native)]`).
    #[cfg(feature = "monitoring")]
    pub fn is_native(&self) -> bool {
        matches!(self.storage, Storage::Histogram(histogram) if histogram.native.is_some())
    }

    /// How many series this call site feeds: the product of its dimensions.
    pub fn series_count(&self) -> usize {
        self.dimensions.iter().map(|d| d.cardinality).product()
    }

    /// The dimension values of series `index`, in dimension order.
    pub fn dimension_values(&self, mut index: usize) -> Vec<&'static str> {
        let mut values = vec![""; self.dimensions.len()];
        for (slot, dimension) in values.iter_mut().zip(&self.dimensions).rev() {
            *slot = (dimension.label)(index % dimension.cardinality);
            index /= dimension.cardinality;
        }
        values
    }
}
