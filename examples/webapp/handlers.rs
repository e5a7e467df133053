//! The HTTP API. Each handler holds business logic only; its metrics are
//! its attributes.
//!
//! The shop's funnel is search → view item → add to cart → purchase, and
//! every business action is labeled with the caller's profile.

use axum::extract::{FromRef, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use bizmetrics::{business_metric, timed};
use prometheus::IntGauge;
use serde::Deserialize;

use crate::db::{self, Cart, Company, Db, Item, Receipt, ReportRow};
use crate::error::AppError;
use crate::profile::{AgeGroup, Device, Gender, Profile, Region};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    /// `health_check_status`: 1 when the last health check passed.
    pub health: IntGauge,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/companies", get(list_companies))
        .route("/search", get(search))
        .route("/items/{id}", get(view_item))
        .route("/cart", post(add_to_cart))
        .route("/purchase", post(purchase))
        .route("/report", get(sales_report))
        .route("/health", get(health))
        .with_state(state)
}

async fn index() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

#[business_metric(
    action = "list_companies",
    endpoint = "/companies",
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
#[timed(errors)]
pub async fn list_companies(
    State(db): State<Db>,
    Query(profile): Query<Profile>,
) -> Result<Json<Vec<Company>>, AppError> {
    Ok(Json(db.run(db::list_companies).await?))
}

#[derive(Deserialize)]
pub struct Search {
    q: String,
}

#[business_metric(
    action = "search",
    endpoint = "/search",
    funnel = "purchase",
    step = 1,
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
#[timed(errors)]
pub async fn search(
    State(db): State<Db>,
    Query(profile): Query<Profile>,
    Query(search): Query<Search>,
) -> Result<Json<Vec<Item>>, AppError> {
    if search.q.len() > 100 {
        return Err(AppError::BadRequest(
            "q must be at most 100 characters".into(),
        ));
    }
    Ok(Json(
        db.run(move |conn| db::search_items(conn, &search.q))
            .await?,
    ))
}

#[business_metric(
    action = "view_item",
    endpoint = "/items/{id}",
    funnel = "purchase",
    step = 2,
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
#[timed(errors)]
pub async fn view_item(
    State(db): State<Db>,
    Path(id): Path<i64>,
    Query(profile): Query<Profile>,
) -> Result<Json<Item>, AppError> {
    let item = db.run(move |conn| db::get_item(conn, id)).await?;
    item.map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no item {id}")))
}

#[derive(Deserialize)]
pub struct AddToCart {
    cart_id: Option<i64>,
    item_id: i64,
    #[serde(default = "one")]
    quantity: i64,
}

fn one() -> i64 {
    1
}

#[business_metric(
    action = "add_to_cart",
    endpoint = "/cart",
    funnel = "purchase",
    step = 3,
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
#[timed(errors)]
pub async fn add_to_cart(
    State(db): State<Db>,
    Query(profile): Query<Profile>,
    Json(add): Json<AddToCart>,
) -> Result<Json<Cart>, AppError> {
    if !(1..=100).contains(&add.quantity) {
        return Err(AppError::BadRequest(
            "quantity must be from 1 to 100".into(),
        ));
    }
    let cart = db
        .run(move |conn| db::add_to_cart(conn, add.cart_id, add.item_id, add.quantity))
        .await?;
    Ok(Json(cart))
}

#[derive(Deserialize)]
pub struct Purchase {
    cart_id: i64,
}

/// Counted only when it succeeds: step 4 is a completed purchase.
#[business_metric(
    action = "purchase",
    endpoint = "/purchase",
    funnel = "purchase",
    step = 4,
    count = "ok",
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
#[timed(errors)]
pub async fn purchase(
    State(db): State<Db>,
    Query(profile): Query<Profile>,
    Json(purchase): Json<Purchase>,
) -> Result<Json<Receipt>, AppError> {
    Ok(Json(
        db.run(move |conn| db::purchase(conn, purchase.cart_id))
            .await?,
    ))
}

#[business_metric(
    action = "sales_report",
    endpoint = "/report",
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
#[timed(errors)]
pub async fn sales_report(
    State(db): State<Db>,
    Query(profile): Query<Profile>,
) -> Result<Json<Vec<ReportRow>>, AppError> {
    Ok(Json(db.run(db::sales_report).await?))
}

/// Checks the database and sets `health_check_status`.
#[business_metric(
    action = "health_check",
    endpoint = "/health",
    labels(
        device: Option<Device> = profile.device,
        age_group: Option<AgeGroup> = profile.age_group,
        gender: Option<Gender> = profile.gender,
        region: Option<Region> = profile.region,
    )
)]
pub async fn health(
    State(db): State<Db>,
    State(health): State<IntGauge>,
    Query(profile): Query<Profile>,
) -> (StatusCode, Json<serde_json::Value>) {
    match db.run(db::ping).await {
        Ok(()) => {
            health.set(1);
            (StatusCode::OK, Json(serde_json::json!({ "status": "ok" })))
        }
        Err(error) => {
            health.set(0);
            let body = serde_json::json!({ "status": "unhealthy", "error": format!("{error:?}") });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body))
        }
    }
}
