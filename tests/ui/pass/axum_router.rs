// Annotated handlers stay axum `Handler`s with `Send` futures, in any order
// and next to `#[debug_handler]`.
use axum::extract::{Json, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{debug_handler, Router};
use bizmetrics::{business_metric, timed};

#[derive(Clone)]
struct Db;

#[derive(serde::Deserialize)]
struct Search {
    q: String,
}

#[business_metric(action = "search", endpoint = "/search")]
#[timed]
async fn search(State(_db): State<Db>, Query(search): Query<Search>) -> String {
    search.q
}

#[timed]
#[business_metric(action = "view_item", endpoint = "/items/{id}")]
#[debug_handler]
async fn view_item(Path(id): Path<u32>) -> Result<Json<u32>, StatusCode> {
    tokio::task::yield_now().await;
    if id == 0 {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(Json(id))
}

#[debug_handler]
#[business_metric(action = "add_to_cart", endpoint = "/cart")]
#[timed]
async fn add_to_cart(State(_db): State<Db>, Json(item): Json<u32>) -> Result<Json<u32>, StatusCode> {
    let doubled = item.checked_mul(2).ok_or(StatusCode::BAD_REQUEST)?;
    Ok(Json(doubled))
}

fn main() {
    let _app: Router = Router::new()
        .route("/search", get(search))
        .route("/items/{id}", get(view_item))
        .route("/cart", post(add_to_cart))
        .with_state(Db)
        .merge(bizmetrics::axum::router());
}
