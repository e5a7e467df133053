//! `alert(...)` and `slo(...)` as declared: the alerts and objectives of
//! one metric, which the monitoring export turns into rules.

use bizmetrics_facts::{Quantile, Severity};

/// `alert(...)` on an attribute: an alerting rule on the call site's
/// metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alert {
    /// When it fires.
    pub condition: AlertCondition,
    /// `per`: the rate window, in milliseconds.
    pub per_ms: u64,
    /// `for`: how long the condition must hold, in milliseconds.
    pub for_ms: u64,
    /// The `severity` label.
    pub severity: Severity,
    /// The alert's name, if given; otherwise one is made from the app's.
    pub name: Option<&'static str>,
    /// The `summary` annotation, if given.
    pub summary: Option<&'static str>,
    /// The `description` annotation, if given.
    pub description: Option<&'static str>,
}

/// What an [`Alert`] watches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AlertCondition {
    /// `below = n`: fewer than `n` actions in the window.
    Below(f64),
    /// `p99 = "300ms"` and the like: the quantile of the call duration is
    /// above `seconds`.
    Latency {
        /// Such as p99.
        quantile: Quantile,
        /// The threshold, in seconds.
        seconds: f64,
    },
    /// `error_ratio = r`: more than `r` of calls end in `error` or `panic`.
    ErrorRatio(f64),
}

/// One objective of `slo(...)` on `#[timed]`. Its burn-rate alerts take
/// their windows, `for` and severities from the SRE workbook, so it has
/// none of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    /// What share of calls must be good, and what good means.
    pub target: ObjectiveTarget,
    /// `window`: the period the error budget covers, in milliseconds.
    pub window_ms: u64,
}

/// What an [`Objective`] promises.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ObjectiveTarget {
    /// `availability = "99.9%"`: at least this share of calls, such as
    /// 0.999, end neither in `error` nor in `panic`.
    Availability(f64),
    /// `latency(p99 = "300ms")`: at least `quantile`'s share of calls
    /// finish within `seconds`, a bucket bound.
    Latency {
        /// Such as p99: 99% of calls.
        quantile: Quantile,
        /// The time, in seconds.
        seconds: f64,
    },
}
