// A label from a destructured extractor: the handler stays a `Handler`.
use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use bizmetrics::{business_metric, timed, LabelValue};

#[derive(Clone, Copy, serde::Deserialize, LabelValue)]
#[serde(rename_all = "snake_case")]
enum Device {
    Mobile,
    Desktop,
}

#[derive(serde::Deserialize)]
struct Search {
    q: String,
    device: Device,
    premium: Option<bool>,
}

#[business_metric(action = "search", endpoint = "/search", labels(device: Device = q.device, premium: Option<bool> = q.premium))]
#[timed(labels(device: Device = q.device), in_flight, slow = "300ms", errors)]
async fn search(Query(q): Query<Search>) -> Result<String, String> {
    tokio::task::yield_now().await;
    Ok(q.q)
}

#[business_metric(action = "buy", endpoint = "/buy", count = "ok", funnel = "purchase", step = 1)]
async fn buy() -> Result<&'static str, String> {
    Ok("bought")
}

fn main() {
    let _app: Router = Router::new()
        .route("/search", get(search))
        .route("/buy", get(buy));
}
