//! An app with its own `prometheus` dependency, default features and all:
//! an annotated handler, metrics registered by hand in
//! `bizmetrics::registry()`, and `/metrics` merged into its router.

use axum::routing::get;
use axum::Router;
use prometheus::{Histogram, HistogramOpts, IntCounter, Opts};

/// Checks out; counted and timed by the attributes.
#[bizmetrics::business_metric(action = "checkout", endpoint = "/checkout")]
#[bizmetrics::timed]
pub async fn checkout() -> &'static str {
    "ok"
}

/// The metrics the app keeps by hand, as the prometheus crate's users do.
pub struct Hand {
    /// `hand_jobs_total`, a counter.
    pub jobs: IntCounter,
    /// `hand_queue_depth`, a gauge.
    pub queue_depth: prometheus::Gauge,
    /// `hand_wait_seconds`, a classic histogram.
    pub wait: Histogram,
}

impl Hand {
    /// Makes the metrics and registers them in `bizmetrics::registry()`.
    ///
    /// # Panics
    ///
    /// When the registry already has one of the names.
    pub fn register() -> Hand {
        let jobs = IntCounter::with_opts(Opts::new("hand_jobs_total", "Jobs done.")).unwrap();
        let queue_depth =
            prometheus::Gauge::with_opts(Opts::new("hand_queue_depth", "Jobs waiting.")).unwrap();
        let wait = Histogram::with_opts(
            HistogramOpts::new("hand_wait_seconds", "Time queued.").buckets(vec![0.1, 1.0]),
        )
        .unwrap();
        let registry = bizmetrics::registry();
        registry.register(Box::new(jobs.clone())).unwrap();
        registry.register(Box::new(queue_depth.clone())).unwrap();
        registry.register(Box::new(wait.clone())).unwrap();
        Hand {
            jobs,
            queue_depth,
            wait,
        }
    }
}

/// The app's routes, with `/metrics`.
pub fn app() -> Router {
    Router::new()
        .route("/checkout", get(checkout))
        .merge(bizmetrics::axum::router())
}
