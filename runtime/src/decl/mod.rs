//! The declaration vocabulary: exactly the types the attribute macros emit
//! and every reader of the runtime consumes, as plain data.
//!
//! - [`SITES`]: every annotated function, a linkme slice of [`CallSite`];
//! - [`CallSite`]: one function's cells, when it counts ([`Count`]), what
//!   `#[timed]` records ([`Timed`]), its [`Metric`]s, its name and
//!   [`Location`];
//! - [`Timed`]: where `#[timed]` writes, with [`ErrorCells`], [`SlowCells`]
//!   and [`NativeCells`];
//! - [`ExemplarSlots`] and [`ExemplarSlot`]: the latest exemplar of each
//!   cell of a stripe;
//! - [`Metric`]: one metric the cells are exported as, of a [`MetricKind`]
//!   and a [`Role`], with its [`Help`], [`Dimension`]s, [`FunnelStep`],
//!   [`Alert`]s and [`Objective`]s;
//! - [`Alert`] and [`AlertCondition`]: `alert(...)`;
//! - [`Objective`] and [`ObjectiveTarget`]: `slo(...)`;
//! - from `bizmetrics-facts`: [`Quantile`], [`Severity`], [`Count`],
//!   [`MAX_SERIES`], [`DEFAULT_BUCKETS`], the cell [`layout`] and the
//!   attributes' default metric [`names`].
//!
//! Nothing here has behaviour beyond a constructor or an accessor: each
//! layer adds what it does to these types in an `impl` block of its own.

mod alert;

use std::sync::atomic::AtomicU64;
use std::sync::OnceLock;

use linkme::distributed_slice;

pub use self::alert::{Alert, AlertCondition, Objective, ObjectiveTarget};
#[cfg(feature = "monitoring")]
pub use bizmetrics_facts::names;
pub use bizmetrics_facts::{layout, Count, Quantile, Severity, DEFAULT_BUCKETS, MAX_SERIES};

/// Every annotated function in the program.
///
/// Slice order is unspecified; the catalog sorts it.
#[distributed_slice]
pub static SITES: [CallSite];

/// One annotated function: its cells, the plan each call follows, and the
/// metrics the cells are exported as.
///
/// `#[business_metric]` and `#[timed]` on one function fuse into one call
/// site: one cells static, one linkme entry, one stripe lookup per call.
#[derive(Debug)]
pub struct CallSite {
    /// Every metric's cells, in one copy (stripe) per group of threads.
    pub cells: &'static [AtomicU64],
    /// When `#[business_metric]`'s counter counts; its cells come first.
    pub count: Count,
    /// What `#[timed]` records, if it is there.
    pub timed: Option<Timed>,
    /// The metrics these cells are exported as.
    pub metrics: &'static [Metric],
    /// The latest exemplar of each cell of a stripe.
    pub exemplars: &'static ExemplarSlots,
    /// The function's name as the macro read it, `Type::method` in an
    /// annotated `impl` block: the `function` label, and alert names.
    pub function: &'static str,
    /// Where the attribute was written.
    pub location: Location,
}

/// Where `#[timed]` records, as cell offsets within a stripe. Each metric's
/// series index is the call's label series, times the outcome or error kind
/// where that is a further dimension.
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    /// The first cell of the duration histogram, by outcome.
    pub histogram: usize,
    /// Its bucket bounds in nanoseconds.
    pub bounds_ns: &'static [u64],
    /// `errors`: the error counter.
    pub errors: Option<ErrorCells>,
    /// `in_flight`: the first cell of the gauge.
    pub in_flight: Option<usize>,
    /// `slow`: the slow-call counter.
    pub slow: Option<SlowCells>,
    /// `native`: the native histogram kept beside the classic one.
    pub native: Option<NativeCells>,
}

/// `errors`: where the error counter starts, and how many error kinds
/// each series is split into (1 without `kind = Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCells {
    /// The first cell.
    pub offset: usize,
    /// Error kinds per series.
    pub kinds: usize,
}

/// `slow`: where the slow-call counter starts, and its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowCells {
    /// The first cell.
    pub offset: usize,
    /// Calls longer than this many nanoseconds count.
    pub threshold_ns: u64,
}

/// A native histogram's cells: not striped, one row per series and
/// outcome (the zero bucket, then 27 powers of two split in `2^schema`).
#[derive(Debug, Clone, Copy)]
pub struct NativeCells {
    /// Every row, in the order of the histogram's series and outcomes.
    pub cells: &'static [AtomicU64],
    /// The resolution: each power of two is split into `2^schema` buckets.
    pub schema: u8,
}

/// The exemplar slots of one call site, one per cell of a stripe,
/// allocated when the site first records an exemplar.
#[derive(Debug)]
pub struct ExemplarSlots(pub OnceLock<Box<[ExemplarSlot]>>);

impl ExemplarSlots {
    /// No slots yet, for a call site's `static`.
    pub const fn new() -> Self {
        ExemplarSlots(OnceLock::new())
    }
}

impl Default for ExemplarSlots {
    fn default() -> Self {
        Self::new()
    }
}

/// The latest exemplar of one cell, as a seqlock: an even sequence number
/// means the words are stable, an odd one that a writer is at work.
#[derive(Debug, Default)]
pub struct ExemplarSlot {
    /// Bumped before and after each write.
    pub sequence: AtomicU64,
    /// Trace id (two words), span id, value bits, timestamp.
    pub words: [AtomicU64; 5],
}

/// One metric a call site's cells are exported as.
#[derive(Debug)]
pub struct Metric {
    /// The metric family name, for example `user_actions_total`.
    pub name: &'static str,
    /// The family's help text.
    pub help: Help,
    /// The metric kind.
    pub kind: MetricKind,
    /// What the metric is for.
    pub role: Role,
    /// The first cell, within each stripe.
    pub offset: usize,
    /// Labels whose values are fixed at compile time, as `(name, value)`.
    pub labels: &'static [(&'static str, &'static str)],
    /// Labels chosen per call, in row-major order: the last varies fastest.
    /// A single label is a list of one; a label group, its fields.
    pub dimensions: &'static [&'static [Dimension]],
    /// The funnel step this metric's action is, if any.
    pub funnel: Option<FunnelStep>,
    /// The alerts declared with `alert(...)`.
    pub alerts: &'static [Alert],
    /// The objectives declared with `slo(...)`.
    pub objectives: &'static [Objective],
}

/// The kind of a [`Metric`].
#[derive(Debug, Clone, Copy)]
pub enum MetricKind {
    /// A monotonic counter.
    Counter,
    /// A gauge of calls in flight.
    Gauge,
    /// A histogram of durations.
    Histogram {
        /// The finite bucket bounds in seconds; `+Inf` is implied.
        buckets: &'static [f64],
        /// The native histogram kept beside the classic buckets, if any.
        native: Option<NativeCells>,
    },
}

/// What a [`Metric`] is for: which argument of which attribute made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `#[business_metric]`'s counter of actions.
    Actions,
    /// `#[timed]`'s histogram of call durations.
    Duration,
    /// `#[timed(errors)]`'s counter of calls that returned `Err`.
    Errors,
    /// `#[timed(in_flight)]`'s gauge of calls under way.
    InFlight,
    /// `#[timed(slow)]`'s counter of calls over the threshold.
    Slow,
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
    /// The label value at each ordinal, as `LabelValue::label`.
    pub label: fn(usize) -> &'static str,
}

/// `funnel = "...", step = n` on a `#[business_metric]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunnelStep {
    /// The funnel's name.
    pub funnel: &'static str,
    /// The action that makes this step, the `action_type` label's value.
    pub action: &'static str,
    /// The step's number, from 1.
    pub step: u32,
}

/// A source location, `file:line:column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// As `file!()` gives it.
    pub file: &'static str,
    /// As `line!()` gives it.
    pub line: u32,
    /// As `column!()` gives it.
    pub column: u32,
}
