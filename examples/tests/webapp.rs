//! The example app as users run it: the real binary on an ephemeral port,
//! a temporary database, real HTTP, `promtool`, and SIGTERM.

// Counts are whole numbers, exact in f64; and the main scenario reads best
// as one story, from the first request to SIGTERM.
#![allow(clippy::float_cmp, clippy::too_many_lines)]

mod common;

use std::process::Command;

use axum::http::StatusCode;
use bizmetrics_tests::promtool_check;
use common::{get, post, sample, url, App, Pairs, MOBILE};

const DESKTOP: Pairs<'_> = &[
    ("device", "desktop"),
    ("age_group", "55_plus"),
    ("gender", "male"),
    ("region", "kansai"),
];

fn users(action: &str, endpoint: &str, profile: (&str, &str, &str, &str)) -> String {
    let (device, age, gender, region) = profile;
    format!(
        r#"user_actions_total{{action_type="{action}",age_group="{age}",device="{device}",endpoint="{endpoint}",gender="{gender}",region="{region}"}}"#
    )
}

const MOBILE_LABELS: (&str, &str, &str, &str) = ("mobile", "25_34", "female", "kanto");
const DESKTOP_LABELS: (&str, &str, &str, &str) = ("desktop", "55_plus", "male", "kansai");

#[tokio::test(flavor = "multi_thread")]
async fn every_article_metric_has_exact_counts_and_the_app_stops_on_sigterm() {
    let mut app = App::start(&[]);
    let base = app.base.clone();

    let before = get(&app.metrics).await.1;
    assert_eq!(
        sample(&before, &users("purchase", "/purchase", DESKTOP_LABELS)),
        0.0,
        "series exist at startup"
    );
    assert_eq!(
        sample(&before, "health_check_status"),
        1.0,
        "checked at startup"
    );

    for _ in 0..2 {
        assert_eq!(
            get(&url(&base, "/companies", &[MOBILE])).await.0,
            StatusCode::OK
        );
    }
    assert_eq!(
        get(&url(&base, "/search", &[&[("q", "tea")], MOBILE]))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        get(&url(&base, "/search", &[&[("q", "kettle")], DESKTOP]))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        get(&url(&base, "/items/2", &[MOBILE])).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get(&url(&base, "/items/999", &[MOBILE])).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&url(&base, "/items/12", &[DESKTOP])).await.0,
        StatusCode::OK
    );

    let (status, cart) = post(&url(&base, "/cart", &[MOBILE]), r#"{"item_id": 2}"#).await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    let (status, receipt) = post(&url(&base, "/purchase", &[MOBILE]), r#"{"cart_id": 1}"#).await;
    assert_eq!(
        (status, receipt.as_str()),
        (StatusCode::OK, r#"{"cart_id":1,"total_cents":6800}"#)
    );

    // The limited kettle has one in stock: buying two fails.
    let (status, cart) = post(
        &url(&base, "/cart", &[DESKTOP]),
        r#"{"item_id": 12, "quantity": 2}"#,
    )
    .await;
    assert_eq!(
        (status, cart.as_str()),
        (StatusCode::OK, r#"{"cart_id":2,"items":2}"#)
    );
    let (status, refusal) = post(&url(&base, "/purchase", &[DESKTOP]), r#"{"cart_id": 2}"#).await;
    assert_eq!(
        (status, refusal.as_str()),
        (
            StatusCode::CONFLICT,
            r#"{"error":"Limited edition kettle is out of stock"}"#
        )
    );

    let (status, report) = get(&format!("{base}/report")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        report.starts_with(r#"[{"item":"Cast iron teapot","units_sold":1,"revenue_cents":6800"#),
        "{report}"
    );
    assert_eq!(get(&format!("{base}/health")).await.0, StatusCode::OK);

    // Bad input: a clear 4xx, and no new series.
    let (status, message) = get(&url(&base, "/companies", &[&[("device", "toaster")]])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("unknown variant `toaster`"), "{message}");
    assert_eq!(
        get(&format!("{base}/no/such/page")).await.0,
        StatusCode::NOT_FOUND
    );

    let text = get(&app.metrics).await.1;
    let none = ("none", "none", "none", "none");
    let exact = [
        (users("list_companies", "/companies", MOBILE_LABELS), 2.0),
        // The funnel, by device.
        (users("search", "/search", MOBILE_LABELS), 1.0),
        (users("search", "/search", DESKTOP_LABELS), 1.0),
        (users("view_item", "/items/{id}", MOBILE_LABELS), 2.0),
        (users("view_item", "/items/{id}", DESKTOP_LABELS), 1.0),
        (users("add_to_cart", "/cart", MOBILE_LABELS), 1.0),
        (users("add_to_cart", "/cart", DESKTOP_LABELS), 1.0),
        (users("purchase", "/purchase", MOBILE_LABELS), 1.0),
        (users("purchase", "/purchase", DESKTOP_LABELS), 0.0),
        (users("sales_report", "/report", none), 1.0),
        (users("health_check", "/health", none), 1.0),
        // HTTP, by matched route; unmatched paths share one series.
        (r#"http_requests_total{method="GET",route="/companies",status_code="200"}"#.into(), 2.0),
        (r#"http_requests_total{method="GET",route="/companies",status_code="400"}"#.into(), 1.0),
        (r#"http_requests_total{method="GET",route="/items/{id}",status_code="404"}"#.into(), 1.0),
        (r#"http_requests_total{method="POST",route="/purchase",status_code="409"}"#.into(), 1.0),
        (r#"http_requests_total{method="GET",route="unmatched",status_code="404"}"#.into(), 1.0),
        (r#"http_request_duration_seconds_count{method="GET",route="/companies",status_code="200"}"#.into(), 2.0),
        (r#"http_request_duration_seconds_bucket{method="GET",route="/report",status_code="200",le="10"}"#.into(), 1.0),
        // The database.
        (r#"database_queries_total{action_type="purchase",endpoint="carts"}"#.into(), 2.0),
        (r#"database_queries_total{action_type="get_item",endpoint="items"}"#.into(), 3.0),
        (r#"database_query_duration_seconds_count{function="purchase",module="webapp::db",outcome="ok"}"#.into(), 1.0),
        (r#"database_query_duration_seconds_count{function="purchase",module="webapp::db",outcome="error"}"#.into(), 1.0),
        (r#"slow_queries_total{function="sales_report",module="webapp::db"}"#.into(), 1.0),
        (r#"slow_queries_total{function="list_companies",module="webapp::db"}"#.into(), 0.0),
        (r#"database_connections_active{function="sales_report",module="webapp::db"}"#.into(), 0.0),
        // Errors, per handler.
        (r#"application_errors_total{function="purchase",module="webapp::handlers"}"#.into(), 1.0),
        (r#"application_errors_total{function="view_item",module="webapp::handlers"}"#.into(), 1.0),
        (r#"application_errors_total{function="search",module="webapp::handlers"}"#.into(), 0.0),
        ("health_check_status".into(), 1.0),
    ];
    let report_seconds = sample(
        &text,
        r#"database_query_duration_seconds_sum{function="sales_report",module="webapp::db",outcome="ok"}"#,
    );
    for (series, value) in exact {
        assert_eq!(
            sample(&text, &series),
            value,
            "{series} (the sales report took {report_seconds} s)"
        );
    }
    assert!(
        !text.contains("toaster") && !text.contains("no/such/page"),
        "bad input must not create series"
    );
    promtool_check(&text);

    let (status, printed) = app.terminate().await;
    assert!(
        status.success(),
        "webapp exited with {status} after SIGTERM"
    );
    assert_eq!(printed, ["webapp stopped"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_can_move_to_a_port_of_their_own() {
    let app = App::start(&["--metrics-addr", "127.0.0.1:0"]);
    assert_ne!(app.metrics, format!("{}/metrics", app.base));
    assert_eq!(
        get(&format!("{}/metrics", app.base)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, text) = get(&app.metrics).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("# TYPE user_actions_total counter"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn traffic_mode_walks_the_funnel() {
    let app = App::start(&[]);
    let output = Command::new(env!("CARGO_BIN_EXE_webapp"))
        .args([
            "traffic",
            "--target",
            &app.base,
            "--rate",
            "40",
            "--duration",
            "2s",
        ])
        .output()
        .expect("traffic mode runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let text = get(&app.metrics).await.1;
    let total = |action: &str| -> f64 {
        text.lines()
            .filter(|l| l.starts_with(&format!(r#"user_actions_total{{action_type="{action}""#)))
            .map(|l| l.rsplit_once(' ').unwrap().1.parse::<f64>().unwrap())
            .sum()
    };
    let searches = total("search");
    assert!(
        searches >= 40.0,
        "about 80 sessions search; saw {searches}\n{stdout}"
    );
    assert!(
        total("view_item") < searches,
        "some shoppers leave after searching"
    );
    assert!(total("purchase") <= total("add_to_cart"));
}

/// The number of samples in an exposition.
fn series_count(text: &str) -> usize {
    text.lines().filter(|line| !line.starts_with('#')).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn garbage_gets_clear_4xx_and_creates_no_series() {
    let app = App::start(&[]);
    let base = app.base.clone();

    // Each kind of bad request once, to create the series it may create:
    // one per route and status, never one per path or value.
    let huge = "x".repeat(20_000);
    let bad = [
        (format!("{base}/no/such/page"), StatusCode::NOT_FOUND),
        (
            url(&base, "/search", &[&[("q", huge.as_str())]]),
            StatusCode::BAD_REQUEST,
        ),
        (
            url(&base, "/companies", &[&[("device", huge.as_str())]]),
            StatusCode::BAD_REQUEST,
        ),
        (
            url(&base, "/companies", &[&[("region", "mars")]]),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("{base}/items/not-a-number"),
            StatusCode::BAD_REQUEST,
        ),
        (format!("{base}/search"), StatusCode::BAD_REQUEST),
    ];
    for (url, status) in &bad {
        assert_eq!(get(url).await.0, *status, "{}", &url[..url.len().min(80)]);
    }
    let (status, message) = post(&format!("{base}/cart"), "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
    // A scrape is a request too: the first one creates its own series.
    get(&app.metrics).await;
    let before = series_count(&get(&app.metrics).await.1);

    // 10,000 random paths, 50 at a time.
    for _ in 0..200 {
        let mut requests = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let depth = fastrand::usize(1..5);
            let path: Vec<String> = (0..depth)
                .map(|_| {
                    (0..fastrand::usize(1..12))
                        .map(|_| fastrand::alphanumeric())
                        .collect()
                })
                .collect();
            let device = fastrand::u32(..).to_string();
            let url = url(
                &base,
                &format!("/{}", path.join("/")),
                &[&[("device", device.as_str())]],
            );
            requests.spawn(async move { get(&url).await.0 });
        }
        while let Some(status) = requests.join_next().await {
            assert_eq!(status.unwrap(), StatusCode::NOT_FOUND);
        }
    }
    // And the bad requests again, many times over.
    for _ in 0..20 {
        for (url, status) in &bad {
            assert_eq!(get(url).await.0, *status);
        }
    }

    let text = get(&app.metrics).await.1;
    assert_eq!(series_count(&text), before, "garbage created series");
    assert_eq!(
        sample(
            &text,
            r#"http_requests_total{method="GET",route="unmatched",status_code="404"}"#
        ),
        10_021.0
    );
}
