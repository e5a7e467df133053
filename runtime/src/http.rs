//! HTTP request metrics for axum: a tower layer that records
//! `http_requests_total` and `http_request_duration_seconds`.

use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::response::Response;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts};

/// The upper bounds, in seconds, of `http_request_duration_seconds`.
pub const HTTP_BUCKETS: [f64; 9] = [0.1, 0.3, 0.5, 0.7, 1.0, 3.0, 5.0, 7.0, 10.0];

/// The `route` of requests that matched no route, so that random paths
/// cannot create series.
pub const UNMATCHED_ROUTE: &str = "unmatched";

const LABELS: [&str; 3] = ["method", "route", "status_code"];

struct HttpMetrics {
    requests: IntCounterVec,
    duration: HistogramVec,
}

static METRICS: LazyLock<HttpMetrics> = LazyLock::new(|| {
    let requests = IntCounterVec::new(
        Opts::new(
            "http_requests_total",
            "HTTP requests served, by method, route and status code.",
        ),
        &LABELS,
    )
    .expect("valid metric definition");
    let duration = HistogramVec::new(
        HistogramOpts::new(
            "http_request_duration_seconds",
            "Time to serve HTTP requests, by method, route and status code.",
        )
        .buckets(HTTP_BUCKETS.to_vec()),
        &LABELS,
    )
    .expect("valid metric definition");
    let registry = crate::registry();
    // Only fails if the names are already taken; then the layer still
    // serves requests, and `render()` shows the metrics registered first.
    let _ = registry.register(Box::new(requests.clone()));
    let _ = registry.register(Box::new(duration.clone()));
    HttpMetrics { requests, duration }
});

/// A tower layer recording every request's count and duration, labeled
/// with its method, axum's matched route (never the raw path) and status.
///
/// Add it with `Router::layer` after the routes, so that it sees which
/// route matched. Requests that match no route share the route
/// `unmatched`, and methods outside the standard nine are `OTHER`, so no
/// request can create a series of its own.
///
/// ```
/// use axum::{routing::get, Router};
///
/// let app: Router = Router::new()
///     .route("/items/{id}", get(|| async { "item" }))
///     .layer(bizmetrics::axum::HttpMetricsLayer::new());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpMetricsLayer;

impl HttpMetricsLayer {
    /// The layer; its metrics live in [`crate::registry`].
    pub fn new() -> Self {
        LazyLock::force(&METRICS);
        HttpMetricsLayer
    }
}

impl<S> tower_layer::Layer<S> for HttpMetricsLayer {
    type Service = HttpMetricsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        HttpMetricsService { inner }
    }
}

/// The service [`HttpMetricsLayer`] wraps around each route.
#[derive(Debug, Clone)]
pub struct HttpMetricsService<S> {
    inner: S,
}

impl<S> tower_service::Service<Request> for HttpMetricsService<S>
where
    S: tower_service::Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = method_label(request.method());
        let route = request.extensions().get::<MatchedPath>().map_or_else(
            || UNMATCHED_ROUTE.to_owned(),
            |path| path.as_str().to_owned(),
        );
        let start = Instant::now();
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            let status = response.status();
            let labels = [method, route.as_str(), status.as_str()];
            METRICS.requests.with_label_values(&labels).inc();
            METRICS
                .duration
                .with_label_values(&labels)
                .observe(start.elapsed().as_secs_f64());
            Ok(response)
        })
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}
