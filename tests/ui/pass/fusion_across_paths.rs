// Stacked attributes written with different paths, with another
// attribute between them, and under a renamed import (which the README says
// still works, as two call sites). Handlers built from them stay axum
// `Handler`s with `Send` futures.
#![deny(warnings)]

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use bizmetrics::timed as measured;
use bizmetrics::{business_metric, LabelValue};

#[derive(Clone, Copy, serde::Deserialize, LabelValue)]
enum Device {
    Mobile,
    Desktop,
}

#[derive(serde::Deserialize)]
struct Search {
    device: Device,
}

#[derive(Clone)]
struct Db;

#[bizmetrics::business_metric(
    action = "search",
    endpoint = "/search",
    count = "ok",
    labels(device: Device = search.device)
)]
#[inline]
#[::bizmetrics::timed(errors, in_flight, labels(device: Device = search.device))]
async fn search(State(_db): State<Db>, Query(search): Query<Search>) -> Result<String, StatusCode> {
    tokio::task::yield_now().await;
    let _ = search.device;
    Err(StatusCode::NOT_FOUND)
}

#[business_metric(action = "renamed", endpoint = "/renamed")]
#[measured]
async fn renamed(State(_db): State<Db>) -> &'static str {
    tokio::task::yield_now().await;
    "ok"
}

#[measured(errors)]
#[business_metric(action = "renamed_first", endpoint = "/renamed_first")]
async fn renamed_first() -> Result<&'static str, StatusCode> {
    Ok("ok")
}

fn main() {
    let _app: Router = Router::new()
        .route("/search", get(search))
        .route("/renamed", get(renamed))
        .route("/renamed_first", get(renamed_first))
        .with_state(Db);
}
