// A label group straight from an extractor, mixed with single labels, on
// both attributes, in a real axum `Router`.
#![deny(warnings)]

use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use bizmetrics::{business_metric, timed, LabelGroup, LabelValue};

#[derive(Clone, Copy, serde::Deserialize, LabelValue)]
#[serde(rename_all = "snake_case")]
enum Device {
    Mobile,
    Desktop,
}

#[derive(Clone, Copy, serde::Deserialize, LabelValue)]
enum AgeGroup {
    Young,
    Adult,
}

#[derive(Clone, Copy, serde::Deserialize, LabelGroup)]
struct Profile {
    device: Option<Device>,
    #[label(rename = "age_group")]
    age: Option<AgeGroup>,
    returning: bool,
}

#[business_metric(action = "search", endpoint = "/search", labels(profile, tier = "free"))]
#[timed(labels(profile))]
async fn search(Query(profile): Query<Profile>) -> String {
    format!("{:?}", profile.returning)
}

#[business_metric(action = "browse", labels(visitor: Profile))]
async fn browse(Query(visitor): Query<Profile>) -> &'static str {
    let _ = (Device::Mobile, Device::Desktop, AgeGroup::Young, AgeGroup::Adult);
    let _ = visitor.returning;
    "ok"
}

fn main() {
    let _app: Router = Router::new()
        .route("/search", get(search))
        .route("/browse", get(browse));
}
