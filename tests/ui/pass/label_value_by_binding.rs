// `labels(device)` on one bounded value takes the label `device` from the
// parameter `device`: a derived enum, a `bool`, an `Option`, a reference,
// and one-field extractor bindings, on both attributes, mixed with a label
// group and single labels, in a real axum `Router`. Behaviour:
// `tests/tests/label_bindings.rs`.
#![deny(warnings)]

use axum::extract::{Path, Query, State};
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
#[serde(tag = "plan", rename_all = "snake_case")]
enum Plan {
    Free,
    Pro,
}

#[derive(Clone, Copy, serde::Deserialize, LabelGroup)]
struct Profile {
    #[label(rename = "age_group")]
    adult: bool,
    returning: bool,
}

#[business_metric(action = "search", labels(device))]
fn search(device: Device) {
    let _ = device;
}

#[business_metric(action = "view", labels(device, returning, tier = "free"))]
#[timed(labels(device))]
fn view(device: &Device, returning: bool) -> Result<(), String> {
    let _ = (device, returning);
    Ok(())
}

#[timed(labels(device: Option<Device>))]
async fn maybe(device: Option<Device>) {
    let _ = device;
    tokio::task::yield_now().await;
}

#[business_metric(action = "by_path", labels(device, profile))]
async fn by_path(Path(device): Path<Device>, Query(profile): Query<Profile>) -> &'static str {
    let _ = (device, profile.adult, profile.returning);
    "ok"
}

#[business_metric(action = "by_query", labels(plan))]
#[timed(labels(plan))]
async fn by_query(State(device): State<Device>, Query(plan): Query<Plan>) -> &'static str {
    let _ = (device, Plan::Free, Plan::Pro);
    match plan {
        Plan::Free => "free",
        Plan::Pro => "pro",
    }
}

// On a method, and on every method of a block.
struct Shop;

impl Shop {
    #[business_metric(action = "browse", labels(device))]
    fn browse(&self, device: Device) {
        let _ = device;
    }
}

#[business_metric(labels(device))]
impl Shop {
    fn open(&self, device: Device) {
        let _ = device;
    }

    fn close(&mut self, device: Option<&Device>) {
        let _ = device;
    }
}

fn main() {
    let mut shop = Shop;
    shop.browse(Device::Mobile);
    shop.open(Device::Desktop);
    shop.close(None);
    search(Device::Mobile);
    view(&Device::Desktop, true).unwrap();
    let _ = maybe(None);
    let _app: Router = Router::new()
        .route("/search/{device}", get(by_path))
        .route("/plans", get(by_query))
        .with_state(Device::Mobile);
}
