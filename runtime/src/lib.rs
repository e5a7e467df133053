//! Business metrics and timings for Prometheus, declared in attributes.
//!
//! A handler gets one attribute line; the metric names, labels, buckets and
//! registration are generated. Each call costs about one atomic add on the
//! call site's own `static` cell, and every series exists at zero from
//! startup.
//!
//! ```
//! use bizmetrics::{business_metric, timed};
//!
//! #[business_metric(action = "search", endpoint = "/search")]
//! #[timed]
//! fn search(query: &str) -> Result<Vec<String>, std::io::Error> {
//!     Ok(vec![query.to_uppercase()])
//! }
//!
//! bizmetrics::init().expect("consistent metric definitions");
//! search("rust").unwrap();
//!
//! let text = bizmetrics::render();
//! assert!(text.contains(r#"user_actions_total{action_type="search",endpoint="/search"} 1"#));
//! assert!(text.contains(r#"function_duration_seconds_count{function="search",module="rust_out",outcome="ok"} 1"#));
//! // Outcomes that have not happened yet are exported at zero.
//! assert!(text.contains(r#"function_duration_seconds_count{function="search",module="rust_out",outcome="error"} 0"#));
//! ```
//!
//! # `#[business_metric]`
//!
//! Counts each call in a counter. By default that is the counter
//! `user_actions_total{action_type, endpoint}`, so a Grafana panel of
//! `sum(rate(user_actions_total[5m])) by (action_type)` works as is.
//!
//! | argument | meaning | default |
//! |---|---|---|
//! | `action = "..."` | the `action_type` label; required, not empty | |
//! | `endpoint = "..."` | the `endpoint` label | the function's name |
//! | `name = "..."` | the counter's name; must end in `_total` | `user_actions_total` |
//! | `help = "..."` | the counter's help text | a fixed description |
//! | `labels(key = "value", ...)` | extra labels with fixed values | none |
//!
//! The count is taken when the body starts, so a call that panics or
//! fails still counts.
//!
//! # `#[timed]`
//!
//! Records the function's wall time in seconds in a histogram. By default
//! that is `function_duration_seconds{function, module, outcome}`, with
//! `function` the function's name and `module` its `module_path!()`.
//!
//! | argument | meaning | default |
//! |---|---|---|
//! | `name = "..."` | the histogram's name; must end in `_seconds` | `function_duration_seconds` |
//! | `help = "..."` | the histogram's help text | a fixed description |
//! | `labels(key = "value", ...)` | extra labels with fixed values | none |
//! | `buckets = [0.1, 0.5, 1]` | finite upper bounds in seconds, strictly increasing; `+Inf` is implied | [`DEFAULT_BUCKETS`] |
//!
//! The `outcome` label says how the call ended:
//!
//! - `ok`: it returned, and the value was not an `Err`;
//! - `error`: it returned an `Err`. Any `Result` counts, through any alias
//!   such as `std::io::Result<T>` or your own `type AppResult<T>`;
//! - `panic`: the body panicked. The panic carries on after recording;
//! - `cancelled`: the future was dropped after its first poll and before
//!   it completed, for example when an HTTP client disconnected.
//!
//! Recording happens on every way out: `return`, `?`, panic and drop. A
//! future that is dropped before its first poll never started, and records
//! nothing.
//!
//! ```
//! use std::time::Duration;
//!
//! #[bizmetrics::timed(name = "payment_duration_seconds", buckets = [0.05, 0.1, 0.5])]
//! fn charge(cents: u64) -> Result<(), String> {
//!     std::thread::sleep(Duration::from_millis(60));
//!     if cents == 0 { return Err("nothing to charge".into()) }
//!     Ok(())
//! }
//!
//! charge(100).unwrap();
//! charge(0).unwrap_err();
//! let text = bizmetrics::render();
//! assert!(text.contains(r#"payment_duration_seconds_bucket{function="charge",module="rust_out",outcome="ok",le="0.05"} 0"#));
//! assert!(text.contains(r#"payment_duration_seconds_bucket{function="charge",module="rust_out",outcome="ok",le="0.1"} 1"#));
//! assert!(text.contains(r#"payment_duration_seconds_count{function="charge",module="rust_out",outcome="error"} 1"#));
//! ```
//!
//! # Where the attributes go
//!
//! Both attributes work on sync and `async fn`s, methods and trait impl
//! methods, generic functions and functions returning `impl Trait`, stacked
//! in either order and next to other attributes such as axum's
//! `#[debug_handler]`. The signature, docs and other attributes are kept as
//! written, and an annotated axum handler stays a `Handler` whose future is
//! `Send`.
//!
//! Call sites that declare the same metric and label values feed one
//! series, which is the sum of their counts: two handlers with the same
//! `action` and `endpoint` count together. Methods are labeled by method
//! name and module, so two same-named methods in one module share a series
//! unless `labels(...)` or `name` tells them apart.
//!
//! # Startup and serving
//!
//! Call [`init`] at the start of `main`: it reports conflicting definitions
//! of one metric, naming both source locations. [`render`] gives the text
//! exposition of [`registry`], which also holds the process collector and
//! any metric you register by hand. With the default `axum` feature,
//! [`axum::router`] serves it on `GET /metrics` and [`serve`] runs it on a
//! port of its own.
//!
//! # Limits
//!
//! Call sites register through `linkme` distributed slices, so they work on
//! Linux, macOS and Windows but not on wasm. A library crate whose items
//! nothing in the binary names is not linked, and its call sites are absent.
//! A linker run with `-fuse-ld=lld` needs `-z nostart-stop-gc`.

mod cell;
mod encode;
mod error;
mod family;
mod funnel;
mod label;
mod outcome;
mod registry;
mod site;
mod timer;

#[cfg(feature = "axum")]
pub mod axum;

pub use bizmetrics_macros::{business_metric, timed, LabelValue};
pub use encode::{render, CONTENT_TYPE};
pub use error::{Error, Problem};
pub use funnel::{funnels, Funnel, Step};
pub use label::LabelValue;
pub use registry::{init, registry};
pub use site::Location;

#[cfg(feature = "axum")]
pub use crate::axum::serve;

/// The most series one metric may have: the product of its label values'
/// counts, summed over its call sites.
///
/// Every series is kept forever by Prometheus and exported from startup, so
/// a metric over the limit is refused: at compile time when one call site
/// is over it, and by [`init`] when several together are.
pub const MAX_SERIES: usize = 10_000;

/// The upper bounds, in seconds, that `#[timed]` uses unless told otherwise.
///
/// They are the Prometheus client default buckets, from 5 ms to 10 s.
pub const DEFAULT_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What the attribute macros expand to. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use linkme;

    pub use crate::cell::{bounds_ns, cells, histogram_cells, Counter, Gauge, Histogram};
    pub use crate::outcome::{
        error_kind, fallible_outcome, succeeded, Fallible, Outcome, PlainOutcome, Probe,
        ResultOutcome,
    };
    pub use crate::site::{Dimension, FunnelStep, Help, Location, Site, Storage, SITES};
    pub use crate::timer::{Timed, Timer};
    pub use crate::DEFAULT_BUCKETS;
    pub use crate::MAX_SERIES;

    pub use crate::LabelValue;

    /// The `outcome` dimension of every `#[timed]` call site.
    pub const OUTCOME: Dimension = Dimension::of::<Outcome>("outcome");

    /// How many series a call site feeds: the product of its dimensions.
    pub const fn series(cardinalities: &[usize]) -> usize {
        let mut product = 1;
        let mut i = 0;
        while i < cardinalities.len() {
            product *= cardinalities[i];
            i += 1;
        }
        product
    }
}
