//! `labels(device)` on a single bounded value: the label `device`, its value
//! from the parameter `device`, exactly as `labels(device = device)`. For a
//! `#[derive(LabelValue)]` enum, a `bool`, an `Option` of those, and a
//! one-field extractor binding such as `Path(device): Path<Device>` or
//! `Query(platform): Query<Platform>`. Label
//! groups keep working the same way: `tests/tests/groups.rs`.

use axum::body::Body;
use axum::extract::{Path, Query};
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::Router;
use bizmetrics::{business_metric, timed, LabelValue};
use bizmetrics_tests::{family_lines, sample};
use serde::Deserialize;
use tower::ServiceExt;

#[derive(Clone, Copy, Deserialize, LabelValue)]
#[serde(rename_all = "snake_case")]
enum Device {
    Mobile,
    Desktop,
    SmartTv,
}

#[business_metric(action = "search", name = "binding_searches_total", labels(device))]
#[timed(name = "binding_search_seconds", labels(device))]
fn search(device: Device, query: &str) -> usize {
    let _ = device;
    query.len()
}

// The same labels written out, to compare the series with.
#[business_metric(
    action = "search",
    name = "written_searches_total",
    labels(device = device)
)]
fn search_written(device: Device) {
    let _ = device;
}

#[business_metric(
    action = "checkout",
    name = "binding_checkouts_total",
    labels(returning)
)]
fn checkout(returning: bool) {
    let _ = returning;
}

#[business_metric(
    action = "browse",
    name = "binding_browses_total",
    labels(device, returning)
)]
fn browse(device: Option<Device>, returning: &bool) {
    let _ = (device, returning);
}

/// `?platform=ios` as a whole query: an internally tagged enum is read
/// from the query's one key.
#[derive(Clone, Copy, Deserialize, LabelValue)]
#[serde(tag = "platform", rename_all = "snake_case")]
enum Platform {
    Ios,
    Android,
}

/// The query string of `/find?device=desktop`.
#[derive(Deserialize)]
struct SearchQuery {
    device: Device,
}

// One-field extractor bindings, in axum handlers.
#[business_metric(action = "by_path", name = "binding_handlers_total", labels(device))]
async fn by_path(Path(device): Path<Device>) -> &'static str {
    Device::label(device.ordinal())
}

#[business_metric(action = "by_query", name = "binding_queries_total", labels(platform))]
async fn by_query(Query(platform): Query<Platform>) -> &'static str {
    Platform::label(platform.ordinal())
}

#[business_metric(action = "by_field", name = "binding_fields_total", labels(device: Device = query.device))]
async fn by_field(Query(query): Query<SearchQuery>) -> &'static str {
    Device::label(query.device.ordinal())
}

/// Each series' value, as expected.
fn assert_samples(expected: &[(&str, f64)]) {
    for (series, value) in expected {
        assert_eq!(sample(series), *value, "{series}");
    }
}

fn series_of(name: &str) -> Vec<String> {
    let text = bizmetrics::render();
    family_lines(&text, name)
        .into_iter()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.replacen(name, "", 1))
        .collect()
}

#[test]
fn a_label_value_taken_by_its_binding_is_the_label_of_that_name() {
    assert_eq!(search(Device::SmartTv, "tv"), 2);
    search(Device::SmartTv, "tv stand");
    search(Device::Mobile, "phone");
    assert_eq!(
        sample(
            r#"binding_searches_total{action_type="search",device="smart_tv",endpoint="search"}"#
        ),
        2.0
    );
    assert_eq!(
        sample(r#"binding_searches_total{action_type="search",device="mobile",endpoint="search"}"#),
        1.0
    );
    assert_eq!(
        sample(
            r#"binding_search_seconds_count{device="desktop",function="search",module="label_bindings",outcome="ok"}"#
        ),
        0.0,
        "every value's series exists from startup"
    );
    assert_eq!(
        sample(
            r#"binding_search_seconds_count{device="smart_tv",function="search",module="label_bindings",outcome="ok"}"#
        ),
        2.0
    );
}

#[test]
fn the_shorthand_makes_the_same_series_as_the_label_written_out() {
    search_written(Device::Desktop);
    let written: Vec<String> = series_of("written_searches_total")
        .into_iter()
        .map(|line| line.replace("search_written", "search"))
        .map(|line| {
            line.rsplit_once(' ')
                .map(|(series, _)| series.to_owned())
                .unwrap()
        })
        .collect();
    let bound: Vec<String> = series_of("binding_searches_total")
        .into_iter()
        .map(|line| {
            line.rsplit_once(' ')
                .map(|(series, _)| series.to_owned())
                .unwrap()
        })
        .collect();
    assert_eq!(written.len(), 3);
    assert_eq!(bound, written);
}

#[test]
fn bools_options_and_references_go_by_their_binding_too() {
    checkout(true);
    checkout(true);
    browse(None, &false);
    browse(Some(Device::Desktop), &true);
    assert_samples(&[
        (
            r#"binding_checkouts_total{action_type="checkout",endpoint="checkout",returning="true"}"#,
            2.0,
        ),
        (
            r#"binding_checkouts_total{action_type="checkout",endpoint="checkout",returning="false"}"#,
            0.0,
        ),
        (
            r#"binding_browses_total{action_type="browse",device="none",endpoint="browse",returning="false"}"#,
            1.0,
        ),
        (
            r#"binding_browses_total{action_type="browse",device="desktop",endpoint="browse",returning="true"}"#,
            1.0,
        ),
    ]);
    assert_eq!(series_of("binding_browses_total").len(), 4 * 2);
}

#[tokio::test]
async fn extractor_bindings_label_real_requests() {
    let app = Router::new()
        .route("/search/{device}", get(by_path))
        .route("/apps", get(by_query))
        .route("/find", get(by_field));
    for (uri, body) in [
        ("/search/mobile", "mobile"),
        ("/search/smart_tv", "smart_tv"),
        ("/search/smart_tv", "smart_tv"),
        ("/apps?platform=android", "android"),
        ("/find?device=desktop", "desktop"),
    ] {
        let response = app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let bytes = axum::body::to_bytes(response.into_body(), 64)
            .await
            .unwrap();
        assert_eq!(bytes, body.as_bytes(), "{uri}");
    }
    let unknown = app
        .oneshot(Request::get("/search/fax").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST, "no handler runs");
    assert_samples(&[
        (
            r#"binding_handlers_total{action_type="by_path",device="smart_tv",endpoint="by_path"}"#,
            2.0,
        ),
        (
            r#"binding_handlers_total{action_type="by_path",device="mobile",endpoint="by_path"}"#,
            1.0,
        ),
        (
            r#"binding_queries_total{action_type="by_query",endpoint="by_query",platform="android"}"#,
            1.0,
        ),
        (
            r#"binding_fields_total{action_type="by_field",device="desktop",endpoint="by_field"}"#,
            1.0,
        ),
    ]);
}
