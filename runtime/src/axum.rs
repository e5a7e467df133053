//! axum integration: serving `/metrics`, and HTTP request metrics.

use std::net::SocketAddr;

use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::exposition::Format;
use crate::render::render_as;

pub use crate::auth::Auth;
pub use crate::http::{HttpMetricsLayer, HttpMetricsService, HTTP_BUCKETS, UNMATCHED_ROUTE};
pub use crate::shutdown::{Shutdown, ShutdownLayer, ShutdownService, DEFAULT_GRACE};

/// Where [`serve`] is usually pointed: loopback only, on the port the
/// OpenTelemetry Prometheus exporter also uses. `/metrics` describes your
/// business; expose it beyond the host only on purpose.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 9464);

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

/// Like [`router`], but `/metrics` answers `401` unless the request
/// carries `auth`.
///
/// ```
/// use bizmetrics::axum::{router_with_auth, Auth};
///
/// let token = std::env::var("METRICS_TOKEN").unwrap_or_else(|_| "change-me".into());
/// let metrics: axum::Router = router_with_auth(Auth::Bearer(token));
/// ```
pub fn router_with_auth<S>(auth: Auth) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let check = crate::auth::Check::from(auth);
    router().layer(axum::middleware::from_fn(move |request, next| {
        check.clone().require(request, next)
    }))
}

/// The `/metrics` handler: the exposition in the format the request's
/// `Accept` header asks for (see [`Format::from_accept`]), with its
/// content type.
pub async fn metrics(headers: HeaderMap) -> impl IntoResponse {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .unwrap_or_default();
    let format = Format::from_accept(accept);
    let started = std::time::Instant::now();
    let body = render_as(format);
    crate::shutdown::scraped(started);
    ([(header::CONTENT_TYPE, format.content_type())], body)
}

/// Serves [`router`] alone on `addr`, for a separate admin port.
///
/// It runs until the task is dropped. Pass [`DEFAULT_ADDR`] (loopback)
/// unless Prometheus scrapes from another host, and then consider
/// [`router_with_auth`]: `/metrics` describes your business.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// tokio::spawn(bizmetrics::serve(bizmetrics::axum::DEFAULT_ADDR));
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

/// Like [`serve`], until `until` completes: then the server stops
/// accepting, and lets the scrapes in flight finish. Pass
/// [`Shutdown::final_scrape`] to keep `/metrics` up for a final scrape.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let shutdown = bizmetrics::axum::Shutdown::on_signals();
/// let until = shutdown.final_scrape();
/// tokio::spawn(bizmetrics::axum::serve_until(bizmetrics::axum::DEFAULT_ADDR, until));
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// When the address cannot be bound, or the listener fails.
pub async fn serve_until(
    addr: SocketAddr,
    until: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router::<()>())
        .with_graceful_shutdown(until)
        .await
}
