//! The example app as users run it: the real binary on an ephemeral port,
//! a temporary database, real HTTP, `promtool`, and SIGTERM.

// Counts are whole numbers, exact in f64; and the main scenario reads best
// as one story, from the first request to SIGTERM.
#![allow(clippy::float_cmp, clippy::too_many_lines)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// A running `webapp`, stopped when dropped.
struct App {
    child: Child,
    base: String,
    metrics: String,
    db: std::path::PathBuf,
    /// What the app prints after its addresses, until it exits.
    rest_of_stdout: Option<std::thread::JoinHandle<Vec<String>>>,
}

impl App {
    fn start(extra: &[&str]) -> App {
        let db = std::env::temp_dir().join(format!(
            "bizmetrics-webapp-{}-{}.sqlite3",
            std::process::id(),
            fastrand::u64(..)
        ));
        let mut child = Command::new(env!("CARGO_BIN_EXE_webapp"))
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(&db)
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the webapp binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut url = |prefix: &str| {
            let line = lines.next().expect("webapp prints its addresses").unwrap();
            line.strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected `{prefix}...`, got `{line}`"))
                .to_owned()
        };
        let base = url("webapp listening on ").trim_end_matches('/').to_owned();
        let metrics = url("metrics on ");
        // Keep reading, so the app never writes to a closed pipe.
        let rest_of_stdout = Some(std::thread::spawn(move || {
            lines.map_while(Result::ok).collect()
        }));
        App {
            child,
            base,
            metrics,
            db,
            rest_of_stdout,
        }
    }

    /// Sends SIGTERM, waits for the app to exit, and returns its status and
    /// what it printed last.
    fn terminate(&mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let printed = self.rest_of_stdout.take().unwrap().join().unwrap();
                return (status, printed);
            }
            assert!(
                Instant::now() < deadline,
                "webapp did not stop within 10 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.db);
    }
}

async fn call(method: Method, url: &str, body: Option<&str>) -> (StatusCode, String) {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let request = Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
        .unwrap();
    let response = client
        .request(request)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(url: &str) -> (StatusCode, String) {
    call(Method::GET, url, None).await
}

async fn post(url: &str, body: &str) -> (StatusCode, String) {
    call(Method::POST, url, Some(body)).await
}

fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no sample `{series}` in:\n{text}"))
}

/// `promtool check metrics` on `text`; fails loudly if promtool is absent.
fn promtool_check(text: &str) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool is needed: install Debian's `prometheus` package (`.ci/run` does)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "promtool found problems:\n{report}"
    );
}

const MOBILE: &str = "device=mobile&age_group=25_34&gender=female&region=kanto";
const DESKTOP: &str = "device=desktop&age_group=55_plus&gender=male&region=kansai";

fn users(action: &str, endpoint: &str, profile: (&str, &str, &str, &str)) -> String {
    let (device, age, gender, region) = profile;
    format!(
        r#"user_actions_total{{action_type="{action}",age_group="{age}",device="{device}",endpoint="{endpoint}",gender="{gender}",region="{region}"}}"#
    )
}

const MOBILE_LABELS: (&str, &str, &str, &str) = ("mobile", "25_34", "female", "kanto");
const DESKTOP_LABELS: (&str, &str, &str, &str) = ("desktop", "55_plus", "male", "kansai");

#[tokio::test(flavor = "multi_thread")]
async fn every_seed_metric_has_exact_counts_and_the_app_stops_on_sigterm() {
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
            get(&format!("{base}/companies?{MOBILE}")).await.0,
            StatusCode::OK
        );
    }
    assert_eq!(
        get(&format!("{base}/search?q=tea&{MOBILE}")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get(&format!("{base}/search?q=kettle&{DESKTOP}")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get(&format!("{base}/items/2?{MOBILE}")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get(&format!("{base}/items/999?{MOBILE}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&format!("{base}/items/12?{DESKTOP}")).await.0,
        StatusCode::OK
    );

    let (status, cart) = post(&format!("{base}/cart?{MOBILE}"), r#"{"item_id": 2}"#).await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    let (status, receipt) = post(&format!("{base}/purchase?{MOBILE}"), r#"{"cart_id": 1}"#).await;
    assert_eq!(
        (status, receipt.as_str()),
        (StatusCode::OK, r#"{"cart_id":1,"total_cents":6800}"#)
    );

    // The limited kettle has one in stock: buying two fails.
    let (status, cart) = post(
        &format!("{base}/cart?{DESKTOP}"),
        r#"{"item_id": 12, "quantity": 2}"#,
    )
    .await;
    assert_eq!(
        (status, cart.as_str()),
        (StatusCode::OK, r#"{"cart_id":2,"items":2}"#)
    );
    let (status, refusal) = post(&format!("{base}/purchase?{DESKTOP}"), r#"{"cart_id": 2}"#).await;
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
    let (status, message) = get(&format!("{base}/companies?device=toaster")).await;
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
    for (series, value) in exact {
        assert_eq!(sample(&text, &series), value, "{series}");
    }
    assert!(
        !text.contains("toaster") && !text.contains("no/such/page"),
        "bad input must not create series"
    );
    promtool_check(&text);

    let (status, printed) = app.terminate();
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
        (format!("{base}/search?q={huge}"), StatusCode::BAD_REQUEST),
        (
            format!("{base}/companies?device={huge}"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("{base}/companies?region=mars"),
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
            let url = format!("{base}/{}?device={}", path.join("/"), fastrand::u32(..));
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
