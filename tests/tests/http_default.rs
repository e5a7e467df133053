//! `HttpMetricsLayer::default()` and the bare unit struct record as
//! `HttpMetricsLayer::new()` does: the families are exported all the same.

use axum::body::Body;
use axum::http::Request;
use axum::routing::get;
use axum::Router;
use bizmetrics::axum::HttpMetricsLayer;
use tower::ServiceExt;

#[tokio::test]
async fn a_layer_built_without_new_still_exports_its_families() {
    let app: Router = Router::new()
        .route("/ping", get(|| async { "pong" }))
        .layer(HttpMetricsLayer);
    let request = Request::get("/ping").body(Body::empty()).unwrap();
    app.oneshot(request).await.unwrap();

    let text = bizmetrics::render();
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/ping",status_code="200"} 1"#),
        "{text}"
    );
    let families = bizmetrics::registry().gather();
    assert!(families
        .iter()
        .any(|f| f.name() == "http_request_duration_seconds"));
}
