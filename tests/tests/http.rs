//! `HttpMetricsLayer`: requests counted by method, matched route and status.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use bizmetrics::axum::HttpMetricsLayer;
use bizmetrics_tests::sample;
use tower::ServiceExt;

async fn send(app: &Router, method: Method, uri: &str) -> StatusCode {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    app.clone().oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn requests_are_labeled_by_matched_route_never_by_raw_path() {
    let app = Router::new()
        .route("/items/{id}", get(|| async { "item" }))
        .route("/fail", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
        .layer(HttpMetricsLayer::new());

    for id in 0..50 {
        assert_eq!(
            send(&app, Method::GET, &format!("/items/{id}")).await,
            StatusCode::OK
        );
    }
    assert_eq!(
        send(&app, Method::GET, "/fail").await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    for path in ["/a", "/b/c", "/%2e%2e/etc/passwd", "/items"] {
        assert_eq!(send(&app, Method::GET, path).await, StatusCode::NOT_FOUND);
    }
    let purge = Method::from_bytes(b"PURGE").unwrap();
    assert_eq!(
        send(&app, purge, "/items/1").await,
        StatusCode::METHOD_NOT_ALLOWED
    );

    let series = |method: &str, route: &str, status: &str| {
        sample(&format!(
            r#"http_requests_total{{method="{method}",route="{route}",status_code="{status}"}}"#
        ))
    };
    assert_eq!(series("GET", "/items/{id}", "200"), 50.0);
    assert_eq!(series("GET", "/fail", "500"), 1.0);
    assert_eq!(series("GET", "unmatched", "404"), 4.0);
    assert_eq!(series("OTHER", "/items/{id}", "405"), 1.0);
    assert_eq!(
        sample(
            r#"http_request_duration_seconds_count{method="GET",route="/items/{id}",status_code="200"}"#
        ),
        50.0
    );
    let text = bizmetrics::render();
    assert!(text.contains(r#"http_request_duration_seconds_bucket{method="GET",route="/fail",status_code="500",le="0.3"} 1"#), "{text}");
    let routes = text
        .lines()
        .filter(|l| l.starts_with("http_requests_total{"))
        .count();
    assert_eq!(
        routes, 4,
        "one series per method, route and status:\n{text}"
    );
}
