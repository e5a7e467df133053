//! The typed plan that validation produces and expansion reads: numbers,
//! not strings, so expansion never re-parses or falls back.

use proc_macro2::{Span, TokenStream};
use syn::{Expr, LitStr, Type};

/// Everything one annotated function records, with both attributes fused.
pub struct Plan {
    /// The `function` label: the name, or `Type::method` in an `impl` block.
    pub function: String,
    pub counter: Option<CounterPlan>,
    pub timed: Option<TimedPlan>,
    /// The function's name as written: generated names that meet the
    /// user's tokens resolve there, wherever the attribute came from.
    pub anchor: Span,
    /// Where a method of an annotated `impl` block is, for its call site;
    /// `None` for the attribute's own place.
    pub location: Option<proc_macro2::LineColumn>,
    /// Keep an `async fn` as it is, for another attribute macro on it or
    /// its `impl` block (`#[tokio::main]`, `#[async_trait]`) that needs it.
    pub keep_async: bool,
}

/// `#[business_metric]`.
pub struct CounterPlan {
    pub name: String,
    pub help: Option<LitStr>,
    pub labels: Labels,
    /// The `action_type` label's value.
    pub action: String,
    /// The `endpoint` label's value.
    pub endpoint: String,
    /// `(funnel, step)`.
    pub funnel: Option<(String, u32)>,
    /// `count = "ok"`, spanned for the error when the function cannot fail.
    pub count_ok: Option<Span>,
    pub alerts: Vec<AlertPlan>,
}

/// `#[timed]`.
pub struct TimedPlan {
    pub name: String,
    pub help: Option<LitStr>,
    pub labels: Labels,
    /// Bucket bounds in seconds; `None` for the runtime's defaults.
    pub buckets: Option<Vec<f64>>,
    pub errors: Option<ErrorsPlan>,
    pub in_flight: Option<String>,
    /// The counter's name and the threshold in nanoseconds.
    pub slow: Option<(String, u64)>,
    /// `native`: the native histogram's schema.
    pub native: Option<u8>,
    pub alerts: Vec<AlertPlan>,
}

/// `errors`.
pub struct ErrorsPlan {
    pub name: String,
    /// `kind = Type`: the error type, a label value.
    pub kind: Option<Type>,
    /// The `errors` key, for the error when the function cannot fail.
    pub span: Span,
}

/// The labels of one attribute's metrics.
pub struct Labels {
    /// `(name, value expression)`, fixed at compile time.
    pub fixed: Vec<(String, TokenStream)>,
    /// Labels chosen per call, in the order written.
    pub dimensions: Vec<Dimension>,
}

/// A label chosen per call, or a group of them.
pub struct Dimension {
    /// The label's name, or for a group the binding it comes from.
    pub name: String,
    pub ty: Type,
    pub value: Expr,
    /// A `LabelGroup` rather than one `LabelValue`.
    pub group: bool,
}

/// One `alert(...)` condition, with the settings it shares, or one
/// objective of `slo(...)`, whose window is `per_ms` and which has no
/// `for` or severity of its own.
pub struct AlertPlan {
    pub condition: Condition,
    pub per_ms: u64,
    pub for_ms: u64,
    pub severity: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
}

pub enum Condition {
    Below(f64),
    /// The runtime's `Quantile` variant, such as `P99`, and the objective.
    Latency {
        quantile: &'static str,
        seconds: f64,
    },
    ErrorRatio(f64),
    /// `slo(availability = "99.9%")`, as a fraction.
    Availability {
        objective: f64,
    },
    /// `slo(latency(p99 = "300ms"))`.
    LatencyObjective {
        quantile: &'static str,
        seconds: f64,
    },
}
