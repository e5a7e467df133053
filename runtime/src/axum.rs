//! axum integration: serving `/metrics`, and HTTP request metrics.

use std::net::SocketAddr;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::encode::{render, CONTENT_TYPE};

pub use crate::http::{HttpMetricsLayer, HttpMetricsService, HTTP_BUCKETS, UNMATCHED_ROUTE};

/// A router that serves `GET /metrics`, to merge into your app.
///
/// ```
/// use axum::{routing::get, Router};
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .merge(bizmetrics::axum::router());
/// ```
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/metrics", get(metrics))
}

/// The `/metrics` handler: [`render`] with the exposition content type.
pub async fn metrics() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], render())
}

/// Serves [`router`] alone on `addr`, for a separate admin port.
///
/// It runs until the task is dropped. Bind to `127.0.0.1` unless Prometheus
/// scrapes from another host: `/metrics` describes your business.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// tokio::spawn(bizmetrics::serve(([127, 0, 0, 1], 9464).into()));
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// When the address cannot be bound, or the listener fails.
pub async fn serve(addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router::<()>()).await
}
