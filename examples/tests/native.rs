//! Native histograms end to end: Debian's Prometheus 2.42, run with
//! `--enable-feature=native-histograms`, asks the example app for the
//! protobuf format and ingests its handlers' durations as native
//! histograms; a second Prometheus without the flag scrapes the same app
//! as text and gets the classic buckets kept beside them.

// Counts are whole numbers, exact in f64.
#![allow(clippy::float_cmp)]

mod common;

use std::time::{Duration, Instant};

use bizmetrics_tests::free_port;
use common::prometheus::{eventually, export, query, Server, TempDir};
use common::{get, try_call, url, App, MOBILE};
use serde_json::Value;

/// An instant query's raw result, for the `histogram` field `query` drops.
async fn query_raw(prometheus: &str, promql: &str) -> Vec<Value> {
    let url = url(prometheus, "/api/v1/query", &[&[("query", promql)]]);
    let Ok((_, body)) = try_call(axum::http::Method::GET, &url, None).await else {
        return Vec::new();
    };
    let answer: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    answer["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn prometheus(dir: &TempDir, name: &str, port: u16, flags: &[&str]) -> Server {
    let mut args: Vec<String> = flags.iter().map(|&flag| flag.to_owned()).collect();
    args.extend([
        format!("--config.file={}", dir.0.join("prometheus.yml").display()),
        format!("--storage.tsdb.path={}", dir.0.join(name).display()),
        format!("--web.listen-address=127.0.0.1:{port}"),
    ]);
    Server::start("prometheus", "prometheus", &args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::cast_precision_loss)] // a handful of latencies
async fn a_native_prometheus_reads_quantiles_and_a_classic_one_reads_buckets() {
    let app = App::start(&[]);
    let target = app.base.trim_start_matches("http://").to_owned();
    let dir = TempDir::new("native");
    export(&dir, &["--targets", &target, "--scrape-interval", "1s"]);
    let (native_port, classic_port) = (free_port(), free_port());
    let _native = prometheus(
        &dir,
        "native",
        native_port,
        &["--enable-feature=native-histograms"],
    );
    let _classic = prometheus(&dir, "classic", classic_port, &[]);
    let (native, classic) = (
        format!("http://127.0.0.1:{native_port}"),
        format!("http://127.0.0.1:{classic_port}"),
    );
    for prometheus in [&native, &classic] {
        eventually(
            Duration::from_secs(30),
            "Prometheus scrapes the app",
            || async {
                let up = query(prometheus, r#"up{job="webapp"}"#).await;
                (up.first().map(|(_, value)| *value) == Some(1.0)).then_some(())
            },
        )
        .await;
    }

    // The slow report, timed from here: the handler's own time is a little
    // less, by the loopback round trip.
    let mut latencies = Vec::new();
    for _ in 0..12 {
        let started = Instant::now();
        let (status, _) = get(&url(&app.base, "/report", &[MOBILE])).await;
        latencies.push(started.elapsed().as_secs_f64());
        assert!(status.is_success());
    }
    let slowest = latencies.iter().copied().fold(0.0, f64::max);
    let fastest = latencies.iter().copied().fold(f64::INFINITY, f64::min);

    // An instant query returns a native histogram for the handler.
    let selector = r#"function_duration_seconds{function="sales_report",outcome="ok"}"#;
    let series = eventually(
        Duration::from_secs(30),
        "the native Prometheus holds sales_report's 12 calls as a histogram",
        || async {
            let result = query_raw(&native, selector).await;
            let series = result.first()?.clone();
            (series["histogram"][1]["count"] == "12").then_some(series)
        },
    )
    .await;
    assert!(
        series.get("value").is_none(),
        "a histogram, not a float: {series}"
    );

    // Every quantile lies within one bucket of the latencies seen: a bucket
    // at schema 3 spans 2^(1/8), 9.05% of its lower bound.
    let width = 2f64.powf(1.0 / 8.0);
    for q in ["0.5", "0.99"] {
        let promql = format!("histogram_quantile({q}, sum(increase({selector}[5m])))");
        let found = query(&native, &promql).await;
        let estimate = found.first().map_or(f64::NAN, |(_, value)| *value);
        assert!(
            estimate >= fastest / width / 1.01 && estimate <= slowest * width,
            "p{q} is {estimate}, latencies were {fastest}..{slowest}"
        );
    }
    // No classic buckets of that site there: Prometheus 2.42 keeps the
    // native form only.
    let classic_there = query(
        &native,
        r#"function_duration_seconds_bucket{function="sales_report"}"#,
    )
    .await;
    assert!(classic_there.is_empty(), "{classic_there:?}");

    // The article's request histogram stays classic, as the article has it.
    let requests = query(
        &native,
        r#"http_request_duration_seconds_bucket{route="/report",le="0.5"}"#,
    )
    .await;
    assert_eq!(requests.len(), 1, "{requests:?}");

    // The Prometheus without the flag scrapes text: the classic buckets.
    let buckets = eventually(
        Duration::from_secs(30),
        "the classic Prometheus holds sales_report's buckets",
        || async {
            let promql = r#"function_duration_seconds_bucket{function="sales_report",outcome="ok",le="+Inf"}"#;
            let found = query(&classic, promql).await;
            found.first().filter(|(_, count)| *count == 12.0).map(|_| found.clone())
        },
    )
    .await;
    assert_eq!(buckets.len(), 1);
}
