//! The typed plan that validation produces and expansion reads: each
//! argument's checked value, so expansion never re-parses or falls back.

use bizmetrics_facts::Count;
use proc_macro2::Span;
use syn::LitStr;

use crate::args::alert::CheckedAlert;
use crate::args::buckets::Bounds;
use crate::args::errors::ErrorCount;
use crate::args::funnel::Step;
use crate::args::labels::Labels;
use crate::args::slo::Objective;
use crate::args::slow::SlowCount;

/// Everything one annotated function records, with both attributes fused.
pub struct Plan {
    /// The name the macro knew: the function's, or `Type::method` in an
    /// `impl` block. The `function` label and alert names use it.
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
    pub funnel: Option<Step>,
    pub count: Count,
    /// Where `count` was written, for the error when the function cannot fail.
    pub count_span: Span,
    pub alerts: Vec<CheckedAlert>,
}

/// `#[timed]`.
pub struct TimedPlan {
    pub name: String,
    pub help: Option<LitStr>,
    pub labels: Labels,
    /// Bucket bounds in seconds; `None` for the defaults.
    pub buckets: Option<Vec<f64>>,
    pub errors: Option<ErrorCount>,
    /// The in-flight gauge's name.
    pub in_flight: Option<String>,
    pub slow: Option<SlowCount>,
    /// `native`: the native histogram's schema.
    pub native: Option<u8>,
    pub alerts: Vec<CheckedAlert>,
    pub objectives: Vec<Objective>,
}

impl Plan {
    /// `count = "ok"`, where written: the call is counted on `Ok`.
    pub fn count_ok(&self) -> Option<Span> {
        self.counter
            .as_ref()
            .filter(|counter| counter.count == Count::OnOk)
            .map(|counter| counter.count_span)
    }

    /// Whether `count = "ok"` or `errors` needs the function to return a
    /// `Result`.
    pub fn needs_fallible(&self) -> bool {
        self.count_ok().is_some() || self.timed.as_ref().is_some_and(|t| t.errors.is_some())
    }
}

impl TimedPlan {
    pub fn bounds(&self) -> Bounds<'_> {
        Bounds(self.buckets.as_deref())
    }
}
