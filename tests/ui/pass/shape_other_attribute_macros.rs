// `#[timed]` above and below axum's `#[debug_handler]`, on handlers that go
// in a `Router`.
#![deny(warnings)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{debug_handler, Router};
use bizmetrics::timed;

#[derive(Clone)]
struct AppState;

// `#[timed]` above `#[debug_handler]`.
#[timed]
#[debug_handler]
async fn above(State(_state): State<AppState>, Path(id): Path<u32>) -> String {
    id.to_string()
}

// `#[timed]` below `#[debug_handler]`.
#[debug_handler]
#[timed]
async fn below(State(_state): State<AppState>, Path(id): Path<u32>) -> Result<String, StatusCode> {
    tokio::task::yield_now().await;
    if id == 0 {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(id.to_string())
}

fn main() {
    let _app: Router = Router::new()
        .route("/above/{id}", get(above))
        .route("/below/{id}", get(below))
        .with_state(AppState);

    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    assert_eq!(runtime.block_on(above(State(AppState), Path(1))), "1");
    assert_eq!(runtime.block_on(below(State(AppState), Path(2))), Ok("2".to_owned()));
    assert_eq!(runtime.block_on(below(State(AppState), Path(0))), Err(StatusCode::NOT_FOUND));

    let text = bizmetrics::render();
    assert!(text.contains(r#"function="above""#), "{text}");
    assert!(text.contains(r#"function="below""#), "{text}");
}
