//! Annotated handlers in a real axum `Router`, and `/metrics` over HTTP.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{debug_handler, Json, Router};
use bizmetrics::{business_metric, timed};
use bizmetrics_tests::sample_in;
use http_body_util::BodyExt;
use tower::ServiceExt;

#[derive(Clone, Default)]
struct Db(Arc<std::sync::Mutex<Vec<u32>>>);

#[derive(serde::Deserialize)]
struct Search {
    q: String,
}

struct AppError;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (StatusCode::NOT_FOUND, "no such item").into_response()
    }
}

#[business_metric(action = "search", endpoint = "/search")]
#[timed]
async fn search(Query(search): Query<Search>) -> String {
    search.q.to_uppercase()
}

#[timed]
#[business_metric(action = "view_item", endpoint = "/items/{id}")]
#[debug_handler]
async fn view_item(Path(id): Path<u32>, State(db): State<Db>) -> Result<Json<u32>, AppError> {
    let found = db.0.lock().unwrap().contains(&id);
    found.then_some(Json(id)).ok_or(AppError)
}

#[business_metric(action = "add_to_cart", endpoint = "/cart")]
#[timed]
async fn add_to_cart(State(db): State<Db>, Json(item): Json<u32>) -> Result<Json<usize>, AppError> {
    let mut items = db.0.lock().unwrap();
    items.push(item);
    Ok(Json(items.len()))
}

fn app() -> Router {
    Router::new()
        .route("/search", get(search))
        .route("/items/{id}", get(view_item))
        .route("/cart", post(add_to_cart))
        .with_state(Db::default())
        .merge(bizmetrics::axum::router())
}

async fn call(app: &Router, request: Request<Body>) -> (StatusCode, String, Option<String>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        String::from_utf8(body.to_vec()).unwrap(),
        content_type,
    )
}

fn get_request(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn handlers_are_counted_and_timed_and_metrics_are_served() {
    let app = app();
    bizmetrics::init().unwrap();

    let (status, before, content_type) = call(&app, get_request("/metrics")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        content_type.as_deref(),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(
        sample_in(
            &before,
            r#"user_actions_total{action_type="add_to_cart",endpoint="/cart"}"#
        ),
        0.0
    );

    assert_eq!(call(&app, get_request("/search?q=shoes")).await.1, "SHOES");
    let add = Request::post("/cart")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("7"))
        .unwrap();
    assert_eq!(call(&app, add).await.1, "1");
    assert_eq!(call(&app, get_request("/items/7")).await.0, StatusCode::OK);
    assert_eq!(
        call(&app, get_request("/items/8")).await.0,
        StatusCode::NOT_FOUND
    );

    let (_, after, _) = call(&app, get_request("/metrics")).await;
    let count = |function: &str, outcome: &str| {
        sample_in(
            &after,
            &format!(
                r#"function_duration_seconds_count{{function="{function}",module="axum",outcome="{outcome}"}}"#
            ),
        )
    };
    assert_eq!(
        sample_in(
            &after,
            r#"user_actions_total{action_type="search",endpoint="/search"}"#
        ),
        1.0
    );
    assert_eq!(
        sample_in(
            &after,
            r#"user_actions_total{action_type="add_to_cart",endpoint="/cart"}"#
        ),
        1.0
    );
    assert_eq!(
        sample_in(
            &after,
            r#"user_actions_total{action_type="view_item",endpoint="/items/{id}"}"#
        ),
        2.0
    );
    assert_eq!(count("search", "ok"), 1.0);
    assert_eq!(count("add_to_cart", "ok"), 1.0);
    assert_eq!(count("view_item", "ok"), 1.0);
    assert_eq!(count("view_item", "error"), 1.0);
}

#[tokio::test]
async fn serve_runs_a_standalone_metrics_listener() {
    // Find a free port, then hand it to `serve`, retrying if another
    // process takes it in between.
    for _ in 0..5 {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let server = tokio::spawn(bizmetrics::serve(addr));
        for _ in 0..50 {
            if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                stream
                    .write_all(
                        b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    )
                    .await
                    .unwrap();
                let mut response = String::new();
                stream.read_to_string(&mut response).await.unwrap();
                server.abort();
                assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
                assert!(
                    response.contains("# TYPE user_actions_total counter"),
                    "{response}"
                );
                return;
            }
            if server.is_finished() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        server.abort();
    }
    panic!("serve() never accepted a connection");
}

#[tokio::test]
async fn metrics_behind_a_credential_answer_401_without_the_body() {
    use bizmetrics::axum::{router_with_auth, Auth};

    let bearer: Router = router_with_auth(Auth::Bearer("s3cret".into()));
    let basic: Router = router_with_auth(Auth::Basic {
        username: "prometheus".into(),
        password: "pw".into(),
    });
    let with = |authorization: Option<&str>| {
        let mut request = Request::get("/metrics");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        request.body(Body::empty()).unwrap()
    };

    for (app, wrong, challenge) in [
        (&bearer, "Bearer s3cre7", "Bearer realm=\"metrics\""),
        (
            &basic,
            "Basic cHJvbWV0aGV1czpwWA==",
            "Basic realm=\"metrics\"",
        ),
    ] {
        for request in [with(None), with(Some(wrong))] {
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(response.headers()[header::WWW_AUTHENTICATE], challenge);
            let body = response.into_body().collect().await.unwrap().to_bytes();
            assert!(body.is_empty(), "a refused scrape must not see metrics");
        }
    }
    let (status, text, _) = call(&bearer, with(Some("Bearer s3cret"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("# TYPE user_actions_total counter"), "{text}");
    let (status, text, _) = call(&basic, with(Some("Basic cHJvbWV0aGV1czpwdw=="))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("# TYPE user_actions_total counter"), "{text}");
}
