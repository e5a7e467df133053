//! Exemplars end to end: requests carrying a W3C `traceparent` reach the
//! example app; Debian's Prometheus, run with
//! `--enable-feature=exemplar-storage` and the exported `prometheus.yml`,
//! scrapes it (asking for OpenMetrics, as it always does), and
//! `/api/v1/query_exemplars` returns each request's trace id on the
//! request's duration bucket, the handler's `#[timed]` histogram and its
//! action counter.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bizmetrics_tests::free_port;
use common::prometheus::{eventually, export, Server, TempDir};
use common::{try_call, url, App, MOBILE};
use serde_json::Value;

/// Trace ids Prometheus holds for the series `selector` picks.
async fn exemplar_trace_ids(prometheus: &str, selector: &str) -> Vec<String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (start, end) = ((now - 600).to_string(), (now + 60).to_string());
    let url = url(
        prometheus,
        "/api/v1/query_exemplars",
        &[&[("query", selector), ("start", &start), ("end", &end)]],
    );
    let Ok((_, body)) = try_call(axum::http::Method::GET, &url, None).await else {
        return Vec::new();
    };
    let answer: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let series = answer["data"].as_array().cloned().unwrap_or_default();
    series
        .iter()
        .flat_map(|series| series["exemplars"].as_array().cloned().unwrap_or_default())
        .filter_map(|exemplar| exemplar["labels"]["trace_id"].as_str().map(str::to_owned))
        .collect()
}

/// A GET with a `traceparent` header.
async fn traced_get(url: &str, trace_id: &str) -> u16 {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = client
        .get(url)
        .header("traceparent", format!("00-{trace_id}-00f067aa0ba902b7-01"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    response.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_stores_the_trace_of_each_request_as_an_exemplar() {
    let app = App::start(&[]);
    let target = app.base.trim_start_matches("http://").to_owned();
    let dir = TempDir::new("exemplars");
    export(&dir, &["--targets", &target, "--scrape-interval", "1s"]);
    let port = free_port();
    let _prometheus = Server::start(
        "prometheus",
        "prometheus",
        &[
            "--enable-feature=exemplar-storage".to_owned(),
            format!("--config.file={}", dir.0.join("prometheus.yml").display()),
            format!("--storage.tsdb.path={}", dir.0.join("tsdb").display()),
            format!("--web.listen-address=127.0.0.1:{port}"),
        ],
    );
    let prometheus = format!("http://127.0.0.1:{port}");

    // A trace id per request, unlike any other.
    let report_trace = format!("{:032x}", fastrand::u128(1..));
    let companies_trace = format!("{:032x}", fastrand::u128(1..));
    assert_eq!(
        traced_get(&url(&app.base, "/report", &[MOBILE]), &report_trace).await,
        200
    );
    assert_eq!(
        traced_get(&url(&app.base, "/companies", &[MOBILE]), &companies_trace).await,
        200
    );

    for (selector, trace) in [
        (
            r#"http_request_duration_seconds_bucket{route="/report"}"#,
            &report_trace,
        ),
        (
            r#"function_duration_seconds_bucket{function="sales_report"}"#,
            &report_trace,
        ),
        (
            r#"user_actions_total{action_type="sales_report"}"#,
            &report_trace,
        ),
        (
            r#"http_request_duration_seconds_bucket{route="/companies"}"#,
            &companies_trace,
        ),
        (
            r#"user_actions_total{action_type="list_companies"}"#,
            &companies_trace,
        ),
    ] {
        let ids = eventually(
            Duration::from_secs(30),
            &format!("Prometheus holds exemplar {trace} for {selector}"),
            || async {
                let ids = exemplar_trace_ids(&prometheus, selector).await;
                ids.contains(trace).then_some(ids)
            },
        )
        .await;
        let other = if trace == &report_trace {
            &companies_trace
        } else {
            &report_trace
        };
        assert!(
            !ids.contains(other),
            "{selector} has only its own request's trace: {ids:?}"
        );
    }
}
