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
//! | `labels(...)` | extra labels, fixed or [from the call](#labels-from-the-call) | none |
//! | `count = "ok"` | count only calls that return `Ok`; needs a `Result` | `"all"` |
//! | `funnel = "...", step = n` | this action is step `n` (from 1) of a [funnel](#funnels) | none |
//! | `alert(below = n, ...)` | alert when fewer than `n` actions happen in the window; see [alerts](#alerts) | none |
//!
//! By default the count is taken when the body starts, so a call that
//! panics or fails still counts. With `count = "ok"` it is taken when the
//! call returns `Ok`: "purchase completed", not "purchase attempted".
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
//! | `labels(...)` | extra labels, fixed or [from the call](#labels-from-the-call) | none |
//! | `errors` | count calls that return `Err` in `application_errors_total`; needs a `Result` | off |
//! | `errors = "name_total"` | the same, in a counter of that name | |
//! | `errors(name = "...", kind = Type)` | the same, with a `kind` label from the error, which must be a [`LabelValue`] | |
//! | `in_flight` | a gauge of calls under way, `function_calls_in_flight` | off |
//! | `in_flight = "name"` | the same, in a gauge of that name, such as `database_connections_active` | |
//! | `slow = "500ms"` | count calls slower than that (`ns`, `us`, `ms`, `s`, `m`) in `slow_calls_total` | off |
//! | `slow(after = "500ms", name = "slow_queries_total")` | the same, in a counter of that name | |
//! | `buckets = [0.1, 0.5, 1]` | finite upper bounds in seconds, strictly increasing; `+Inf` is implied | [`DEFAULT_BUCKETS`] |
//! | `native`, `native(schema = 4)` | a native histogram beside the buckets, served in [`Format::Protobuf`] | off |
//! | `alert(p99 = "300ms", error_ratio = 0.05, ...)` | alert on a latency objective, the share of failed calls, or both; see [alerts](#alerts) | none |
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
//! Every metric of `#[timed]` carries its `function`, `module` and
//! `labels(...)` labels. The in-flight gauge goes back down on every way
//! out, panic and cancellation included.
//!
//! ```
//! #[derive(Debug, bizmetrics::LabelValue)]
//! enum DbError { Timeout, Constraint }
//!
//! #[bizmetrics::timed(
//!     name = "database_query_duration_seconds",
//!     errors(kind = DbError),
//!     in_flight = "database_connections_active",
//!     slow(after = "500ms", name = "slow_queries_total"),
//! )]
//! fn insert_order(id: u64) -> Result<(), DbError> {
//!     if id == 0 { Err(DbError::Constraint) } else { Ok(()) }
//! }
//!
//! insert_order(1).unwrap();
//! insert_order(0).unwrap_err();
//! let text = bizmetrics::render();
//! assert!(text.contains(r#"application_errors_total{function="insert_order",kind="constraint",module="rust_out"} 1"#));
//! assert!(text.contains(r#"application_errors_total{function="insert_order",kind="timeout",module="rust_out"} 0"#));
//! assert!(text.contains(r#"database_connections_active{function="insert_order",module="rust_out"} 0"#));
//! assert!(text.contains(r#"slow_queries_total{function="insert_order",module="rust_out"} 0"#));
//! ```
//!
//! # Labels from the call
//!
//! A label can take its value from the call, when that value comes from a
//! fixed set: a field-less enum that derives [`LabelValue`], a `bool`, or
//! an `Option` of those. Each distinct value is a time series Prometheus
//! keeps forever, so a `String`, a `&str` or an integer is refused at
//! compile time. Every combination exists at zero from startup, and a call
//! picks its cell by ordinal, with no hashing.
//!
//! | form | meaning |
//! |---|---|
//! | `key = "value"` | a fixed value |
//! | `param`, `param: Type` | the label `param`, from the parameter or extractor binding of that name, whose type derives [`LabelValue`] (or is a `bool` or an `Option` of one) |
//! | `group`, `group: Type` | a label per field of a [`LabelGroup`], from that parameter or extractor binding |
//! | `key = param` | the value of parameter `param`, whose declared type is bounded |
//! | `key: Type = expr` | the value of any expression of type `Type`, such as a field of a destructured extractor |
//!
//! The type must be written when it cannot be read off the signature: the
//! metric's series are laid out at compile time, before any call.
//!
//! ```
//! use bizmetrics::{business_metric, LabelValue};
//!
//! #[derive(LabelValue)]
//! enum Device { Mobile, Desktop }
//!
//! #[derive(LabelValue)]
//! enum AgeGroup { Under25, From25To54, #[label(rename = "55+")] Over55 }
//!
//! struct Profile { age: AgeGroup, premium: bool }
//!
//! #[business_metric(
//!     action = "search",
//!     labels(device, age: AgeGroup = profile.age, premium: bool = profile.premium),
//! )]
//! fn search(device: Device, profile: &Profile) {}
//!
//! search(Device::Mobile, &Profile { age: AgeGroup::Over55, premium: true });
//! let text = bizmetrics::render();
//! assert!(text.contains(r#"user_actions_total{action_type="search",age="55+",device="mobile",endpoint="search",premium="true"} 1"#));
//! assert!(text.contains(r#"user_actions_total{action_type="search",age="under25",device="desktop",endpoint="search",premium="false"} 0"#));
//! ```
//!
//! One metric keeps one set of label names: call sites of one metric name
//! with different labels are an [`init`] error. A metric may have at most
//! [`MAX_SERIES`] label combinations; one call site over it is a compile
//! error, several together an [`init`] error.
//!
//! # Funnels
//!
//! `funnel = "purchase", step = n` marks an action as step `n` of a
//! funnel. [`init`] checks that each funnel's steps run 1, 2, ... with one
//! action each, and [`funnels`] lists them. The conversion from one step to
//! the next, per device, is then one PromQL query:
//!
//! ```text
//! sum by (device) (rate(user_actions_total{action_type="purchase"}[1h]))
//!   / sum by (device) (rate(user_actions_total{action_type="add_to_cart"}[1h]))
//! ```
//!
//! ```
//! use bizmetrics::{business_metric, LabelValue};
//!
//! #[derive(LabelValue)]
//! enum Device { Mobile, Desktop }
//!
//! #[business_metric(action = "add_to_cart", funnel = "purchase", step = 1, labels(device))]
//! fn add_to_cart(device: Device) {}
//!
//! #[business_metric(action = "purchase", funnel = "purchase", step = 2, count = "ok", labels(device))]
//! fn purchase(device: Device, paid: bool) -> Result<(), String> {
//!     if paid { Ok(()) } else { Err("card declined".into()) }
//! }
//!
//! add_to_cart(Device::Mobile);
//! add_to_cart(Device::Mobile);
//! purchase(Device::Mobile, true).unwrap();
//! purchase(Device::Mobile, false).unwrap_err();
//! let text = bizmetrics::render();
//! assert!(text.contains(r#"user_actions_total{action_type="add_to_cart",device="mobile",endpoint="add_to_cart"} 2"#));
//! assert!(text.contains(r#"user_actions_total{action_type="purchase",device="mobile",endpoint="purchase"} 1"#));
//! assert_eq!(bizmetrics::funnels()[0].steps.len(), 2);
//! ```
//!
//! # Alerts
//!
//! `alert(...)` declares an alerting rule next to the metric it watches.
//! [`monitoring::Stack`] writes the rules to `alert_rules.yml`, with a
//! Grafana dashboard and the configuration of a Prometheus, Alertmanager
//! and Grafana stack, so the monitoring never drifts from the code.
//!
//! | argument | meaning | default |
//! |---|---|---|
//! | `below = n` | `#[business_metric]`: fewer than `n` actions in the window | |
//! | `p50`, `p75`, `p90`, `p95`, `p99`, `p999` `= "300ms"` | `#[timed]`: that quantile of the call time is above the objective, which must lie below the largest bucket | |
//! | `error_ratio = r` | `#[timed]`: more than `r` (between 0 and 1) of calls end in `error` or `panic` | |
//! | `per = "5m"` | the rate window | `"5m"` |
//! | `for = "5m"` | how long the condition holds before the alert fires | `per` |
//! | `severity = "..."` | the `severity` label | `"warning"` |
//! | `name`, `summary`, `description` | `#[business_metric]`: the alert's name and texts | from the app and metric names |
//!
//! Call sites that declare the same low-activity alert share one rule,
//! which fires per action and endpoint, summed over replicas and per-call
//! labels. Durations, quantiles and ratios are checked at compile time.
//!
//! `slo(...)` on `#[timed]` declares a service level objective instead of
//! a threshold, and gets the SRE workbook's multiwindow, multi-burn-rate
//! alerts on its error budget, as Sloth and Pyrra generate them:
//!
//! | argument | meaning | default |
//! |---|---|---|
//! | `availability = "99.9%"` | at most 0.1% of calls over the window end in `error` or `panic` | |
//! | `latency(p99 = "300ms")` | at least 99% of calls finish within 300ms, a bucket bound | |
//! | `window = "30d"` | the period the error budget covers, at least `"7d"` | `"30d"` |
//!
//! The bad-call ratio is recorded over 5m, 30m, 1h, 2h, 6h, 1d, 3d and the
//! window (`slo:sli_error:ratio_rate5m`, ...). The alert
//! `<App>ErrorBudgetBurn`, labeled `function`, `module`, `slo` and
//! `severity`, pages when the ratio is over 14.4 times the budget
//! (`1 - objective`) on both 1h and 5m, or 6 times on 6h and 30m, and opens
//! a ticket at 3 times on 1d and 2h, or once on 3d and 6h. Those factors
//! are for 30 days; another window keeps the share of its budget each one
//! spends, so 28 days gives 13.44, 5.6, 2.8 and 0.93. The dashboard shows
//! each objective's budget left and burn rate.
//!
//! ```
//! use bizmetrics::{business_metric, timed};
//!
//! #[business_metric(action = "search", endpoint = "/search", alert(below = 10, per = "5m", for = "5m"))]
//! #[timed(alert(p99 = "300ms", error_ratio = 0.05))]
//! fn search() -> Result<(), String> { Ok(()) }
//!
//! #[timed(slo(availability = "99.9%", window = "30d", latency(p99 = "250ms")))]
//! fn purchase() -> Result<(), String> { Ok(()) }
//!
//! # #[cfg(feature = "monitoring")] {
//! let rules = bizmetrics::monitoring::Stack::new("webapp").alert_rules().unwrap();
//! assert!(rules.contains("alert: WebappLowUserActivity"));
//! assert!(rules.contains("alert: WebappSearchLatencyP99"));
//! assert!(rules.contains("alert: WebappSearchErrors"));
//! assert!(rules.contains("alert: WebappErrorBudgetBurn"));
//! assert!(rules.contains("record: slo:sli_error:ratio_rate3d"));
//! # }
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
//! port of its own; [`axum::Shutdown`] keeps it up on SIGTERM until a final
//! scrape has read the last counts.
//!
//! # Batch jobs
//!
//! A job that exits before Prometheus scrapes it pushes instead: with the
//! `push` feature, `bizmetrics::push::Pushgateway` sends the same
//! exposition to a Prometheus Pushgateway when the job ends, and its guard
//! does so on an early return, an error or a panic too. Services are
//! scraped, never pushed.
//!
//! # Accuracy and cost
//!
//! Durations come from the CPU's invariant TSC through `quanta`, calibrated
//! against the OS monotonic clock (the OS clock where there is no usable
//! TSC); the two can drift apart by a few parts per million. Writes are
//! relaxed atomics on the call site's own cells, kept in 8 cache-line-padded
//! stripes so that threads do not contend: a scrape taken during a call may
//! see its bucket before its sum, is never short of a finished call, and is
//! exact on the next scrape.
//!
//! The `noop` feature compiles the attributes out, for measuring a build
//! against itself. Cargo unifies features, so never enable it in a build
//! that should record anything.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `axum` | on | [`axum::router`], [`serve`], [`axum::HttpMetricsLayer`] and [`axum::Shutdown`] |
//! | `monitoring` | on | [`monitoring`]: alert rules, a Grafana dashboard and a compose stack |
//! | `process` | on | the prometheus crate's process collector (CPU, memory, fds) on Linux |
//! | `opentelemetry` | off | exemplars from the current `tracing` span's OpenTelemetry context when no [`TraceContext`] was made current; a few ns per recorded call outside spans, about 145 ns inside one (see [`TraceContext`]) |
//! | `noop` | off | compiles the attributes out, for benchmarks (see [above](#accuracy-and-cost)) |
//!
//! # Limits
//!
//! Call sites register through `linkme` distributed slices, so they work on
//! Linux, macOS and Windows but not on wasm. A library crate whose items
//! nothing in the binary names is not linked, and its call sites are absent.
//! A linker run with `-fuse-ld=lld` needs `-z nostart-stop-gc`.

#[cfg(feature = "axum")]
mod auth;
mod call;
mod catalog;
mod cell;
mod clock;
mod decl;
mod error;
mod escape;
mod exemplar;
mod exposition;
mod family;
mod funnel;
mod future;
#[cfg(feature = "axum")]
mod http;
mod label;
#[cfg(feature = "monitoring")]
pub mod monitoring;
mod native;
mod outcome;
#[cfg(feature = "push")]
pub mod push;
mod registry;
mod render;
#[cfg(feature = "axum")]
mod shutdown;
mod trace;

#[cfg(feature = "axum")]
pub mod axum;

pub use bizmetrics_macros::{business_metric, defaults, timed, LabelGroup, LabelValue};
pub use catalog::funnels;
pub use decl::{Location, DEFAULT_BUCKETS, MAX_SERIES};
pub use error::{Error, Problem};
pub use exposition::{Format, CONTENT_TYPE};
pub use funnel::{Funnel, Step};
pub use label::{LabelGroup, LabelValue};
pub use registry::{init, registry};
pub use render::{render, render_as, render_into};
pub use trace::{TraceContext, WithTrace};

#[cfg(feature = "axum")]
pub use crate::axum::serve;

/// How often Prometheus scrapes, as [`monitoring::Stack`] writes it
/// unless told otherwise: the interval of Prometheus's own example
/// configuration. [`axum::DEFAULT_GRACE`] is derived from it.
pub const DEFAULT_SCRAPE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// What the attribute macros expand to: re-exports only. Not public API;
/// the version in its name keeps two copies of the crate in one build from
/// mixing their expansions.
#[doc(hidden)]
pub mod __private_0_1 {
    pub use linkme;

    pub use crate::call::{call_once, Call};
    pub use crate::cell::{Cells, DEFAULT_BOUNDS_NS};
    pub use crate::decl::layout::striped_len;
    pub use crate::decl::{
        Alert, AlertCondition, CallSite, Count, Dimension, ErrorCells, ExemplarSlots, FunnelStep,
        Help, Location, Metric, MetricKind, NativeCells, Objective, ObjectiveTarget, Quantile,
        Role, Severity, SlowCells, Timed, DEFAULT_BUCKETS, MAX_SERIES, SITES,
    };
    pub use crate::future::Instrumented;
    pub use crate::label::{names_repeat, unnamed, LabelBinding, LabelGroup, LabelValue};
    pub use crate::outcome::{
        error_kind, fallible_outcome, Fallible, Outcome, PlainOutcome, Probe, ResultOutcome,
        OUTCOME,
    };
}
